/* Pyruse's value filters: equals, lowerOrEquals, greaterOrEquals, in. */
#include <stdio.h>
#include <stdlib.h>

#include "input/entry.h"
#include "rules/literal.h"
#include "steps/builtin.h"
#include "util/xalloc.h"

struct compare {
  lr_field_id field;
  int want; /* equals: 0; lowerOrEquals: -1; greaterOrEquals: +1 */
  size_t nvalues;
  struct lr_literal values[]; /* equals/compare: one; in: several */
};

static void compare_free(void *data)
{
  struct compare *c = data;
  for (size_t i = 0; i < c->nvalues; i++)
    lr_literal_clear(&c->values[i]);
  free(c);
}

static int compile_common(const json_t *args, const json_t *values, size_t n, int want,
                          void **data, char *err, size_t errlen)
{
  struct compare *c = lr_xcalloc(1, sizeof(*c) + (n ? n : 1) * sizeof(c->values[0]));
  c->want = want;
  if (lr_arg_field(args, "field", &c->field, err, errlen) < 0)
    goto fail;
  for (size_t i = 0; i < n; i++) {
    const json_t *v = json_is_array(values) ? json_array_get(values, i) : values;
    if (lr_literal_from_json(v, &c->values[i], err, errlen) < 0)
      goto fail;
    c->nvalues++;
  }
  *data = c;
  return 0;
fail:
  compare_free(c);
  return -1;
}

static int equals_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                          size_t errlen)
{
  (void)cc;
  return compile_common(args, json_object_get(args, "value"), 1, 0, data, err, errlen);
}

static int le_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                      size_t errlen)
{
  int rc = equals_compile(args, cc, data, err, errlen);
  if (rc == 0)
    ((struct compare *)*data)->want = -1;
  return rc;
}

static int ge_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                      size_t errlen)
{
  int rc = equals_compile(args, cc, data, err, errlen);
  if (rc == 0)
    ((struct compare *)*data)->want = 1;
  return rc;
}

static int in_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                      size_t errlen)
{
  (void)cc;
  const json_t *v = json_object_get(args, "values");
  return compile_common(args, v, json_array_size(v), 0, data, err, errlen);
}

static enum lr_verdict equals_run(void *data, struct lr_exec *x)
{
  const struct compare *c = data;
  const struct lr_value *v = lr_entry_get(x->entry, c->field);
  if (!v)
    return LR_FAIL;
  for (size_t i = 0; i < c->nvalues; i++)
    if (lr_literal_equals(&c->values[i], v))
      return LR_PASS;
  return LR_FAIL;
}

static enum lr_verdict order_run(void *data, struct lr_exec *x)
{
  const struct compare *c = data;
  const struct lr_value *v = lr_entry_get(x->entry, c->field);
  if (!v)
    return LR_FAIL;
  int cmp;
  if (!lr_literal_compare(&c->values[0], v, &cmp)) {
    snprintf(x->err, sizeof(x->err), "cannot order %s field %s against %s",
             lr_val_type_name(v->type), lr_fields_name(c->field),
             lr_val_type_name(c->values[0].type));
    return LR_ERROR;
  }
  return (c->want < 0 ? cmp <= 0 : cmp >= 0) ? LR_PASS : LR_FAIL;
}

static const struct lr_arg_decl value_args[] = {
  {"field", LR_ARG_FIELD, true}, {"value", LR_ARG_VALUE, true}, {NULL}};
static const struct lr_arg_decl values_args[] = {
  {"field", LR_ARG_FIELD, true}, {"values", LR_ARG_LIST, true}, {NULL}};

const struct lr_step_type lr_step_equals = {
  "filter_equals", true, equals_compile, equals_run, compare_free, value_args, NULL};
const struct lr_step_type lr_step_lower_or_equals = {
  "filter_lowerOrEquals", true, le_compile, order_run, compare_free, value_args, NULL};
const struct lr_step_type lr_step_greater_or_equals = {
  "filter_greaterOrEquals", true, ge_compile, order_run, compare_free, value_args, NULL};
const struct lr_step_type lr_step_in = {
  "filter_in", true, in_compile, equals_run, compare_free, values_args, NULL};
