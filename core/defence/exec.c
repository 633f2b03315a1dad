#include "defence/exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/argv.h"
#include "util/cmdqueue.h"
#include "util/log.h"
#include "util/xalloc.h"

struct lr_exec_queue {
  uv_loop_t *loop;
  struct lr_cmdq *q;
  struct lr_exec_stats stats;
};

struct lr_exec_queue *lr_exec_new(uv_loop_t *loop)
{
  struct lr_exec_queue *x = lr_xcalloc(1, sizeof(*x));
  x->loop = loop;
  x->q = lr_cmdq_new(loop, LR_EXEC_RUNNING_MAX, LR_EXEC_QUEUE_MAX);
  return x;
}

void lr_exec_free(struct lr_exec_queue *x)
{
  if (!x)
    return;
  lr_cmdq_free(x->q);
  free(x);
}

static void on_step(void *ctx, const struct lr_cmd_step *s)
{
  struct lr_exec_queue *x = ctx;
  if (!s->r)
    return; /* could not start: logged by the queue */
  if (lr_spawn_ok(s->r))
    x->stats.ok++;
  else
    x->stats.failed++;
}

int lr_exec_run(struct lr_exec_queue *x, const char *const *argv, unsigned timeout_ms)
{
  if (!x || !argv || !argv[0] || !argv[0][0])
    return -1;
  struct lr_cmd c = {.argv = {lr_argv_dup(argv), NULL}, .timeout_ms = timeout_ms,
                     .fail_level = LOG_WARNING, .on_step = on_step, .ctx = x};
  char what[192];
  snprintf(what, sizeof(what), "exec %s", argv[0]);
  c.what = what;
  if (lr_cmdq_push(x->q, &c) < 0) {
    x->stats.refused++;
    return -1;
  }
  return 0;
}

unsigned lr_exec_pending(const struct lr_exec_queue *x) { return x ? lr_cmdq_pending(x->q) : 0; }

void lr_exec_settle(struct lr_exec_queue *x)
{
  while (x && x->loop && lr_exec_pending(x))
    uv_run(x->loop, UV_RUN_ONCE);
}

void lr_exec_get_stats(const struct lr_exec_queue *x, struct lr_exec_stats *out)
{
  if (x)
    *out = x->stats;
  else
    memset(out, 0, sizeof(*out));
}
