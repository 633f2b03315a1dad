/* The DNAT mappings' persistence: table `dnat` of the state database, one row
 * per mapping (t, bits, dies_at, then the six values as BLOBs, NULL when
 * absent), in capture order (id). A capture is buffered in memory on the hot
 * path and written by lr_dnat_store_flush(), inside the cursor's transaction;
 * it leaves the buffer only with lr_dnat_store_committed(), so a rolled-back
 * transaction loses none; while commits fail, at most
 * LR_DNAT_STORE_BUFFER_MAX bytes wait, and later captures are not saved
 * (counted, logged; the map still holds them). Rows of dead mappings (dies_at <= now, the entries'
 * clock) are purged by a flush at most once a minute.
 *
 *   struct lr_dnat_store *ds = lr_dnat_store_open(state);
 *   lr_dnat_store_load(ds, map, err, sizeof(err));        // at start: every stored row
 *   lr_dnat_store_add(ds, &v, lr_dnat_bits(keep), t);      // with each lr_dnat_capture
 *   lr_state_begin(state); lr_dnat_store_flush(ds, now_s);
 *   if (lr_state_commit(state) == 0) lr_dnat_store_committed(ds);
 *   lr_dnat_store_close(ds);
 *
 * A row the map refuses (no saddr or addr, a value too long, bits outside
 * 1..62) is skipped at load (logged). Not thread-safe. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "state/dnat.h"

struct lr_state;
struct lr_dnat_store;

#define LR_DNAT_PURGE_EVERY_S 60 /* dead mappings leave the database this often */
#define LR_DNAT_STORE_BUFFER_MAX (32u << 20) /* captures waiting for a commit, values included */

/* NULL never (aborts when out of memory). */
struct lr_dnat_store *lr_dnat_store_open(struct lr_state *st);
void lr_dnat_store_close(struct lr_dnat_store *ds); /* NULL is fine */
/* Restores every stored mapping into m, in capture order (logged: how many,
 * and whether some were skipped). -1 with err when the table cannot be read. */
int lr_dnat_store_load(struct lr_dnat_store *ds, struct lr_dnat *m, char *err, size_t errlen);
/* Copies a captured mapping (captured at t, entries' clock) into the buffer. */
void lr_dnat_store_add(struct lr_dnat_store *ds, const struct lr_dnat_values *v, unsigned bits,
                       int64_t t);
/* Writes the buffered mappings and, once a minute, purges the dead rows (call
 * inside a transaction; now in seconds, entries' clock). -1 (logged) on a
 * database error. */
int lr_dnat_store_flush(struct lr_dnat_store *ds, int64_t now);
/* The transaction of the last flush committed: its mappings leave the buffer. */
void lr_dnat_store_committed(struct lr_dnat_store *ds);
/* Mappings buffered, not yet committed. */
size_t lr_dnat_store_buffered(const struct lr_dnat_store *ds);
/* Captures not buffered since the last commit (the buffer was full). */
uint64_t lr_dnat_store_lost(const struct lr_dnat_store *ds);
/* First second at which a mapping captured at t is dead:
 * (now >> bits) > (t >> bits) + 1. */
int64_t lr_dnat_store_dies_at(int64_t t, unsigned bits);
