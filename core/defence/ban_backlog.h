/* Bans applied while the state database refused their record (disk full,
 * read-only): kept in memory, bounded, and written once the database takes
 * records again, so that a restart after that restores them.
 *
 *   struct lr_ban_backlog bl = {0};
 *   lr_ban_backlog_add(&bl, LR_BAN_NFT, "inet luruse ban4", "192.0.2.7", until, "sshd", now);
 *   lr_ban_backlog_write(&bl, store, lr_wall_usec());  // after a commit worked
 *   lr_ban_backlog_free(&bl);                          // logs those never written
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "defence/ban_store.h"

#define LR_BAN_BACKLOG_MAX 65536 /* then the oldest are forgotten, and counted */

struct lr_ban_backlog {
  struct lr_ban_backlog_item *v;
  size_t n, cap;
  uint64_t dropped; /* forgotten at the limit, not yet logged */
};

/* origin (may be NULL) and since as lr_ban_store_put takes them. */
void lr_ban_backlog_add(struct lr_ban_backlog *bl, enum lr_ban_backend backend, const char *set,
                        const char *addr, int64_t until, const char *origin, int64_t since);
/* Writes the records in order until the store refuses one; drops the bans
 * that ended meanwhile. Returns how many were written. */
size_t lr_ban_backlog_write(struct lr_ban_backlog *bl, struct lr_ban_store *store,
                            int64_t now_wall_usec);
void lr_ban_backlog_free(struct lr_ban_backlog *bl);
