/* luruse explain: the rules run by the daemon's engine against services of the
 * run's own (counters and DNAT mappings only, as wf:run), so thresholds are
 * reached as they would be; no state database, no notify or ban service: what
 * emails, reports, bans, commands, log lines, counters and mappings would do is
 * captured (x->capture, x->capture_all) and printed. */
#include "cli/cmd_explain.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/inputs.h"
#include "cli/options.h"
#include "input/entry.h"
#include "input/source.h"
#include "lua/lr_lua.h"
#include "rules/engine.h"
#include "rules/ruleset.h"
#include "rules/services.h"
#include "state/sessions.h"
#include "rules/workflow.h"
#include "state/counters.h"
#include "state/dnat.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/errmsg.h"
#include "util/log.h"
#include "util/xalloc.h"

static void usage(FILE *out)
{
  fputs("usage: luruse explain -c RULES [-o text|json] [--all] INPUT...\n\n"
        "Runs entries through the rules exactly as the daemon does (counters and DNAT\n"
        "mappings live in memory for the run), but acts on nothing: no ban, email,\n"
        "command nor journal line, and no state database. For each entry some rule acted\n"
        "on, prints the path through the steps, the fields the rules set and the actions\n"
        "they would take; then a summary: entries read, per chain how many entries\n"
        "entered, matched (reached an action or the chain's end) and acted, and the\n"
        "regexes that never matched.\n\n"
        "  -c, --config RULES    rule file: *.lua, or a Pyruse *.json\n"
        "  -o, --output FORMAT   text (default) or json (one object per entry, then\n"
        "                        {\"summary\": ...})\n"
        "  --all                 every entry, not only those acted on\n"
        "  -v, --verbose         debug messages\n"
        "inputs (repeatable, read in this order: journal, streams, lines):\n"
        "  --journal             this machine's journal (read only), from its start\n"
        "    -u, --unit UNIT     only UNIT's entries (_SYSTEMD_UNIT or UNIT, as\n"
        "                        journalctl -u; .service if no suffix); repeatable\n"
        "    --since TIME        from TIME: 'YYYY-MM-DD[ HH:MM:SS]' local, or @EPOCH\n"
        "    --until TIME        stop at the first entry later than TIME\n"
        "  --journal-dir DIR     journal files in DIR\n"
        "  --journal-file FILE   one journal file\n"
        "  --export FILE|-       a Journal Export Format stream\n"
        "  --json FILE|-         `journalctl -o json` lines\n"
        "  --lines FILE|-        plain text log lines, one entry each; the line's own time\n"
        "                        when recognised, a syslog header parsed\n"
        "  --line TEXT           one entry with MESSAGE=TEXT, __REALTIME_TIMESTAMP=now\n"
        "  --identifier NAME     SYSLOG_IDENTIFIER=NAME for the --line entries, and for\n"
        "                        --lines without a syslog tag\n",
        out);
}

struct raw_field { /* offsets into explain.rawbuf (a journal's data is valid only briefly) */
  size_t name, val, nlen, vlen;
};

struct captured_action {
  size_t at; /* the path step that captured it */
  json_t *obj;
};

struct chain_stat {
  const char *name;
  unsigned last_index;
  uint64_t entered, matched, acted;
  bool e, m, a; /* the current entry */
};

struct explain {
  struct lr_engine eng;
  struct lr_services svc;
  struct lr_path path;
  struct lr_source *src; /* the running source, for a journal's cursor; NULL for lines */
  bool json, all;
  struct captured_action *caps;
  size_t ncaps, capcap;
  struct raw_field *raw;
  size_t nraw, rawcap;
  struct lr_buf rawbuf;
  struct chain_stat *chains;
  size_t nchains;
  size_t *step_chain; /* chain of each workflow step */
  uint64_t acted;
  struct lr_buf line;
  /* the --line entry being run */
  const char *line_text, *identifier;
  char line_time[24];
};

/* A JSON string of bytes that may not be UTF-8 (then '?' for each byte above 0x7f). */
static json_t *jstr(const char *s, size_t len)
{
  json_t *j = json_stringn(s, len);
  if (j)
    return j;
  char *copy = lr_xmalloc(len + 1);
  for (size_t i = 0; i < len; i++)
    copy[i] = (unsigned char)s[i] > 0x7f || s[i] == '\0' ? '?' : s[i];
  j = json_stringn(copy, len);
  free(copy);
  return j ? j : json_string("?");
}

static json_t *mapping_json(const struct lr_dnat_values *v)
{
  static const char *const names[LR_DNAT_NFIELDS] = {"saddr", "sport", "addr",
                                                     "port",  "daddr", "dport"};
  json_t *o = json_object();
  for (int i = 0; i < LR_DNAT_NFIELDS; i++)
    if (v->field[i].s)
      json_object_set_new(o, names[i], jstr(v->field[i].s, v->field[i].len));
  return o;
}

static void capture(void *opaque, const struct lr_captured *c)
{
  struct explain *ex = opaque;
  json_t *o = json_object();
  json_object_set_new(o, "action", json_string(c->action));
  if (c->jail)
    json_object_set_new(o, "jail", json_string(c->jail));
  if (c->counter) {
    json_object_set_new(o, "counter", json_string(c->counter));
    json_object_set_new(o, "key", jstr(c->key, c->key_len));
    json_object_set_new(o, "count", json_integer(c->count));
  }
  if (c->mapping)
    json_object_set_new(o, "mapping", mapping_json(c->mapping));
  if (!strcmp(c->action, "action_dnatCapture")) {
    json_object_set_new(o, "seconds", json_integer(c->seconds));
    if (c->not_stored) /* no saddr or addr (or values refused): nothing remembered */
      json_object_set_new(o, "stored", json_false());
  }
  if (!strcmp(c->action, "action_dnatReplace")) { /* what it changed: {} when nothing */
    json_t *set = json_object();
    if (c->saddr_into)
      json_object_set_new(set, c->saddr_into, jstr(c->mapping->saddr.s, c->mapping->saddr.len));
    if (c->sport_into)
      json_object_set_new(set, c->sport_into, jstr(c->mapping->sport.s, c->mapping->sport.len));
    json_object_set_new(o, "set", set);
  }
  if (c->ip && !strcmp(c->action, "allowlisted")) {
    json_object_set_new(o, "ip", json_string(c->ip));
  } else if (c->ip) {
    json_object_set_new(o, "ip", json_string(c->ip));
    json_object_set_new(o, "set", json_string(c->set));
    json_object_set_new(o, "seconds", json_integer(c->seconds));
  }
  if (c->subject)
    json_object_set_new(o, "subject", jstr(c->subject, c->subject_len));
  if (c->level)
    json_object_set_new(o, "level", json_string(c->level));
  if (c->details)
    json_object_set_new(o, "details", json_string(c->details));
  if (c->argv) {
    json_t *a = json_array();
    for (size_t i = 0; i < c->argc; i++)
      json_array_append_new(a, jstr(c->argv[i], c->argv_len[i]));
    json_object_set_new(o, "argv", a);
  }
  if (c->message)
    json_object_set_new(o, c->ip ? "command" : "message", jstr(c->message, c->message_len));
  LR_GROW(ex->caps, ex->ncaps + 1, ex->capcap, 8);
  /* the path records a step once it ran: this step is the next one */
  ex->caps[ex->ncaps++] = (struct captured_action){ex->path.n, o};
}

static void raw_cb(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  struct explain *ex = arg;
  LR_GROW(ex->raw, ex->nraw + 1, ex->rawcap, 32);
  struct raw_field *r = &ex->raw[ex->nraw++];
  *r = (struct raw_field){ex->rawbuf.len, ex->rawbuf.len + nlen, nlen, vlen};
  lr_buf_add(&ex->rawbuf, name, nlen);
  lr_buf_add(&ex->rawbuf, val, vlen);
}

static const struct raw_field *raw_find(const struct explain *ex, const char *name)
{
  size_t n = strlen(name);
  for (size_t i = 0; i < ex->nraw; i++)
    if (ex->raw[i].nlen == n && !memcmp(ex->rawbuf.data + ex->raw[i].name, name, n))
      return &ex->raw[i];
  return NULL;
}

/* The fields a rule set: absent from the entry as read, or changed. */
static json_t *set_fields(struct explain *ex)
{
  json_t *o = json_object();
  struct lr_entry *e = &ex->eng.entry;
  for (size_t id = 0; id < lr_fields_count(); id++) {
    const struct lr_value *v = lr_entry_get(e, (lr_field_id)id);
    if (!v)
      continue;
    const char *name = lr_fields_name((lr_field_id)id);
    const struct raw_field *r = raw_find(ex, name);
    const char *rv = r ? ex->rawbuf.data + r->val : NULL;
    if (v->type == LR_VAL_STR) {
      if (!r || r->vlen != v->len || memcmp(rv, v->str, v->len))
        json_object_set_new(o, name, jstr(v->str, v->len));
    } else if (v->type == LR_VAL_INT) {
      char num[24];
      int n = snprintf(num, sizeof(num), "%lld", (long long)v->num);
      if (!r || r->vlen != (size_t)n || memcmp(rv, num, (size_t)n))
        json_object_set_new(o, name, json_integer(v->num));
    }
  }
  return o;
}

static bool is_act(const struct lr_path_step *p)
{
  const struct lr_step *s = p->step;
  return !s->is_filter && p->verdict == LR_PASS &&
         (!s->type || strcmp(s->type->name, "action_noop") != 0);
}

static void print_text_action(const json_t *a)
{
  printf("  would: %s", json_string_value(json_object_get(a, "action")));
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)a, key, v) {
    if (!strcmp(key, "action"))
      continue;
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    const char *s = json_is_string(v) ? json_string_value(v) : t;
    bool plain = json_is_string(v) && !strpbrk(s, " \t\n\"") && *s;
    printf(" %s=%s", key, plain ? s : t);
    free(t);
  }
  putchar('\n');
}

static void print_entry(struct explain *ex, json_t *path, json_t *fields, json_t *actions,
                        const char *cursor)
{
  uint64_t n = ex->eng.entries;
  if (ex->json) {
    json_t *o = json_object();
    json_object_set_new(o, "entry", json_integer((json_int_t)n));
    if (cursor)
      json_object_set_new(o, "cursor", json_string(cursor));
    json_object_set(o, "path", path);
    json_object_set(o, "fields", fields);
    json_object_set(o, "actions", actions);
    char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    puts(t);
    free(t);
    json_decref(o);
    return;
  }
  const struct lr_value *m = lr_entry_get(&ex->eng.entry, LR_F_MESSAGE);
  int mlen = m && m->type == LR_VAL_STR ? (int)(m->len > 200 ? 200 : m->len) : 0;
  printf("entry %llu%s%s%s: %.*s\n", (unsigned long long)n, cursor ? " (" : "",
         cursor ? cursor : "", cursor ? ")" : "", mlen, mlen ? m->str : "");
  size_t i;
  json_t *v;
  json_array_foreach(path, i, v)
    printf("  %s %s\n", i ? "     " : "path:", json_string_value(v));
  if (json_object_size(fields)) {
    printf("  fields:");
    const char *key;
    json_object_foreach(fields, key, v) {
      char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
      printf(" %s=%s", key, t);
      free(t);
    }
    putchar('\n');
  }
  json_array_foreach(actions, i, v)
    print_text_action(v);
  putchar('\n');
}

static void explain_entry(struct explain *ex)
{
  ex->ncaps = 0;
  ex->nraw = 0;
  lr_buf_clear(&ex->rawbuf);
  lr_path_clear(&ex->path);
  lr_engine_process(&ex->eng);
  struct lr_entry *e = &ex->eng.entry;
  lr_entry_get(e, LR_F_MESSAGE); /* fill now: no source read after the copy below */
  if (e->hooks && e->hooks->each)
    e->hooks->each(e->hooks_ctx, raw_cb, ex);
  json_t *path = json_array(), *actions = json_array();
  bool acted = false;
  for (size_t c = 0; c < ex->nchains; c++)
    ex->chains[c].e = ex->chains[c].m = ex->chains[c].a = false;
  size_t k = 0;
  for (size_t i = 0; i < ex->path.n; i++) {
    const struct lr_path_step *p = &ex->path.steps[i];
    lr_buf_clear(&ex->line);
    lr_path_format(&ex->path, i, &ex->line);
    json_array_append_new(path, jstr(ex->line.data, ex->line.len));
    for (; k < ex->ncaps && ex->caps[k].at <= i; k++)
      json_array_append_new(actions, ex->caps[k].obj);
    struct chain_stat *cs = &ex->chains[ex->step_chain[p->step - ex->eng.rs->wf->steps]];
    cs->e = true;
    if (!p->step->is_filter || (p->verdict == LR_PASS && p->step->index == cs->last_index))
      cs->m = true;
    if (is_act(p)) {
      cs->a = acted = true;
      if (!p->step->type) {
        json_t *o = json_object();
        json_object_set_new(o, "action", json_string("lua"));
        lr_buf_clear(&ex->line);
        lr_buf_printf(&ex->line, "%s[%u]", p->step->chain, p->step->index);
        json_object_set_new(o, "step", jstr(ex->line.data, ex->line.len));
        json_array_append_new(actions, o);
      }
    }
  }
  for (; k < ex->ncaps; k++)
    json_array_append_new(actions, ex->caps[k].obj);
  ex->ncaps = 0;
  for (size_t c = 0; c < ex->nchains; c++) {
    ex->chains[c].entered += ex->chains[c].e;
    ex->chains[c].matched += ex->chains[c].m;
    ex->chains[c].acted += ex->chains[c].a;
  }
  ex->acted += acted;
  if (acted || ex->all) {
    char *cursor = NULL;
    if (ex->src && !strcmp(ex->src->kind, "journal"))
      cursor = lr_source_journal_cursor(ex->src);
    const struct raw_field *r = raw_find(ex, "__CURSOR");
    if (!cursor && r)
      cursor = lr_xstrndup(ex->rawbuf.data + r->val, r->vlen);
    json_t *fields = set_fields(ex);
    print_entry(ex, path, fields, actions, cursor);
    json_decref(fields);
    free(cursor);
  }
  json_decref(path);
  json_decref(actions);
}

static int run_source(struct explain *ex, struct lr_source *src)
{
  int rc;
  ex->src = src;
  while ((rc = src->next(src, &ex->eng.entry)) > 0)
    explain_entry(ex);
  ex->src = NULL;
  src->close(src);
  return rc;
}

static void line_fill(void *ctx, struct lr_entry *e)
{
  struct explain *ex = ctx;
  lr_entry_offer(e, "MESSAGE", 7, ex->line_text, strlen(ex->line_text), true);
  if (ex->identifier)
    lr_entry_offer(e, "SYSLOG_IDENTIFIER", 17, ex->identifier, strlen(ex->identifier), true);
  lr_entry_offer(e, "__REALTIME_TIMESTAMP", 20, ex->line_time, strlen(ex->line_time), true);
}

static void line_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                      void *arg)
{
  struct explain *ex = ctx;
  cb(arg, "MESSAGE", 7, ex->line_text, strlen(ex->line_text));
  if (ex->identifier)
    cb(arg, "SYSLOG_IDENTIFIER", 17, ex->identifier, strlen(ex->identifier));
  cb(arg, "__REALTIME_TIMESTAMP", 20, ex->line_time, strlen(ex->line_time));
}

static const struct lr_source_hooks line_hooks = {line_fill, line_each, NULL};

static void run_line(struct explain *ex, const char *text)
{
  int64_t now = lr_wall_usec();
  snprintf(ex->line_time, sizeof(ex->line_time), "%lld", (long long)now);
  ex->line_text = text;
  lr_entry_begin(&ex->eng.entry, now, &line_hooks, ex);
  explain_entry(ex);
}

static void index_chains(struct explain *ex)
{
  const struct lr_workflow *wf = ex->eng.rs->wf;
  ex->step_chain = lr_xcalloc(wf->nsteps + 1, sizeof(*ex->step_chain));
  ex->chains = lr_xcalloc(wf->nsteps + 1, sizeof(*ex->chains));
  for (size_t i = 0; i < wf->nsteps; i++) {
    const struct lr_step *s = &wf->steps[i];
    size_t c = 0;
    while (c < ex->nchains && strcmp(ex->chains[c].name, s->chain) != 0)
      c++;
    if (c == ex->nchains)
      ex->chains[ex->nchains++] = (struct chain_stat){.name = s->chain};
    if (s->index > ex->chains[c].last_index)
      ex->chains[c].last_index = s->index;
    ex->step_chain[i] = c;
  }
}

static bool is_regex(const struct lr_step *s)
{
  return s->type &&
         (!strcmp(s->type->name, "filter_pcre") || !strcmp(s->type->name, "filter_pcreAny"));
}

static void print_summary(struct explain *ex)
{
  const struct lr_workflow *wf = ex->eng.rs->wf;
  uint64_t n = ex->eng.entries;
  if (ex->json) {
    json_t *chains = json_array(), *never = json_array();
    for (size_t c = 0; c < ex->nchains; c++) {
      json_t *o = json_object();
      json_object_set_new(o, "chain", json_string(ex->chains[c].name));
      json_object_set_new(o, "entered", json_integer((json_int_t)ex->chains[c].entered));
      json_object_set_new(o, "matched", json_integer((json_int_t)ex->chains[c].matched));
      json_object_set_new(o, "acted", json_integer((json_int_t)ex->chains[c].acted));
      json_array_append_new(chains, o);
    }
    for (size_t i = 0; i < wf->nsteps; i++) {
      const struct lr_step *s = &wf->steps[i];
      if (!is_regex(s) || s->passes)
        continue;
      json_t *o = json_object();
      lr_buf_clear(&ex->line);
      lr_buf_printf(&ex->line, "%s[%u]", s->chain, s->index);
      json_object_set_new(o, "step", json_string(ex->line.data));
      json_object_set_new(o, "type", json_string(s->type->name));
      if (s->origin)
        json_object_set_new(o, "origin", json_string(s->origin));
      json_object_set_new(o, "tried", json_integer((json_int_t)s->hits));
      json_array_append_new(never, o);
    }
    json_t *sum = json_object();
    json_object_set_new(sum, "entries", json_integer((json_int_t)n));
    json_object_set_new(sum, "acted", json_integer((json_int_t)ex->acted));
    json_object_set_new(sum, "missed", json_integer((json_int_t)(n - ex->acted)));
    json_object_set_new(sum, "chains", chains);
    json_object_set_new(sum, "never_matched", never);
    json_t *o = json_pack("{s:o}", "summary", sum);
    char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    puts(t);
    free(t);
    json_decref(o);
    return;
  }
  printf("Entries: %llu, Acted on: %llu, Missed: %llu\n", (unsigned long long)n,
         (unsigned long long)ex->acted, (unsigned long long)(n - ex->acted));
  int w = 5;
  for (size_t c = 0; c < ex->nchains; c++)
    if ((int)strlen(ex->chains[c].name) > w)
      w = (int)strlen(ex->chains[c].name);
  printf("  %-*s %8s %8s %8s\n", w, "chain", "entered", "matched", "acted");
  for (size_t c = 0; c < ex->nchains; c++)
    printf("  %-*s %8llu %8llu %8llu\n", w, ex->chains[c].name,
           (unsigned long long)ex->chains[c].entered, (unsigned long long)ex->chains[c].matched,
           (unsigned long long)ex->chains[c].acted);
  bool header = false;
  for (size_t i = 0; i < wf->nsteps; i++) {
    const struct lr_step *s = &wf->steps[i];
    if (!is_regex(s) || s->passes)
      continue;
    if (!header)
      printf("Regexes that never matched:\n");
    header = true;
    lr_buf_clear(&ex->line);
    lr_buf_printf(&ex->line, "%s[%u]", s->chain, s->index);
    bool where = s->origin && strcmp(s->origin, ex->line.data) != 0; /* a Lua file:line */
    printf("  %s %s%s%s%s (tried %llu times)\n", ex->line.data, s->type->name,
           where ? " (" : "", where ? s->origin : "", where ? ")" : "",
           (unsigned long long)s->hits);
  }
}

/* --journal: this machine's journal, its units, --since and --until */
struct local_journal {
  bool on;
  const char **units;
  size_t nunits;
  int64_t since, until; /* -1: not given */
};

static int run_local_journal(struct explain *ex, const struct local_journal *lj)
{
  char err[LR_ERR_MAX];
  struct lr_source *src = lr_source_journal_open(LR_JOURNAL_LOCAL, NULL, 0, err, sizeof(err));
  if (!src) {
    fprintf(stderr, "luruse: %s\n", err);
    return 1;
  }
  int rc = 0;
  for (size_t i = 0; rc >= 0 && i < lj->nunits; i++)
    if ((rc = lr_source_journal_match_unit(src, lj->units[i])) < 0)
      fprintf(stderr, "luruse explain: -u %s: %s\n", lj->units[i], strerror(-rc));
  if (rc >= 0) {
    rc = lj->since >= 0 ? lr_source_journal_seek_since(src, (uint64_t)lj->since)
                        : lr_source_journal_seek_head(src);
    if (rc < 0)
      fprintf(stderr, "luruse explain: seeking the journal: %s\n", strerror(-rc));
  }
  if (rc < 0) {
    src->close(src);
    return 1;
  }
  if (lj->until >= 0)
    lr_source_journal_until(src, (uint64_t)lj->until);
  return run_source(ex, src) < 0 ? 1 : 0;
}

static int run_inputs(struct explain *ex, const struct lr_inputs *in,
                      const struct local_journal *lj, const char *const *lines, size_t nlines)
{
  char err[LR_ERR_MAX];
  if (lj->on && run_local_journal(ex, lj))
    return 1;
  if (in->journal_dir || in->njournal_files) {
    struct lr_source *src = lr_inputs_open_journal(in, err, sizeof(err));
    if (!src) {
      fprintf(stderr, "luruse: %s\n", err);
      return 1;
    }
    if (lr_source_journal_seek_head(src) < 0) {
      src->close(src);
      return 1;
    }
    if (run_source(ex, src) < 0)
      return 1;
  }
  for (size_t i = 0; i < in->nstreams; i++) {
    struct lr_source *src = lr_inputs_open_stream(in->streams[i], ex->identifier, err, sizeof(err));
    if (!src) {
      fprintf(stderr, "luruse: %s\n", err);
      return 1;
    }
    if (run_source(ex, src) < 0)
      return 1;
  }
  for (size_t i = 0; i < nlines; i++)
    run_line(ex, lines[i]);
  return 0;
}

enum { OPT_ALL = 256, OPT_EXPORT, OPT_JSON, OPT_LINES, OPT_JDIR, OPT_JFILE, OPT_LINE, OPT_IDENT,
       OPT_JOURNAL, OPT_SINCE, OPT_UNTIL };

int lr_cmd_explain(int argc, char **argv)
{
  static const struct option options[] = {
    {"config", required_argument, NULL, 'c'},     {"output", required_argument, NULL, 'o'},
    {"all", no_argument, NULL, OPT_ALL},          {"export", required_argument, NULL, OPT_EXPORT},
    {"json", required_argument, NULL, OPT_JSON},  {"journal-dir", required_argument, NULL, OPT_JDIR},
    {"journal-file", required_argument, NULL, OPT_JFILE},
    {"journal", no_argument, NULL, OPT_JOURNAL},  {"unit", required_argument, NULL, 'u'},
    {"since", required_argument, NULL, OPT_SINCE}, {"until", required_argument, NULL, OPT_UNTIL},
    {"lines", required_argument, NULL, OPT_LINES},
    {"line", required_argument, NULL, OPT_LINE},  {"identifier", required_argument, NULL, OPT_IDENT},
    {"verbose", no_argument, NULL, 'v'},          {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const struct lr_opts o = {"explain", options, "c:o:u:vh",
                            " config output all export json lines journal-dir journal-file line "
                            "identifier journal unit since until verbose "};
  const char *rules = NULL;
  struct lr_inputs in = {0};
  struct local_journal lj = {.since = -1, .until = -1};
  bool lj_opts = false; /* -u, --since or --until given */
  const char **lines = NULL;
  size_t nlines = 0;
  struct explain ex = {0};
  int status = 1, opt;
  lr_opts_begin();
  while ((opt = lr_opts_next(&o, argc, argv)) != -1) {
    switch (opt) {
    case LR_OPT_REFUSED: goto out;
    case 'c': rules = optarg; break;
    case 'o':
      if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
        fprintf(stderr, "luruse explain: -o: 'text' or 'json', not '%s'\n", optarg);
        goto out;
      }
      ex.json = !strcmp(optarg, "json");
      break;
    case OPT_ALL: ex.all = true; break;
    case OPT_EXPORT:
    case OPT_JSON:
      lr_inputs_add(&in.streams, &in.nstreams,
                    lr_xasprintf("%s:%s", opt == OPT_EXPORT ? "export" : "json", optarg));
      break;
    case OPT_LINES: lr_inputs_add(&in.streams, &in.nstreams, lr_xasprintf("lines:%s", optarg)); break;
    case OPT_JDIR: in.journal_dir = optarg; break;
    case OPT_JFILE: lr_inputs_add(&in.journal_files, &in.njournal_files, optarg); break;
    case OPT_LINE: lr_inputs_add(&lines, &nlines, optarg); break;
    case OPT_IDENT: ex.identifier = optarg; break;
    case OPT_JOURNAL: lj.on = true; break;
    case 'u':
      lr_inputs_add(&lj.units, &lj.nunits, optarg);
      lj_opts = true;
      break;
    case OPT_SINCE:
    case OPT_UNTIL:
      if (lr_parse_since(optarg, opt == OPT_SINCE ? &lj.since : &lj.until) < 0) {
        fprintf(stderr, "luruse explain: --%s: '%s' is not 'YYYY-MM-DD[ HH:MM:SS]' nor @EPOCH\n",
                opt == OPT_SINCE ? "since" : "until", optarg);
        goto out;
      }
      lj_opts = true;
      break;
    case 'v': lr_log_set_level(LOG_DEBUG); break;
    case 'h': usage(stdout); status = 0; goto out;
    default: usage(stderr); goto out;
    }
  }
  if (lr_opts_end(argc, argv, "luruse explain") < 0) {
    usage(stderr);
    goto out;
  }
  if (lj_opts && !lj.on) {
    fprintf(stderr, "luruse explain: -u, --since and --until apply to --journal only\n");
    usage(stderr);
    goto out;
  }
  if (!rules || (!lj.on && !in.journal_dir && !in.njournal_files && !in.nstreams && !nlines)) {
    fprintf(stderr, "luruse explain: name the rules (-c) and at least one input\n");
    usage(stderr);
    goto out;
  }
  char err[LR_ERR_MAX];
  struct lr_ruleset *rs = lr_ruleset_read(rules, err, sizeof(err));
  if (!rs) {
    fprintf(stderr, "luruse: %s\n", err);
    goto out;
  }
  ex.svc.dnat = lr_dnat_new();
  ex.svc.counters = lr_counters_new();
  ex.svc.sessions = lr_sessions_new(LR_SESSIONS_MAX);
  if (lr_ruleset_compile(rs, &ex.svc, err, sizeof(err)) < 0) {
    fprintf(stderr, "luruse: %s\n", err);
    lr_ruleset_free(rs);
    goto out_svc;
  }
  /* no notify nor ban service: emails, reports, bans and commands are captured,
   * and so (capture_all) are log lines, counters and mappings */
  lr_engine_init(&ex.eng, &ex.svc, NULL, true);
  ex.eng.exec.path = &ex.path;
  ex.eng.exec.capture = capture;
  ex.eng.exec.capture_opaque = &ex;
  ex.eng.exec.capture_all = true;
  lr_engine_swap(&ex.eng, rs);
  index_chains(&ex);
  status = run_inputs(&ex, &in, &lj, lines, nlines);
  print_summary(&ex);
  lr_engine_free(&ex.eng);
  lr_ruleset_free(rs);
  lr_path_free(&ex.path);
  lr_buf_free(&ex.line);
  free(ex.caps);
  free(ex.raw);
  lr_buf_free(&ex.rawbuf);
  free(ex.chains);
  free(ex.step_chain);
out_svc:
  lr_dnat_free(ex.svc.dnat);
  lr_counters_free(ex.svc.counters);
  lr_sessions_free(ex.svc.sessions);
out:
  for (size_t i = 0; i < in.nstreams; i++)
    free((char *)in.streams[i]);
  free(in.streams);
  free(in.journal_files);
  free(lj.units);
  free(lines);
  return status;
}
