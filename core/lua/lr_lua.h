/* The Lua side of luruse: the `luruse` module (rule API and C primitives),
 * rule files loaded into a fresh lua_State, and custom steps run through one
 * protected-call gateway.
 *
 *   struct lr_ruleset *rs = lr_ruleset_load("/etc/luruse/luruse.lua", &svc, err, sizeof(err));
 *   ... lr_engine_swap(&eng, rs) ...; lr_ruleset_free(rs) after the engine let go of it
 */
#pragma once
#include <lua.h>
#include <stddef.h>

#include "rules/step.h"

struct lr_rules;
struct lr_entry;
struct lr_lua_rules;

int luaopen_luruse(lua_State *L);

/* Runs a rule file in a new state; NULL with err ("file:line: why") on failure. */
struct lr_lua_rules *lr_lua_rules_load(const char *path, char *err, size_t errlen);
/* Fills the custom-step part of a compile context. */
void lr_lua_rules_compile_ctx(struct lr_lua_rules *lr, struct lr_compile_ctx *cc);
void lr_lua_rules_free(struct lr_lua_rules *lr);

/* Loads rules of either kind by file name: *.json is a pyruse.json. The
 * returned handle owns what the workflow's custom steps need. */
struct lr_loaded_rules {
  struct lr_rules *rules;        /* owned unless lua != NULL */
  struct lr_lua_rules *lua;
};
int lr_rules_load_any(const char *path, struct lr_loaded_rules *out, char *err, size_t errlen);

/* The one ruleset loader of the daemon, `replay`, `check` and luruse.so
 * (core/rules/ruleset.h): reads a rule file of either kind and its settings, ready
 * for lr_ruleset_compile once the services exist. NULL with err. */
struct lr_services;
struct lr_ruleset *lr_ruleset_read(const char *path, char *err, size_t errlen);
/* Read and compiled against svc (NULL: none): a reload, `check`. */
struct lr_ruleset *lr_ruleset_load(const char *path, struct lr_services *svc, char *err,
                                   size_t errlen);

/* Module pieces (one file per class). */
void lr_lua_regex_register(lua_State *L);   /* lua_regex.c */
void lr_lua_net_register(lua_State *L);     /* lua_net.c */
void lr_lua_entry_register(lua_State *L);   /* lua_entry.c */
void lr_lua_workflow_register(lua_State *L); /* lua_workflow.c */
/* Pushes the borrowed-entry userdata bound to e (valid until lr_lua_entry_release). */
void lr_lua_entry_push(lua_State *L, int ref, struct lr_entry *e);
int lr_lua_entry_new(lua_State *L);
void lr_lua_entry_release(lua_State *L, int ref);

/* The gateway for calling Lua: a protected call with a traceback handler that
 * copes with non-string errors, and an instruction budget. 0 or -1 with err. */
int lr_lua_pcall(lua_State *L, int nargs, int nresults, long budget, char *err, size_t errlen);
