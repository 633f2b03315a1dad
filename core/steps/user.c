/* filter_userExists: getpwnam, with a small cache because NSS lookups (LDAP,
 * sssd) can be slow and attackers repeat the same names. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input/entry.h"
#include "steps/builtin.h"
#include "util/xalloc.h"

#define CACHE_SLOTS 256
#define CACHE_NAME_MAX 64
#define CACHE_SECONDS 60 /* accounts come and go; do not trust an answer for long */

struct cached_user {
  char name[CACHE_NAME_MAX];
  size_t len;
  bool exists;
  time_t until;
};

struct user_step {
  lr_field_id field;
  struct cached_user cache[CACHE_SLOTS];
};

static int user_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                        size_t errlen)
{
  (void)cc;
  struct user_step *u = lr_xcalloc(1, sizeof(*u));
  if (lr_arg_field(args, "field", &u->field, err, errlen) < 0) {
    free(u);
    return -1;
  }
  *data = u;
  return 0;
}

static bool lookup(const char *name)
{
  struct passwd pw, *res = NULL;
  char buf[4096];
  return getpwnam_r(name, &pw, buf, sizeof(buf), &res) == 0 && res != NULL;
}

static enum lr_verdict user_run(void *data, struct lr_exec *x)
{
  struct user_step *u = data;
  const struct lr_value *v = lr_entry_get(x->entry, u->field);
  if (!v || v->type != LR_VAL_STR || v->len == 0 || memchr(v->str, '\0', v->len))
    return LR_FAIL; /* Pyruse matched "" for an absent field: no user is called that */
  if (v->len >= CACHE_NAME_MAX)
    return lookup(v->str) ? LR_PASS : LR_FAIL;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < v->len; i++)
    h = (h ^ (uint8_t)v->str[i]) * 16777619u;
  struct cached_user *c = &u->cache[h % CACHE_SLOTS];
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (c->len == v->len && memcmp(c->name, v->str, v->len) == 0 && now.tv_sec < c->until)
    return c->exists ? LR_PASS : LR_FAIL;
  memcpy(c->name, v->str, v->len);
  c->name[v->len] = '\0';
  c->len = v->len;
  c->exists = lookup(c->name);
  c->until = now.tv_sec + CACHE_SECONDS;
  return c->exists ? LR_PASS : LR_FAIL;
}

static const struct lr_arg_decl user_args[] = {{"field", LR_ARG_FIELD, true}, {NULL}};

const struct lr_step_type lr_step_user_exists = {
  "filter_userExists", true, user_compile, user_run, free, user_args, NULL};
