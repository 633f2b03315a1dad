#include "state/counters_store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"
#include "state/state.h"

static void put_le(struct lr_buf *b, uint64_t v, int bytes)
{
  unsigned char o[8];
  for (int k = 0; k < bytes; k++)
    o[k] = (unsigned char)(v >> (8 * k));
  lr_buf_add(b, (const char *)o, (size_t)bytes);
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
  uint64_t v = 0;
  for (int k = bytes - 1; k >= 0; k--)
    v = v << 8 | p[k];
  return v;
}

void lr_counters_runs_pack(struct lr_buf *out, const struct lr_counter_run *runs, size_t nruns)
{
  for (size_t i = 0; i < nruns; i++) {
    put_le(out, (uint64_t)runs[i].expiry, 8);
    put_le(out, runs[i].count, 4);
  }
}

size_t lr_counters_runs_unpack(const unsigned char *b, size_t len, struct lr_counter_run *runs)
{
  size_t nruns = len / LR_COUNTERS_RUN_BYTES;
  for (size_t i = 0; i < nruns; i++, b += LR_COUNTERS_RUN_BYTES)
    runs[i] = (struct lr_counter_run){(int64_t)get_le(b, 8), (uint32_t)get_le(b + 8, 4)};
  return nruns;
}

/* ---- the log's records ---- */

#define COMPACT_SLACK 65536u  /* log records beyond twice the live keys before a compaction */
#define CHUNK_BYTES (1u << 20) /* a snapshot's rows: about 1 MiB each */


void lr_counters_record_pack(struct lr_buf *out, const char *category, const char *key,
                             size_t len, const struct lr_counter_run *runs, size_t nruns,
                             int64_t grace_until)
{
  size_t clen = strlen(category);
  lr_assert(clen <= UINT16_MAX && len <= UINT16_MAX); /* the rules' and counters' bounds */
  put_le(out, clen, 2);
  lr_buf_add(out, category, clen);
  put_le(out, len, 2);
  lr_buf_add(out, key, len);
  put_le(out, (uint64_t)grace_until, 8);
  put_le(out, nruns, 4);
  lr_counters_runs_pack(out, runs, nruns);
}

/* One record of b at *pos, restored into c; false at the end or on a record
 * cut short (the rest of the blob is unreadable). */
static bool restore_record(struct lr_counters *c, const unsigned char *b, size_t len,
                           size_t *pos, struct lr_buf *scratch, size_t *restored)
{
  size_t p = *pos;
  if (len - p < 2)
    return false;
  size_t clen = (size_t)get_le(b + p, 2);
  if (len - p - 2 < clen + 2)
    return false;
  const unsigned char *cat = b + p + 2;
  p += 2 + clen;
  size_t klen = (size_t)get_le(b + p, 2);
  if (len - p - 2 < klen + 12)
    return false;
  const unsigned char *key = b + p + 2;
  p += 2 + klen;
  int64_t grace = (int64_t)get_le(b + p, 8);
  uint64_t nruns = get_le(b + p + 8, 4);
  p += 12;
  if ((len - p) / LR_COUNTERS_RUN_BYTES < nruns)
    return false;
  /* the category's name NUL-terminated, the runs aligned: both through scratch */
  lr_buf_clear(scratch);
  lr_buf_add(scratch, (const char *)cat, clen);
  lr_buf_addc(scratch, '\0');
  size_t runs_at = (scratch->len + 15) & ~(size_t)15;
  lr_buf_fill(scratch, 0, runs_at - scratch->len + nruns * sizeof(struct lr_counter_run) + 1);
  struct lr_counter_run *runs = (struct lr_counter_run *)(void *)(scratch->data + runs_at);
  lr_counters_runs_unpack(b + p, nruns * LR_COUNTERS_RUN_BYTES, runs);
  p += nruns * LR_COUNTERS_RUN_BYTES;
  if (lr_counters_restore(c, scratch->data, (const char *)key, klen, runs, nruns, grace) == 0)
    ++*restored;
  *pos = p;
  return true;
}

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

static int load_log(struct lr_state *st, struct lr_counters *c, size_t *records, char *err,
                    size_t errlen)
{
  sqlite3 *db = lr_state_db(st);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, "SELECT id, records FROM counter_log ORDER BY id", -1, &q,
                         NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: reading counters: %s", lr_state_path(st), lr_state_errmsg(db));
    return -1;
  }
  struct lr_buf scratch = {0};
  size_t restored = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const unsigned char *b = sqlite3_column_blob(q, 1);
    size_t len = (size_t)sqlite3_column_bytes(q, 1), pos = 0;
    while (pos < len && restore_record(c, b, len, &pos, &scratch, &restored))
      ++*records;
    if (pos < len)
      lr_log(LOG_WARNING, "%s: counter_log row %lld: a record cut short at byte %zu of %zu; "
             "the rest of the row is skipped", lr_state_path(st),
             (long long)sqlite3_column_int64(q, 0), pos, len);
  }
  lr_buf_free(&scratch);
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
  sqlite3_bind_blob(w->append, 1, w->records.data, (int)w->records.len, SQLITE_STATIC);
  if (sqlite3_step(w->append) != SQLITE_DONE)
    w->rc = -1;
  sqlite3_reset(w->append);
  w->total += w->n;
  w->n = 0;
  lr_buf_clear(&w->records);
}

static void pack_counter(void *ctx, const char *category, const char *key, size_t len,
                         const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  struct counter_writer *w = ctx;
  lr_counters_record_pack(&w->records, category, key, len, runs, nruns, grace_until);
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
  if (sqlite3_prepare_v2(db, "INSERT INTO counter_log (records) VALUES (?)", -1, &w.append,
                         NULL) != SQLITE_OK) {
    lr_log(LOG_ERR, "%s: saving counters: %s", lr_state_path(st), lr_state_errmsg(db));
    return -1;
  }
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
    w.n = w.total = 0;
    if (lr_state_exec(st, "DELETE FROM counter; DELETE FROM counter_log") < 0)
      w.rc = -1;
    lr_counters_each(c, pack_chunked, &w);
    write_records(&w);
    *logged = w.total;
  }
  sqlite3_finalize(w.append);
  lr_buf_free(&w.records);
  if (w.rc < 0)
    lr_log(LOG_ERR, "%s: saving counters: %s", lr_state_path(st), lr_state_errmsg(db));
  return w.rc;
}
