#include "defence/ban_backlog.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

struct lr_ban_backlog_item {
  enum lr_ban_backend backend;
  char *set, *addr;
  int64_t until; /* 0: for ever */
  char *origin;  /* NULL: a ban step */
  int64_t since;
};

static void item_free(struct lr_ban_backlog_item *it)
{
  free(it->set);
  free(it->addr);
  free(it->origin);
}

static void forget_first(struct lr_ban_backlog *bl, size_t k)
{
  if (!k)
    return;
  for (size_t i = 0; i < k; i++)
    item_free(&bl->v[i]);
  memmove(bl->v, bl->v + k, (bl->n - k) * sizeof(*bl->v));
  bl->n -= k;
}

void lr_ban_backlog_add(struct lr_ban_backlog *bl, enum lr_ban_backend backend, const char *set,
                        const char *addr, int64_t until, const char *origin, int64_t since)
{
  if (bl->n >= LR_BAN_BACKLOG_MAX) {
    forget_first(bl, 1);
    bl->dropped++;
  }
  LR_GROW(bl->v, bl->n + 1, bl->cap, 16);
  bl->v[bl->n++] = (struct lr_ban_backlog_item){backend, lr_xstrdup(set), lr_xstrdup(addr), until,
                                                origin ? lr_xstrdup(origin) : NULL, since};
}

size_t lr_ban_backlog_write(struct lr_ban_backlog *bl, struct lr_ban_store *store,
                            int64_t now_wall_usec)
{
  if (bl->dropped) {
    lr_log(LOG_CRIT, "%llu ban(s) applied while the state database refused records are "
           "forgotten (more than %d waited): they will not be restored after a restart",
           (unsigned long long)bl->dropped, LR_BAN_BACKLOG_MAX);
    bl->dropped = 0;
  }
  size_t done = 0, written = 0;
  for (; done < bl->n; done++) {
    struct lr_ban_backlog_item *it = &bl->v[done];
    if (it->until != 0 && it->until <= now_wall_usec)
      continue; /* over already: nothing to restore */
    int64_t old = 0;
    int found = lr_ban_store_get(store, it->backend, it->set, it->addr, &old);
    if (found < 0)
      break;
    if (found == 1 && (old == 0 || (it->until != 0 && old >= it->until)))
      continue; /* a record as long or longer was written since */
    if (lr_ban_store_put(store, it->backend, it->set, it->addr, it->until, false, it->origin,
                         it->since) < 0)
      break;
    written++;
  }
  forget_first(bl, done);
  if (written)
    lr_log(LOG_NOTICE, "%zu ban(s) applied while the state database refused records are "
           "recorded now%s", written, bl->n ? "" : " (all of them)");
  return written;
}

void lr_ban_backlog_free(struct lr_ban_backlog *bl)
{
  if (bl->n || bl->dropped)
    lr_log(LOG_CRIT, "%llu ban(s) applied while the state database refused records were never "
           "recorded: they will not be restored after a restart",
           (unsigned long long)(bl->n + bl->dropped));
  forget_first(bl, bl->n);
  free(bl->v);
  memset(bl, 0, sizeof(*bl));
}
