/* A ring of fixed-size slots (insertion order: the oldest is overwritten
 * first) indexed by a chained hash of slot numbers: no allocation per entry. */
#include "state/sessions.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define NIL UINT32_MAX

struct slot {
  bool used;
  uint8_t jail_len, id_len;
  char jail[LR_SESSION_JAIL_MAX], id[LR_SESSION_ID_MAX];
  char addr[64];          /* "" while only failures are known */
  unsigned pending;        /* failures seen before the address */
  int64_t expires;
  uint32_t hash, next; /* the next slot of its bucket */
};

struct lr_sessions {
  struct slot *slots;
  uint32_t *buckets;
  size_t max, nbuckets, oldest, count;
};

static uint32_t hash(const char *jail, size_t jl, const char *id, size_t il)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < jl; i++)
    h = (h ^ (uint8_t)jail[i]) * 16777619u;
  h = (h ^ 0xff) * 16777619u;
  for (size_t i = 0; i < il; i++)
    h = (h ^ (uint8_t)id[i]) * 16777619u;
  return h;
}

struct lr_sessions *lr_sessions_new(size_t max)
{
  struct lr_sessions *s = lr_xcalloc(1, sizeof(*s));
  s->max = max ? max : 1;
  s->nbuckets = 1;
  while (s->nbuckets < 2 * s->max)
    s->nbuckets <<= 1;
  s->slots = lr_xcalloc(s->max, sizeof(*s->slots));
  s->buckets = lr_xmalloc(s->nbuckets * sizeof(*s->buckets));
  for (size_t i = 0; i < s->nbuckets; i++)
    s->buckets[i] = NIL;
  return s;
}

void lr_sessions_free(struct lr_sessions *s)
{
  if (!s)
    return;
  free(s->slots);
  free(s->buckets);
  free(s);
}

static struct slot *find(struct lr_sessions *s, const char *jail, size_t jl, const char *id,
                         size_t il, uint32_t h, uint32_t **link)
{
  uint32_t *l = &s->buckets[h & (s->nbuckets - 1)];
  for (; *l != NIL; l = &s->slots[*l].next) {
    struct slot *x = &s->slots[*l];
    if (x->hash == h && x->jail_len == jl && x->id_len == il && !memcmp(x->jail, jail, jl) &&
        !memcmp(x->id, id, il)) {
      if (link)
        *link = l;
      return x;
    }
  }
  return NULL;
}

static void unlink_slot(struct lr_sessions *s, struct slot *x)
{
  uint32_t *l;
  if (x->used && find(s, x->jail, x->jail_len, x->id, x->id_len, x->hash, &l)) {
    *l = x->next;
    s->count--;
  }
  x->used = false;
}

/* The slot of (jail, id), made (the oldest slot reused) when absent; NULL
 * when the names do not fit. */
static struct slot *slot_of(struct lr_sessions *s, const char *jail, const char *id,
                            size_t idlen)
{
  size_t jl = strlen(jail);
  if (!jl || jl > LR_SESSION_JAIL_MAX || !idlen || idlen > LR_SESSION_ID_MAX)
    return NULL;
  uint32_t h = hash(jail, jl, id, idlen);
  struct slot *x = find(s, jail, jl, id, idlen, h, NULL);
  if (x)
    return x;
  x = &s->slots[s->oldest];
  s->oldest = (s->oldest + 1) % s->max;
  unlink_slot(s, x);
  x->used = true;
  x->hash = h;
  x->jail_len = (uint8_t)jl;
  x->id_len = (uint8_t)idlen;
  memcpy(x->jail, jail, jl);
  memcpy(x->id, id, idlen);
  x->addr[0] = '\0';
  x->pending = 0;
  uint32_t *b = &s->buckets[h & (s->nbuckets - 1)];
  x->next = *b;
  *b = (uint32_t)(x - s->slots);
  s->count++;
  return x;
}

unsigned lr_sessions_put(struct lr_sessions *s, const char *jail, const char *id, size_t idlen,
                         const char *addr, int64_t expires)
{
  struct slot *x = strlen(addr) < sizeof(x->addr) ? slot_of(s, jail, id, idlen) : NULL;
  if (!x)
    return 0;
  unsigned pending = x->pending;
  strcpy(x->addr, addr);
  x->pending = 0;
  x->expires = expires;
  return pending;
}

void lr_sessions_pend(struct lr_sessions *s, const char *jail, const char *id, size_t idlen,
                      int64_t now, int64_t expires)
{
  struct slot *x = slot_of(s, jail, id, idlen);
  if (!x)
    return;
  if (x->expires <= now) { /* an ended session of the same id: not this one's address */
    x->addr[0] = '\0';
    x->pending = 0;
  }
  if (x->pending < LR_SESSION_PENDING_MAX)
    x->pending++;
  x->expires = expires;
}

const char *lr_sessions_get(struct lr_sessions *s, const char *jail, const char *id,
                            size_t idlen, int64_t now)
{
  size_t jl = strlen(jail);
  if (!jl || jl > LR_SESSION_JAIL_MAX || !idlen || idlen > LR_SESSION_ID_MAX)
    return NULL;
  struct slot *x = find(s, jail, jl, id, idlen, hash(jail, jl, id, idlen), NULL);
  return x && x->expires > now && x->addr[0] ? x->addr : NULL;
}

size_t lr_sessions_count(const struct lr_sessions *s) { return s ? s->count : 0; }
