/* Rule files in Lua: run in a fresh lua_State, then the chains the file
 * declared (through the `luruse` module) are read back into rules.h form.
 * Custom steps keep their function in the registry of that state, which lives
 * as long as the workflow built from it. */
#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/entry.h"
#include "lua/lr_lua.h"
#include "rules/ruleset.h"
#include "rules/pyruse_json.h"
#include "rules/rules.h"
#include "util/charset.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

#define LOAD_BUDGET 200000000L /* instructions a rule file may take to load */
#define STEP_BUDGET 10000000L  /* instructions one custom step may take per entry */

struct lr_lua_rules {
  lua_State *L;
  struct lr_rules *rules;
  int entry_ref;
};

struct custom_step {
  struct lr_lua_rules *owner;
  int ref;
  bool is_filter;
};

static json_t *to_json(lua_State *L, int idx, int depth, char *err, size_t errlen);

static json_t *table_to_json(lua_State *L, int idx, int depth, char *err, size_t errlen)
{
  if (depth > 16) {
    snprintf(err, errlen, "arguments nested too deeply");
    return NULL;
  }
  idx = lua_absindex(L, idx);
  size_t n = (size_t)lua_rawlen(L, idx), keys = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    keys++;
    lua_pop(L, 1);
  }
  if (n > 0 && keys == n) { /* a list */
    json_t *out = json_array();
    for (size_t i = 1; i <= n; i++) {
      lua_rawgeti(L, idx, (lua_Integer)i);
      json_t *v = to_json(L, -1, depth + 1, err, errlen);
      lua_pop(L, 1);
      if (!v) {
        json_decref(out);
        return NULL;
      }
      json_array_append_new(out, v);
    }
    return out;
  }
  json_t *out = json_object();
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      snprintf(err, errlen, "argument tables need string keys, or to be lists");
      lua_pop(L, 2);
      json_decref(out);
      return NULL;
    }
    size_t klen;
    const char *key = lua_tolstring(L, -2, &klen);
    if (strlen(key) != klen || !lr_utf8_valid(key, klen)) {
      snprintf(err, errlen, "an argument name is not UTF-8 text (or holds a NUL byte)");
      lua_pop(L, 2);
      json_decref(out);
      return NULL;
    }
    json_t *v = to_json(L, -1, depth + 1, err, errlen);
    if (!v) {
      lua_pop(L, 2);
      json_decref(out);
      return NULL;
    }
    json_object_set_new(out, key, v);
    lua_pop(L, 1);
  }
  return out;
}

static json_t *to_json(lua_State *L, int idx, int depth, char *err, size_t errlen)
{
  switch (lua_type(L, idx)) {
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    /* the arguments are JSON, as a pyruse.json's: text, not bytes */
    if (!lr_utf8_valid(s, len)) {
      snprintf(err, errlen, "a string argument is not valid UTF-8");
      return NULL;
    }
    return json_stringn(s, len);
  }
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      return json_integer(lua_tointeger(L, idx));
    if (!isfinite(lua_tonumber(L, idx))) {
      snprintf(err, errlen, "a number argument is not finite (%s)", lua_tostring(L, idx));
      return NULL;
    }
    return json_real(lua_tonumber(L, idx));
  case LUA_TBOOLEAN:
    return json_boolean(lua_toboolean(L, idx));
  case LUA_TTABLE: {
    int t = lua_absindex(L, idx);
    lua_pushnil(L);
    if (!lua_next(L, t))
      return json_array(); /* an empty value table is an empty list, as [] in pyruse.json */
    lua_pop(L, 2);
    return table_to_json(L, t, depth, err, errlen);
  }
  default:
    snprintf(err, errlen, "a %s cannot be a step argument", luaL_typename(L, idx));
    return NULL;
  }
}

static const char *opt_field(lua_State *L, int t, const char *key)
{
  lua_getfield(L, t, key);
  const char *s = lua_tostring(L, -1);
  lua_pop(L, 1); /* the string stays alive: it is referenced by the table */
  return s;
}

/* One chain record: { label=, origin=, steps = { {type=, args=, origin=, then_label=,
 * else_label=, fn=} ... } } as lua/luruse.lua builds it. */
static int read_chain(struct lr_lua_rules *lr, int t, char *err, size_t errlen)
{
  lua_State *L = lr->L;
  const char *label = opt_field(L, t, "label"), *origin = opt_field(L, t, "origin");
  struct lr_rule_chain *c = lr_rules_add_chain(lr->rules, label, origin);
  if (!c) {
    snprintf(err, errlen, "%s: chain '%s' is declared twice", origin, label);
    return -1;
  }
  lua_getfield(L, t, "steps");
  int steps = lua_gettop(L);
  for (lua_Integer i = 1; lua_rawgeti(L, steps, i) == LUA_TTABLE; i++) {
    int s = lua_gettop(L);
    const char *type = opt_field(L, s, "type"), *sorigin = opt_field(L, s, "origin");
    json_t *args = NULL;
    if (lua_getfield(L, s, "args") == LUA_TTABLE) {
      char why[LR_ERR_MAX];
      args = table_to_json(L, -1, 0, why, sizeof(why));
      if (!args) {
        snprintf(err, errlen, "%s: %s", sorigin, why);
        return -1;
      }
    }
    lua_pop(L, 1);
    struct lr_rule_step *rs = lr_rules_add_step(c, type, args, opt_field(L, s, "then_label"),
                                                opt_field(L, s, "else_label"), sorigin);
    if (lua_getfield(L, s, "fn") == LUA_TFUNCTION)
      rs->custom_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    else
      lua_pop(L, 1);
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  return 0;
}

static int read_settings(struct lr_lua_rules *lr, int t, const char *path, char *err,
                         size_t errlen)
{
  char why[LR_ERR_MAX] = "";
  json_t *s = table_to_json(lr->L, t, 0, why, sizeof(why));
  if (!s) {
    snprintf(err, errlen, "%s: settings: %s", path, why);
    return -1;
  }
  if (json_is_object(s))
    json_object_update(lr->rules->settings, s);
  json_decref(s);
  return 0;
}

struct lr_lua_rules *lr_lua_rules_load(const char *path, char *err, size_t errlen)
{
  struct lr_lua_rules *lr = lr_xcalloc(1, sizeof(*lr));
  lr->L = luaL_newstate();
  lua_State *L = lr->L;
  luaL_openlibs(L);
  luaL_requiref(L, "luruse", luaopen_luruse, 0);
  int module = lua_gettop(L);
  if (luaL_loadfile(L, path) != LUA_OK) {
    snprintf(err, errlen, "%s", lua_tostring(L, -1));
    goto fail;
  }
  if (lr_lua_pcall(L, 0, 0, LOAD_BUDGET, err, errlen) < 0) {
    char *trace = strstr(err, "\nstack traceback:");
    if (trace) /* file:line says enough to a rule author */
      *trace = '\0';
    goto fail;
  }
  lr->rules = lr_rules_new(path);
  lua_getfield(L, module, "_declared");
  int declared = lua_gettop(L);
  lua_getfield(L, declared, "settings");
  if (read_settings(lr, lua_gettop(L), path, err, errlen) < 0)
    goto fail;
  lua_pop(L, 1);
  lua_getfield(L, declared, "chains");
  int chains = lua_gettop(L);
  for (lua_Integer i = 1; lua_rawgeti(L, chains, i) == LUA_TTABLE; i++) {
    if (read_chain(lr, lua_gettop(L), err, errlen) < 0)
      goto fail;
    lua_pop(L, 1);
  }
  if (lr->rules->nchains == 0) {
    snprintf(err, errlen, "%s: no chain declared (use luruse.chain)", path);
    goto fail;
  }
  lua_settop(L, 0);
  lr->entry_ref = lr_lua_entry_new(L);
  return lr;
fail:
  lr_lua_rules_free(lr);
  return NULL;
}

static enum lr_verdict custom_run(void *data, struct lr_exec *x)
{
  struct custom_step *cs = data;
  lua_State *L = cs->owner->L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, cs->ref);
  lr_lua_entry_push(L, cs->owner->entry_ref, x->entry);
  int rc = lr_lua_pcall(L, 1, 1, STEP_BUDGET, x->err, sizeof(x->err));
  lr_lua_entry_release(L, cs->owner->entry_ref);
  if (rc < 0)
    return LR_ERROR;
  bool pass = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return !cs->is_filter || pass ? LR_PASS : LR_FAIL;
}

static int custom_compile(void *opaque, int ref, bool is_filter, void **data,
                          enum lr_verdict (**run)(void *, struct lr_exec *),
                          void (**free_data)(void *), char *err, size_t errlen)
{
  if (ref < 0) {
    snprintf(err, errlen, "custom step without a function");
    return -1;
  }
  struct custom_step *cs = lr_xmalloc(sizeof(*cs));
  *cs = (struct custom_step){opaque, ref, is_filter};
  *data = cs;
  *run = custom_run;
  *free_data = free;
  return 0;
}

void lr_lua_rules_compile_ctx(struct lr_lua_rules *lr, struct lr_compile_ctx *cc)
{
  cc->custom_compile = custom_compile;
  cc->custom_opaque = lr;
}

void lr_lua_rules_free(struct lr_lua_rules *lr)
{
  if (!lr)
    return;
  lr_rules_free(lr->rules);
  lua_close(lr->L);
  free(lr);
}

static bool ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int lr_rules_load_any(const char *path, struct lr_loaded_rules *out, char *err, size_t errlen)
{
  memset(out, 0, sizeof(*out));
  if (ends_with(path, ".json")) {
    out->rules = lr_pyruse_json_load(path, err, errlen);
    return out->rules ? 0 : -1;
  }
  out->lua = lr_lua_rules_load(path, err, errlen);
  if (!out->lua)
    return -1;
  out->rules = out->lua->rules;
  return 0;
}

static void free_lua_rules(void *front) { lr_lua_rules_free(front); }

struct lr_ruleset *lr_ruleset_read(const char *path, char *err, size_t errlen)
{
  struct lr_loaded_rules lr;
  if (lr_rules_load_any(path, &lr, err, errlen) < 0)
    return NULL;
  /* a pyruse.json keeps Pyruse's default subjects and report title */
  struct lr_ruleset *rs =
    lr_ruleset_new(path, lr.rules, lr.lua, lr.lua ? free_lua_rules : NULL,
                   lr.lua ? "luruse" : "Pyruse", err, errlen);
  if (rs && lr.lua)
    lr_lua_rules_compile_ctx(lr.lua, &rs->custom);
  return rs;
}

struct lr_ruleset *lr_ruleset_load(const char *path, struct lr_services *svc, char *err,
                                   size_t errlen)
{
  struct lr_ruleset *rs = lr_ruleset_read(path, err, errlen);
  if (rs && lr_ruleset_compile(rs, svc, err, errlen) < 0) {
    lr_ruleset_free(rs);
    return NULL;
  }
  return rs;
}
