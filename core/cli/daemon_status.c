#include "cli/daemon_status.h"

#include "defence/bans.h"
#include "state/counters.h"
#include "state/dnat.h"
#include "notify/notify.h"
#include "rules/workflow.h"

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
