#include "cli/daemon_sd.h"

#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "util/log.h"

static void on_status(uv_timer_t *t)
{
  struct lr_sd *sd = t->data;
  struct lr_sd_figures f;
  sd->figures(sd->ctx, &f);
  uint64_t now = uv_now(t->loop);
  double secs = (double)(now - sd->last_ms) / 1000.0;
  double rate = secs > 0 ? (double)(f.entries - sd->last_entries) / secs : 0;
  sd->last_entries = f.entries;
  sd->last_ms = now;
  char line[512], bans[48] = "", emails[48] = "";
  if (f.bans >= 0)
    snprintf(bans, sizeof(bans), ", %lld bans in force", (long long)f.bans);
  if (f.emails >= 0)
    snprintf(emails, sizeof(emails), ", %lld emails waiting", (long long)f.emails);
  snprintf(line, sizeof(line), "%llu entries, %.1f/s over the last %.1f s%s%s%s%s",
           (unsigned long long)f.entries, rate, secs, bans, emails, *sd->note ? "; " : "",
           sd->note);
  sd_notifyf(0, "STATUS=%s", line);
}

static void on_watchdog(uv_timer_t *t)
{
  (void)t;
  sd_notify(0, "WATCHDOG=1");
}

void lr_sd_start(struct lr_sd *sd, uv_loop_t *loop, lr_sd_figures_fn *figures, void *ctx,
                 const char *status)
{
  sd->figures = figures;
  sd->ctx = ctx;
  sd->last_ms = uv_now(loop);
  struct lr_sd_figures f;
  figures(ctx, &f);
  sd->last_entries = f.entries;
  uv_timer_init(loop, &sd->status);
  sd->status.data = sd;
  uv_timer_start(&sd->status, on_status, LR_SD_STATUS_MS, LR_SD_STATUS_MS);
  uv_timer_init(loop, &sd->watchdog);
  sd->watchdog.data = sd;
  /* read once, then taken out of the environment: sendmail and exec actions'
   * commands are not the process systemd watches */
  uint64_t usec = 0;
  if (sd_watchdog_enabled(1, &usec) > 0 && usec > 0) {
    sd->watchdog_usec = usec;
    uint64_t ms = usec / 2000;
    uv_timer_start(&sd->watchdog, on_watchdog, ms ? ms : 1, ms ? ms : 1);
    lr_log(LOG_INFO, "systemd watchdog: pinged every %llu ms", (unsigned long long)(ms ? ms : 1));
  }
  sd_notifyf(0, "READY=1\nSTATUS=%s%s", status, sd->watchdog_usec ? "\nWATCHDOG=1" : "");
}

void lr_sd_reloading(struct lr_sd *sd)
{
  (void)sd;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading the rules",
             (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
}

void lr_sd_reloaded(struct lr_sd *sd, bool ok, const char *what)
{
  if (ok)
    sd->note[0] = '\0';
  else
    snprintf(sd->note, sizeof(sd->note), "the last reload failed, old rules kept: %s", what);
  sd_notifyf(0, "READY=1\nSTATUS=%s%s", ok ? "" : "reload failed, old rules kept: ", what);
}

void lr_sd_stopping(struct lr_sd *sd)
{
  if (sd->stopping)
    return;
  sd->stopping = true;
  uv_timer_stop(&sd->status);
  sd_notify(0, "STOPPING=1\nSTATUS=stopping: the last emails and firewall commands first");
}
