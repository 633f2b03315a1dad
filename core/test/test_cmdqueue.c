/* The command queue: jobs run in order, one or several at a time; a step that
 * may fail is no error, one that may not is (with its output); a command that
 * cannot start or outlives its timeout ends its job; a full queue, or one
 * without a loop, refuses. Also the one-line form of a command's output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "util/argv.h"
#include "check.h"
#include "util/cmdqueue.h"
#include "util/log.h"

static char out_path[64];

static const char *read_out(void) { return check_read_file(out_path); }

/* sh -c SCRIPT: $1 is the file the scripts append to */
static char **sh(const char *script)
{
  return lr_argv_dup((const char *const[]){"/bin/sh", "-c", script, "sh", out_path, NULL});
}

struct seen {
  char log[2048]; /* "step 0 ok|fail|nostart last; end ERROR" */
  int ends;
};

static void on_step(void *ctx, const struct lr_cmd_step *s)
{
  struct seen *w = ctx;
  size_t n = strlen(w->log);
  snprintf(w->log + n, sizeof(w->log) - n, "step %u %s%s%s; ", s->index,
           !s->r ? "nostart" : lr_spawn_ok(s->r) ? "ok" : "fail", s->last ? " last" : "",
           s->may_fail ? " may-fail" : "");
}

static void on_end(void *ctx, const char *error)
{
  struct seen *w = ctx;
  size_t n = strlen(w->log);
  snprintf(w->log + n, sizeof(w->log) - n, "end %s", error ? error : "(ok)");
  w->ends++;
}

static void settle(uv_loop_t *loop, struct lr_cmdq *q)
{
  while (lr_cmdq_pending(q))
    uv_run(loop, UV_RUN_ONCE);
}

static struct lr_cmd cmd(struct seen *w, char **first, char **second, bool first_may_fail)
{
  return (struct lr_cmd){.what = "test job", .argv = {first, second},
                         .may_fail = {first_may_fail, false}, .timeout_ms = 5000,
                         .fail_level = LOG_ERR, .on_step = on_step, .on_end = on_end, .ctx = w};
}

static void one_line_cases(void)
{
  struct lr_buf b = {0};
  const char msg[] = "Error: no such set\n  add element ip t s { 1.2.3.4 }\n        ^^^^^\n\n"
                     "tab\there\x01";
  lr_cmdq_one_line(&b, msg, sizeof(msg) - 1);
  CHECK_STR(b.data, "Error: no such set | add element ip t s { 1.2.3.4 } | tab?here?");
  lr_buf_clear(&b);
  lr_cmdq_one_line(&b, "", 0);
  CHECK_STR(b.data, "");
  lr_buf_free(&b);
  char big[1000];
  memset(big, 'x', sizeof(big));
  lr_cmdq_one_line(&b, big, sizeof(big));
  CHECK_INT(b.len, LR_CMDQ_OUTPUT_MAX);
  lr_buf_free(&b);
}

int main(void)
{
  lr_log_to_stderr(true);
  one_line_cases();
  char dir[] = "/tmp/luruse-cmdqueue.XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  snprintf(out_path, sizeof(out_path), "%s/out", dir);
  uv_loop_t loop;
  uv_loop_init(&loop);

  /* one at a time, in order; a slow first job holds back the second */
  struct lr_cmdq *q = lr_cmdq_new(&loop, 1, 2);
  struct seen a = {0}, b = {0}, c = {0}, d = {0};
  struct lr_cmd ca = cmd(&a, sh("sleep 0.2; echo a1 >> \"$1\""), sh("echo a2 >> \"$1\""), false);
  struct lr_cmd cb = cmd(&b, sh("echo b >> \"$1\""), NULL, false);
  CHECK_INT(lr_cmdq_push(q, &ca), 0);
  CHECK_INT(lr_cmdq_push(q, &cb), 0);
  CHECK_INT(lr_cmdq_pending(q), 2);
  /* full: two wait at most (the first runs already) */
  struct lr_cmd cc = cmd(&c, sh("echo c >> \"$1\""), NULL, false);
  struct lr_cmd cd = cmd(&d, sh("echo d >> \"$1\""), NULL, false);
  CHECK_INT(lr_cmdq_push(q, &cc), 0);
  CHECK_INT(lr_cmdq_push(q, &cd), -1); /* refused: freed, never told */
  settle(&loop, q);
  CHECK_STR(read_out(), "a1\na2\nb\nc\n");
  CHECK_STR(a.log, "step 0 ok; step 1 ok last; end (ok)");
  CHECK_STR(b.log, "step 0 ok last; end (ok)");
  CHECK_INT(d.ends, 0);

  /* a failing step that may fail is no error; one that may not is, with its output */
  struct seen e = {0}, f = {0};
  struct lr_cmd ce = cmd(&e, sh("echo gone; exit 1"), sh("echo added >> \"$1\""), true);
  struct lr_cmd cf = cmd(&f, sh("echo 'no such set' >&2; exit 3"), NULL, false);
  CHECK_INT(lr_cmdq_push(q, &ce), 0);
  CHECK_INT(lr_cmdq_push(q, &cf), 0);
  settle(&loop, q);
  CHECK_STR(e.log, "step 0 fail may-fail; step 1 ok last; end (ok)");
  CHECK_STR(f.log, "step 0 fail last; end exit status 3: no such set");

  /* a command that cannot start ends its job at once; a missing program fails */
  struct seen g = {0}, h = {0};
  char **empty = calloc(1, sizeof(char *));
  struct lr_cmd cg = cmd(&g, empty, sh("echo never >> \"$1\""), false);
  CHECK_INT(lr_cmdq_push(q, &cg), 0);
  CHECK_STR(g.log, "step 0 nostart; end cannot start the command");
  struct lr_cmd ch = cmd(&h, lr_argv_dup((const char *const[]){"/nonexistent/x", NULL}), NULL,
                         false);
  CHECK_INT(lr_cmdq_push(q, &ch), 0);
  settle(&loop, q);
  CHECK(strstr(h.log, "step 0 fail last; end cannot run /nonexistent/x") == h.log);
  lr_cmdq_free(q);

  /* several at once: the slow job does not hold back the fast one; a timeout */
  unlink(out_path);
  q = lr_cmdq_new(&loop, 2, 10);
  struct seen s1 = {0}, s2 = {0};
  struct lr_cmd c1 = cmd(&s1, sh("sleep 10; echo slow >> \"$1\""), NULL, false);
  c1.timeout_ms = 300;
  struct lr_cmd c2 = cmd(&s2, sh("echo fast >> \"$1\""), NULL, false);
  CHECK_INT(lr_cmdq_push(q, &c1), 0);
  CHECK_INT(lr_cmdq_push(q, &c2), 0);
  CHECK_INT(lr_cmdq_pending(q), 2);
  lr_cmdq_free(q); /* runs both to their end */
  CHECK_STR(read_out(), "fast\n");
  CHECK_STR(s1.log, "step 0 fail last; end timed out after 300 ms");
  CHECK_STR(s2.log, "step 0 ok last; end (ok)");

  /* no loop: refused */
  q = lr_cmdq_new(NULL, 1, 10);
  struct seen n = {0};
  struct lr_cmd cn = cmd(&n, sh("true"), NULL, false);
  CHECK_INT(lr_cmdq_push(q, &cn), -1);
  CHECK_INT(lr_cmdq_pending(q), 0);
  lr_cmdq_free(q);
  CHECK_INT(n.ends, 0);

  CHECK_INT(uv_loop_close(&loop), 0);
  char rm[128];
  snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
  CHECK_INT(system(rm), 0);
  return check_done();
}
