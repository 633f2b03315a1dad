/* The counters' persistence: one row per key in the state database's table
 * `counter` (category TEXT, key BLOB, runs BLOB, grace_until INTEGER), read
 * once at start and written back with each cursor commit, so that a restart
 * (or a crash, which replays the entries after the cursor) keeps every count.
 *
 * The ticks of a key are stored as packed runs, LR_COUNTERS_RUN_BYTES each:
 *   bytes 0-7   expiry, int64 little-endian (entries' clock, seconds; 0: never)
 *   bytes 8-11  count, uint32 little-endian
 * in the counters' order (sorted by expiry). A blob whose length is not a
 * multiple of the run size loses its trailing bytes; a row the counters
 * refuse (a key longer than LR_COUNTERS_MAX_KEY) is skipped.
 *
 *   struct lr_counters *c = lr_counters_new();
 *   lr_counters_track_dirty(c, true);                    // save writes the dirty set
 *   if (lr_counters_store_load(state, c, err, sizeof(err)) < 0) ...   // at start
 *   lr_state_begin(state);                               // with each cursor commit
 *   if (lr_counters_store_save(state, c, resync) == 0 && lr_state_commit(state) == 0)
 *     resync = false;
 *   else
 *     lr_state_rollback(state), resync = true; // the dirty set is gone: rewrite all
 *
 * Owned by nobody: the functions take the state and the counters they work on
 * (core/rules/services.c calls them). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "state/counters.h"

struct lr_state;

#define LR_COUNTERS_RUN_BYTES 12

/* Appends the packed form of runs to out. */
void lr_counters_runs_pack(struct lr_buf *out, const struct lr_counter_run *runs, size_t nruns);
/* Unpacks len / LR_COUNTERS_RUN_BYTES runs of b into runs (room for that many);
 * returns how many. */
size_t lr_counters_runs_unpack(const unsigned char *b, size_t len, struct lr_counter_run *runs);

/* Restores every stored key into c (logged: how many). -1 with err when the
 * table cannot be read. */
int lr_counters_store_load(struct lr_state *st, struct lr_counters *c, char *err, size_t errlen);
/* Call inside a transaction. Writes the keys changed since the last save (the
 * dirty set, which this consumes; deleted keys lose their row), or, with
 * `all`, empties the table and writes every key (after a rolled-back save,
 * whose dirty set is gone). -1 (logged) on a database error. */
int lr_counters_store_save(struct lr_state *st, struct lr_counters *c, bool all);
