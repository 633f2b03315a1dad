/* The outbox on a private libuv loop with stand-in sendmail commands: delivery,
 * a failure kept and retried by the timer, a hang killed at the timeout, order,
 * messages surviving a close and reopen of the state, and listing and dropping
 * them (`luruse outbox`). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "check.h"
#include "util/log.h"
#include "notify/outbox.h"
#include "state/state.h"
#include "state_fixture.h"

static char dir[] = "/tmp/luruse-outbox.XXXXXX";

static char *read_file(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  static char buf[4096];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

/* What lr_outbox_each saw: "what size attempts sending last_error|" each. */
struct listing {
  char text[512];
  int64_t ids[8];
  int n;
};

static void collect(void *ctx, const struct lr_outbox_item *m)
{
  struct listing *l = ctx;
  size_t len = strlen(l->text);
  snprintf(l->text + len, sizeof(l->text) - len, "%s %zu %d %s %s|", m->what, m->size,
           m->attempts, m->sending ? "sending" : "waiting", m->last_error ? m->last_error : "-");
  if (l->n < 8)
    l->ids[l->n++] = m->id;
}

static const char *list(struct lr_outbox *ob, struct listing *l)
{
  memset(l, 0, sizeof(*l));
  lr_outbox_each(ob, collect, l);
  return l->text;
}

/* Runs the loop until the outbox is empty or the deadline passes. */
static void run_until_empty(uv_loop_t *loop, struct lr_outbox *ob, unsigned max_ms)
{
  uint64_t end = uv_hrtime() + (uint64_t)max_ms * 1000000;
  while (lr_outbox_size(ob) > 0 && uv_hrtime() < end)
    uv_run(loop, UV_RUN_ONCE);
}

int main(void)
{
  lr_log_to_stderr(true);
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  char err[512], script[2048], marker[128], out[128];
  snprintf(marker, sizeof(marker), "%s/failed-once", dir);
  snprintf(out, sizeof(out), "%s/delivered", dir);
  /* fails (EX_TEMPFAIL) the first time, then appends the message to `delivered` */
  snprintf(script, sizeof(script),
           "if [ -e '%s' ]; then cat >> '%s'; else cat > /dev/null; touch '%s'; exit 75; fi",
           marker, out, marker);
  const char *flaky[] = {"/bin/sh", "-c", script, NULL};

  struct lr_state *st = lr_state_open(dir, err, sizeof(err));
  REQUIRE(st != NULL);
  uv_loop_t loop;
  uv_loop_init(&loop);
  struct lr_outbox *ob = lr_outbox_open(st, &loop, err, sizeof(err));
  REQUIRE(ob != NULL);
  lr_outbox_configure(ob, flaky, 5000);
  lr_outbox_set_retry(ob, 300, 1000);

  /* a failure is kept, and the retry timer delivers it without any other call */
  uint64_t t0 = uv_hrtime();
  CHECK_INT(lr_outbox_enqueue(ob, "first", "Subject: one\n\nbody one\n", 23), 0);
  CHECK_INT(lr_outbox_size(ob), 1);
  run_until_empty(&loop, ob, 5000);
  double took_ms = (double)(uv_hrtime() - t0) / 1e6;
  CHECK_INT(lr_outbox_size(ob), 0);
  CHECK(access(marker, F_OK) == 0);
  CHECK_STR(read_file(out), "Subject: one\n\nbody one\n");
  CHECK(took_ms >= 250); /* the second attempt waited for the retry delay */
  printf("failed once, delivered by the retry timer after %.0f ms\n", took_ms);

  /* order: oldest first */
  CHECK_INT(lr_outbox_enqueue(ob, "a", "A\n", 2), 0);
  CHECK_INT(lr_outbox_enqueue(ob, "b", "B\n", 2), 0);
  CHECK_INT(lr_outbox_enqueue(ob, "c", "C\n", 2), 0);
  run_until_empty(&loop, ob, 5000);
  CHECK_STR(read_file(out), "Subject: one\n\nbody one\nA\nB\nC\n");

  /* the sent row cannot be deleted (disk full): no sending it again and again */
  state_fixture_refuse(st, "DELETE", "outbox");
  CHECK_INT(lr_outbox_enqueue(ob, "d", "D\n", 2), 0);
  uint64_t end = uv_hrtime() + 1500 * (uint64_t)1000000;
  while (uv_hrtime() < end)
    uv_run(&loop, UV_RUN_NOWAIT);
  CHECK_STR(read_file(out), "Subject: one\n\nbody one\nA\nB\nC\nD\n"); /* once */
  CHECK_INT(lr_outbox_size(ob), 1);
  state_fixture_accept(st);

  /* a hang is killed at the timeout and the message kept */
  const char *hang[] = {"/bin/sleep", "30", NULL};
  lr_outbox_configure(ob, hang, 300);
  lr_outbox_set_retry(ob, 60000, 60000);
  t0 = uv_hrtime();
  CHECK_INT(lr_outbox_enqueue(ob, "stuck", "S\n", 2), 0);
  lr_outbox_settle(ob);
  took_ms = (double)(uv_hrtime() - t0) / 1e6;
  CHECK(took_ms < 5000);
  CHECK_INT(lr_outbox_size(ob), 1);
  printf("hanging sendmail killed after %.0f ms, message kept\n", took_ms);

  /* a missing program is a failure like any other */
  const char *missing[] = {"/nonexistent/sendmail", NULL};
  lr_outbox_configure(ob, missing, 300);
  CHECK_INT(lr_outbox_enqueue(ob, "nowhere", "N\n", 2), 0);
  lr_outbox_settle(ob);
  CHECK_INT(lr_outbox_size(ob), 2); /* "stuck" and "nowhere"; "d" was deleted at last */

  /* both survive a close and reopen, and go out once sendmail works and they are due */
  lr_outbox_close(ob);
  CHECK_INT(uv_loop_close(&loop), 0);
  lr_state_close(st);
  st = lr_state_open(dir, err, sizeof(err));
  REQUIRE(st != NULL);
  CHECK_INT(lr_state_exec(st, "UPDATE outbox SET next_try_usec = 0"), 0); /* time passes */
  uv_loop_init(&loop);
  ob = lr_outbox_open(st, &loop, err, sizeof(err));
  CHECK_INT(lr_outbox_size(ob), 2);
  lr_outbox_configure(ob, flaky, 5000);
  lr_outbox_settle(ob);
  CHECK_INT(lr_outbox_size(ob), 0);
  CHECK_STR(read_file(out), "Subject: one\n\nbody one\nA\nB\nC\nD\nS\nN\n");

  /* listed and dropped (`luruse outbox`), one even while its sendmail runs */
  const char *slow_fail[] = {"/bin/sh", "-c", "cat > /dev/null; sleep 0.3; exit 75", NULL};
  lr_outbox_configure(ob, slow_fail, 5000);
  lr_outbox_set_retry(ob, 60000, 60000);
  CHECK_INT(lr_outbox_store(ob, "one", "1\n", 2), 0); /* stored, not sent yet */
  CHECK_INT(lr_outbox_store(ob, "two", "22\n", 3), 0);
  CHECK_INT(lr_outbox_store(ob, "three", "333\n", 4), 0);
  struct listing l;
  CHECK_STR(list(ob, &l), "one 2 0 waiting -|two 3 0 waiting -|three 4 0 waiting -|");
  CHECK_INT(lr_outbox_each(ob, NULL, NULL), 3);
  int64_t one = l.ids[0], two = l.ids[1];
  lr_outbox_kick(ob); /* "one" goes to the slow sendmail */
  CHECK_STR(list(ob, &l), "one 2 0 sending -|two 3 0 waiting -|three 4 0 waiting -|");
  CHECK_INT(lr_outbox_drop(ob, one), 1);
  CHECK_INT(lr_outbox_drop(ob, one), 0);
  CHECK_INT(lr_outbox_drop(ob, 999999), 0);
  CHECK_INT(lr_outbox_drop(ob, 0), 0);
  CHECK_STR(list(ob, &l), "two 3 0 waiting -|three 4 0 waiting -|");
  lr_outbox_settle(ob); /* "one" fails: not retried, its row stays gone; the others fail */
  CHECK_STR(list(ob, &l), "two 3 1 waiting exit status 75|three 4 1 waiting exit status 75|");
  CHECK_INT(lr_outbox_drop(ob, two), 1);
  CHECK_INT(lr_outbox_drop_all(ob), 1);
  CHECK_INT(lr_outbox_drop_all(ob), 0);
  CHECK_INT(lr_outbox_size(ob), 0);
  CHECK_STR(list(ob, &l), "");

  lr_outbox_close(ob);
  CHECK_INT(uv_loop_close(&loop), 0);
  lr_state_close(st);
  char cmd[256];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  CHECK_INT(system(cmd), 0);
  return check_done();
}
