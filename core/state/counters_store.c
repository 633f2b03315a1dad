#include "state/counters_store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/xalloc.h"
#include "state/state.h"

void lr_counters_runs_pack(struct lr_buf *out, const struct lr_counter_run *runs, size_t nruns)
{
  for (size_t i = 0; i < nruns; i++) {
    unsigned char b[LR_COUNTERS_RUN_BYTES];
    uint64_t e = (uint64_t)runs[i].expiry;
    for (int k = 0; k < 8; k++)
      b[k] = (unsigned char)(e >> (8 * k));
    for (int k = 0; k < 4; k++)
      b[8 + k] = (unsigned char)(runs[i].count >> (8 * k));
    lr_buf_add(out, (const char *)b, LR_COUNTERS_RUN_BYTES);
  }
}

size_t lr_counters_runs_unpack(const unsigned char *b, size_t len, struct lr_counter_run *runs)
{
  size_t nruns = len / LR_COUNTERS_RUN_BYTES;
  for (size_t i = 0; i < nruns; i++) {
    uint64_t e = 0;
    uint32_t c = 0;
    for (int k = 7; k >= 0; k--)
      e = e << 8 | b[i * LR_COUNTERS_RUN_BYTES + (size_t)k];
    for (int k = 3; k >= 0; k--)
      c = c << 8 | b[i * LR_COUNTERS_RUN_BYTES + 8 + (size_t)k];
    runs[i] = (struct lr_counter_run){(int64_t)e, c};
  }
  return nruns;
}

int lr_counters_store_load(struct lr_state *st, struct lr_counters *c, char *err, size_t errlen)
{
  sqlite3 *db = lr_state_db(st);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, "SELECT category, key, runs, grace_until FROM counter", -1, &q,
                         NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: reading counters: %s", lr_state_path(st), sqlite3_errmsg(db));
    return -1;
  }
  size_t n = 0;
  struct lr_counter_run *runs = NULL;
  size_t cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const unsigned char *b = sqlite3_column_blob(q, 2);
    size_t len = (size_t)sqlite3_column_bytes(q, 2);
    LR_GROW(runs, len / LR_COUNTERS_RUN_BYTES + 1, cap, 16);
    size_t nruns = lr_counters_runs_unpack(b, len, runs);
    const char *cat = (const char *)sqlite3_column_text(q, 0);
    const void *key = sqlite3_column_blob(q, 1);
    if (lr_counters_restore(c, cat ? cat : "", key ? key : "", (size_t)sqlite3_column_bytes(q, 1),
                            runs, nruns, sqlite3_column_int64(q, 3)) == 0)
      n++;
  }
  free(runs);
  sqlite3_finalize(q);
  if (n)
    lr_log(LOG_INFO, "%zu counter keys restored from the state", n);
  return 0;
}

struct counter_writer {
  sqlite3_stmt *upsert, *del;
  struct lr_buf runs;
  int rc;
};

static void write_counter(void *ctx, const char *category, const char *key, size_t len,
                          const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  struct counter_writer *w = ctx;
  sqlite3_stmt *q = nruns || grace_until ? w->upsert : w->del;
  sqlite3_bind_text(q, 1, category, -1, SQLITE_STATIC);
  sqlite3_bind_blob(q, 2, len ? key : "", (int)len, SQLITE_STATIC);
  if (q == w->upsert) {
    lr_buf_clear(&w->runs);
    lr_counters_runs_pack(&w->runs, runs, nruns);
    sqlite3_bind_blob(q, 3, w->runs.data ? w->runs.data : "", (int)w->runs.len, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, grace_until);
  }
  if (sqlite3_step(q) != SQLITE_DONE)
    w->rc = -1;
  sqlite3_reset(q);
}

static void ignore_counter(void *ctx, const char *category, const char *key, size_t len,
                           const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  (void)ctx, (void)category, (void)key, (void)len, (void)runs, (void)nruns, (void)grace_until;
}

int lr_counters_store_save(struct lr_state *st, struct lr_counters *c, bool all)
{
  sqlite3 *db = lr_state_db(st);
  struct counter_writer w = {0};
  if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO counter (category, key, runs, grace_until) "
                             "VALUES (?, ?, ?, ?)", -1, &w.upsert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "DELETE FROM counter WHERE category = ? AND key = ?", -1, &w.del,
                         NULL) != SQLITE_OK)
    w.rc = -1;
  else if (!all)
    lr_counters_each_dirty(c, write_counter, &w);
  else if (lr_state_exec(st, "DELETE FROM counter") < 0)
    w.rc = -1;
  else {
    lr_counters_each_dirty(c, ignore_counter, NULL); /* every key is written below */
    lr_counters_each(c, write_counter, &w);
  }
  sqlite3_finalize(w.upsert);
  sqlite3_finalize(w.del);
  lr_buf_free(&w.runs);
  if (w.rc < 0)
    lr_log(LOG_ERR, "%s: saving counters: %s", lr_state_path(st), sqlite3_errmsg(db));
  return w.rc;
}
