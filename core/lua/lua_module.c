/* luaopen_luruse: the C primitives, then the Lua half of the API (lua/luruse.lua,
 * embedded at build time) which receives them and returns the module. */
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <string.h>

#include "lua/lr_lua.h"
#include "rules/settings.h"

struct lr_lua_embedded {
  const char *name;
  const char *code;
  size_t len;
};
extern const struct lr_lua_embedded lr_lua_embedded_files[];

/* Names in a directory, for include("rules.d/NAME*.lua"); nil, message on failure. */
static int list_dir(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  DIR *d = opendir(path);
  if (!d) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  lua_newtable(L);
  lua_Integer n = 0;
  for (struct dirent *de; (de = readdir(d));)
    if (de->d_name[0] != '.') {
      lua_pushstring(L, de->d_name);
      lua_rawseti(L, -2, ++n);
    }
  closedir(d);
  return 1;
}

int luaopen_luruse(lua_State *L)
{
  const struct lr_lua_embedded *f = lr_lua_embedded_files;
  while (f->name && strcmp(f->name, "luruse") != 0)
    f++;
  if (!f->name)
    return luaL_error(L, "luruse: the embedded Lua API is missing from this build");
  if (luaL_loadbuffer(L, f->code, f->len, "=luruse.lua") != LUA_OK)
    return lua_error(L);
  lua_newtable(L); /* the primitives */
  lr_lua_regex_register(L);
  lr_lua_net_register(L);
  lr_lua_entry_register(L);
  lr_lua_workflow_register(L);
  lua_pushcfunction(L, list_dir);
  lua_setfield(L, -2, "list_dir");
  lua_newtable(L); /* the settings L.config takes, as a list */
  for (lua_Integer i = 0; lr_settings_keys[i]; i++) {
    lua_pushstring(L, lr_settings_keys[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "settings");
  lua_call(L, 1, 1);
  return 1;
}
