#include "rules/pyruse_json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/log.h"
#include "rules/rules.h"
#include "rules/settings.h"

/* Pyruse ignored keys it did not know; so does luruse, but it says so: a
 * misspelt "storage" must not go unnoticed. */
static void warn_unknown_setting(const char *path, const char *key)
{
  struct lr_buf known = {0};
  for (const char *const *k = lr_settings_keys; *k; k++)
    lr_buf_printf(&known, ", %s", *k);
  lr_log(LOG_WARNING, "%s: unknown top-level key '%s' ignored (known: actions%s)", path, key,
         known.data);
  lr_buf_free(&known);
}

static int load_step(struct lr_rule_chain *c, const char *label, size_t index, json_t *step,
                     char *err, size_t errlen)
{
  char origin[300];
  snprintf(origin, sizeof(origin), "%s[%zu]", label, index);
  if (!json_is_object(step)) {
    snprintf(err, errlen, "%s: a step must be an object", origin);
    return -1;
  }
  json_t *filter = json_object_get(step, "filter"), *action = json_object_get(step, "action");
  json_t *name = filter ? filter : action;
  if ((filter && action) || !json_is_string(name)) {
    snprintf(err, errlen, "%s: a step needs exactly one of \"filter\" or \"action\" (a string)",
             origin);
    return -1;
  }
  const char *type = json_string_value(name);
  if ((filter && strncmp(type, "filter_", 7) != 0) || (action && strncmp(type, "action_", 7) != 0)) {
    snprintf(err, errlen, "%s: '%s' is not a%s", origin, type, filter ? " filter" : "n action");
    return -1;
  }
  json_t *args = json_object_get(step, "args");
  if (args && !json_is_object(args)) {
    snprintf(err, errlen, "%s: \"args\" must be an object", origin);
    return -1;
  }
  json_t *then_ = json_object_get(step, "then"), *else_ = json_object_get(step, "else");
  if ((then_ && !json_is_string(then_)) || (else_ && !json_is_string(else_))) {
    snprintf(err, errlen, "%s: \"then\" and \"else\" must name a chain", origin);
    return -1;
  }
  lr_rules_add_step(c, type, args ? json_incref(args) : NULL,
                    then_ ? json_string_value(then_) : NULL,
                    else_ ? json_string_value(else_) : NULL, origin);
  return 0;
}

struct lr_rules *lr_pyruse_json_load(const char *path, char *err, size_t errlen)
{
  json_error_t jerr;
  json_t *root = json_load_file(path, JSON_ALLOW_NUL, &jerr);
  if (!root) {
    snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    return NULL;
  }
  struct lr_rules *r = NULL;
  json_t *actions = json_object_get(root, "actions");
  if (!json_is_object(root) || !json_is_object(actions)) {
    snprintf(err, errlen, "%s: expected an object with an \"actions\" object", path);
    goto out;
  }
  r = lr_rules_new(path);
  const char *key;
  json_t *value;
  json_object_foreach(root, key, value) {
    if (strcmp(key, "actions") == 0)
      continue;
    if (!lr_settings_key_known(key))
      warn_unknown_setting(path, key);
    json_object_set(r->settings, key, value);
  }
  json_object_foreach(actions, key, value) {
    if (!json_is_array(value)) {
      snprintf(err, errlen, "%s: chain '%s' must be an array of steps", path, key);
      goto fail;
    }
    struct lr_rule_chain *c = lr_rules_add_chain(r, key, path);
    size_t i;
    json_t *step;
    json_array_foreach(value, i, step) {
      if (load_step(c, key, i, step, err, errlen) < 0)
        goto fail;
    }
  }
  goto out;
fail:
  lr_rules_free(r);
  r = NULL;
out:
  json_decref(root);
  return r;
}
