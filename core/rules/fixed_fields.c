/* Forward over the linked graph (a DAG: the linker refuses loops), in
 * topological order: what each node's entries certainly hold is what every
 * edge into it brings (the facts all its predecessors agree on). */
#include "rules/fixed_fields.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rules/literal.h"
#include "rules/rules.h"
#include "rules/workflow.h"
#include "util/regex.h"
#include "util/regex_fixed.h"
#include "util/xalloc.h"

/* A field a step writes: to `text`, or (text NULL) to what it cannot know. */
struct write {
  char *field, *text;
  size_t len;
};

struct effect {
  bool any;    /* may change any field */
  bool filter; /* writes on its pass branch only */
  struct write *w;
  size_t n, cap;
};

/* A field every entry at a node holds, set to text by step `setter`. */
struct fact {
  const char *field, *text;
  size_t len, setter;
};

struct facts {
  struct fact *v;
  size_t n, cap;
  bool set; /* some edge brought facts already */
};

/* Step types that write no field (steps/). A type missing here and below may
 * change any field, so that a new step type can only silence the warning. */
static const char *const writes_nothing[] = {
  "filter_equals", "filter_lowerOrEquals", "filter_greaterOrEquals", "filter_in",
  "filter_inNetworks", "filter_userExists", "action_noop", "action_log", "action_email",
  "action_dailyReport", "action_dnatCapture", "action_nftBan", "action_ipsetBan", "action_exec",
  NULL};

static bool in_list(const char *const *list, const char *s)
{
  for (size_t i = 0; list[i]; i++)
    if (!strcmp(list[i], s))
      return true;
  return false;
}

static void add_write(struct effect *e, const char *field, char *text, size_t len)
{
  LR_GROW(e->w, e->n + 1, e->cap, 4);
  e->w[e->n++] = (struct write){lr_xstrdup(field), text, len};
}

static void add_write_arg(struct effect *e, const json_t *args, const char *key)
{
  const char *f = json_string_value(json_object_get(args, key));
  if (f)
    add_write(e, f, NULL, 0);
}

/* One pattern's captures, in steps/pcre.c's order (`save` names, then named
 * groups: the last write of a field wins); fixed texts only when `fixed`. */
static bool add_pattern(struct effect *e, const json_t *re, const json_t *save, bool fixed)
{
  char err[256];
  const char *pattern = json_string_value(re);
  struct lr_regex *r = pattern ? lr_regex_compile(pattern, err, sizeof(err)) : NULL;
  if (!r)
    return false;
  unsigned ngroups = lr_regex_group_count(r);
  size_t nsave = json_array_size(save), nnamed = lr_regex_name_count(r);
  for (size_t k = 0; k < nsave + nnamed; k++) {
    unsigned group = (unsigned)k + 1;
    const char *field = k < nsave ? json_string_value(json_array_get(save, k))
                                  : lr_regex_name(r, (unsigned)(k - nsave), &group);
    char *text = NULL;
    size_t len = 0;
    if (fixed && lr_regex_fixed_group(pattern, group, &text, &len) != (int)ngroups) {
      free(text); /* counted otherwise than PCRE2: unsure */
      text = NULL;
    }
    if (field)
      add_write(e, field, text, len);
    else
      free(text);
  }
  lr_regex_free(r);
  return true;
}

static void effect_of(struct effect *e, const struct lr_rule_step *rs)
{
  const char *t = rs->type;
  e->filter = lr_rule_step_is_filter(rs);
  if (in_list(writes_nothing, t))
    return;
  if (!strcmp(t, "action_counterRaise") || !strcmp(t, "action_counterReset") ||
      !strcmp(t, "action_counterLower")) {
    add_write_arg(e, rs->args, "save");
  } else if (!strcmp(t, "action_dnatReplace")) {
    add_write_arg(e, rs->args, "saddrInto");
    add_write_arg(e, rs->args, "sportInto");
  } else if (!strcmp(t, "filter_pcre")) {
    const json_t *save = json_object_get(rs->args, "save");
    e->any = !add_pattern(e, json_object_get(rs->args, "re"), save, true);
  } else if (!strcmp(t, "filter_pcreAny")) { /* which pattern matched is not known */
    const json_t *res = json_object_get(rs->args, "re");
    for (size_t i = 0; !e->any && i < json_array_size(res); i++)
      e->any = !add_pattern(e, json_array_get(res, i), NULL, false);
  } else {
    e->any = true; /* custom steps, and types this file does not know */
  }
}

static struct fact *find_fact(struct facts *s, const char *field)
{
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->v[i].field, field))
      return &s->v[i];
  return NULL;
}

static bool same_fact(const struct fact *a, const struct fact *b)
{
  return a->setter == b->setter && !strcmp(a->field, b->field) && a->len == b->len &&
         !memcmp(a->text, b->text, a->len);
}

/* What an edge out of a node of step `setter` brings. */
static void apply(const struct facts *in, const struct effect *e, bool pass, size_t setter,
                  struct facts *out)
{
  out->n = 0;
  if (e->any)
    return;
  for (size_t i = 0; i < in->n; i++) {
    LR_GROW(out->v, out->n + 1, out->cap, 8);
    out->v[out->n++] = in->v[i];
  }
  for (size_t k = 0; (pass || !e->filter) && k < e->n; k++) {
    const struct write *w = &e->w[k];
    struct fact *f = find_fact(out, w->field);
    if (f)
      *f = out->v[--out->n];
    if (w->text) {
      LR_GROW(out->v, out->n + 1, out->cap, 8);
      out->v[out->n++] = (struct fact){w->field, w->text, w->len, setter};
    }
  }
}

/* Into a node: the first edge's facts, then only those every edge brings. */
static void meet(struct facts *in, const struct facts *edge)
{
  if (!in->set) {
    in->set = true;
    for (size_t i = 0; i < edge->n; i++) {
      LR_GROW(in->v, in->n + 1, in->cap, 8);
      in->v[in->n++] = edge->v[i];
    }
    return;
  }
  size_t kept = 0;
  for (size_t i = 0; i < in->n; i++) {
    bool shared = false;
    for (size_t j = 0; !shared && j < edge->n; j++)
      shared = same_fact(&in->v[i], &edge->v[j]);
    if (shared)
      in->v[kept++] = in->v[i];
  }
  in->n = kept;
}

/* Whether the filter cannot pass an entry whose field holds text; false when unsure. */
static bool never_matches(const struct lr_rule_step *rs, const char *text, size_t len)
{
  const char *t = rs->type;
  const json_t *args = rs->args;
  if (!strcmp(t, "filter_equals") || !strcmp(t, "filter_in")) {
    bool in = !strcmp(t, "filter_in");
    const json_t *values = json_object_get(args, in ? "values" : "value");
    size_t n = in ? json_array_size(values) : 1;
    struct lr_value v = {.type = LR_VAL_STR, .len = (uint32_t)len, .str = text};
    for (size_t i = 0; i < n; i++) {
      struct lr_literal lit;
      char err[128];
      if (lr_literal_from_json(in ? json_array_get(values, i) : values, &lit, err,
                               sizeof(err)) < 0)
        return false;
      bool equal = lr_literal_equals(&lit, &v);
      lr_literal_clear(&lit);
      if (equal)
        return false;
    }
    return true;
  }
  if (!strcmp(t, "filter_pcre") || !strcmp(t, "filter_pcreAny")) {
    const json_t *res = json_object_get(args, "re");
    size_t n = json_is_array(res) ? json_array_size(res) : 1;
    for (size_t i = 0; i < n; i++) {
      char err[256];
      const char *p = json_string_value(json_is_array(res) ? json_array_get(res, i) : res);
      struct lr_regex *r = p ? lr_regex_compile(p, err, sizeof(err)) : NULL;
      int rc = r ? lr_regex_match(r, text, len) : -1;
      lr_regex_free(r);
      if (rc != 0) /* a match, or an error: unsure */
        return false;
    }
    return true;
  }
  return false;
}

enum judgement { UNSEEN, NEVER, UNSURE };

struct judged {
  enum judgement j;
  struct fact why;
};

/* Step s at one more node, its entries holding `in`. */
static void judge(struct judged *jd, const struct lr_rule_step *rs, struct facts *in)
{
  if (jd->j == UNSURE)
    return;
  const char *field = json_string_value(json_object_get(rs->args, "field"));
  const struct fact *f = field ? find_fact(in, field) : NULL;
  if (!f)
    jd->j = UNSURE;
  else if (jd->j == NEVER)
    jd->j = same_fact(&jd->why, f) ? NEVER : UNSURE;
  else
    *jd = (struct judged){never_matches(rs, f->text, f->len) ? NEVER : UNSURE, *f};
}

static void print_literal(FILE *out, const char *s, size_t len)
{
  fputc('"', out);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20 || c == 0x7f)
      fprintf(out, "\\x%02x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

static void warn(FILE *out, const struct lr_workflow *wf, const struct lr_step *s,
                 const struct lr_rule_step *rs, const struct fact *f)
{
  const struct lr_step *by = &wf->steps[f->setter];
  char here[512];
  snprintf(here, sizeof(here), "%s[%u]", by->chain, by->index);
  bool by_file = by->origin && strcmp(by->origin, here) != 0; /* a Lua file:line */
  fprintf(out, "luruse: warning: %s: %s[%u] %s on %s can never match: %s is set to the literal ",
          s->origin ? s->origin : s->chain, s->chain, s->index, rs->type, f->field, f->field);
  print_literal(out, f->text, f->len);
  fprintf(out, " by %s%s%s%s on every path to it\n", here, by_file ? " (" : "",
          by_file ? by->origin : "", by_file ? ")" : "");
}

size_t lr_workflow_warn_fixed(const struct lr_workflow *wf, const struct lr_rules *rules,
                              FILE *out)
{
  size_t ns = wf->nsteps, nn = wf->nnodes, warnings = 0;
  const struct lr_rule_step **rstep = lr_xcalloc(ns + 1, sizeof(*rstep));
  for (size_t c = 0, at = 0; c < rules->nchains; c++)
    for (size_t j = 0; j < rules->chains[c].nsteps; j++)
      rstep[at++] = &rules->chains[c].steps[j];
  struct effect *eff = lr_xcalloc(ns + 1, sizeof(*eff));
  for (size_t i = 0; i < ns; i++)
    if (wf->steps[i].run) /* compiled: linking reached it */
      effect_of(&eff[i], rstep[i]);

  /* the nodes reachable from the first, and how many edges come into each */
  bool *seen = lr_xcalloc(nn + 1, sizeof(*seen)), *done = lr_xcalloc(nn + 1, sizeof(*done));
  size_t *edges_in = lr_xcalloc(nn + 1, sizeof(*edges_in));
  const struct lr_node **stack = lr_xcalloc(nn + 1, sizeof(*stack));
  size_t top = 0;
  if (wf->first) {
    seen[wf->first - wf->nodes] = true;
    stack[top++] = wf->first;
  }
  while (top > 0) {
    const struct lr_node *n = stack[--top];
    const struct lr_node *next[2] = {n->on_pass, n->on_fail};
    for (int k = 0; k < 2; k++)
      if (next[k]) {
        edges_in[next[k] - wf->nodes]++;
        if (!seen[next[k] - wf->nodes]) {
          seen[next[k] - wf->nodes] = true;
          stack[top++] = next[k];
        }
      }
  }

  struct facts *in = lr_xcalloc(nn + 1, sizeof(*in)), edge = {0};
  struct judged *jd = lr_xcalloc(ns + 1, sizeof(*jd));
  if (wf->first && edges_in[wf->first - wf->nodes] == 0) { /* else a loop: nothing is certain */
    in[wf->first - wf->nodes].set = true;
    stack[top++] = wf->first;
  }
  while (top > 0) {
    const struct lr_node *n = stack[--top];
    size_t ni = (size_t)(n - wf->nodes), si = (size_t)(n->step - wf->steps);
    done[ni] = true;
    if (n->step->is_filter)
      judge(&jd[si], rstep[si], &in[ni]);
    const struct lr_node *next[2] = {n->on_pass, n->on_fail};
    for (int k = 0; k < 2; k++)
      if (next[k]) {
        size_t mi = (size_t)(next[k] - wf->nodes);
        apply(&in[ni], &eff[si], k == 0, si, &edge);
        meet(&in[mi], &edge);
        if (--edges_in[mi] == 0 && !done[mi])
          stack[top++] = next[k];
      }
    free(in[ni].v);
    in[ni].v = NULL;
  }
  for (size_t i = 0; i < nn; i++)
    if (seen[i] && !done[i]) /* on a loop, were there one */
      jd[wf->nodes[i].step - wf->steps].j = UNSURE;
  for (size_t i = 0; i < ns; i++)
    if (jd[i].j == NEVER) {
      warn(out, wf, &wf->steps[i], rstep[i], &jd[i].why);
      warnings++;
    }

  for (size_t i = 0; i < nn; i++)
    free(in[i].v);
  free(in);
  free(edge.v);
  free(jd);
  free(stack);
  free(edges_in);
  free(done);
  free(seen);
  for (size_t i = 0; i < ns; i++) {
    for (size_t k = 0; k < eff[i].n; k++) {
      free(eff[i].w[k].field);
      free(eff[i].w[k].text);
    }
    free(eff[i].w);
  }
  free(eff);
  free(rstep);
  return warnings;
}
