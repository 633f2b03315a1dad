/* filter_inNetworks: is the field an IP address inside one of the networks? */
#include <stdio.h>
#include <stdlib.h>

#include "input/entry.h"
#include "util/ipnet.h"
#include "steps/builtin.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

struct networks {
  lr_field_id field;
  size_t n;
  struct lr_ipnet nets[];
};

static int networks_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                            size_t errlen)
{
  (void)cc;
  const json_t *nets = json_object_get(args, "nets");
  size_t n = json_array_size(nets);
  struct networks *w = lr_xcalloc(1, sizeof(*w) + (n ? n : 1) * sizeof(w->nets[0]));
  if (lr_arg_field(args, "field", &w->field, err, errlen) < 0)
    goto fail;
  for (size_t i = 0; i < n; i++) {
    const json_t *v = json_array_get(nets, i);
    char why[LR_ERR_MAX];
    if (!json_is_string(v)) {
      snprintf(err, errlen, "nets[%zu] must be a string", i);
      goto fail;
    }
    if (lr_ipnet_parse(json_string_value(v), &w->nets[i], why, sizeof(why)) < 0) {
      snprintf(err, errlen, "nets[%zu]: %s", i, why);
      goto fail;
    }
  }
  w->n = n;
  *data = w;
  return 0;
fail:
  free(w);
  return -1;
}

static enum lr_verdict networks_run(void *data, struct lr_exec *x)
{
  const struct networks *w = data;
  const struct lr_value *v = lr_entry_get(x->entry, w->field);
  if (!v)
    return LR_FAIL;
  struct lr_ipaddr a;
  if (v->type != LR_VAL_STR || !lr_ipaddr_parse(v->str, v->len, &a)) {
    snprintf(x->err, sizeof(x->err), "field %s is not an IP address", lr_fields_name(w->field));
    return LR_ERROR;
  }
  for (size_t i = 0; i < w->n; i++)
    if (lr_ipnet_contains(&w->nets[i], &a))
      return LR_PASS;
  return LR_FAIL;
}

static const struct lr_arg_decl networks_args[] = {
  {"field", LR_ARG_FIELD, true}, {"nets", LR_ARG_LIST, true}, {NULL}};

const struct lr_step_type lr_step_in_networks = {
  "filter_inNetworks", true, networks_compile, networks_run, free, networks_args, NULL};
