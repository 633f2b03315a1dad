/* lr_spawn against real programs (/bin/sh only as a test helper): exit
 * statuses, signals, timeouts, stdin delivery (whole, as a file), output capture,
 * asynchronous failure reports, grandchildren holding the output, and many
 * jobs at once. Each case runs a private loop until everything reported. */
#define _GNU_SOURCE /* mkdtemp, dup2 into a fixed number */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "check.h"
#include "util/subprocess.h"

struct got {
  bool returned;      /* lr_spawn_start has returned */
  bool early;         /* done came before that: it must not */
  int calls;
  unsigned pending_in_cb;
  struct lr_spawn_result r;
  char output[LR_SPAWN_OUTPUT_MAX + 1];
};

static void on_done(void *opaque, const struct lr_spawn_result *r)
{
  struct got *g = opaque;
  g->calls++;
  if (!g->returned)
    g->early = true;
  g->pending_in_cb = lr_spawn_pending();
  g->r = *r;
  memcpy(g->output, r->output, r->output_len + 1); /* r->output dies after the callback */
  g->r.output = g->output;
}

static double now_s(void) { return (double)uv_hrtime() / 1e9; }

/* Runs one command on a private loop until the loop has nothing left;
 * returns the seconds it took. */
static double run(const char *const *argv, const char *input, size_t len, unsigned timeout_ms,
                  struct got *g)
{
  uv_loop_t loop;
  uv_loop_init(&loop);
  memset(g, 0, sizeof(*g));
  double t0 = now_s();
  CHECK_INT(lr_spawn_start(&loop, argv, input, len, timeout_ms, on_done, g), 0);
  g->returned = true;
  uv_run(&loop, UV_RUN_DEFAULT);
  double dt = now_s() - t0;
  CHECK_INT(g->calls, 1);
  CHECK(!g->early);
  CHECK_INT(g->pending_in_cb, 0);
  CHECK_INT(lr_spawn_pending(), 0);
  CHECK_INT(uv_loop_close(&loop), 0); /* every handle was closed */
  return dt;
}

static void test_exit_status(void)
{
  struct got g;
  run((const char *const[]){"/bin/true", NULL}, NULL, 0, 0, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK_INT(g.r.exit_status, 0);
  CHECK_STR(g.r.error, "");
  CHECK_INT(g.r.output_len, 0);
  CHECK_STR(g.r.output, "");

  run((const char *const[]){"true", NULL}, NULL, 0, 0, &g); /* found in PATH */
  CHECK(lr_spawn_ok(&g.r));

  run((const char *const[]){"/bin/false", NULL}, NULL, 0, 0, &g);
  CHECK(!lr_spawn_ok(&g.r));
  CHECK_INT(g.r.exit_status, 1);
  CHECK(!g.r.spawn_failed && !g.r.timed_out && !g.r.term_signal);
  CHECK_STR(g.r.error, "exit status 1");

  run((const char *const[]){"/bin/sh", "-c", "kill -9 $$", NULL}, NULL, 0, 0, &g);
  CHECK_INT(g.r.term_signal, SIGKILL);
  CHECK(!g.r.timed_out);
  CHECK_STR(g.r.error, "killed by signal 9");
}

static void test_output(void)
{
  struct got g;
  run((const char *const[]){"/bin/sh", "-c", "echo hello; echo err >&2; exit 3", NULL}, NULL, 0,
      0, &g);
  CHECK_INT(g.r.exit_status, 3);
  CHECK_STR(g.r.error, "exit status 3");
  CHECK_STR(g.r.output, "hello\nerr\n"); /* one pipe: in the order written */
  CHECK_INT(g.r.output_len, 10);

  /* Far more than kept: the rest is drained (the child does not block) and dropped. */
  run((const char *const[]){"/bin/sh", "-c", "head -c 100000 /dev/zero | tr '\\000' x", NULL},
      NULL, 0, 0, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK_INT(g.r.output_len, LR_SPAWN_OUTPUT_MAX);
  CHECK_INT(strlen(g.r.output), LR_SPAWN_OUTPUT_MAX);
  CHECK(strspn(g.r.output, "x") == LR_SPAWN_OUTPUT_MAX);

  /* stdin reaches the child, then EOF; no input means EOF at once. */
  run((const char *const[]){"/bin/cat", NULL}, "abc\0def", 7, 0, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK_INT(g.r.output_len, 7);
  CHECK(memcmp(g.r.output, "abc\0def", 8) == 0);
  /* stdin is a regular file holding the whole input before the child reads
   * any of it (no pipe: a dying luruse cannot cut a message short) */
  run((const char *const[]){"/bin/sh", "-c", "test -f /dev/stdin && stat -L -c %s /dev/stdin",
                            NULL}, "abc\0def", 7, 5000, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK_STR(g.r.output, "7\n");
  run((const char *const[]){"/bin/cat", NULL}, NULL, 0, 3000, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK_INT(g.r.output_len, 0);
}

static void test_large_input(void)
{
  const size_t size = 10u << 20;
  char *data = malloc(size);
  REQUIRE(data != NULL);
  uint32_t x = 12345;
  for (size_t i = 0; i < size; i++) {
    x = x * 1103515245u + 12345u;
    data[i] = (char)(x >> 24);
  }
  char dir[] = "/tmp/luruse-spawn-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[64];
  snprintf(path, sizeof(path), "%s/out", dir);

  struct got g;
  run((const char *const[]){"/bin/sh", "-c", "cat > \"$1\"", "sh", path, NULL}, data, size, 0,
      &g);
  CHECK(lr_spawn_ok(&g.r));

  FILE *f = fopen(path, "rb");
  REQUIRE(f != NULL);
  char *back = malloc(size + 1);
  size_t n = f ? fread(back, 1, size + 1, f) : 0;
  CHECK_INT(n, size);
  CHECK(n == size && memcmp(back, data, size) == 0);
  if (f)
    fclose(f);
  free(back);
  unlink(path);
  rmdir(dir);

  /* A child that never reads, or closes its stdin and lives on: luruse
   * lives on, and the exit status decides. */
  run((const char *const[]){"/bin/true", NULL}, data, size, 0, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK_STR(g.r.error, "");
  run((const char *const[]){"/bin/sh", "-c", "exec 0<&-; sleep 0.2", NULL}, data, size, 0, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK_STR(g.r.error, "");
  /* The whole 10 MiB is there at once, before the child reads a byte. */
  run((const char *const[]){"/bin/sh", "-c", "stat -L -c %s /dev/stdin", NULL}, data, size,
      5000, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK_STR(g.r.output, "10485760\n");
  free(data);

  struct sigaction sa;
  CHECK(sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN);
}

static void test_spawn_failure(void)
{
  struct got g;
  run((const char *const[]){"/nonexistent/luruse-prog", "arg", NULL}, NULL, 0, 0, &g);
  CHECK(g.r.spawn_failed);
  CHECK(!lr_spawn_ok(&g.r));
  CHECK_STR(g.r.error, "cannot run /nonexistent/luruse-prog: no such file or directory");

  run((const char *const[]){"luruse-no-such-program", NULL}, "in", 2, 1000, &g);
  CHECK(g.r.spawn_failed);
  CHECK_STR(g.r.error, "cannot run luruse-no-such-program: no such file or directory");

  run((const char *const[]){"/etc/passwd", NULL}, NULL, 0, 0, &g); /* not executable */
  CHECK(g.r.spawn_failed);
  CHECK_STR(g.r.error, "cannot run /etc/passwd: permission denied");
}

static void test_timeouts(void)
{
  struct got g;
  double dt = run((const char *const[]){"/bin/sleep", "30", NULL}, NULL, 0, 300, &g);
  CHECK(g.r.timed_out);
  CHECK_INT(g.r.term_signal, SIGTERM);
  CHECK_STR(g.r.error, "timed out after 300 ms");
  CHECK(dt >= 0.25 && dt < 5);

  /* Ignores SIGTERM: SIGKILL comes LR_SPAWN_KILL_AFTER_MS later. */
  dt = run((const char *const[]){"/bin/sh", "-c", "trap '' TERM; exec sleep 30", NULL}, NULL, 0,
           300, &g);
  CHECK(g.r.timed_out);
  CHECK_INT(g.r.term_signal, SIGKILL);
  CHECK_STR(g.r.error, "timed out after 300 ms");
  CHECK(dt >= 2.2 && dt < 5);

  /* Exits before the timeout: no trace of it. */
  run((const char *const[]){"/bin/sh", "-c", "exit 4", NULL}, NULL, 0, 5000, &g);
  CHECK(!g.r.timed_out);
  CHECK_STR(g.r.error, "exit status 4");
}

static void test_grandchild(void)
{
  /* The background sleep keeps stdout open after sh exits. */
  struct got g;
  double dt = run((const char *const[]){"/bin/sh", "-c", "sleep 30 & echo $!; exit 0", NULL},
                  NULL, 0, 0, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK(dt >= 0.9 && dt < 2.5);
  long pid = strtol(g.r.output, NULL, 10);
  CHECK(pid > 1);
  if (pid > 1)
    kill((pid_t)pid, SIGKILL);
}

static void test_environment(void)
{
  /* Only the three pipes are inherited, even from a descriptor opened
   * without O_CLOEXEC. */
  int fd = open("/dev/null", O_RDONLY);
  CHECK(fd >= 0 && dup2(fd, 100) == 100);
  struct got g;
  run((const char *const[]){"ls", "/proc/self/fd", NULL}, NULL, 0, 0, &g);
  CHECK(lr_spawn_ok(&g.r));
  CHECK(strstr(g.r.output, "0\n1\n2\n") == g.r.output);
  CHECK(strstr(g.r.output, "100") == NULL);
  close(100);
  close(fd);

  /* luruse ignores SIGPIPE, its children do not. */
  run((const char *const[]){"grep", "^SigIgn:", "/proc/self/status", NULL}, NULL, 0, 0, &g);
  CHECK(lr_spawn_ok(&g.r));
  const char *hex = strchr(g.r.output, ':');
  unsigned long long ign = hex ? strtoull(hex + 1, NULL, 16) : ~0ULL;
  CHECK((ign & (1ULL << (SIGPIPE - 1))) == 0);
}

static void test_invalid(void)
{
  uv_loop_t loop;
  uv_loop_init(&loop);
  struct got g = {0};
  const char *const argv[] = {"/bin/true", NULL};
  const char *const empty[] = {NULL};
  CHECK_INT(lr_spawn_start(NULL, argv, NULL, 0, 0, on_done, &g), -1);
  CHECK_INT(lr_spawn_start(&loop, NULL, NULL, 0, 0, on_done, &g), -1);
  CHECK_INT(lr_spawn_start(&loop, empty, NULL, 0, 0, on_done, &g), -1);
  CHECK_INT(lr_spawn_start(&loop, argv, NULL, 0, 0, NULL, &g), -1);
  CHECK_INT(lr_spawn_start(&loop, argv, NULL, 5, 0, on_done, &g), -1);
  CHECK_INT(lr_spawn_pending(), 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_INT(g.calls, 0);
  CHECK_INT(uv_loop_close(&loop), 0);
}

static void test_concurrent(void)
{
  enum { N = 50 };
  static struct got gs[N];
  char nums[N][8];
  uv_loop_t loop;
  uv_loop_init(&loop);
  for (int i = 0; i < N; i++) {
    snprintf(nums[i], sizeof(nums[i]), "%d", i);
    memset(&gs[i], 0, sizeof(gs[i]));
    const char *const argv[] = {"/bin/sh", "-c", "cat; echo \"$1\"; exit $(($1 % 3))", "sh",
                                nums[i], NULL};
    CHECK_INT(lr_spawn_start(&loop, argv, nums[i], strlen(nums[i]), 20000, on_done, &gs[i]), 0);
    gs[i].returned = true;
  }
  CHECK_INT(lr_spawn_pending(), N);
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK_INT(lr_spawn_pending(), 0);
  int all_ok = 1;
  for (int i = 0; i < N; i++) {
    char want[32];
    snprintf(want, sizeof(want), "%d%d\n", i, i);
    if (gs[i].calls != 1 || gs[i].early || gs[i].r.exit_status != i % 3 ||
        strcmp(gs[i].output, want) != 0) {
      all_ok = 0;
      fprintf(stderr, "job %d: calls %d, status %d, output \"%s\"\n", i, gs[i].calls,
              gs[i].r.exit_status, gs[i].output);
    }
  }
  CHECK(all_ok);
  CHECK_INT(uv_loop_close(&loop), 0);
}

int main(void)
{
  test_invalid();
  test_exit_status();
  test_output();
  test_large_input();
  test_spawn_failure();
  test_timeouts();
  test_grandchild();
  test_environment();
  test_concurrent();
  return check_done();
}
