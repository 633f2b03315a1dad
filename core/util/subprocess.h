/* Runs an external command on a libuv loop: never through a shell, never
 * blocking the loop. The input is the child's stdin, whole from the start (an
 * anonymous file, not a pipe: should luruse die, the child still reads all
 * of it, never a truncated message), stdout and stderr
 * share one pipe whose first bytes are kept for logs, and `done` is called
 * exactly once, always from the loop (also when the program cannot be run).
 *
 *   static void sent(void *ctx, const struct lr_spawn_result *r)
 *   {
 *     if (!lr_spawn_ok(r))
 *       lr_log(LOG_ERR, "sendmail: %s: %s", r->error, r->output);
 *   }
 *   const char *const argv[] = {"/usr/sbin/sendmail", "-t", NULL};
 *   lr_spawn_start(loop, argv, msg, msg_len, 30000, sent, ctx);
 *   ...
 *   while (lr_spawn_pending())   // on shutdown
 *     uv_run(loop, UV_RUN_ONCE);
 *
 * The first call ignores SIGPIPE for the whole process (a child that exits
 * without reading its stdin must not kill luruse), and every call marks the
 * process's file descriptors above 2 close-on-exec, so that children only
 * get their three descriptors. Children start with default signal dispositions. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "util/errmsg.h"

/* How much of stdout+stderr the result keeps; the rest is read and dropped. */
#define LR_SPAWN_OUTPUT_MAX 4096
/* After SIGTERM at the timeout, how long before SIGKILL. */
#define LR_SPAWN_KILL_AFTER_MS 2000
/* After the process exited, how long its output may stay open (a daemonized
 * grandchild may hold it forever). */
#define LR_SPAWN_OUTPUT_GRACE_MS 1000

struct lr_spawn_result {
  int exit_status;   /* valid when !term_signal && !timed_out && !spawn_failed */
  int term_signal;   /* non-zero when killed by a signal */
  bool timed_out;    /* we killed it after the timeout */
  bool spawn_failed; /* could not start (e.g. ENOENT); error says why */
  /* Empty on success; on failure "exit status 75", "killed by signal 9",
   * "timed out after 2000 ms", "cannot run /x: no such file or directory",
   * "cannot write the standard input of /x: no space left on device". */
  char error[LR_ERR_MAX];
  /* First LR_SPAWN_OUTPUT_MAX bytes of stdout+stderr, NUL-terminated; only
   * valid during the callback. */
  const char *output;
  size_t output_len;
};

typedef void (*lr_spawn_done_cb)(void *opaque, const struct lr_spawn_result *r);

/* Started, not killed, and exited with status 0. */
static inline bool lr_spawn_ok(const struct lr_spawn_result *r)
{
  return !r->spawn_failed && !r->timed_out && !r->term_signal && r->exit_status == 0;
}

/* Starts argv[0] (an absolute path, or a name looked up in PATH as execvp
 * does; argv NULL-terminated, only read during the call) with the current
 * environment, with `input` (may be NULL when len is 0) as its stdin: written
 * whole to an anonymous file (memfd) and rewound before the child starts, so
 * the child may read it at its pace, or not at all. Collects output, and
 * calls done exactly once: after
 * the process exited and its output reached EOF (or the grace period ran
 * out), and after all of its handles were closed. When the program cannot be
 * started, done comes from the loop on a later iteration, never from inside
 * this call. timeout_ms > 0: SIGTERM at the timeout, SIGKILL
 * LR_SPAWN_KILL_AFTER_MS later if still alive.
 * Returns 0, or -1 only for invalid arguments (done is then never called). */
int lr_spawn_start(uv_loop_t *loop, const char *const *argv, const char *input, size_t len,
                   unsigned timeout_ms, lr_spawn_done_cb done, void *opaque);

/* How many started processes have not reported yet (for a clean shutdown:
 * run the loop until 0). Counts across all loops of the process. */
unsigned lr_spawn_pending(void);
