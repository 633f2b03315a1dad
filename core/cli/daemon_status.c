#include "cli/daemon_status.h"

#include "defence/bans.h"
#include "state/counters.h"
#include "state/dnat.h"
#include "notify/notify.h"
#include "rules/workflow.h"
#include "steps/builtin.h"

#include <stdlib.h>
#include <string.h>

#define LAST_BANS 5

/* One jail as `fail2ban-client status JAIL` shows it. */
struct jail_view {
  struct lr_jail_info info;
  long long failing, failures;       /* addresses with failures counted now, and those */
  long long remembered, remembered_bans; /* addresses with bans in the escalation memory */
  long long banned_now;
  struct { char addr[64]; int64_t since, until; } last[LAST_BANS];
  size_t nlast;
};

struct jails {
  struct jail_view *v;
  size_t n;
  int64_t now_s;
  int64_t now_usec;
};

static struct jail_view *jail_named(struct jails *j, const char *name)
{
  for (size_t i = 0; i < j->n; i++)
    if (!strcmp(j->v[i].info.name, name))
      return &j->v[i];
  return NULL;
}

static void count_keys(void *ctx, const char *category, const char *key, size_t len,
                       const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  (void)key, (void)len, (void)grace_until;
  struct jails *j = ctx;
  for (size_t i = 0; i < j->n; i++) {
    struct jail_view *v = &j->v[i];
    bool fails = !strcmp(category, v->info.fail_category);
    if (!fails && strcmp(category, v->info.ban_category) != 0)
      continue;
    long long live = 0;
    for (size_t r = 0; r < nruns; r++)
      if (runs[r].expiry == 0 || runs[r].expiry > j->now_s)
        live += runs[r].count;
    if (!live)
      continue;
    if (fails) {
      v->failing++;
      v->failures += live;
    } else {
      v->remembered++;
      v->remembered_bans += live;
    }
  }
}

static void count_ban(void *ctx, const struct lr_ban_record *r)
{
  struct jails *j = ctx;
  struct jail_view *v = r->origin ? jail_named(j, r->origin) : NULL;
  if (!v || (r->until_usec && r->until_usec <= j->now_usec))
    return;
  v->banned_now++;
  /* the newest LAST_BANS, newest first */
  size_t at = v->nlast;
  while (at > 0 && v->last[at - 1].since < r->since_usec)
    at--;
  if (at >= LAST_BANS)
    return;
  size_t n = v->nlast < LAST_BANS ? v->nlast : LAST_BANS - 1;
  memmove(&v->last[at + 1], &v->last[at], (n - at) * sizeof(v->last[0]));
  snprintf(v->last[at].addr, sizeof(v->last[at].addr), "%s", r->addr);
  v->last[at].since = r->since_usec;
  v->last[at].until = r->until_usec;
  if (v->nlast < LAST_BANS)
    v->nlast++;
}

static json_t *jails_json(const struct lr_workflow *wf, struct lr_services *svc, int64_t now_usec)
{
  struct jails j = {.v = calloc(wf->nsteps ? wf->nsteps : 1, sizeof(*j.v)),
                    .now_s = now_usec / 1000000, .now_usec = now_usec};
  for (size_t i = 0; i < wf->nsteps; i++) {
    struct lr_jail_info info;
    if (j.v && lr_jail_step_info(&wf->steps[i], &info) && !jail_named(&j, info.name))
      j.v[j.n++].info = info;
  }
  if (j.n && svc->counters)
    lr_counters_each(svc->counters, count_keys, &j);
  if (j.n && svc->bans)
    lr_bans_each(svc->bans, count_ban, &j);
  json_t *out = json_array();
  for (size_t i = 0; i < j.n; i++) {
    struct jail_view *v = &j.v[i];
    json_t *last = json_array();
    for (size_t k = 0; k < v->nlast; k++)
      json_array_append_new(last, json_pack("{s:s, s:I, s:I}", "addr", v->last[k].addr,
                                            "since_usec", (json_int_t)v->last[k].since,
                                            "until_usec", (json_int_t)v->last[k].until));
    json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
                                         "jail", v->info.name, "failing_addresses",
                                         (json_int_t)v->failing, "failures",
                                         (json_int_t)v->failures, "find_seconds",
                                         (json_int_t)v->info.find_s, "banned_now",
                                         (json_int_t)v->banned_now, "bans_remembered",
                                         (json_int_t)v->remembered_bans,
                                         "addresses_remembered", (json_int_t)v->remembered,
                                         "forget_seconds", (json_int_t)v->info.forget_s,
                                         "last_bans", last));
  }
  free(j.v);
  return out;
}

static json_t *steps_json(const struct lr_workflow *wf)
{
  json_t *steps = json_array();
  for (size_t i = 0; i < wf->nsteps; i++) {
    const struct lr_step *s = &wf->steps[i];
    if (!s->run)
      continue;
    char name[160];
    snprintf(name, sizeof(name), "%s[%u]", s->chain, s->index);
    const char *type = s->type ? s->type->name : (s->is_filter ? "custom filter" : "custom action");
    json_t *o = json_pack("{s:s, s:s, s:I, s:I}", "step", name, "type", type, "entries",
                          (json_int_t)s->hits, "errors", (json_int_t)s->errors);
    if (s->is_filter)
      json_object_set_new(o, "passed", json_integer((json_int_t)s->passes));
    json_array_append_new(steps, o);
  }
  return steps;
}

json_t *lr_daemon_status(const struct lr_engine *eng, struct lr_services *svc,
                         int64_t started_usec, int64_t now_usec, const char *rules_path,
                         const char *state_path)
{
  json_t *st = json_pack("{s:b, s:I, s:I, s:s, s:s, s:o}", "ok", 1, "uptime_seconds",
                         (json_int_t)((now_usec - started_usec) / 1000000), "entries",
                         (json_int_t)eng->entries, "rules", rules_path, "state", state_path,
                         "steps", steps_json(eng->rs->wf));
  const struct lr_entry_clock *c = &eng->clock;
  json_object_set_new(st, "clock",
                      json_pack("{s:I, s:I, s:I, s:I}", "entries_usec", (json_int_t)c->now_usec,
                                "behind_wall_seconds",
                                (json_int_t)(c->now_usec ? (now_usec - c->now_usec) / 1000000 : 0),
                                "leaps_taken", (json_int_t)c->leaps_taken, "leaps_held",
                                (json_int_t)c->leaps_held));
  if (svc->dnat)
    json_object_set_new(st, "dnat",
                        json_pack("{s:I, s:I, s:I}", "mappings",
                                  (json_int_t)lr_dnat_count(svc->dnat), "bytes",
                                  (json_int_t)lr_dnat_memory(svc->dnat), "evicted",
                                  (json_int_t)lr_dnat_evicted(svc->dnat)));
  if (svc->bans) { /* "pending" counts exec's commands too, as it always has */
    struct lr_bans_stats b;
    lr_bans_get_stats(svc->bans, &b);
    int n = lr_bans_each(svc->bans, NULL, NULL);
    json_object_set_new(st, "bans",
                        json_pack("{s:i, s:I, s:I, s:I, s:I}", "count", n < 0 ? 0 : n,
                                  "recorded", (json_int_t)b.recorded, "applied",
                                  (json_int_t)b.applied, "failed", (json_int_t)b.failed,
                                  "pending", (json_int_t)lr_services_pending(svc)));
  }
  json_object_set_new(st, "jails", jails_json(eng->rs->wf, svc, now_usec));
  if (svc->counters)
    json_object_set_new(st, "counters",
                        json_pack("{s:I, s:I, s:I}", "keys",
                                  (json_int_t)lr_counters_keys(svc->counters), "bytes",
                                  (json_int_t)lr_counters_memory(svc->counters), "evicted",
                                  (json_int_t)svc->counter_evictions));
  if (svc->notify) {
    struct lr_notify_stats n;
    lr_notify_stats(svc->notify, &n);
    json_object_set_new(st, "notify",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "emails_queued",
                                  (json_int_t)n.emails_queued, "emails_coalesced",
                                  (json_int_t)n.emails_coalesced, "reports_queued",
                                  (json_int_t)n.reports_queued, "outbox",
                                  (json_int_t)n.outbox_size, "report_lines_pending",
                                  (json_int_t)n.report_lines_pending));
  }
  return st;
}
