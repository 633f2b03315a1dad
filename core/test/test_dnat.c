/* DNAT mapping store: keepSeconds rounding, bucket validity at the exact
 * boundaries, newest-live-wins, every match mask, absent values, expiry, late
 * indexes, persistence round trip, the limit, and a randomised comparison with
 * a linear-scan reference. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "state/dnat.h"

static struct lr_dnat_str S(const char *s)
{
  return (struct lr_dnat_str){s, s ? strlen(s) : 0};
}

static struct lr_dnat_values V(const char *saddr, const char *sport, const char *addr,
                               const char *port, const char *daddr, const char *dport)
{
  struct lr_dnat_values v = {.saddr = S(saddr), .sport = S(sport), .addr = S(addr),
                             .port = S(port), .daddr = S(daddr), .dport = S(dport)};
  return v;
}

/* Query on (addr, port, daddr, dport); the saddr it finds, or NULL. */
static const char *find(struct lr_dnat *m, unsigned mask, const char *addr, const char *port,
                        const char *daddr, const char *dport, int64_t now)
{
  struct lr_dnat_values q = V(NULL, NULL, addr, port, daddr, dport), f;
  return lr_dnat_lookup(m, mask, &q, now, &f) ? f.saddr.s : NULL;
}

#define AP (LR_DNAT_ADDR | LR_DNAT_PORT)

static void test_bits(void)
{
  static const struct { unsigned keep, bits; } cases[] = {
    {0, 1}, {1, 1}, {2, 2}, {3, 2}, {4, 3}, {5, 3}, {6, 3}, {7, 3}, {8, 4},
    {63, 6}, {64, 7}, {150, 8}, {4294967295u, 32},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    CHECK_INT(lr_dnat_bits(cases[i].keep), cases[i].bits);
}

static void test_boundaries(void)
{
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_index(m, AP);
  /* keepSeconds 63 -> 64 s buckets. Captured one second before a boundary:
   * valid while now >> 6 <= 99 + 1, so up to 6463. */
  struct lr_dnat_values a = V("1.1.1.1", "1000", "192.168.1.1", "40000", NULL, NULL);
  CHECK(lr_dnat_capture(m, &a, 63, 6399));
  CHECK_STR(find(m, AP, "192.168.1.1", "40000", NULL, NULL, 6399), "1.1.1.1");
  CHECK_STR(find(m, AP, "192.168.1.1", "40000", NULL, NULL, 6463), "1.1.1.1");
  CHECK(find(m, AP, "192.168.1.1", "40000", NULL, NULL, 6464) == NULL);
  /* Captured on the boundary: bucket 100, valid up to 6527 (128 s). */
  struct lr_dnat_values b = V("2.2.2.2", NULL, "192.168.1.1", "40001", NULL, NULL);
  CHECK(lr_dnat_capture(m, &b, 63, 6400));
  CHECK_STR(find(m, AP, "192.168.1.1", "40001", NULL, NULL, 6527), "2.2.2.2");
  CHECK(find(m, AP, "192.168.1.1", "40001", NULL, NULL, 6528) == NULL);
  /* A lookup from an earlier entry (clocks of merged journals) still sees it. */
  CHECK_STR(find(m, AP, "192.168.1.1", "40001", NULL, NULL, 6000), "2.2.2.2");
  /* Expiry agrees with lookups to the second. */
  CHECK_INT(lr_dnat_expire(m, 6463), 0);
  CHECK_INT(lr_dnat_expire(m, 6464), 1);
  CHECK_INT(lr_dnat_count(m), 1);
  CHECK_INT(lr_dnat_expire(m, 6527), 0);
  CHECK_INT(lr_dnat_expire(m, 6528), 1);
  CHECK_INT(lr_dnat_count(m), 0);
  /* keepSeconds 0 counts as 1: a 2 s bucket. */
  CHECK(lr_dnat_capture(m, &a, 0, 7001));
  CHECK_STR(find(m, AP, "192.168.1.1", "40000", NULL, NULL, 7003), "1.1.1.1");
  CHECK(find(m, AP, "192.168.1.1", "40000", NULL, NULL, 7004) == NULL);
  lr_dnat_free(m);
}

/* How long a mapping lives, for many keepSeconds and capture times. */
static void test_lifetime(void)
{
  struct lr_dnat *m = lr_dnat_new();
  struct lr_dnat_values v = V("s", NULL, "a", NULL, NULL, NULL);
  bool ok = true;
  for (unsigned keep = 0; keep <= 300; keep += keep < 20 ? 1 : 37) {
    unsigned eff = keep ? keep : 1;
    for (int64_t t = 100000; t < 100000 + 2 * (int64_t)eff + 5; t += eff / 3 + 1) {
      lr_dnat_expire(m, INT64_MAX);
      if (!lr_dnat_capture(m, &v, keep, t))
        ok = false;
      int64_t now = t;
      while (find(m, LR_DNAT_ADDR, "a", NULL, NULL, NULL, now))
        now++;
      int64_t life = now - t;
      int64_t p = (int64_t)1 << lr_dnat_bits(keep);
      /* more than keepSeconds, at most 4x; precisely between 2^bits + 1 and 2^(bits+1) */
      if (life <= (int64_t)eff || life > 4 * (int64_t)eff || life < p + 1 || life > 2 * p) {
        fprintf(stderr, "keep %u t %lld: lives %lld s\n", keep, (long long)t, (long long)life);
        ok = false;
      }
    }
  }
  CHECK(ok);
  lr_dnat_free(m);
}

static void test_newest_wins(void)
{
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_index(m, AP);
  struct lr_dnat_values v1 = V("10.0.0.1", "1", "p", "5", NULL, NULL);
  struct lr_dnat_values v2 = V("10.0.0.2", "2", "p", "5", NULL, NULL);
  struct lr_dnat_values v3 = V("10.0.0.3", "3", "p", "5", NULL, NULL);
  struct lr_dnat_values v4 = V("10.0.0.4", "4", "p", "5", NULL, NULL);
  /* out of order: the largest t wins, not the last captured */
  lr_dnat_capture(m, &v1, 1000, 100000);
  lr_dnat_capture(m, &v2, 1000, 100010);
  lr_dnat_capture(m, &v3, 1000, 100005);
  CHECK_STR(find(m, AP, "p", "5", NULL, NULL, 100020), "10.0.0.2");
  /* equal t: the last captured */
  lr_dnat_capture(m, &v4, 1000, 100010);
  CHECK_STR(find(m, AP, "p", "5", NULL, NULL, 100020), "10.0.0.4");
  struct lr_dnat_values q = V(NULL, NULL, "p", "5", NULL, NULL), f;
  CHECK(lr_dnat_lookup(m, AP, &q, 100020, &f));
  CHECK_STR(f.sport.s, "4");
  CHECK_INT(f.sport.len, 1);
  CHECK_STR(f.addr.s, "p");
  CHECK(f.daddr.s == NULL && f.dport.s == NULL);
  lr_dnat_free(m);

  /* Across buckets of different sizes: a short-lived newer mapping wins while
   * it lives, then the older long-lived one shows again. */
  m = lr_dnat_new();
  lr_dnat_index(m, LR_DNAT_ADDR);
  struct lr_dnat_values older = V("old", NULL, "x", NULL, NULL, NULL);
  struct lr_dnat_values newer = V("new", NULL, "x", NULL, NULL, NULL);
  lr_dnat_capture(m, &older, 1000, 2048);  /* bits 10, bucket 2: valid up to 4095 */
  lr_dnat_capture(m, &newer, 1, 2050);     /* bits 1, bucket 1025: valid up to 2053 */
  CHECK_STR(find(m, LR_DNAT_ADDR, "x", NULL, NULL, NULL, 2050), "new");
  CHECK_STR(find(m, LR_DNAT_ADDR, "x", NULL, NULL, NULL, 2053), "new");
  CHECK_STR(find(m, LR_DNAT_ADDR, "x", NULL, NULL, NULL, 2054), "old");
  CHECK_STR(find(m, LR_DNAT_ADDR, "x", NULL, NULL, NULL, 4095), "old");
  CHECK(find(m, LR_DNAT_ADDR, "x", NULL, NULL, NULL, 4096) == NULL);
  /* The long bucket gets the newest capture, so it moves ahead of the short one. */
  struct lr_dnat_values late = V("late", NULL, "x", NULL, NULL, NULL);
  lr_dnat_capture(m, &late, 1000, 2060);
  CHECK_STR(find(m, LR_DNAT_ADDR, "x", NULL, NULL, NULL, 2051), "late");
  /* Same t in two buckets: the last captured wins. */
  struct lr_dnat_values tie1 = V("tie1", NULL, "y", NULL, NULL, NULL);
  struct lr_dnat_values tie2 = V("tie2", NULL, "y", NULL, NULL, NULL);
  lr_dnat_capture(m, &tie1, 5, 2060);
  lr_dnat_capture(m, &tie2, 1000, 2060);
  CHECK_STR(find(m, LR_DNAT_ADDR, "y", NULL, NULL, NULL, 2060), "tie2");
  lr_dnat_capture(m, &tie1, 5, 2060);
  CHECK_STR(find(m, LR_DNAT_ADDR, "y", NULL, NULL, NULL, 2060), "tie1");
  lr_dnat_free(m);
}

static void test_masks(void)
{
  static const char *const base[4] = {"192.168.1.1", "43210", "10.0.0.2", "22"};
  static const char *const other[4] = {"192.168.1.2", "43211", "10.0.0.3", "23"};
  struct lr_dnat *m = lr_dnat_new();
  struct lr_dnat_values v = V("203.0.113.9", "5555", base[0], base[1], base[2], base[3]);
  lr_dnat_capture(m, &v, 63, 1000);
  for (unsigned mask = 1; mask < 16; mask++) {
    CHECK_INT(lr_dnat_index(m, mask), 0);
    CHECK_INT(lr_dnat_index(m, mask), 0); /* idempotent */
    struct lr_dnat_values q = V(NULL, NULL, base[0], base[1], base[2], base[3]), f;
    CHECK(lr_dnat_lookup(m, mask, &q, 1001, &f) && strcmp(f.saddr.s, "203.0.113.9") == 0);
    for (int i = 0; i < 4; i++) {
      bool in = mask & (1u << i);
      struct lr_dnat_values changed = q, missing = q;
      changed.field[LR_DNAT_F_ADDR + i] = S(other[i]);
      missing.field[LR_DNAT_F_ADDR + i] = S(NULL);
      /* a field outside the mask does not matter; one inside must be there and equal */
      CHECK(lr_dnat_lookup(m, mask, &changed, 1001, &f) == !in);
      CHECK(lr_dnat_lookup(m, mask, &missing, 1001, &f) == !in);
    }
  }
  CHECK_INT(lr_dnat_index(m, 0), -1);
  CHECK_INT(lr_dnat_index(m, 16), -1);
  struct lr_dnat_values q = V(NULL, NULL, base[0], base[1], base[2], base[3]), f;
  CHECK(!lr_dnat_lookup(m, 0, &q, 1001, &f));
  CHECK(!lr_dnat_lookup(m, 16, &q, 1001, &f));
  lr_dnat_free(m);
}

static void test_absent_values(void)
{
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_index(m, AP);
  lr_dnat_index(m, LR_DNAT_ADDR);
  struct lr_dnat_values noport = V("9.9.9.9", NULL, "proxy", NULL, NULL, NULL);
  CHECK(lr_dnat_capture(m, &noport, 63, 1000));
  /* a mapping without port matches no query on port, not even a portless one */
  CHECK(find(m, AP, "proxy", "1", NULL, NULL, 1000) == NULL);
  CHECK(find(m, AP, "proxy", NULL, NULL, NULL, 1000) == NULL);
  CHECK(find(m, AP, "proxy", "", NULL, NULL, 1000) == NULL);
  CHECK_STR(find(m, LR_DNAT_ADDR, "proxy", "1", NULL, NULL, 1000), "9.9.9.9");
  /* an empty value is a value: it equals an empty query value (as in Pyruse) */
  struct lr_dnat_values emptyport = V("8.8.8.8", "", "proxy", "", NULL, NULL);
  CHECK(lr_dnat_capture(m, &emptyport, 63, 1001));
  CHECK_STR(find(m, AP, "proxy", "", NULL, NULL, 1001), "8.8.8.8");
  CHECK(find(m, AP, "proxy", NULL, NULL, NULL, 1001) == NULL);
  struct lr_dnat_values q = V(NULL, NULL, "proxy", "", NULL, NULL), f;
  CHECK(lr_dnat_lookup(m, AP, &q, 1001, &f));
  CHECK(f.sport.s && f.sport.len == 0 && f.sport.s[0] == '\0');
  CHECK(f.daddr.s == NULL);
  /* saddr and addr are mandatory; over-long values are refused */
  struct lr_dnat_values nosaddr = V(NULL, NULL, "proxy", "1", NULL, NULL);
  struct lr_dnat_values noaddr = V("1.2.3.4", NULL, NULL, "1", NULL, NULL);
  CHECK(!lr_dnat_capture(m, &nosaddr, 63, 1002));
  CHECK(!lr_dnat_capture(m, &noaddr, 63, 1002));
  char *big = malloc(LR_DNAT_MAX_VALUE + 2);
  memset(big, 'x', LR_DNAT_MAX_VALUE + 1);
  big[LR_DNAT_MAX_VALUE + 1] = '\0';
  struct lr_dnat_values toolong = V("1.2.3.4", NULL, "proxy", big, NULL, NULL);
  CHECK(!lr_dnat_capture(m, &toolong, 63, 1002));
  CHECK_INT(lr_dnat_count(m), 2);
  /* the longest value is kept whole (a chunk of its own), and binary bytes too */
  big[LR_DNAT_MAX_VALUE] = '\0';
  struct lr_dnat_values longest = V("7.7.7.7", NULL, "proxy", big, NULL, NULL);
  CHECK(lr_dnat_capture(m, &longest, 63, 1002));
  CHECK_STR(find(m, AP, "proxy", big, NULL, NULL, 1002), "7.7.7.7");
  big[100] = 'y';
  CHECK(find(m, AP, "proxy", big, NULL, NULL, 1002) == NULL);
  free(big);
  struct lr_dnat_values bin = {.saddr = {"s\0t", 3}, .addr = {"a\0b", 3}};
  CHECK(lr_dnat_capture(m, &bin, 63, 1003));
  struct lr_dnat_values qb = {.addr = {"a\0b", 3}}, qc = {.addr = {"a\0c", 3}};
  CHECK(lr_dnat_lookup(m, LR_DNAT_ADDR, &qb, 1003, &f) && f.saddr.len == 3 &&
        memcmp(f.saddr.s, "s\0t", 4) == 0);
  CHECK(!lr_dnat_lookup(m, LR_DNAT_ADDR, &qc, 1003, &f));
  lr_dnat_free(m);
}

static void test_expire(void)
{
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_index(m, AP);
  char port[16];
  size_t empty = lr_dnat_memory(m);
  /* Three buckets born together that die apart: 8, 16 and 32 s long. */
  static const unsigned keep[3] = {7, 15, 31};
  for (int i = 0; i < 3000; i++) {
    snprintf(port, sizeof(port), "%d", i);
    struct lr_dnat_values v = V("1.2.3.4", NULL, "a", port, NULL, NULL);
    lr_dnat_capture(m, &v, keep[i / 1000], 800);
  }
  CHECK_INT(lr_dnat_count(m), 3000);
  size_t full = lr_dnat_memory(m);
  CHECK(full > empty + 3000 * 20);
  CHECK_INT(lr_dnat_expire(m, 815), 0);  /* 800 >> 3 = 100: lives up to 815 */
  CHECK_INT(lr_dnat_expire(m, 816), 1000);
  CHECK_INT(lr_dnat_count(m), 2000);
  size_t two = lr_dnat_memory(m);
  CHECK(two < full);
  CHECK(find(m, AP, "a", "5", NULL, NULL, 816) == NULL);
  CHECK_STR(find(m, AP, "a", "1005", NULL, NULL, 816), "1.2.3.4");
  CHECK_INT(lr_dnat_expire(m, 816), 0);
  /* lookups never rely on expire: the 16 s bucket is dead at 832 though still held */
  CHECK(find(m, AP, "a", "1005", NULL, NULL, 832) == NULL);
  CHECK_STR(find(m, AP, "a", "2005", NULL, NULL, 832), "1.2.3.4");
  CHECK_INT(lr_dnat_count(m), 2000);
  CHECK_INT(lr_dnat_expire(m, 1000000), 2000);
  CHECK_INT(lr_dnat_count(m), 0);
  CHECK(lr_dnat_memory(m) < two);
  CHECK(lr_dnat_memory(m) <= empty + 64 * sizeof(void *));
  /* a new bucket expires the dead ones on its way in */
  struct lr_dnat_values v = V("1.2.3.4", NULL, "a", "1", NULL, NULL);
  lr_dnat_capture(m, &v, 7, 2000);
  lr_dnat_capture(m, &v, 7, 2100);
  CHECK_INT(lr_dnat_count(m), 1);
  lr_dnat_free(m);
}

static void test_late_index(void)
{
  struct lr_dnat *m = lr_dnat_new();
  struct lr_dnat_values a = V("first", NULL, "a", "1", "d", "22");
  struct lr_dnat_values b = V("second", NULL, "a", "2", "d", "22");
  struct lr_dnat_values c = V("third", NULL, "a", "3", "d", "22");
  lr_dnat_capture(m, &a, 100, 1000);
  lr_dnat_capture(m, &c, 100, 999);
  lr_dnat_capture(m, &b, 100, 1001);
  lr_dnat_capture(m, &a, 3, 1000); /* another bucket */
  CHECK_INT(lr_dnat_index(m, LR_DNAT_DADDR | LR_DNAT_DPORT), 0);
  CHECK_STR(find(m, LR_DNAT_DADDR | LR_DNAT_DPORT, NULL, NULL, "d", "22", 1001), "second");
  /* never registered: the lookup registers it */
  CHECK_STR(find(m, LR_DNAT_PORT, NULL, "3", NULL, NULL, 1001), "third");
  CHECK_STR(find(m, LR_DNAT_PORT, NULL, "1", NULL, NULL, 1001), "first");
  /* captures after the index are in it too */
  struct lr_dnat_values d = V("fourth", NULL, "a", "3", "d", "22");
  lr_dnat_capture(m, &d, 100, 1002);
  CHECK_STR(find(m, LR_DNAT_PORT, NULL, "3", NULL, NULL, 1002), "fourth");
  CHECK_STR(find(m, LR_DNAT_DADDR | LR_DNAT_DPORT, NULL, NULL, "d", "22", 1002), "fourth");
  lr_dnat_free(m);
}

/* Times at the ends of int64 (a corrupt timestamp must not overflow anything). */
static void test_extreme_times(void)
{
  struct lr_dnat *m = lr_dnat_new();
  struct lr_dnat_values hi = V("hi", NULL, "h", NULL, NULL, NULL);
  struct lr_dnat_values lo = V("lo", NULL, "l", NULL, NULL, NULL);
  CHECK(lr_dnat_capture(m, &hi, 1, INT64_MAX));
  CHECK(lr_dnat_restore(m, &hi, INT64_MAX - 5, 62));
  CHECK(lr_dnat_capture(m, &lo, 4294967295u, INT64_MIN));
  CHECK(lr_dnat_restore(m, &lo, INT64_MIN, 62));
  CHECK_STR(find(m, LR_DNAT_ADDR, "h", NULL, NULL, NULL, INT64_MAX), "hi");
  CHECK_STR(find(m, LR_DNAT_ADDR, "h", NULL, NULL, NULL, INT64_MIN), "hi");
  CHECK_STR(find(m, LR_DNAT_ADDR, "l", NULL, NULL, NULL, INT64_MIN), "lo");
  /* the 62-bit "lo" is valid while now < 0, the 32-bit one until INT64_MIN + 2^33 */
  CHECK_STR(find(m, LR_DNAT_ADDR, "l", NULL, NULL, NULL, -1), "lo");
  CHECK(find(m, LR_DNAT_ADDR, "l", NULL, NULL, NULL, 0) == NULL);
  CHECK_INT(lr_dnat_expire(m, -1), 1);
  CHECK_INT(lr_dnat_expire(m, 0), 1);
  CHECK_INT(lr_dnat_expire(m, INT64_MAX), 0); /* both "hi" never die within int64 */
  CHECK_INT(lr_dnat_count(m), 2);
  lr_dnat_free(m);
}

/* ---- persistence ---- */

struct saved {
  struct lr_dnat_values v;
  char *copy[LR_DNAT_NFIELDS];
  int64_t t;
  unsigned bits;
};
struct saved_list {
  struct saved *a;
  size_t n, cap;
};

static void save_cb(void *ctx, const struct lr_dnat_values *v, int64_t t, unsigned bits)
{
  struct saved_list *l = ctx;
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 64;
    l->a = realloc(l->a, l->cap * sizeof(*l->a));
  }
  struct saved *s = &l->a[l->n++];
  for (int f = 0; f < LR_DNAT_NFIELDS; f++) {
    s->copy[f] = NULL;
    s->v.field[f] = (struct lr_dnat_str){NULL, 0};
    if (v->field[f].s) {
      s->copy[f] = malloc(v->field[f].len + 1);
      memcpy(s->copy[f], v->field[f].s, v->field[f].len + 1);
      s->v.field[f] = (struct lr_dnat_str){s->copy[f], v->field[f].len};
    }
  }
  s->t = t;
  s->bits = bits;
}

static void saved_free(struct saved_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    for (int f = 0; f < LR_DNAT_NFIELDS; f++)
      free(l->a[i].copy[f]);
  free(l->a);
  *l = (struct saved_list){0};
}

/* Saves m at `now` and returns a restored copy (indexes: the lookups register
 * them), its hash weakened to weak_bits when not 0. */
static struct lr_dnat *round_trip(struct lr_dnat *m, int64_t now, unsigned weak_bits)
{
  struct saved_list l = {0};
  CHECK_INT(lr_dnat_each(m, now, save_cb, &l), 0);
  struct lr_dnat *r = lr_dnat_new();
  lr_dnat_weaken_hash(r, weak_bits);
  bool ok = true;
  for (size_t i = 0; i < l.n; i++)
    ok &= lr_dnat_restore(r, &l.a[i].v, l.a[i].t, l.a[i].bits);
  CHECK(ok);
  saved_free(&l);
  return r;
}

static void test_round_trip(void)
{
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_index(m, AP);
  static const char *const ports[] = {"1", "2", "3", NULL};
  char saddr[32];
  for (int i = 0; i < 400; i++) {
    snprintf(saddr, sizeof(saddr), "10.0.%d.%d", i / 256, i % 256);
    struct lr_dnat_values v =
      V(saddr, i % 3 ? "77" : NULL, i % 2 ? "a" : "b", ports[i % 4], NULL, i % 5 ? "22" : NULL);
    lr_dnat_capture(m, &v, (unsigned[]){3, 20, 100}[i % 3], 5000 + i / 10 - (i % 7));
  }
  struct lr_dnat_values v = V("dead", NULL, "a", "1", NULL, NULL);
  lr_dnat_capture(m, &v, 1, 4000); /* dead at 5040: not saved */
  struct lr_dnat *r = round_trip(m, 5040, 0);
  CHECK(lr_dnat_count(r) < lr_dnat_count(m));
  bool same = true;
  static const char *const addrs[] = {"a", "b", "c"};
  for (int64_t now = 5040; now < 5300; now += 3)
    for (unsigned mask = 1; mask < 16; mask++)
      for (int a = 0; a < 3; a++)
        for (int p = 0; p < 4; p++) {
          const char *x = find(m, mask, addrs[a], ports[p], NULL, "22", now);
          const char *y = find(r, mask, addrs[a], ports[p], NULL, "22", now);
          if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
            same = false;
        }
  CHECK(same);
  /* a bits value out of range is refused */
  CHECK(!lr_dnat_restore(r, &v, 5040, 0));
  CHECK(!lr_dnat_restore(r, &v, 5040, 63));
  CHECK(lr_dnat_restore(r, &v, 5040, 62));
  lr_dnat_free(m);
  lr_dnat_free(r);
}

/* A flood within one time slice: the map stays full, only its oldest quarter
 * goes at a time, and the newest captures are all found. */
static void test_limit_flood(void)
{
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_index(m, AP);
  lr_dnat_set_limit(m, 8000);
  char port[16];
  size_t least = SIZE_MAX;
  for (int i = 0; i < 50000; i++) {
    snprintf(port, sizeof(port), "%d", i);
    struct lr_dnat_values v = V("s", NULL, "a", port, NULL, NULL);
    CHECK(lr_dnat_capture(m, &v, 3600, 1000)); /* all in one second */
    if (i >= 8000 && lr_dnat_count(m) < least)
      least = lr_dnat_count(m);
  }
  CHECK(least >= 6000); /* never more than a quarter (2,000) dropped at once */
  CHECK_INT(lr_dnat_evicted(m) + lr_dnat_count(m), 50000);
  int found = 0;
  for (int i = 50000 - 6000; i < 50000; i++) {
    snprintf(port, sizeof(port), "%d", i);
    found += find(m, AP, "a", port, NULL, NULL, 1001) != NULL;
  }
  CHECK_INT(found, 6000);
  lr_dnat_free(m);
}

static void test_limit(void)
{
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_index(m, AP);
  lr_dnat_set_limit(m, 10);
  char port[16];
  for (int i = 0; i < 10; i++) {
    snprintf(port, sizeof(port), "%d", i);
    struct lr_dnat_values v = V("s", NULL, "a", port, NULL, NULL);
    /* bucket 125 (dies at 1016) then 126 (dies at 1024) */
    CHECK(lr_dnat_capture(m, &v, 7, i < 6 ? 1000 : 1008));
  }
  CHECK_INT(lr_dnat_count(m), 10);
  CHECK_INT(lr_dnat_evicted(m), 0);
  struct lr_dnat_values v = V("s", NULL, "a", "new", NULL, NULL);
  CHECK(lr_dnat_capture(m, &v, 7, 1009));
  /* a bucket holds at most limit / 4 (here 2): only the oldest two go */
  CHECK_INT(lr_dnat_evicted(m), 2);
  CHECK_INT(lr_dnat_count(m), 9);
  CHECK(find(m, AP, "a", "0", NULL, NULL, 1009) == NULL);
  CHECK(find(m, AP, "a", "1", NULL, NULL, 1009) == NULL);
  CHECK_STR(find(m, AP, "a", "2", NULL, NULL, 1009), "s");
  CHECK_STR(find(m, AP, "a", "7", NULL, NULL, 1009), "s");
  CHECK_STR(find(m, AP, "a", "new", NULL, NULL, 1009), "s");
  /* a long-lived bucket outlives a short one captured later */
  struct lr_dnat_values w = V("w", NULL, "a", "long", NULL, NULL);
  CHECK(lr_dnat_capture(m, &w, 1000, 1000));
  lr_dnat_set_limit(m, 1);
  CHECK_INT(lr_dnat_count(m), 1);
  CHECK_INT(lr_dnat_evicted(m), 11);
  CHECK_STR(find(m, AP, "a", "long", NULL, NULL, 1009), "w");
  /* limit 0 means 1; at the limit, the only bucket goes */
  lr_dnat_set_limit(m, 0);
  CHECK(lr_dnat_capture(m, &w, 1000, 1001));
  CHECK_INT(lr_dnat_count(m), 1);
  CHECK_INT(lr_dnat_evicted(m), 12);
  lr_dnat_free(m);
}

/* ---- randomised comparison with a linear scan ---- */

struct ref_map {
  struct ref_rec {
    struct lr_dnat_values v;
    int64_t t;
    unsigned bits;
    uint64_t seq;
  } *a;
  size_t n, cap;
  uint64_t seq;
};

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;
static unsigned rnd(unsigned n)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % n);
}

static bool ref_alive(const struct ref_rec *r, int64_t now)
{
  return (now >> r->bits) <= (r->t >> r->bits) + 1;
}

static bool str_eq(struct lr_dnat_str a, struct lr_dnat_str b)
{
  return a.s && b.s && a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

static const struct ref_rec *ref_find(const struct ref_map *rm, unsigned mask,
                                      const struct lr_dnat_values *q, int64_t now)
{
  const struct ref_rec *best = NULL;
  for (size_t i = 0; i < rm->n; i++) {
    const struct ref_rec *r = &rm->a[i];
    if (!ref_alive(r, now))
      continue;
    bool match = true;
    for (int f = 0; f < 4; f++)
      if ((mask & (1u << f)) && !str_eq(r->v.field[LR_DNAT_F_ADDR + f], q->field[LR_DNAT_F_ADDR + f]))
        match = false;
    if (match && (!best || r->t > best->t || (r->t == best->t && r->seq > best->seq)))
      best = r;
  }
  return best;
}

static size_t ref_live(const struct ref_map *rm, int64_t now)
{
  size_t n = 0;
  for (size_t i = 0; i < rm->n; i++)
    n += ref_alive(&rm->a[i], now);
  return n;
}

static void ref_prune(struct ref_map *rm, int64_t now)
{
  size_t j = 0;
  for (size_t i = 0; i < rm->n; i++)
    if (ref_alive(&rm->a[i], now))
      rm->a[j++] = rm->a[i];
    else
      free((char *)rm->a[i].v.saddr.s);
  rm->n = j;
}

static const char *pick(const char *const *set, size_t n)
{
  return set[rnd((unsigned)n)];
}
#define PICK(set) pick(set, sizeof(set) / sizeof(set[0]))

/* weak_bits: 0, or the hash bits kept so that keys collide (lr_dnat_weaken_hash). */
static void test_random(unsigned weak_bits)
{
  static const char *const addrs[] = {"a", "b", "192.168.100.200", "192.168.100.201",
                                     "193.168.100.200"};
  static const char *const ports[] = {NULL, "", "1", "2", "65535"};
  static const char *const daddrs[] = {NULL, "d", "e"};
  static const char *const dports[] = {NULL, "22", "2222222222"};
  static const char *const sports[] = {NULL, "40000", ""};
  static const unsigned keeps[] = {0, 1, 3, 5, 8, 20};
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_weaken_hash(m, weak_bits);
  struct ref_map rm = {0};
  int64_t cur = 1700000000;
  int mismatches = 0, hits = 0, lookups = 0, swaps = 0;
  for (int op = 0; op < 100000 && mismatches < 5; op++) {
    unsigned r = rnd(100);
    if (r < 40) { /* capture */
      char saddr[24];
      snprintf(saddr, sizeof(saddr), "s%llu", (unsigned long long)rm.seq + 1);
      struct lr_dnat_values v = V(saddr, PICK(sports), PICK(addrs), PICK(ports), PICK(daddrs),
                                  PICK(dports));
      unsigned keep = keeps[rnd(sizeof(keeps) / sizeof(keeps[0]))];
      int64_t t = cur - rnd(3);
      if (!lr_dnat_capture(m, &v, keep, t)) {
        mismatches++;
        continue;
      }
      if (rm.n == rm.cap) {
        rm.cap = rm.cap ? rm.cap * 2 : 256;
        rm.a = realloc(rm.a, rm.cap * sizeof(*rm.a));
      }
      v.saddr.s = strdup(saddr); /* the other values are static */
      rm.a[rm.n++] = (struct ref_rec){v, t, lr_dnat_bits(keep), ++rm.seq};
    } else if (r < 88) { /* lookup */
      unsigned mask = 1 + rnd(15);
      struct lr_dnat_values q = V(NULL, NULL, PICK(addrs), PICK(ports), PICK(daddrs),
                                  PICK(dports)), f;
      const struct ref_rec *want = ref_find(&rm, mask, &q, cur);
      bool got = lr_dnat_lookup(m, mask, &q, cur, &f);
      lookups++;
      hits += got;
      bool same = got == (want != NULL);
      if (same && got)
        for (int i = 0; i < LR_DNAT_NFIELDS; i++)
          if (want->v.field[i].s ? !str_eq(want->v.field[i], f.field[i]) : f.field[i].s != NULL)
            same = false;
      if (!same) {
        fprintf(stderr, "op %d mask %u: got %s want %s\n", op, mask, got ? f.saddr.s : "none",
                want ? want->v.saddr.s : "none");
        mismatches++;
      }
    } else if (r < 97) {
      cur += rnd(4);
    } else if (r < 99) {
      lr_dnat_expire(m, cur);
      ref_prune(&rm, cur);
      if (lr_dnat_count(m) != rm.n) {
        fprintf(stderr, "op %d: count %zu want %zu\n", op, lr_dnat_count(m), rm.n);
        mismatches++;
      }
    } else if (rnd(40) == 0) { /* restart: save, restore, carry on */
      struct lr_dnat *n = round_trip(m, cur, weak_bits);
      if (lr_dnat_count(n) != ref_live(&rm, cur))
        mismatches++;
      lr_dnat_free(m);
      m = n;
      swaps++;
    } else {
      lr_dnat_index(m, 1 + rnd(15));
    }
  }
  CHECK_INT(mismatches, 0);
  CHECK(hits > lookups / 10 && hits < lookups);
  CHECK(swaps > 3);
  ref_prune(&rm, INT64_MAX);
  free(rm.a);
  lr_dnat_free(m);
}

int main(void)
{
  test_bits();
  test_boundaries();
  test_lifetime();
  test_newest_wins();
  test_masks();
  test_absent_values();
  test_expire();
  test_late_index();
  test_extreme_times();
  test_round_trip();
  test_limit();
  test_limit_flood();
  test_random(0);
  test_random(2); /* four hash values: every probe meets other keys */
  return check_done();
}
