#include <lauxlib.h>
#include <stdio.h>

#include "lua/lr_lua.h"

static const char budget_key = 'b'; /* registry key: remaining hook ticks */
#define HOOK_EVERY 10000             /* instructions between two budget checks */

static void count_hook(lua_State *L, lua_Debug *ar)
{
  (void)ar;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &budget_key);
  lua_Integer left = lua_tointeger(L, -1) - 1;
  lua_pop(L, 1);
  lua_pushinteger(L, left);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &budget_key);
  if (left <= 0)
    luaL_error(L, "stopped: instruction limit reached (a runaway loop?)");
}

static int traceback(lua_State *L)
{
  const char *msg = lua_tostring(L, 1);
  if (!msg) { /* errors can be tables or nil: say what they are */
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int lr_lua_pcall(lua_State *L, int nargs, int nresults, long budget, char *err, size_t errlen)
{
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, traceback);
  lua_insert(L, base);
  lua_pushinteger(L, budget / HOOK_EVERY + 1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &budget_key);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
  int rc = lua_pcall(L, nargs, nresults, base);
  lua_sethook(L, NULL, 0, 0);
  lua_remove(L, base);
  if (rc != LUA_OK) {
    snprintf(err, errlen, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return -1;
  }
  return 0;
}
