/* The entries' clock: clamping to the wall clock, leaps after a quiet gap
 * (taken when the monotonic clock agrees), bogus timestamps held back, votes. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "input/entry.h"
#include "input/entry_clock.h"

#define S ((int64_t)1000000)
#define H (3600 * S)

static int64_t wall_now;
static int64_t fake_wall(void) { return wall_now; }

/* One entry as an export stream carries it: realtime outside, monotonic time
 * and boot id as fields (NULL boot: the source has neither). */
struct fake {
  char mono[32];
  const char *boot;
};

static void fake_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                      void *arg)
{
  struct fake *f = ctx;
  cb(arg, "MESSAGE", 7, "x", 1);
  if (!f->boot)
    return;
  cb(arg, "__MONOTONIC_TIMESTAMP", 21, f->mono, strlen(f->mono));
  cb(arg, "_BOOT_ID", 8, f->boot, strlen(f->boot));
}
static void fake_fill(void *ctx, struct lr_entry *e) { (void)ctx, (void)e; }
static const struct lr_source_hooks fake_hooks = {fake_fill, fake_each, NULL};

static const char *BOOT_A = "0123456789abcdef0123456789abcdef";
static const char *BOOT_B = "fedcba9876543210fedcba9876543210";

static struct lr_entry e;
static struct fake src;

static enum lr_clock_step feed(struct lr_entry_clock *c, int64_t realtime, const char *boot,
                               int64_t mono)
{
  src.boot = boot;
  snprintf(src.mono, sizeof(src.mono), "%lld", (long long)mono);
  lr_entry_begin(&e, realtime, &fake_hooks, &src);
  return lr_entry_clock_advance(c, &e);
}

/* Day 1 10:00 in entry time; the wall clock is far later (a replay). */
static const int64_t T0 = 1700000000 * S;

static void test_basics(void)
{
  struct lr_entry_clock c;
  wall_now = T0 + 400 * 24 * H;
  lr_entry_clock_init(&c, fake_wall);
  CHECK_INT(feed(&c, -1, NULL, 0), LR_CLOCK_SAME); /* no time: ignored */
  CHECK_INT(c.now_usec, 0);
  CHECK_INT(feed(&c, T0, BOOT_A, 5 * S), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0);
  CHECK_INT(feed(&c, T0 + 1000, BOOT_A, 5 * S + 1000), LR_CLOCK_MOVED);
  CHECK_INT(feed(&c, T0 - 10 * S, BOOT_A, 0), LR_CLOCK_SAME); /* older: never backwards */
  CHECK_INT(c.now_usec, T0 + 1000);
  CHECK_INT(c.entry_usec, T0 + 1000);
  CHECK_INT(feed(&c, T0 + 2 * S, BOOT_A, 7 * S), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + 2 * S);
  /* 59 minutes: not a leap, taken without any check */
  CHECK_INT(feed(&c, T0 + 59 * 60 * S, NULL, 0), LR_CLOCK_NEW_SECOND);
}

/* The case: a quiet night, then one line after midnight, in replay. */
static void test_quiet_gap_taken_at_once(void)
{
  struct lr_entry_clock c;
  wall_now = T0 + 400 * 24 * H;
  lr_entry_clock_init(&c, fake_wall);
  feed(&c, T0, BOOT_A, 100 * S);
  CHECK_INT(feed(&c, T0 + 14 * H, BOOT_A, 100 * S + 14 * H), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + 14 * H);
  CHECK_INT(c.leaps_taken, 1);
  /* NTP slewing and a reference up to a second old are within the slack */
  CHECK_INT(feed(&c, T0 + 40 * H, BOOT_A, 100 * S + 40 * H - 90 * S), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + 40 * H);
  /* a realtime step back then forward again: the monotonic clock ran on */
  CHECK_INT(feed(&c, T0 + 43 * H, BOOT_A, 100 * S + 43 * H + 5 * H), LR_CLOCK_NEW_SECOND);
}

/* One entry stamped two days ahead by a clock step (same boot, the monotonic
 * clock moved a second): it must not expire everyone's counters. */
static void test_lone_bogus_entry_held(void)
{
  struct lr_entry_clock c;
  wall_now = T0 + 400 * 24 * H;
  lr_entry_clock_init(&c, fake_wall);
  feed(&c, T0, BOOT_A, 100 * S);
  CHECK_INT(feed(&c, T0 + 48 * H, BOOT_A, 101 * S), LR_CLOCK_HELD);
  CHECK_INT(c.now_usec, T0);
  CHECK_INT(c.entry_usec, T0 + 48 * H); /* its own steps keep its own time */
  CHECK_INT(c.leaps_held, 1);
  /* the stream goes on where it was: the vote is reset */
  CHECK_INT(feed(&c, T0 + 2 * S, BOOT_A, 102 * S), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.entry_usec, T0 + 2 * S);
  CHECK_INT(feed(&c, T0 + 48 * H, BOOT_A, 103 * S), LR_CLOCK_HELD);
  CHECK_INT(feed(&c, T0 + 48 * H, BOOT_A, 103 * S), LR_CLOCK_HELD);
  CHECK_INT(feed(&c, T0 + 3 * S, BOOT_A, 104 * S), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + 3 * S);
  /* a clock stepped for good (NTP fixing a wrong clock): three in a row agree */
  CHECK_INT(feed(&c, T0 + 48 * H, BOOT_A, 105 * S), LR_CLOCK_HELD);
  CHECK_INT(feed(&c, T0 + 48 * H + 1, BOOT_A, 105 * S), LR_CLOCK_HELD);
  CHECK_INT(feed(&c, T0 + 48 * H + 2, BOOT_A, 105 * S), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + 48 * H + 2);
}

/* Without monotonic time (other sources) or across a reboot, votes decide. */
static void test_votes_without_monotonic_proof(void)
{
  struct lr_entry_clock c;
  wall_now = T0 + 400 * 24 * H;
  lr_entry_clock_init(&c, fake_wall);
  feed(&c, T0, NULL, 0);
  CHECK_INT(feed(&c, T0 + 14 * H, NULL, 0), LR_CLOCK_HELD);
  CHECK_INT(feed(&c, T0 + 14 * H + S, NULL, 0), LR_CLOCK_HELD);
  CHECK_INT(feed(&c, T0 + 14 * H + 2 * S, NULL, 0), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + 14 * H + 2 * S);

  lr_entry_clock_init(&c, fake_wall);
  feed(&c, T0, BOOT_A, 100 * S);
  /* a reboot after a quiet night: another boot id, monotonic restarts at 0 */
  CHECK_INT(feed(&c, T0 + 10 * H, BOOT_B, 2 * S), LR_CLOCK_HELD);
  CHECK_INT(feed(&c, T0 + 10 * H, BOOT_B, 3 * S), LR_CLOCK_HELD);
  CHECK_INT(feed(&c, T0 + 10 * H + S, BOOT_B, 4 * S), LR_CLOCK_NEW_SECOND);
  /* from then on the new boot is the reference */
  CHECK_INT(feed(&c, T0 + 20 * H, BOOT_B, 4 * S + 10 * H), LR_CLOCK_NEW_SECOND);
}

/* A clock running ahead of the wall: entries never go further than 300 s past
 * it, and the wall clock is read only when that limit is passed. */
static void test_future_clamped(void)
{
  struct lr_entry_clock c;
  wall_now = T0;
  lr_entry_clock_init(&c, fake_wall);
  feed(&c, T0 - 10 * S, BOOT_A, 100 * S);
  CHECK_INT(feed(&c, T0 + 100 * S, BOOT_A, 210 * S), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + 100 * S);
  CHECK_INT(feed(&c, T0 + 2 * H, BOOT_A, 110 * S + 2 * H), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + LR_CLOCK_FUTURE_ALLOWANCE_USEC);
  /* far ahead, even with a consistent monotonic clock: clamped, then not a leap */
  wall_now = T0 + 1 * H;
  CHECK_INT(feed(&c, T0 + 30 * H, BOOT_A, 110 * S + 30 * H), LR_CLOCK_NEW_SECOND);
  CHECK_INT(c.now_usec, T0 + 1 * H + LR_CLOCK_FUTURE_ALLOWANCE_USEC);
}

/* Boot ids read from fields and from libsystemd compare as the same bytes. */
static void test_boot_id_bytes(void)
{
  int64_t mono;
  uint64_t boot[2];
  src.boot = BOOT_A;
  snprintf(src.mono, sizeof(src.mono), "42");
  lr_entry_begin(&e, T0, &fake_hooks, &src);
  CHECK(lr_entry_boot_time(&e, &mono, boot));
  CHECK_INT(mono, 42);
  const uint8_t want[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  CHECK(memcmp(boot, want, 16) == 0);
  src.boot = "0123456789ABCDEF0123456789abcdeg"; /* not as journald writes it */
  lr_entry_begin(&e, T0, &fake_hooks, &src);
  CHECK(!lr_entry_boot_time(&e, &mono, boot));
  src.boot = "0123";
  lr_entry_begin(&e, T0, &fake_hooks, &src);
  CHECK(!lr_entry_boot_time(&e, &mono, boot));
}

int main(void)
{
  lr_entry_init(&e);
  test_basics();
  test_quiet_gap_taken_at_once();
  test_lone_bogus_entry_held();
  test_votes_without_monotonic_proof();
  test_future_clamped();
  test_boot_id_bytes();
  lr_entry_free(&e);
  return check_done();
}
