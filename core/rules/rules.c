#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

static char *dup_or_null(const char *s) { return s ? lr_xstrdup(s) : NULL; }

struct lr_rules *lr_rules_new(const char *source)
{
  struct lr_rules *r = lr_xcalloc(1, sizeof(*r));
  r->settings = json_object();
  r->source = dup_or_null(source);
  return r;
}

void lr_rules_free(struct lr_rules *r)
{
  if (!r)
    return;
  for (size_t i = 0; i < r->nchains; i++) {
    struct lr_rule_chain *c = &r->chains[i];
    for (size_t j = 0; j < c->nsteps; j++) {
      struct lr_rule_step *s = &c->steps[j];
      free(s->type);
      json_decref(s->args);
      free(s->then_label);
      free(s->else_label);
      free(s->origin);
    }
    free(c->steps);
    free(c->label);
    free(c->origin);
  }
  free(r->chains);
  json_decref(r->settings);
  free(r->source);
  free(r);
}

struct lr_rule_chain *lr_rules_find_chain(struct lr_rules *r, const char *label)
{
  for (size_t i = 0; i < r->nchains; i++)
    if (strcmp(r->chains[i].label, label) == 0)
      return &r->chains[i];
  return NULL;
}

struct lr_rule_chain *lr_rules_add_chain(struct lr_rules *r, const char *label, const char *origin)
{
  if (lr_rules_find_chain(r, label))
    return NULL;
  LR_GROW(r->chains, r->nchains + 1, r->cap, 16);
  struct lr_rule_chain *c = &r->chains[r->nchains++];
  memset(c, 0, sizeof(*c));
  c->label = lr_xstrdup(label);
  c->origin = dup_or_null(origin);
  return c;
}

struct lr_rule_step *lr_rules_add_step(struct lr_rule_chain *c, const char *type, json_t *args,
                                       const char *then_label, const char *else_label,
                                       const char *origin)
{
  LR_GROW(c->steps, c->nsteps + 1, c->cap, 8);
  struct lr_rule_step *s = &c->steps[c->nsteps++];
  s->type = lr_xstrdup(type);
  s->args = args ? args : json_object();
  s->then_label = dup_or_null(then_label);
  s->else_label = dup_or_null(else_label);
  s->origin = dup_or_null(origin);
  s->custom_ref = -1;
  return s;
}

bool lr_rule_step_is_filter(const struct lr_rule_step *s)
{
  return strncmp(s->type, "filter_", 7) == 0 || strcmp(s->type, LR_STEP_CUSTOM_FILTER) == 0;
}
