#include "state/counters_store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/counters_record.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "state/state.h"

#define COMPACT_SLACK 65536u  /* log records beyond twice the live keys before a compaction */
#define CHUNK_BYTES (1u << 20) /* the log's and snapshots' rows: about 1 MiB each */

/* ---- load ---- */

static int load_rows(struct lr_state *st, struct lr_counters *c, size_t *n, char *err,
                     size_t errlen)
{
  sqlite3 *db = lr_state_db(st);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, "SELECT category, key, runs, grace_until FROM counter", -1, &q,
                         NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: reading counters: %s", lr_state_path(st), lr_state_errmsg(db));
    return -1;
  }
  struct lr_counter_run *runs = NULL;
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const unsigned char *b = sqlite3_column_blob(q, 2);
    size_t len = (size_t)sqlite3_column_bytes(q, 2);
    LR_GROW(runs, len / LR_COUNTERS_RUN_BYTES + 1, cap, 16);
    size_t nruns = lr_counters_runs_unpack(b, len, runs);
    const char *cat = (const char *)sqlite3_column_text(q, 0);
    const void *key = sqlite3_column_blob(q, 1);
    if (lr_counters_restore(c, cat ? cat : "", key ? key : "", (size_t)sqlite3_column_bytes(q, 1),
                            runs, nruns, sqlite3_column_int64(q, 3)) == 0)
      ++*n;
  }
  free(runs);
  /* a read cut short must not pass for the whole table: the next compaction
   * would make the loss final */
  if (rc != SQLITE_DONE)
    snprintf(err, errlen, "%s: reading counters: %s", lr_state_path(st), lr_state_errmsg(db));
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? 0 : -1;
}

struct restore_ctx {
  struct lr_counters *c;
  size_t restored;
};

static void restore_record(void *ctx, const char *category, const char *key, size_t len,
                           const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  struct restore_ctx *r = ctx;
  if (lr_counters_restore(r->c, category, key, len, runs, nruns, grace_until) == 0)
    r->restored++;
}

static int load_log(struct lr_state *st, struct lr_counters *c, size_t *records, char *err,
                    size_t errlen)
{
  sqlite3 *db = lr_state_db(st);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, "SELECT id, format, records FROM counter_log ORDER BY id", -1, &q,
                         NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: reading counters: %s", lr_state_path(st), lr_state_errmsg(db));
    return -1;
  }
  struct restore_ctx ctx = {c, 0};
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    int format = sqlite3_column_int(q, 1);
    const unsigned char *b = sqlite3_column_blob(q, 2);
    size_t len = (size_t)sqlite3_column_bytes(q, 2);
    size_t used = lr_counters_records_read(format, b, len, restore_record, &ctx, records);
    if (used < len)
      lr_log(LOG_WARNING, "%s: counter_log row %lld (format %d): a record cut short or "
             "unreadable at byte %zu of %zu; the rest of the row is skipped", lr_state_path(st),
             (long long)sqlite3_column_int64(q, 0), format, used, len);
  }
  if (rc != SQLITE_DONE) /* as in load_rows */
    snprintf(err, errlen, "%s: reading counters: %s", lr_state_path(st), lr_state_errmsg(db));
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? 0 : -1;
}

int lr_counters_store_load(struct lr_state *st, struct lr_counters *c, size_t *logged, char *err,
                           size_t errlen)
{
  size_t rows = 0, records = 0;
  if (load_rows(st, c, &rows, err, errlen) < 0 || load_log(st, c, &records, err, errlen) < 0)
    return -1;
  *logged = rows + records; /* the rows of v7's table count: a compaction removes them */
  size_t n = lr_counters_keys(c);
  if (n)
    lr_log(LOG_INFO, "%zu counter keys restored from the state", n);
  return 0;
}

/* ---- save ---- */

struct counter_writer {
  sqlite3_stmt *append;
  struct lr_counters_packer packer;
  struct lr_buf records;
  size_t n;      /* records in `records` */
  size_t total;  /* records written */
  int rc;
};

static void write_records(struct counter_writer *w)
{
  if (w->rc < 0) { /* the save has failed: what follows is not kept either */
    lr_buf_clear(&w->records);
    w->n = 0;
    return;
  }
  if (w->n == 0)
    return;
  if (w->records.len > INT32_MAX) {
    w->rc = -1;
    return;
  }
  sqlite3_bind_blob(w->append, 2, w->records.data, (int)w->records.len, SQLITE_STATIC);
  if (sqlite3_step(w->append) != SQLITE_DONE)
    w->rc = -1;
  sqlite3_reset(w->append);
  w->total += w->n;
  w->n = 0;
  lr_buf_clear(&w->records);
  lr_counters_packer_start(&w->packer, &w->records); /* each row reads on its own */
}

static void pack_counter(void *ctx, const char *category, const char *key, size_t len,
                         const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  struct counter_writer *w = ctx;
  lr_counters_pack(&w->packer, category, key, len, runs, nruns, grace_until);
  w->n++;
}

static void pack_chunked(void *ctx, const char *category, const char *key, size_t len,
                         const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  struct counter_writer *w = ctx;
  pack_counter(w, category, key, len, runs, nruns, grace_until);
  if (w->records.len >= CHUNK_BYTES)
    write_records(w);
}

static void ignore_counter(void *ctx, const char *category, const char *key, size_t len,
                           const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  (void)ctx, (void)category, (void)key, (void)len, (void)runs, (void)nruns, (void)grace_until;
}

int lr_counters_store_save(struct lr_state *st, struct lr_counters *c, bool all, size_t *logged)
{
  sqlite3 *db = lr_state_db(st);
  struct counter_writer w = {0};
  if (sqlite3_prepare_v2(db, "INSERT INTO counter_log (format, records) VALUES (?, ?)", -1,
                         &w.append, NULL) != SQLITE_OK) {
    lr_log(LOG_ERR, "%s: saving counters: %s", lr_state_path(st), lr_state_errmsg(db));
    return -1;
  }
  sqlite3_bind_int(w.append, 1, LR_COUNTERS_FORMAT);
  lr_counters_packer_start(&w.packer, &w.records);
  bool snapshot = all;
  if (!all) {
    /* in rows of about CHUNK_BYTES: a flood's second of new keys is not
     * held in memory whole */
    lr_counters_each_dirty(c, pack_chunked, &w);
    /* a log over twice the live keys (plus slack) is mostly dead records:
     * the snapshot replaces it (rows just written included), and holds what
     * was just packed */
    snapshot = *logged + w.total + w.n > 2 * lr_counters_keys(c) + COMPACT_SLACK;
    if (!snapshot) {
      write_records(&w);
      *logged += w.total;
    }
  } else
    lr_counters_each_dirty(c, ignore_counter, NULL); /* every key is written below */
  if (snapshot) {
    lr_buf_clear(&w.records);
    lr_counters_packer_start(&w.packer, &w.records);
    w.n = w.total = 0;
    if (lr_state_exec(st, "DELETE FROM counter; DELETE FROM counter_log") < 0)
      w.rc = -1;
    lr_counters_each(c, pack_chunked, &w);
    write_records(&w);
    *logged = w.total;
  }
  sqlite3_finalize(w.append);
  lr_counters_packer_free(&w.packer);
  lr_buf_free(&w.records);
  if (w.rc < 0)
    lr_log(LOG_ERR, "%s: saving counters: %s", lr_state_path(st), lr_state_errmsg(db));
  return w.rc;
}
