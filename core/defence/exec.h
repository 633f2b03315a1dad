/* The commands of `exec` actions: a user's program run on the libuv loop (no
 * shell, argv as given, stdin empty, killed after its timeout), up to
 * LR_EXEC_RUNNING_MAX at once and up to LR_EXEC_QUEUE_MAX waiting in order
 * (more: refused). A failure is logged (warning) with the program and the
 * first bytes of its output. Nothing here knows of bans: it is a service of
 * its own (struct lr_services' exec, core/rules/services.h), opened with the
 * bans only so that `luruse replay --no-bans` runs none.
 *
 *   struct lr_exec_queue *x = lr_exec_new(loop);
 *   const char *argv[] = {"/usr/local/bin/notify-admin", ip, NULL};
 *   if (lr_exec_run(x, argv, 5000) < 0) ...   // no loop, or too many waiting
 *   lr_exec_settle(x);                         // the loop runs until they end
 *   lr_exec_free(x);                           // runs what is queued first
 *
 * Not thread-safe. */
#pragma once
#include <stdint.h>
#include <uv.h>

#define LR_EXEC_RUNNING_MAX 8
#define LR_EXEC_QUEUE_MAX 10000

struct lr_exec_queue;

struct lr_exec_stats {
  uint64_t ok, failed, refused;
};

/* loop may be NULL: every command is then refused. */
struct lr_exec_queue *lr_exec_new(uv_loop_t *loop);
/* Runs every queued and running command to its end, then frees. NULL is fine. */
void lr_exec_free(struct lr_exec_queue *x);
/* Copies argv (NULL-terminated; argv[0] an absolute path or a name looked up
 * in PATH) and queues it. 0, or -1 for an empty argv (not counted) or when
 * there is no loop or too many wait (counted as refused). */
int lr_exec_run(struct lr_exec_queue *x, const char *const *argv, unsigned timeout_ms);
/* Commands waiting or running. */
unsigned lr_exec_pending(const struct lr_exec_queue *x);
/* Runs the loop until nothing is pending (replay's end; tests). NULL is fine. */
void lr_exec_settle(struct lr_exec_queue *x);
void lr_exec_get_stats(const struct lr_exec_queue *x, struct lr_exec_stats *out);
