/* A rule file read, its settings, and its workflow compiled against the
 * services it will run with: what a reload swaps as one. Lua-free: the Lua
 * front-end reads rule files of either kind (lr_ruleset_read/_load in
 * core/lua/lr_lua.h) and hands the rules here.
 *
 *   struct lr_ruleset *rs = lr_ruleset_read("rules.lua", err, sizeof(err));  // Lua side
 *   ...open the storage that lr_ruleset_storage(rs, NULL) names, and the services...
 *   if (lr_ruleset_compile(rs, &svc, err, sizeof(err)) < 0) ...
 *   lr_ruleset_free(lr_engine_swap(&eng, rs));
 *
 * From C (tests): lr_ruleset_new("t.json", lr_pyruse_json_load(...), NULL, NULL, "Pyruse", ...).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "rules/settings.h"
#include "rules/step.h"
#include "rules/workflow.h"

#define LR_DEFAULT_RULES "/etc/luruse/luruse.lua"
#define LR_DEFAULT_STORAGE "/var/lib/luruse"

struct lr_rules;
struct lr_services;

struct lr_ruleset {
  char *path;
  struct lr_rules *rules;       /* as declared; owned by front when there is one */
  struct lr_settings settings;  /* compiled once, with the rules */
  struct lr_workflow *wf;       /* NULL until compiled */
  struct lr_services *svc;      /* what wf was compiled against (NULL: none) */
  struct lr_compile_ctx custom; /* the front-end's custom-step compiler, if any */
  void *front;                  /* the front-end's hold on the rules (a Lua state) */
  void (*front_free)(void *front);
};

/* Takes rules (or front, which owns them then) and applies their settings,
 * product naming the email defaults. NULL with err, everything freed. */
struct lr_ruleset *lr_ruleset_new(const char *path, struct lr_rules *rules, void *front,
                                  void (*front_free)(void *), const char *product, char *err,
                                  size_t errlen);
/* Compiles the workflow against svc (NULL: no services, e.g. `luruse check`):
 * counters resolve their categories, DNAT lookups index the map. Once. */
int lr_ruleset_compile(struct lr_ruleset *rs, struct lr_services *svc, char *err,
                       size_t errlen);
void lr_ruleset_free(struct lr_ruleset *rs);
/* Do the rules ban into luruse's own table (bans.table): a jail with its
 * default sets, or a ban naming a set of that table? Then the daemon and
 * `luruse restore` make sure it exists; otherwise they leave nftables alone. */
bool lr_ruleset_uses_own_table(const struct lr_ruleset *rs);
/* The storage directory: --storage, else the rules' "storage", else the default. */
const char *lr_ruleset_storage(const struct lr_ruleset *rs, const char *override);
