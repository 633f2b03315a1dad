#include "state/dnat.h"
#include "util/hash.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Records are packed into chunks owned by their bucket and are referenced from
 * the hash tables by a 32-bit ref: chunk number << 13 | offset / 8. */
#define DNAT_CHUNK_SIZE (64 * 1024)
#define DNAT_OFF_BITS 13
#define DNAT_MAX_CHUNKS (UINT32_C(1) << (32 - DNAT_OFF_BITS))
#define DNAT_ABSENT UINT16_MAX
#define DNAT_MIN_SLOTS 16
#define DNAT_MAX_BITS 62
#define DNAT_GENERATIONS 4 /* at the limit, at most a quarter of the map goes at a time */

struct dnat_rec {
  int64_t t;
  uint64_t seq;                    /* capture order, for ties on t */
  uint16_t len[LR_DNAT_NFIELDS];   /* DNAT_ABSENT when the value is absent */
  char data[];                     /* present values in storage order, each NUL-terminated */
};

/* Match fields first, so that a probe compares bytes next to the header. */
static const int dnat_order[LR_DNAT_NFIELDS] = {
  LR_DNAT_F_ADDR, LR_DNAT_F_PORT, LR_DNAT_F_DADDR, LR_DNAT_F_DPORT,
  LR_DNAT_F_SADDR, LR_DNAT_F_SPORT,
};

struct dnat_chunk {
  uint32_t used, size;             /* bytes, this header included */
};
#define DNAT_CHUNK_HDR ((uint32_t)((sizeof(struct dnat_chunk) + 7) & ~(size_t)7))

/* Open addressing, linear probing. One slot per distinct key: the newest record
 * of the bucket for that key. h is a 32-bit hash that also picks the home slot,
 * so growing never touches the records. ref 0 marks an empty slot. */
struct dnat_slot {
  uint32_t h, ref;
};
struct dnat_table {
  struct dnat_slot *slots;
  uint32_t cap, n;                 /* cap: 0 or a power of two */
};

struct dnat_bucket {
  int64_t k;                       /* t >> bits of every record */
  unsigned bits;
  int64_t tmax;                    /* newest capture time held */
  int64_t deadline;                /* first second when the whole bucket is dead */
  size_t count, bytes;
  uint64_t gen;                    /* order of creation: of one time slice, the last takes captures */
  struct dnat_chunk **chunks;
  uint32_t nchunks, chunks_cap;
  struct dnat_table tab[LR_DNAT_MASKS]; /* by mask; only registered masks are filled */
};

struct lr_dnat {
  struct dnat_bucket **b;          /* by tmax, newest first: lookups stop early */
  size_t nb, bcap;
  struct dnat_bucket *last;        /* bucket of the previous capture */
  unsigned masks;                  /* bit (1 << mask) per registered mask */
  struct lr_hash_key key;
  uint64_t seq, gens;
  uint32_t hash_mask;              /* all ones, but for lr_dnat_weaken_hash */
  size_t count, limit, evicted;
  int64_t next_deadline;           /* smallest bucket deadline: expire's fast path */
};

/* ---- time ------------------------------------------------------------------- */

unsigned lr_dnat_bits(unsigned keep_seconds)
{
  unsigned bits = 0;
  for (; keep_seconds; keep_seconds >>= 1)
    bits++;
  return bits ? bits : 1; /* 0 s would make a mapping dead within the second */
}

static bool dnat_alive(const struct dnat_bucket *b, int64_t now)
{
  return (now >> b->bits) <= b->k + 1;
}

/* (k + 2) << bits, saturated at INT64_MAX for a bucket that never dies within
 * int64 (k >= INT64_MIN >> bits keeps the product above INT64_MIN). */
static int64_t dnat_deadline(int64_t k, unsigned bits)
{
  if (k + 2 > (INT64_MAX >> bits))
    return INT64_MAX;
  return (k + 2) * ((int64_t)1 << bits);
}

/* ---- records ---------------------------------------------------------------- */

static size_t dnat_rec_size(const uint16_t *len)
{
  size_t n = offsetof(struct dnat_rec, data);
  for (int f = 0; f < LR_DNAT_NFIELDS; f++)
    if (len[f] != DNAT_ABSENT)
      n += (size_t)len[f] + 1;
  return (n + 7) & ~(size_t)7;
}

static void dnat_rec_values(const struct dnat_rec *r, struct lr_dnat_values *out)
{
  const char *p = r->data;
  for (int i = 0; i < LR_DNAT_NFIELDS; i++) {
    int f = dnat_order[i];
    if (r->len[f] == DNAT_ABSENT) {
      out->field[f] = (struct lr_dnat_str){NULL, 0};
    } else {
      out->field[f] = (struct lr_dnat_str){p, r->len[f]};
      p += r->len[f] + 1;
    }
  }
}

static inline bool dnat_bytes_eq(const char *a, const char *b, size_t n)
{
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    if (x != y)
      return false;
  }
  while (n--)
    if (*a++ != *b++)
      return false;
  return true;
}

/* The record holds every masked field, equal to q's (q's are known present). */
static bool dnat_rec_match(const struct dnat_rec *r, unsigned mask, const struct lr_dnat_str *q)
{
  const char *p = r->data;
  for (int i = 0; i < 4; i++) {
    uint16_t len = r->len[LR_DNAT_F_ADDR + i];
    if (mask & (1u << i)) {
      const struct lr_dnat_str *x = &q[LR_DNAT_F_ADDR + i];
      if (len == DNAT_ABSENT || len != x->len || !dnat_bytes_eq(p, x->s, len))
        return false;
    }
    if (len != DNAT_ABSENT)
      p += len + 1;
  }
  return true;
}

static struct dnat_rec *dnat_rec_at(const struct dnat_bucket *b, uint32_t ref)
{
  char *chunk = (char *)b->chunks[ref >> DNAT_OFF_BITS];
  return (struct dnat_rec *)(chunk + ((size_t)(ref & ((1u << DNAT_OFF_BITS) - 1)) << 3));
}

static bool dnat_newer(const struct dnat_rec *a, const struct dnat_rec *b)
{
  return a->t > b->t || (a->t == b->t && a->seq > b->seq);
}

/* ---- keys ------------------------------------------------------------------- */

/* The masked values through SipHash (hash.h), each preceded by its length so
 * that ("ab","c") and ("a","bc") differ. */
static uint32_t dnat_hash(const struct lr_hash_key *key, unsigned mask, const struct lr_dnat_str *f)
{
  struct lr_sip st;
  lr_sip_init(&st, key);
  uint64_t words = 0;
  for (int i = 0; i < 4; i++) {
    if (!(mask & (1u << i)))
      continue;
    const char *p = f[LR_DNAT_F_ADDR + i].s;
    size_t len = f[LR_DNAT_F_ADDR + i].len;
    lr_sip_word(&st, len + 1);
    words++;
    for (; len >= 8; p += 8, len -= 8, words++)
      lr_sip_word(&st, lr_load_le64(p, 8));
    if (len) {
      lr_sip_word(&st, lr_load_le64(p, len));
      words++;
    }
  }
  return lr_hash32(lr_sip_final(&st, words << 59));
}

static uint32_t dnat_key_hash(const struct lr_dnat *m, unsigned mask, const struct lr_dnat_str *f)
{
  return dnat_hash(&m->key, mask, f) & m->hash_mask;
}

static bool dnat_has_key(unsigned mask, const struct lr_dnat_str *f)
{
  for (int i = 0; i < 4; i++)
    if ((mask & (1u << i)) && !f[LR_DNAT_F_ADDR + i].s)
      return false;
  return true;
}

/* ---- per-bucket tables -------------------------------------------------------- */

static bool dnat_table_reserve(struct dnat_bucket *b, struct dnat_table *tab)
{
  if (tab->cap && (tab->n + 1) <= tab->cap / 4 * 3)
    return true;
  uint32_t cap = tab->cap ? tab->cap * 2 : DNAT_MIN_SLOTS;
  if (cap == 0)
    return false; /* 2^32 slots: never in practice */
  struct dnat_slot *slots = lr_xcalloc(cap, sizeof(*slots));
  for (uint32_t i = 0; i < tab->cap; i++) {
    struct dnat_slot s = tab->slots[i];
    if (!s.ref)
      continue;
    uint32_t j = s.h & (cap - 1);
    while (slots[j].ref)
      j = (j + 1) & (cap - 1);
    slots[j] = s;
  }
  b->bytes += ((size_t)cap - tab->cap) * sizeof(*slots);
  free(tab->slots);
  tab->slots = slots;
  tab->cap = cap;
  return true;
}

/* Makes `ref` the key's entry unless the bucket already holds a newer one. */
static void dnat_table_put(struct dnat_bucket *b, struct dnat_table *tab, unsigned mask,
                           uint32_t h, uint32_t ref, const struct lr_dnat_values *v)
{
  const struct dnat_rec *r = dnat_rec_at(b, ref);
  uint32_t i = h & (tab->cap - 1);
  for (;; i = (i + 1) & (tab->cap - 1)) {
    struct dnat_slot *s = &tab->slots[i];
    if (!s->ref) {
      *s = (struct dnat_slot){h, ref};
      tab->n++;
      return;
    }
    if (s->h != h)
      continue;
    const struct dnat_rec *old = dnat_rec_at(b, s->ref);
    if (dnat_rec_match(old, mask, v->field)) {
      if (!dnat_newer(old, r))
        s->ref = ref;
      return;
    }
  }
}

static const struct dnat_rec *dnat_table_find(const struct dnat_bucket *b,
                                              const struct dnat_table *tab, unsigned mask,
                                              uint32_t h, const struct lr_dnat_values *q)
{
  if (!tab->cap)
    return NULL;
  for (uint32_t i = h & (tab->cap - 1);; i = (i + 1) & (tab->cap - 1)) {
    const struct dnat_slot *s = &tab->slots[i];
    if (!s->ref)
      return NULL;
    if (s->h != h)
      continue;
    const struct dnat_rec *r = dnat_rec_at(b, s->ref);
    if (dnat_rec_match(r, mask, q->field))
      return r;
  }
}

/* ---- buckets -------------------------------------------------------------------- */

static void dnat_bucket_free(struct dnat_bucket *b)
{
  for (uint32_t i = 0; i < b->nchunks; i++)
    free(b->chunks[i]);
  free(b->chunks);
  for (int i = 0; i < LR_DNAT_MASKS; i++)
    free(b->tab[i].slots);
  free(b);
}

/* Walks a bucket's records in capture order: ref of the first, then of the next. */
static uint32_t dnat_ref_make(uint32_t chunk, uint32_t off)
{
  return chunk << DNAT_OFF_BITS | off >> 3;
}

static uint32_t dnat_ref_next(const struct dnat_bucket *b, uint32_t chunk, uint32_t off)
{
  while (chunk < b->nchunks) {
    if (off < b->chunks[chunk]->used)
      return dnat_ref_make(chunk, off);
    chunk++;
    off = DNAT_CHUNK_HDR;
  }
  return 0;
}

static uint32_t dnat_ref_first(const struct dnat_bucket *b)
{
  return dnat_ref_next(b, 0, DNAT_CHUNK_HDR);
}

static uint32_t dnat_ref_after(const struct dnat_bucket *b, uint32_t ref)
{
  uint32_t chunk = ref >> DNAT_OFF_BITS;
  uint32_t off = (ref & ((1u << DNAT_OFF_BITS) - 1)) << 3;
  return dnat_ref_next(b, chunk, off + (uint32_t)dnat_rec_size(dnat_rec_at(b, ref)->len));
}

/* Room for `size` bytes of record; its ref, or 0 when the bucket has no more chunks. */
static uint32_t dnat_bucket_alloc(struct dnat_bucket *b, size_t size)
{
  struct dnat_chunk *c = b->nchunks ? b->chunks[b->nchunks - 1] : NULL;
  if (c && c->size - c->used >= size) {
    uint32_t off = c->used;
    c->used += (uint32_t)size;
    return dnat_ref_make(b->nchunks - 1, off);
  }
  if (b->nchunks == DNAT_MAX_CHUNKS)
    return 0;
  if (b->nchunks == b->chunks_cap) {
    uint32_t cap = b->chunks_cap ? b->chunks_cap * 2 : 4;
    if (cap > DNAT_MAX_CHUNKS)
      cap = DNAT_MAX_CHUNKS;
    struct dnat_chunk **chunks = lr_xreallocarray(b->chunks, cap, sizeof(*chunks));
    b->bytes += (size_t)(cap - b->chunks_cap) * sizeof(*chunks);
    b->chunks = chunks;
    b->chunks_cap = cap;
  }
  /* A record too big for a shared chunk gets one of its own, at offset 8. */
  size_t csize = DNAT_CHUNK_HDR + size > DNAT_CHUNK_SIZE ? DNAT_CHUNK_HDR + size : DNAT_CHUNK_SIZE;
  c = lr_xmalloc(csize);
  c->size = (uint32_t)csize;
  c->used = DNAT_CHUNK_HDR + (uint32_t)size;
  b->bytes += csize;
  b->chunks[b->nchunks++] = c;
  return dnat_ref_make(b->nchunks - 1, DNAT_CHUNK_HDR);
}

static void dnat_update_deadline(struct lr_dnat *m)
{
  m->next_deadline = INT64_MAX;
  for (size_t i = 0; i < m->nb; i++)
    if (m->b[i]->deadline < m->next_deadline)
      m->next_deadline = m->b[i]->deadline;
}

static void dnat_drop(struct lr_dnat *m, size_t i)
{
  struct dnat_bucket *b = m->b[i];
  m->count -= b->count;
  if (m->last == b)
    m->last = NULL;
  dnat_bucket_free(b);
  memmove(&m->b[i], &m->b[i + 1], (m->nb - i - 1) * sizeof(*m->b));
  m->nb--;
}

/* Keeps m->b ordered by tmax after bucket i got newer. */
static void dnat_bubble(struct lr_dnat *m, size_t i)
{
  for (; i > 0 && m->b[i - 1]->tmax < m->b[i]->tmax; i--) {
    struct dnat_bucket *tmp = m->b[i - 1];
    m->b[i - 1] = m->b[i];
    m->b[i] = tmp;
  }
}

static void dnat_touch(struct lr_dnat *m, struct dnat_bucket *b, int64_t t)
{
  if (t <= b->tmax)
    return;
  b->tmax = t;
  if (m->b[0] == b)
    return;
  for (size_t i = 1; i < m->nb; i++)
    if (m->b[i] == b) {
      dnat_bubble(m, i);
      return;
    }
}

/* Mappings a bucket takes before its time slice opens a new one (a
 * generation): at the limit the oldest generation goes, so a flood within one
 * keepSeconds evicts a quarter of the map at a time, not all of it (fewer
 * generations: fewer buckets for a lookup to probe). */
static size_t dnat_generation_cap(const struct lr_dnat *m)
{
  size_t cap = m->limit / DNAT_GENERATIONS;
  return cap ? cap : 1;
}

static struct dnat_bucket *dnat_bucket_get(struct lr_dnat *m, unsigned bits, int64_t t)
{
  int64_t k = t >> bits;
  size_t cap = dnat_generation_cap(m);
  struct dnat_bucket *b = m->last;
  if (b && b->bits == bits && b->k == k && b->count < cap)
    return b;
  b = NULL;
  for (size_t i = 0; i < m->nb; i++)
    if (m->b[i]->bits == bits && m->b[i]->k == k && (!b || m->b[i]->gen > b->gen))
      b = m->b[i];
  if (b && b->count < cap)
    return m->last = b;
  /* A new bucket: a good moment to free the dead ones, which bounds their number. */
  lr_dnat_expire(m, t);
  LR_GROW(m->b, m->nb + 1, m->bcap, 8);
  b = lr_xcalloc(1, sizeof(*b));
  b->k = k;
  b->bits = bits;
  b->gen = ++m->gens;
  b->tmax = t;
  b->deadline = dnat_deadline(k, bits);
  b->bytes = sizeof(*b);
  m->b[m->nb++] = b;
  dnat_bubble(m, m->nb - 1);
  if (b->deadline < m->next_deadline)
    m->next_deadline = b->deadline;
  return m->last = b;
}

/* Drops the bucket that would die first (the oldest on ties, then the
 * earliest generation). */
static void dnat_evict_one(struct lr_dnat *m)
{
  size_t victim = 0;
  for (size_t i = 1; i < m->nb; i++) {
    const struct dnat_bucket *a = m->b[i], *v = m->b[victim];
    if (a->deadline < v->deadline ||
        (a->deadline == v->deadline &&
         (a->tmax < v->tmax || (a->tmax == v->tmax && a->gen < v->gen))))
      victim = i;
  }
  m->evicted += m->b[victim]->count;
  dnat_drop(m, victim);
  dnat_update_deadline(m);
}

static void dnat_enforce_limit(struct lr_dnat *m, size_t room)
{
  while (m->nb && m->count + room > m->limit)
    dnat_evict_one(m);
}

/* ---- the map ---------------------------------------------------------------------- */

struct lr_dnat *lr_dnat_new(void)
{
  struct lr_dnat *m = lr_xcalloc(1, sizeof(*m));
  /* A secret key keeps crafted log values from piling up in one probe run. */
  lr_hash_key_init(&m->key);
  m->hash_mask = UINT32_MAX;
  m->limit = LR_DNAT_DEFAULT_LIMIT;
  m->next_deadline = INT64_MAX;
  return m;
}

void lr_dnat_free(struct lr_dnat *m)
{
  if (!m)
    return;
  for (size_t i = 0; i < m->nb; i++)
    dnat_bucket_free(m->b[i]);
  free(m->b);
  free(m);
}

static bool dnat_values_ok(const struct lr_dnat_values *v)
{
  if (!v->saddr.s || !v->addr.s)
    return false;
  for (int f = 0; f < LR_DNAT_NFIELDS; f++)
    if (v->field[f].s && v->field[f].len > LR_DNAT_MAX_VALUE)
      return false;
  return true;
}

static bool dnat_insert(struct lr_dnat *m, const struct lr_dnat_values *v, int64_t t,
                        unsigned bits)
{
  if (!dnat_values_ok(v))
    return false;
  uint16_t len[LR_DNAT_NFIELDS];
  for (int f = 0; f < LR_DNAT_NFIELDS; f++)
    len[f] = v->field[f].s ? (uint16_t)v->field[f].len : DNAT_ABSENT;
  size_t size = dnat_rec_size(len);

  dnat_enforce_limit(m, 1);
  struct dnat_bucket *b = dnat_bucket_get(m, bits, t);
  if (!b)
    return false;
  /* Grow every table first, so that a failure leaves nothing half-inserted. */
  for (unsigned mask = 1; mask < LR_DNAT_MASKS; mask++)
    if ((m->masks & (1u << mask)) && dnat_has_key(mask, v->field) &&
        !dnat_table_reserve(b, &b->tab[mask]))
      return false;
  uint32_t ref = dnat_bucket_alloc(b, size);
  if (!ref)
    return false;

  struct dnat_rec *r = dnat_rec_at(b, ref);
  r->t = t;
  r->seq = ++m->seq;
  memcpy(r->len, len, sizeof(len));
  char *p = r->data;
  for (int i = 0; i < LR_DNAT_NFIELDS; i++) {
    int f = dnat_order[i];
    if (len[f] == DNAT_ABSENT)
      continue;
    memcpy(p, v->field[f].s, len[f]);
    p[len[f]] = '\0';
    p += len[f] + 1;
  }
  for (unsigned mask = 1; mask < LR_DNAT_MASKS; mask++)
    if ((m->masks & (1u << mask)) && dnat_has_key(mask, v->field))
      dnat_table_put(b, &b->tab[mask], mask, dnat_key_hash(m, mask, v->field), ref, v);
  b->count++;
  m->count++;
  dnat_touch(m, b, t);
  return true;
}

bool lr_dnat_capture(struct lr_dnat *m, const struct lr_dnat_values *v, unsigned keep_seconds,
                     int64_t now)
{
  return dnat_insert(m, v, now, lr_dnat_bits(keep_seconds));
}

bool lr_dnat_restore(struct lr_dnat *m, const struct lr_dnat_values *v, int64_t t, unsigned bits)
{
  if (bits < 1 || bits > DNAT_MAX_BITS)
    return false;
  return dnat_insert(m, v, t, bits);
}

/* Fills a bucket's table for a newly registered mask, in capture order so the
 * newest record per key ends up in the table. */
static bool dnat_bucket_index(struct lr_dnat *m, struct dnat_bucket *b, unsigned mask)
{
  for (uint32_t ref = dnat_ref_first(b); ref; ref = dnat_ref_after(b, ref)) {
    struct lr_dnat_values v;
    dnat_rec_values(dnat_rec_at(b, ref), &v);
    if (!dnat_has_key(mask, v.field))
      continue;
    if (!dnat_table_reserve(b, &b->tab[mask]))
      return false;
    dnat_table_put(b, &b->tab[mask], mask, dnat_key_hash(m, mask, v.field), ref, &v);
  }
  return true;
}

int lr_dnat_index(struct lr_dnat *m, unsigned mask)
{
  if (mask == 0 || mask >= LR_DNAT_MASKS)
    return -1;
  if (m->masks & (1u << mask))
    return 0;
  for (size_t i = 0; i < m->nb; i++) {
    if (dnat_bucket_index(m, m->b[i], mask))
      continue;
    for (size_t j = 0; j <= i; j++) {
      struct dnat_table *tab = &m->b[j]->tab[mask];
      m->b[j]->bytes -= (size_t)tab->cap * sizeof(*tab->slots);
      free(tab->slots);
      *tab = (struct dnat_table){0};
    }
    return -1;
  }
  m->masks |= 1u << mask;
  return 0;
}

bool lr_dnat_lookup(struct lr_dnat *m, unsigned mask, const struct lr_dnat_values *q,
                    int64_t now, struct lr_dnat_values *found)
{
  if (mask == 0 || mask >= LR_DNAT_MASKS || !dnat_has_key(mask, q->field))
    return false;
  if (!(m->masks & (1u << mask)) && lr_dnat_index(m, mask) < 0)
    return false;
  uint32_t h = dnat_key_hash(m, mask, q->field);
  /* Start loading every live bucket's home slot at once: with tables larger
   * than the caches, the probes then wait for memory together, not in turn. */
  for (size_t i = 0; i < m->nb; i++) {
    const struct dnat_table *tab = &m->b[i]->tab[mask];
    if (tab->cap && dnat_alive(m->b[i], now))
      __builtin_prefetch(&tab->slots[h & (tab->cap - 1)]);
  }
  const struct dnat_rec *best = NULL;
  for (size_t i = 0; i < m->nb; i++) {
    const struct dnat_bucket *b = m->b[i];
    if (best && best->t > b->tmax)
      break; /* the remaining buckets hold nothing newer */
    if (!dnat_alive(b, now))
      continue;
    const struct dnat_rec *r = dnat_table_find(b, &b->tab[mask], mask, h, q);
    if (r && (!best || dnat_newer(r, best)))
      best = r;
  }
  if (!best)
    return false;
  dnat_rec_values(best, found);
  return true;
}

size_t lr_dnat_expire(struct lr_dnat *m, int64_t now)
{
  if (now < m->next_deadline)
    return 0;
  size_t before = m->count;
  for (size_t i = m->nb; i-- > 0;)
    if (!dnat_alive(m->b[i], now))
      dnat_drop(m, i);
  dnat_update_deadline(m);
  return before - m->count;
}

size_t lr_dnat_count(const struct lr_dnat *m)
{
  return m->count;
}

size_t lr_dnat_memory(const struct lr_dnat *m)
{
  size_t n = sizeof(*m) + m->bcap * sizeof(*m->b);
  for (size_t i = 0; i < m->nb; i++)
    n += m->b[i]->bytes;
  return n;
}

void lr_dnat_set_limit(struct lr_dnat *m, size_t limit)
{
  m->limit = limit ? limit : 1;
  dnat_enforce_limit(m, 0);
}

size_t lr_dnat_evicted(const struct lr_dnat *m)
{
  return m->evicted;
}

int lr_dnat_each(const struct lr_dnat *m, int64_t now, lr_dnat_each_fn *cb, void *ctx)
{
  /* Merge the live buckets' records by capture order (each bucket is already
   * in order); there are only a handful of buckets. */
  struct dnat_cursor {
    const struct dnat_bucket *b;
    uint32_t ref;
  } *cur = lr_xcalloc(m->nb ? m->nb : 1, sizeof(*cur));
  size_t n = 0;
  for (size_t i = 0; i < m->nb; i++)
    if (dnat_alive(m->b[i], now)) {
      cur[n] = (struct dnat_cursor){m->b[i], dnat_ref_first(m->b[i])};
      if (cur[n].ref)
        n++;
    }
  while (n) {
    size_t pick = 0;
    for (size_t i = 1; i < n; i++)
      if (dnat_rec_at(cur[i].b, cur[i].ref)->seq < dnat_rec_at(cur[pick].b, cur[pick].ref)->seq)
        pick = i;
    const struct dnat_rec *r = dnat_rec_at(cur[pick].b, cur[pick].ref);
    struct lr_dnat_values v;
    dnat_rec_values(r, &v);
    cb(ctx, &v, r->t, cur[pick].b->bits);
    cur[pick].ref = dnat_ref_after(cur[pick].b, cur[pick].ref);
    if (!cur[pick].ref)
      cur[pick] = cur[--n];
  }
  free(cur);
  return 0;
}

void lr_dnat_weaken_hash(struct lr_dnat *m, unsigned bits)
{
  if (bits > 0 && bits < 32 && !m->masks) /* tables hold hashes: too late once indexed */
    m->hash_mask = (UINT32_C(1) << bits) - 1;
}
