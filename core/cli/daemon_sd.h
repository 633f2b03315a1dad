/* What the daemon tells systemd through sd_notify(3): READY=1 once running;
 * RELOADING=1 (with MONOTONIC_USEC, which systemd >= 253 wants; 252 ignores
 * it) then READY=1 around a reload, with the outcome in STATUS=; every
 * LR_SD_STATUS_MS a STATUS= line (entries per second over that interval,
 * bans in force, emails waiting); STOPPING=1. When the service has a
 * watchdog for this process (WATCHDOG_USEC, WATCHDOG_PID), a timer of the
 * loop pings it at half the interval: a loop held up by a step stops the
 * pings, and systemd restarts the daemon. Without NOTIFY_SOCKET (not under
 * systemd) every call does nothing.
 *
 *   lr_sd_start(&d->sd, loop, figures, d, "running: rules ... (42 steps)");
 *   lr_sd_reloading(&d->sd);
 *   lr_sd_reloaded(&d->sd, true, "rules reloaded (43 steps)");
 *   lr_sd_stopping(&d->sd);   // no more status lines; the watchdog pings on
 * The two timers are handles of the loop: the daemon's final uv_walk closes them.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#define LR_SD_STATUS_MS 5000

/* For the status line; a figure < 0 is left out. */
struct lr_sd_figures {
  uint64_t entries; /* read since the start */
  int64_t bans;     /* in force */
  int64_t emails;   /* waiting in the outbox */
};
typedef void lr_sd_figures_fn(void *ctx, struct lr_sd_figures *out);

struct lr_sd {
  uv_timer_t status, watchdog;
  lr_sd_figures_fn *figures;
  void *ctx;
  uint64_t last_entries, last_ms;
  uint64_t watchdog_usec; /* 0: none */
  char note[256];         /* a failed reload: told in each status line until a good one */
  bool stopping;
};

void lr_sd_start(struct lr_sd *sd, uv_loop_t *loop, lr_sd_figures_fn *figures, void *ctx,
                 const char *status);
void lr_sd_reloading(struct lr_sd *sd);
/* what: "rules reloaded (N steps)", or the error (file:line: ...) when !ok. */
void lr_sd_reloaded(struct lr_sd *sd, bool ok, const char *what);
void lr_sd_stopping(struct lr_sd *sd);
