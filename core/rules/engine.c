#include "rules/engine.h"

#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "input/fields.h"
#include "util/log.h"
#include "defence/bans.h"
#include "state/counters.h"
#include "state/dnat.h"
#include "notify/notify.h"

struct lr_ruleset *lr_engine_swap(struct lr_engine *eng, struct lr_ruleset *rs)
{
  /* its steps resolved their counters and indexes in these services */
  lr_assert(rs && rs->wf && rs->svc == eng->svc);
  struct lr_ruleset *old = eng->rs;
  eng->rs = rs;
  eng->exec.settings = &rs->settings;
  eng->entry.msg_charset = rs->settings.msg_charset;
  struct lr_services *svc = eng->svc;
  if (svc && svc->notify)
    lr_notify_configure(svc->notify, &rs->settings.mail);
  if (svc && svc->bans)
    lr_bans_configure(svc->bans, &rs->settings.ban); /* the commands of the rules in force */
  return old;
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

void lr_engine_init(struct lr_engine *eng, struct lr_services *svc, FILE *trace,
                    bool log_to_stderr)
{
  memset(eng, 0, sizeof(*eng));
  lr_entry_clock_init(&eng->clock, lr_wall_usec);
  lr_entry_init(&eng->entry);
  eng->svc = svc;
  eng->exec.entry = &eng->entry;
  eng->exec.svc = svc;
  eng->exec.trace = trace;
  eng->exec.log_to_stderr = log_to_stderr;
  eng->f_host = lr_fields_intern("_HOSTNAME", 9);
  eng->f_ident = lr_fields_intern("SYSLOG_IDENTIFIER", 17);
  eng->f_unit = lr_fields_intern("_SYSTEMD_UNIT", 13);
}

static const struct lr_value *str_field(struct lr_entry *e, lr_field_id id)
{
  const struct lr_value *v = lr_entry_get(e, id);
  return v && v->type == LR_VAL_STR ? v : NULL;
}

/* The daily report's entries per host and service, as read (before any step
 * rewrites a field): a table lookup, no allocation. */
static void count_entry(struct lr_engine *eng)
{
  struct lr_entry *e = &eng->entry;
  const struct lr_value *host = str_field(e, eng->f_host);
  const struct lr_value *svc = str_field(e, eng->f_ident);
  if (!svc)
    svc = str_field(e, eng->f_unit);
  lr_notify_count(eng->svc->notify, LR_COUNT_ENTRIES, host ? host->str : "", host ? host->len : 0,
                  svc ? svc->str : "", svc ? svc->len : 0, lr_entry_time_usec(e));
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
  fprintf(eng->exec.trace, "entry %llu at %s: ", (unsigned long long)eng->entries, when);
  if (m && m->type == LR_VAL_STR)
    lr_trace_text(eng->exec.trace, m->str, m->len, 160, false);
  fputc('\n', eng->exec.trace);
}

void lr_engine_process(struct lr_engine *eng)
{
  eng->entries++;
  /* due work first: the first entry after midnight sends yesterday's report */
  entry_tick(eng);
  /* The entry's "now" for every step: the entries' clock, which neither goes
   * back nor runs far ahead of the wall clock, or the entry's own time when its
   * leap is held (entry_clock.h); an entry without a timestamp happens now, by
   * the wall clock (as lr_entry_time_usec). */
  eng->exec.now_usec =
    eng->entry.realtime_usec >= 0 ? eng->clock.entry_usec : eng->clock.wall_usec();
  if (eng->svc && eng->svc->notify)
    count_entry(eng);
  if (eng->exec.trace)
    trace_header(eng);
  lr_workflow_run(eng->rs->wf, &eng->exec);
}

void lr_engine_free(struct lr_engine *eng)
{
  lr_entry_free(&eng->entry);
  lr_buf_free(&eng->exec.scratch);
}
