/* Daily report lines waiting for midnight, kept in the state database so a
 * restart or a reload loses none and a report is never sent twice. Each flush
 * packs its lines in chunks (report_pack.h; table report_chunk, about 1 MiB a
 * row at most); the one-row-per-line table report_line of schema v2-v9 is
 * still read, and emptied as its lines are reported.
 *
 * Lines are buffered in memory on the hot path and written by
 * lr_report_store_flush(), which the daemon calls inside the same transaction
 * as the journal cursor: after a crash both or neither are there. They leave
 * the buffer only with lr_report_store_committed(), so a rolled-back
 * transaction loses none. While commits fail (a full or read-only disk),
 * at most LR_REPORT_BUFFER_MAX bytes of lines wait: the later ones are
 * dropped and counted, and the next commit stores one line that says how
 * many (it is logged too).
 *
 *   struct lr_report_store *rs = lr_report_store_open(state, err, sizeof(err));
 *   lr_report_store_add(rs, LR_REPORT_WARN, LR_DETAILS_ALL, t, "Banned 1.2.3.4", 14, "web1", 4);
 *   lr_state_begin(state); lr_report_store_flush(rs);
 *   if (lr_state_commit(state) == 0) lr_report_store_committed(rs);
 *   struct lr_report_snapshot snap; lr_report_store_load(rs, midnight, &snap);
 *   lr_report_render_text(&out, "luruse report", snap.lines, snap.n);
 *   lr_report_store_forget(rs, &snap);   // once handed to the outbox
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "notify/report.h"

#define LR_REPORT_BUFFER_MAX (32u << 20) /* lines waiting for a commit: messages, hosts */

struct lr_state;
struct lr_report_store;

struct lr_report_snapshot {
  struct lr_report_line *lines; /* record order */
  size_t n;
  int64_t last_id;              /* schema v2-v9's rows up to this id are in the snapshot */
  int64_t last_chunk;           /* and the chunks' lines up to this chunk */
  int64_t before_usec;          /* ... if older than this */
  struct lr_buf text;           /* the messages the lines point into */
};

struct lr_report_store *lr_report_store_open(struct lr_state *st, char *err, size_t errlen);
void lr_report_store_close(struct lr_report_store *rs);
/* Copies the message and the host (the entry's _HOSTNAME; NULL: none);
 * never touches the database. */
void lr_report_store_add(struct lr_report_store *rs, enum lr_report_level level,
                         enum lr_report_details details, int64_t time_usec, const char *msg,
                         size_t len, const char *host, size_t host_len);
/* Writes buffered lines (call inside a transaction); -1 (logged) on failure. */
int lr_report_store_flush(struct lr_report_store *rs);
/* The transaction of the last flush committed: those lines leave the buffer. */
void lr_report_store_committed(struct lr_report_store *rs);
/* Time of the oldest pending line (stored or buffered), -1 when there is none. */
int64_t lr_report_store_oldest(const struct lr_report_store *rs);
size_t lr_report_store_pending(const struct lr_report_store *rs);
/* Lines not yet written to the database. */
size_t lr_report_store_buffered(const struct lr_report_store *rs);
/* Reads the stored lines older than before_usec (INT64_MAX: all), in record
 * order; buffered lines are not included. -1 on a database error. */
int lr_report_store_load(struct lr_report_store *rs, int64_t before_usec,
                         struct lr_report_snapshot *snap);
/* Deletes the rows of a snapshot, and rewrites the chunk that spans its
 * deadline without the lines it took (call inside the transaction that queues the
 * report), then, once that transaction ended either way, recount. */
int lr_report_store_forget(struct lr_report_store *rs, const struct lr_report_snapshot *snap);
int lr_report_store_recount(struct lr_report_store *rs);
void lr_report_snapshot_free(struct lr_report_snapshot *snap);
