/* filter_pcre and filter_pcreAny: regex search, captures become fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/entry.h"
#include "rules/literal.h"
#include "util/regex.h"
#include "steps/builtin.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

struct capture {
  unsigned group;
  lr_field_id field;
};

struct pattern {
  struct lr_regex *re;
  size_t ncaptures;
  struct capture *captures; /* `save` names, then named groups */
};

struct pcre_step {
  lr_field_id field;
  size_t npatterns;
  struct pattern patterns[];
};

static void pcre_free(void *data)
{
  struct pcre_step *p = data;
  for (size_t i = 0; i < p->npatterns; i++) {
    lr_regex_free(p->patterns[i].re);
    free(p->patterns[i].captures);
  }
  free(p);
}

static int compile_pattern(const json_t *re, const json_t *save, struct pattern *out, char *err,
                           size_t errlen)
{
  if (!json_is_string(re)) {
    snprintf(err, errlen, "a regex must be a string");
    return -1;
  }
  char why[LR_ERR_MAX];
  out->re = lr_regex_compile(json_string_value(re), why, sizeof(why));
  if (!out->re) {
    snprintf(err, errlen, "regex /%s/: %s", json_string_value(re), why);
    return -1;
  }
  size_t nsave = json_array_size(save), nnamed = lr_regex_name_count(out->re);
  if (nsave > lr_regex_group_count(out->re)) {
    snprintf(err, errlen, "'save' names %zu fields but the regex has %u groups", nsave,
             lr_regex_group_count(out->re));
    return -1;
  }
  out->captures = lr_xcalloc(nsave + nnamed + 1, sizeof(*out->captures));
  for (size_t i = 0; i < nsave; i++) {
    const json_t *name = json_array_get(save, i);
    if (!json_is_string(name) ||
        (out->captures[i].field = lr_fields_intern(json_string_value(name),
                                                   json_string_length(name))) == (lr_field_id)-1) {
      snprintf(err, errlen, "save[%zu] is not a usable field name", i);
      return -1;
    }
    out->captures[i].group = (unsigned)i + 1;
  }
  for (unsigned k = 0; k < nnamed; k++) {
    unsigned group;
    const char *name = lr_regex_name(out->re, k, &group);
    lr_field_id id = lr_fields_intern(name, strlen(name));
    if (id == (lr_field_id)-1) {
      snprintf(err, errlen, "group '%s' cannot become a field (too many field names)", name);
      return -1;
    }
    out->captures[nsave + k] = (struct capture){group, id};
  }
  out->ncaptures = nsave + nnamed;
  return 0;
}

static int compile_any(const json_t *args, const json_t *res, const json_t *save, void **data,
                       char *err, size_t errlen)
{
  size_t n = json_is_array(res) ? json_array_size(res) : 1;
  struct pcre_step *p = lr_xcalloc(1, sizeof(*p) + n * sizeof(p->patterns[0]));
  if (lr_arg_field(args, "field", &p->field, err, errlen) < 0)
    goto fail;
  for (size_t i = 0; i < n; i++) {
    p->npatterns++;
    if (compile_pattern(json_is_array(res) ? json_array_get(res, i) : res, save,
                        &p->patterns[i], err, errlen) < 0)
      goto fail;
  }
  *data = p;
  return 0;
fail:
  pcre_free(p);
  return -1;
}

static int pcre_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                        size_t errlen)
{
  (void)cc;
  const json_t *re = json_object_get(args, "re");
  return compile_any(args, re, json_object_get(args, "save"), data, err, errlen);
}

static int pcre_any_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                            size_t errlen)
{
  (void)cc;
  const json_t *res = json_object_get(args, "re");
  if (json_array_size(res) == 0) {
    snprintf(err, errlen, "argument 're' must be a non-empty array of regexes");
    return -1;
  }
  return compile_any(args, res, NULL, data, err, errlen);
}

static enum lr_verdict pcre_run(void *data, struct lr_exec *x)
{
  const struct pcre_step *p = data;
  const struct lr_value *v = lr_entry_get(x->entry, p->field);
  const char *subject = "";
  size_t len = 0;
  if (v) {
    if (v->type != LR_VAL_STR) {
      snprintf(x->err, sizeof(x->err), "regex on %s field %s", lr_val_type_name(v->type),
               lr_fields_name(p->field));
      return LR_ERROR;
    }
    subject = v->str;
    len = v->len;
  }
  for (size_t i = 0; i < p->npatterns; i++) {
    const struct pattern *pat = &p->patterns[i];
    int rc = lr_regex_match(pat->re, subject, len);
    if (rc < 0) {
      char why[sizeof(x->err) - 64]; /* room for the words around it in x->err */
      snprintf(x->err, sizeof(x->err), "regex on %s: %s", lr_fields_name(p->field),
               lr_regex_error(pat->re, rc, why, sizeof(why)));
      return LR_ERROR;
    }
    if (rc == 0)
      continue;
    for (size_t k = 0; k < pat->ncaptures; k++) {
      size_t off, n;
      if (lr_regex_group(pat->re, pat->captures[k].group, &off, &n))
        lr_entry_set_str(x->entry, pat->captures[k].field, subject + off, n);
      else
        lr_entry_unset(x->entry, pat->captures[k].field);
    }
    return LR_PASS;
  }
  return LR_FAIL;
}

static const struct lr_arg_decl pcre_args[] = {
  {"field", LR_ARG_FIELD, true}, {"re", LR_ARG_STRING, true}, {"save", LR_ARG_LIST, false}, {NULL}};
static const struct lr_arg_decl pcre_any_args[] = {
  {"field", LR_ARG_FIELD, true}, {"re", LR_ARG_LIST, true}, {NULL}};

const struct lr_step_type lr_step_pcre = {"filter_pcre", true, pcre_compile, pcre_run, pcre_free,
                                          pcre_args, NULL};
const struct lr_step_type lr_step_pcre_any = {
  "filter_pcreAny", true, pcre_any_compile, pcre_run, pcre_free, pcre_any_args, NULL};
