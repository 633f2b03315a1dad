/* luaopen_luruse: the C primitives, then the Lua half of the API (lua/luruse.lua,
 * embedded at build time) which receives them and returns the module. */
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <string.h>

#include "lua/lr_lua.h"
#include "input/line_parse.h"
#include "rules/settings.h"
#include "util/clock.h"

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

static void set_field(lua_State *L, const char *name, const char *v, size_t n)
{
  if (!v)
    return;
  lua_pushlstring(L, v, n);
  lua_setfield(L, -2, name);
}

/* L.parse_line(text [, now_usec]): the fields `luruse run` makes of a line of a
 * followed text file (format "auto"), for specs of file-reading jails:
 * { MESSAGE =, SYSLOG_IDENTIFIER =, _HOSTNAME =, SYSLOG_PID =, PRIORITY =,
 * __REALTIME_TIMESTAMP = (integer; absent when the line has no time) }. */
static int parse_line(lua_State *L)
{
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer now = luaL_optinteger(L, 2, (lua_Integer)lr_wall_usec());
  struct lr_line l;
  lr_line_parse(s, len, (int64_t)now, &l);
  lua_createtable(L, 0, 6);
  set_field(L, "MESSAGE", l.msg, l.msg_len);
  set_field(L, "SYSLOG_IDENTIFIER", l.ident, l.ident_len);
  set_field(L, "_HOSTNAME", l.host, l.host_len);
  set_field(L, "SYSLOG_PID", l.pid, l.pid_len);
  if (l.priority >= 0) {
    lua_pushinteger(L, l.priority);
    lua_setfield(L, -2, "PRIORITY");
  }
  if (l.time_usec >= 0) {
    lua_pushinteger(L, (lua_Integer)l.time_usec);
    lua_setfield(L, -2, "__REALTIME_TIMESTAMP");
  }
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
  lua_pushcfunction(L, parse_line);
  lua_setfield(L, -2, "parse_line");
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
