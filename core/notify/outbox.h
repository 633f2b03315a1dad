/* Emails waiting for sendmail, kept in the state database until sendmail
 * accepts them: a failing or hanging sendmail delays an email, never loses it.
 *
 * One sendmail runs at a time, through lr_spawn on the libuv loop, with a
 * timeout; a failure is logged with its exit status and retried with a
 * growing delay (30 s doubling, at most one hour).
 *
 *   struct lr_outbox *ob = lr_outbox_open(state, loop, err, sizeof(err));
 *   lr_outbox_configure(ob, sendmail_argv, 60000);
 *   lr_outbox_enqueue(ob, "alert", message, len, now_usec);   // stored, then sent
 *   lr_outbox_settle(ob);   // replay: wait for the current attempts to finish
 *   lr_outbox_each(ob, print_one, ctx);   // `luruse outbox`
 *   lr_outbox_drop(ob, 7);                // `luruse outbox --drop 7`
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct lr_state;
struct lr_outbox;

/* loop may be NULL: messages are only stored, for a later daemon to send. */
struct lr_outbox *lr_outbox_open(struct lr_state *st, uv_loop_t *loop, char *err, size_t errlen);
/* Waits for a running sendmail (bounded by its timeout), then frees. */
void lr_outbox_close(struct lr_outbox *ob);
/* The argv is copied; applies to the next attempt. Starts sending what is
 * due (messages an earlier run left), and arms the timer for the rest. */
void lr_outbox_configure(struct lr_outbox *ob, const char *const *sendmail, unsigned timeout_ms);
/* Told after each sendmail run: ok when sendmail accepted the email. */
typedef void lr_outbox_result_fn(void *ctx, bool ok);
void lr_outbox_on_result(struct lr_outbox *ob, lr_outbox_result_fn *fn, void *ctx);
/* Retry delays: first_ms, doubling up to max_ms (defaults 30 s and 1 h). */
void lr_outbox_set_retry(struct lr_outbox *ob, unsigned first_ms, unsigned max_ms);
/* Stores the message (what: a short label for logs), then starts sending. */
int lr_outbox_enqueue(struct lr_outbox *ob, const char *what, const char *msg, size_t len);
/* The same in two halves, for a caller inside a transaction: store, commit,
 * then kick (sendmail must never see a row that a rollback could take back). */
int lr_outbox_store(struct lr_outbox *ob, const char *what, const char *msg, size_t len);
void lr_outbox_kick(struct lr_outbox *ob);
/* Messages stored and not yet accepted by sendmail. */
size_t lr_outbox_size(struct lr_outbox *ob);
/* Runs the loop until every message that is due has had one attempt. */
void lr_outbox_settle(struct lr_outbox *ob);

/* A waiting message, as `luruse outbox` lists it (valid during the call). */
struct lr_outbox_item {
  int64_t id;
  int64_t created_usec;  /* stored (wall clock) */
  int64_t next_try_usec; /* 0: at once */
  int attempts;
  size_t size; /* bytes of the whole message, headers included */
  const char *what;
  const char *last_error; /* NULL before a failed attempt */
  bool sending;           /* its sendmail is running now */
};
typedef void lr_outbox_each_fn(void *ctx, const struct lr_outbox_item *m);
/* Every waiting message, oldest first; cb may be NULL. The count, or -1
 * (logged) on a database error. */
int lr_outbox_each(struct lr_outbox *ob, lr_outbox_each_fn *cb, void *ctx);
/* Removes one waiting message: 1, 0 when no message has that id, -1 (logged)
 * on a database error. A message whose sendmail is running goes too: what
 * that sendmail does with it is then not retried. */
int lr_outbox_drop(struct lr_outbox *ob, int64_t id);
/* Removes every waiting message: how many, or -1 (logged). */
int64_t lr_outbox_drop_all(struct lr_outbox *ob);
