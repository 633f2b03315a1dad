#include "rules/services.h"

#include <string.h>
#include <time.h>

#include "defence/bans.h"
#include "defence/exec.h"
#include "fleet/fleet.h"
#include "state/counters.h"
#include "state/sessions.h"
#include "state/counters_store.h"
#include "state/dnat.h"
#include "state/dnat_store.h"
#include "util/clock.h"
#include "util/log.h"
#include "notify/notify.h"
#include "state/state.h"

#define FLUSH_SOON_CAPTURES 50000

/* Under attack a category may hit its key limit thousands of times a second:
 * the first eviction is told at once, then a count at most once a minute (at
 * the next eviction or commit) and the rest when the services close, so that
 * the counts told add up to every key evicted. */
static void log_evictions(struct lr_services *s)
{
  lr_log(LOG_WARNING,
         "counters: category '%s' is full; %llu least recently raised key(s) evicted "
         "(%llu since start)",
         s->eviction_category ? s->eviction_category : "?",
         (unsigned long long)s->evictions_unlogged, (unsigned long long)s->counter_evictions);
  s->eviction_logged_at = (int64_t)time(NULL);
  s->evictions_unlogged = 0;
}

static void on_counter_evict(void *ctx, const char *category, const char *key, size_t len)
{
  (void)key, (void)len;
  struct lr_services *s = ctx;
  s->counter_evictions++;
  s->evictions_unlogged++;
  s->eviction_category = category; /* owned by the counters, which outlive the log */
  if ((int64_t)time(NULL) - s->eviction_logged_at >= 60)
    log_evictions(s);
}

/* The DNAT map drops its oldest mappings when full (state/dnat.h): told like
 * the counters' evictions, the first at once, then at most once a minute (at
 * a commit) and the rest when the services close. */
static void log_dnat_evictions(struct lr_services *s, bool now)
{
  size_t ev = lr_dnat_evicted(s->dnat);
  if (ev == s->dnat_evictions_logged ||
      (!now && s->dnat_evictions_logged && (int64_t)time(NULL) - s->dnat_eviction_logged_at < 60))
    return;
  lr_log(LOG_WARNING, "DNAT: the map is full (%zu mappings); %zu oldest mapping(s) evicted "
         "(%zu since start)", lr_dnat_count(s->dnat), ev - s->dnat_evictions_logged, ev);
  s->dnat_evictions_logged = ev;
  s->dnat_eviction_logged_at = (int64_t)time(NULL);
}

/* A ban the firewall refused, for the daily report's figures. */
static void on_ban_refused(void *ctx, const char *set, const char *addr, const char *error)
{
  (void)addr, (void)error; /* logged by the bans */
  struct lr_services *s = ctx;
  if (s->notify)
    lr_notify_count_now(s->notify, LR_COUNT_BAN_FAILED, set, strlen(set), NULL, 0);
}

int lr_services_open(struct lr_services *s, struct lr_state *st, uv_loop_t *loop,
                     unsigned what, char *err, size_t errlen)
{
  memset(s, 0, sizeof(*s));
  s->st = st;
  if ((what & LR_SVC_EMAIL) && !(s->notify = lr_notify_open(st, loop, err, errlen)))
    return -1;
  s->dnat = lr_dnat_new();
  s->dnat_store = lr_dnat_store_open(st);
  s->counters = lr_counters_new();
  s->sessions = lr_sessions_new(LR_SESSIONS_MAX);
  if (s->counters) {
    lr_counters_on_evict(s->counters, on_counter_evict, s);
    lr_counters_track_dirty(s->counters, true); /* flushed with each cursor commit */
  }
  if (!s->dnat || !s->counters || lr_dnat_store_load(s->dnat_store, s->dnat, err, errlen) < 0 ||
      lr_counters_store_load(s->st, s->counters, &s->counters_logged, err, errlen) < 0 ||
      ((what & LR_SVC_BANS) && !(s->bans = lr_bans_open(st, loop, err, errlen)))) {
    lr_services_close(s);
    return -1;
  }
  lr_bans_on_refused(s->bans, on_ban_refused, s);
  /* the same switch as the bans: `replay --no-bans` runs no exec action either */
  if (what & LR_SVC_BANS)
    s->exec = lr_exec_new(loop);
  /* configured with the rules (lr_fleet_configure): off until then */
  if ((what & LR_SVC_FLEET) && s->bans)
    s->fleet = lr_fleet_open(loop, s->bans);
  return 0;
}

void lr_services_close(struct lr_services *s)
{
  /* each close runs the loop until its own commands end: nothing else may use
   * a service by then (the daemon stops its signals and control socket first) */
  lr_fleet_close(s->fleet); /* before the bans it applies into */
  s->fleet = NULL;
  lr_bans_close(s->bans); /* runs the firewall commands still queued */
  s->bans = NULL;
  lr_exec_free(s->exec); /* and the exec actions' */
  s->exec = NULL;
  lr_notify_close(s->notify);
  s->notify = NULL;
  if (s->evictions_unlogged)
    log_evictions(s);
  if (s->dnat)
    log_dnat_evictions(s, true);
  lr_dnat_free(s->dnat);
  lr_dnat_store_close(s->dnat_store);
  lr_counters_free(s->counters);
  lr_sessions_free(s->sessions);
  memset(s, 0, sizeof(*s));
}

unsigned lr_services_pending(const struct lr_services *s)
{
  return s ? lr_bans_pending(s->bans) + lr_exec_pending(s->exec) : 0;
}

void lr_services_settle(struct lr_services *s)
{
  if (!s)
    return;
  /* neither queue's commands queue into the other: one after the other is enough */
  lr_bans_settle(s->bans);
  lr_exec_settle(s->exec);
}

void lr_services_dnat_captured(struct lr_services *s, const struct lr_dnat_values *v,
                               unsigned bits, int64_t t)
{
  lr_dnat_store_add(s->dnat_store, v, bits, t);
}

static void services_committed(struct lr_services *s)
{
  lr_dnat_store_committed(s->dnat_store);
  lr_bans_catch_up(s->bans, lr_wall_usec()); /* what a full disk refused */
  if (s->notify)
    lr_notify_committed(s->notify); /* may send a report that came due */
}

/* Counters changed since the last flush. The dirty set is consumed there, so
 * after a rolled-back flush the table is rewritten whole (rare: disk full). */
static int flush_counters(struct lr_services *s)
{
  if (lr_counters_store_save(s->st, s->counters, s->counters_resync, &s->counters_logged) < 0)
    return -1;
  s->counters_resync = false; /* until a rollback says otherwise */
  return 0;
}

static int services_flush(struct lr_services *s, int64_t now_usec)
{
  int rc = 0;
  if (s->evictions_unlogged && (int64_t)time(NULL) - s->eviction_logged_at >= 60)
    log_evictions(s);
  if (s->dnat)
    log_dnat_evictions(s, false);
  if (flush_counters(s) < 0)
    rc = -1;
  if (s->notify && lr_notify_flush(s->notify) < 0)
    rc = -1;
  if (lr_dnat_store_flush(s->dnat_store, now_usec / 1000000) < 0)
    rc = -1;
  return rc;
}

int lr_services_commit(struct lr_services *s, const struct lr_state_kv *positions, size_t n,
                       int64_t now_usec)
{
  if (lr_state_begin(s->st) < 0)
    return -1;
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++)
    ok = lr_state_set(s->st, positions[i].key, positions[i].value) == 0;
  ok = ok && services_flush(s, now_usec) == 0;
  if (ok && lr_state_commit(s->st) == 0) { /* a failed commit rolls back */
    services_committed(s);
    return 0;
  }
  lr_state_rollback(s->st); /* if still open */
  s->counters_resync = true; /* the dirty set is gone: write every counter again */
  return -1;
}

bool lr_services_wants_flush(const struct lr_services *s)
{
  return s && (lr_notify_wants_flush(s->notify) ||
               lr_dnat_store_buffered(s->dnat_store) > FLUSH_SOON_CAPTURES);
}
