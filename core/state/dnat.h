/* The DNAT mapping store behind dnatCapture / dnatReplace: which client
 * (saddr:sport) hid behind a proxy-side address (addr, port, daddr, dport).
 *
 * Mappings live in time buckets: a mapping captured at t with keepSeconds k
 * (bits = lr_dnat_bits(k)) belongs to bucket (bits, t >> bits) and is valid at
 * `now` while (now >> bits) <= (t >> bits) + 1, i.e. for 1x to about 4x k.
 * A bucket dies as a whole, so expiry frees whole buckets. Each bucket holds one
 * hash table per registered match mask, keeping the newest mapping per key; a
 * lookup probes the live buckets, newest first, and the newest live match wins
 * (largest t; equal t: the last captured). Times are the entries' own clock.
 *
 *   struct lr_dnat *m = lr_dnat_new();
 *   lr_dnat_index(m, LR_DNAT_ADDR | LR_DNAT_PORT);          // at rule load
 *   struct lr_dnat_values v = {.saddr = LR_DNAT_STR("203.0.113.7"),
 *                              .addr = LR_DNAT_STR("192.168.1.1"),
 *                              .port = LR_DNAT_STR("43210")};
 *   lr_dnat_capture(m, &v, 63, t);
 *   struct lr_dnat_values q = {.addr = ..., .port = ...}, found;
 *   if (lr_dnat_lookup(m, LR_DNAT_ADDR | LR_DNAT_PORT, &q, now, &found))
 *     use(found.saddr.s, found.sport.s);                   // sport.s may be NULL
 *   lr_dnat_expire(m, now);                                // cheap: call per entry
 *
 * A value is absent when its pointer is NULL; an empty string is a value (it
 * equals an empty string, as in Pyruse). A mapping lacking a match field, or a
 * query lacking one, matches nothing. Values are at most LR_DNAT_MAX_VALUE bytes
 * and may hold any byte. Not thread-safe. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Match fields of a replace step; a mask is a non-empty OR of them. */
enum { LR_DNAT_ADDR = 1, LR_DNAT_PORT = 2, LR_DNAT_DADDR = 4, LR_DNAT_DPORT = 8 };
#define LR_DNAT_MASKS 16 /* masks are 1..15 */

/* Positions in lr_dnat_values.field; the match bit b is field LR_DNAT_F_ADDR + log2(b). */
enum { LR_DNAT_F_SADDR, LR_DNAT_F_SPORT, LR_DNAT_F_ADDR, LR_DNAT_F_PORT,
       LR_DNAT_F_DADDR, LR_DNAT_F_DPORT, LR_DNAT_NFIELDS };

#define LR_DNAT_MAX_VALUE 65534                /* longer values are refused */
#define LR_DNAT_DEFAULT_LIMIT ((size_t)4000000) /* mappings held at most */

struct lr_dnat_str {
  const char *s; /* NULL: absent; values handed out by the map are NUL-terminated */
  size_t len;
};
#define LR_DNAT_STR(lit) ((struct lr_dnat_str){(lit), sizeof(lit) - 1})

struct lr_dnat_values {
  union {
    struct lr_dnat_str field[LR_DNAT_NFIELDS];
    struct { struct lr_dnat_str saddr, sport, addr, port, daddr, dport; };
  };
};

struct lr_dnat;

/* Never NULL: out of memory aborts (util/xalloc.h). */
struct lr_dnat *lr_dnat_new(void);
void lr_dnat_free(struct lr_dnat *m);

/* keepSeconds rounded up to a power of two, as a shift: max(1, bit length).
 * 0,1 -> 1 (2 s); 2,3 -> 2 (4 s); 4..7 -> 3 (8 s); 63 -> 6 (64 s); 64 -> 7; 150 -> 8. */
unsigned lr_dnat_bits(unsigned keep_seconds);

/* Registers a match mask (idempotent); mappings already held are indexed too.
 * -1 for a mask outside 1..15. */
int lr_dnat_index(struct lr_dnat *m, unsigned mask);

/* Stores a mapping captured at `now`. False (nothing stored) when saddr or addr
 * is absent, a value is too long, or memory runs out. A bucket takes at most a
 * quarter of the limit; then its time slice opens another (a generation). At
 * the limit, the bucket that would die first (the oldest generation) is
 * dropped early (see lr_dnat_evicted): a flood never empties the map. Opening
 * a new bucket also frees the buckets dead at `now`. */
bool lr_dnat_capture(struct lr_dnat *m, const struct lr_dnat_values *v, unsigned keep_seconds,
                     int64_t now);

/* The newest mapping valid at `now` whose `mask` fields all equal q's. On success
 * *found points into the map (all six fields, NULL when absent), valid until a
 * call that may drop mappings: capture, restore, expire, set_limit, free. An
 * unregistered mask is registered on the way (better done at rule load). */
bool lr_dnat_lookup(struct lr_dnat *m, unsigned mask, const struct lr_dnat_values *q,
                    int64_t now, struct lr_dnat_values *found);

/* Frees the buckets dead at `now`; returns the mappings dropped. O(1) while
 * nothing is due, so it can run per entry. Lookups never need it for correctness. */
size_t lr_dnat_expire(struct lr_dnat *m, int64_t now);

/* Mappings held: live ones, plus dead ones not yet expired. */
size_t lr_dnat_count(const struct lr_dnat *m);
/* Bytes allocated by the map: records, tables, bookkeeping. */
size_t lr_dnat_memory(const struct lr_dnat *m);

/* Hard cap on mappings held (default LR_DNAT_DEFAULT_LIMIT, at least 1); lowering
 * it evicts at once. lr_dnat_evicted counts mappings dropped early, ever. */
void lr_dnat_set_limit(struct lr_dnat *m, size_t limit);
size_t lr_dnat_evicted(const struct lr_dnat *m);

/* Persistence across restarts: every mapping still valid at `now`, in capture
 * order, with its capture time and bits; feeding them in that order to
 * lr_dnat_restore rebuilds a map that answers the same. The callback must not
 * change the map. */
typedef void lr_dnat_each_fn(void *ctx, const struct lr_dnat_values *v, int64_t t, unsigned bits);
int lr_dnat_each(const struct lr_dnat *m, int64_t now, lr_dnat_each_fn *cb, void *ctx);
/* False when the values are refused (as by capture) or bits is outside 1..62. */
bool lr_dnat_restore(struct lr_dnat *m, const struct lr_dnat_values *v, int64_t t, unsigned bits);

/* Tests only: keeps `bits` bits of the key hash (0 < bits < 32), so that keys
 * collide and the probing and key comparisons get exercised. Only on a map
 * without indexes yet (otherwise ignored). */
void lr_dnat_weaken_hash(struct lr_dnat *m, unsigned bits);
