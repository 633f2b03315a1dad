/* action_dnatCapture and action_dnatReplace (the seed document): remember
 * which client hid behind a proxy-side address, and put the client back into
 * later entries that only show the proxy. The map itself is core/state/dnat.c, one of
 * the services that outlive reloads; the clock is the engine's now (x->now_usec). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/dnat.h"
#include "input/entry.h"
#include "input/fields.h"
#include "rules/services.h"
#include "steps/builtin.h"
#include "util/xalloc.h"

#define NO_FIELD ((unsigned)-1)
#define DEFAULT_KEEP_SECONDS 63


/* A field's value as text: integers (PRIORITY, ports typed by journald) in decimal. */
static bool field_text(struct lr_entry *e, unsigned id, char *numbuf, size_t numlen,
                       struct lr_dnat_str *out)
{
  const struct lr_value *v = id == NO_FIELD ? NULL : lr_entry_get(e, id);
  if (!v)
    return false;
  if (v->type == LR_VAL_STR) {
    *out = (struct lr_dnat_str){v->str, v->len};
  } else {
    int n = snprintf(numbuf, numlen, "%" PRId64, v->num);
    *out = (struct lr_dnat_str){numbuf, (size_t)n};
  }
  return true;
}

/* ---------------------------------------------------------------- capture */

struct capture_step {
  unsigned field[LR_DNAT_NFIELDS];  /* field references, NO_FIELD when not given */
  char *value[LR_DNAT_NFIELDS];     /* plain values (defaults), NULL when not given */
  unsigned keep_seconds;
  char num[LR_DNAT_NFIELDS][24];
};

static const char *const capture_names[LR_DNAT_NFIELDS] = {"saddr", "sport", "addr",
                                                           "port", "daddr", "dport"};

static void capture_free(void *data)
{
  struct capture_step *c = data;
  for (int i = 0; i < LR_DNAT_NFIELDS; i++)
    free(c->value[i]);
  free(c);
}

/* "portValue": "22" or 22 (Pyruse's JSON accepts both; the compiler checked it is one). */
static void plain_value(const json_t *args, const char *key, char **out)
{
  const json_t *v = json_object_get(args, key);
  *out = NULL;
  if (json_is_string(v)) {
    *out = lr_xstrndup(json_string_value(v), json_string_length(v));
  } else if (json_is_integer(v)) {
    char buf[24];
    snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    *out = lr_xstrdup(buf);
  }
}

static int capture_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                           size_t errlen)
{
  (void)cc;
  struct capture_step *c = lr_xcalloc(1, sizeof(*c));
  c->keep_seconds = DEFAULT_KEEP_SECONDS;
  for (int i = 0; i < LR_DNAT_NFIELDS; i++) {
    /* saddr (and sport) are field references only: a constant client is no client */
    if (lr_arg_field(args, capture_names[i], &c->field[i], err, errlen) < 0)
      goto fail;
    if (i >= LR_DNAT_F_ADDR) {
      char key[16];
      snprintf(key, sizeof(key), "%sValue", capture_names[i]);
      plain_value(args, key, &c->value[i]);
    }
  }
  if (c->field[LR_DNAT_F_ADDR] == NO_FIELD && !c->value[LR_DNAT_F_ADDR]) {
    snprintf(err, errlen, "'addr' or 'addrValue' is required");
    goto fail;
  }
  long long keep = DEFAULT_KEEP_SECONDS;
  if (lr_arg_int(args, "keepSeconds", &keep, err, errlen) < 0)
    goto fail;
  if (keep < 0 || keep > 31536000) {
    snprintf(err, errlen, "'keepSeconds' must be between 0 and 31536000 (a year)");
    goto fail;
  }
  c->keep_seconds = (unsigned)keep;
  *data = c;
  return 0;
fail:
  capture_free(c);
  return -1;
}

static enum lr_verdict capture_run(void *data, struct lr_exec *x)
{
  struct capture_step *c = data;
  struct lr_dnat_values v = {0};
  for (int i = 0; i < LR_DNAT_NFIELDS; i++)
    if (!field_text(x->entry, c->field[i], c->num[i], sizeof(c->num[i]), &v.field[i]) &&
        c->value[i])
      v.field[i] = (struct lr_dnat_str){c->value[i], strlen(c->value[i])};
  bool stored = false;
  /* no saddr or addr: nothing to remember (Pyruse does the same) */
  if (x->svc && x->svc->dnat && v.saddr.s && v.addr.s) {
    int64_t now = x->now_usec / 1000000; /* mappings live in the entries' time */
    /* saved at the next flush, where a state database holds the services */
    stored = lr_dnat_capture(x->svc->dnat, &v, c->keep_seconds, now);
    if (stored && x->svc->st)
      lr_services_dnat_captured(x->svc, &v, lr_dnat_bits(c->keep_seconds), now);
  }
  if (x->capture && x->capture_all)
    x->capture(x->capture_opaque,
               &(struct lr_captured){.action = "action_dnatCapture", .mapping = &v,
                                     .seconds = c->keep_seconds, .not_stored = !stored});
  return LR_PASS;
}

/* The seed's arguments: saddr is a field reference only (a constant client is
 * no client); the others may also be given as plain values. */
static const struct lr_arg_decl capture_args[] = {
  {"saddr", LR_ARG_FIELD, true},      {"sport", LR_ARG_FIELD, false},
  {"addr", LR_ARG_FIELD, false},      {"addrValue", LR_ARG_TEXT, false},
  {"port", LR_ARG_FIELD, false},      {"portValue", LR_ARG_TEXT, false},
  {"daddr", LR_ARG_FIELD, false},     {"daddrValue", LR_ARG_TEXT, false},
  {"dport", LR_ARG_FIELD, false},     {"dportValue", LR_ARG_TEXT, false},
  {"keepSeconds", LR_ARG_INT, false}, {NULL}};

const struct lr_step_type lr_step_dnat_capture = {"action_dnatCapture", false, capture_compile,
                                                  capture_run, capture_free, capture_args, NULL};

/* ---------------------------------------------------------------- replace */

struct replace_step {
  unsigned mask;
  unsigned match[LR_DNAT_NFIELDS]; /* fields read for addr, port, daddr, dport */
  unsigned saddr_into, sport_into;
  char num[LR_DNAT_NFIELDS][24];
};

static int replace_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                           size_t errlen)
{
  (void)cc; /* the map is indexed in replace_activate */
  struct replace_step *r = lr_xcalloc(1, sizeof(*r));
  for (int i = 0; i < LR_DNAT_NFIELDS; i++)
    r->match[i] = NO_FIELD;
  for (int i = LR_DNAT_F_ADDR; i < LR_DNAT_NFIELDS; i++) {
    if (lr_arg_field(args, capture_names[i], &r->match[i], err, errlen) < 0)
      goto fail;
    if (r->match[i] != NO_FIELD)
      r->mask |= 1u << (i - LR_DNAT_F_ADDR);
  }
  if (!r->mask) {
    snprintf(err, errlen, "at least one of 'addr', 'port', 'daddr', 'dport' is required");
    goto fail;
  }
  if (lr_arg_field(args, "saddrInto", &r->saddr_into, err, errlen) < 0 ||
      lr_arg_field(args, "sportInto", &r->sport_into, err, errlen) < 0)
    goto fail;
  if (r->saddr_into == NO_FIELD && r->sport_into == NO_FIELD) {
    snprintf(err, errlen, "'saddrInto' or 'sportInto' is required");
    goto fail;
  }
  *data = r;
  return 0;
fail:
  free(r);
  return -1;
}

/* The map is indexed on this step's match fields before the first entry,
 * once the rule file is known to be good. */
static void replace_activate(void *data, struct lr_services *svc)
{
  struct replace_step *r = data;
  if (svc->dnat)
    lr_dnat_index(svc->dnat, r->mask);
}

/* The mapping found and put into the entry, or NULL when none was. */
static const struct lr_dnat_values *replace_lookup(struct replace_step *r, struct lr_exec *x,
                                                   struct lr_dnat_values *found)
{
  if (!x->svc || !x->svc->dnat)
    return NULL;
  struct lr_dnat_values q = {0};
  for (int i = LR_DNAT_F_ADDR; i < LR_DNAT_NFIELDS; i++)
    if (r->match[i] != NO_FIELD &&
        !field_text(x->entry, r->match[i], r->num[i], sizeof(r->num[i]), &q.field[i]))
      return NULL; /* the entry must hold every match field */
  if (!lr_dnat_lookup(x->svc->dnat, r->mask, &q, x->now_usec / 1000000, found))
    return NULL;
  if (r->saddr_into != NO_FIELD)
    lr_entry_set_str(x->entry, r->saddr_into, found->saddr.s, found->saddr.len);
  if (r->sport_into != NO_FIELD && found->sport.s)
    lr_entry_set_str(x->entry, r->sport_into, found->sport.s, found->sport.len);
  return found;
}

static enum lr_verdict replace_run(void *data, struct lr_exec *x)
{
  struct replace_step *r = data;
  struct lr_dnat_values found;
  const struct lr_dnat_values *m = replace_lookup(r, x, &found);
  if (x->capture && x->capture_all) /* also when nothing was found: the step changed nothing */
    x->capture(x->capture_opaque,
               &(struct lr_captured){
                 .action = "action_dnatReplace", .mapping = m,
                 .saddr_into = m && r->saddr_into != NO_FIELD ? lr_fields_name(r->saddr_into) : NULL,
                 .sport_into = m && r->sport_into != NO_FIELD && m->sport.s
                                 ? lr_fields_name(r->sport_into) : NULL});
  return LR_PASS;
}

static const struct lr_arg_decl replace_args[] = {
  {"addr", LR_ARG_FIELD, false},      {"port", LR_ARG_FIELD, false},
  {"daddr", LR_ARG_FIELD, false},     {"dport", LR_ARG_FIELD, false},
  {"saddrInto", LR_ARG_FIELD, false}, {"sportInto", LR_ARG_FIELD, false}, {NULL}};

const struct lr_step_type lr_step_dnat_replace = {"action_dnatReplace", false, replace_compile,
                                                  replace_run, free, replace_args,
                                                  replace_activate};
