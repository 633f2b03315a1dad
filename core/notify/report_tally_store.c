#include "notify/report_tally_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/mail.h"
#include "notify/report_tally.h"
#include "state/state.h"
#include "util/log.h"
#include "util/xalloc.h"

#define DAY_CACHE 8

struct day_rows {
  unsigned kind;
  int64_t day;
  int64_t rows;
};

struct lr_report_tally_store {
  struct lr_state *st;
  sqlite3_stmt *update, *insert, *count, *select, *forget, *prune;
  /* keys per kind and day, as counted during one flush */
  struct day_rows days[DAY_CACHE];
  size_t ndays;
  int64_t pruned_before;
  int rc; /* of the flush under way */
};

struct lr_report_tally_store *lr_report_tally_store_open(struct lr_state *st, char *err,
                                                         size_t errlen)
{
  struct lr_report_tally_store *ts = lr_xcalloc(1, sizeof(*ts));
  ts->st = st;
  ts->pruned_before = INT64_MIN;
  sqlite3 *db = lr_state_db(st);
  static const char *const sql[] = {
    "UPDATE report_count SET n = n + ?5, first_usec = min(first_usec, ?6), "
    "last_usec = max(last_usec, ?7) WHERE kind = ?1 AND day = ?2 AND a = ?3 AND b = ?4",
    "INSERT INTO report_count (kind, day, a, b, n, first_usec, last_usec) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT count(*) FROM report_count WHERE kind = ? AND day = ?",
    "SELECT kind, a, b, sum(n), min(first_usec), max(last_usec) FROM report_count "
    "WHERE day < ? GROUP BY kind, a, b",
    "DELETE FROM report_count WHERE day < ?",
    "DELETE FROM report_count WHERE day < ?",
  };
  sqlite3_stmt **q[] = {&ts->update, &ts->insert, &ts->count, &ts->select, &ts->forget,
                        &ts->prune};
  for (size_t i = 0; i < sizeof(q) / sizeof(*q); i++)
    if (sqlite3_prepare_v2(db, sql[i], -1, q[i], NULL) != SQLITE_OK) {
      snprintf(err, errlen, "%s: report figures: %s", lr_state_path(st), lr_state_errmsg(db));
      lr_report_tally_store_close(ts);
      return NULL;
    }
  return ts;
}

void lr_report_tally_store_close(struct lr_report_tally_store *ts)
{
  if (!ts)
    return;
  sqlite3_finalize(ts->update);
  sqlite3_finalize(ts->insert);
  sqlite3_finalize(ts->count);
  sqlite3_finalize(ts->select);
  sqlite3_finalize(ts->forget);
  sqlite3_finalize(ts->prune);
  free(ts);
}

static void fail(struct lr_report_tally_store *ts, const char *what)
{
  if (ts->rc == 0)
    lr_log(LOG_ERR, "%s: %s report figures: %s", lr_state_path(ts->st), what,
           lr_state_errmsg(lr_state_db(ts->st)));
  ts->rc = -1;
}

static void bind_row(sqlite3_stmt *q, const struct lr_report_tally_row *r, const char *a,
                     size_t alen, const char *b, size_t blen)
{
  sqlite3_bind_int(q, 1, (int)r->kind);
  sqlite3_bind_int64(q, 2, r->day);
  sqlite3_bind_blob(q, 3, alen ? a : "", (int)alen, SQLITE_STATIC);
  sqlite3_bind_blob(q, 4, blen ? b : "", (int)blen, SQLITE_STATIC);
  sqlite3_bind_int64(q, 5, (sqlite3_int64)r->n);
  sqlite3_bind_int64(q, 6, r->first_usec);
  sqlite3_bind_int64(q, 7, r->last_usec);
}

/* 1 when the row was there and got the counts, 0 when it is not there. */
static int step(struct lr_report_tally_store *ts, sqlite3_stmt *q, const char *what)
{
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  if (rc != SQLITE_DONE) {
    fail(ts, what);
    return -1;
  }
  return sqlite3_changes(lr_state_db(ts->st)) > 0;
}

static struct day_rows *day_rows(struct lr_report_tally_store *ts, unsigned kind, int64_t day)
{
  for (size_t i = 0; i < ts->ndays; i++)
    if (ts->days[i].kind == kind && ts->days[i].day == day)
      return &ts->days[i];
  if (ts->ndays == DAY_CACHE)
    ts->ndays = 0;
  struct day_rows *d = &ts->days[ts->ndays++];
  *d = (struct day_rows){kind, day, 0};
  sqlite3_bind_int(ts->count, 1, (int)kind);
  sqlite3_bind_int64(ts->count, 2, day);
  if (sqlite3_step(ts->count) == SQLITE_ROW)
    d->rows = sqlite3_column_int64(ts->count, 0);
  else
    fail(ts, "counting");
  sqlite3_reset(ts->count);
  return d;
}

static void add_row(struct lr_report_tally_store *ts, const struct lr_report_tally_row *r,
                    const char *a, size_t alen, const char *b, size_t blen)
{
  bind_row(ts->update, r, a, alen, b, blen);
  int there = step(ts, ts->update, "saving");
  if (there != 0)
    return;
  bool others = alen == 0 && blen == 0;
  if (!others) {
    struct day_rows *d = day_rows(ts, r->kind, r->day);
    int64_t cap = r->kind == LR_COUNT_BAN ? LR_TALLY_BAN_KEYS_PER_DAY : LR_TALLY_KEYS_PER_DAY;
    if (d->rows >= cap) { /* the day has enough keys of this kind: "(others)" */
      add_row(ts, r, "", 0, "", 0);
      return;
    }
    d->rows++;
  }
  bind_row(ts->insert, r, a, alen, b, blen);
  step(ts, ts->insert, "saving");
}

static void flush_row(void *ctx, const struct lr_report_tally_row *r)
{
  struct lr_report_tally_store *ts = ctx;
  if (ts->rc == 0)
    add_row(ts, r, r->a, r->alen, r->b, r->blen);
}

int lr_report_tally_store_flush(struct lr_report_tally_store *ts,
                                const struct lr_report_tally *t)
{
  ts->rc = 0;
  ts->ndays = 0; /* a rolled-back flush may have counted rows that are not there */
  lr_report_tally_each(t, flush_row, ts);
  return ts->rc;
}

int lr_report_tally_store_prune(struct lr_report_tally_store *ts, int64_t before_usec)
{
  if (before_usec < ts->pruned_before + 86400LL * 1000000) /* at most once a day */
    return 0;
  ts->rc = 0;
  sqlite3_bind_int64(ts->prune, 1, before_usec);
  if (step(ts, ts->prune, "pruning") < 0)
    return -1;
  ts->pruned_before = before_usec;
  return 0;
}

/* A key as the report shows it: valid UTF-8, control characters as spaces. */
static size_t add_text(struct lr_buf *text, const void *s, size_t len)
{
  size_t off = text->len;
  lr_mail_utf8_sanitize(text, s ? s : "", s ? len : 0);
  for (size_t i = off; i < text->len; i++)
    if ((unsigned char)text->data[i] < 0x20 || text->data[i] == 0x7f)
      text->data[i] = ' ';
  lr_buf_addc(text, '\0');
  return off;
}

int lr_report_tally_store_load(struct lr_report_tally_store *ts, int64_t before_usec,
                               struct lr_report_counts *out)
{
  memset(out, 0, sizeof(*out));
  size_t cap = 0, *offs = NULL;
  sqlite3_stmt *q = ts->select;
  sqlite3_bind_int64(q, 1, before_usec);
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    int kind = sqlite3_column_int(q, 0);
    if (kind < 0 || kind >= LR_COUNT_KINDS) /* a damaged or newer database */
      continue;
    if (out->n == cap) {
      LR_GROW(out->rows, out->n + 1, cap, 64);
      offs = lr_xreallocarray(offs, cap, 2 * sizeof(*offs));
    }
    struct lr_report_count *c = &out->rows[out->n];
    offs[2 * out->n] = add_text(&out->text, sqlite3_column_blob(q, 1),
                                (size_t)sqlite3_column_bytes(q, 1));
    offs[2 * out->n + 1] = add_text(&out->text, sqlite3_column_blob(q, 2),
                                    (size_t)sqlite3_column_bytes(q, 2));
    c->kind = (enum lr_report_count_kind)kind;
    c->n = (uint64_t)sqlite3_column_int64(q, 3);
    c->first_usec = sqlite3_column_int64(q, 4);
    c->last_usec = sqlite3_column_int64(q, 5);
    out->n++;
  }
  sqlite3_reset(q);
  for (size_t i = 0; i < out->n; i++) { /* the text stopped moving */
    out->rows[i].a = out->text.data + offs[2 * i];
    out->rows[i].b = out->text.data + offs[2 * i + 1];
  }
  free(offs);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: reading report figures: %s", lr_state_path(ts->st),
           lr_state_errmsg(lr_state_db(ts->st)));
    lr_report_counts_free(out);
    return -1;
  }
  return 0;
}

int lr_report_tally_store_forget(struct lr_report_tally_store *ts, int64_t before_usec)
{
  ts->rc = 0;
  sqlite3_bind_int64(ts->forget, 1, before_usec);
  return step(ts, ts->forget, "clearing") < 0 ? -1 : 0;
}

void lr_report_counts_free(struct lr_report_counts *c)
{
  free(c->rows);
  lr_buf_free(&c->text);
  memset(c, 0, sizeof(*c));
}
