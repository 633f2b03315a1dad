/* A loaded rule file with its compiled workflow: what a reload swaps as one.
 *
 *   struct lr_ruleset *rs = lr_ruleset_load("rules.lua", &rt, err, sizeof(err));
 *   lr_workflow_run(rs->wf, &exec);
 *   lr_ruleset_free(rs);
 */
#pragma once
#include <stddef.h>

#include "lr_lua.h"
#include "runtime.h"
#include "workflow.h"

#define LR_DEFAULT_RULES "/etc/luruse/luruse.lua"
#define LR_DEFAULT_STORAGE "/var/lib/luruse"

struct lr_ruleset {
  char *path;
  struct lr_loaded_rules rules;
  struct lr_workflow *wf;
  struct lr_runtime rt; /* settings of this rule file (charset, debug) */
};

struct lr_ruleset *lr_ruleset_load(const char *path, char *err, size_t errlen);
void lr_ruleset_free(struct lr_ruleset *rs);
/* The storage directory: --storage, else the rules' "storage", else the default. */
const char *lr_ruleset_storage(const struct lr_ruleset *rs, const char *override);
