#include "engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "log.h"
#include "bans.h"
#include "counters.h"
#include "dnat.h"
#include "notify.h"

static void bind_ruleset(struct lr_engine *eng, struct lr_ruleset *rs)
{
  eng->rs = rs;
  rs->rt.trace = eng->trace;
  rs->rt.log_to_stderr = eng->log_to_stderr;
  eng->exec.rt = &rs->rt;
  eng->entry.msg_charset = rs->rt.msg_charset;
  struct lr_services *svc = eng->svc;
  rs->rt.svc = svc;
  rs->rt.notify = svc ? svc->notify : NULL;
  rs->rt.dnat = svc ? svc->dnat : NULL;
  rs->rt.counters = svc ? svc->counters : NULL;
  rs->rt.bans = svc ? svc->bans : NULL;
  if (rs->rt.notify)
    lr_notify_configure(rs->rt.notify, &rs->rt.mail);
  if (rs->rt.bans)
    lr_bans_configure(rs->rt.bans, &rs->rt.ban); /* the commands of the rules in force */
}

void lr_engine_set_services(struct lr_engine *eng, struct lr_services *svc)
{
  eng->svc = svc;
  bind_ruleset(eng, eng->rs);
}

static void notify_tick(struct lr_engine *eng, int64_t now)
{
  if (eng->svc && eng->svc->notify)
    lr_notify_tick(eng->svc->notify, now);
}

/* Only when the source is caught up: while entries lag the wall clock, the
 * report of a day is due when the entries pass its midnight, not before. */
void lr_engine_wall_tick(struct lr_engine *eng, int64_t now_wall)
{
  notify_tick(eng, now_wall > eng->clock.now_usec ? now_wall : eng->clock.now_usec);
}

static void entry_tick(struct lr_engine *eng)
{
  if (lr_entry_clock_advance(&eng->clock, &eng->entry) != LR_CLOCK_NEW_SECOND)
    return; /* nothing new can be due */
  int64_t now_s = eng->clock.now_usec / 1000000;
  notify_tick(eng, eng->clock.now_usec);
  if (eng->svc) {
    lr_dnat_expire(eng->svc->dnat, now_s);     /* O(1) until a bucket dies */
    lr_counters_expire(eng->svc->counters, now_s); /* only keys due */
  }
}

void lr_engine_init(struct lr_engine *eng, struct lr_ruleset *rs, FILE *trace, bool log_to_stderr)
{
  memset(eng, 0, sizeof(*eng));
  lr_entry_clock_init(&eng->clock, lr_wall_usec);
  lr_entry_init(&eng->entry);
  eng->exec.entry = &eng->entry;
  eng->trace = trace;
  eng->log_to_stderr = log_to_stderr;
  bind_ruleset(eng, rs);
}

static void trace_header(struct lr_engine *eng)
{
  struct lr_entry *e = &eng->entry;
  char when[64] = "?";
  if (e->realtime_usec >= 0) {
    time_t t = (time_t)(e->realtime_usec / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
  }
  const struct lr_value *m = lr_entry_get(e, LR_F_MESSAGE);
  int n = m && m->type == LR_VAL_STR ? (int)(m->len > 160 ? 160 : m->len) : 0;
  fprintf(eng->trace, "entry %llu at %s: %.*s%s\n", (unsigned long long)eng->entries, when, n,
          n ? m->str : "", m && m->len > 160 ? "..." : "");
}

void lr_engine_process(struct lr_engine *eng)
{
  eng->entries++;
  /* due work first: the first entry after midnight sends yesterday's report */
  entry_tick(eng);
  if (eng->trace)
    trace_header(eng);
  lr_workflow_run(eng->rs->wf, &eng->exec);
}

struct lr_ruleset *lr_engine_swap(struct lr_engine *eng, struct lr_ruleset *rs)
{
  struct lr_ruleset *old = eng->rs;
  bind_ruleset(eng, rs);
  return old;
}

void lr_engine_free(struct lr_engine *eng)
{
  lr_entry_free(&eng->entry);
  lr_buf_free(&eng->exec.scratch);
}

void lr_inputs_add(const char ***list, size_t *n, const char *item)
{
  *list = realloc(*list, (*n + 1) * sizeof(**list));
  (*list)[(*n)++] = item;
}
