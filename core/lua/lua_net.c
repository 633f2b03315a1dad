/* luruse.Networks and address helpers for custom Lua steps.
 *   local lan = L.networks { "192.168.0.0/16", "fd00::/8" }
 *   lan:contains("192.168.1.2") --> true;  lan:contains("junk") --> false, "not an IP address"
 *   L.ip("2001:DB8::1") --> "2001:db8::1", "inet6";  L.ip("x") --> nil, "not an IP address" */
#include <lauxlib.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "util/ipnet.h"
#include "lua/lr_lua.h"
#include "util/errmsg.h"

#define NETS_MT "luruse.Networks"

struct lua_nets {
  size_t n;
  struct lr_ipnet nets[];
};

static int nets_new(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  size_t n = (size_t)lua_rawlen(L, 1);
  struct lua_nets *w = lua_newuserdatauv(L, sizeof(*w) + (n ? n : 1) * sizeof(w->nets[0]), 0);
  w->n = 0;
  luaL_setmetatable(L, NETS_MT);
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, 1, (lua_Integer)i);
    const char *s = lua_tostring(L, -1);
    char err[LR_ERR_MAX];
    if (!s || lr_ipnet_parse(s, &w->nets[i - 1], err, sizeof(err)) < 0)
      return luaL_argerror(L, 1, lua_pushfstring(L, "item %d: %s", (int)i, s ? err : "not a string"));
    lua_pop(L, 1);
    w->n++;
  }
  return 1;
}

static int nets_contains(lua_State *L)
{
  struct lua_nets *w = luaL_checkudata(L, 1, NETS_MT);
  size_t len;
  const char *s = luaL_optlstring(L, 2, "", &len);
  struct lr_ipaddr a;
  if (!lr_ipaddr_parse(s, len, &a)) {
    lua_pushboolean(L, 0);
    lua_pushliteral(L, "not an IP address");
    return 2;
  }
  for (size_t i = 0; i < w->n; i++)
    if (lr_ipnet_contains(&w->nets[i], &a)) {
      lua_pushboolean(L, 1);
      return 1;
    }
  lua_pushboolean(L, 0);
  return 1;
}

static int nets_tostring(lua_State *L)
{
  struct lua_nets *w = luaL_checkudata(L, 1, NETS_MT);
  lua_pushfstring(L, "luruse.Networks (%d networks)", (int)w->n);
  return 1;
}

static int ip_canonical(lua_State *L)
{
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  struct lr_ipaddr a;
  if (!lr_ipaddr_parse(s, len, &a)) {
    luaL_pushfail(L);
    lua_pushliteral(L, "not an IP address");
    return 2;
  }
  char buf[64];
  lua_pushstring(L, lr_ipaddr_format(&a, buf, sizeof(buf)));
  lua_pushstring(L, a.family == AF_INET6 ? "inet6" : "inet");
  return 2;
}

void lr_lua_net_register(lua_State *L)
{
  static const luaL_Reg methods[] = {{"contains", nets_contains}, {NULL, NULL}};
  luaL_newmetatable(L, NETS_MT);
  lua_pushcfunction(L, nets_tostring);
  lua_setfield(L, -2, "__tostring");
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, nets_new);
  lua_setfield(L, -2, "networks");
  lua_pushcfunction(L, ip_canonical);
  lua_setfield(L, -2, "ip");
}
