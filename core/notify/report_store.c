#include "notify/report_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/report_pack.h"
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

#define CHUNK_BYTES (1u << 20) /* a flush's chunks: about 1 MiB each */
#define LOST_MESSAGE "%llu report line(s) lost: the state database refused its writes, " \
                     "and the lines waiting for it had filled their %u MiB"

struct lr_report_store {
  struct lr_state *st;
  sqlite3_stmt *insert;         /* a chunk */
  sqlite3_stmt *select, *forget; /* schema v2-v9's rows, one per line */
  sqlite3_stmt *select_chunks, *forget_chunks, *drop_chunk, *rewrite_chunk;
  struct lr_report_packer packer;
  struct lr_buf chunk;
  struct buffered_line *buffered;
  size_t nbuffered, cap;
  struct lr_buf text;
  size_t flushed;     /* buffered lines written by the last flush, not yet committed */
  size_t stored;      /* lines in the database */
  int64_t stored_oldest; /* -1: none */
  int64_t oldest;     /* of stored and buffered lines; -1: none */
  /* lines refused while the buffer was full (the database refusing commits):
   * the next flush writes one line that says so, taken off at its commit */
  uint64_t lost, lost_flushed;
  int64_t lost_first;
};

static size_t buffered_bytes(const struct lr_report_store *rs)
{
  return rs->text.len + rs->nbuffered * sizeof(struct buffered_line);
}

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
  if (sqlite3_prepare_v2(lr_state_db(rs->st),
                         "SELECT count(*), min(time_usec) FROM report_line UNION ALL "
                         "SELECT coalesce(sum(n), 0), min(min_usec) FROM report_chunk",
                         -1, &q, NULL) != SQLITE_OK)
    return -1;
  size_t stored = 0;
  int64_t oldest = -1;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    stored += (size_t)sqlite3_column_int64(q, 0);
    if (sqlite3_column_type(q, 1) != SQLITE_NULL &&
        (oldest < 0 || sqlite3_column_int64(q, 1) < oldest))
      oldest = sqlite3_column_int64(q, 1);
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE)
    return -1;
  rs->stored = stored;
  rs->stored_oldest = oldest;
  update_oldest(rs);
  return 0;
}

struct lr_report_store *lr_report_store_open(struct lr_state *st, char *err, size_t errlen)
{
  struct lr_report_store *rs = lr_xcalloc(1, sizeof(*rs));
  rs->st = st;
  sqlite3 *db = lr_state_db(st);
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO report_chunk (format, n, min_usec, max_usec, lines) "
                         "VALUES (?, ?, ?, ?, ?)", -1, &rs->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT id, format, lines FROM report_chunk WHERE min_usec < ? "
                         "ORDER BY id", -1, &rs->select_chunks, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT id, format, lines, max_usec FROM report_chunk "
                         "WHERE id <= ? AND min_usec < ? ORDER BY id", -1, &rs->forget_chunks,
                         NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "DELETE FROM report_chunk WHERE id = ?", -1, &rs->drop_chunk,
                         NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "UPDATE report_chunk SET format = ?, n = ?, min_usec = ?, max_usec = ?, "
                         "lines = ? WHERE id = ?", -1, &rs->rewrite_chunk, NULL) != SQLITE_OK ||
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
  sqlite3_finalize(rs->select_chunks);
  sqlite3_finalize(rs->forget_chunks);
  sqlite3_finalize(rs->drop_chunk);
  sqlite3_finalize(rs->rewrite_chunk);
  lr_report_packer_free(&rs->packer);
  lr_buf_free(&rs->chunk);
  free(rs->buffered);
  lr_buf_free(&rs->text);
  free(rs);
}

void lr_report_store_add(struct lr_report_store *rs, enum lr_report_level level,
                         enum lr_report_details details, int64_t time_usec, const char *msg,
                         size_t len, const char *host, size_t host_len)
{
  if (!host)
    host_len = 0;
  if (buffered_bytes(rs) + len + host_len + sizeof(struct buffered_line) >
      LR_REPORT_BUFFER_MAX) {
    if (rs->lost++ == 0) {
      rs->lost_first = time_usec;
      lr_log(LOG_ERR, "%s: report lines dropped from now on: %u MiB of them are waiting "
             "for the state database already (the report will say how many)",
             lr_state_path(rs->st), LR_REPORT_BUFFER_MAX >> 20);
    }
    return;
  }
  LR_GROW(rs->buffered, rs->nbuffered + 1, rs->cap, 64);
  rs->buffered[rs->nbuffered++] =
      (struct buffered_line){level, details, time_usec, rs->text.len, len, host_len};
  lr_buf_add(&rs->text, msg, len);
  lr_buf_add(&rs->text, host, host_len);
  if (rs->oldest < 0 || time_usec < rs->oldest)
    rs->oldest = time_usec;
}

/* Inserts one chunk of n lines; -1 (logged) on failure. */
static int insert_chunk(struct lr_report_store *rs, struct lr_buf *chunk, size_t n,
                        int64_t min_usec, int64_t max_usec)
{
  if (chunk->len > INT32_MAX)
    return -1;
  sqlite3_bind_int(rs->insert, 1, LR_REPORT_PACK_FORMAT);
  sqlite3_bind_int64(rs->insert, 2, (int64_t)n);
  sqlite3_bind_int64(rs->insert, 3, min_usec);
  sqlite3_bind_int64(rs->insert, 4, max_usec);
  sqlite3_bind_blob(rs->insert, 5, chunk->data, (int)chunk->len, SQLITE_STATIC);
  int rc = sqlite3_step(rs->insert);
  sqlite3_reset(rs->insert);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: saving report lines: %s", lr_state_path(rs->st),
           lr_state_errmsg(lr_state_db(rs->st)));
    return -1;
  }
  return 0;
}

/* A chunk in the making: lines packed, how many, their time span. */
struct chunk_writer {
  struct lr_report_store *rs;
  size_t n;
  int64_t min_usec, max_usec;
  int rc;
};

static void chunk_add(struct chunk_writer *w, const struct lr_report_line *l)
{
  struct lr_report_store *rs = w->rs;
  if (w->n == 0) {
    lr_buf_clear(&rs->chunk);
    lr_report_packer_start(&rs->packer, &rs->chunk);
    w->min_usec = w->max_usec = l->time_usec;
  }
  lr_report_pack(&rs->packer, l);
  w->n++;
  if (l->time_usec < w->min_usec)
    w->min_usec = l->time_usec;
  if (l->time_usec > w->max_usec)
    w->max_usec = l->time_usec;
}

/* Writes the chunk in the making, if any. */
static void chunk_end(struct chunk_writer *w)
{
  if (w->n && w->rc == 0)
    w->rc = insert_chunk(w->rs, &w->rs->chunk, w->n, w->min_usec, w->max_usec);
  w->n = 0;
}

/* The lines stay buffered until the transaction commits: a rollback (disk
 * full...) keeps them for the next flush instead of losing them. */
int lr_report_store_flush(struct lr_report_store *rs)
{
  rs->flushed = 0;
  rs->lost_flushed = 0;
  struct chunk_writer w = {.rs = rs};
  for (size_t i = 0; i < rs->nbuffered && w.rc == 0; i++) {
    const struct buffered_line *b = &rs->buffered[i];
    struct lr_report_line l = {b->level, b->details, b->time_usec, rs->text.data + b->offset,
                               b->len, rs->text.data + b->offset + b->len, b->host_len};
    chunk_add(&w, &l);
    if (rs->chunk.len >= CHUNK_BYTES)
      chunk_end(&w);
  }
  if (rs->lost && w.rc == 0) {
    char msg[200];
    int n = snprintf(msg, sizeof(msg), LOST_MESSAGE, (unsigned long long)rs->lost,
                     LR_REPORT_BUFFER_MAX >> 20);
    chunk_add(&w, &(struct lr_report_line){LR_REPORT_WARN, LR_DETAILS_FIRST, rs->lost_first,
                                           msg, (size_t)n, NULL, 0});
  }
  chunk_end(&w);
  if (w.rc < 0)
    return -1;
  rs->flushed = rs->nbuffered;
  rs->lost_flushed = rs->lost;
  return 0;
}

void lr_report_store_committed(struct lr_report_store *rs)
{
  size_t done = rs->flushed, rest = rs->nbuffered - done;
  rs->flushed = 0;
  if (rs->lost_flushed) {
    lr_log(LOG_WARNING, "%s: " LOST_MESSAGE "; the report says so", lr_state_path(rs->st),
           (unsigned long long)rs->lost_flushed, LR_REPORT_BUFFER_MAX >> 20);
    if (rs->stored_oldest < 0 || rs->lost_first < rs->stored_oldest)
      rs->stored_oldest = rs->lost_first;
    rs->stored++;
    rs->lost -= rs->lost_flushed; /* refused since the flush: the next one says */
    rs->lost_flushed = 0;
    update_oldest(rs);
  }
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

struct snapshot_fill {
  struct lr_report_snapshot *snap;
  size_t cap;
  int64_t before_usec;
};

static void snapshot_add(struct snapshot_fill *f, const struct lr_report_line *src)
{
  struct lr_report_snapshot *snap = f->snap;
  LR_GROW(snap->lines, snap->n + 1, f->cap, 256);
  struct lr_report_line *l = &snap->lines[snap->n++];
  *l = *src;
  l->message = (const char *)(uintptr_t)snap->text.len; /* an offset until text stops moving */
  lr_buf_add(&snap->text, src->len ? src->message : "", src->len);
  lr_buf_add(&snap->text, src->host_len ? src->host : "", src->host_len);
}

static void snapshot_line(void *ctx, const struct lr_report_line *l)
{
  struct snapshot_fill *f = ctx;
  if (l->time_usec < f->before_usec)
    snapshot_add(f, l);
}

static void warn_cut(struct lr_report_store *rs, int64_t id, int format, size_t used, size_t len)
{
  lr_log(LOG_WARNING, "%s: report_chunk row %lld (format %d): a line cut short or unreadable "
         "at byte %zu of %zu; the rest of the chunk is skipped", lr_state_path(rs->st),
         (long long)id, format, used, len);
}

int lr_report_store_load(struct lr_report_store *rs, int64_t before_usec,
                         struct lr_report_snapshot *snap)
{
  memset(snap, 0, sizeof(*snap));
  snap->before_usec = before_usec;
  struct snapshot_fill f = {snap, 0, before_usec};
  /* schema v2-v9's rows first: they are older than every chunk */
  sqlite3_bind_int64(rs->select, 1, before_usec);
  int rc;
  while ((rc = sqlite3_step(rs->select)) == SQLITE_ROW) {
    snap->last_id = sqlite3_column_int64(rs->select, 0);
    int level = sqlite3_column_int(rs->select, 1), details = sqlite3_column_int(rs->select, 2);
    /* a row from a damaged or foreign database must not index out of range */
    struct lr_report_line l = {
        level >= LR_REPORT_WARN && level <= LR_REPORT_OTHER ? level : LR_REPORT_OTHER,
        details >= LR_DETAILS_ALL && details <= LR_DETAILS_FIRSTLAST ? details : LR_DETAILS_ALL,
        sqlite3_column_int64(rs->select, 3),
        (const char *)sqlite3_column_text(rs->select, 4),
        (size_t)sqlite3_column_bytes(rs->select, 4),
        (const char *)sqlite3_column_text(rs->select, 5),
        (size_t)sqlite3_column_bytes(rs->select, 5)};
    snapshot_add(&f, &l);
  }
  sqlite3_reset(rs->select);
  if (rc == SQLITE_DONE) {
    sqlite3_bind_int64(rs->select_chunks, 1, before_usec);
    while ((rc = sqlite3_step(rs->select_chunks)) == SQLITE_ROW) {
      int64_t id = sqlite3_column_int64(rs->select_chunks, 0);
      int format = sqlite3_column_int(rs->select_chunks, 1);
      const unsigned char *b = sqlite3_column_blob(rs->select_chunks, 2);
      size_t len = (size_t)sqlite3_column_bytes(rs->select_chunks, 2), n = 0;
      snap->last_chunk = id;
      size_t used = lr_report_unpack(format, b, len, snapshot_line, &f, &n);
      if (used < len)
        warn_cut(rs, id, format, used, len);
    }
    sqlite3_reset(rs->select_chunks);
  }
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

/* The lines of a chunk that stay (not older than the snapshot's deadline),
 * packed again. */
struct chunk_keep {
  struct lr_report_store *rs;
  struct chunk_writer w;
  int64_t before_usec;
};

static void keep_line(void *ctx, const struct lr_report_line *l)
{
  struct chunk_keep *k = ctx;
  if (l->time_usec >= k->before_usec)
    chunk_add(&k->w, l);
}

static int step_done(sqlite3_stmt *q)
{
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* A chunk the snapshot took lines from: dropped, or rewritten with the
 * lines it did not take. */
static int forget_chunk(struct lr_report_store *rs, int64_t id, int format,
                        const unsigned char *b, size_t len, int64_t max_usec,
                        int64_t before_usec)
{
  if (max_usec < before_usec) {
    sqlite3_bind_int64(rs->drop_chunk, 1, id);
    return step_done(rs->drop_chunk);
  }
  struct chunk_keep k = {rs, {.rs = rs}, before_usec};
  size_t n = 0, used = lr_report_unpack(format, b, len, keep_line, &k, &n);
  if (used < len)
    warn_cut(rs, id, format, used, len);
  if (k.w.n == 0) {
    sqlite3_bind_int64(rs->drop_chunk, 1, id);
    return step_done(rs->drop_chunk);
  }
  if (rs->chunk.len > INT32_MAX)
    return -1;
  sqlite3_bind_int(rs->rewrite_chunk, 1, LR_REPORT_PACK_FORMAT);
  sqlite3_bind_int64(rs->rewrite_chunk, 2, (int64_t)k.w.n);
  sqlite3_bind_int64(rs->rewrite_chunk, 3, k.w.min_usec);
  sqlite3_bind_int64(rs->rewrite_chunk, 4, k.w.max_usec);
  sqlite3_bind_blob(rs->rewrite_chunk, 5, rs->chunk.data, (int)rs->chunk.len, SQLITE_STATIC);
  sqlite3_bind_int64(rs->rewrite_chunk, 6, id);
  return step_done(rs->rewrite_chunk);
}

int lr_report_store_forget(struct lr_report_store *rs, const struct lr_report_snapshot *snap)
{
  sqlite3_bind_int64(rs->forget, 1, snap->last_id);
  sqlite3_bind_int64(rs->forget, 2, snap->before_usec);
  int rc = step_done(rs->forget);
  /* the chunks are changed after the read: a row is not rewritten under its
   * own SELECT */
  struct { int64_t id, max_usec; int format; size_t at, len; } *todo = NULL;
  size_t ntodo = 0, cap = 0;
  struct lr_buf blobs = {0};
  if (rc == 0) {
    sqlite3_bind_int64(rs->forget_chunks, 1, snap->last_chunk);
    sqlite3_bind_int64(rs->forget_chunks, 2, snap->before_usec);
    int step;
    while ((step = sqlite3_step(rs->forget_chunks)) == SQLITE_ROW) {
      LR_GROW(todo, ntodo + 1, cap, 16);
      size_t len = (size_t)sqlite3_column_bytes(rs->forget_chunks, 2);
      todo[ntodo].id = sqlite3_column_int64(rs->forget_chunks, 0);
      todo[ntodo].format = sqlite3_column_int(rs->forget_chunks, 1);
      todo[ntodo].max_usec = sqlite3_column_int64(rs->forget_chunks, 3);
      todo[ntodo].at = blobs.len;
      todo[ntodo++].len = len;
      /* a chunk wholly taken needs no bytes */
      if (todo[ntodo - 1].max_usec >= snap->before_usec && len)
        lr_buf_add(&blobs, sqlite3_column_blob(rs->forget_chunks, 2), len);
      else
        todo[ntodo - 1].len = 0;
    }
    sqlite3_reset(rs->forget_chunks);
    rc = step == SQLITE_DONE ? 0 : -1;
  }
  for (size_t i = 0; i < ntodo && rc == 0; i++)
    rc = forget_chunk(rs, todo[i].id, todo[i].format,
                      todo[i].len ? (const unsigned char *)blobs.data + todo[i].at : NULL,
                      todo[i].len,
                      todo[i].max_usec, snap->before_usec);
  free(todo);
  lr_buf_free(&blobs);
  if (rc < 0)
    lr_log(LOG_ERR, "%s: clearing sent report lines: %s", lr_state_path(rs->st),
           lr_state_errmsg(lr_state_db(rs->st)));
  return rc;
}

int lr_report_store_recount(struct lr_report_store *rs) { return count_rows(rs); }

void lr_report_snapshot_free(struct lr_report_snapshot *snap)
{
  free(snap->lines);
  lr_buf_free(&snap->text);
  memset(snap, 0, sizeof(*snap));
}
