#include "util/cmdqueue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/argv.h"
#include "util/log.h"
#include "util/xalloc.h"

struct job {
  struct job *next;
  struct lr_cmdq *q;
  char **argv[2];
  unsigned nsteps, step;
  bool may_fail[2];
  unsigned timeout_ms;
  int fail_level;
  char what[192];
  char *error; /* the failure of a step that may not fail, NULL so far */
  lr_cmdq_step_fn *on_step;
  lr_cmdq_end_fn *on_end;
  void *ctx;
};

struct lr_cmdq {
  uv_loop_t *loop;
  struct job *head, *tail;
  unsigned waiting, running, max_running, max_waiting;
};

void lr_cmdq_one_line(struct lr_buf *out, const char *s, size_t len)
{
  size_t start = out->len;
  for (size_t i = 0; i < len && out->len - start < LR_CMDQ_OUTPUT_MAX;) {
    size_t end = i;
    while (end < len && s[end] != '\n')
      end++;
    size_t a = i, z = end;
    while (a < z && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
      a++;
    while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t' || s[z - 1] == '\r'))
      z--;
    if (z > a && strspn(s + a, "^ ~") < z - a) {
      if (out->len > start)
        lr_buf_add(out, " | ", 3);
      for (size_t k = a; k < z && out->len - start < LR_CMDQ_OUTPUT_MAX; k++) {
        unsigned char c = (unsigned char)s[k];
        lr_buf_addc(out, c < 0x20 || c == 0x7f ? '?' : (char)c);
      }
    }
    i = end + 1;
  }
  if (!out->data)
    lr_buf_add(out, "", 0);
}

struct lr_cmdq *lr_cmdq_new(uv_loop_t *loop, unsigned max_running, unsigned max_waiting)
{
  struct lr_cmdq *q = lr_xcalloc(1, sizeof(*q));
  q->loop = loop;
  q->max_running = max_running;
  q->max_waiting = max_waiting;
  return q;
}

unsigned lr_cmdq_pending(const struct lr_cmdq *q) { return q ? q->waiting + q->running : 0; }

void lr_cmdq_free(struct lr_cmdq *q)
{
  if (!q)
    return;
  while (q->loop && lr_cmdq_pending(q))
    uv_run(q->loop, UV_RUN_ONCE);
  free(q);
}

static void job_fail(struct job *j, const char *why, const char *output)
{
  free(j->error);
  j->error = lr_xasprintf("%s%s%s", why, output && *output ? ": " : "", output ? output : "");
}

/* The job ran its last step (or could not start one): its caller learns the
 * outcome, then the job goes. */
static void job_end(struct job *j)
{
  j->q->running--;
  if (j->on_end)
    j->on_end(j->ctx, j->error);
  for (unsigned i = 0; i < j->nsteps; i++)
    lr_argv_free(j->argv[i]);
  free(j->error);
  free(j);
}

static void step_tell(struct job *j, const struct lr_spawn_result *r, const char *output)
{
  if (!j->on_step)
    return;
  struct lr_cmd_step s = {.what = j->what, .index = j->step, .last = j->step + 1 == j->nsteps,
                          .may_fail = j->may_fail[j->step], .r = r, .output = output};
  j->on_step(j->ctx, &s);
}

static void job_done(void *opaque, const struct lr_spawn_result *r);

/* Starts the job's current step; when it cannot start, the job ends. 0 when started. */
static int job_start_step(struct job *j)
{
  if (lr_spawn_start(j->q->loop, (const char *const *)j->argv[j->step], NULL, 0, j->timeout_ms,
                     job_done, j) == 0)
    return 0;
  /* only for an empty argv, which the settings refuse */
  lr_log(LOG_ERR, "%s: cannot start the command", j->what);
  step_tell(j, NULL, "");
  job_fail(j, "cannot start the command", NULL);
  job_end(j);
  return -1;
}

static void queue_kick(struct lr_cmdq *q)
{
  while (q->head && q->running < q->max_running) {
    struct job *j = q->head;
    q->head = j->next;
    if (!q->head)
      q->tail = NULL;
    q->waiting--;
    q->running++;
    job_start_step(j);
  }
}

static void job_done(void *opaque, const struct lr_spawn_result *r)
{
  struct job *j = opaque;
  struct lr_cmdq *q = j->q;
  struct lr_buf o = {0};
  lr_cmdq_one_line(&o, r->output, r->output_len);
  step_tell(j, r, o.data);
  if (!lr_spawn_ok(r) && !j->may_fail[j->step]) {
    lr_log(j->fail_level, "%s failed: %s%s%s", j->what, r->error, o.len ? ": " : "", o.data);
    job_fail(j, r->error, o.data);
  }
  lr_buf_free(&o);
  if (++j->step < j->nsteps) {
    if (job_start_step(j) == 0)
      return;
  } else {
    job_end(j);
  }
  queue_kick(q);
}

int lr_cmdq_push(struct lr_cmdq *q, const struct lr_cmd *c)
{
  if (!q->loop || q->waiting >= q->max_waiting || !c->argv[0]) {
    lr_argv_free(c->argv[0]);
    lr_argv_free(c->argv[1]);
    return -1;
  }
  struct job *j = lr_xcalloc(1, sizeof(*j));
  j->q = q;
  j->timeout_ms = c->timeout_ms;
  j->fail_level = c->fail_level;
  j->on_step = c->on_step;
  j->on_end = c->on_end;
  j->ctx = c->ctx;
  for (unsigned i = 0; i < 2 && c->argv[i]; i++) {
    j->argv[i] = c->argv[i];
    j->may_fail[i] = c->may_fail[i];
    j->nsteps++;
  }
  snprintf(j->what, sizeof(j->what), "%s", c->what);
  if (q->tail)
    q->tail->next = j;
  else
    q->head = j;
  q->tail = j;
  q->waiting++;
  queue_kick(q);
  return 0;
}
