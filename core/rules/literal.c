#include "rules/literal.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lr_literal_from_json(const json_t *j, struct lr_literal *out, char *err, size_t errlen)
{
  memset(out, 0, sizeof(*out));
  if (json_is_string(j)) {
    out->type = LR_VAL_STR;
    out->len = json_string_length(j);
    out->str = lr_xmalloc(out->len + 1);
    memcpy(out->str, json_string_value(j), out->len + 1);
  } else if (json_is_integer(j)) {
    out->type = LR_VAL_INT;
    out->num = (int64_t)json_integer_value(j);
  } else if (json_is_boolean(j)) { /* Python: True == 1 */
    out->type = LR_VAL_INT;
    out->num = json_is_true(j);
  } else if (json_is_real(j)) {
    /* 2.0 is the integer 2; the cast is defined only inside int64's range */
    double r = json_real_value(j);
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) {
      snprintf(err, errlen, "a number must be an integer between -2^63 and 2^63-1");
      return -1;
    }
    if ((double)(int64_t)r != r) {
      snprintf(err, errlen, "a value must be a string or an integer");
      return -1;
    }
    out->type = LR_VAL_INT;
    out->num = (int64_t)r;
  } else {
    snprintf(err, errlen, "a value must be a string or an integer");
    return -1;
  }
  return 0;
}

void lr_literal_clear(struct lr_literal *l)
{
  free(l->str);
  l->str = NULL;
}

bool lr_literal_equals(const struct lr_literal *l, const struct lr_value *v)
{
  if (l->type != v->type)
    return false;
  if (l->type == LR_VAL_INT)
    return l->num == v->num;
  return l->len == v->len && memcmp(l->str, v->str, l->len) == 0;
}

bool lr_literal_compare(const struct lr_literal *l, const struct lr_value *v, int *cmp)
{
  if (l->type != v->type)
    return false;
  if (l->type == LR_VAL_INT) {
    *cmp = (v->num > l->num) - (v->num < l->num);
    return true;
  }
  /* byte order of UTF-8 is code point order, as Python compares str */
  size_t n = v->len < l->len ? v->len : l->len;
  int c = memcmp(v->str, l->str, n);
  *cmp = c ? c : (v->len > l->len) - (v->len < l->len);
  return true;
}

const char *lr_val_type_name(enum lr_val_type t)
{
  switch (t) {
  case LR_VAL_STR: return "a string";
  case LR_VAL_INT: return "an integer";
  case LR_VAL_TIME: return "a time";
  default: return "nothing";
  }
}
