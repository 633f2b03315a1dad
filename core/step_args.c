/* Argument readers shared by the step types: one wording for every error. */
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "step.h"

int lr_arg_string(const json_t *args, const char *key, bool required, const char **out,
                  char *err, size_t errlen)
{
  const json_t *v = json_object_get(args, key);
  if (!v) {
    *out = NULL;
    if (required) {
      snprintf(err, errlen, "missing argument '%s'", key);
      return -1;
    }
    return 0;
  }
  if (!json_is_string(v)) {
    snprintf(err, errlen, "argument '%s' must be a string", key);
    return -1;
  }
  *out = json_string_value(v);
  return 0;
}

int lr_arg_field(const json_t *args, const char *key, bool required, unsigned *out_id,
                 char *err, size_t errlen)
{
  const char *name;
  if (lr_arg_string(args, key, required, &name, err, errlen) < 0)
    return -1;
  if (!name) {
    *out_id = (unsigned)-1;
    return 0;
  }
  lr_field_id id = lr_fields_intern(name, strlen(name));
  if (id == (lr_field_id)-1) {
    snprintf(err, errlen, "argument '%s': '%s' is not a usable field name", key, name);
    return -1;
  }
  *out_id = id;
  return 0;
}

int lr_arg_int(const json_t *args, const char *key, bool required, long long *out, char *err,
               size_t errlen)
{
  const json_t *v = json_object_get(args, key);
  if (!v) {
    if (required) {
      snprintf(err, errlen, "missing argument '%s'", key);
      return -1;
    }
    return 0;
  }
  if (!json_is_integer(v)) {
    snprintf(err, errlen, "argument '%s' must be an integer", key);
    return -1;
  }
  *out = (long long)json_integer_value(v);
  return 0;
}
