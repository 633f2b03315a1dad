/* WAL checkpoints on a thread of their own, for the daemon: SQLite's
 * automatic checkpoint runs inside the commit that fills the WAL, copying a
 * thousand pages and syncing the database file, which holds the event loop
 * for tens of milliseconds on a slow disk (74 ms seen under a flood) while
 * entries wait. Here the commit only tells the thread, which checkpoints
 * PASSIVE on its own connection: that never blocks the writer, and what it
 * could not copy yet goes with the next one.
 *
 *   struct lr_checkpointer *cp = lr_checkpointer_start(db, path, err, sizeof(err));
 *   ... commits ...                    // the WAL hook wakes the thread
 *   lr_checkpointer_report(cp);        // on the owner's thread: logs failures
 *   lr_checkpointer_stop(cp);          // joins; SQLite's own checkpoints again
 *
 * The thread never logs (luruse's log is not thread-safe): it counts, and
 * report() logs what failed since the last call. */
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef struct sqlite3 sqlite3;

#define LR_CHECKPOINT_PAGES 1000 /* as SQLite's automatic checkpoint */

struct lr_checkpointer;

/* NULL (err set) when the thread or its connection cannot be had: SQLite's
 * automatic checkpoints go on then. */
struct lr_checkpointer *lr_checkpointer_start(sqlite3 *db, const char *path, char *err,
                                              size_t errlen);
void lr_checkpointer_report(struct lr_checkpointer *cp);
uint64_t lr_checkpointer_done(struct lr_checkpointer *cp); /* checkpoints run */
void lr_checkpointer_stop(struct lr_checkpointer *cp);
