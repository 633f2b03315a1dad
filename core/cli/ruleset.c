#include "ruleset.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"


struct lr_ruleset *lr_ruleset_load(const char *path, char *err, size_t errlen)
{
  struct lr_ruleset *rs = calloc(1, sizeof(*rs));
  rs->path = strdup(path);
  lr_runtime_init(&rs->rt);
  if (lr_rules_load_any(path, &rs->rules, err, errlen) < 0)
    goto fail;
  if (!rs->rules.lua) /* pyruse.json: Pyruse's default subjects and report title */
    lr_runtime_set_product(&rs->rt, "Pyruse");
  if (lr_runtime_configure(&rs->rt, rs->rules.rules->settings, err, errlen) < 0)
    goto fail;
  struct lr_compile_ctx cc = {.rt = &rs->rt};
  if (rs->rules.lua)
    lr_lua_rules_compile_ctx(rs->rules.lua, &cc);
  rs->wf = lr_workflow_build(rs->rules.rules, &cc, err, errlen);
  if (!rs->wf)
    goto fail;
  return rs;
fail:
  lr_ruleset_free(rs);
  return NULL;
}

void lr_ruleset_free(struct lr_ruleset *rs)
{
  if (!rs)
    return;
  lr_workflow_free(rs->wf); /* before the Lua state its custom steps point into */
  lr_loaded_rules_free(&rs->rules);
  lr_runtime_free(&rs->rt);
  free(rs->path);
  free(rs);
}

const char *lr_ruleset_storage(const struct lr_ruleset *rs, const char *override)
{
  if (override)
    return override;
  const json_t *s = json_object_get(rs->rules.rules->settings, "storage");
  return json_is_string(s) ? json_string_value(s) : LR_DEFAULT_STORAGE;
}
