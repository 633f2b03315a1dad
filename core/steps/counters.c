/* action_counterRaise, action_counterReset and luruse's action_counterLower:
 * fail2ban-style counters (core/state/counters.c), one per value of the `for` field
 * in a named category shared by every step naming it. The store is a service
 * (core/rules/services.h), so counts outlive rule reloads; each step resolves its
 * category once, when compiled against the services. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/counters.h"
#include "input/entry.h"
#include "input/fields.h"
#include "rules/services.h"
#include "steps/builtin.h"
#include "util/xalloc.h"

enum counter_op { RAISE, RESET, LOWER };

struct counter_step {
  enum counter_op op;
  char *category;
  unsigned key_field, save_field; /* save: (unsigned)-1 when not given */
  long long seconds;              /* keepSeconds (raise) or graceSeconds (reset); 0: none */
  struct lr_counter_cat *cat;     /* NULL without a counters service */
  char num[24];
};

static void counter_free(void *data)
{
  struct counter_step *c = data;
  free(c->category);
  free(c);
}

static int counter_compile(enum counter_op op, const json_t *args, struct lr_compile_ctx *cc,
                           void **data, char *err, size_t errlen)
{
  (void)cc; /* the category is resolved in counter_activate */
  const char *category;
  struct counter_step *c = lr_xcalloc(1, sizeof(*c));
  c->op = op;
  const char *seconds_arg = op == RAISE ? "keepSeconds" : op == RESET ? "graceSeconds" : NULL;
  if (lr_arg_string(args, "counter", &category, err, errlen) < 0 ||
      lr_arg_field(args, "for", &c->key_field, err, errlen) < 0 ||
      lr_arg_field(args, "save", &c->save_field, err, errlen) < 0 ||
      (seconds_arg && lr_arg_int(args, seconds_arg, &c->seconds, err, errlen) < 0)) {
    free(c);
    return -1;
  }
  if (c->seconds < 0) {
    snprintf(err, errlen, "'%s' must not be negative", seconds_arg ? seconds_arg : "seconds");
    free(c);
    return -1;
  }
  if (strlen(category) > LR_COUNTERS_MAX_CATEGORY) {
    snprintf(err, errlen, "'counter' is longer than %d bytes", LR_COUNTERS_MAX_CATEGORY);
    free(c);
    return -1;
  }
  c->category = lr_xstrdup(category);
  *data = c;
  return 0;
}

static void counter_activate(void *data, struct lr_services *svc)
{
  struct counter_step *c = data;
  if (svc->counters)
    c->cat = lr_counters_category(svc->counters, c->category);
}

static int raise_compile(const json_t *a, struct lr_compile_ctx *cc, void **d, char *e, size_t n)
{
  return counter_compile(RAISE, a, cc, d, e, n);
}
static int reset_compile(const json_t *a, struct lr_compile_ctx *cc, void **d, char *e, size_t n)
{
  return counter_compile(RESET, a, cc, d, e, n);
}
static int lower_compile(const json_t *a, struct lr_compile_ctx *cc, void **d, char *e, size_t n)
{
  return counter_compile(LOWER, a, cc, d, e, n);
}

static enum lr_verdict counter_run(void *data, struct lr_exec *x)
{
  struct counter_step *c = data;
  if (!c->cat)
    return LR_PASS;
  const struct lr_value *v = lr_entry_get(x->entry, c->key_field);
  if (!v) {
    snprintf(x->err, sizeof(x->err), "field '%s' is absent", lr_fields_name(c->key_field));
    return LR_ERROR;
  }
  const char *key = v->str;
  size_t len = v->len;
  if (v->type != LR_VAL_STR) {
    len = (size_t)snprintf(c->num, sizeof(c->num), "%" PRId64, v->num);
    key = c->num;
  }
  int64_t now = x->now_usec / 1000000; /* ticks expire in the entries' time */
  long count = c->op == RAISE   ? lr_counters_raise(c->cat, key, len, c->seconds, now)
               : c->op == RESET ? lr_counters_reset(c->cat, key, len, c->seconds, now)
                                : lr_counters_lower(c->cat, key, len, now);
  if (count < 0) {
    snprintf(x->err, sizeof(x->err), "counter key longer than %d bytes refused",
             LR_COUNTERS_MAX_KEY);
    return LR_ERROR;
  }
  if (c->save_field != (unsigned)-1)
    lr_entry_set_int(x->entry, c->save_field, count);
  if (x->capture && x->capture_all) {
    static const char *const names[] = {"action_counterRaise", "action_counterReset",
                                        "action_counterLower"};
    x->capture(x->capture_opaque,
               &(struct lr_captured){.action = names[c->op], .counter = c->category,
                                     .key = key, .key_len = len, .count = count});
  }
  return LR_PASS;
}

static const struct lr_arg_decl raise_args[] = {
  {"counter", LR_ARG_STRING, true}, {"for", LR_ARG_FIELD, true},
  {"keepSeconds", LR_ARG_INT, false}, {"save", LR_ARG_FIELD, false}, {NULL}};
static const struct lr_arg_decl reset_args[] = {
  {"counter", LR_ARG_STRING, true}, {"for", LR_ARG_FIELD, true},
  {"graceSeconds", LR_ARG_INT, false}, {"save", LR_ARG_FIELD, false}, {NULL}};
static const struct lr_arg_decl lower_args[] = {
  {"counter", LR_ARG_STRING, true}, {"for", LR_ARG_FIELD, true},
  {"save", LR_ARG_FIELD, false}, {NULL}};

const struct lr_step_type lr_step_counter_raise = {"action_counterRaise", false, raise_compile,
                                                   counter_run, counter_free, raise_args,
                                                   counter_activate};
const struct lr_step_type lr_step_counter_reset = {"action_counterReset", false, reset_compile,
                                                   counter_run, counter_free, reset_args,
                                                   counter_activate};
const struct lr_step_type lr_step_counter_lower = {"action_counterLower", false, lower_compile,
                                                   counter_run, counter_free, lower_args,
                                                   counter_activate};
