#include "notify/outbox.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/argv.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/subprocess.h"
#include "state/state.h"
#include "util/xalloc.h"

#define DB_RETRY_MS 60000 /* the database refused a write: try again after this */
#define RETRY_FIRST_MS 30000
#define RETRY_MAX_MS 3600000

struct lr_outbox {
  struct lr_state *st;
  uv_loop_t *loop;
  uv_timer_t retry;
  bool timer_ready;
  char **sendmail;
  unsigned timeout_ms;
  unsigned retry_first_ms, retry_max_ms;
  sqlite3_stmt *insert, *next_due, *earliest, *done, *failed, *count;
  bool busy;          /* a sendmail is running */
  int64_t undeleted_id; /* sent, but its row could not be deleted yet (0: none) */
  int64_t paused_until; /* the database failed: no sending before (wall usec) */
  int64_t sending_id;
  bool sending_dropped; /* `luruse outbox --drop` removed it meanwhile */
  int sending_attempts;
  char *sending_what;
  lr_outbox_result_fn *on_result; /* the daily report counts them */
  void *on_result_ctx;
};


static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **q)
{
  return sqlite3_prepare_v2(db, sql, -1, q, NULL) == SQLITE_OK ? 0 : -1;
}

struct lr_outbox *lr_outbox_open(struct lr_state *st, uv_loop_t *loop, char *err, size_t errlen)
{
  struct lr_outbox *ob = lr_xcalloc(1, sizeof(*ob));
  ob->st = st;
  ob->loop = loop;
  ob->timeout_ms = 60000;
  ob->retry_first_ms = RETRY_FIRST_MS;
  ob->retry_max_ms = RETRY_MAX_MS;
  sqlite3 *db = lr_state_db(st);
  if (prepare(db, "INSERT INTO outbox (created_usec, next_try_usec, what, message) "
                  "VALUES (?, 0, ?, ?)", &ob->insert) ||
      prepare(db, "SELECT id, attempts, what, message FROM outbox WHERE next_try_usec <= ? "
                  "ORDER BY id LIMIT 1", &ob->next_due) ||
      prepare(db, "SELECT min(next_try_usec) FROM outbox", &ob->earliest) ||
      prepare(db, "DELETE FROM outbox WHERE id = ?", &ob->done) ||
      prepare(db, "UPDATE outbox SET attempts = ?, next_try_usec = ?, last_error = ? "
                  "WHERE id = ?", &ob->failed) ||
      prepare(db, "SELECT count(*) FROM outbox", &ob->count)) {
    snprintf(err, errlen, "%s: outbox: %s", lr_state_path(st), lr_state_errmsg(db));
    lr_outbox_close(ob);
    return NULL;
  }
  if (loop) {
    uv_timer_init(loop, &ob->retry);
    ob->retry.data = ob;
    ob->timer_ready = true;
  }
  return ob;
}

static void free_timer(uv_handle_t *h) { free(h->data); }

static bool forget_sent(struct lr_outbox *ob);

void lr_outbox_close(struct lr_outbox *ob)
{
  if (!ob)
    return;
  if (ob->loop)
    while (ob->busy)
      uv_run(ob->loop, UV_RUN_ONCE);
  forget_sent(ob);
  sqlite3_finalize(ob->insert);
  sqlite3_finalize(ob->next_due);
  sqlite3_finalize(ob->earliest);
  sqlite3_finalize(ob->done);
  sqlite3_finalize(ob->failed);
  sqlite3_finalize(ob->count);
  lr_argv_free(ob->sendmail);
  free(ob->sending_what);
  /* the timer handle lives inside ob: free it from its close callback */
  if (ob->timer_ready) {
    uv_close((uv_handle_t *)&ob->retry, free_timer);
    uv_run(ob->loop, UV_RUN_NOWAIT); /* runs the close callback */
  } else {
    free(ob);
  }
}

static void kick(struct lr_outbox *ob);

void lr_outbox_configure(struct lr_outbox *ob, const char *const *sendmail, unsigned timeout_ms)
{
  char **argv = lr_argv_dup(sendmail);
  lr_argv_free(ob->sendmail);
  ob->sendmail = argv;
  ob->timeout_ms = timeout_ms;
  /* what an earlier run left (a failure, or a sendmail it did not see
   * finish) goes now, or when its retry is due: not only after a new email */
  kick(ob);
}

static void on_retry(uv_timer_t *t) { kick(t->data); }

void lr_outbox_on_result(struct lr_outbox *ob, lr_outbox_result_fn *fn, void *ctx)
{
  ob->on_result = fn;
  ob->on_result_ctx = ctx;
}

void lr_outbox_set_retry(struct lr_outbox *ob, unsigned first_ms, unsigned max_ms)
{
  ob->retry_first_ms = first_ms ? first_ms : 1;
  ob->retry_max_ms = max_ms > first_ms ? max_ms : first_ms;
}

static unsigned retry_delay_ms(const struct lr_outbox *ob, int attempts)
{
  uint64_t ms = ob->retry_first_ms;
  for (int i = 1; i < attempts && ms < ob->retry_max_ms; i++)
    ms *= 2;
  return (unsigned)(ms < ob->retry_max_ms ? ms : ob->retry_max_ms);
}

static void on_sent(void *opaque, const struct lr_spawn_result *r)
{
  struct lr_outbox *ob = opaque;
  ob->busy = false;
  bool ok = !r->spawn_failed && !r->timed_out && !r->term_signal && r->exit_status == 0;
  if (ob->on_result)
    ob->on_result(ob->on_result_ctx, ok);
  if (ob->sending_dropped) {
    ob->sending_dropped = false;
    lr_log(LOG_INFO, "email \"%s\", dropped from the outbox while sendmail had it: %s",
           ob->sending_what, ok ? "sent all the same" : "sendmail failed, not retried");
  } else if (ok) {
    lr_log(LOG_INFO, "email sent: %s", ob->sending_what);
    /* a row that stays would be sent again and again: remember it instead */
    ob->undeleted_id = ob->sending_id;
  } else {
    int attempts = ob->sending_attempts + 1;
    unsigned delay = retry_delay_ms(ob, attempts);
    lr_log(LOG_WARNING, "sendmail (%s) failed for email \"%s\" (attempt %d): %s%s%.*s; "
           "kept, next try in %u s", ob->sendmail[0], ob->sending_what, attempts, r->error,
           r->output_len ? ": " : "", (int)(r->output_len > 300 ? 300 : r->output_len),
           r->output ? r->output : "", (delay + 999) / 1000);
    sqlite3_bind_int(ob->failed, 1, attempts);
    sqlite3_bind_int64(ob->failed, 2, lr_wall_usec() + (int64_t)delay * 1000);
    sqlite3_bind_text(ob->failed, 3, r->error, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ob->failed, 4, ob->sending_id);
    if (sqlite3_step(ob->failed) != SQLITE_DONE) {
      lr_log(LOG_ERR, "%s: recording a failed email: %s; sending paused", lr_state_path(ob->st),
             lr_state_errmsg(lr_state_db(ob->st)));
      ob->paused_until = lr_wall_usec() + (int64_t)delay * 1000; /* the back-off, in memory */
    }
    sqlite3_reset(ob->failed);
  }
  free(ob->sending_what);
  ob->sending_what = NULL;
  kick(ob);
}

/* Nothing due now: wake up when the earliest retry is. */
static void arm_timer(struct lr_outbox *ob, int64_t now)
{
  int64_t earliest = -1;
  if (sqlite3_step(ob->earliest) == SQLITE_ROW &&
      sqlite3_column_type(ob->earliest, 0) != SQLITE_NULL)
    earliest = sqlite3_column_int64(ob->earliest, 0);
  sqlite3_reset(ob->earliest);
  if (earliest < 0)
    return;
  int64_t ms = (earliest - now) / 1000 + 1;
  uv_timer_start(&ob->retry, on_retry, (uint64_t)(ms > 0 ? ms : 1), 0);
}

/* Deletes the row of the email sendmail accepted last; false when the
 * database refuses (then nothing is sent until it accepts). */
static bool forget_sent(struct lr_outbox *ob)
{
  if (!ob->undeleted_id)
    return true;
  sqlite3_bind_int64(ob->done, 1, ob->undeleted_id);
  int rc = sqlite3_step(ob->done);
  sqlite3_reset(ob->done);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: removing a sent email: %s; sending paused", lr_state_path(ob->st),
           lr_state_errmsg(lr_state_db(ob->st)));
    return false;
  }
  ob->undeleted_id = 0;
  return true;
}

static void kick(struct lr_outbox *ob)
{
  if (!ob->loop || ob->busy || !ob->sendmail)
    return;
  int64_t now = lr_wall_usec();
  bool pending_delete = ob->undeleted_id != 0;
  if (!forget_sent(ob))
    ob->paused_until = now + (int64_t)DB_RETRY_MS * 1000;
  else if (pending_delete)
    ob->paused_until = 0; /* the database accepts writes again */
  if (now < ob->paused_until) {
    uv_timer_start(&ob->retry, on_retry, (uint64_t)((ob->paused_until - now) / 1000 + 1), 0);
    return;
  }
  sqlite3_bind_int64(ob->next_due, 1, now);
  if (sqlite3_step(ob->next_due) != SQLITE_ROW) {
    sqlite3_reset(ob->next_due);
    arm_timer(ob, now);
    return;
  }
  ob->sending_id = sqlite3_column_int64(ob->next_due, 0);
  ob->sending_dropped = false;
  ob->sending_attempts = sqlite3_column_int(ob->next_due, 1);
  ob->sending_what = lr_xstrdup((const char *)sqlite3_column_text(ob->next_due, 2));
  const void *msg = sqlite3_column_blob(ob->next_due, 3);
  size_t len = (size_t)sqlite3_column_bytes(ob->next_due, 3);
  ob->busy = true;
  /* lr_spawn copies the input, so the row can be released at once */
  lr_spawn_start(ob->loop, (const char *const *)ob->sendmail, msg, len, ob->timeout_ms, on_sent,
                 ob);
  sqlite3_reset(ob->next_due);
}

int lr_outbox_store(struct lr_outbox *ob, const char *what, const char *msg, size_t len)
{
  sqlite3_bind_int64(ob->insert, 1, lr_wall_usec());
  sqlite3_bind_text(ob->insert, 2, what, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(ob->insert, 3, msg, (int)len, SQLITE_STATIC);
  int rc = sqlite3_step(ob->insert);
  sqlite3_reset(ob->insert);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: storing email \"%s\": %s", lr_state_path(ob->st), what,
           lr_state_errmsg(lr_state_db(ob->st)));
    return -1;
  }
  return 0;
}

void lr_outbox_kick(struct lr_outbox *ob) { kick(ob); }

int lr_outbox_enqueue(struct lr_outbox *ob, const char *what, const char *msg, size_t len)
{
  if (lr_outbox_store(ob, what, msg, len) < 0)
    return -1;
  kick(ob);
  return 0;
}

size_t lr_outbox_size(struct lr_outbox *ob)
{
  size_t n = 0;
  if (sqlite3_step(ob->count) == SQLITE_ROW)
    n = (size_t)sqlite3_column_int64(ob->count, 0);
  sqlite3_reset(ob->count);
  return n;
}

void lr_outbox_settle(struct lr_outbox *ob)
{
  if (!ob->loop)
    return;
  kick(ob);
  while (ob->busy)
    uv_run(ob->loop, UV_RUN_ONCE);
  uv_timer_stop(&ob->retry); /* later retries belong to the daemon */
}

int lr_outbox_each(struct lr_outbox *ob, lr_outbox_each_fn *cb, void *ctx)
{
  sqlite3 *db = lr_state_db(ob->st);
  sqlite3_stmt *q;
  /* the row of an email sendmail accepted, not deleted yet, waits no more */
  if (sqlite3_prepare_v2(db, "SELECT id, created_usec, next_try_usec, attempts, length(message),"
                             " what, last_error FROM outbox WHERE id != ? ORDER BY id",
                         -1, &q, NULL) != SQLITE_OK) {
    lr_log(LOG_ERR, "%s: listing the outbox: %s", lr_state_path(ob->st), lr_state_errmsg(db));
    return -1;
  }
  sqlite3_bind_int64(q, 1, ob->undeleted_id);
  int n = 0, rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    struct lr_outbox_item m = {
      .id = sqlite3_column_int64(q, 0),
      .created_usec = sqlite3_column_int64(q, 1),
      .next_try_usec = sqlite3_column_int64(q, 2),
      .attempts = sqlite3_column_int(q, 3),
      .size = (size_t)sqlite3_column_int64(q, 4),
      .what = (const char *)sqlite3_column_text(q, 5),
      .last_error = (const char *)sqlite3_column_text(q, 6),
    };
    m.sending = ob->busy && !ob->sending_dropped && m.id == ob->sending_id;
    if (cb)
      cb(ctx, &m);
    n++;
  }
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: listing the outbox: %s", lr_state_path(ob->st), lr_state_errmsg(db));
    n = -1;
  }
  sqlite3_finalize(q);
  return n;
}

/* A DELETE with one id parameter: how many rows went, -1 (logged). */
static int64_t drop_rows(struct lr_outbox *ob, const char *sql, int64_t id)
{
  sqlite3 *db = lr_state_db(ob->st);
  sqlite3_stmt *q;
  int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: dropping from the outbox: %s", lr_state_path(ob->st),
           lr_state_errmsg(db));
    return -1;
  }
  return sqlite3_changes64(db);
}

/* The message sendmail has now is gone: its outcome changes no row. */
static void forget_dropped(struct lr_outbox *ob, int64_t id)
{
  if (ob->busy && (!id || id == ob->sending_id))
    ob->sending_dropped = true;
}

int lr_outbox_drop(struct lr_outbox *ob, int64_t id)
{
  if (id <= 0 || id == ob->undeleted_id)
    return 0;
  int64_t n = drop_rows(ob, "DELETE FROM outbox WHERE id = ?", id);
  if (n > 0)
    forget_dropped(ob, id);
  return n < 0 ? -1 : n > 0;
}

int64_t lr_outbox_drop_all(struct lr_outbox *ob)
{
  int64_t n = drop_rows(ob, "DELETE FROM outbox WHERE id != ?", ob->undeleted_id);
  if (n > 0)
    forget_dropped(ob, 0);
  return n;
}
