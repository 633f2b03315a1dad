/* The clock that entries drive: counters, DNAT mappings and the daily report's
 * midnight follow the entries' own time, so that a replay or a catch-up after
 * downtime behaves as if live.
 *
 * Entries cannot be trusted blindly. A host whose clock runs ahead, or a clock
 * stepped by NTP, must not expire everyone's counters at once. So:
 *   - an entry is never taken further than FUTURE_ALLOWANCE past the wall clock;
 *   - a leap of more than an hour over the clock is taken when the entry's
 *     monotonic time (same boot) says that much time really passed (a quiet
 *     night), or when LEAP_VOTES entries in a row agree (a reboot after a gap);
 *     a lone entry whose monotonic time contradicts the leap is held back.
 *
 *   struct lr_entry_clock c; lr_entry_clock_init(&c, lr_wall_usec);
 *   if (lr_entry_clock_advance(&c, entry) == LR_CLOCK_NEW_SECOND) expire(c.now_usec);
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct lr_entry;

#define LR_CLOCK_FUTURE_ALLOWANCE_USEC (300 * (int64_t)1000000)
#define LR_CLOCK_LEAP_USEC (3600 * (int64_t)1000000)
#define LR_CLOCK_LEAP_VOTES 3

struct lr_entry_clock {
  int64_t now_usec;          /* 0 until the first timed entry */
  /* The time the current entry's own steps run at: now_usec, except for an
   * entry whose leap is held, which keeps its own (clamped) time so that its
   * counter or mapping is dated right, while nobody else's expires. */
  int64_t entry_usec;
  int64_t (*wall_usec)(void); /* injected so that tests choose "now" */
  bool future_ok;             /* rule authors' specs (wf:run) date entries as they
                                 like: no clamp to the wall clock */
  int64_t future_limit_usec;  /* cached wall + allowance, refreshed when passed */
  unsigned leap_votes;        /* entries in a row far ahead of now_usec */
  /* The entry that last moved the clock into a new second, with its
   * monotonic time: a later leap is checked against it. */
  int64_t ref_realtime_usec, ref_monotonic_usec;
  uint64_t ref_boot_id[2];
  bool ref_known;
  uint64_t leaps_taken, leaps_held; /* for status and tests */
};

enum lr_clock_step {
  LR_CLOCK_SAME,       /* the clock did not move (an older entry, or no time) */
  LR_CLOCK_HELD,       /* a leap not (yet) believed: the clock stays, entry_usec is the entry's */
  LR_CLOCK_MOVED,      /* moved within the same second */
  LR_CLOCK_NEW_SECOND, /* moved into a new second: expiry and due work may run */
};

void lr_entry_clock_init(struct lr_entry_clock *c, int64_t (*wall_usec)(void));
/* Takes the time of the entry the source just began (ignored without one). */
enum lr_clock_step lr_entry_clock_advance(struct lr_entry_clock *c, const struct lr_entry *e);
