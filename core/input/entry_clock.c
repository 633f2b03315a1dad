#include "input/entry_clock.h"

#include <string.h>

#include "input/entry.h"

void lr_entry_clock_init(struct lr_entry_clock *c, int64_t (*wall_usec)(void))
{
  memset(c, 0, sizeof(*c));
  c->wall_usec = wall_usec;
}

/* Monotonic time stops neither for NTP steps nor for a wrong RTC: on the same
 * boot, a realtime leap that the monotonic clock also covers is time that
 * really passed. The slack covers a reference up to a second old and NTP's
 * slewing (at most 500 ppm). */
static bool monotonic_confirms(const struct lr_entry_clock *c, const struct lr_entry *e,
                               int64_t t)
{
  int64_t mono;
  uint64_t boot[2];
  if (!c->ref_known || !lr_entry_boot_time(e, &mono, boot) ||
      memcmp(boot, c->ref_boot_id, sizeof(boot)) != 0)
    return false;
  int64_t real_gap = t - c->ref_realtime_usec;
  int64_t slack = 60 * (int64_t)1000000 + real_gap / 1000;
  return mono - c->ref_monotonic_usec >= real_gap - slack;
}

static void remember_reference(struct lr_entry_clock *c, const struct lr_entry *e, int64_t t)
{
  c->ref_known = lr_entry_boot_time(e, &c->ref_monotonic_usec, c->ref_boot_id);
  c->ref_realtime_usec = t;
}

enum lr_clock_step lr_entry_clock_advance(struct lr_entry_clock *c, const struct lr_entry *e)
{
  int64_t t = e->realtime_usec;
  if (t < 0)
    return LR_CLOCK_SAME;
  if (t > c->future_limit_usec && !c->future_ok) { /* rare: the wall is read only then */
    c->future_limit_usec = c->wall_usec() + LR_CLOCK_FUTURE_ALLOWANCE_USEC;
    if (t > c->future_limit_usec)
      t = c->future_limit_usec;
  }
  if (c->now_usec > 0 && t - c->now_usec > LR_CLOCK_LEAP_USEC) {
    if (!monotonic_confirms(c, e, t) && ++c->leap_votes < LR_CLOCK_LEAP_VOTES) {
      c->leaps_held++;
      c->entry_usec = t;
      return LR_CLOCK_HELD;
    }
    c->leaps_taken++;
  }
  c->leap_votes = 0;
  if (t <= c->now_usec) {
    c->entry_usec = c->now_usec;
    return LR_CLOCK_SAME;
  }
  bool new_second = t / 1000000 != c->now_usec / 1000000;
  c->now_usec = c->entry_usec = t;
  if (!new_second)
    return LR_CLOCK_MOVED;
  remember_reference(c, e, t);
  return LR_CLOCK_NEW_SECOND;
}
