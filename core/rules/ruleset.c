#include "rules/ruleset.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"
#include "rules/rules.h"

struct lr_ruleset *lr_ruleset_new(const char *path, struct lr_rules *rules, void *front,
                                  void (*front_free)(void *), const char *product, char *err,
                                  size_t errlen)
{
  struct lr_ruleset *rs = lr_xcalloc(1, sizeof(*rs));
  rs->path = lr_xstrdup(path);
  rs->rules = rules;
  rs->front = front;
  rs->front_free = front_free;
  lr_settings_init(&rs->settings, product);
  if (lr_settings_configure(&rs->settings, rules->settings, err, errlen) < 0) {
    lr_ruleset_free(rs);
    return NULL;
  }
  return rs;
}

int lr_ruleset_compile(struct lr_ruleset *rs, struct lr_services *svc, char *err, size_t errlen)
{
  lr_assert(rs->wf == NULL); /* steps hold what they resolved in svc */
  struct lr_compile_ctx cc = rs->custom;
  cc.settings = &rs->settings;
  cc.svc = svc;
  rs->wf = lr_workflow_build(rs->rules, &cc, err, errlen);
  rs->svc = svc;
  return rs->wf ? 0 : -1;
}

void lr_ruleset_free(struct lr_ruleset *rs)
{
  if (!rs)
    return;
  lr_workflow_free(rs->wf); /* before the Lua state its custom steps point into */
  if (rs->front_free)
    rs->front_free(rs->front);
  else
    lr_rules_free(rs->rules);
  lr_settings_free(&rs->settings);
  free(rs->path);
  free(rs);
}

const char *lr_ruleset_storage(const struct lr_ruleset *rs, const char *override)
{
  if (override)
    return override;
  const json_t *s = json_object_get(rs->rules->settings, "storage");
  return json_is_string(s) ? json_string_value(s) : LR_DEFAULT_STORAGE;
}
