/* Rules as the front-ends declare them, before compilation: chains of steps
 * with Pyruse-style arguments (a JSON object) and optional explicit jumps.
 * The pyruse.json reader and the Lua rule loader both produce this, and one
 * compiler (workflow.h) turns it into the C workflow.
 *
 *   struct lr_rules *r = lr_rules_new();
 *   struct lr_rule_chain *c = lr_rules_add_chain(r, "SSH", "rules.lua:3");
 *   lr_rules_add_step(c, "filter_equals", args, NULL, NULL, "rules.lua:4");
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct lr_rule_step {
  char *type;       /* "filter_equals", "action_log", ... or LR_STEP_CUSTOM_* */
  json_t *args;     /* owned; an object */
  char *then_label; /* explicit jump after the step (ends the chain), or NULL */
  char *else_label; /* filters only: where a failing entry goes, or NULL */
  char *origin;     /* "file.lua:12" or "label[3]": where errors point */
  int custom_ref;   /* custom steps: the front-end's handle (a Lua registry ref) */
};

#define LR_STEP_CUSTOM_FILTER "custom_filter"
#define LR_STEP_CUSTOM_ACTION "custom_action"

struct lr_rule_chain {
  char *label;
  char *origin;
  struct lr_rule_step *steps;
  size_t nsteps, cap;
};

struct lr_rules {
  struct lr_rule_chain *chains;
  size_t nchains, cap;
  json_t *settings; /* owned; pyruse.json top-level keys other than "actions" */
  char *source;     /* the rule file, for messages */
};

struct lr_rules *lr_rules_new(const char *source);
void lr_rules_free(struct lr_rules *r);
struct lr_rule_chain *lr_rules_find_chain(struct lr_rules *r, const char *label);
/* NULL when the label is already used (a duplicate chain is a load error). */
struct lr_rule_chain *lr_rules_add_chain(struct lr_rules *r, const char *label, const char *origin);
/* Takes ownership of args (may be NULL: an empty object). */
struct lr_rule_step *lr_rules_add_step(struct lr_rule_chain *c, const char *type, json_t *args,
                                       const char *then_label, const char *else_label,
                                       const char *origin);
bool lr_rule_step_is_filter(const struct lr_rule_step *s);
