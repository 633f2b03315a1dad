/* Counters: tick expiry at exact boundaries, grace, lower, expiry cost, the key
 * limit, hostile keys, persistence (each/restore, dirty set), and 200k random
 * operations against a naive model. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "state/counters.h"

#define K(s) (s), strlen(s)

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void test_raise_and_expiry(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *k = lr_counters_category(c, "ssh");
  CHECK(lr_counters_category(c, "ssh") == k);
  CHECK_STR(lr_counters_cat_name(k), "ssh");

  /* live while now < t + keep */
  CHECK_INT(lr_counters_raise(k, K("1.2.3.4"), 10, 100), 1);
  CHECK_INT(lr_counters_raise(k, K("1.2.3.4"), 10, 102), 2);
  CHECK_INT(lr_counters_raise(k, K("1.2.3.4"), 10, 105), 3);
  CHECK_INT(lr_counters_get(k, K("1.2.3.4"), 109), 3);
  CHECK_INT(lr_counters_get(k, K("1.2.3.4"), 110), 2);
  CHECK_INT(lr_counters_get(k, K("1.2.3.4"), 111), 2);
  CHECK_INT(lr_counters_get(k, K("1.2.3.4"), 112), 1);
  CHECK_INT(lr_counters_get(k, K("1.2.3.4"), 114), 1);
  CHECK_INT(lr_counters_keys(c), 1);
  CHECK_INT(lr_counters_get(k, K("1.2.3.4"), 115), 0);
  CHECK_INT(lr_counters_keys(c), 0);   /* a get that finds nothing live forgets the key */

  /* a raise counts the ticks live at its own time, itself included */
  CHECK_INT(lr_counters_raise(k, K("a"), 5, 200), 1);
  CHECK_INT(lr_counters_raise(k, K("a"), 5, 204), 2);
  CHECK_INT(lr_counters_raise(k, K("a"), 5, 205), 2);   /* the tick of 200 is gone */
  CHECK_INT(lr_counters_raise(k, K("a"), 5, 300), 1);

  /* same second, same keep: one run, counted exactly */
  int wrong = 0;
  for (int i = 1; i <= 1000; i++)
    wrong += lr_counters_raise(k, K("burst"), 60, 400) != i;
  CHECK_INT(wrong, 0);
  CHECK_INT(lr_counters_get(k, K("burst"), 459), 1000);
  CHECK_INT(lr_counters_get(k, K("burst"), 460), 0);

  /* no expiry: keep 0 or negative */
  CHECK_INT(lr_counters_raise(k, K("forever"), 0, 100), 1);
  CHECK_INT(lr_counters_raise(k, K("forever"), -5, 100), 2);
  CHECK_INT(lr_counters_raise(k, K("forever"), 10, 100), 3);
  CHECK_INT(lr_counters_get(k, K("forever"), INT64_C(1) << 40), 2);
  lr_counters_expire(c, INT64_MAX);
  CHECK_INT(lr_counters_get(k, K("forever"), INT64_MAX), 2);
  /* a keep that overflows the clock never expires either */
  CHECK_INT(lr_counters_raise(k, K("huge"), INT64_MAX, 1000), 1);
  CHECK_INT(lr_counters_get(k, K("huge"), INT64_MAX - 1), 1);

  /* a clock going backwards: the tick is inserted in order */
  CHECK_INT(lr_counters_raise(k, K("back"), 10, 500), 1);
  CHECK_INT(lr_counters_raise(k, K("back"), 10, 495), 2);   /* expires at 505 */
  CHECK_INT(lr_counters_raise(k, K("back"), 10, 498), 3);   /* 508 */
  CHECK_INT(lr_counters_get(k, K("back"), 505), 2);
  CHECK_INT(lr_counters_get(k, K("back"), 508), 1);
  CHECK_INT(lr_counters_get(k, K("back"), 510), 0);
  lr_counters_free(c);
}

static void test_independence(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *a = lr_counters_category(c, "a"), *b = lr_counters_category(c, "b");
  CHECK(a != b);
  CHECK_INT(lr_counters_raise(a, K("x"), 0, 1), 1);
  CHECK_INT(lr_counters_raise(a, K("x"), 0, 1), 2);
  CHECK_INT(lr_counters_raise(b, K("x"), 0, 1), 1);
  CHECK_INT(lr_counters_raise(a, K("y"), 0, 1), 1);
  CHECK_INT(lr_counters_get(a, K("x"), 2), 2);
  CHECK_INT(lr_counters_get(b, K("x"), 2), 1);
  CHECK_INT(lr_counters_get(b, K("y"), 2), 0);
  CHECK_INT(lr_counters_cat_keys(a), 2);
  CHECK_INT(lr_counters_cat_keys(b), 1);
  CHECK_INT(lr_counters_keys(c), 3);
  /* a handle made later for an existing name is the same category */
  CHECK(lr_counters_category(c, "b") == b);
  CHECK_INT(lr_counters_reset(b, K("x"), 0, 3), 0);
  CHECK_INT(lr_counters_get(a, K("x"), 3), 2);
  CHECK_INT(lr_counters_get(b, K("x"), 3), 0);
  lr_counters_free(c);
}

static void test_reset_and_grace(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *k = lr_counters_category(c, "web");
  lr_counters_raise(k, K("ip"), 100, 10);
  lr_counters_raise(k, K("ip"), 0, 11);
  CHECK_INT(lr_counters_reset(k, K("ip"), 0, 12), 0);
  CHECK_INT(lr_counters_get(k, K("ip"), 12), 0);
  CHECK_INT(lr_counters_keys(c), 0);
  CHECK_INT(lr_counters_reset(k, K("never seen"), 0, 12), 0);
  CHECK_INT(lr_counters_keys(c), 0);

  /* grace of 30 at 200: raises ignored while now < 230 */
  lr_counters_raise(k, K("ip"), 100, 199);
  CHECK_INT(lr_counters_reset(k, K("ip"), 30, 200), 0);
  CHECK_INT(lr_counters_get(k, K("ip"), 200), 0);
  CHECK_INT(lr_counters_raise(k, K("ip"), 100, 200), 0);
  CHECK_INT(lr_counters_raise(k, K("ip"), 100, 229), 0);
  CHECK_INT(lr_counters_lower(k, K("ip"), 229), 0);
  CHECK_INT(lr_counters_keys(c), 1);   /* the grace is held */
  lr_counters_expire(c, 229);
  CHECK_INT(lr_counters_keys(c), 1);
  CHECK_INT(lr_counters_raise(k, K("ip"), 100, 230), 1);   /* grace over exactly at 230 */
  CHECK_INT(lr_counters_raise(k, K("ip"), 100, 231), 2);

  /* a grace on a key never raised; it disappears once over */
  CHECK_INT(lr_counters_reset(k, K("new"), 5, 300), 0);
  CHECK_INT(lr_counters_raise(k, K("new"), 0, 304), 0);
  CHECK_INT(lr_counters_cat_keys(k), 2);
  CHECK_INT(lr_counters_expire(c, 304), 0);
  CHECK_INT(lr_counters_expire(c, 305), 1);
  CHECK_INT(lr_counters_cat_keys(k), 1);

  /* a later reset replaces the grace, a reset without grace removes it */
  lr_counters_reset(k, K("g"), 100, 400);
  lr_counters_reset(k, K("g"), 10, 401);
  CHECK_INT(lr_counters_raise(k, K("g"), 0, 410), 0);
  CHECK_INT(lr_counters_raise(k, K("g"), 0, 411), 1);
  lr_counters_reset(k, K("g"), 100, 412);
  lr_counters_reset(k, K("g"), 0, 413);
  CHECK_INT(lr_counters_raise(k, K("g"), 0, 414), 1);
  lr_counters_free(c);
}

static void test_lower(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *k = lr_counters_category(c, "x");
  CHECK_INT(lr_counters_lower(k, K("none"), 1), 0);
  CHECK_INT(lr_counters_keys(c), 0);
  lr_counters_raise(k, K("a"), 50, 100);   /* expires 150 */
  lr_counters_raise(k, K("a"), 10, 100);   /* 110 */
  lr_counters_raise(k, K("a"), 0, 100);    /* never */
  lr_counters_raise(k, K("a"), 30, 100);   /* 130 */
  CHECK_INT(lr_counters_lower(k, K("a"), 101), 3);   /* the 110 one goes first */
  CHECK_INT(lr_counters_get(k, K("a"), 129), 3);
  CHECK_INT(lr_counters_get(k, K("a"), 130), 2);
  CHECK_INT(lr_counters_lower(k, K("a"), 130), 1);   /* 150 */
  CHECK_INT(lr_counters_get(k, K("a"), 1000), 1);    /* the never one stays */
  CHECK_INT(lr_counters_lower(k, K("a"), 1000), 0);
  CHECK_INT(lr_counters_lower(k, K("a"), 1000), 0);  /* never below 0 */
  CHECK_INT(lr_counters_keys(c), 0);
  /* lowering a count whose ticks all expired */
  lr_counters_raise(k, K("b"), 5, 100);
  CHECK_INT(lr_counters_lower(k, K("b"), 105), 0);
  CHECK_INT(lr_counters_keys(c), 0);
  lr_counters_free(c);
}

static void test_disappear(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *k = lr_counters_category(c, "x");
  CHECK_INT(lr_counters_expire(c, 0), 0);   /* nothing at all */
  lr_counters_raise(k, K("a"), 10, 100);
  lr_counters_raise(k, K("b"), 20, 100);
  lr_counters_raise(k, K("c"), 0, 100);
  lr_counters_raise(k, K("a"), 10, 105);   /* a now may go at 115 */
  CHECK_INT(lr_counters_keys(c), 3);
  CHECK_INT(lr_counters_expire(c, 109), 0);
  CHECK_INT(lr_counters_expire(c, 110), 0);   /* a still holds its tick of 105 */
  CHECK_INT(lr_counters_get(k, K("a"), 110), 1);
  CHECK_INT(lr_counters_expire(c, 114), 0);
  CHECK_INT(lr_counters_expire(c, 115), 1);
  CHECK_INT(lr_counters_keys(c), 2);
  CHECK_INT(lr_counters_expire(c, 119), 0);
  CHECK_INT(lr_counters_expire(c, 120), 1);
  CHECK_INT(lr_counters_keys(c), 1);
  CHECK_INT(lr_counters_expire(c, INT64_C(1) << 50), 0);   /* c never expires */
  CHECK_INT(lr_counters_keys(c), 1);
  /* the clock going back after an expiry does not bring a key back */
  CHECK_INT(lr_counters_get(k, K("a"), 101), 0);
  lr_counters_free(c);
}

/* 100k keys with a long keep, one key due: expire only touches that one. */
static void test_expire_cost(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *k = lr_counters_category(c, "x");
  lr_counters_set_limit(k, 200000);   /* above the default */
  char key[32];
  for (int i = 0; i < 100000; i++) {
    int n = snprintf(key, sizeof(key), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
    lr_counters_raise(k, key, (size_t)n, 86400, 1000 + i % 7);
  }
  lr_counters_raise(k, K("due"), 5, 2000);
  CHECK_INT(lr_counters_keys(c), 100001);
  double t0 = now_ms();
  size_t none = lr_counters_expire(c, 2004);
  double t1 = now_ms();
  size_t one = lr_counters_expire(c, 2005);
  double t2 = now_ms();
  CHECK_INT(none, 0);
  CHECK_INT(one, 1);
  CHECK_INT(lr_counters_keys(c), 100000);
  printf("expire over 100001 keys: nothing due %.1f us, one due %.1f us\n", (t1 - t0) * 1e3,
         (t2 - t1) * 1e3);
  /* and all of them at once */
  double t3 = now_ms();
  CHECK_INT(lr_counters_expire(c, 1006 + 86400), 100000);
  printf("expire of 100000 due keys: %.1f ms\n", now_ms() - t3);
  CHECK_INT(lr_counters_keys(c), 0);
  lr_counters_free(c);
}

static void test_memory(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *k = lr_counters_category(c, "x");
  size_t base = lr_counters_memory(c);
  char key[32];
  int wrong = 0;
  for (int t = 0; t < 3; t++)
    for (int i = 0; i < 100000; i++) {
      int n = snprintf(key, sizeof(key), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
      wrong += lr_counters_raise(k, key, (size_t)n, 600, 1000 + t) != t + 1;
    }
  CHECK_INT(wrong, 0);
  size_t three = lr_counters_memory(c) - base;
  printf("memory: 100000 keys x 3 ticks (3 distinct seconds): %zu bytes, %.0f bytes/key\n",
         three, (double)three / 100000);
  lr_counters_free(c);

  c = lr_counters_new();
  k = lr_counters_category(c, "x");
  base = lr_counters_memory(c);
  for (int i = 0; i < 100000; i++) {
    int n = snprintf(key, sizeof(key), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
    lr_counters_raise(k, key, (size_t)n, 600, 1000);
  }
  size_t one = lr_counters_memory(c) - base;
  printf("memory: 100000 keys x 1 tick: %.0f bytes/key\n", (double)one / 100000);
  /* once all expired, the memory goes back (to the empty tables) */
  lr_counters_expire(c, 1600);
  CHECK_INT(lr_counters_keys(c), 0);
  CHECK(lr_counters_memory(c) - base < 4096);
  lr_counters_free(c);

  /* one key hammered: memory follows distinct seconds, not raises */
  c = lr_counters_new();
  k = lr_counters_category(c, "x");
  base = lr_counters_memory(c);
  for (int t = 0; t < 100; t++)
    for (int i = 0; i < 10000; i++)
      lr_counters_raise(k, K("hot"), 600, 1000 + t);
  CHECK_INT(lr_counters_get(k, K("hot"), 1099), 1000000);
  CHECK(lr_counters_memory(c) - base < 4096);
  CHECK_INT(lr_counters_get(k, K("hot"), 1650), 490000);   /* expiries 1651..1699 */
  lr_counters_free(c);
}

struct evicted {
  char cat[16], key[16];
  size_t len;
  int n;
};

static void on_evict(void *ctx, const char *category, const char *key, size_t len)
{
  struct evicted *e = ctx;
  snprintf(e->cat, sizeof(e->cat), "%s", category);
  e->len = len < sizeof(e->key) ? len : sizeof(e->key) - 1;
  memcpy(e->key, key, e->len);
  e->key[e->len] = '\0';
  e->n++;
}

static void test_limit(void)
{
  struct lr_counters *c = lr_counters_new();
  struct evicted ev = {0};
  lr_counters_on_evict(c, on_evict, &ev);
  struct lr_counter_cat *k = lr_counters_category(c, "smtp");
  struct lr_counter_cat *other = lr_counters_category(c, "other");
  lr_counters_set_limit(k, 3);
  lr_counters_raise(other, K("o"), 0, 1);
  lr_counters_raise(k, K("a"), 0, 1);
  lr_counters_raise(k, K("b"), 0, 2);
  lr_counters_raise(k, K("c"), 0, 3);
  lr_counters_raise(k, K("a"), 0, 4);   /* a is now the most recent */
  CHECK_INT(ev.n, 0);
  CHECK_INT(lr_counters_raise(k, K("d"), 0, 5), 1);
  CHECK_INT(ev.n, 1);
  CHECK_STR(ev.cat, "smtp");
  CHECK_STR(ev.key, "b");
  CHECK_INT(lr_counters_evictions(k), 1);
  CHECK_INT(lr_counters_cat_keys(k), 3);
  CHECK_INT(lr_counters_get(k, K("b"), 5), 0);
  CHECK_INT(lr_counters_get(k, K("a"), 5), 2);
  /* a grace counts as a key, and a reset with grace refreshes it */
  lr_counters_reset(k, K("c"), 100, 6);
  lr_counters_reset(k, K("e"), 100, 7);   /* evicts a (raised at 4) */
  CHECK_STR(ev.key, "a");
  CHECK_INT(lr_counters_raise(k, K("c"), 0, 8), 0);   /* grace kept */
  /* an ignored raise still counts as recent: d goes, not c */
  lr_counters_raise(k, K("f"), 0, 9);
  CHECK_STR(ev.key, "d");
  /* lowering the limit evicts at once, oldest first */
  lr_counters_set_limit(k, 1);
  CHECK_INT(lr_counters_cat_keys(k), 1);
  CHECK_INT(lr_counters_evictions(k), 5);
  CHECK_INT(lr_counters_get(k, K("f"), 10), 1);
  CHECK_INT(lr_counters_evictions(other), 0);
  CHECK_INT(lr_counters_get(other, K("o"), 10), 1);
  lr_counters_set_limit(k, 0);   /* counts as 1 */
  CHECK_INT(lr_counters_raise(k, K("g"), 0, 11), 1);
  CHECK_INT(lr_counters_cat_keys(k), 1);
  lr_counters_free(c);

  /* under a flood of distinct keys the store stays at the limit */
  c = lr_counters_new();
  k = lr_counters_category(c, "flood");
  lr_counters_set_limit(k, 1000);
  char key[32];
  for (int i = 0; i < 200000; i++) {
    int n = snprintf(key, sizeof(key), "%d", i);
    lr_counters_raise(k, key, (size_t)n, 3600, 1000 + i / 1000);
  }
  CHECK_INT(lr_counters_cat_keys(k), 1000);
  CHECK_INT(lr_counters_evictions(k), 199000);
  CHECK_INT(lr_counters_get(k, K("199999"), 1200), 1);
  CHECK_INT(lr_counters_get(k, K("0"), 1200), 0);
  CHECK(lr_counters_memory(c) < 1000 * 400);
  lr_counters_free(c);
}

static void test_hostile_keys(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *k = lr_counters_category(c, "x");
  CHECK_INT(lr_counters_raise(k, "a\0b", 3, 0, 1), 1);
  CHECK_INT(lr_counters_raise(k, "a\0c", 3, 0, 1), 1);
  CHECK_INT(lr_counters_raise(k, "a", 1, 0, 1), 1);
  CHECK_INT(lr_counters_raise(k, "a\0b", 3, 0, 1), 2);
  CHECK_INT(lr_counters_raise(k, "", 0, 0, 1), 1);
  CHECK_INT(lr_counters_raise(k, NULL, 0, 0, 1), 2);   /* the empty key */
  CHECK_INT(lr_counters_raise(k, NULL, 3, 0, 1), -1);
  CHECK_INT(lr_counters_keys(c), 4);

  char *big = malloc(1 << 20);
  memset(big, 'A', 1 << 20);
  CHECK_INT(lr_counters_raise(k, big, LR_COUNTERS_MAX_KEY, 0, 1), 1);
  CHECK_INT(lr_counters_raise(k, big, LR_COUNTERS_MAX_KEY + 1, 0, 1), -1);
  CHECK_INT(lr_counters_raise(k, big, 1 << 20, 0, 1), -1);
  CHECK_INT(lr_counters_lower(k, big, 1 << 20, 1), -1);
  CHECK_INT(lr_counters_reset(k, big, 1 << 20, 10, 1), -1);
  CHECK_INT(lr_counters_get(k, big, 1 << 20, 1), -1);
  CHECK_INT(lr_counters_restore(c, "x", big, 1 << 20, NULL, 0, 5), -1);
  CHECK_INT(lr_counters_keys(c), 5);
  CHECK_INT(lr_counters_get(k, big, LR_COUNTERS_MAX_KEY, 1), 1);
  free(big);

  /* every byte value */
  char all[256];
  for (int i = 0; i < 256; i++)
    all[i] = (char)i;
  CHECK_INT(lr_counters_raise(k, all, sizeof(all), 0, 1), 1);
  CHECK_INT(lr_counters_get(k, all, sizeof(all), 1), 1);
  CHECK_INT(lr_counters_get(k, all, sizeof(all) - 1, 1), 0);
  lr_counters_free(c);
}

/* ---- persistence ---- */

struct saved_key {
  char cat[16];
  char key[64];
  size_t len;
  struct lr_counter_run runs[8];
  size_t nruns;
  int64_t grace;
};

struct saved {
  struct saved_key k[64];
  size_t n;
};

static void save_cb(void *ctx, const char *category, const char *key, size_t len,
                    const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  struct saved *s = ctx;
  if (s->n == 64 || len >= 64 || nruns > 8) {
    CHECK(!"saved: too big for the test");
    return;
  }
  struct saved_key *sk = &s->k[s->n++];
  snprintf(sk->cat, sizeof(sk->cat), "%s", category);
  memcpy(sk->key, key, len);
  sk->key[len] = '\0';
  CHECK(key[len] == '\0');
  sk->len = len;
  if (nruns)
    memcpy(sk->runs, runs, nruns * sizeof(*runs));
  sk->nruns = nruns;
  sk->grace = grace_until;
}

static bool saved_equal(const struct saved *a, const struct saved *b)
{
  if (a->n != b->n)
    return false;
  for (size_t i = 0; i < a->n; i++) {
    const struct saved_key *x = &a->k[i], *y = &b->k[i];
    if (strcmp(x->cat, y->cat) || x->len != y->len || memcmp(x->key, y->key, x->len) ||
        x->nruns != y->nruns || x->grace != y->grace)
      return false;
    for (size_t j = 0; j < x->nruns; j++)
      if (x->runs[j].expiry != y->runs[j].expiry || x->runs[j].count != y->runs[j].count)
        return false;
  }
  return true;
}

static void test_each_restore(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *a = lr_counters_category(c, "a"), *b = lr_counters_category(c, "b");
  lr_counters_raise(a, K("x"), 10, 100);
  lr_counters_raise(a, K("x"), 10, 100);
  lr_counters_raise(a, K("x"), 0, 101);
  lr_counters_raise(a, K("x"), 20, 102);
  lr_counters_raise(a, "n\0l", 3, 5, 103);
  lr_counters_reset(b, K("x"), 50, 104);
  lr_counters_raise(b, K("y"), 7, 105);
  lr_counters_raise(a, K("z"), 7, 106);

  struct saved s1 = {0}, s2 = {0};
  lr_counters_each(c, save_cb, &s1);
  CHECK_INT(s1.n, 5);
  /* least recently raised first */
  CHECK_STR(s1.k[0].key, "x");
  CHECK_INT(s1.k[0].nruns, 3);
  CHECK_INT(s1.k[0].runs[0].expiry, 110);
  CHECK_INT(s1.k[0].runs[0].count, 2);
  CHECK_INT(s1.k[0].runs[1].expiry, 122);
  CHECK_INT(s1.k[0].runs[2].expiry, 0);   /* never */
  CHECK_INT(s1.k[0].grace, 0);
  CHECK_INT(s1.k[1].len, 3);
  CHECK_STR(s1.k[2].key, "z");
  CHECK_STR(s1.k[3].cat, "b");
  CHECK_INT(s1.k[3].nruns, 0);
  CHECK_INT(s1.k[3].grace, 154);

  struct lr_counters *d = lr_counters_new();
  for (size_t i = 0; i < s1.n; i++)
    CHECK_INT(lr_counters_restore(d, s1.k[i].cat, s1.k[i].key, s1.k[i].len, s1.k[i].runs,
                                  s1.k[i].nruns, s1.k[i].grace), 0);
  lr_counters_each(d, save_cb, &s2);
  CHECK(saved_equal(&s1, &s2));
  struct lr_counter_cat *da = lr_counters_category(d, "a"), *db = lr_counters_category(d, "b");
  CHECK_INT(lr_counters_get(da, K("x"), 109), 4);
  CHECK_INT(lr_counters_get(da, K("x"), 110), 2);
  CHECK_INT(lr_counters_raise(db, K("x"), 0, 153), 0);   /* grace restored */
  CHECK_INT(lr_counters_raise(db, K("x"), 0, 154), 1);
  /* the restored order is the eviction order: x goes first */
  lr_counters_set_limit(da, 2);
  CHECK_INT(lr_counters_get(da, K("x"), 110), 0);
  CHECK_INT(lr_counters_get(da, "n\0l", 3, 104), 1);
  CHECK_INT(lr_counters_get(da, K("z"), 107), 1);
  /* expired ticks restored are forgotten by expire */
  CHECK_INT(lr_counters_expire(d, 1000), 3);   /* a/n\0l, a/z, b/y; b/x got a never tick */
  CHECK_INT(lr_counters_keys(d), 1);

  /* unsorted, zero counts, duplicates, nothing */
  struct lr_counter_run runs[] = {{50, 1}, {0, 2}, {20, 0}, {30, 3}, {50, 4}};
  CHECK_INT(lr_counters_restore(d, "c", K("k"), runs, 5, 0), 0);
  struct lr_counter_cat *dc = lr_counters_category(d, "c");
  CHECK_INT(lr_counters_get(dc, K("k"), 29), 10);
  CHECK_INT(lr_counters_get(dc, K("k"), 30), 7);
  CHECK_INT(lr_counters_get(dc, K("k"), 50), 2);
  size_t before = lr_counters_keys(d);
  CHECK_INT(lr_counters_restore(d, "c", K("empty"), runs + 2, 1, 0), 0);
  CHECK_INT(lr_counters_keys(d), before);
  CHECK_INT(lr_counters_restore(d, "c", K("bad"), NULL, 3, 0), -1);
  /* restoring onto an existing key replaces it */
  struct lr_counter_run one = {0, 1};
  CHECK_INT(lr_counters_restore(d, "c", K("k"), &one, 1, 0), 0);
  CHECK_INT(lr_counters_get(dc, K("k"), 60), 1);
  /* ... and restoring nothing onto it removes it (a log's deleting record);
   * with dirty tracking on, the removal is not reported back as a change */
  lr_counters_track_dirty(d, true);
  before = lr_counters_keys(d);
  CHECK_INT(lr_counters_restore(d, "c", K("k"), NULL, 0, 0), 0);
  CHECK_INT(lr_counters_keys(d), before - 1);
  CHECK_INT(lr_counters_get(dc, K("k"), 60), 0);
  struct saved none = {0};
  lr_counters_each_dirty(d, save_cb, &none);
  CHECK_INT(none.n, 0);
  lr_counters_free(c);
  lr_counters_free(d);
}

static void test_dirty(void)
{
  struct lr_counters *c = lr_counters_new();
  struct lr_counter_cat *k = lr_counters_category(c, "d");
  struct saved s = {0};
  lr_counters_raise(k, K("before"), 10, 100);
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 0);   /* off by default */

  lr_counters_track_dirty(c, true);
  lr_counters_raise(k, K("a"), 10, 100);
  lr_counters_raise(k, K("b"), 10, 100);
  lr_counters_raise(k, K("a"), 10, 101);
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 2);
  CHECK_STR(s.k[0].key, "a");
  CHECK_INT(s.k[0].nruns, 2);
  CHECK_STR(s.k[1].key, "b");
  s.n = 0;
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 0);   /* cleared */
  CHECK_INT(lr_counters_get(k, K("a"), 105), 2);
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 0);   /* a get that changes nothing is not a change */

  /* deleted: reset, then deleted and created again before the walk */
  lr_counters_reset(k, K("a"), 0, 106);
  lr_counters_reset(k, K("b"), 0, 106);
  lr_counters_raise(k, K("b"), 10, 107);
  lr_counters_reset(k, K("g"), 30, 107);
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 4);
  CHECK_STR(s.k[0].key, "a");
  CHECK_INT(s.k[0].nruns, 0);
  CHECK_INT(s.k[0].grace, 0);
  CHECK_STR(s.k[1].key, "b");
  CHECK_INT(s.k[1].nruns, 0);
  CHECK_STR(s.k[2].key, "b");
  CHECK_INT(s.k[2].nruns, 1);
  CHECK_STR(s.k[3].key, "g");
  CHECK_INT(s.k[3].grace, 137);
  s.n = 0;

  /* expiry, eviction and a lazy drop are changes too */
  lr_counters_expire(c, 117);   /* before (110), b (117) */
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 2);
  CHECK_INT(s.k[0].nruns + s.k[1].nruns, 0);
  s.n = 0;
  lr_counters_raise(k, K("l"), 5, 200);
  lr_counters_raise(k, K("l"), 10, 200);
  lr_counters_each_dirty(c, save_cb, &s);
  s.n = 0;
  CHECK_INT(lr_counters_get(k, K("l"), 205), 1);
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 1);   /* l lost a tick */
  CHECK_STR(s.k[0].key, "l");
  CHECK_INT(s.k[0].nruns, 1);
  s.n = 0;
  lr_counters_set_limit(k, 1);             /* evicts g */
  lr_counters_raise(k, K("m"), 0, 206);    /* evicts l */
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 3);
  CHECK_STR(s.k[0].key, "g");
  CHECK_INT(s.k[0].nruns, 0);
  CHECK_INT(s.k[0].grace, 0);
  CHECK_STR(s.k[1].key, "l");
  CHECK_INT(s.k[1].nruns, 0);
  CHECK_STR(s.k[2].key, "m");
  CHECK_INT(s.k[2].nruns, 1);
  s.n = 0;

  /* turning it off drops pending deletions (ASan checks nothing leaks) */
  lr_counters_reset(k, K("m"), 0, 207);
  lr_counters_track_dirty(c, false);
  lr_counters_each_dirty(c, save_cb, &s);
  CHECK_INT(s.n, 0);
  lr_counters_track_dirty(c, true);
  lr_counters_raise(k, K("z"), 0, 208);
  lr_counters_reset(k, K("z"), 0, 208);   /* pending deletion freed with the store */
  lr_counters_free(c);
}

/* ---- random operations against a naive model ---- */

#define RCATS 3
#define RKEYS 100
#define NONE INT64_MIN

struct mkey {
  bool exists;
  int64_t *t;   /* expiries, unsorted; INT64_MAX: never */
  size_t n, cap;
  int64_t grace;
  uint64_t seq;   /* last raise or grace reset */
};

struct model {
  struct mkey k[RCATS][RKEYS];
  uint64_t clock;
  size_t limit;
  int evicted_cat, evicted_key;   /* -1: none */
};

static void m_delete(struct mkey *m)
{
  m->exists = false;
  m->n = 0;
  m->grace = NONE;
}

static void m_create(struct model *md, int cat, int key)
{
  size_t live = 0;
  int oldest = -1;
  for (int i = 0; i < RKEYS; i++)
    if (md->k[cat][i].exists) {
      live++;
      if (oldest < 0 || md->k[cat][i].seq < md->k[cat][oldest].seq)
        oldest = i;
    }
  if (live >= md->limit) {
    m_delete(&md->k[cat][oldest]);
    md->evicted_cat = cat;
    md->evicted_key = oldest;
  }
  struct mkey *m = &md->k[cat][key];
  m->exists = true;
  m->n = 0;
  m->grace = NONE;
}

static void m_touch(struct mkey *m, int64_t now)
{
  size_t o = 0;
  for (size_t i = 0; i < m->n; i++)
    if (m->t[i] == INT64_MAX || m->t[i] > now)
      m->t[o++] = m->t[i];
  m->n = o;
  if (m->grace != NONE && m->grace <= now)
    m->grace = NONE;
}

static long m_raise(struct model *md, int cat, int key, int64_t keep, int64_t now)
{
  struct mkey *m = &md->k[cat][key];
  if (m->exists)
    m_touch(m, now);
  else
    m_create(md, cat, key);
  m->seq = ++md->clock;
  if (m->grace != NONE && m->grace > now)
    return 0;
  if (m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 8;
    m->t = realloc(m->t, m->cap * sizeof(*m->t));
  }
  m->t[m->n++] = keep > 0 ? now + keep : INT64_MAX;
  return (long)m->n;
}

static long m_lower(struct model *md, int cat, int key, int64_t now)
{
  struct mkey *m = &md->k[cat][key];
  if (!m->exists)
    return 0;
  m_touch(m, now);
  if (m->grace != NONE && m->grace > now)
    return 0;
  if (m->n) {
    size_t min = 0;
    for (size_t i = 1; i < m->n; i++)
      if (m->t[i] < m->t[min])
        min = i;
    m->t[min] = m->t[--m->n];
  }
  if (m->n == 0)
    m_delete(m);
  return (long)m->n;
}

static long m_reset(struct model *md, int cat, int key, int64_t grace, int64_t now)
{
  struct mkey *m = &md->k[cat][key];
  if (grace > 0) {
    if (!m->exists)
      m_create(md, cat, key);
    m->seq = ++md->clock;
    m->n = 0;
    m->grace = now + grace;
  } else if (m->exists) {
    m_delete(m);
  }
  return 0;
}

static long m_get(struct model *md, int cat, int key, int64_t now)
{
  struct mkey *m = &md->k[cat][key];
  if (!m->exists)
    return 0;
  m_touch(m, now);
  if (m->grace != NONE && m->grace > now)
    return 0;
  if (m->n == 0)
    m_delete(m);
  return (long)m->n;
}

static size_t m_expire(struct model *md, int64_t now)
{
  size_t removed = 0;
  for (int c = 0; c < RCATS; c++)
    for (int i = 0; i < RKEYS; i++) {
      struct mkey *m = &md->k[c][i];
      if (!m->exists)
        continue;
      int64_t due = m->grace;
      for (size_t j = 0; j < m->n; j++)
        if (m->t[j] > due)
          due = m->t[j];
      if (due <= now && due != INT64_MAX) {
        m_delete(m);
        removed++;
      }
    }
  return removed;
}

static size_t m_keys(const struct model *md)
{
  size_t n = 0;
  for (int c = 0; c < RCATS; c++)
    for (int i = 0; i < RKEYS; i++)
      n += md->k[c][i].exists;
  return n;
}

/* A snapshot as the API shows it: sorted expanded expiries (INT64_MAX: never). */
struct snap_key {
  bool exists;
  int64_t *t;
  size_t n, cap;
  int64_t grace;   /* NONE: none */
};

struct snap {
  struct snap_key k[RCATS][RKEYS];
  uint64_t last_seq[RCATS];
  const struct model *order;   /* when set, check visit order against the model's */
  bool ok;
};

static int cmp_i64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static bool parse_ids(const char *category, const char *key, size_t len, int *cat, int *id)
{
  if (category[0] != 'c' || len < 2 || key[0] != 'k')
    return false;
  *cat = atoi(category + 1);
  *id = atoi(key + 1);
  return *cat >= 0 && *cat < RCATS && *id >= 0 && *id < RKEYS;
}

static void snap_cb(void *ctx, const char *category, const char *key, size_t len,
                    const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  struct snap *s = ctx;
  int cat, id;
  if (!parse_ids(category, key, len, &cat, &id)) {
    s->ok = false;
    return;
  }
  struct snap_key *sk = &s->k[cat][id];
  if (s->order) {
    uint64_t seq = s->order->k[cat][id].seq;
    if (sk->exists || seq <= s->last_seq[cat])
      s->ok = false;   /* visited twice, or not least recent first */
    s->last_seq[cat] = seq;
  }
  sk->n = 0;
  sk->grace = grace_until ? grace_until : NONE;
  sk->exists = nruns || grace_until;
  for (size_t i = 0; i < nruns; i++)
    for (uint32_t j = 0; j < runs[i].count; j++) {
      if (sk->n == sk->cap) {
        sk->cap = sk->cap ? sk->cap * 2 : 8;
        sk->t = realloc(sk->t, sk->cap * sizeof(*sk->t));
      }
      sk->t[sk->n++] = runs[i].expiry ? runs[i].expiry : INT64_MAX;
    }
  if (sk->n > 1)
    for (size_t i = 1; i < sk->n; i++)
      if (sk->t[i - 1] > sk->t[i])
        s->ok = false;   /* runs must come sorted */
}

static void snap_clear(struct snap *s)
{
  for (int c = 0; c < RCATS; c++) {
    s->last_seq[c] = 0;
    for (int i = 0; i < RKEYS; i++)
      s->k[c][i].exists = false;
  }
  s->ok = true;
}

static void snap_free(struct snap *s)
{
  for (int c = 0; c < RCATS; c++)
    for (int i = 0; i < RKEYS; i++)
      free(s->k[c][i].t);
}

static bool same_key(const struct snap_key *a, bool exists, const int64_t *t, size_t n,
                     int64_t grace)
{
  if (a->exists != exists)
    return false;
  if (!exists)
    return true;
  if (a->n != n || a->grace != grace)
    return false;
  return n == 0 || memcmp(a->t, t, n * sizeof(*t)) == 0;
}

static bool snap_matches_model(const struct snap *s, const struct model *md)
{
  int64_t sorted[4096];
  for (int c = 0; c < RCATS; c++)
    for (int i = 0; i < RKEYS; i++) {
      const struct mkey *m = &md->k[c][i];
      if (m->n > 4096)
        return false;
      if (m->n)
        memcpy(sorted, m->t, m->n * sizeof(*m->t));
      qsort(sorted, m->n, sizeof(*sorted), cmp_i64);
      /* a model key with no tick and no grace exists only transiently: never here */
      if (!same_key(&s->k[c][i], m->exists, sorted, m->n, m->grace)) {
        fprintf(stderr, "mismatch at c%d/k%d: exists %d/%d n %zu/%zu\n", c, i,
                s->k[c][i].exists, m->exists, s->k[c][i].n, m->n);
        return false;
      }
    }
  return true;
}

static bool snaps_equal(const struct snap *a, const struct snap *b)
{
  for (int c = 0; c < RCATS; c++)
    for (int i = 0; i < RKEYS; i++) {
      const struct snap_key *y = &b->k[c][i];
      if (!same_key(&a->k[c][i], y->exists, y->t, y->n, y->grace))
        return false;
    }
  return true;
}

static uint64_t rng_state = 0x853c49e6748fea9bULL;
static uint32_t rnd(uint32_t n)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)((rng_state >> 16) % n);
}

static void on_evict_model(void *ctx, const char *category, const char *key, size_t len)
{
  int *ids = ctx;
  if (!parse_ids(category, key, len, &ids[0], &ids[1]))
    ids[0] = ids[1] = -2;
}

static void random_run(int ops, size_t limit)
{
  struct model *md = calloc(1, sizeof(*md));
  struct snap *cur = calloc(1, sizeof(*cur)), *db = calloc(1, sizeof(*db));
  md->limit = limit;
  for (int c = 0; c < RCATS; c++)
    for (int i = 0; i < RKEYS; i++)
      md->k[c][i].grace = NONE;
  struct lr_counters *lc = lr_counters_new();
  int evicted[2] = {-1, -1};
  lr_counters_on_evict(lc, on_evict_model, evicted);
  lr_counters_track_dirty(lc, true);
  struct lr_counter_cat *cats[RCATS];
  for (int c = 0; c < RCATS; c++) {
    char name[8];
    snprintf(name, sizeof(name), "c%d", c);
    cats[c] = lr_counters_category(lc, name);
    lr_counters_set_limit(cats[c], limit);
  }
  snap_clear(db);

  int64_t now = 1000;
  int mismatches = 0, snapshots = 0;
  size_t max_keys = 0;
  for (int op = 0; op < ops && mismatches < 5; op++) {
    now += rnd(3);
    if (rnd(50) == 0)
      now -= rnd(12);   /* out-of-order entries */
    int c = (int)rnd(RCATS), id = (int)rnd(RKEYS);
    char key[16];
    int klen = snprintf(key, sizeof(key), "k%d", id);
    md->evicted_cat = md->evicted_key = evicted[0] = evicted[1] = -1;
    long got, want;
    uint32_t what = rnd(100);
    if (what < 50) {
      int64_t keep = rnd(10) == 0 ? 0 : 1 + rnd(40);
      got = lr_counters_raise(cats[c], key, (size_t)klen, keep, now);
      want = m_raise(md, c, id, keep, now);
    } else if (what < 60) {
      got = lr_counters_lower(cats[c], key, (size_t)klen, now);
      want = m_lower(md, c, id, now);
    } else if (what < 67) {
      int64_t grace = rnd(2) ? 0 : 1 + rnd(30);
      got = lr_counters_reset(cats[c], key, (size_t)klen, grace, now);
      want = m_reset(md, c, id, grace, now);
    } else if (what < 82) {
      got = lr_counters_get(cats[c], key, (size_t)klen, now);
      want = m_get(md, c, id, now);
    } else {
      got = (long)lr_counters_expire(lc, now);
      want = (long)m_expire(md, now);
      if (lr_counters_keys(lc) != m_keys(md)) {
        fprintf(stderr, "op %d: keys %zu, model %zu\n", op, lr_counters_keys(lc), m_keys(md));
        mismatches++;
      }
    }
    if (got != want || evicted[0] != md->evicted_cat || evicted[1] != md->evicted_key) {
      fprintf(stderr, "op %d (%u) c%d/k%d at %" PRId64 ": got %ld, model %ld; evicted %d/%d, model %d/%d\n",
              op, what, c, id, now, got, want, evicted[0], evicted[1], md->evicted_cat,
              md->evicted_key);
      mismatches++;
    }
    if (lr_counters_keys(lc) > max_keys)
      max_keys = lr_counters_keys(lc);
    if (rnd(100) == 0)
      lr_counters_each_dirty(lc, snap_cb, db);   /* the "database" follows the changes */
    if (op % 2000 == 1999) {
      snap_clear(cur);
      cur->order = md;
      lr_counters_each(lc, snap_cb, cur);
      lr_counters_each_dirty(lc, snap_cb, db);
      snapshots++;
      if (!cur->ok || !snap_matches_model(cur, md)) {
        fprintf(stderr, "op %d: snapshot differs from the model\n", op);
        mismatches++;
      }
      if (!db->ok || !snaps_equal(db, cur)) {
        fprintf(stderr, "op %d: dirty-tracked copy differs\n", op);
        mismatches++;
      }
    }
  }
  CHECK_INT(mismatches, 0);
  CHECK(snapshots > 0);
  if (limit < RKEYS)
    CHECK(max_keys <= RCATS * limit);
  uint64_t evictions = 0;
  for (int c = 0; c < RCATS; c++)
    evictions += lr_counters_evictions(cats[c]);
  if (limit < RKEYS)
    CHECK(evictions > 0);
  printf("random: %d ops, limit %zu, %d snapshots, at most %zu keys, %" PRIu64 " evictions\n",
         ops, limit, snapshots, max_keys, evictions);
  lr_counters_free(lc);
  for (int c = 0; c < RCATS; c++)
    for (int i = 0; i < RKEYS; i++)
      free(md->k[c][i].t);
  snap_free(cur);
  snap_free(db);
  free(md);
  free(cur);
  free(db);
}

int main(void)
{
  test_raise_and_expiry();
  test_independence();
  test_reset_and_grace();
  test_lower();
  test_disappear();
  test_expire_cost();
  test_memory();
  test_limit();
  test_hostile_keys();
  test_each_restore();
  test_dirty();
  random_run(200000, 1000);   /* no eviction */
  random_run(100000, 25);     /* eviction all the time */
  return check_done();
}
