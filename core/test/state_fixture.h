/* A throwaway state database for the unit tests of the stores: a fresh
 * directory under /tmp, opened, then closed and removed.
 *
 *   struct state_fixture f;
 *   struct lr_state *st = state_fixture_open(&f, "counters-store");  // NULL: failed
 *   CHECK_INT(state_fixture_rows(st, "counter"), 0);
 *   state_fixture_refuse(st, "INSERT", "dnat");   // as a full disk would
 *   state_fixture_accept(st);
 *   state_fixture_close(&f);
 */
#pragma once
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "state/state.h"

struct state_fixture {
  char dir[128];
  struct lr_state *st;
};

static inline struct lr_state *state_fixture_open(struct state_fixture *f, const char *name)
{
  char err[512];
  snprintf(f->dir, sizeof(f->dir), "/tmp/luruse-%s.XXXXXX", name);
  f->st = NULL;
  CHECK(mkdtemp(f->dir) != NULL);
  f->st = lr_state_open(f->dir, err, sizeof(err));
  if (!f->st)
    fprintf(stderr, "%s\n", err);
  CHECK(f->st != NULL);
  return f->st;
}

static inline void state_fixture_close(struct state_fixture *f)
{
  lr_state_close(f->st);
  char cmd[256];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
  CHECK_INT(system(cmd), 0);
}

/* Rows in a table, -1 when it cannot be read. */
static inline long state_fixture_rows(struct lr_state *st, const char *table)
{
  char sql[128];
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
  sqlite3_stmt *q;
  long n = -1;
  if (sqlite3_prepare_v2(lr_state_db(st), sql, -1, &q, NULL) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  return n;
}

/* op ("INSERT", "DELETE"...) on table fails from now on with SQLite's "full
 * disk" message, as a full disk makes it fail; state_fixture_accept ends it. */
static inline void state_fixture_refuse(struct lr_state *st, const char *op, const char *table)
{
  char sql[256];
  snprintf(sql, sizeof(sql), "CREATE TEMP TRIGGER refuse BEFORE %s ON %s "
           "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END", op, table);
  CHECK_INT(lr_state_exec(st, sql), 0);
}

static inline void state_fixture_accept(struct lr_state *st)
{
  CHECK_INT(lr_state_exec(st, "DROP TRIGGER refuse"), 0);
}
