/* Persistent state in SQLite (WAL) in the storage directory: a versioned
 * schema, written off the hot path: the journal cursor (meta), daily report
 * lines and the email outbox, bans, counters and mappings; opening migrates
 * an older database to the current schema at once.
 *
 *   struct lr_state *st = lr_state_open("/var/lib/luruse", err, sizeof(err));
 *   lr_state_set(st, "cursor:local", cursor);
 *   char *c = lr_state_get(st, "cursor:local");   // malloc'd or NULL
 */
#pragma once
#include <stdint.h>
#include <stddef.h>

struct lr_state;
struct sqlite3;

struct lr_state *lr_state_open(const char *dir, char *err, size_t errlen);
/* The storage directory and its parents, created 0700 where missing: 0, or -1
 * with errno. */
int lr_state_mkdirs(const char *dir);
void lr_state_close(struct lr_state *st);
/* The daemon's: WAL checkpoints on a thread (state/checkpointer.h), not inside
 * the commit that fills the WAL; a failure to start is logged and changes
 * nothing. lr_state_checkpoints: how many that thread ran. */
void lr_state_checkpoint_in_thread(struct lr_state *st);
uint64_t lr_state_checkpoints(struct lr_state *st);
char *lr_state_get(struct lr_state *st, const char *key);
int lr_state_set(struct lr_state *st, const char *key, const char *value);
int lr_state_delete(struct lr_state *st, const char *key); /* absent is fine */

/* A saved position: the journal cursor, a followed file's offset. */
struct lr_state_kv {
  const char *key, *value;
};
const char *lr_state_path(const struct lr_state *st);

/* For modules that keep their own tables (report lines, outbox...). */
struct sqlite3 *lr_state_db(struct lr_state *st);
/* sqlite3_errmsg(db), with the system's reason when there is one ("disk I/O
 * error (Read-only file system)"): what an administrator can act on. The text
 * is valid until the next call. */
const char *lr_state_errmsg(struct sqlite3 *db);
/* Runs SQL without results; logs and returns -1 on failure. */
int lr_state_exec(struct lr_state *st, const char *sql);
/* One transaction for the cursor and what the entries before it produced, so
 * that a crash replays both or neither. */
int lr_state_begin(struct lr_state *st);
int lr_state_commit(struct lr_state *st);   /* rolls back on failure */
void lr_state_rollback(struct lr_state *st); /* if a transaction is open */
