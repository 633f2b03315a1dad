#include "cli/daemon.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "util/log.h"
#include "lua/lr_lua.h"
#include "defence/bans.h"
#include "util/clock.h"
#include "cli/control.h"
#include "cli/control_bans.h"
#include "cli/control_outbox.h"
#include "cli/daemon_sd.h"
#include "cli/daemon_status.h"
#include "notify/notify.h"
#include "rules/services.h"
#include "input/source.h"
#include "input/source_files.h"
#include "rules/file_config.h"
#include "rules/environment_needs.h"
#include "fleet/fleet.h"
#include "util/ipnet.h"
#include "input/journal_wake.h"
#include "util/latency.h"
#include "state/state.h"
#include "state/storage_lock.h"
#include "util/errmsg.h"
#include "util/xalloc.h"

#define BATCH 4096              /* entries per loop turn: signals stay responsive */
#define BATCH_MAX_NS 100000000  /* ... and at most 100 ms of them */
#define COMMIT_EVERY_MS 1000    /* how often the cursor is written when entries flow */
#define WAKE_DELAY_MS 1         /* from a datagram to reading the journal */
#define WAKE_REST_MS 1          /* after reading, before listening again */
#define FAST_COMMIT_MS 250      /* woken often (polls, datagrams): commit at most this often,
                                 * as often as journald's notices would have */
#define COMMIT_RETRY_MS 900     /* after a failed commit (disk full, read-only): the 1 s timer retries */
#define FLOW_POLL_MS 3          /* while journal entries flow: read this often (own delay p99
                                 * about 3 ms; 2 cost a third more wake-ups for 1 ms less) */
#define FLOW_BACKOFF 8          /* then a poll waits an eighth of the time since the last entry */
#define FLOW_QUIET_MS 250       /* that long without entries: polls stop, journald's notices
                                 * (at most this far apart) take over */
#define FLOOD_ENTRIES 500       /* --fast-follow=flood: polls start when this many came since
                                 * journald's notice before (250 ms apart: 2,000 a second) */
#define FLOOD_ENDED 250         /* ... and stop when fewer came in FLOW_QUIET_MS */
#define WAKE_RETRIES 3          /* rests waiting for a datagram's entry to be written */

struct daemon {
  const struct lr_daemon_options *o;
  uv_loop_t *loop;
  uv_poll_t poll;
  uv_timer_t timer;
  uv_idle_t idle;
  uv_signal_t hup, term, intr;
  struct lr_engine eng;
  struct lr_source *src;   /* the journal */
  struct lr_source *files; /* the followed text files (none named: it gives nothing) */
  struct lr_file_config cli_files; /* --file */
  uv_fs_event_t **watches; /* one per directory of followed files */
  size_t nwatches;
  bool files_poll_due;     /* a file appeared, was renamed or deleted */
  struct lr_state *st;
  struct lr_services svc;
  bool svc_open;
  char *cursor_key;
  bool dirty;
  bool caught_up;  /* the last drain emptied the source: the wall clock is the time */
  uint64_t last_commit_ms;
  uint64_t commit_failed_ms; /* when the last commit failed; 0: it did not */
  struct lr_control *control;
  struct lr_storage_lock *lock; /* held for the daemon's life: one luruse per storage */
  struct lr_sd sd;              /* what systemd is told */
  int64_t started_usec;
  bool stopping;
  /* delays of the journal's live entries (after the first catch-up), until
   * their rules ran: from journald's stamp (end to end), and from when luruse
   * was woken for them or read them, whichever came later (its own) */
  struct lr_latency *delay_e2e, *delay_own;
  int64_t woke_usec;
  bool live;
  /* --syslog-wake (input/journal_wake.h): journald's forwarded datagrams say
   * when to read, sooner than inotify (at most every WAKE_DELAY_MS +
   * WAKE_REST_MS) */
  struct lr_journal_wake *wake;
  uv_poll_t wake_poll;
  uv_timer_t wake_timer;
  unsigned wake_retries;     /* rests spent waiting for a datagram's entry */
  bool wake_resting;         /* the rest after a read is under way */
  bool wake_failed;          /* the socket reported an error: not listened to any more */
  int64_t wake_pending_usec; /* arrival of the oldest datagram not matched by an entry yet */
  uint64_t journal_entries;  /* read from the journal since start */
  /* --fast-follow: while entries flow, the journal is read every
   * FLOW_POLL_MS: journald tells its readers of new entries at most every
   * 250 ms, but they are in its files (and readable) as soon as it wrote them */
  uv_timer_t flow_timer;
  bool flow_polling;
  int64_t drained_usec;      /* when the last drain ended: what came later was not there */
  uint64_t flow_found_ms;    /* loop time of the last poll that found entries */
  uint64_t flow_window_ms;   /* flood: start of the window the flow's rate is taken over */
  uint64_t flow_window_base; /* journal_entries then (read by polls, notices or idle turns) */
  uint64_t woken_base;       /* journal_entries at the last wake-up's drain, or at the catch-up's
                              * end */
  uint64_t flow_polls, flow_found; /* for `luruse status` */
};

struct positions {
  struct lr_state_kv *kv;
  size_t n;
};

static void add_position(void *ctx, const char *key, const char *value)
{
  struct positions *p = ctx;
  p->kv = lr_xreallocarray(p->kv, p->n + 1, sizeof(*p->kv));
  p->kv[p->n++] = (struct lr_state_kv){lr_xstrdup(key), lr_xstrdup(value)};
}

/* The input positions (journal cursor, file offsets) and the report lines of
 * the entries before them, in one transaction: after a crash, all are there
 * or none (and the entries are read again). */
static void commit_cursor(struct daemon *d, bool force)
{
  if (!d->dirty && !lr_services_wants_flush(&d->svc)) /* e.g. a report came due */
    return;
  /* a database that refuses writes refuses them for a while: every drain's
   * retry would cost a whole rewrite of the counters (their dirty set is gone)
   * for nothing; what waits meanwhile is bounded (docs/memory.md) */
  if (!force && d->commit_failed_ms && uv_now(d->loop) - d->commit_failed_ms < COMMIT_RETRY_MS)
    return;
  struct positions p = {0};
  char *c = lr_source_journal_cursor(d->src);
  if (c)
    add_position(&p, d->cursor_key, c);
  free(c);
  lr_source_files_positions(d->files, add_position, &p);
  if (lr_services_commit(&d->svc, p.kv, p.n, d->eng.clock.now_usec) == 0) {
    d->dirty = false;
    d->commit_failed_ms = 0;
  } else {
    d->commit_failed_ms = uv_now(d->loop) ? uv_now(d->loop) : 1;
  }
  for (size_t i = 0; i < p.n; i++) {
    free((char *)p.kv[i].key);
    free((char *)p.kv[i].value);
  }
  free(p.kv);
  d->last_commit_ms = uv_now(d->loop);
}

static void on_idle(uv_idle_t *h);

/* The datagrams of --syslog-wake say when to read (until the socket fails). */
static bool wake_in_use(const struct daemon *d) { return d->wake && !d->wake_failed; }

/* Up to BATCH entries of src through the rules: what next() last said. */
static int drain_source(struct daemon *d, struct lr_source *src, uint64_t start)
{
  int rc = 0;
  bool measured = d->live && src == d->src && d->delay_e2e;
  for (int i = 0; i < BATCH && (rc = src->next(src, &d->eng.entry)) > 0; i++) {
    lr_engine_process(&d->eng);
    if (measured) {
      int64_t now = lr_wall_usec(), stamp = d->eng.entry.realtime_usec;
      lr_latency_add(d->delay_e2e, now - stamp);
      lr_latency_add(d->delay_own, now - (stamp > d->woke_usec ? stamp : d->woke_usec));
    }
    d->dirty = true;
    d->journal_entries += src == d->src;
    /* slow custom steps must not hold back signals and commits either */
    if ((i & 63) == 63 && uv_hrtime() - start > BATCH_MAX_NS)
      break;
  }
  return rc;
}

/* The journal, then the files: each source in its own order, the sources in
 * turns, as their entries arrive (docs/ARCHITECTURE.md, "Data path"). */
static void drain(struct daemon *d)
{
  if (d->files_poll_due) {
    d->files_poll_due = false;
    lr_source_files_poll(d->files);
  }
  uint64_t start = uv_hrtime();
  int rc = drain_source(d, d->src, start);
  int frc = drain_source(d, d->files, start);
  bool more = rc > 0 || frc > 0;
  d->caught_up = !more;
  if (!more) {
    if (!d->live) /* the backlog is no flood */
      d->woken_base = d->journal_entries;
    d->live = true; /* what comes from now on comes live */
    d->drained_usec = lr_wall_usec();
  }
  if (more) /* more is waiting: come back after the loop looked at signals */
    uv_idle_start(&d->idle, on_idle);
  else
    uv_idle_stop(&d->idle);
  uv_update_time(d->loop);
  uint64_t since_commit = uv_now(d->loop) - d->last_commit_ms;
  /* polling or woken by datagrams, "caught up" comes every few milliseconds:
   * commit at most every FAST_COMMIT_MS then (on_timer, or the end of the
   * polls, commits what is left) */
  bool often = wake_in_use(d) || d->flow_polling;
  if ((!more && (!often || since_commit >= FAST_COMMIT_MS)) ||
      since_commit >= COMMIT_EVERY_MS || lr_services_wants_flush(&d->svc))
    commit_cursor(d, false);
}

/* When luruse could first have known of what it is about to read: the oldest
 * forwarded datagram not matched by an entry yet, else now. */
static void note_woken(struct daemon *d)
{
  d->woke_usec = d->wake_pending_usec ? d->wake_pending_usec : lr_wall_usec();
}

static void on_flow_poll(uv_timer_t *h);

/* Entries came from the live journal, `since` of them since the last wake-up
 * (other drains, the timer's or a text file's, read some of them): with
 * --fast-follow, read it again in FLOW_POLL_MS (not with --syslog-wake, whose
 * datagrams say when). By default (flood) only when they came at FLOOD_ENTRIES
 * a notice or more: a poll costs a wake-up, which a flood's entries pay for
 * many times over, and a notice's batch is what makes the last of them wait
 * (about 2,500 entries at 10,000 a second, 5 to 15 ms). */
static void flow_poll_start(struct daemon *d, uint64_t since)
{
  enum lr_fast_follow when = d->o->fast_follow;
  if (when == LR_FAST_FOLLOW_NEVER || (when == LR_FAST_FOLLOW_FLOOD && since < FLOOD_ENTRIES) ||
      d->flow_polling || wake_in_use(d) || !d->live || lr_source_journal_fd(d->src) < 0)
    return;
  d->flow_polling = true;
  d->flow_found_ms = d->flow_window_ms = uv_now(d->loop);
  d->flow_window_base = d->journal_entries;
  uv_timer_start(&d->flow_timer, on_flow_poll, FLOW_POLL_MS, 0);
}

/* Reads the journal after a wake; true when it gave entries. */
static bool drain_woken(struct daemon *d)
{
  uint64_t before = d->journal_entries;
  note_woken(d);
  drain(d);
  uint64_t got = d->journal_entries - before, since = d->journal_entries - d->woken_base;
  d->woken_base = d->journal_entries;
  if (got) {
    d->wake_pending_usec = 0;
    flow_poll_start(d, since);
  }
  return got > 0;
}

/* flood: fewer than FLOOD_ENDED entries came in the last FLOW_QUIET_MS, so
 * journald's notices are cheaper again. */
static bool flood_ended(struct daemon *d, uint64_t now)
{
  if (d->o->fast_follow != LR_FAST_FOLLOW_FLOOD || now - d->flow_window_ms < FLOW_QUIET_MS)
    return false;
  bool ended = d->journal_entries - d->flow_window_base < FLOOD_ENDED;
  d->flow_window_ms = now;
  d->flow_window_base = d->journal_entries;
  return ended;
}

static void on_flow_poll(uv_timer_t *h)
{
  struct daemon *d = h->data;
  uint64_t before = d->journal_entries;
  /* an entry read now became readable after the last drain: its own delay
   * counts from then, at the latest (the stamp, if later) */
  d->woke_usec = d->drained_usec;
  drain(d);
  d->flow_polls++;
  /* The wait grows with the quiet, so that an entry after a pause waits at
   * most about an eighth of that pause: bursts (a feeder's, a brute forcer's
   * tries) 10 ms apart keep the 3 ms pace, lines 100 ms apart wait at most
   * about 12 ms. A quiet journal costs about 30 polls, then none; by default
   * (flood) a flow that slowed below FLOOD_ENDED a window stops them too. */
  uint64_t now = uv_now(d->loop), got = d->journal_entries - before;
  if (got) {
    d->flow_found++;
    d->flow_found_ms = now;
  }
  uint64_t quiet = now - d->flow_found_ms;
  if (quiet < FLOW_QUIET_MS && !flood_ended(d, now)) {
    uint64_t wait = quiet / FLOW_BACKOFF;
    uv_timer_start(&d->flow_timer, on_flow_poll, wait > FLOW_POLL_MS ? wait : FLOW_POLL_MS, 0);
    return;
  }
  d->flow_polling = false; /* quiet, or no flood: journald's notifications wake the reader */
  commit_cursor(d, false); /* what drain() left for later */
}

static size_t wake_read(struct daemon *d)
{
  int64_t first = 0;
  size_t n = lr_journal_wake_drain(d->wake, &first);
  if (n && !d->wake_pending_usec)
    d->wake_pending_usec = first;
  return n;
}

static void on_wake_rest(uv_timer_t *h);

/* Datagrams are waiting: read the journal in WAKE_DELAY_MS, then rest
 * WAKE_REST_MS before listening again, so that a flow of messages costs one
 * wake-up per delay and rest, not
 * one per datagram (those of the rest wait in the socket and wake it at once
 * when it listens again); a quiet journal costs nothing. */
static void on_wake(uv_poll_t *h, int status, int events)
{
  (void)events;
  struct daemon *d = h->data;
  if (status < 0) { /* libuv has stopped the handle: the wake-up is over, say so */
    lr_log(LOG_WARNING, "syslog wake-up: %s: %s; journald's notices (and --fast-follow's polls) "
           "from now on",
           LR_JOURNAL_WAKE_PATH, uv_strerror(status));
    uv_poll_stop(&d->wake_poll);
    d->wake_failed = true;
    return;
  }
  if (!wake_read(d))
    return;
  uv_poll_stop(&d->wake_poll);
  d->wake_retries = 0;
  /* journald forwards a message before it writes it: read once it had the
   * time to (reading at once mostly finds nothing, and costs a wake-up more) */
  uv_timer_start(&d->wake_timer, on_wake_rest, WAKE_DELAY_MS, 0);
}

static void on_wake_rest(uv_timer_t *h)
{
  struct daemon *d = h->data;
  if (d->wake_failed)
    return;
  wake_read(d); /* those of the wait: their entries are read now too */
  /* an entry not written yet: a few more rests, then it is a message journald
   * did not store (rate limit...) */
  if (d->wake_pending_usec && !drain_woken(d) && ++d->wake_retries < WAKE_RETRIES) {
    uv_timer_start(&d->wake_timer, on_wake_rest, WAKE_REST_MS, 0);
    return;
  }
  d->wake_pending_usec = 0;
  d->wake_retries = 0;
  /* rest before listening again: a flow of messages costs a wake-up per rest */
  if (!d->wake_resting) {
    d->wake_resting = true;
    uv_timer_start(&d->wake_timer, on_wake_rest, WAKE_REST_MS, 0);
    return;
  }
  d->wake_resting = false;
  if (wake_read(d)) { /* more came during the rest: read them after the delay */
    uv_timer_start(&d->wake_timer, on_wake_rest, WAKE_DELAY_MS, 0);
    return;
  }
  uv_poll_start(&d->wake_poll, UV_READABLE, on_wake);
}

static void on_idle(uv_idle_t *h) { drain(h->data); }

static void on_journal(uv_poll_t *h, int status, int events)
{
  (void)status, (void)events;
  struct daemon *d = h->data;
  lr_source_journal_events(d->src); /* rotation and vacuuming are handled in here */
  drain_woken(d); /* without --syslog-wake nothing is pending: woken now */
}

static void on_timer(uv_timer_t *h)
{
  struct daemon *d = h->data;
  note_woken(d);
  lr_source_journal_events(d->src);
  d->files_poll_due = true; /* the fallback where inotify says nothing (NFS...) */
  drain(d);
  if (d->caught_up) /* midnight comes without entries; during a catch-up, by them */
    lr_engine_wall_tick(&d->eng, lr_wall_usec());
  if (lr_services_wants_flush(&d->svc) || d->dirty) /* see drain() */
    commit_cursor(d, false);
}

static void on_file_event(uv_fs_event_t *h, const char *name, int events, int status)
{
  (void)name, (void)status;
  struct daemon *d = h->data;
  if (events & UV_RENAME) /* created, renamed or deleted: look at the names again */
    d->files_poll_due = true;
  uv_idle_start(&d->idle, on_idle); /* once per loop turn, however many events came */
}

static void free_handle(uv_handle_t *h) { free(h); }

/* inotify on each directory of the followed files; a directory that does not
 * exist (yet) is looked at by the timer's poll. */
static void watch_files(struct daemon *d)
{
  for (size_t i = 0; i < d->nwatches; i++)
    uv_close((uv_handle_t *)d->watches[i], free_handle);
  d->nwatches = 0;
  const char *dir;
  for (size_t i = 0; (dir = lr_source_files_dir(d->files, i)); i++) {
    uv_fs_event_t *w = lr_xmalloc(sizeof(*w));
    uv_fs_event_init(d->loop, w);
    w->data = d;
    int rc = uv_fs_event_start(w, on_file_event, dir, 0);
    if (rc < 0) {
      lr_log(LOG_INFO, "%s: not watched (%s): looked at every second", dir, uv_strerror(rc));
      uv_close((uv_handle_t *)w, free_handle);
      continue;
    }
    d->watches = lr_xreallocarray(d->watches, d->nwatches + 1, sizeof(*d->watches));
    d->watches[d->nwatches++] = w;
  }
}

/* The rules' files and --file's, followed from now on. */
static void follow_files(struct daemon *d, const struct lr_ruleset *rs, bool from_start)
{
  const struct lr_file_config *r = &rs->settings.files, *c = &d->cli_files;
  size_t n = r->n + c->n;
  struct lr_file_spec *all = lr_xcalloc(n ? n : 1, sizeof(*all));
  for (size_t i = 0; i < r->n; i++)
    all[i] = r->specs[i];
  for (size_t i = 0; i < c->n; i++)
    all[r->n + i] = c->specs[i];
  lr_source_files_set(d->files, all, n, from_start);
  free(all);
  if (d->loop)
    watch_files(d);
}

static char *saved_position(void *ctx, const char *key)
{
  struct daemon *d = ctx;
  return d->o->reset_cursor ? NULL : lr_state_get(d->st, key);
}

/* The fleet's refusal of an address this host never bans (the allowlist of
 * the rules in force). */
static bool fleet_spared(void *ctx, const struct lr_ban_target *t)
{
  struct daemon *d = ctx;
  struct lr_ipaddr a = {.family = t->family};
  memcpy(a.bytes, t->addr, sizeof(a.bytes));
  return lr_allowlist_contains(&d->eng.rs->settings.allow, &a);
}

/* Fleet mode as the rules say: the sets their bans and jails use are the only
 * ones a ban from another host may go into. */
static void configure_fleet(struct daemon *d, const struct lr_ruleset *rs)
{
  if (!d->svc.fleet)
    return;
  struct lr_needs needs = {0};
  lr_needs_gather(rs, &needs);
  struct lr_fleet_set *sets = lr_xcalloc(needs.n ? needs.n : 1, sizeof(*sets));
  size_t n = 0;
  for (size_t i = 0; i < needs.n; i++)
    if (needs.v[i].kind == LR_NEED_NFT_SET || needs.v[i].kind == LR_NEED_IPSET_SET)
      sets[n++] = (struct lr_fleet_set){needs.v[i].kind == LR_NEED_NFT_SET ? LR_BAN_NFT
                                                                             : LR_BAN_IPSET,
                                        needs.v[i].name};
  /* luruse's own table takes the fleet's bans even on a host whose rules ban
   * nothing themselves (a host that only applies what a collector shares) */
  if (rs->settings.fleet.enabled && rs->settings.ban.table[0] && !lr_ruleset_uses_own_table(rs))
    lr_bans_ensure_table(d->svc.bans);
  lr_fleet_configure(d->svc.fleet, &rs->settings.fleet, sets, n, rs->settings.ban.table,
                     fleet_spared, d);
  free(sets);
  lr_needs_free(&needs);
}

/* Build, validate, swap: on any error the old rules keep running. */
static int reload_rules(struct daemon *d, char *err, size_t errlen)
{
  lr_sd_reloading(&d->sd);
  struct lr_ruleset *rs = lr_ruleset_load(d->o->rules_path, d->eng.svc, err, errlen);
  if (!rs) {
    lr_log(LOG_ERR, "reload failed, the old rules keep running: %s", err);
    lr_sd_reloaded(&d->sd, false, err);
    return -1;
  }
  lr_ruleset_free(lr_engine_swap(&d->eng, rs));
  if (lr_ruleset_uses_own_table(rs)) /* bans.table may name another one now */
    lr_bans_ensure_table(d->svc.bans);
  follow_files(d, rs, false);
  configure_fleet(d, rs);
  lr_log(LOG_NOTICE, "rules reloaded from %s (%zu steps)", d->o->rules_path, rs->wf->nsteps);
  char msg[128];
  snprintf(msg, sizeof(msg), "rules reloaded (%zu steps)", rs->wf->nsteps);
  lr_sd_reloaded(&d->sd, true, msg);
  return 0;
}

/* The figures of the status line systemd shows (cheap: two count queries). */
static void sd_figures(void *ctx, struct lr_sd_figures *f)
{
  struct daemon *d = ctx;
  f->entries = d->eng.entries;
  f->bans = d->svc.bans ? lr_bans_in_force(d->svc.bans, lr_wall_usec()) : -1;
  f->emails = -1;
  if (d->svc.notify) {
    struct lr_notify_stats n;
    lr_notify_stats(d->svc.notify, &n);
    f->emails = (int64_t)n.outbox_size;
  }
}

static void on_reload(uv_signal_t *h, int signum)
{
  (void)signum;
  struct daemon *d = h->data;
  char err[LR_ERR_MAX];
  if (d->stopping)
    lr_log(LOG_NOTICE, "stopping: reload ignored");
  else
    reload_rules(d, err, sizeof(err));
}

/* The control socket's requests (see control.h). */
static json_t *on_control(void *ctx, const char *cmd, const json_t *req,
                          struct lr_control_request *rq)
{
  struct daemon *d = ctx;
  if (!strcmp(cmd, "ping"))
    return json_pack("{s:b}", "ok", 1);
  if (!strcmp(cmd, "status")) {
    json_t *st = lr_daemon_status(&d->eng, &d->svc, d->started_usec, lr_wall_usec(),
                                  d->o->rules_path, lr_state_path(d->st));
    size_t open, waiting;
    lr_source_files_counts(d->files, &open, &waiting);
    json_object_set_new(st, "allowlisted", json_integer((json_int_t)d->svc.allowlisted));
    json_object_set_new(st, "files", json_pack("{s:I, s:I, s:I}", "named",
                                               (json_int_t)(open + waiting), "followed",
                                               (json_int_t)open, "waiting", (json_int_t)waiting));
    if (d->delay_e2e && d->delay_e2e->n)
      json_object_set_new(
        st, "delay_ms",
        json_pack("{s:I, s:{s:f, s:f, s:f}, s:{s:f, s:f, s:f}}", "entries",
                  (json_int_t)d->delay_e2e->n, "end_to_end", "p50",
                  lr_latency_quantile(d->delay_e2e, 0.5), "p99",
                  lr_latency_quantile(d->delay_e2e, 0.99), "max", d->delay_e2e->max_usec / 1000.0,
                  "own", "p50", lr_latency_quantile(d->delay_own, 0.5), "p99",
                  lr_latency_quantile(d->delay_own, 0.99), "max",
                  d->delay_own->max_usec / 1000.0));
    if (d->o->syslog_wake || d->wake) /* null: asked for, not had (see the log) */
      json_object_set_new(st, "syslog_wake",
                          d->wake && !d->wake_failed ? json_pack("{s:s, s:I}", "socket", LR_JOURNAL_WAKE_PATH,
                                              "datagrams",
                                              (json_int_t)lr_journal_wake_count(d->wake))
                                  : json_null());
    static const char *const when_names[] = {[LR_FAST_FOLLOW_FLOOD] = "flood",
                                             [LR_FAST_FOLLOW_ALWAYS] = "always",
                                             [LR_FAST_FOLLOW_NEVER] = "never"};
    if (d->o->fast_follow != LR_FAST_FOLLOW_NEVER && !wake_in_use(d) &&
        lr_source_journal_fd(d->src) >= 0)
      json_object_set_new(st, "fast_follow",
                          json_pack("{s:s, s:I, s:I}", "when", when_names[d->o->fast_follow],
                                    "polls", (json_int_t)d->flow_polls, "found",
                                    (json_int_t)d->flow_found));
    struct lr_journal_direct_stats ds;
    lr_source_journal_direct_stats(d->src, &ds);
    json_object_set_new(st, "journal_direct",
                        d->o->libsystemd_only
                          ? json_null()
                          : json_pack("{s:I, s:I, s:I, s:I, s:I}", "entries",
                                      (json_int_t)ds.entries, "starts", (json_int_t)ds.starts,
                                      "handbacks", (json_int_t)ds.handbacks, "refused",
                                      (json_int_t)ds.refused, "broken", (json_int_t)ds.broken));
    json_t *fleet = lr_fleet_status(d->svc.fleet);
    if (fleet)
      json_object_set_new(st, "fleet", fleet);
    return st;
  }
  if (!strcmp(cmd, "reload")) {
    if (d->stopping)
      return lr_control_error("stopping: reload refused");
    char err[LR_ERR_MAX];
    if (reload_rules(d, err, sizeof(err)) < 0)
      return lr_control_error("%s", err);
    char msg[128];
    snprintf(msg, sizeof(msg), "rules reloaded (%zu steps)", d->eng.rs->wf->nsteps);
    return json_pack("{s:b, s:s}", "ok", 1, "message", msg);
  }
  if (!strcmp(cmd, "outbox")) /* here, so that the outbox's sending state stays right */
    return d->svc.notify ? lr_control_outbox(lr_notify_outbox(d->svc.notify), req, true)
                         : lr_control_error("this daemon sends no email");
  if (!strcmp(cmd, "bans") || !strcmp(cmd, "ban") || !strcmp(cmd, "unban"))
    return lr_control_bans(d->svc.bans, &d->eng.rs->settings,
                           lr_ruleset_uses_own_table(d->eng.rs) ? d->eng.rs->settings.ban.table
                                                                : NULL,
                           cmd, req, rq);
  return lr_control_error("unknown command '%s'", cmd);
}

static void on_stop(uv_signal_t *h, int signum)
{
  struct daemon *d = h->data;
  if (d->stopping)
    return; /* already handing over the last emails and bans */
  lr_sd_stopping(&d->sd);
  lr_log(LOG_NOTICE, "stopping on signal %d after %llu entries", signum,
         (unsigned long long)d->eng.entries);
  commit_cursor(d, true);
  uv_stop(d->loop);
}

static int open_source(struct daemon *d, char *err, size_t errlen)
{
  const struct lr_inputs *in = &d->o->inputs;
  const char *key_kind;
  const char *const *paths = NULL;
  size_t npaths = 0;
  enum lr_journal_kind kind;
  if (in->journal_dir && in->njournal_files) {
    snprintf(err, errlen, "--journal-dir and --journal-file do not go together: give one of them");
    return -1;
  }
  if (in->journal_dir) {
    kind = LR_JOURNAL_DIRECTORY;
    paths = &in->journal_dir;
    npaths = 1;
    key_kind = "dir";
  } else if (in->njournal_files) {
    kind = LR_JOURNAL_FILES;
    paths = in->journal_files;
    npaths = in->njournal_files;
    key_kind = "files";
  } else {
    kind = LR_JOURNAL_LOCAL;
    key_kind = "local";
  }
  d->src = lr_source_journal_open(kind, paths, npaths, err, errlen);
  if (!d->src)
    return -1;
  if (!d->o->libsystemd_only)
    lr_source_journal_read_directly(d->src);
  d->cursor_key =
    lr_xasprintf("cursor:%s%s%s", key_kind, npaths ? ":" : "", npaths ? paths[0] : "");

  char *start_key = lr_xasprintf("started:%s", d->cursor_key + 7);
  if (d->o->reset_cursor) {
    if (lr_state_delete(d->st, d->cursor_key) < 0 || lr_state_delete(d->st, start_key) < 0) {
      snprintf(err, errlen, "--reset-cursor: cannot forget the saved position");
      free(start_key);
      return -1;
    }
    lr_log(LOG_NOTICE, "--reset-cursor: the saved journal position is forgotten "
                       "(counters, bans and report lines are kept)");
  }
  char *cursor = lr_state_get(d->st, d->cursor_key), *since = NULL;
  bool asked = d->o->from_start || d->o->since_usec >= 0;
  int rc;
  if (cursor) {
    rc = lr_source_journal_seek_after_cursor(d->src, cursor);
    if (asked)
      lr_log(LOG_WARNING, "%s ignored: resuming after the journal cursor saved in %s, so that "
                          "no entry is processed twice (to start over: --reset-cursor, or a "
                          "fresh --storage)",
             d->o->from_start ? "--from-start" : "--since", lr_state_path(d->st));
    else
      lr_log(LOG_INFO, "resuming after the saved journal cursor");
  } else if (d->o->from_start) {
    rc = lr_source_journal_seek_head(d->src);
    lr_log(LOG_INFO, "reading the journal from its start");
  } else if (d->o->since_usec >= 0) {
    rc = lr_source_journal_seek_since(d->src, (uint64_t)d->o->since_usec);
  } else if ((since = lr_state_get(d->st, start_key))) {
    /* started before, but no entry was ever there to give a cursor */
    rc = lr_source_journal_seek_since(d->src, strtoull(since, NULL, 10));
    lr_log(LOG_INFO, "resuming from the time of the first start");
  } else {
    rc = lr_source_journal_seek_tail(d->src);
    lr_log(LOG_INFO, "first start: reading new journal entries only");
    char now[32];
    snprintf(now, sizeof(now), "%llu", (unsigned long long)lr_wall_usec());
    lr_state_set(d->st, start_key, now);
    d->dirty = true; /* the tail's cursor is saved at once */
  }
  free(cursor);
  free(since);
  free(start_key);
  if (rc < 0) {
    snprintf(err, errlen, "cannot position in the journal: %s", strerror(-rc));
    return -1;
  }
  return 0;
}

static void close_handle(uv_handle_t *h, void *arg)
{
  (void)arg;
  if (!uv_is_closing(h))
    uv_close(h, NULL);
}

int lr_daemon_run(const struct lr_daemon_options *o)
{
  /* stderr may be a pipe whose reader went away (`luruse run 2>&1 | tee`): a
   * logged warning must not kill the daemon, nor a control client that hung up */
  signal(SIGPIPE, SIG_IGN);
  struct daemon d = {.o = o};
  char err[LR_ERR_MAX];
  /* read now (the storage is a setting), compiled once the services exist */
  struct lr_ruleset *rs = lr_ruleset_read(o->rules_path, err, sizeof(err));
  if (!rs) {
    lr_log(LOG_ERR, "%s", err);
    return 1;
  }
  int status = 1;
  const char *storage = lr_ruleset_storage(rs, o->storage);
  int locked = lr_storage_lock(storage, "run", &d.lock, err, sizeof(err));
  if (locked != 0) {
    lr_log(LOG_ERR, "%s%s", err,
           locked > 0 ? ": one luruse per storage directory (another one: --storage DIR)" : "");
    lr_ruleset_free(rs);
    return 1;
  }
  d.st = lr_state_open(storage, err, sizeof(err));
  if (d.st) /* a checkpoint must not hold the loop while entries wait */
    lr_state_checkpoint_in_thread(d.st);
  for (size_t i = 0; i < o->inputs.nfiles; i++)
    if (lr_file_config_add(&d.cli_files, o->inputs.files[i], o->inputs.identifier, err,
                           sizeof(err)) < 0) {
      lr_log(LOG_ERR, "--file: %s", err);
      goto out;
    }
  d.files = lr_source_files_open(saved_position, &d);
  if (!d.st || open_source(&d, err, sizeof(err)) < 0) {
    lr_log(LOG_ERR, "%s", err);
    goto out;
  }
  d.loop = uv_default_loop();
  if (lr_services_open(&d.svc, d.st, d.loop, LR_SVC_ALL | LR_SVC_FLEET, err, sizeof(err)) < 0) {
    lr_log(LOG_ERR, "%s", err);
    goto out;
  }
  d.svc_open = true;
  lr_engine_init(&d.eng, &d.svc, o->trace, false);
  if (lr_ruleset_compile(rs, &d.svc, err, sizeof(err)) < 0) {
    lr_log(LOG_ERR, "%s", err);
    lr_engine_free(&d.eng);
    goto out;
  }
  lr_engine_swap(&d.eng, rs);
  follow_files(&d, rs, o->from_start);
  configure_fleet(&d, rs);
  /* bans recorded before (reboot, crash, firewall reload) are in force again,
   * in luruse's own table when the rules ban there */
  if (lr_ruleset_uses_own_table(rs))
    lr_bans_ensure_table(d.svc.bans);
  lr_bans_restore(d.svc.bans, lr_wall_usec());
  d.started_usec = lr_wall_usec();
  d.delay_e2e = lr_xcalloc(1, sizeof(*d.delay_e2e));
  d.delay_own = lr_xcalloc(1, sizeof(*d.delay_own));
  char sock[4096];
  snprintf(sock, sizeof(sock), "%s/%s", storage, LR_CONTROL_SOCKET_NAME);
  if (!(d.control = lr_control_start(d.loop, sock, on_control, &d, err, sizeof(err)))) {
    lr_log(LOG_ERR, "%s", err);
    lr_engine_free(&d.eng);
    goto out;
  }
  uv_idle_init(d.loop, &d.idle);
  d.idle.data = &d;
  uv_timer_init(d.loop, &d.timer);
  d.timer.data = &d;
  uv_timer_start(&d.timer, on_timer, 1000, 1000); /* journals whose changes inotify misses */
  uv_timer_init(d.loop, &d.flow_timer);
  d.flow_timer.data = &d;
  int fd = lr_source_journal_fd(d.src);
  if (fd >= 0) {
    uv_poll_init(d.loop, &d.poll, fd);
    d.poll.data = &d;
    uv_poll_start(&d.poll, UV_READABLE, on_journal);
  }
  /* systemd's socket (luruse.socket) if it passed one, else --syslog-wake's own */
  d.wake = lr_journal_wake_inherit(LR_JOURNAL_WAKE_PATH);
  if (d.wake && fd < 0) {
    lr_log(LOG_NOTICE, "syslog wake-up: no live journal is followed: the socket systemd "
           "passed is not used");
    lr_journal_wake_close(d.wake);
    d.wake = NULL;
  } else if (d.wake)
    lr_log(LOG_INFO, "syslog wake-up: journald's syslog forwarding on %s (from systemd) wakes "
           "the journal reader (the entries are read from the journal)", LR_JOURNAL_WAKE_PATH);
  else if (o->syslog_wake && fd < 0)
    lr_log(LOG_NOTICE, "--syslog-wake: no live journal is followed: nothing to wake up");
  else if (o->syslog_wake &&
           !(d.wake = lr_journal_wake_open(LR_JOURNAL_WAKE_PATH, err, sizeof(err))))
    lr_log(LOG_NOTICE, "--syslog-wake: %s; journald's notices (at most every 250 ms) and "
           "--fast-follow's polls only",
           err);
  else if (d.wake)
    lr_log(LOG_INFO, "--syslog-wake: journald's syslog forwarding on %s wakes the journal "
           "reader (the entries are read from the journal)", LR_JOURNAL_WAKE_PATH);
  bool fast_asked = lr_fast_follow_asked(o);
  if (d.wake && fast_asked) /* flow_poll_start() leaves the wake-ups to the datagrams */
    lr_log(LOG_NOTICE, "--fast-follow: not used: journald's syslog forwarding (the socket "
           "systemd passed) wakes the journal reader already");
  else if (fast_asked && fd < 0)
    lr_log(LOG_NOTICE, "--fast-follow: no live journal is followed: nothing to poll");
  if (d.wake) {
    uv_poll_init(d.loop, &d.wake_poll, lr_journal_wake_fd(d.wake));
    d.wake_poll.data = &d;
    uv_poll_start(&d.wake_poll, UV_READABLE, on_wake);
    uv_timer_init(d.loop, &d.wake_timer);
    d.wake_timer.data = &d;
  }
  uv_signal_t *sigs[] = {&d.hup, &d.term, &d.intr};
  int signums[] = {SIGHUP, SIGTERM, SIGINT};
  for (int i = 0; i < 3; i++) {
    uv_signal_init(d.loop, sigs[i]);
    sigs[i]->data = &d;
    uv_signal_start(sigs[i], i == 0 ? on_reload : on_stop, signums[i]);
  }
  lr_log(LOG_NOTICE, "luruse running: rules %s (%zu steps), state %s", o->rules_path,
         rs->wf->nsteps, lr_state_path(d.st));
  char ready[512];
  snprintf(ready, sizeof(ready), "running: rules %s (%zu steps)", o->rules_path, rs->wf->nsteps);
  lr_sd_start(&d.sd, d.loop, sd_figures, &d, ready);
  drain(&d);
  uv_run(d.loop, UV_RUN_DEFAULT);
  commit_cursor(&d, true);
  status = 0;
  /* no more entries or timers while the last emails are handed over */
  uv_idle_stop(&d.idle);
  uv_timer_stop(&d.timer);
  uv_timer_stop(&d.flow_timer);
  if (fd >= 0)
    uv_poll_stop(&d.poll);
  if (d.wake) {
    uv_poll_stop(&d.wake_poll);
    uv_timer_stop(&d.wake_timer);
  }
  for (size_t i = 0; i < d.nwatches; i++)
    uv_close((uv_handle_t *)d.watches[i], free_handle);
  d.nwatches = 0;
  d.stopping = true; /* a late SIGHUP must not swap rules into closing services (the
                        handlers stay installed: stopping them would let SIGHUP kill) */
  /* a `luruse ban` waiting for its answer gets it: the queued firewall commands
   * run while the control socket is still open, and their replies go out */
  lr_services_settle(&d.svc); /* and the exec actions' commands */
  uv_run(d.loop, UV_RUN_NOWAIT);
  lr_control_stop(d.control);
  lr_services_close(&d.svc);
  d.svc_open = false;
  /* closing the signal handles restores the default actions (libuv does), so a
   * SIGHUP or SIGTERM arriving now would kill the process before its last
   * words: blocked while the handles close, then ignored */
  sigset_t stop_sigs;
  sigemptyset(&stop_sigs);
  sigaddset(&stop_sigs, SIGHUP);
  sigaddset(&stop_sigs, SIGTERM);
  sigaddset(&stop_sigs, SIGINT);
  sigprocmask(SIG_BLOCK, &stop_sigs, NULL);
  uv_walk(d.loop, close_handle, NULL);
  signal(SIGHUP, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  uv_run(d.loop, UV_RUN_DEFAULT);
  uv_loop_close(d.loop);
  rs = d.eng.rs;
  lr_engine_free(&d.eng);
out:
  if (d.svc_open)
    lr_services_close(&d.svc);
  if (d.src)
    d.src->close(d.src);
  if (d.files)
    d.files->close(d.files);
  lr_file_config_free(&d.cli_files);
  free(d.watches);
  free(d.delay_e2e);
  free(d.delay_own);
  lr_journal_wake_close(d.wake); /* its handles were closed with the loop's */
  lr_state_close(d.st);
  lr_storage_unlock(d.lock); /* the database is closed: the next luruse may come */
  free(d.cursor_key);
  lr_ruleset_free(rs);
  return status;
}
