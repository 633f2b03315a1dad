#include "rules/ruleset.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"
#include "rules/rules.h"

#include <stdio.h>

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

static bool in_table(const json_t *args, const char *key, const char *prefix, size_t plen)
{
  const char *s = json_string_value(json_object_get(args, key));
  return s && strncmp(s, prefix, plen) == 0;
}

bool lr_ruleset_uses_own_table(const struct lr_ruleset *rs)
{
  const char *table = rs->settings.ban.table;
  if (!*table)
    return false;
  char prefix[LR_BAN_TABLE_NAME_MAX + 8];
  int plen = snprintf(prefix, sizeof(prefix), "inet %s ", table);
  for (size_t c = 0; c < rs->rules->nchains; c++)
    for (size_t i = 0; i < rs->rules->chains[c].nsteps; i++) {
      const struct lr_rule_step *s = &rs->rules->chains[c].steps[i];
      if (!strcmp(s->type, "action_jail") && !json_object_get(s->args, "ipSetIPv4") &&
          (!json_object_get(s->args, "nftSetIPv4") || !json_object_get(s->args, "nftSetIPv6")))
        return true;
      if (in_table(s->args, "nftSetIPv4", prefix, (size_t)plen) ||
          in_table(s->args, "nftSetIPv6", prefix, (size_t)plen))
        return true;
    }
  return false;
}
