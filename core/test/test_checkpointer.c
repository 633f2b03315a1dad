/* WAL checkpoints on their own thread: commits that fill the WAL wake it, it
 * checkpoints while the writer goes on, nothing written is lost, and stopping
 * it (closing the state) hands the checkpoints back to SQLite. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "check.h"
#include "state/state.h"
#include "state_fixture.h"
#include "util/log.h"

static long file_size(const char *path)
{
  struct stat s;
  return stat(path, &s) == 0 ? (long)s.st_size : -1;
}

int main(void)
{
  lr_log_to_stderr(true);
  struct state_fixture f;
  struct lr_state *st = state_fixture_open(&f, "checkpointer");
  if (!st)
    return check_done();
  lr_state_checkpoint_in_thread(st);
  CHECK_INT(lr_state_exec(st, "CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB)"), 0);
  /* 40 commits of 100 pages each: the WAL passes LR_CHECKPOINT_PAGES four times */
  for (int i = 0; i < 40; i++) {
    CHECK_INT(lr_state_begin(st), 0);
    char sql[128];
    snprintf(sql, sizeof(sql), "INSERT INTO big (b) VALUES (randomblob(409600))");
    CHECK_INT(lr_state_exec(st, sql), 0);
    CHECK_INT(lr_state_commit(st), 0);
  }
  /* the thread runs on its own time: give it up to 10 s */
  for (int i = 0; i < 1000 && lr_state_checkpoints(st) == 0; i++)
    nanosleep(&(struct timespec){0, 10000000}, NULL);
  CHECK(lr_state_checkpoints(st) > 0);
  CHECK_INT(state_fixture_rows(st, "big"), 40);
  char db[600];
  snprintf(db, sizeof(db), "%s/luruse.db", f.dir);
  /* what it copied is in the database file itself */
  CHECK(file_size(db) > 4L * 1024 * 1024);
  lr_state_close(st);
  st = lr_state_open(f.dir, (char[256]){0}, 256);
  CHECK(st != NULL);
  if (st)
    CHECK_INT(state_fixture_rows(st, "big"), 40);
  f.st = st;
  state_fixture_close(&f);
  return check_done();
}
