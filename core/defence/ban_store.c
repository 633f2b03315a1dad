#include "defence/ban_store.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"
#include "state/state.h"

#define PURGE_EVERY_USEC (60 * (int64_t)1000000) /* expired records leave the table */

struct lr_ban_store {
  struct lr_state *st;
  sqlite3 *db;
  sqlite3_stmt *put, *get, *by_addr, *del_addr, *purge, *del_one, *mark;
  int64_t last_purge_usec;
};

static const char *const backend_names[] = {"nft", "ipset"};

const char *lr_ban_backend_name(enum lr_ban_backend backend)
{
  return backend == LR_BAN_IPSET ? backend_names[1] : backend_names[0];
}

int lr_ban_backend_parse(const char *name, enum lr_ban_backend *out)
{
  if (!name)
    return -1;
  if (strcmp(name, "nft") == 0)
    *out = LR_BAN_NFT;
  else if (strcmp(name, "ipset") == 0)
    *out = LR_BAN_IPSET;
  else
    return -1;
  return 0;
}

struct lr_ban_store *lr_ban_store_open(struct lr_state *st, char *err, size_t errlen)
{
  struct lr_ban_store *s = lr_xcalloc(1, sizeof(*s));
  s->st = st;
  s->db = lr_state_db(st);
  static const struct { size_t offset; const char *sql; } stmts[] = {
    {offsetof(struct lr_ban_store, put), "INSERT OR REPLACE INTO ban (backend, set_name, addr, "
                                         "until_usec, pending, error, origin, since_usec) "
                                         "VALUES (?, ?, ?, ?, ?, NULL, ?, ?)"},
    {offsetof(struct lr_ban_store, mark), "UPDATE ban SET pending = 0, error = ?4 WHERE "
                                          "backend = ?1 AND set_name = ?2 AND addr = ?3"},
    {offsetof(struct lr_ban_store, get), "SELECT until_usec FROM ban WHERE backend = ? AND "
                                         "set_name = ? AND addr = ?"},
    {offsetof(struct lr_ban_store, del_one), "DELETE FROM ban WHERE backend = ? AND "
                                             "set_name = ? AND addr = ?"},
    {offsetof(struct lr_ban_store, by_addr), "SELECT backend, set_name, until_usec, error FROM "
                                             "ban WHERE addr = ? ORDER BY backend, set_name"},
    {offsetof(struct lr_ban_store, del_addr), "DELETE FROM ban WHERE addr = ?"},
    {offsetof(struct lr_ban_store, purge), "DELETE FROM ban WHERE until_usec != 0 AND "
                                           "until_usec <= ?"},
  };
  for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
    sqlite3_stmt **q = (sqlite3_stmt **)((char *)s + stmts[i].offset);
    if (sqlite3_prepare_v2(s->db, stmts[i].sql, -1, q, NULL) != SQLITE_OK) {
      snprintf(err, errlen, "%s: bans: %s", lr_state_path(st), lr_state_errmsg(s->db));
      lr_ban_store_close(s);
      return NULL;
    }
  }
  return s;
}

void lr_ban_store_close(struct lr_ban_store *s)
{
  if (!s)
    return;
  sqlite3_finalize(s->put);
  sqlite3_finalize(s->get);
  sqlite3_finalize(s->del_one);
  sqlite3_finalize(s->by_addr);
  sqlite3_finalize(s->del_addr);
  sqlite3_finalize(s->purge);
  sqlite3_finalize(s->mark);
  free(s);
}

const char *lr_ban_store_errmsg(struct lr_ban_store *s) { return lr_state_errmsg(s->db); }

static void bind_key(sqlite3_stmt *q, enum lr_ban_backend backend, const char *set,
                     const char *addr)
{
  sqlite3_bind_text(q, 1, lr_ban_backend_name(backend), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, set, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, addr, -1, SQLITE_STATIC);
}

static int step_done(struct lr_ban_store *s, sqlite3_stmt *q, const char *what)
{
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  sqlite3_clear_bindings(q);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: %s: %s", lr_state_path(s->st), what, lr_state_errmsg(s->db));
    return -1;
  }
  return 0;
}

int lr_ban_store_get(struct lr_ban_store *s, enum lr_ban_backend backend, const char *set,
                     const char *addr, int64_t *until)
{
  bind_key(s->get, backend, set, addr);
  int rc = sqlite3_step(s->get);
  int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
  if (found == 1)
    *until = sqlite3_column_int64(s->get, 0);
  sqlite3_reset(s->get);
  return found;
}

int lr_ban_store_put(struct lr_ban_store *s, enum lr_ban_backend backend, const char *set,
                     const char *addr, int64_t until, bool pending, const char *origin,
                     int64_t since)
{
  bind_key(s->put, backend, set, addr);
  sqlite3_bind_int64(s->put, 4, until);
  sqlite3_bind_int(s->put, 5, pending);
  if (origin)
    sqlite3_bind_text(s->put, 6, origin, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(s->put, 6);
  sqlite3_bind_int64(s->put, 7, since);
  return step_done(s, s->put, "recording a ban");
}

void lr_ban_store_mark(struct lr_ban_store *s, enum lr_ban_backend backend, const char *set,
                       const char *addr, const char *error)
{
  bind_key(s->mark, backend, set, addr);
  if (error)
    sqlite3_bind_text(s->mark, 4, error, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(s->mark, 4);
  step_done(s, s->mark, "recording a ban's state");
}

int lr_ban_store_drop(struct lr_ban_store *s, const char *backend, const char *set,
                      const char *addr)
{
  sqlite3_bind_text(s->del_one, 1, backend, -1, SQLITE_STATIC);
  sqlite3_bind_text(s->del_one, 2, set, -1, SQLITE_STATIC);
  sqlite3_bind_text(s->del_one, 3, addr, -1, SQLITE_STATIC);
  return step_done(s, s->del_one, "dropping a ban record");
}

void lr_ban_store_purge(struct lr_ban_store *s, int64_t now_usec, bool only_if_due)
{
  if (only_if_due && now_usec - s->last_purge_usec < PURGE_EVERY_USEC)
    return;
  sqlite3_bind_int64(s->purge, 1, now_usec);
  if (step_done(s, s->purge, "dropping expired bans") == 0)
    s->last_purge_usec = now_usec;
}

int64_t lr_ban_store_count_live(struct lr_ban_store *s, int64_t now_usec)
{
  sqlite3_stmt *q;
  int64_t n = -1;
  if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM ban WHERE (until_usec = 0 OR until_usec > ?)"
                                " AND error IS NULL", -1, &q, NULL) == SQLITE_OK) {
    sqlite3_bind_int64(q, 1, now_usec);
    if (sqlite3_step(q) == SQLITE_ROW)
      n = sqlite3_column_int64(q, 0);
  }
  sqlite3_finalize(q);
  return n;
}

void lr_ban_rows_free(struct lr_ban_row *rows, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(rows[i].backend);
    free(rows[i].set);
    free(rows[i].addr);
    free(rows[i].error);
    free(rows[i].origin);
  }
  free(rows);
}

static char *column_dup(sqlite3_stmt *q, int i)
{
  const unsigned char *s = sqlite3_column_text(q, i);
  return lr_xstrdup(s ? (const char *)s : "");
}

int lr_ban_store_load(struct lr_ban_store *s, struct lr_ban_row **out, size_t *n)
{
  sqlite3_stmt *q;
  *out = NULL;
  *n = 0;
  if (sqlite3_prepare_v2(s->db, "SELECT backend, set_name, addr, until_usec, error, pending, origin, "
                                "since_usec FROM ban "
                                "ORDER BY backend, set_name, addr", -1, &q, NULL) != SQLITE_OK) {
    lr_log(LOG_ERR, "%s: reading bans: %s", lr_state_path(s->st), lr_state_errmsg(s->db));
    return -1;
  }
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    LR_GROW(*out, *n + 1, cap, 64);
    struct lr_ban_row *r = &(*out)[(*n)++];
    r->backend = column_dup(q, 0);
    r->set = column_dup(q, 1);
    r->addr = column_dup(q, 2);
    r->until = sqlite3_column_int64(q, 3);
    r->error = sqlite3_column_type(q, 4) == SQLITE_NULL ? NULL : column_dup(q, 4);
    r->pending = sqlite3_column_int(q, 5) != 0;
    r->origin = sqlite3_column_type(q, 6) == SQLITE_NULL ? NULL : column_dup(q, 6);
    r->since = sqlite3_column_int64(q, 7);
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: reading bans: %s", lr_state_path(s->st), lr_state_errmsg(s->db));
    lr_ban_rows_free(*out, *n);
    *out = NULL;
    *n = 0;
    return -1;
  }
  return 0;
}

int lr_ban_store_by_addr(struct lr_ban_store *s, const char *addr, lr_ban_store_addr_fn *cb,
                         void *ctx)
{
  sqlite3_bind_text(s->by_addr, 1, addr, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(s->by_addr)) == SQLITE_ROW)
    cb(ctx, (const char *)sqlite3_column_text(s->by_addr, 0),
       (const char *)sqlite3_column_text(s->by_addr, 1), sqlite3_column_int64(s->by_addr, 2),
       sqlite3_column_type(s->by_addr, 3) != SQLITE_NULL);
  sqlite3_reset(s->by_addr);
  sqlite3_clear_bindings(s->by_addr);
  return rc == SQLITE_DONE ? 0 : -1;
}

int lr_ban_store_delete_addr(struct lr_ban_store *s, const char *addr)
{
  sqlite3_bind_text(s->del_addr, 1, addr, -1, SQLITE_STATIC);
  if (step_done(s, s->del_addr, "removing bans") < 0)
    return -1;
  return sqlite3_changes(s->db);
}
