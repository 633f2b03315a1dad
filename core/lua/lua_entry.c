/* luruse.Entry: the current journal entry as a custom step sees it. One
 * userdata per Lua state, bound to the entry only during the step's call
 * (rspamd's borrowed task): kept beyond it, it raises instead of reading
 * freed memory. Fields are fetched when read.
 *   function(e) return e.PRIORITY <= 3 end;  e.ip = "1.2.3.4";  e.tmp = nil */
#include <lauxlib.h>
#include <math.h>

#include "input/entry.h"
#include "lua/lr_lua.h"

#define ENTRY_MT "luruse.Entry"

struct lua_entry {
  struct lr_entry *e;
};

static struct lr_entry *check_entry(lua_State *L, int i)
{
  struct lua_entry *le = luaL_checkudata(L, i, ENTRY_MT);
  if (!le->e)
    luaL_error(L, "this entry is no longer valid: entries live only during their step");
  return le->e;
}

static void push_value(lua_State *L, const struct lr_value *v)
{
  if (!v)
    lua_pushnil(L);
  else if (v->type == LR_VAL_STR)
    lua_pushlstring(L, v->str, v->len);
  else
    lua_pushinteger(L, v->num); /* times are microseconds since the epoch */
}

static int entry_index(lua_State *L)
{
  struct lr_entry *e = check_entry(L, 1);
  size_t len;
  const char *name = luaL_checklstring(L, 2, &len);
  push_value(L, lr_entry_get_name(e, name, len));
  return 1;
}

static int entry_newindex(lua_State *L)
{
  struct lr_entry *e = check_entry(L, 1);
  size_t len;
  const char *name = luaL_checklstring(L, 2, &len);
  lr_field_id id = lr_fields_intern(name, len);
  if (id == (lr_field_id)-1)
    return luaL_argerror(L, 2, "not a usable field name (or too many field names)");
  switch (lua_type(L, 3)) {
  case LUA_TNIL:
    lr_entry_unset(e, id);
    break;
  case LUA_TBOOLEAN:
    lr_entry_set_int(e, id, lua_toboolean(L, 3));
    break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, 3)) {
      lr_entry_set_int(e, id, lua_tointeger(L, 3));
      break;
    }
    __attribute__((fallthrough)); /* a float is kept as its text */
  case LUA_TSTRING: {
    size_t vlen;
    const char *s = lua_tolstring(L, 3, &vlen);
    lr_entry_set_str(e, id, s, vlen);
    break;
  }
  default:
    return luaL_argerror(L, 3, "a field value is a string, a number, a boolean or nil");
  }
  return 0;
}

static int entry_tostring(lua_State *L)
{
  struct lua_entry *le = luaL_checkudata(L, 1, ENTRY_MT);
  lua_pushstring(L, le->e ? "luruse.Entry" : "luruse.Entry (expired)");
  return 1;
}

int lr_lua_entry_new(lua_State *L)
{
  struct lua_entry *le = lua_newuserdatauv(L, sizeof(*le), 0);
  le->e = NULL;
  luaL_setmetatable(L, ENTRY_MT);
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

void lr_lua_entry_push(lua_State *L, int ref, struct lr_entry *e)
{
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  ((struct lua_entry *)lua_touserdata(L, -1))->e = e;
}

void lr_lua_entry_release(lua_State *L, int ref)
{
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  ((struct lua_entry *)lua_touserdata(L, -1))->e = NULL;
  lua_pop(L, 1);
}

void lr_lua_entry_register(lua_State *L)
{
  static const luaL_Reg meta[] = {{"__index", entry_index}, {"__newindex", entry_newindex},
                                  {"__tostring", entry_tostring}, {NULL, NULL}};
  luaL_newmetatable(L, ENTRY_MT);
  luaL_setfuncs(L, meta, 0);
  lua_pop(L, 1);
}
