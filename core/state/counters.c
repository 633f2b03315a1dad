#include "state/counters.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "util/hash.h"
#include "util/xalloc.h"

#define NEVER INT64_MAX      /* internal expiry of a tick that never expires: sorts last */
#define NO_GRACE INT64_MIN
#define MIN_BUCKETS 16u

enum { F_DIRTY = 1, F_DEAD = 2 };

/* One key. While dirty tracking is on, a deleted record leaves the table, the
 * LRU list and the heap but stays on the dirty list (F_DEAD) until reported. */
struct rec {
  struct rec *older, *newer;         /* LRU list */
  struct rec *dirty_next;
  struct lr_counter_run *runs;       /* live part: runs[head .. head+n), sorted */
  struct lr_counter_run inl;         /* storage while cap == 1: most keys hold one run */
  int64_t grace_until;               /* NO_GRACE: none */
  uint64_t count;                    /* sum of the runs' counts */
  uint32_t hash, heap_idx, head, n, cap;
  uint16_t len;
  uint8_t flags;
  char key[];                        /* len bytes + NUL */
};

/* Heap slot: "look at r again at `at`"; at <= due(r) always, so nothing is missed,
 * and a raise that pushes due later costs no heap work (the slot is re-keyed when
 * it comes up). */
struct slot {
  int64_t at;
  struct rec *r;
};

/* Open addressing with linear probing: a slot keeps its record's hash, so a
 * probe for a key never seen (a flood of new addresses) reads only the slots,
 * not the records. */
struct bucket {
  uint32_t hash;
  struct rec *r; /* NULL: empty */
};

struct lr_counter_cat {
  struct lr_counters *store;
  char *name;
  struct bucket *buckets;
  uint32_t mask;
  size_t nkeys, limit;
  struct rec *oldest, *newest;
  struct slot *heap;
  size_t nheap, heapcap;
  struct rec *dirty_head, *dirty_tail;
  uint64_t evictions;
  size_t bytes;
};

struct lr_counters {
  struct lr_counter_cat **cats;
  size_t ncats, catcap;
  struct lr_hash_key key;            /* hash key, per store */
  lr_counters_evict_fn *on_evict;
  void *evict_ctx;
  bool track_dirty;
  struct lr_counter_run *scratch;    /* runs converted for callbacks */
  size_t scratchcap;
};

static int64_t sat_add(int64_t a, int64_t b)
{
  int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}

/* ---- keyed hash (hash.h), so that keys chosen by an attacker cannot be
 * made to collide without knowing the per-store key ---- */

static uint32_t hash_key(const struct lr_counters *c, const char *key, size_t len)
{
  return lr_hash32(lr_hash_bytes(&c->key, key, len));
}

/* ---- hash table ---- */

static void table_place(struct bucket *b, uint32_t mask, struct rec *r)
{
  uint32_t i = r->hash & mask;
  while (b[i].r)
    i = (i + 1) & mask;
  b[i] = (struct bucket){r->hash, r};
}

static void table_resize(struct lr_counter_cat *k, uint32_t nbuckets)
{
  /* written at once rather than calloc's fresh zero pages: placing reads a
   * slot before writing it, and each page would fault twice (zero page, then
   * its copy) */
  struct bucket *nb = lr_xreallocarray(NULL, nbuckets, sizeof(*nb));
  memset(nb, 0, (size_t)nbuckets * sizeof(*nb));
  for (uint32_t i = 0; i <= k->mask; i++)
    if (k->buckets[i].r)
      table_place(nb, nbuckets - 1, k->buckets[i].r);
  k->bytes -= ((size_t)k->mask + 1) * sizeof(*k->buckets);
  k->bytes += (size_t)nbuckets * sizeof(*nb);
  free(k->buckets);
  k->buckets = nb;
  k->mask = nbuckets - 1;
}

static struct rec *table_find(const struct lr_counter_cat *k, const char *key, size_t len,
                              uint32_t h)
{
  for (uint32_t i = h & k->mask;; i = (i + 1) & k->mask) {
    const struct bucket *b = &k->buckets[i];
    if (!b->r)
      return NULL;
    if (b->hash == h && b->r->len == len && (len == 0 || memcmp(b->r->key, key, len) == 0))
      return b->r;
  }
}

static void table_insert(struct lr_counter_cat *k, struct rec *r)
{
  /* at most 3/4 full, so that probes stay short and always end */
  if ((k->nkeys + 1) * 4 > ((size_t)k->mask + 1) * 3 && k->mask < UINT32_MAX / 2)
    table_resize(k, (k->mask + 1) * 2);
  table_place(k->buckets, k->mask, r);
  k->nkeys++;
}

static void table_remove(struct lr_counter_cat *k, struct rec *r)
{
  struct bucket *b = k->buckets;
  uint32_t mask = k->mask, i = r->hash & mask;
  while (b[i].r != r) {
    lr_assert(b[i].r != NULL);
    i = (i + 1) & mask;
  }
  /* backward shift: each later record of the run that may sit at i moves
   * there, so no probe meets a hole before its record */
  for (uint32_t j = i;;) {
    j = (j + 1) & mask;
    if (!b[j].r)
      break;
    uint32_t home = b[j].hash & mask;
    bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!stays) {
      b[i] = b[j];
      i = j;
    }
  }
  b[i].r = NULL;
  k->nkeys--;
  /* give memory back after a flood, with hysteresis against flapping */
  if (k->mask + 1 > MIN_BUCKETS && k->nkeys < ((size_t)k->mask + 1) / 16)
    table_resize(k, (k->mask + 1) / 2);
}

/* ---- LRU list: oldest = least recently raised, evicted first ---- */

static void lru_unlink(struct lr_counter_cat *k, struct rec *r)
{
  if (r->older)
    r->older->newer = r->newer;
  else
    k->oldest = r->newer;
  if (r->newer)
    r->newer->older = r->older;
  else
    k->newest = r->older;
  r->older = r->newer = NULL;
}

static void lru_append(struct lr_counter_cat *k, struct rec *r)
{
  r->newer = NULL;
  r->older = k->newest;
  if (k->newest)
    k->newest->newer = r;
  else
    k->oldest = r;
  k->newest = r;
}

static void lru_touch(struct lr_counter_cat *k, struct rec *r)
{
  if (k->newest == r)
    return;
  lru_unlink(k, r);
  lru_append(k, r);
}

/* ---- min-heap of "when to look at this key again" ---- */

static void heap_put(struct lr_counter_cat *k, size_t i, struct slot s)
{
  k->heap[i] = s;
  s.r->heap_idx = (uint32_t)i;
}

static void heap_up(struct lr_counter_cat *k, size_t i)
{
  struct slot s = k->heap[i];
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (k->heap[p].at <= s.at)
      break;
    heap_put(k, i, k->heap[p]);
    i = p;
  }
  heap_put(k, i, s);
}

static void heap_down(struct lr_counter_cat *k, size_t i)
{
  struct slot s = k->heap[i];
  for (;;) {
    size_t ch = 2 * i + 1;
    if (ch >= k->nheap)
      break;
    if (ch + 1 < k->nheap && k->heap[ch + 1].at < k->heap[ch].at)
      ch++;
    if (k->heap[ch].at >= s.at)
      break;
    heap_put(k, i, k->heap[ch]);
    i = ch;
  }
  heap_put(k, i, s);
}

static void heap_push(struct lr_counter_cat *k, struct rec *r, int64_t at)
{
  if (k->nheap == k->heapcap) {
    size_t cap = k->heapcap ? k->heapcap * 2 : 16;
    lr_assert(cap <= UINT32_MAX);
    k->heap = lr_xreallocarray(k->heap, cap, sizeof(*k->heap));
    k->bytes += (cap - k->heapcap) * sizeof(*k->heap);
    k->heapcap = cap;
  }
  k->heap[k->nheap] = (struct slot){at, r};
  r->heap_idx = (uint32_t)k->nheap;
  heap_up(k, k->nheap++);
}

static void heap_remove(struct lr_counter_cat *k, struct rec *r)
{
  size_t i = r->heap_idx;
  lr_assert(i < k->nheap && k->heap[i].r == r);
  struct slot last = k->heap[--k->nheap];
  if (i < k->nheap) {
    heap_put(k, i, last);
    if (i > 0 && k->heap[(i - 1) / 2].at > last.at)
      heap_up(k, i);
    else
      heap_down(k, i);
  }
  if (k->heapcap > 64 && k->nheap < k->heapcap / 4) {   /* after a flood */
    size_t cap = k->heapcap / 2;
    struct slot *h = lr_xreallocarray(k->heap, cap, sizeof(*h));
    k->heap = h;
    k->bytes -= (k->heapcap - cap) * sizeof(*h);
    k->heapcap = cap;
  }
}

/* ---- records ---- */

/* The time after which r holds nothing: its last tick expired and its grace over. */
static int64_t due(const struct rec *r)
{
  int64_t last = r->n ? r->runs[r->head + r->n - 1].expiry : INT64_MIN;
  return last > r->grace_until ? last : r->grace_until;
}

static void schedule(struct lr_counter_cat *k, struct rec *r)
{
  int64_t d = due(r);
  if (d < k->heap[r->heap_idx].at) {
    k->heap[r->heap_idx].at = d;
    heap_up(k, r->heap_idx);
  }
}

static void mark_dirty(struct lr_counter_cat *k, struct rec *r)
{
  if (!k->store->track_dirty || (r->flags & F_DIRTY))
    return;
  r->flags |= F_DIRTY;
  r->dirty_next = NULL;
  if (k->dirty_tail)
    k->dirty_tail->dirty_next = r;
  else
    k->dirty_head = r;
  k->dirty_tail = r;
}

static void runs_set_storage(struct lr_counter_cat *k, struct rec *r, struct lr_counter_run *a,
                             uint32_t cap)
{
  if (r->n)
    memmove(a, r->runs + r->head, r->n * sizeof(*a));
  if (r->runs != &r->inl) {
    free(r->runs);
    k->bytes -= r->cap * sizeof(*r->runs);
  }
  if (a != &r->inl)
    k->bytes += cap * sizeof(*a);
  r->runs = a;
  r->cap = cap;
  r->head = 0;
}

static void runs_clear(struct lr_counter_cat *k, struct rec *r)
{
  r->n = 0;
  r->count = 0;
  runs_set_storage(k, r, &r->inl, 1);
}

/* Room for one more run at the end. Compacting only when half the array is free
 * in front keeps a sliding window (drop one, add one) amortised O(1). */
static void runs_reserve(struct lr_counter_cat *k, struct rec *r)
{
  if (r->head + r->n < r->cap)
    return;
  if (r->head > 0 && r->head >= r->cap / 2) {
    memmove(r->runs, r->runs + r->head, r->n * sizeof(*r->runs));
    r->head = 0;
    return;
  }
  lr_assert(r->cap <= UINT32_MAX / 2);
  uint32_t cap = r->cap < 4 ? 4 : r->cap * 2;
  runs_set_storage(k, r, lr_xmalloc(cap * sizeof(*r->runs)), cap);
}

/* After a burst has expired, the array shrinks back. */
static void runs_shrink(struct lr_counter_cat *k, struct rec *r)
{
  if (r->runs == &r->inl)
    return;
  if (r->n == 0) {
    runs_set_storage(k, r, &r->inl, 1);
  } else if (r->cap >= 32 && r->n <= r->cap / 8) {
    uint32_t cap = r->cap / 4;
    runs_set_storage(k, r, lr_xmalloc(cap * sizeof(*r->runs)), cap);
  }
}

static void add_tick(struct lr_counter_cat *k, struct rec *r, int64_t expiry)
{
  r->count++;
  if (r->n) {
    struct lr_counter_run *last = &r->runs[r->head + r->n - 1];
    if (last->expiry == expiry && last->count < UINT32_MAX) {
      last->count++;
      return;
    }
    if (last->expiry > expiry) {
      /* the clock went backwards: insert in order */
      uint32_t lo = 0, hi = r->n;   /* first run expiring after `expiry` */
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->runs[r->head + mid].expiry <= expiry)
          lo = mid + 1;
        else
          hi = mid;
      }
      if (lo > 0 && r->runs[r->head + lo - 1].expiry == expiry &&
          r->runs[r->head + lo - 1].count < UINT32_MAX) {
        r->runs[r->head + lo - 1].count++;
        return;
      }
      runs_reserve(k, r);
      struct lr_counter_run *at = &r->runs[r->head + lo];
      memmove(at + 1, at, (r->n - lo) * sizeof(*at));
      *at = (struct lr_counter_run){expiry, 1};
      r->n++;
      return;
    }
  }
  runs_reserve(k, r);
  r->runs[r->head + r->n++] = (struct lr_counter_run){expiry, 1};
}

/* Drops expired ticks and an ended grace. */
static void settle(struct lr_counter_cat *k, struct rec *r, int64_t now)
{
  bool changed = false;
  while (r->n && r->runs[r->head].expiry <= now && r->runs[r->head].expiry != NEVER) {
    r->count -= r->runs[r->head].count;
    r->head++;
    r->n--;
    changed = true;
  }
  if (r->n == 0)
    r->head = 0;
  if (r->grace_until != NO_GRACE && r->grace_until <= now) {
    r->grace_until = NO_GRACE;
    changed = true;
  }
  if (changed) {
    mark_dirty(k, r);
    runs_shrink(k, r);
  }
}

static void free_rec(struct lr_counter_cat *k, struct rec *r)
{
  if (r->runs != &r->inl) {
    free(r->runs);
    k->bytes -= r->cap * sizeof(*r->runs);
  }
  k->bytes -= sizeof(*r) + r->len + 1;
  free(r);
}

static void drop_rec(struct lr_counter_cat *k, struct rec *r)
{
  table_remove(k, r);
  lru_unlink(k, r);
  heap_remove(k, r);
  if (!k->store->track_dirty) {
    free_rec(k, r);
    return;
  }
  runs_clear(k, r);
  r->grace_until = NO_GRACE;
  r->flags |= F_DEAD;
  mark_dirty(k, r);
}

/* Out of the table without being reported as deleted (a restore's deletion):
 * a record still on the dirty list stays there, dead, until the walk. */
static void forget_rec(struct lr_counter_cat *k, struct rec *r)
{
  table_remove(k, r);
  lru_unlink(k, r);
  heap_remove(k, r);
  if (!(r->flags & F_DIRTY)) {
    free_rec(k, r);
    return;
  }
  runs_clear(k, r);
  r->grace_until = NO_GRACE;
  r->flags |= F_DEAD;
}

static void evict_oldest(struct lr_counter_cat *k)
{
  struct rec *r = k->oldest;
  lr_assert(r != NULL);
  k->evictions++;
  if (k->store->on_evict)
    k->store->on_evict(k->store->evict_ctx, k->name, r->key, r->len);
  drop_rec(k, r);
}

static struct rec *new_rec(struct lr_counter_cat *k, const char *key, size_t len, uint32_t h)
{
  while (k->nkeys >= k->limit)
    evict_oldest(k);
  struct rec *r = lr_xmalloc(sizeof(*r) + len + 1);
  memset(r, 0, sizeof(*r));
  if (len)
    memcpy(r->key, key, len);
  r->key[len] = '\0';
  r->len = (uint16_t)len;
  r->hash = h;
  r->runs = &r->inl;
  r->cap = 1;
  r->grace_until = NO_GRACE;
  k->bytes += sizeof(*r) + len + 1;
  table_insert(k, r);
  lru_append(k, r);
  heap_push(k, r, NEVER);   /* the caller fills r, then schedule() pulls it forward */
  return r;
}

static bool key_ok(const char *key, size_t len)
{
  return len <= LR_COUNTERS_MAX_KEY && (key != NULL || len == 0);
}

/* ---- public API ---- */

struct lr_counters *lr_counters_new(void)
{
  struct lr_counters *c = lr_xcalloc(1, sizeof(*c));
  lr_hash_key_init(&c->key);
  return c;
}

void lr_counters_free(struct lr_counters *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->ncats; i++) {
    struct lr_counter_cat *k = c->cats[i];
    /* dead records live only on the dirty list; live ones are all in the LRU list */
    for (struct rec *r = k->dirty_head, *next; r; r = next) {
      next = r->dirty_next;
      if (r->flags & F_DEAD)
        free_rec(k, r);
    }
    for (struct rec *r = k->oldest, *next; r; r = next) {
      next = r->newer;
      free_rec(k, r);
    }
    free(k->buckets);
    free(k->heap);
    free(k->name);
    free(k);
  }
  free(c->cats);
  free(c->scratch);
  free(c);
}

void lr_counters_on_evict(struct lr_counters *c, lr_counters_evict_fn *fn, void *ctx)
{
  c->on_evict = fn;
  c->evict_ctx = ctx;
}

struct lr_counter_cat *lr_counters_category(struct lr_counters *c, const char *name)
{
  lr_assert(name != NULL);
  for (size_t i = 0; i < c->ncats; i++)
    if (strcmp(c->cats[i]->name, name) == 0)
      return c->cats[i];
  LR_GROW(c->cats, c->ncats + 1, c->catcap, 8);
  struct lr_counter_cat *k = lr_xcalloc(1, sizeof(*k));
  k->store = c;
  k->name = lr_xstrdup(name);
  k->buckets = lr_xcalloc(MIN_BUCKETS, sizeof(*k->buckets));
  k->mask = MIN_BUCKETS - 1;
  k->bytes = MIN_BUCKETS * sizeof(*k->buckets);
  k->limit = LR_COUNTERS_DEFAULT_LIMIT;
  c->cats[c->ncats++] = k;
  return k;
}

const char *lr_counters_cat_name(const struct lr_counter_cat *k) { return k->name; }

void lr_counters_set_limit(struct lr_counter_cat *k, size_t max_keys)
{
  k->limit = max_keys ? max_keys : 1;
  while (k->nkeys > k->limit)
    evict_oldest(k);
}

uint64_t lr_counters_evictions(const struct lr_counter_cat *k) { return k->evictions; }

size_t lr_counters_cat_keys(const struct lr_counter_cat *k) { return k->nkeys; }

long lr_counters_raise(struct lr_counter_cat *k, const char *key, size_t len,
                       int64_t keep_seconds, int64_t now)
{
  if (!key_ok(key, len))
    return -1;
  uint32_t h = hash_key(k->store, key, len);
  struct rec *r = table_find(k, key, len, h);
  if (r) {
    settle(k, r, now);
    lru_touch(k, r);   /* even an ignored raise: a key under attack is not the one to evict */
    if (r->grace_until > now)
      return 0;
  } else {
    r = new_rec(k, key, len, h);
  }
  add_tick(k, r, keep_seconds > 0 ? sat_add(now, keep_seconds) : NEVER);
  mark_dirty(k, r);
  schedule(k, r);
  return (long)r->count;
}

long lr_counters_lower(struct lr_counter_cat *k, const char *key, size_t len, int64_t now)
{
  if (!key_ok(key, len))
    return -1;
  struct rec *r = table_find(k, key, len, hash_key(k->store, key, len));
  if (!r)
    return 0;
  settle(k, r, now);
  if (r->grace_until > now)
    return 0;
  if (r->n) {
    struct lr_counter_run *first = &r->runs[r->head];
    r->count--;
    if (--first->count == 0) {
      r->head++;
      r->n--;
    }
    mark_dirty(k, r);
  }
  if (r->count == 0) {   /* no grace either (settle cleared an ended one) */
    drop_rec(k, r);
    return 0;
  }
  return (long)r->count;
}

long lr_counters_reset(struct lr_counter_cat *k, const char *key, size_t len,
                       int64_t grace_seconds, int64_t now)
{
  if (!key_ok(key, len))
    return -1;
  uint32_t h = hash_key(k->store, key, len);
  struct rec *r = table_find(k, key, len, h);
  if (grace_seconds > 0) {
    if (r)
      lru_touch(k, r);
    else
      r = new_rec(k, key, len, h);
    runs_clear(k, r);
    r->grace_until = sat_add(now, grace_seconds);   /* replaces any earlier grace */
    mark_dirty(k, r);
    schedule(k, r);
  } else if (r) {
    drop_rec(k, r);
  }
  return 0;
}

long lr_counters_get(struct lr_counter_cat *k, const char *key, size_t len, int64_t now)
{
  if (!key_ok(key, len))
    return -1;
  struct rec *r = table_find(k, key, len, hash_key(k->store, key, len));
  if (!r)
    return 0;
  settle(k, r, now);
  if (r->grace_until > now)
    return 0;
  if (r->count == 0) {
    drop_rec(k, r);
    return 0;
  }
  return (long)r->count;
}

size_t lr_counters_expire(struct lr_counters *c, int64_t now)
{
  size_t removed = 0;
  if (now == NEVER)
    now = NEVER - 1;   /* so that never-expiring keys are never due */
  for (size_t i = 0; i < c->ncats; i++) {
    struct lr_counter_cat *k = c->cats[i];
    while (k->nheap && k->heap[0].at <= now) {
      struct rec *r = k->heap[0].r;
      int64_t d = due(r);
      if (d <= now) {
        drop_rec(k, r);
        removed++;
      } else {
        /* raised since it was scheduled: look again when it may be empty */
        k->heap[0].at = d;
        heap_down(k, 0);
      }
    }
  }
  return removed;
}

size_t lr_counters_keys(const struct lr_counters *c)
{
  size_t n = 0;
  for (size_t i = 0; i < c->ncats; i++)
    n += c->cats[i]->nkeys;
  return n;
}

size_t lr_counters_memory(const struct lr_counters *c)
{
  size_t n = sizeof(*c) + c->catcap * sizeof(*c->cats) + c->scratchcap * sizeof(*c->scratch);
  for (size_t i = 0; i < c->ncats; i++)
    n += sizeof(*c->cats[i]) + strlen(c->cats[i]->name) + 1 + c->cats[i]->bytes;
  return n;
}

/* Runs as the API shows them: 0 means never, so a real expiry of 0 (only with a
 * negative clock) becomes -1 rather than immortal. */
static void visit(struct lr_counters *c, const struct lr_counter_cat *k, const struct rec *r,
                  lr_counters_visit_fn *cb, void *ctx)
{
  if (r->n > c->scratchcap) {
    free(c->scratch);
    c->scratchcap = r->n;
    c->scratch = lr_xmalloc(c->scratchcap * sizeof(*c->scratch));
  }
  for (uint32_t i = 0; i < r->n; i++) {
    struct lr_counter_run run = r->runs[r->head + i];
    if (run.expiry == NEVER)
      run.expiry = 0;
    else if (run.expiry == 0)
      run.expiry = -1;
    c->scratch[i] = run;
  }
  int64_t grace = r->grace_until == NO_GRACE ? 0 : r->grace_until == 0 ? -1 : r->grace_until;
  cb(ctx, k->name, r->key, r->len, c->scratch, r->n, grace);
}

void lr_counters_each(struct lr_counters *c, lr_counters_visit_fn *cb, void *ctx)
{
  for (size_t i = 0; i < c->ncats; i++)
    for (const struct rec *r = c->cats[i]->oldest; r; r = r->newer)
      visit(c, c->cats[i], r, cb, ctx);
}

static int cmp_run(const void *a, const void *b)
{
  int64_t x = ((const struct lr_counter_run *)a)->expiry;
  int64_t y = ((const struct lr_counter_run *)b)->expiry;
  return (x > y) - (x < y);
}

int lr_counters_restore(struct lr_counters *c, const char *category, const char *key,
                        size_t len, const struct lr_counter_run *runs, size_t nruns,
                        int64_t grace_until)
{
  if (!key_ok(key, len) || (runs == NULL && nruns > 0) || nruns > UINT32_MAX / 2)
    return -1;
  size_t live = 0;
  for (size_t i = 0; i < nruns; i++)
    live += runs[i].count != 0;
  struct lr_counter_cat *k = lr_counters_category(c, category);
  uint32_t h = hash_key(c, key, len);
  struct rec *r = table_find(k, key, len, h);
  if (live == 0 && grace_until == 0) { /* restoring nothing: the key is gone */
    if (r)
      forget_rec(k, r);
    return 0;
  }
  if (r)
    lru_touch(k, r);
  else
    r = new_rec(k, key, len, h);
  runs_clear(k, r);
  if (live > 1)
    runs_set_storage(k, r, lr_xmalloc(live * sizeof(*r->runs)), (uint32_t)live);
  for (size_t i = 0; i < nruns; i++) {
    if (runs[i].count == 0)
      continue;
    r->runs[r->n++] = (struct lr_counter_run){runs[i].expiry ? runs[i].expiry : NEVER,
                                              runs[i].count};
    r->count += runs[i].count;
  }
  qsort(r->runs, r->n, sizeof(*r->runs), cmp_run);
  /* merge equal expiries (as long as the run count does not overflow) */
  uint32_t out = 0;
  for (uint32_t i = 1; i < r->n; i++) {
    struct lr_counter_run *o = &r->runs[out];
    if (r->runs[i].expiry == o->expiry && UINT32_MAX - o->count >= r->runs[i].count)
      o->count += r->runs[i].count;
    else
      r->runs[++out] = r->runs[i];
  }
  if (r->n)
    r->n = out + 1;
  r->grace_until = grace_until ? grace_until : NO_GRACE;
  schedule(k, r);
  return 0;
}

void lr_counters_track_dirty(struct lr_counters *c, bool on)
{
  if (c->track_dirty == on)
    return;
  for (size_t i = 0; i < c->ncats; i++) {
    struct lr_counter_cat *k = c->cats[i];
    for (struct rec *r = k->dirty_head, *next; r; r = next) {
      next = r->dirty_next;
      r->flags &= (uint8_t)~F_DIRTY;
      if (r->flags & F_DEAD)
        free_rec(k, r);
    }
    k->dirty_head = k->dirty_tail = NULL;
  }
  c->track_dirty = on;
}

void lr_counters_each_dirty(struct lr_counters *c, lr_counters_visit_fn *cb, void *ctx)
{
  for (size_t i = 0; i < c->ncats; i++) {
    struct lr_counter_cat *k = c->cats[i];
    struct rec *r = k->dirty_head;
    k->dirty_head = k->dirty_tail = NULL;
    while (r) {
      struct rec *next = r->dirty_next;
      r->flags &= (uint8_t)~F_DIRTY;
      if (r->flags & F_DEAD) {
        cb(ctx, k->name, r->key, r->len, NULL, 0, 0);
        free_rec(k, r);
      } else {
        visit(c, k, r, cb, ctx);
      }
      r = next;
    }
  }
}
