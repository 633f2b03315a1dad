#include "notify/report_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "state/state.h"
#include "util/xalloc.h"

struct buffered_line {
  enum lr_report_level level;
  enum lr_report_details details;
  int64_t time_usec;
  size_t offset, len; /* into text: the message, then the host */
  size_t host_len;
};

struct lr_report_store {
  struct lr_state *st;
  sqlite3_stmt *insert, *select, *forget;
  struct buffered_line *buffered;
  size_t nbuffered, cap;
  struct lr_buf text;
  size_t flushed;     /* buffered lines written by the last flush, not yet committed */
  size_t stored;      /* rows in the database */
  int64_t stored_oldest; /* -1: none */
  int64_t oldest;     /* of stored and buffered lines; -1: none */
};

static void update_oldest(struct lr_report_store *rs)
{
  rs->oldest = rs->stored_oldest;
  for (size_t i = 0; i < rs->nbuffered; i++)
    if (rs->oldest < 0 || rs->buffered[i].time_usec < rs->oldest)
      rs->oldest = rs->buffered[i].time_usec;
}

static int count_rows(struct lr_report_store *rs)
{
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(lr_state_db(rs->st), "SELECT count(*), min(time_usec) FROM report_line",
                         -1, &q, NULL) != SQLITE_OK)
    return -1;
  int rc = -1;
  if (sqlite3_step(q) == SQLITE_ROW) {
    rs->stored = (size_t)sqlite3_column_int64(q, 0);
    rs->stored_oldest =
        sqlite3_column_type(q, 1) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 1);
    update_oldest(rs);
    rc = 0;
  }
  sqlite3_finalize(q);
  return rc;
}

struct lr_report_store *lr_report_store_open(struct lr_state *st, char *err, size_t errlen)
{
  struct lr_report_store *rs = lr_xcalloc(1, sizeof(*rs));
  rs->st = st;
  sqlite3 *db = lr_state_db(st);
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO report_line (level, details, time_usec, message, host) "
                         "VALUES (?, ?, ?, ?, ?)", -1, &rs->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT id, level, details, time_usec, message, host FROM report_line "
                         "WHERE time_usec < ? ORDER BY id", -1, &rs->select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "DELETE FROM report_line WHERE id <= ? AND time_usec < ?", -1,
                         &rs->forget, NULL) != SQLITE_OK ||
      count_rows(rs) < 0) {
    snprintf(err, errlen, "%s: report lines: %s", lr_state_path(st), lr_state_errmsg(db));
    lr_report_store_close(rs);
    return NULL;
  }
  return rs;
}

void lr_report_store_close(struct lr_report_store *rs)
{
  if (!rs)
    return;
  sqlite3_finalize(rs->insert);
  sqlite3_finalize(rs->select);
  sqlite3_finalize(rs->forget);
  free(rs->buffered);
  lr_buf_free(&rs->text);
  free(rs);
}

void lr_report_store_add(struct lr_report_store *rs, enum lr_report_level level,
                         enum lr_report_details details, int64_t time_usec, const char *msg,
                         size_t len, const char *host, size_t host_len)
{
  LR_GROW(rs->buffered, rs->nbuffered + 1, rs->cap, 64);
  if (!host)
    host_len = 0;
  rs->buffered[rs->nbuffered++] =
      (struct buffered_line){level, details, time_usec, rs->text.len, len, host_len};
  lr_buf_add(&rs->text, msg, len);
  lr_buf_add(&rs->text, host, host_len);
  if (rs->oldest < 0 || time_usec < rs->oldest)
    rs->oldest = time_usec;
}

/* The lines stay buffered until the transaction commits: a rollback (disk
 * full...) keeps them for the next flush instead of losing them. */
int lr_report_store_flush(struct lr_report_store *rs)
{
  rs->flushed = 0;
  for (size_t done = 0; done < rs->nbuffered; done++) {
    const struct buffered_line *b = &rs->buffered[done];
    sqlite3_bind_int(rs->insert, 1, (int)b->level);
    sqlite3_bind_int(rs->insert, 2, (int)b->details);
    sqlite3_bind_int64(rs->insert, 3, b->time_usec);
    sqlite3_bind_text(rs->insert, 4, rs->text.data + b->offset, (int)b->len, SQLITE_STATIC);
    sqlite3_bind_text(rs->insert, 5, rs->text.data + b->offset + b->len, (int)b->host_len,
                      SQLITE_STATIC);
    int rc = sqlite3_step(rs->insert);
    sqlite3_reset(rs->insert);
    if (rc != SQLITE_DONE) {
      lr_log(LOG_ERR, "%s: saving a report line: %s", lr_state_path(rs->st),
             lr_state_errmsg(lr_state_db(rs->st)));
      return -1;
    }
  }
  rs->flushed = rs->nbuffered;
  return 0;
}

void lr_report_store_committed(struct lr_report_store *rs)
{
  size_t done = rs->flushed, rest = rs->nbuffered - done;
  rs->flushed = 0;
  if (!done)
    return;
  for (size_t i = 0; i < done; i++)
    if (rs->stored_oldest < 0 || rs->buffered[i].time_usec < rs->stored_oldest)
      rs->stored_oldest = rs->buffered[i].time_usec;
  if (rest) {
    size_t shift = rs->buffered[done].offset;
    memmove(rs->buffered, rs->buffered + done, rest * sizeof(*rs->buffered));
    memmove(rs->text.data, rs->text.data + shift, rs->text.len - shift);
    rs->text.len -= shift;
    for (size_t i = 0; i < rest; i++)
      rs->buffered[i].offset -= shift;
  } else {
    lr_buf_clear(&rs->text);
  }
  rs->stored += done;
  rs->nbuffered = rest;
  update_oldest(rs);
}

int64_t lr_report_store_oldest(const struct lr_report_store *rs) { return rs->oldest; }

size_t lr_report_store_pending(const struct lr_report_store *rs)
{
  return rs->stored + rs->nbuffered;
}

size_t lr_report_store_buffered(const struct lr_report_store *rs) { return rs->nbuffered; }

int lr_report_store_load(struct lr_report_store *rs, int64_t before_usec,
                         struct lr_report_snapshot *snap)
{
  memset(snap, 0, sizeof(*snap));
  snap->before_usec = before_usec;
  sqlite3_bind_int64(rs->select, 1, before_usec);
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(rs->select)) == SQLITE_ROW) {
    LR_GROW(snap->lines, snap->n + 1, cap, 256);
    struct lr_report_line *l = &snap->lines[snap->n++];
    snap->last_id = sqlite3_column_int64(rs->select, 0);
    int level = sqlite3_column_int(rs->select, 1), details = sqlite3_column_int(rs->select, 2);
    /* a row from a damaged or foreign database must not index out of range */
    l->level = level >= LR_REPORT_WARN && level <= LR_REPORT_OTHER ? level : LR_REPORT_OTHER;
    l->details = details >= LR_DETAILS_ALL && details <= LR_DETAILS_FIRSTLAST ? details
                                                                             : LR_DETAILS_ALL;
    l->time_usec = sqlite3_column_int64(rs->select, 3);
    l->len = (size_t)sqlite3_column_bytes(rs->select, 4);
    l->message = (const char *)(uintptr_t)snap->text.len; /* an offset until text stops moving */
    lr_buf_add(&snap->text, (const char *)sqlite3_column_text(rs->select, 4), l->len);
    l->host_len = (size_t)sqlite3_column_bytes(rs->select, 5);
    lr_buf_add(&snap->text, (const char *)sqlite3_column_text(rs->select, 5), l->host_len);
  }
  sqlite3_reset(rs->select);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: reading report lines: %s", lr_state_path(rs->st),
           lr_state_errmsg(lr_state_db(rs->st)));
    lr_report_snapshot_free(snap);
    return -1;
  }
  for (size_t i = 0; i < snap->n; i++) {
    snap->lines[i].message = snap->text.data + (uintptr_t)snap->lines[i].message;
    snap->lines[i].host = snap->lines[i].message + snap->lines[i].len;
  }
  return 0;
}

int lr_report_store_forget(struct lr_report_store *rs, const struct lr_report_snapshot *snap)
{
  sqlite3_bind_int64(rs->forget, 1, snap->last_id);
  sqlite3_bind_int64(rs->forget, 2, snap->before_usec);
  int rc = sqlite3_step(rs->forget);
  sqlite3_reset(rs->forget);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: clearing sent report lines: %s", lr_state_path(rs->st),
           lr_state_errmsg(lr_state_db(rs->st)));
    return -1;
  }
  return 0;
}

int lr_report_store_recount(struct lr_report_store *rs) { return count_rows(rs); }

void lr_report_snapshot_free(struct lr_report_snapshot *snap)
{
  free(snap->lines);
  lr_buf_free(&snap->text);
  memset(snap, 0, sizeof(*snap));
}
