/* Step arguments: the one check against a step type's declaration, and the
 * readers the step types use once it passed. */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "input/fields.h"
#include "rules/step.h"

static const struct lr_arg_decl *find_decl(const struct lr_arg_decl *decl, const char *name)
{
  for (; decl && decl->name; decl++)
    if (strcmp(decl->name, name) == 0)
      return decl;
  return NULL;
}

static bool kind_ok(enum lr_arg_kind kind, const json_t *v)
{
  switch (kind) {
  case LR_ARG_STRING:
  case LR_ARG_FIELD:
    return json_is_string(v);
  case LR_ARG_INT:
    return json_is_integer(v);
  case LR_ARG_LIST:
    return json_is_array(v);
  case LR_ARG_VALUE:
    return json_is_string(v) || json_is_number(v) || json_is_boolean(v);
  case LR_ARG_TEXT:
    return json_is_string(v) || json_is_integer(v);
  }
  return false;
}

static const char *kind_name(enum lr_arg_kind kind)
{
  switch (kind) {
  case LR_ARG_STRING: return "a string";
  case LR_ARG_FIELD: return "a field name (a string)";
  case LR_ARG_INT: return "an integer";
  case LR_ARG_LIST: return "an array";
  case LR_ARG_VALUE: return "a string, a number or a boolean";
  case LR_ARG_TEXT: return "a string or an integer";
  }
  return "?";
}

int lr_step_args_check(const struct lr_step_type *t, const json_t *args, char *err,
                       size_t errlen)
{
  if (!json_is_object(args)) {
    snprintf(err, errlen, "arguments must be named (an object)");
    return -1;
  }
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)args, key, v) {
    const struct lr_arg_decl *d = find_decl(t->args, key);
    if (!d) {
      struct lr_buf list = {0};
      for (const struct lr_arg_decl *a = t->args; a && a->name; a++)
        lr_buf_printf(&list, "%s%s", a == t->args ? "" : ", ", a->name);
      snprintf(err, errlen, "unknown argument '%s' (takes: %s)", key,
               list.data ? list.data : "no arguments");
      lr_buf_free(&list);
      return -1;
    }
    if (!kind_ok(d->kind, v)) {
      snprintf(err, errlen, "argument '%s' must be %s", key, kind_name(d->kind));
      return -1;
    }
  }
  for (const struct lr_arg_decl *a = t->args; a && a->name; a++)
    if (a->required && !json_object_get(args, a->name)) {
      snprintf(err, errlen, "missing argument '%s'", a->name);
      return -1;
    }
  return 0;
}

int lr_arg_string(const json_t *args, const char *key, const char **out, char *err,
                  size_t errlen)
{
  const json_t *v = json_object_get(args, key);
  *out = NULL;
  if (!v)
    return 0;
  if (!json_is_string(v)) { /* only for an argument the type forgot to declare */
    snprintf(err, errlen, "argument '%s' must be a string", key);
    return -1;
  }
  *out = json_string_value(v);
  return 0;
}

int lr_arg_field(const json_t *args, const char *key, unsigned *out_id, char *err,
                 size_t errlen)
{
  const char *name;
  *out_id = (unsigned)-1;
  if (lr_arg_string(args, key, &name, err, errlen) < 0)
    return -1;
  if (!name)
    return 0;
  lr_field_id id = lr_fields_intern(name, strlen(name));
  if (id == (lr_field_id)-1) {
    snprintf(err, errlen, "argument '%s': '%s' is not a usable field name", key, name);
    return -1;
  }
  *out_id = id;
  return 0;
}

int lr_arg_int(const json_t *args, const char *key, long long *out, char *err, size_t errlen)
{
  const json_t *v = json_object_get(args, key);
  if (!v)
    return 0;
  if (!json_is_integer(v)) {
    snprintf(err, errlen, "argument '%s' must be an integer", key);
    return -1;
  }
  *out = (long long)json_integer_value(v);
  return 0;
}
