/* fail2ban-style counters: per category, one counter per key, each raise adds a
 * tick that expires after keepSeconds. Pure in-memory; the caller persists
 * through lr_counters_each_dirty() / lr_counters_restore().
 *
 *   struct lr_counters *c = lr_counters_new();
 *   struct lr_counter_cat *ssh = lr_counters_category(c, "ssh");   // at rule load
 *   long n = lr_counters_raise(ssh, ip, iplen, 600, now);           // per entry
 *   if (n >= 5) { ban(ip); lr_counters_reset(ssh, ip, iplen, 0, now); }
 *   lr_counters_expire(c, now);                                     // cheap
 *
 * Times are the entries' own clock in seconds; nothing here reads the wall clock.
 * A tick raised at t with keep k is live while now < t + k (Pyruse drops
 * expiries <= now); a grace set at t for g seconds ignores raises while
 * now < t + g. A clock going backwards is tolerated (ticks stay sorted), but a
 * tick already dropped stays dropped.
 *
 * Keys are arbitrary bytes (NULs allowed) of at most LR_COUNTERS_MAX_KEY; a
 * longer key is refused with -1 and nothing changes. Each category holds at most
 * its limit of keys: a new key beyond it evicts the least recently raised one and
 * calls the on_evict callback. Ticks with the same expiry second share one run,
 * so a key hammered at any rate costs at most one run per distinct second.
 * Hashing is keyed per store, so hostile keys cannot aim at one bucket.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LR_COUNTERS_MAX_KEY 1024
#define LR_COUNTERS_DEFAULT_LIMIT 100000
#define LR_COUNTERS_MAX_CATEGORY 255 /* bytes of a category name (the rules refuse longer) */

struct lr_counters;
struct lr_counter_cat;

/* `count` ticks expiring at `expiry` (0: never). Runs are sorted by expiry. */
struct lr_counter_run {
  int64_t expiry;
  uint32_t count;
};

/* Callbacks run inside the store: they must not call lr_counters_* on it. */
typedef void lr_counters_evict_fn(void *ctx, const char *category, const char *key,
                                  size_t len);
/* grace_until: 0 when none. For a deleted key (dirty walk only): nruns == 0 and
 * grace_until == 0. The key is also NUL-terminated. */
typedef void lr_counters_visit_fn(void *ctx, const char *category, const char *key, size_t len,
                                  const struct lr_counter_run *runs, size_t nruns,
                                  int64_t grace_until);

struct lr_counters *lr_counters_new(void);
void lr_counters_free(struct lr_counters *c);
void lr_counters_on_evict(struct lr_counters *c, lr_counters_evict_fn *fn, void *ctx);

/* Idempotent: the same handle for the same name, valid until lr_counters_free
 * (so it survives rule reloads). */
struct lr_counter_cat *lr_counters_category(struct lr_counters *c, const char *name);
const char *lr_counters_cat_name(const struct lr_counter_cat *k);
/* Default LR_COUNTERS_DEFAULT_LIMIT; 0 counts as 1. Lowering it evicts at once. */
void lr_counters_set_limit(struct lr_counter_cat *k, size_t max_keys);
uint64_t lr_counters_evictions(const struct lr_counter_cat *k);
size_t lr_counters_cat_keys(const struct lr_counter_cat *k);

/* All four return the live count after the operation, or -1 for a refused key.
 * raise: keep_seconds <= 0 means the tick never expires; during a grace the
 *   raise is ignored and 0 is returned.
 * lower: removes the live tick that expires first (Pyruse's unused lower()
 *   dropped the last one); never below 0.
 * reset: removes the key; grace_seconds > 0 then ignores raises until now + grace.
 * get: no change besides dropping what has expired. */
long lr_counters_raise(struct lr_counter_cat *k, const char *key, size_t len,
                       int64_t keep_seconds, int64_t now);
long lr_counters_lower(struct lr_counter_cat *k, const char *key, size_t len, int64_t now);
long lr_counters_reset(struct lr_counter_cat *k, const char *key, size_t len,
                       int64_t grace_seconds, int64_t now);
long lr_counters_get(struct lr_counter_cat *k, const char *key, size_t len, int64_t now);

/* Forgets keys with no live tick and no grace left; touches only keys due by
 * now (a min-heap per category), so it costs O(categories) when none is.
 * Returns the number of keys removed. */
size_t lr_counters_expire(struct lr_counters *c, int64_t now);
size_t lr_counters_keys(const struct lr_counters *c);     /* all categories */
size_t lr_counters_memory(const struct lr_counters *c);   /* bytes requested from malloc */

/* Every key, each category from its least to its most recently raised key, so
 * restoring in visit order rebuilds the eviction order. Ticks already expired
 * but not yet dropped may be included (they expire again after a restore). */
void lr_counters_each(struct lr_counters *c, lr_counters_visit_fn *cb, void *ctx);
/* Sets a key's ticks (any order; count-0 runs skipped) and grace (0: none).
 * Restoring nothing (no live run, no grace) removes the key. Does not mark the
 * key dirty. -1: refused key. */
int lr_counters_restore(struct lr_counters *c, const char *category, const char *key,
                        size_t len, const struct lr_counter_run *runs, size_t nruns,
                        int64_t grace_until);

/* Dirty tracking, off by default (a deleted key is kept until reported, so only
 * turn it on when lr_counters_each_dirty is called regularly). each_dirty
 * visits every key whose stored state changed since its last call, deleted keys
 * included, in O(dirty keys), then forgets them. A key deleted then created
 * again is visited twice: deletion first. Turning tracking off drops the set. */
void lr_counters_track_dirty(struct lr_counters *c, bool on);
void lr_counters_each_dirty(struct lr_counters *c, lr_counters_visit_fn *cb, void *ctx);
