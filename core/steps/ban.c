/* action_nftBan and action_ipsetBan (Pyruse's arguments, plus luruse's
 * prefixIPv4 / prefixIPv6 for network bans), and luruse's action_exec.
 *
 * The address comes from a log line: it is parsed and canonicalised
 * (core/defence/ban_target.h) before anything else, and a value that is no IPv4 or
 * IPv6 address stops the action with an error, logged escaped, before any
 * record, statement or command. The bans service (core/defence/bans.h) records and
 * applies; without it (luruse.so, for rule authors' specs) the step reports
 * what it would do through the exec context's capture hook (x->capture). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "defence/ban_target.h"
#include "defence/bans.h"
#include "defence/exec.h"
#include "input/entry.h"
#include "input/fields.h"
#include "notify/notify.h"
#include "rules/services.h"
#include "steps/builtin.h"
#include "rules/template.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

#define NFT_MAX_BAN_SECONDS 2147483647LL  /* what nft's "timeout Ns" surely takes */
#define EXEC_DEFAULT_TIMEOUT 10           /* seconds */
#define EXEC_MAX_TIMEOUT 3600
#define EXEC_MAX_ARGS 256

/* ---------------------------------------------------------------- bans */

struct ban_step {
  enum lr_ban_backend backend;
  const char *type;        /* "action_nftBan" */
  unsigned ip_field;
  char *set4, *set6;
  unsigned seconds;        /* 0: permanent */
  unsigned prefix4, prefix6; /* 0: the address alone */
  struct lr_buf text;      /* statement for the capture hook */
};

static void ban_free(void *data)
{
  struct ban_step *s = data;
  free(s->set4);
  free(s->set6);
  lr_buf_free(&s->text);
  free(s);
}

/* nft set specs: valid, and of a family that can hold the addresses. */
static int nft_set_arg(const char *key, const char *spec, bool v6, char *err, size_t errlen)
{
  char why[LR_ERR_MAX];
  if (lr_ban_nft_set_parse(spec, why, sizeof(why)) < 0) {
    snprintf(err, errlen, "argument '%s': %s", key, why);
    return -1;
  }
  const char *wrong = v6 ? "ip " : "ip6 ";
  if (!lr_ban_nft_family_holds(spec, v6)) {
    snprintf(err, errlen, "argument '%s': a table of family %.*s cannot hold IPv%c addresses "
                          "(use %s or inet)", key, (int)strlen(wrong) - 1, wrong, v6 ? '6' : '4',
             v6 ? "ip6" : "ip");
    return -1;
  }
  return 0;
}

static int prefix_arg(const json_t *args, const char *key, unsigned max, unsigned *out,
                      char *err, size_t errlen)
{
  long long v = 0;
  if (lr_arg_int(args, key, &v, err, errlen) < 0)
    return -1;
  if (json_object_get(args, key) && (v < 1 || v > max)) {
    snprintf(err, errlen, "argument '%s' must be a prefix length from 1 to %u "
                          "(absent: the address alone)", key, max);
    return -1;
  }
  *out = (unsigned)v == max ? 0 : (unsigned)v;
  return 0;
}

static int ban_compile(enum lr_ban_backend backend, const json_t *args, void **data, char *err,
                       size_t errlen)
{
  bool nft = backend == LR_BAN_NFT;
  const char *k4 = nft ? "nftSetIPv4" : "ipSetIPv4", *k6 = nft ? "nftSetIPv6" : "ipSetIPv6";
  const char *set4, *set6;
  long long seconds = 0;
  struct ban_step *s = lr_xcalloc(1, sizeof(*s));
  s->backend = backend;
  s->type = nft ? "action_nftBan" : "action_ipsetBan";
  if (lr_arg_field(args, "IP", &s->ip_field, err, errlen) < 0 ||
      lr_arg_string(args, k4, &set4, err, errlen) < 0 ||
      lr_arg_string(args, k6, &set6, err, errlen) < 0 ||
      lr_arg_int(args, "banSeconds", &seconds, err, errlen) < 0 ||
      prefix_arg(args, "prefixIPv4", 32, &s->prefix4, err, errlen) < 0 ||
      prefix_arg(args, "prefixIPv6", 128, &s->prefix6, err, errlen) < 0)
    goto fail;
  if (nft) {
    if (nft_set_arg(k4, set4, false, err, errlen) < 0 || nft_set_arg(k6, set6, true, err, errlen) < 0)
      goto fail;
  } else {
    char why[LR_ERR_MAX];
    const char *bad = lr_ban_ipset_name_check(set4, why, sizeof(why)) < 0   ? k4
                      : lr_ban_ipset_name_check(set6, why, sizeof(why)) < 0 ? k6
                                                                            : NULL;
    if (bad) {
      snprintf(err, errlen, "argument '%s': %s", bad, why);
      goto fail;
    }
  }
  long long max = nft ? NFT_MAX_BAN_SECONDS : (long long)LR_BAN_IPSET_MAX_TIMEOUT;
  if (seconds < 0 || seconds > max) {
    snprintf(err, errlen, "argument 'banSeconds' must be from 0 to %lld seconds%s "
                          "(absent or 0: a permanent ban)", max,
             nft ? "" : ", ipset's longest timeout");
    goto fail;
  }
  s->seconds = (unsigned)seconds;
  s->set4 = lr_xstrdup(set4);
  s->set6 = lr_xstrdup(set6);
  *data = s;
  return 0;
fail:
  ban_free(s);
  return -1;
}

static int nft_ban_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                           size_t errlen)
{
  (void)cc;
  return ban_compile(LR_BAN_NFT, args, data, err, errlen);
}

static int ipset_ban_compile(const json_t *args, struct lr_compile_ctx *cc, void **data,
                             char *err, size_t errlen)
{
  (void)cc;
  return ban_compile(LR_BAN_IPSET, args, data, err, errlen);
}

/* Without the service: what would be done, for specs. */
static void ban_report(struct ban_step *s, struct lr_exec *x, const char *set,
                       const struct lr_ban_target *t)
{
  lr_ban_describe_add(&s->text, s->backend == LR_BAN_IPSET, set, t, s->seconds);
  x->capture(x->capture_opaque,
                 &(struct lr_captured){.action = s->type, .set = set, .ip = t->text,
                                       .seconds = s->seconds, .message = s->text.data,
                                       .message_len = s->text.len});
}

/* The daily report's figures: a ban made, or refused (a value that is no address). */
static void count(struct lr_exec *x, enum lr_report_count_kind kind, const char *a,
                  const char *b)
{
  if (x->svc && x->svc->notify)
    lr_notify_count(x->svc->notify, kind, a, strlen(a), b, b ? strlen(b) : 0, x->now_usec);
}

static enum lr_verdict ban_run(void *data, struct lr_exec *x)
{
  struct ban_step *s = data;
  const struct lr_value *v = lr_entry_get(x->entry, s->ip_field);
  if (!v) {
    snprintf(x->err, sizeof(x->err), "the entry has no field '%s' to ban",
             lr_fields_name(s->ip_field));
    return LR_ERROR;
  }
  char num[24];
  const char *value = v->str;
  size_t len = v->len;
  if (v->type != LR_VAL_STR) {
    snprintf(num, sizeof(num), "%" PRId64, v->num);
    value = num;
    len = strlen(num);
  }
  struct lr_ban_target t;
  char why[sizeof(x->err) - 64]; /* room for the words around it in x->err */
  if (lr_ban_target_parse(value, len, s->prefix4, s->prefix6, &t, why, sizeof(why)) < 0) {
    struct lr_buf q = {0};
    lr_ban_escape_for_log(&q, value, len);
    snprintf(x->err, sizeof(x->err), "refused to ban \"%s\" (field %s): %s", q.data,
             lr_fields_name(s->ip_field), why);
    lr_buf_free(&q);
    count(x, LR_COUNT_BAN_REFUSED, x->chain ? x->chain : s->type, NULL);
    return LR_ERROR;
  }
  const char *set = t.family == AF_INET ? s->set4 : s->set6;
  if (x->svc && x->svc->bans) {
    /* the wall clock, not the entry's: the firewall ends the ban by it */
    if (lr_bans_add(x->svc->bans, s->backend, set, &t, s->seconds, lr_wall_usec(), x->err,
                    sizeof(x->err)) < 0)
      return LR_ERROR;
    count(x, LR_COUNT_BAN, t.text, x->chain ? x->chain : set); /* the chain is Pyruse's jail */
  } else if (x->capture) {
    ban_report(s, x, set, &t);
  }
  return LR_PASS;
}

/* Pyruse's arguments, plus luruse's prefixes. */
static const struct lr_arg_decl nft_args[] = {
  {"IP", LR_ARG_FIELD, true},         {"nftSetIPv4", LR_ARG_STRING, true},
  {"nftSetIPv6", LR_ARG_STRING, true}, {"banSeconds", LR_ARG_INT, false},
  {"prefixIPv4", LR_ARG_INT, false},  {"prefixIPv6", LR_ARG_INT, false}, {NULL}};
static const struct lr_arg_decl ipset_args[] = {
  {"IP", LR_ARG_FIELD, true},        {"ipSetIPv4", LR_ARG_STRING, true},
  {"ipSetIPv6", LR_ARG_STRING, true}, {"banSeconds", LR_ARG_INT, false},
  {"prefixIPv4", LR_ARG_INT, false}, {"prefixIPv6", LR_ARG_INT, false}, {NULL}};

const struct lr_step_type lr_step_nft_ban = {"action_nftBan", false, nft_ban_compile, ban_run,
                                             ban_free, nft_args, NULL};
const struct lr_step_type lr_step_ipset_ban = {"action_ipsetBan", false, ipset_ban_compile,
                                               ban_run, ban_free, ipset_args, NULL};

/* ---------------------------------------------------------------- exec */

struct exec_step {
  struct lr_template **argv;
  size_t argc;
  unsigned timeout_ms;
  struct lr_buf rendered;  /* every argument, each followed by its NUL */
  size_t *offset, *len;
  const char **ptrs;       /* argc + 1, for the NULL */
};

static void exec_free(void *data)
{
  struct exec_step *s = data;
  for (size_t i = 0; i < s->argc; i++)
    lr_template_free(s->argv[i]);
  free(s->argv);
  free(s->offset);
  free(s->len);
  free(s->ptrs);
  lr_buf_free(&s->rendered);
  free(s);
}

static int exec_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                        size_t errlen)
{
  (void)cc;
  const json_t *argv = json_object_get(args, "argv");
  if (json_array_size(argv) == 0 ||
      json_array_size(argv) > EXEC_MAX_ARGS) {
    snprintf(err, errlen, "argument 'argv' must be a command: a list of 1 to %d strings "
                          "(templates from the second on)", EXEC_MAX_ARGS);
    return -1;
  }
  long long timeout = EXEC_DEFAULT_TIMEOUT;
  if (lr_arg_int(args, "timeoutSeconds", &timeout, err, errlen) < 0)
    return -1;
  if (timeout < 1 || timeout > EXEC_MAX_TIMEOUT) {
    snprintf(err, errlen, "argument 'timeoutSeconds' must be from 1 to %d", EXEC_MAX_TIMEOUT);
    return -1;
  }
  struct exec_step *s = lr_xcalloc(1, sizeof(*s));
  size_t n = json_array_size(argv);
  s->argv = lr_xcalloc(n, sizeof(*s->argv));
  s->offset = lr_xcalloc(n, sizeof(*s->offset));
  s->len = lr_xcalloc(n, sizeof(*s->len));
  s->ptrs = lr_xcalloc(n + 1, sizeof(*s->ptrs));
  s->timeout_ms = (unsigned)timeout * 1000;
  for (size_t i = 0; i < n; i++) {
    const json_t *a = json_array_get(argv, i);
    if (!json_is_string(a) || strlen(json_string_value(a)) != json_string_length(a)) {
      snprintf(err, errlen, "argument 'argv' item %zu must be a string without NUL bytes", i + 1);
      goto fail;
    }
    char why[LR_ERR_MAX];
    if (!(s->argv[i] = lr_template_compile(json_string_value(a), why, sizeof(why)))) {
      snprintf(err, errlen, "argument 'argv' item %zu: %s", i + 1, why);
      goto fail;
    }
    s->argc++;
    const lr_field_id *ids;
    if (i == 0 && (json_string_length(a) == 0 || lr_template_fields(s->argv[0], &ids) > 0)) {
      snprintf(err, errlen, "argument 'argv' item 1 is the program: a fixed, non-empty path "
                            "(no {field} in it)");
      goto fail;
    }
  }
  *data = s;
  return 0;
fail:
  exec_free(s);
  return -1;
}

static enum lr_verdict exec_run(void *data, struct lr_exec *x)
{
  struct exec_step *s = data;
  lr_buf_clear(&s->rendered);
  for (size_t i = 0; i < s->argc; i++) {
    s->offset[i] = s->rendered.len;
    char why[sizeof(x->err) - 64]; /* room for the words around it in x->err */
    if (lr_template_render(s->argv[i], x->entry, &s->rendered, why, sizeof(why)) < 0) {
      snprintf(x->err, sizeof(x->err), "argument %zu: %s", i + 1, why);
      return LR_ERROR;
    }
    s->len[i] = s->rendered.len - s->offset[i];
    /* a NUL would cut the argument short: the command would see another value */
    if (memchr(s->rendered.data + s->offset[i], '\0', s->len[i])) {
      snprintf(x->err, sizeof(x->err), "argument %zu holds a NUL byte; the command is not run",
               i + 1);
      return LR_ERROR;
    }
    lr_buf_addc(&s->rendered, '\0');
  }
  for (size_t i = 0; i < s->argc; i++)
    s->ptrs[i] = s->rendered.data + s->offset[i];
  s->ptrs[s->argc] = NULL;
  if (x->svc && x->svc->exec) {
    if (lr_exec_run(x->svc->exec, s->ptrs, s->timeout_ms) < 0) {
      snprintf(x->err, sizeof(x->err), "%s not run: too many commands waiting, or no event loop",
               s->ptrs[0]);
      return LR_ERROR;
    }
  } else if (x->capture) {
    x->capture(x->capture_opaque,
                   &(struct lr_captured){.action = "action_exec", .argv = s->ptrs,
                                         .argv_len = s->len, .argc = s->argc});
  }
  return LR_PASS;
}

static const struct lr_arg_decl exec_args[] = {
  {"argv", LR_ARG_LIST, true}, {"timeoutSeconds", LR_ARG_INT, false}, {NULL}};

const struct lr_step_type lr_step_exec = {"action_exec", false, exec_compile, exec_run,
                                          exec_free, exec_args, NULL};
