/* luruse.Workflow: rules read, compiled and run by the daemon's own loader and
 * engine (core/rules/ruleset.h, core/rules/engine.h), entries' clock included, for busted
 * specs. Only the services differ: this workflow's own counters and mappings,
 * no state database, and what emails, reports, bans and commands would do is
 * captured instead of done.
 *   local wf = assert(L.load_rules "rules/ssh.lua")
 *   local out, path, sent = wf:run { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "..." }
 *   -- out: the entry's fields afterwards; path: { "SSH[0] filter_equals: pass", ... };
 *   -- sent: what email and dailyReport actions would send (nothing is sent) */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/counters.h"
#include "state/sessions.h"
#include "state/dnat.h"
#include "rules/engine.h"
#include "input/entry.h"
#include "util/errmsg.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "lua/lr_lua.h"
#include "rules/ruleset.h"
#include "rules/services.h"
#include "rules/workflow.h"

#define WORKFLOW_MT "luruse.Workflow"

struct table_field {
  const char *name, *val;
  size_t nlen, vlen;
};

struct lua_workflow {
  struct lr_ruleset *rs;   /* NULL once closed */
  struct lr_services svc;  /* counters and mappings only, kept across runs */
  struct lr_engine eng;
  struct lr_path path;     /* the steps of the latest run */
  struct lr_buf line;
  struct table_field *fields;
  size_t nfields;
  lua_State *running; /* during run: where captured notifications go (table on top) */
};

/* Appends { action=, subject=|level=, details=, message= } (bans: set=, ip=,
 * seconds=, message=; exec: argv={...}) to the table on top. */
static void capture_sent(void *opaque, const struct lr_captured *c)
{
  struct lua_workflow *w = opaque;
  lua_State *L = w->running;
  lua_createtable(L, 0, 4);
  lua_pushstring(L, c->action);
  lua_setfield(L, -2, "action");
  if (c->subject) {
    lua_pushlstring(L, c->subject, c->subject_len);
    lua_setfield(L, -2, "subject");
  }
  if (c->level) {
    lua_pushstring(L, c->level);
    lua_setfield(L, -2, "level");
    lua_pushstring(L, c->details);
    lua_setfield(L, -2, "details");
  }
  if (c->jail) {
    lua_pushstring(L, c->jail);
    lua_setfield(L, -2, "jail");
  }
  if (c->ip && !strcmp(c->action, "allowlisted")) {
    lua_pushstring(L, c->ip);
    lua_setfield(L, -2, "ip");
  } else if (c->ip) {
    lua_pushstring(L, c->set);
    lua_setfield(L, -2, "set");
    lua_pushstring(L, c->ip);
    lua_setfield(L, -2, "ip");
    lua_pushinteger(L, (lua_Integer)c->seconds);
    lua_setfield(L, -2, "seconds");
  }
  if (c->argv) {
    lua_createtable(L, (int)c->argc, 0);
    for (size_t i = 0; i < c->argc; i++) {
      lua_pushlstring(L, c->argv[i], c->argv_len[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "argv");
  }
  if (c->message) {
    lua_pushlstring(L, c->message, c->message_len);
    lua_setfield(L, -2, "message");
  }
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

static void table_fill(void *ctx, struct lr_entry *e)
{
  struct lua_workflow *w = ctx;
  for (size_t i = 0; i < w->nfields; i++)
    lr_entry_offer(e, w->fields[i].name, w->fields[i].nlen, w->fields[i].val, w->fields[i].vlen,
                   false);
}

static void table_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                       void *arg)
{
  struct lua_workflow *w = ctx;
  for (size_t i = 0; i < w->nfields; i++)
    cb(arg, w->fields[i].name, w->fields[i].nlen, w->fields[i].val, w->fields[i].vlen);
}

static const struct lr_source_hooks table_hooks = {table_fill, table_each, NULL};

static struct lua_workflow *check_workflow(lua_State *L, int i)
{
  struct lua_workflow *w = luaL_checkudata(L, i, WORKFLOW_MT);
  if (!w->rs)
    luaL_argerror(L, i, "workflow is closed");
  return w;
}

static int workflow_gc(lua_State *L)
{
  struct lua_workflow *w = luaL_checkudata(L, 1, WORKFLOW_MT);
  if (w->rs) {
    lr_engine_free(&w->eng);
    lr_ruleset_free(w->rs);
    w->rs = NULL;
    lr_dnat_free(w->svc.dnat);
    lr_counters_free(w->svc.counters);
    lr_sessions_free(w->svc.sessions);
    lr_path_free(&w->path);
    lr_buf_free(&w->line);
    free(w->fields);
  }
  return 0;
}

static int load_rules(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  struct lua_workflow *w = lua_newuserdatauv(L, sizeof(*w), 0);
  memset(w, 0, sizeof(*w));
  luaL_setmetatable(L, WORKFLOW_MT);
  char err[LR_ERR_MAX];
  struct lr_ruleset *rs = lr_ruleset_read(path, err, sizeof(err));
  if (!rs)
    goto fail;
  w->svc.dnat = lr_dnat_new();
  w->svc.counters = lr_counters_new();
  w->svc.sessions = lr_sessions_new(LR_SESSIONS_MAX);
  if (lr_ruleset_compile(rs, &w->svc, err, sizeof(err)) < 0) {
    lr_ruleset_free(rs);
    lr_dnat_free(w->svc.dnat);
    lr_counters_free(w->svc.counters);
    lr_sessions_free(w->svc.sessions);
    goto fail;
  }
  /* `log` actions on stderr; steps record their verdicts; no notify or bans
   * service: what they would do is captured */
  lr_engine_init(&w->eng, &w->svc, NULL, true);
  w->eng.clock.future_ok = true; /* a spec's dates owe nothing to today's */
  w->eng.exec.path = &w->path;
  w->eng.exec.capture = capture_sent;
  w->eng.exec.capture_opaque = w;
  lr_engine_swap(&w->eng, rs);
  w->rs = rs;
  return 1;
fail:
  memset(w, 0, sizeof(*w));
  luaL_pushfail(L);
  lua_pushstring(L, err);
  return 2;
}

static int workflow_run(lua_State *L)
{
  struct lua_workflow *w = check_workflow(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  size_t n = 0;
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    n++;
    lua_pop(L, 1);
  }
  free(w->fields);
  w->fields = lr_xcalloc(n + 1, sizeof(*w->fields));
  w->nfields = 0;
  int64_t realtime = -1;
  /* Values as text in a table of our own, which keeps the strings alive. */
  lua_settop(L, 2);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      return luaL_argerror(L, 2, "field names must be strings");
    if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER)
      return luaL_argerror(L, 2, "field values must be strings or numbers");
    if (lua_isinteger(L, -1) && strcmp(lua_tostring(L, -2), "__REALTIME_TIMESTAMP") == 0)
      realtime = lua_tointeger(L, -1);
    lua_pushvalue(L, -2);
    size_t vlen;
    const char *v = luaL_tolstring(L, -2, &vlen); /* values may hold NUL bytes */
    lua_pushlstring(L, v, vlen);
    lua_remove(L, -2);
    lua_rawset(L, 3);
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  while (lua_next(L, 3)) {
    struct table_field *f = &w->fields[w->nfields++];
    f->name = lua_tolstring(L, -2, &f->nlen);
    f->val = lua_tolstring(L, -1, &f->vlen);
    lua_pop(L, 1);
  }
  lua_newtable(L); /* what would be sent, filled by capture_sent */
  int sent = lua_gettop(L);
  w->running = L;
  lr_path_clear(&w->path);
  lr_entry_begin(&w->eng.entry, realtime, &table_hooks, w);
  lr_engine_process(&w->eng);
  w->running = NULL;
  lua_newtable(L); /* the entry's fields afterwards */
  for (size_t id = 0; id < lr_fields_count(); id++) {
    const struct lr_value *v = lr_entry_get(&w->eng.entry, (lr_field_id)id);
    if (!v)
      continue;
    if (v->type == LR_VAL_STR)
      lua_pushlstring(L, v->str, v->len);
    else
      lua_pushinteger(L, v->num);
    lua_setfield(L, -2, lr_fields_name((lr_field_id)id));
  }
  for (size_t i = 0; i < w->nfields; i++) { /* fields no rule interned pass unchanged */
    if (lr_fields_find(w->fields[i].name, w->fields[i].nlen) >= 0)
      continue; /* interned: the loop above already told whether it is still set */
    lua_pushlstring(L, w->fields[i].val, w->fields[i].vlen);
    lua_setfield(L, -2, w->fields[i].name);
  }
  lua_createtable(L, (int)w->path.n, 0); /* the path: one string per step */
  for (size_t i = 0; i < w->path.n; i++) {
    lr_buf_clear(&w->line);
    lr_path_format(&w->path, i, &w->line);
    lua_pushlstring(L, w->line.data, w->line.len);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_pushvalue(L, sent);
  return 3;
}

static int workflow_graph(lua_State *L)
{
  struct lua_workflow *w = check_workflow(L, 1);
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  lr_workflow_print(w->rs->wf, mem);
  fclose(mem);
  lua_pushlstring(L, text, len);
  free(text);
  return 1;
}

static int workflow_hits(lua_State *L)
{
  struct lua_workflow *w = check_workflow(L, 1);
  lua_newtable(L);
  for (size_t i = 0; i < w->rs->wf->nsteps; i++) {
    const struct lr_step *s = &w->rs->wf->steps[i];
    if (!s->run)
      continue;
    lua_pushfstring(L, "%s[%d]", s->chain, (int)s->index);
    lua_pushinteger(L, (lua_Integer)s->hits);
    lua_rawset(L, -3);
  }
  return 1;
}

void lr_lua_workflow_register(lua_State *L)
{
  static const luaL_Reg methods[] = {
    {"run", workflow_run}, {"graph", workflow_graph}, {"hits", workflow_hits}, {NULL, NULL}};
  luaL_newmetatable(L, WORKFLOW_MT);
  lua_pushcfunction(L, workflow_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, workflow_gc);
  lua_setfield(L, -2, "__close");
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, load_rules);
  lua_setfield(L, -2, "load_rules");
}
