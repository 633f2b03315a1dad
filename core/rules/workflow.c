#include "rules/workflow.h"

#include <stdlib.h>
#include <string.h>

#include "input/entry.h"
#include "input/fields.h"
#include "util/errmsg.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "rules/fixed_fields.h"
#include "rules/rules.h"

static const char *type_name(const struct lr_step *s)
{
  return s->type ? s->type->name : s->is_filter ? "custom filter" : "custom action";
}

/* A Lua origin (file:line) says where to look; a pyruse.json one only repeats
 * label[index]. */
static bool origin_is_file(const char *origin, const char *label, unsigned index)
{
  if (!origin)
    return false;
  char here[512];
  snprintf(here, sizeof(here), "%s[%u]", label, index);
  return strcmp(origin, here) != 0;
}

static void free_steps(struct lr_step *steps, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (steps[i].free_data && steps[i].data)
      steps[i].free_data(steps[i].data);
  free(steps);
}

void lr_workflow_free(struct lr_workflow *wf)
{
  if (!wf)
    return;
  free_steps(wf->steps, wf->nsteps);
  free(wf->nodes);
  for (size_t i = 0; i < wf->nlabels; i++)
    free(wf->labels[i]);
  free(wf->labels);
  free(wf);
}

static int compile_step(struct lr_step *out, const struct lr_rule_step *rs, const char *label,
                        unsigned index, const struct lr_compile_ctx *tmpl, char *err,
                        size_t errlen)
{
  struct lr_compile_ctx cc = *tmpl;
  cc.chain = label;
  cc.index = index;
  cc.origin = rs->origin;
  cc.custom_ref = rs->custom_ref;
  out->chain = label;
  out->index = index;
  out->origin = rs->origin;
  out->is_filter = lr_rule_step_is_filter(rs);
  char why[LR_ERR_MAX] = "";
  bool custom = strcmp(rs->type, LR_STEP_CUSTOM_FILTER) == 0 ||
                strcmp(rs->type, LR_STEP_CUSTOM_ACTION) == 0;
  int rc;
  if (custom) {
    if (!cc.custom_compile) {
      snprintf(why, sizeof(why), "custom steps need the Lua front-end");
      rc = -1;
    } else {
      rc = cc.custom_compile(cc.custom_opaque, rs->custom_ref, out->is_filter, &out->data,
                             &out->run, &out->free_data, why, sizeof(why));
    }
  } else {
    const char *unavailable = NULL;
    const struct lr_step_type *t = lr_step_type_find(rs->type, &unavailable);
    if (!t) {
      if (unavailable)
        snprintf(why, sizeof(why), "%s: %s", rs->type, unavailable);
      else
        snprintf(why, sizeof(why), "unknown step '%s'", rs->type);
      rc = -1;
    } else {
      out->type = t;
      out->run = t->run;
      out->free_data = t->free;
      char detail[sizeof(why) - 64];
      rc = lr_step_args_check(t, rs->args, detail, sizeof(detail));
      if (rc == 0)
        rc = t->compile(rs->args, &cc, &out->data, detail, sizeof(detail));
      if (rc < 0) /* name the step: a Lua origin is only file:line */
        snprintf(why, sizeof(why), "%s: %s", rs->type, detail);
    }
  }
  if (rc < 0) {
    if (rs->origin)
      snprintf(err, errlen, "%s: %s", rs->origin, why);
    else
      snprintf(err, errlen, "%s[%u]: %s", label, index, why);
  }
  return rc;
}

struct lr_workflow *lr_workflow_build(const struct lr_rules *rules,
                                      const struct lr_compile_ctx *ctx_template, char *err,
                                      size_t errlen)
{
  size_t nchains = rules->nchains;
  struct lr_link_chain *lchains = lr_xcalloc(nchains + 1, sizeof(*lchains));
  size_t total = 0;
  for (size_t i = 0; i < nchains; i++)
    total += rules->chains[i].nsteps;
  struct lr_link_step *lsteps = lr_xcalloc(total + 1, sizeof(*lsteps));
  size_t *first_step = lr_xcalloc(nchains + 1, sizeof(*first_step)); /* chain -> index in steps */
  size_t at = 0;
  for (size_t i = 0; i < nchains; i++) {
    const struct lr_rule_chain *c = &rules->chains[i];
    lchains[i] = (struct lr_link_chain){c->label, &lsteps[at], c->nsteps};
    first_step[i] = at;
    for (size_t j = 0; j < c->nsteps; j++, at++) {
      const struct lr_rule_step *s = &c->steps[j];
      bool filter = lr_rule_step_is_filter(s);
      lsteps[at] = (struct lr_link_step){filter, s->then_label, filter ? s->else_label : NULL};
      if (!filter && s->else_label)
        lr_log(LOG_WARNING, "%s: 'else' on an action is ignored (as Pyruse does)",
               s->origin ? s->origin : c->label);
    }
  }

  struct lr_link_node *lnodes = NULL;
  struct lr_workflow *wf = NULL;
  int fault_chain, fault_step;
  int nnodes = lr_link_located(lchains, nchains, &lnodes, err, errlen, &fault_chain, &fault_step);
  if (nnodes < 0) {
    const char *origin =
      fault_chain >= 0 ? rules->chains[fault_chain].steps[fault_step].origin : NULL;
    if (fault_chain >= 0 &&
        origin_is_file(origin, rules->chains[fault_chain].label, (unsigned)fault_step)) {
      char why[LR_ERR_MAX];
      snprintf(why, sizeof(why), "%s", err);
      snprintf(err, errlen, "%s: %s", origin, why);
    }
    goto out;
  }

  wf = lr_xcalloc(1, sizeof(*wf));
  wf->steps = lr_xcalloc(total + 1, sizeof(*wf->steps));
  wf->nodes = lr_xcalloc((size_t)nnodes + 1, sizeof(*wf->nodes));
  wf->labels = lr_xcalloc(nchains + 1, sizeof(*wf->labels));
  wf->nsteps = total;
  wf->nlabels = nchains;
  wf->nnodes = (size_t)nnodes;
  for (size_t i = 0; i < nchains; i++)
    wf->labels[i] = lr_xstrdup(rules->chains[i].label);

  /* Only steps that linking reached are compiled: like Pyruse, steps after an
   * explicit `then` are never instantiated. */
  bool *compiled = lr_xcalloc(total + 1, sizeof(*compiled));
  for (int n = 0; n < nnodes; n++) {
    size_t s = first_step[lnodes[n].chain] + lnodes[n].step;
    if (!compiled[s]) {
      const struct lr_rule_chain *c = &rules->chains[lnodes[n].chain];
      if (compile_step(&wf->steps[s], &c->steps[lnodes[n].step], wf->labels[lnodes[n].chain],
                       lnodes[n].step, ctx_template, err, errlen) < 0) {
        free(compiled);
        lr_workflow_free(wf);
        wf = NULL;
        goto out;
      }
      compiled[s] = true;
    }
    wf->nodes[n].step = &wf->steps[s];
    wf->nodes[n].on_pass = lnodes[n].on_pass >= 0 ? &wf->nodes[lnodes[n].on_pass] : NULL;
    wf->nodes[n].on_fail = lnodes[n].on_fail >= 0 ? &wf->nodes[lnodes[n].on_fail] : NULL;
  }
  free(compiled); /* steps never reached keep run == NULL and stay out of stats */
  wf->first = nnodes > 0 ? &wf->nodes[0] : NULL;
  /* the whole file is good: only now may steps change the services */
  for (size_t i = 0; ctx_template->svc && i < wf->nsteps; i++) {
    const struct lr_step *st = &wf->steps[i];
    if (st->run && st->type && st->type->activate)
      st->type->activate(st->data, ctx_template->svc);
  }

out:
  free(lnodes);
  free(lchains);
  free(lsteps);
  free(first_step);
  return wf;
}

/* One line per step, the same in the trace and in a recorded path. */
#define STEP_LINE_FMT "%s[%u] %s: %s%s%.*s"
#define STEP_LINE_ARGS(s, v, err, errlen)                                                       \
  (s)->chain, (s)->index, type_name(s), verdict_name(s, v), (v) == LR_ERROR ? ": " : "",      \
    (int)(errlen), (v) == LR_ERROR ? (err) : ""

static const char *verdict_name(const struct lr_step *s, enum lr_verdict v)
{
  return v == LR_ERROR ? "error" : !s->is_filter ? "done" : v == LR_PASS ? "pass" : "fail";
}

/* a Lua traceback stays in the log, not in the path */
static size_t first_line(const char *err, enum lr_verdict v)
{
  return v == LR_ERROR ? strcspn(err, "\n") : 0;
}

#define TRACE_VALUE_MAX 120

void lr_trace_text(FILE *out, const char *s, size_t len, size_t max, bool quoted)
{
  size_t n = len > max ? max : len;
  bool quote = quoted && (!len || memchr(s, ' ', n) || memchr(s, '"', n));
  if (quote)
    fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\')
      fputs("\\\\", out);
    else if (c == '"' && quote)
      fputs("\\\"", out);
    else if (c < 0x20 || c >= 0x7f)
      fprintf(out, "\\x%02x", c);
    else
      fputc(c, out);
  }
  if (quote)
    fputc('"', out);
  if (len > n)
    fputs("...", out);
}

/* The fields the step wrote: name=value, or name unset. */
static void trace_fields(FILE *out, const struct lr_entry *e, uint32_t mark)
{
  int id = -1;
  const struct lr_value *v;
  while (lr_entry_next_written(e, mark, &id, &v)) {
    fprintf(out, " %s", lr_fields_name((lr_field_id)id));
    if (!v)
      fputs(" unset", out);
    else if (v->type == LR_VAL_STR) {
      fputc('=', out);
      lr_trace_text(out, v->str, v->len, TRACE_VALUE_MAX, true);
    } else
      fprintf(out, "=%lld", (long long)v->num);
  }
}

static void trace_step(FILE *out, const struct lr_step *s, enum lr_verdict v, const char *err,
                       const struct lr_entry *e, uint32_t mark)
{
  fprintf(out, "  " STEP_LINE_FMT, STEP_LINE_ARGS(s, v, err, first_line(err, v)));
  trace_fields(out, e, mark);
  fputc('\n', out);
}

static void record_step(struct lr_path *p, const struct lr_step *s, enum lr_verdict v,
                        const char *err)
{
  LR_GROW(p->steps, p->n + 1, p->cap, 16);
  struct lr_path_step *r = &p->steps[p->n++];
  *r = (struct lr_path_step){.step = s, .verdict = v, .err_offset = p->errors.len,
                             .err_len = first_line(err, v)};
  if (r->err_len)
    lr_buf_add(&p->errors, err, r->err_len);
}

void lr_path_clear(struct lr_path *p)
{
  p->n = 0;
  lr_buf_clear(&p->errors);
}

void lr_path_free(struct lr_path *p)
{
  free(p->steps);
  lr_buf_free(&p->errors);
  memset(p, 0, sizeof(*p));
}

void lr_path_format(const struct lr_path *p, size_t i, struct lr_buf *out)
{
  const struct lr_path_step *r = &p->steps[i];
  const char *err = r->err_len ? p->errors.data + r->err_offset : "";
  lr_buf_printf(out, STEP_LINE_FMT, STEP_LINE_ARGS(r->step, r->verdict, err, r->err_len));
}

/* The one place a step's run-time error gets its location: the step only says
 * what went wrong. */
static void log_step_error(const struct lr_step *s, const char *err)
{
  if (origin_is_file(s->origin, s->chain, s->index))
    lr_log(LOG_ERR, "%s: %s[%u] %s: %s", s->origin, s->chain, s->index, type_name(s), err);
  else
    lr_log(LOG_ERR, "%s[%u] %s: %s", s->chain, s->index, type_name(s), err);
}

/* Pyruse: an error in a filter counts as "did not pass"; in an action it stops
 * processing of the entry. Both are logged and the daemon goes on. */
static inline const struct lr_node *next_node(const struct lr_node *n, struct lr_step *s,
                                              enum lr_verdict v, struct lr_exec *x)
{
  if (v == LR_PASS) {
    s->passes++;
    return n->on_pass;
  }
  if (v == LR_FAIL)
    return n->on_fail;
  s->errors++;
  log_step_error(s, x->err);
  return s->is_filter ? n->on_fail : NULL;
}

/* --trace and wf:run watch each step: kept out of the daemon's loop below. */
static void run_observed(struct lr_workflow *wf, struct lr_exec *x)
{
  FILE *trace = x->trace;
  for (const struct lr_node *n = wf->first; n;) {
    struct lr_step *s = n->step;
    s->hits++;
    x->chain = s->chain;
    x->index = s->index;
    uint32_t mark = trace ? lr_entry_mark(x->entry) : 0;
    enum lr_verdict v = s->run(s->data, x);
    if (trace)
      trace_step(trace, s, v, x->err, x->entry, mark);
    if (x->path)
      record_step(x->path, s, v, x->err);
    n = next_node(n, s, v, x);
  }
}

void lr_workflow_run(struct lr_workflow *wf, struct lr_exec *x)
{
  if (x->trace || x->path) {
    run_observed(wf, x);
    return;
  }
  for (const struct lr_node *n = wf->first; n;) {
    struct lr_step *s = n->step;
    s->hits++;
    x->chain = s->chain;
    x->index = s->index;
    n = next_node(n, s, s->run(s->data, x), x);
  }
}

static void print_target(FILE *out, const struct lr_workflow *wf, const struct lr_node *n)
{
  (void)wf;
  if (n)
    fprintf(out, "%s[%u]", n->step->chain, n->step->index);
  else
    fputs("(end)", out);
}

void lr_workflow_print(const struct lr_workflow *wf, FILE *out)
{
  fprintf(out, "workflow: %zu nodes, entry at ", wf->nnodes);
  print_target(out, wf, wf->first);
  fputc('\n', out);
  for (size_t i = 0; i < wf->nnodes; i++) {
    const struct lr_node *n = &wf->nodes[i];
    const struct lr_step *s = n->step;
    fprintf(out, "  #%-4zu %s[%u] %s", i, s->chain, s->index, type_name(s));
    if (s->origin)
      fprintf(out, " (%s)", s->origin);
    fputs(s->is_filter ? "\n        pass -> " : "\n        then -> ", out);
    if (n->on_pass)
      fprintf(out, "#%zu ", (size_t)(n->on_pass - wf->nodes));
    print_target(out, wf, n->on_pass);
    if (s->is_filter) {
      fputs("\n        fail -> ", out);
      if (n->on_fail)
        fprintf(out, "#%zu ", (size_t)(n->on_fail - wf->nodes));
      print_target(out, wf, n->on_fail);
    }
    fputc('\n', out);
  }
}

void lr_workflow_print_stats(const struct lr_workflow *wf, FILE *out)
{
  fprintf(out, "%-32s %-26s %12s %12s %8s\n", "step", "type", "entries", "passed", "errors");
  for (size_t i = 0; i < wf->nsteps; i++) {
    const struct lr_step *s = &wf->steps[i];
    if (!s->run)
      continue;
    char name[128];
    snprintf(name, sizeof(name), "%s[%u]", s->chain, s->index);
    const char *type = type_name(s);
    if (s->is_filter)
      fprintf(out, "%-32s %-26s %12llu %12llu %8llu\n", name, type, (unsigned long long)s->hits,
              (unsigned long long)s->passes, (unsigned long long)s->errors);
    else
      fprintf(out, "%-32s %-26s %12llu %12s %8llu\n", name, type, (unsigned long long)s->hits, "-",
              (unsigned long long)s->errors);
  }
}

/* a regex filter on a field the journal types as an integer: pcre_run refuses
 * integer values (steps/pcre.c), so only a malformed value could match */
static bool regex_on_integer(const struct lr_rule_step *st)
{
  if (strcmp(st->type, "filter_pcre") != 0 && strcmp(st->type, "filter_pcreAny") != 0)
    return false;
  const char *f = json_string_value(json_object_get(st->args, "field"));
  if (!f)
    return false;
  int id = lr_fields_find(f, strlen(f));
  return id >= 0 && lr_fields_kind((lr_field_id)id) == LR_KIND_INTEGER;
}

size_t lr_workflow_warn(const struct lr_workflow *wf, const struct lr_rules *rules, FILE *out)
{
  /* which steps some node reachable from the first one stands for */
  bool *node_seen = lr_xcalloc(wf->nnodes + 1, sizeof(*node_seen));
  bool *step_seen = lr_xcalloc(wf->nsteps + 1, sizeof(*step_seen));
  const struct lr_node **stack = lr_xcalloc(wf->nnodes + 1, sizeof(*stack));
  size_t top = 0;
  if (wf->first) {
    node_seen[wf->first - wf->nodes] = true;
    stack[top++] = wf->first;
  }
  while (top > 0) {
    const struct lr_node *n = stack[--top];
    step_seen[n->step - wf->steps] = true;
    const struct lr_node *next[2] = {n->on_pass, n->on_fail};
    for (int k = 0; k < 2; k++)
      if (next[k] && !node_seen[next[k] - wf->nodes]) {
        node_seen[next[k] - wf->nodes] = true;
        stack[top++] = next[k];
      }
  }
  size_t warnings = 0, at = 0;
  for (size_t c = 0; c < rules->nchains; c++) {
    const struct lr_rule_chain *ch = &rules->chains[c];
    size_t reached = 0;
    for (size_t j = 0; j < ch->nsteps; j++)
      reached += step_seen[at + j];
    if (ch->nsteps > 0 && reached == 0) {
      fprintf(out, "luruse: warning: %s: chain \"%s\" is unreachable: no entry can get to it\n",
              ch->origin ? ch->origin : ch->label, ch->label);
      warnings++;
    } else {
      for (size_t j = 0; j < ch->nsteps; j++)
        if (step_seen[at + j] && regex_on_integer(&ch->steps[j])) {
          const struct lr_rule_step *st = &ch->steps[j];
          const char *f = json_string_value(json_object_get(st->args, "field"));
          fprintf(out,
                  "luruse: warning: %s: %s[%zu] %s on %s, an integer field: a number there is "
                  "an error (the filter's else), never a match\n",
                  st->origin ? st->origin : ch->label, ch->label, j, st->type, f);
          warnings++;
        } else if (!step_seen[at + j]) {
          const struct lr_rule_step *st = &ch->steps[j];
          fprintf(out, "luruse: warning: %s: %s[%zu] %s is unreachable: no entry can get to it\n",
                  st->origin ? st->origin : ch->label, ch->label, j, st->type);
          warnings++;
        }
    }
    at += ch->nsteps;
  }
  lr_assert(at == wf->nsteps);
  warnings += lr_workflow_warn_fixed(wf, rules, out);
  free(stack);
  free(step_seen);
  free(node_seen);
  return warnings;
}
