/* A queue of external commands on the libuv loop (lr_spawn: no shell, a
 * timeout, never blocking the loop), each job one command line or two run in
 * order (a delete, then an add), at most max_running jobs at once and the
 * others waiting in order, at most max_waiting of them (more: refused).
 * A step that fails is logged with the job's description and the first bytes
 * of its output; a step marked may_fail is the caller's to log (on_step).
 *
 *   static void step(void *ctx, const struct lr_cmd_step *s)
 *   {
 *     if (s->r && lr_spawn_ok(s->r) && s->last) applied++;
 *   }
 *   static void end(void *ctx, const char *error) { record(ctx, error); } // NULL: fine
 *   struct lr_cmdq *q = lr_cmdq_new(loop, 1, 1000);      // one at a time, in order
 *   struct lr_cmd c = {.what = "ban of 192.0.2.7 in ipset bans4", .timeout_ms = 5000,
 *                      .argv = {del_argv, add_argv}, .may_fail = {true, false},
 *                      .fail_level = LOG_ERR, .on_step = step, .on_end = end, .ctx = x};
 *   if (lr_cmdq_push(q, &c) < 0) ...                      // argvs freed, nothing told
 *   while (lr_cmdq_pending(q)) uv_run(loop, UV_RUN_ONCE); // or lr_cmdq_free(q)
 *
 * Not thread-safe. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "util/buf.h"
#include "util/subprocess.h"

#define LR_CMDQ_OUTPUT_MAX 240 /* bytes of a command's output in a log line */

/* One step's outcome, valid during on_step. */
struct lr_cmd_step {
  const char *what;                /* the job's description */
  unsigned index;                  /* 0 or 1 */
  bool last;                       /* the job's last step */
  bool may_fail;
  const struct lr_spawn_result *r; /* NULL: it could not start (the job ends) */
  const char *output;              /* r's output on one line (lr_cmdq_one_line), "" if none */
};

typedef void lr_cmdq_step_fn(void *ctx, const struct lr_cmd_step *s);
/* error: the last failure of a step that may not fail ("exit status 1: ipset
 * v7: ..."), NULL when there was none; valid during the call. */
typedef void lr_cmdq_end_fn(void *ctx, const char *error);

struct lr_cmd {
  const char *what;         /* for the logs: "exec /usr/local/bin/x" (copied) */
  char **argv[2];           /* malloc'd (lr_argv_free), owned by the queue from the push
                             * on; argv[1] NULL: a single step */
  bool may_fail[2];         /* such a step's failure is no error and is not logged */
  unsigned timeout_ms;      /* per step */
  int fail_level;           /* how a failure is logged: LOG_ERR, LOG_WARNING */
  lr_cmdq_step_fn *on_step; /* after each step, and when one cannot start; may be NULL */
  lr_cmdq_end_fn *on_end;   /* once, when the job ended; may be NULL */
  void *ctx;
};

/* loop may be NULL: every push is then refused. */
struct lr_cmdq *lr_cmdq_new(uv_loop_t *loop, unsigned max_running, unsigned max_waiting);
/* Runs the loop until every job ended (each is bounded by its timeouts), then
 * frees. NULL is fine. */
void lr_cmdq_free(struct lr_cmdq *q);
/* Queues the job and starts what may start (a job whose command cannot start
 * ends at once: its callbacks may run before this returns). -1, with the
 * argvs freed and no callback, when there is no loop, max_waiting jobs wait
 * already, or argv[0] is NULL. */
int lr_cmdq_push(struct lr_cmdq *q, const struct lr_cmd *c);
/* Jobs waiting or running. */
unsigned lr_cmdq_pending(const struct lr_cmdq *q);

/* A command's output or libnftables' message as one log-friendly line,
 * appended to out (at most LR_CMDQ_OUTPUT_MAX bytes; out->data is never NULL
 * afterwards): lines joined with " | ", blank lines and nft's "^^^^" markers
 * left out, control characters shown as '?'. */
void lr_cmdq_one_line(struct lr_buf *out, const char *s, size_t len);
