/* Constant values from rule arguments, compared with entry values with
 * Python's rules: == between different types is simply false, ordering
 * between different types is an error (Python raises TypeError).
 *
 *   struct lr_literal lit; lr_literal_from_json(json_integer(3), &lit, err, n);
 *   if (lr_literal_equals(&lit, v)) ...
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>

#include "input/entry.h"

struct lr_literal {
  enum lr_val_type type; /* LR_VAL_STR or LR_VAL_INT */
  char *str;
  size_t len;
  int64_t num;
};

int lr_literal_from_json(const json_t *j, struct lr_literal *out, char *err, size_t errlen);
void lr_literal_clear(struct lr_literal *l);
bool lr_literal_equals(const struct lr_literal *l, const struct lr_value *v);
/* <0, 0, >0 as value compares to literal; false when the types cannot be ordered. */
bool lr_literal_compare(const struct lr_literal *l, const struct lr_value *v, int *cmp);
const char *lr_val_type_name(enum lr_val_type t);
