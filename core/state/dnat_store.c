#include "state/dnat_store.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "state/state.h"

/* A capture not yet in the database; its values are copied into text. */
struct pending {
  int64_t t;
  unsigned bits;
  size_t offset[LR_DNAT_NFIELDS], len[LR_DNAT_NFIELDS];
  bool present[LR_DNAT_NFIELDS];
};

struct lr_dnat_store {
  struct lr_state *st;
  struct pending *captures;
  size_t n, cap;
  struct lr_buf text;
  int64_t last_purge; /* seconds, entries' clock */
  uint64_t lost;      /* captures not buffered (full) since the last commit */
};

int64_t lr_dnat_store_dies_at(int64_t t, unsigned bits)
{
  return ((t >> bits) + 2) * ((int64_t)1 << bits);
}

struct lr_dnat_store *lr_dnat_store_open(struct lr_state *st)
{
  struct lr_dnat_store *ds = lr_xcalloc(1, sizeof(*ds));
  ds->st = st;
  return ds;
}

void lr_dnat_store_close(struct lr_dnat_store *ds)
{
  if (!ds)
    return;
  free(ds->captures);
  lr_buf_free(&ds->text);
  free(ds);
}

int lr_dnat_store_load(struct lr_dnat_store *ds, struct lr_dnat *m, char *err, size_t errlen)
{
  sqlite3 *db = lr_state_db(ds->st);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, "SELECT t, bits, saddr, sport, addr, port, daddr, dport FROM dnat "
                             "ORDER BY id", -1, &q, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: reading DNAT mappings: %s", lr_state_path(ds->st),
             lr_state_errmsg(db));
    return -1;
  }
  size_t n = 0, refused = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    struct lr_dnat_values v = {0};
    for (int i = 0; i < LR_DNAT_NFIELDS; i++)
      if (sqlite3_column_type(q, 2 + i) != SQLITE_NULL) {
        const void *b = sqlite3_column_blob(q, 2 + i);
        v.field[i] = (struct lr_dnat_str){b ? b : "", (size_t)sqlite3_column_bytes(q, 2 + i)};
      }
    if (lr_dnat_restore(m, &v, sqlite3_column_int64(q, 0), (unsigned)sqlite3_column_int(q, 1)))
      n++;
    else
      refused++;
  }
  sqlite3_finalize(q);
  if (n || refused)
    lr_log(LOG_INFO, "%zu DNAT mappings restored from the state%s", n,
           refused ? " (some unreadable rows skipped)" : "");
  return 0;
}

void lr_dnat_store_add(struct lr_dnat_store *ds, const struct lr_dnat_values *v, unsigned bits,
                       int64_t t)
{
  size_t len = 0;
  for (int i = 0; i < LR_DNAT_NFIELDS; i++)
    len += v->field[i].s ? v->field[i].len : 0;
  /* while commits fail, what waits is bounded: the mapping still works (the
   * map holds it), only a restart before it expires loses it */
  if (ds->text.len + len + (ds->n + 1) * sizeof(struct pending) > LR_DNAT_STORE_BUFFER_MAX) {
    if (ds->lost++ == 0)
      lr_log(LOG_ERR, "%s: DNAT mappings not saved from now on: %u MiB of them are waiting for "
             "the state database already (they still work, from memory)",
             lr_state_path(ds->st), LR_DNAT_STORE_BUFFER_MAX >> 20);
    return;
  }
  LR_GROW(ds->captures, ds->n + 1, ds->cap, 64);
  struct pending *c = &ds->captures[ds->n++];
  c->t = t;
  c->bits = bits;
  for (int i = 0; i < LR_DNAT_NFIELDS; i++) {
    c->present[i] = v->field[i].s != NULL;
    c->offset[i] = ds->text.len;
    c->len[i] = c->present[i] ? v->field[i].len : 0;
    if (c->present[i])
      lr_buf_add(&ds->text, v->field[i].s, v->field[i].len);
  }
}

static int insert_pending(struct lr_dnat_store *ds, sqlite3 *db)
{
  if (!ds->n)
    return 0;
  sqlite3_stmt *ins;
  if (sqlite3_prepare_v2(db, "INSERT INTO dnat (t, bits, dies_at, saddr, sport, addr, port, "
                             "daddr, dport) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         -1, &ins, NULL) != SQLITE_OK)
    return -1;
  int rc = 0;
  for (size_t k = 0; rc == 0 && k < ds->n; k++) {
    const struct pending *c = &ds->captures[k];
    sqlite3_bind_int64(ins, 1, c->t);
    sqlite3_bind_int(ins, 2, (int)c->bits);
    sqlite3_bind_int64(ins, 3, lr_dnat_store_dies_at(c->t, c->bits));
    for (int i = 0; i < LR_DNAT_NFIELDS; i++)
      if (c->present[i])
        sqlite3_bind_blob(ins, 4 + i, ds->text.data + c->offset[i], (int)c->len[i],
                          SQLITE_STATIC);
      else
        sqlite3_bind_null(ins, 4 + i);
    if (sqlite3_step(ins) != SQLITE_DONE)
      rc = -1;
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  return rc;
}

static int purge_dead(sqlite3 *db, int64_t now)
{
  sqlite3_stmt *del;
  if (sqlite3_prepare_v2(db, "DELETE FROM dnat WHERE dies_at <= ?", -1, &del, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_int64(del, 1, now);
  int rc = sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
  sqlite3_finalize(del);
  return rc;
}

int lr_dnat_store_flush(struct lr_dnat_store *ds, int64_t now)
{
  sqlite3 *db = lr_state_db(ds->st);
  int rc = insert_pending(ds, db);
  if (rc == 0 && now - ds->last_purge >= LR_DNAT_PURGE_EVERY_S) {
    rc = purge_dead(db, now);
    if (rc == 0)
      ds->last_purge = now;
  }
  if (rc < 0) {
    lr_log(LOG_ERR, "%s: saving DNAT mappings: %s", lr_state_path(ds->st), lr_state_errmsg(db));
    return -1;
  }
  return 0;
}

void lr_dnat_store_committed(struct lr_dnat_store *ds)
{
  if (ds->lost) {
    lr_log(LOG_WARNING, "%s: %llu DNAT mapping(s) not saved while the database refused writes: "
           "they work until they expire, but a restart before then loses them",
           lr_state_path(ds->st), (unsigned long long)ds->lost);
    ds->lost = 0;
  }
  ds->n = 0;
  lr_buf_clear(&ds->text);
}

size_t lr_dnat_store_buffered(const struct lr_dnat_store *ds) { return ds ? ds->n : 0; }

uint64_t lr_dnat_store_lost(const struct lr_dnat_store *ds) { return ds ? ds->lost : 0; }
