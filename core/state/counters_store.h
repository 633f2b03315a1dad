/* The counters' persistence, in the state database: an append-only log of
 * records (table `counter_log`; each commit appends the records of the keys
 * that changed since the previous one, in rows of about 1 MiB at most), read
 * once at start and appended to with each cursor commit, so that a restart
 * (or a crash, which
 * replays the entries after the cursor) keeps every count. Appending one blob
 * costs a fraction of a B-tree write per key: a flood of new addresses writes
 * a record per raise (and one per key it evicts) and nothing else. When the log
 * holds more than twice the live keys plus COMPACT_SLACK records, the save
 * writes a snapshot instead (every live key, in rows of about 1 MiB) and the
 * log starts again from it.
 *
 * The records' formats are in counters_record.h (a row's `format` column
 * says which; this build writes format 2, and reads 1 too). A record with no
 * run and no grace deletes its key. A row whose record is cut short loses the rest of the row (logged); a key the
 * counters refuse (longer than LR_COUNTERS_MAX_KEY) is skipped. The table
 * `counter` (schema v3 to v7: one row per key, the same runs) is read before
 * the log, and emptied by the first compaction.
 *
 *   struct lr_counters *c = lr_counters_new();
 *   lr_counters_track_dirty(c, true);                    // save writes the dirty set
 *   size_t logged;                                       // records in the log
 *   if (lr_counters_store_load(state, c, &logged, err, sizeof(err)) < 0) ...
 *   lr_state_begin(state);                               // with each cursor commit
 *   if (lr_counters_store_save(state, c, resync, &logged) == 0 && lr_state_commit(state) == 0)
 *     resync = false;
 *   else
 *     lr_state_rollback(state), resync = true; // the dirty set is gone: rewrite all
 *
 * Owned by nobody: the functions take the state and the counters they work on
 * (core/rules/services.c calls them). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "state/counters.h"

struct lr_state;

/* Restores every stored key into c (logged: how many) and sets *logged to the
 * number of records read. -1 with err when a table cannot be read. */
int lr_counters_store_load(struct lr_state *st, struct lr_counters *c, size_t *logged, char *err,
                           size_t errlen);
/* Call inside a transaction. Appends the keys changed since the last save (the
 * dirty set, which this consumes) to the log, or writes a snapshot: with
 * `all` (after a rolled-back save, whose dirty set is gone), or when the log
 * has grown past its bound. Keeps *logged up to date. -1 (logged) on a
 * database error. */
int lr_counters_store_save(struct lr_state *st, struct lr_counters *c, bool all, size_t *logged);
