/* One luruse at a time on a storage directory. The daemon holds an exclusive
 * flock(2) on STORAGE/luruse.lock for its whole life, a replay and `luruse
 * outbox` (when no daemon runs) for theirs; anyone else is refused, told the
 * holder's pid and command (written in the file). The kernel drops the lock
 * when its holder dies, even by SIGKILL, so no stale lock outlives a crash;
 * the descriptor is close-on-exec, so that a sendmail or an exec action's
 * command never keeps the lock after luruse is gone.
 *
 *   struct lr_storage_lock *lk;
 *   int rc = lr_storage_lock("/var/lib/luruse", "replay", &lk, err, sizeof(err));
 *   if (rc == 1) ...another luruse holds it: err names it...
 *   ...
 *   lr_storage_unlock(lk);
 */
#pragma once
#include <stddef.h>

#define LR_STORAGE_LOCK_NAME "luruse.lock"

struct lr_storage_lock;

/* Creates the directory when missing. 0 with *out held; 1 when another
 * process holds it (err: "the storage DIR is in use by luruse COMMAND, pid
 * N"); -1 with err when the file cannot be opened or locked. */
int lr_storage_lock(const char *dir, const char *command, struct lr_storage_lock **out,
                    char *err, size_t errlen);
/* Releases and frees; NULL is fine. */
void lr_storage_unlock(struct lr_storage_lock *lk);
