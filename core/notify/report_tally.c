#include "notify/report_tally.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/hash.h"
#include "util/xalloc.h"

#define NORMAL_MAX (LR_TALLY_SLOTS / 4 * 3) /* beyond: only "(others)" rows */
#define ALL_MAX (LR_TALLY_SLOTS - 1)        /* one slot stays free: probes end */

struct slot {
  uint64_t hash; /* 0: free */
  int64_t day;
  uint64_t n;
  int64_t first_usec, last_usec;
  uint8_t kind, alen, blen;
  char a[LR_TALLY_TEXT], b[LR_TALLY_TEXT];
};

struct lr_report_tally {
  struct lr_hash_key key;
  size_t used;
  uint64_t lost;
  int64_t day_lo, day_hi; /* the day last computed: [lo, hi) */
  struct slot slots[LR_TALLY_SLOTS];
};

struct lr_report_tally *lr_report_tally_new(void)
{
  struct lr_report_tally *t = lr_xcalloc(1, sizeof(*t));
  lr_hash_key_init(&t->key);
  t->day_hi = t->day_lo = INT64_MIN;
  return t;
}

void lr_report_tally_free(struct lr_report_tally *t) { free(t); }

static int64_t midnight_of(struct tm tm, int add_days)
{
  tm.tm_mday += add_days;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return (int64_t)mktime(&tm) * 1000000;
}

int64_t lr_report_day_start(int64_t usec)
{
  time_t s = (time_t)(usec / 1000000 - (usec % 1000000 < 0));
  struct tm tm;
  if (!localtime_r(&s, &tm))
    return 0;
  return midnight_of(tm, 0);
}

static int64_t day_of(struct lr_report_tally *t, int64_t usec)
{
  if (usec >= t->day_lo && usec < t->day_hi)
    return t->day_lo;
  time_t s = (time_t)(usec / 1000000 - (usec % 1000000 < 0));
  struct tm tm;
  if (!localtime_r(&s, &tm))
    return 0;
  t->day_lo = midnight_of(tm, 0);
  t->day_hi = midnight_of(tm, 1);
  if (t->day_hi <= t->day_lo || usec < t->day_lo) /* absurd times: no cache */
    t->day_hi = t->day_lo;
  return t->day_lo;
}

/* At most LR_TALLY_TEXT bytes, not ending inside a UTF-8 sequence. */
static size_t cut(const char *s, size_t len)
{
  if (len <= LR_TALLY_TEXT)
    return len;
  size_t n = LR_TALLY_TEXT;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return n;
}

static void sip_bytes(struct lr_sip *st, const char *s, size_t len)
{
  lr_sip_word(st, len + 1);
  for (size_t i = 0; i < len; i += 8)
    lr_sip_word(st, lr_load_le64(s + i, len - i < 8 ? len - i : 8));
}

static uint64_t hash_key(const struct lr_report_tally *t, unsigned kind, int64_t day,
                         const char *a, size_t alen, const char *b, size_t blen)
{
  struct lr_sip st;
  lr_sip_init(&st, &t->key);
  lr_sip_word(&st, (uint64_t)day);
  sip_bytes(&st, a, alen);
  sip_bytes(&st, b, blen);
  uint64_t h = lr_sip_final(&st, kind);
  return h ? h : 1;
}

/* The slot of the key, a free one for it (n == 0), or NULL when the table is
 * as full as allowed. */
static struct slot *find(struct lr_report_tally *t, uint64_t h, unsigned kind, int64_t day,
                         const char *a, size_t alen, const char *b, size_t blen, size_t max)
{
  for (size_t i = h & (LR_TALLY_SLOTS - 1);; i = (i + 1) & (LR_TALLY_SLOTS - 1)) {
    struct slot *s = &t->slots[i];
    if (!s->hash)
      return t->used < max ? s : NULL;
    if (s->hash == h && s->kind == kind && s->day == day && s->alen == alen &&
        s->blen == blen && memcmp(s->a, a, alen) == 0 && memcmp(s->b, b, blen) == 0)
      return s;
  }
}

void lr_report_tally_add(struct lr_report_tally *t, enum lr_report_count_kind kind,
                         const char *a, size_t alen, const char *b, size_t blen,
                         int64_t time_usec)
{
  int64_t day = day_of(t, time_usec);
  if (!a)
    a = "", alen = 0;
  if (!b)
    b = "", blen = 0;
  alen = cut(a, alen);
  blen = cut(b, blen);
  uint64_t h = hash_key(t, kind, day, a, alen, b, blen);
  struct slot *s = find(t, h, kind, day, a, alen, b, blen, NORMAL_MAX);
  if (!s) { /* full: the day's "(others)" row of this kind */
    alen = blen = 0;
    h = hash_key(t, kind, day, "", 0, "", 0);
    if (!(s = find(t, h, kind, day, "", 0, "", 0, ALL_MAX))) {
      t->lost++;
      return;
    }
  }
  if (!s->hash) {
    *s = (struct slot){.hash = h, .day = day, .kind = (uint8_t)kind, .alen = (uint8_t)alen,
                       .blen = (uint8_t)blen, .first_usec = time_usec, .last_usec = time_usec};
    if (alen)
      memcpy(s->a, a, alen);
    if (blen)
      memcpy(s->b, b, blen);
    t->used++;
  }
  s->n++;
  if (time_usec < s->first_usec)
    s->first_usec = time_usec;
  if (time_usec > s->last_usec)
    s->last_usec = time_usec;
}

bool lr_report_tally_wants_flush(const struct lr_report_tally *t)
{
  return t->used >= NORMAL_MAX;
}

size_t lr_report_tally_size(const struct lr_report_tally *t) { return t->used; }

void lr_report_tally_each(const struct lr_report_tally *t,
                          void (*cb)(void *ctx, const struct lr_report_tally_row *r), void *ctx)
{
  for (size_t i = 0; i < LR_TALLY_SLOTS; i++) {
    const struct slot *s = &t->slots[i];
    if (!s->hash)
      continue;
    struct lr_report_tally_row r = {(enum lr_report_count_kind)s->kind, s->day, s->a, s->b,
                                    s->alen, s->blen, s->n, s->first_usec, s->last_usec};
    cb(ctx, &r);
  }
}

void lr_report_tally_clear(struct lr_report_tally *t)
{
  if (!t->used)
    return;
  for (size_t i = 0; i < LR_TALLY_SLOTS; i++)
    t->slots[i].hash = 0;
  t->used = 0;
}

uint64_t lr_report_tally_lost(const struct lr_report_tally *t) { return t->lost; }
