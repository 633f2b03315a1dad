#include "state/state.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "state/checkpointer.h"
#include "util/log.h"
#include "util/xalloc.h"

#define SCHEMA_VERSION (int)(sizeof(migrations) / sizeof(migrations[0]))

struct lr_state {
  sqlite3 *db;
  struct lr_checkpointer *checkpointer; /* NULL: SQLite's automatic checkpoints */
  sqlite3_stmt *get, *set;
  char *path;
  /* transactions refused (disk full, read-only): the first is logged, the
   * next ones counted and logged once a minute, the end of it once */
  uint64_t writes_failed, writes_unlogged;
  int64_t writes_logged_at;
  char last_write_error[256];
};

#define WRITE_ERRORS_EVERY_S 60

/* Each step upgrades from version i to i+1; a database newer than this build is refused. */
static const char *const migrations[] = {
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
  /* v2: daily report lines waiting for midnight, and emails waiting for sendmail */
  "CREATE TABLE report_line (id INTEGER PRIMARY KEY, level INTEGER NOT NULL,"
  " details INTEGER NOT NULL, time_usec INTEGER NOT NULL, message TEXT NOT NULL);"
  "CREATE TABLE outbox (id INTEGER PRIMARY KEY, created_usec INTEGER NOT NULL,"
  " attempts INTEGER NOT NULL DEFAULT 0, next_try_usec INTEGER NOT NULL DEFAULT 0,"
  " last_error TEXT, what TEXT NOT NULL, message BLOB NOT NULL);",
  /* v3: counters (live ticks as packed runs: little-endian int64 expiry, 0 = never,
   * and uint32 count)
   * and DNAT mappings, so that a restart keeps what a reload keeps */
  "CREATE TABLE counter (category TEXT NOT NULL, key BLOB NOT NULL, runs BLOB NOT NULL,"
  " grace_until INTEGER NOT NULL, PRIMARY KEY (category, key)) WITHOUT ROWID;"
  "CREATE TABLE dnat (id INTEGER PRIMARY KEY, t INTEGER NOT NULL, bits INTEGER NOT NULL,"
  " dies_at INTEGER NOT NULL, saddr BLOB NOT NULL, sport BLOB, addr BLOB NOT NULL,"
  " port BLOB, daddr BLOB, dport BLOB);"
  "CREATE INDEX dnat_dies_at ON dnat (dies_at);",
  /* v4: firewall bans (core/defence/bans.c): end time on the wall clock, 0 = permanent */
  "CREATE TABLE ban (backend TEXT NOT NULL, set_name TEXT NOT NULL, addr TEXT NOT NULL,"
  " until_usec INTEGER NOT NULL, PRIMARY KEY (backend, set_name, addr)) WITHOUT ROWID;"
  "CREATE INDEX ban_addr ON ban (addr);"
  "CREATE INDEX ban_until ON ban (until_usec);",
  /* v5: what the firewall said of a ban: error NULL and pending 0 once applied,
   * pending 1 while its command waits or runs, error the reason it failed */
  "ALTER TABLE ban ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE ban ADD COLUMN error TEXT;",
  /* v6: the daily report's host sections and summary (notify/report_tally_store.c):
   * each line's _HOSTNAME, and counts per kind (enum lr_report_count_kind), local
   * day and pair of keys (raw log bytes) */
  "ALTER TABLE report_line ADD COLUMN host TEXT NOT NULL DEFAULT '';"
  "CREATE TABLE report_count (kind INTEGER NOT NULL, day INTEGER NOT NULL, a BLOB NOT NULL,"
  " b BLOB NOT NULL, n INTEGER NOT NULL, first_usec INTEGER NOT NULL,"
  " last_usec INTEGER NOT NULL, PRIMARY KEY (kind, day, a, b)) WITHOUT ROWID;",
  /* v7: who made each ban (a jail's name, "manual"; NULL: a ban step) and when,
   * for `luruse status`'s jails */
  "ALTER TABLE ban ADD COLUMN origin TEXT;"
  "ALTER TABLE ban ADD COLUMN since_usec INTEGER NOT NULL DEFAULT 0;",
  /* v8: counters as an append-only log of packed records, one row per commit
   * (state/counters_store.h); the rows of `counter` are read first, then the
   * log, and the first compaction empties `counter` */
  "CREATE TABLE counter_log (id INTEGER PRIMARY KEY, records BLOB NOT NULL);",
  /* v9: the log's record format per row (state/counters_record.h): v8's rows
   * are format 1, new ones format 2 (varints, less than half the bytes) */
  "ALTER TABLE counter_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;",
  /* v10: the report's lines packed in chunks, one or more per commit
   * (notify/report_pack.h), with their count and time span; report_line's
   * rows are still read, and cleared as they are reported */
  "CREATE TABLE report_chunk (id INTEGER PRIMARY KEY, format INTEGER NOT NULL,"
  " n INTEGER NOT NULL, min_usec INTEGER NOT NULL, max_usec INTEGER NOT NULL,"
  " lines BLOB NOT NULL);",
};

const char *lr_state_errmsg(sqlite3 *db)
{
  static char buf[512];
  int code = sqlite3_errcode(db) & 0xff, e = sqlite3_system_errno(db);
  /* the system's errno is only this error's for the file-level failures */
  if (e == 0 || (code != SQLITE_IOERR && code != SQLITE_FULL && code != SQLITE_CANTOPEN &&
                 code != SQLITE_READONLY))
    return sqlite3_errmsg(db);
  snprintf(buf, sizeof(buf), "%s (%s)", sqlite3_errmsg(db), strerror(e));
  return buf;
}

int lr_state_mkdirs(const char *dir)
{
  char *p = lr_xstrdup(dir);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/')
      continue;
    *s = '\0';
    if (mkdir(p, 0700) < 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  int rc = mkdir(p, 0700) < 0 && errno != EEXIST ? -1 : 0;
  free(p);
  return rc;
}

static int migrate(struct lr_state *st, char *err, size_t errlen)
{
  sqlite3_stmt *q;
  int version = 0;
  if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    version = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  if (version > SCHEMA_VERSION) {
    snprintf(err, errlen, "%s: state schema %d is newer than this luruse (%d)", st->path, version,
             SCHEMA_VERSION);
    return -1;
  }
  for (; version < SCHEMA_VERSION; version++) {
    char sql[4096], *msg = NULL;
    snprintf(sql, sizeof(sql), "BEGIN; %s PRAGMA user_version = %d; COMMIT;", migrations[version],
             version + 1);
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
      snprintf(err, errlen, "%s: upgrading the state to version %d: %s", st->path, version + 1,
               msg ? msg : "?");
      sqlite3_free(msg);
      sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
      return -1;
    }
  }
  return 0;
}

struct lr_state *lr_state_open(const char *dir, char *err, size_t errlen)
{
  if (lr_state_mkdirs(dir) < 0) {
    snprintf(err, errlen, "cannot create the storage directory %s: %s", dir, strerror(errno));
    return NULL;
  }
  struct lr_state *st = lr_xcalloc(1, sizeof(*st));
  st->path = lr_xasprintf("%s/luruse.db", dir);
  if (sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
      SQLITE_OK) {
    snprintf(err, errlen, "%s: %s", st->path, lr_state_errmsg(st->db));
    goto fail;
  }
  sqlite3_busy_timeout(st->db, 5000);
  /* WAL + synchronous=NORMAL: a crash loses at most the last commits, never the database */
  /* a page cache of 8 MiB (SQLite's default is 2 MiB): 100,000 ban records
   * written at once (a fleet's resync) no longer read their index pages back
   * from the file on each insert */
  sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                       "PRAGMA cache_size=-8192;", NULL, NULL, NULL);
  if (migrate(st, err, errlen) < 0)
    goto fail;
  if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?", -1, &st->get, NULL) ||
      sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", -1,
                         &st->set, NULL)) {
    snprintf(err, errlen, "%s: %s", st->path, lr_state_errmsg(st->db));
    goto fail;
  }
  return st;
fail:
  lr_state_close(st);
  return NULL;
}

void lr_state_close(struct lr_state *st)
{
  if (!st)
    return;
  if (st->writes_unlogged)
    lr_log(LOG_ERR, "%s: %llu more transaction(s) refused (the last: %s)", st->path,
           (unsigned long long)st->writes_unlogged, st->last_write_error);
  lr_checkpointer_stop(st->checkpointer);
  sqlite3_finalize(st->get);
  sqlite3_finalize(st->set);
  sqlite3_close(st->db);
  free(st->path);
  free(st);
}

char *lr_state_get(struct lr_state *st, const char *key)
{
  char *out = NULL;
  sqlite3_bind_text(st->get, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step(st->get) == SQLITE_ROW)
    out = lr_xstrdup((const char *)sqlite3_column_text(st->get, 0));
  sqlite3_reset(st->get);
  return out;
}

int lr_state_set(struct lr_state *st, const char *key, const char *value)
{
  sqlite3_bind_text(st->set, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st->set, 2, value, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st->set);
  sqlite3_reset(st->set);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: saving %s: %s", st->path, key, lr_state_errmsg(st->db));
    return -1;
  }
  return 0;
}

int lr_state_delete(struct lr_state *st, const char *key)
{
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(st->db, "DELETE FROM meta WHERE key = ?", -1, &q, NULL) != SQLITE_OK) {
    lr_log(LOG_ERR, "%s: forgetting %s: %s", st->path, key, lr_state_errmsg(st->db));
    return -1;
  }
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: forgetting %s: %s", st->path, key, lr_state_errmsg(st->db));
    return -1;
  }
  return 0;
}

const char *lr_state_path(const struct lr_state *st) { return st->path; }

sqlite3 *lr_state_db(struct lr_state *st) { return st->db; }

int lr_state_exec(struct lr_state *st, const char *sql)
{
  if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
    lr_log(LOG_ERR, "%s: %s: %s", st->path, sql, lr_state_errmsg(st->db));
    return -1;
  }
  return 0;
}

static int64_t mono_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec;
}

/* BEGIN or COMMIT: a database that refuses writes refuses every retry, and
 * the daemon retries each second. */
static int exec_transaction(struct lr_state *st, const char *sql)
{
  if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK)
    return 0;
  snprintf(st->last_write_error, sizeof(st->last_write_error), "%s: %s", sql,
           lr_state_errmsg(st->db));
  int64_t now = mono_seconds();
  if (st->writes_failed++ == 0) {
    lr_log(LOG_ERR, "%s: %s (further refusals are counted, and logged once a minute)",
           st->path, st->last_write_error);
    st->writes_logged_at = now;
    return -1;
  }
  st->writes_unlogged++;
  if (now - st->writes_logged_at >= WRITE_ERRORS_EVERY_S) {
    lr_log(LOG_ERR, "%s: %llu more transaction(s) refused in %lld s (the last: %s)", st->path,
           (unsigned long long)st->writes_unlogged, (long long)(now - st->writes_logged_at),
           st->last_write_error);
    st->writes_unlogged = 0;
    st->writes_logged_at = now;
  }
  return -1;
}

int lr_state_begin(struct lr_state *st) { return exec_transaction(st, "BEGIN IMMEDIATE"); }

int lr_state_commit(struct lr_state *st)
{
  if (exec_transaction(st, "COMMIT") == 0) {
    if (st->writes_failed) {
      lr_log(LOG_NOTICE, "%s: the database takes writes again, after %llu refused "
             "transaction(s) (the last: %s)", st->path, (unsigned long long)st->writes_failed,
             st->last_write_error);
      st->writes_failed = st->writes_unlogged = 0;
    }
    lr_checkpointer_report(st->checkpointer);
    return 0;
  }
  lr_state_rollback(st);
  return -1;
}

void lr_state_rollback(struct lr_state *st)
{
  /* a failed COMMIT (disk full) may already have rolled back */
  if (!sqlite3_get_autocommit(st->db))
    lr_state_exec(st, "ROLLBACK");
}

void lr_state_checkpoint_in_thread(struct lr_state *st)
{
  char err[512];
  if (!st->checkpointer && !(st->checkpointer = lr_checkpointer_start(st->db, st->path, err,
                                                                      sizeof(err))))
    lr_log(LOG_WARNING, "%s; SQLite checkpoints inside the commits instead", err);
}

uint64_t lr_state_checkpoints(struct lr_state *st)
{
  return st->checkpointer ? lr_checkpointer_done(st->checkpointer) : 0;
}
