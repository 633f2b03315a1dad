/* luruse.Regex: PCRE2 regexes for custom Lua steps.
 *   local re = L.regex [[from (?<ip>\S+)]]
 *   local m = re:match(line)   -- nil, or { [0]=whole, [1]=..., ip=... }  */
#include <lauxlib.h>

#include "lua/lr_lua.h"
#include "util/regex.h"
#include "util/errmsg.h"

#define REGEX_MT "luruse.Regex"

struct lua_regex {
  struct lr_regex *re;
};

static struct lua_regex *check_regex(lua_State *L, int i)
{
  struct lua_regex *r = luaL_checkudata(L, i, REGEX_MT);
  if (!r->re)
    luaL_argerror(L, i, "regex is closed");
  return r;
}

static int regex_new(lua_State *L)
{
  const char *pattern = luaL_checkstring(L, 1);
  struct lua_regex *r = lua_newuserdatauv(L, sizeof(*r), 0);
  r->re = NULL;
  luaL_setmetatable(L, REGEX_MT);
  char err[LR_ERR_MAX];
  r->re = lr_regex_compile(pattern, err, sizeof(err));
  if (!r->re)
    return luaL_argerror(L, 1, lua_pushfstring(L, "bad regex: %s", err));
  return 1;
}

static int regex_match(lua_State *L)
{
  struct lua_regex *r = check_regex(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  int rc = lr_regex_match(r->re, s, len);
  if (rc < 0) {
    char why[LR_ERR_MAX];
    luaL_pushfail(L);
    lua_pushstring(L, lr_regex_error(r->re, rc, why, sizeof(why)));
    return 2;
  }
  if (rc == 0) {
    luaL_pushfail(L);
    return 1;
  }
  unsigned ngroups = lr_regex_group_count(r->re), nnames = lr_regex_name_count(r->re);
  lua_createtable(L, (int)ngroups, (int)nnames);
  for (unsigned g = 0; g <= ngroups; g++) {
    size_t off, n;
    if (lr_regex_group(r->re, g, &off, &n)) {
      lua_pushlstring(L, s + off, n);
      lua_rawseti(L, -2, g);
    }
  }
  for (unsigned k = 0; k < nnames; k++) {
    unsigned g;
    const char *name = lr_regex_name(r->re, k, &g);
    size_t off, n;
    if (lr_regex_group(r->re, g, &off, &n)) {
      lua_pushlstring(L, s + off, n);
      lua_setfield(L, -2, name);
    }
  }
  return 1;
}

static int regex_close(lua_State *L)
{
  struct lua_regex *r = luaL_checkudata(L, 1, REGEX_MT);
  lr_regex_free(r->re);
  r->re = NULL;
  return 0;
}

static int regex_tostring(lua_State *L)
{
  struct lua_regex *r = luaL_checkudata(L, 1, REGEX_MT);
  lua_pushfstring(L, "luruse.Regex (%s%s)", r->re ? "" : "closed",
                  r->re ? (lr_regex_jit(r->re) ? "jit" : "interpreted") : "");
  return 1;
}

void lr_lua_regex_register(lua_State *L)
{
  static const luaL_Reg methods[] = {{"match", regex_match}, {"close", regex_close}, {NULL, NULL}};
  static const luaL_Reg meta[] = {{"__gc", regex_close}, {"__close", regex_close},
                                  {"__tostring", regex_tostring}, {NULL, NULL}};
  luaL_newmetatable(L, REGEX_MT);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, regex_new);
  lua_setfield(L, -2, "regex");
}
