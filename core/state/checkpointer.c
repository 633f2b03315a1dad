#include "state/checkpointer.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

struct lr_checkpointer {
  sqlite3 *owner;  /* the writer's connection, whose WAL hook this is */
  sqlite3 *db;     /* the thread's own */
  char *path;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool want, stop;
  /* under mu: what the thread did, for report() */
  uint64_t done, failed, reported;
  char last_error[256];
};

static void *run(void *arg)
{
  struct lr_checkpointer *cp = arg;
  pthread_mutex_lock(&cp->mu);
  for (;;) {
    while (!cp->want && !cp->stop)
      pthread_cond_wait(&cp->cv, &cp->mu);
    if (cp->stop)
      break;
    cp->want = false;
    pthread_mutex_unlock(&cp->mu);
    int rc = sqlite3_wal_checkpoint_v2(cp->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    pthread_mutex_lock(&cp->mu);
    cp->done++;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) { /* BUSY: another checkpoint ran */
      cp->failed++;
      snprintf(cp->last_error, sizeof(cp->last_error), "%s", sqlite3_errmsg(cp->db));
    }
  }
  pthread_mutex_unlock(&cp->mu);
  return NULL;
}

/* After each commit of the owner, on its thread. */
static int on_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
  (void)db, (void)name;
  struct lr_checkpointer *cp = arg;
  if (pages >= LR_CHECKPOINT_PAGES) {
    pthread_mutex_lock(&cp->mu);
    cp->want = true;
    pthread_cond_signal(&cp->cv);
    pthread_mutex_unlock(&cp->mu);
  }
  return SQLITE_OK;
}

struct lr_checkpointer *lr_checkpointer_start(sqlite3 *db, const char *path, char *err,
                                              size_t errlen)
{
  struct lr_checkpointer *cp = lr_xcalloc(1, sizeof(*cp));
  cp->owner = db;
  cp->path = lr_xstrdup(path);
  /* a connection that never read the database does not know of the WAL: its
   * checkpoints would do nothing */
  if (sqlite3_open_v2(path, &cp->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) !=
          SQLITE_OK ||
      sqlite3_exec(cp->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: checkpoint connection: %s", path, sqlite3_errmsg(cp->db));
    sqlite3_close(cp->db);
    free(cp->path);
    free(cp);
    return NULL;
  }
  pthread_mutex_init(&cp->mu, NULL);
  pthread_cond_init(&cp->cv, NULL);
  int rc = pthread_create(&cp->thread, NULL, run, cp);
  if (rc != 0) {
    snprintf(err, errlen, "%s: checkpoint thread: %s", path, strerror(rc));
    pthread_mutex_destroy(&cp->mu);
    pthread_cond_destroy(&cp->cv);
    sqlite3_close(cp->db);
    free(cp->path);
    free(cp);
    return NULL;
  }
  sqlite3_wal_hook(db, on_wal, cp); /* replaces the automatic checkpoint */
  return cp;
}

void lr_checkpointer_report(struct lr_checkpointer *cp)
{
  if (!cp)
    return;
  pthread_mutex_lock(&cp->mu);
  uint64_t n = cp->failed - cp->reported;
  char why[sizeof(cp->last_error)];
  memcpy(why, cp->last_error, sizeof(why));
  cp->reported = cp->failed;
  pthread_mutex_unlock(&cp->mu);
  if (n)
    lr_log(LOG_WARNING, "%s: %llu WAL checkpoint(s) failed (the last: %s); the WAL grows until "
           "one succeeds", cp->path, (unsigned long long)n, why);
}

uint64_t lr_checkpointer_done(struct lr_checkpointer *cp)
{
  pthread_mutex_lock(&cp->mu);
  uint64_t n = cp->done;
  pthread_mutex_unlock(&cp->mu);
  return n;
}

void lr_checkpointer_stop(struct lr_checkpointer *cp)
{
  if (!cp)
    return;
  sqlite3_wal_autocheckpoint(cp->owner, LR_CHECKPOINT_PAGES); /* SQLite's own again */
  pthread_mutex_lock(&cp->mu);
  cp->stop = true;
  pthread_cond_signal(&cp->cv);
  pthread_mutex_unlock(&cp->mu);
  pthread_join(cp->thread, NULL);
  lr_checkpointer_report(cp);
  pthread_mutex_destroy(&cp->mu);
  pthread_cond_destroy(&cp->cv);
  sqlite3_close(cp->db);
  free(cp->path);
  free(cp);
}
