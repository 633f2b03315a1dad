/* action_jail: what L.jail compiles to after its filters: fail2ban's jail in
 * one C step. For the address in the IP field:
 *   1. allowlisted (loopback, the host's addresses, the "allow" setting, the
 *      jail's ignore list): spared, neither counted nor banned, and said so;
 *   2. else counted in the counter category "jail:NAME" for findSeconds;
 *   3. at maxRetry failures: banned, the count reset. The n-th ban of an
 *      address by this jail within forgetSeconds (counted in the category
 *      "jail-bans:NAME", so that the history is saved with the counters and
 *      outlives restarts) lasts banSeconds * banFactor^(n-1), at most
 *      banMaxSeconds.
 * The address is parsed strictly first: a value that is no address is an
 * error (logged, escaped), before any count or ban. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "defence/ban_target.h"
#include "defence/bans.h"
#include "fleet/fleet.h"
#include "input/entry.h"
#include "input/fields.h"
#include "notify/notify.h"
#include "rules/allowlist.h"
#include "rules/services.h"
#include "rules/settings.h"
#include "rules/workflow.h"
#include "state/counters.h"
#include "state/sessions.h"
#include "steps/builtin.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define NFT_MAX_SECONDS 2147483647LL

struct jail_step {
  char *jail;
  char *fail_category, *ban_category;
  unsigned ip_field;
  unsigned session_field; /* (unsigned)-1: none; else the address may come from the session */
  bool session_line;      /* this step reads the lines that tie a session to an address */
  long long session_s;    /* how long a session is remembered */
  long long max_retry, find_s, ban_s, factor, max_s, forget_s;
  enum lr_ban_backend backend;
  char *set4, *set6;
  struct lr_allowlist ignore;   /* the jail's own */
  struct lr_counter_cat *fails, *bans; /* NULL without a counters service */
  struct lr_buf text;
};

static void jail_free(void *data)
{
  struct jail_step *j = data;
  free(j->jail);
  free(j->fail_category);
  free(j->ban_category);
  free(j->set4);
  free(j->set6);
  lr_allowlist_free(&j->ignore);
  lr_buf_free(&j->text);
  free(j);
}

static int positive(const json_t *args, const char *key, long long min, long long max,
                    long long *v, char *err, size_t errlen)
{
  if (lr_arg_int(args, key, v, err, errlen) < 0)
    return -1;
  if (*v < min || *v > max) {
    snprintf(err, errlen, "argument '%s' must be from %lld to %lld", key, min, max);
    return -1;
  }
  return 0;
}

static int jail_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                        size_t errlen)
{
  struct jail_step *j = lr_xcalloc(1, sizeof(*j));
  const char *name, *n4 = NULL, *n6 = NULL, *i4 = NULL, *i6 = NULL;
  long long session_line = 0;
  j->session_s = 600;
  j->max_retry = 5;
  j->find_s = 600;
  j->ban_s = 3600;
  j->factor = 1;
  j->max_s = 0;
  j->forget_s = 0;
  if (lr_arg_string(args, "jail", &name, err, errlen) < 0 ||
      lr_arg_field(args, "IP", &j->ip_field, err, errlen) < 0 ||
      lr_arg_field(args, "session", &j->session_field, err, errlen) < 0 ||
      positive(args, "sessionLine", 0, 1, &session_line, err, errlen) < 0 ||
      positive(args, "sessionSeconds", 1, 86400, &j->session_s, err, errlen) < 0 ||
      positive(args, "maxRetry", 1, 1000000, &j->max_retry, err, errlen) < 0 ||
      positive(args, "findSeconds", 1, 366LL * 86400, &j->find_s, err, errlen) < 0 ||
      positive(args, "banSeconds", 0, NFT_MAX_SECONDS, &j->ban_s, err, errlen) < 0 ||
      positive(args, "banFactor", 1, 1000, &j->factor, err, errlen) < 0 ||
      positive(args, "banMaxSeconds", 0, NFT_MAX_SECONDS, &j->max_s, err, errlen) < 0 ||
      positive(args, "forgetSeconds", 0, 10LL * 366 * 86400, &j->forget_s, err, errlen) < 0 ||
      lr_arg_string(args, "nftSetIPv4", &n4, err, errlen) < 0 ||
      lr_arg_string(args, "nftSetIPv6", &n6, err, errlen) < 0 ||
      lr_arg_string(args, "ipSetIPv4", &i4, err, errlen) < 0 ||
      lr_arg_string(args, "ipSetIPv6", &i6, err, errlen) < 0 ||
      lr_allowlist_add_json(&j->ignore, json_object_get(args, "ignore"), "argument 'ignore'", err,
                            errlen) < 0)
    goto fail;
  if ((n4 || n6) && (i4 || i6)) {
    snprintf(err, errlen, "give nftSetIPv4/nftSetIPv6 or ipSetIPv4/ipSetIPv6, not both");
    goto fail;
  }
  char why[LR_ERR_MAX];
  j->backend = i4 || i6 ? LR_BAN_IPSET : LR_BAN_NFT;
  /* by default, luruse's own table (bans.table) */
  const char *table = cc && cc->settings ? cc->settings->ban.table : LR_BAN_DEFAULT_TABLE;
  char d4[LR_BAN_TABLE_NAME_MAX + 16], d6[LR_BAN_TABLE_NAME_MAX + 16];
  snprintf(d4, sizeof(d4), "inet %s ban4", table);
  snprintf(d6, sizeof(d6), "inet %s ban6", table);
  if (j->backend == LR_BAN_NFT && (!n4 || !n6) && !*table) {
    snprintf(err, errlen, "bans.table is false: name the jail's sets (nftSetIPv4 and "
                          "nftSetIPv6, or ipSetIPv4 and ipSetIPv6)");
    goto fail;
  }
  const char *s4 = j->backend == LR_BAN_IPSET ? i4 : n4 ? n4 : d4;
  const char *s6 = j->backend == LR_BAN_IPSET ? i6 : n6 ? n6 : d6;
  if (!s4 || !s6) {
    snprintf(err, errlen, "ipset bans need both ipSetIPv4 and ipSetIPv6");
    goto fail;
  }
  if (j->backend == LR_BAN_NFT) {
    if (lr_ban_nft_set_parse(s4, why, sizeof(why)) < 0 || !lr_ban_nft_family_holds(s4, false) ||
        lr_ban_nft_set_parse(s6, why, sizeof(why)) < 0 || !lr_ban_nft_family_holds(s6, true)) {
      snprintf(err, errlen, "the nft sets '%s' and '%s' must be 'FAMILY TABLE SET' holding IPv4 "
                            "and IPv6 addresses", s4, s6);
      goto fail;
    }
  } else if (lr_ban_ipset_name_check(s4, why, sizeof(why)) < 0 ||
             lr_ban_ipset_name_check(s6, why, sizeof(why)) < 0) {
    snprintf(err, errlen, "ipset set: %s", why);
    goto fail;
  }
  if (j->max_s && j->max_s < j->ban_s) {
    snprintf(err, errlen, "banMaxSeconds (%lld) is shorter than banSeconds (%lld)", j->max_s,
             j->ban_s);
    goto fail;
  }
  if (!j->forget_s) /* long enough for the longest ban to have ended */
    j->forget_s = j->max_s > 7 * 86400 ? j->max_s : 7 * 86400;
  j->session_line = session_line;
  if (j->session_line && j->session_field == (unsigned)-1) {
    snprintf(err, errlen, "sessionLine needs the session field");
    goto fail;
  }
  if (strlen(name) > LR_SESSION_JAIL_MAX) {
    snprintf(err, errlen, "the jail name is longer than %d", LR_SESSION_JAIL_MAX);
    goto fail;
  }
  j->jail = lr_xstrdup(name);
  j->fail_category = lr_xasprintf("jail:%s", name);
  j->ban_category = lr_xasprintf("jail-bans:%s", name);
  j->set4 = lr_xstrdup(s4);
  j->set6 = lr_xstrdup(s6);
  *data = j;
  return 0;
fail:
  jail_free(j);
  return -1;
}

static void jail_activate(void *data, struct lr_services *svc)
{
  struct jail_step *j = data;
  if (svc->counters) {
    j->fails = lr_counters_category(svc->counters, j->fail_category);
    j->bans = lr_counters_category(svc->counters, j->ban_category);
  }
}

/* The n-th ban's length: banSeconds * factor^(n-1), capped; 0 stays permanent. */
static long long ban_length(const struct jail_step *j, long n)
{
  if (j->ban_s == 0)
    return 0;
  long long cap = j->max_s ? j->max_s : NFT_MAX_SECONDS;
  long long s = j->ban_s;
  for (long i = 1; i < n && s < cap; i++)
    s = s > cap / j->factor ? cap : s * j->factor;
  return s < cap ? s : cap;
}

static void tell(struct lr_exec *x, const char *action, const struct jail_step *j,
                 const char *ip, const char *counter, long long count)
{
  if (!x->capture || (counter && !x->capture_all))
    return;
  struct lr_captured c = {.action = action, .jail = j->jail, .ip = ip, .set = ""};
  if (counter) {
    c.counter = counter;
    c.key = ip;
    c.key_len = strlen(ip);
    c.count = count;
    c.ip = NULL;
  }
  x->capture(x->capture_opaque, &c);
}

/* n failures of the address t: counted, and a ban at the threshold. */
static enum lr_verdict count_failures(struct jail_step *j, struct lr_exec *x,
                                      const struct lr_ban_target *t, unsigned n)
{
  /* a jail's targets are hosts (no prefix): the target is the address, as
   * parsed once by parse_address */
  struct lr_ipaddr a = {.family = t->family};
  memcpy(a.bytes, t->addr, sizeof(a.bytes));
  if (lr_allowlist_contains(&x->settings->allow, &a) || lr_allowlist_contains(&j->ignore, &a)) {
    if (x->svc)
      x->svc->allowlisted += n;
    tell(x, "allowlisted", j, t->text, NULL, 0);
    return LR_PASS;
  }
  if (!j->fails) /* `luruse check`: no counters */
    return LR_PASS;
  int64_t now = x->now_usec / 1000000;
  size_t len = strlen(t->text);
  if (x->svc && lr_fleet_counts(x->svc->fleet, j->jail)) { /* also across the fleet */
    long nth = lr_counters_get(j->bans, t->text, len, now) + 1;
    lr_fleet_count_failure(x->svc->fleet,
                           &(struct lr_fleet_failure){
                             .jail = j->jail, .target = t, .count = n, .find_s = j->find_s,
                             .max_retry = j->max_retry, .backend = j->backend,
                             .set = t->family == AF_INET ? j->set4 : j->set6,
                             .ban_seconds = (unsigned)ban_length(j, nth), .nth = nth,
                             .forget_s = j->forget_s});
  }
  long count = 0;
  for (unsigned i = 0; i < n; i++)
    count = lr_counters_raise(j->fails, t->text, len, j->find_s, now);
  tell(x, "action_counterRaise", j, t->text, j->fail_category, count);
  if (count < j->max_retry)
    return LR_PASS;
  lr_counters_reset(j->fails, t->text, len, 0, now);
  tell(x, "action_counterReset", j, t->text, j->fail_category, 0);
  long nth = lr_counters_raise(j->bans, t->text, len, j->forget_s, now);
  long long seconds = ban_length(j, nth);
  const char *set = t->family == AF_INET ? j->set4 : j->set6;
  if (x->svc && x->svc->bans) {
    struct lr_ban_request rq = {.origin = j->jail}; /* the fleet shares by jail */
    if (lr_bans_add_ex(x->svc->bans, j->backend, set, t, (unsigned)seconds, lr_wall_usec(), &rq,
                       x->err, sizeof(x->err)) < 0)
      return LR_ERROR;
    if (x->svc->notify) /* the daily report's figures */
      lr_notify_count(x->svc->notify, LR_COUNT_BAN, t->text, strlen(t->text), j->jail,
                      strlen(j->jail), x->now_usec);
    lr_log_as("luruse-jail", LOG_NOTICE,
              "jail %s: banned %s for %s%llds (ban %ld within %llds, after %ld failures within "
              "%llds)", j->jail, t->text, seconds ? "" : "ever: ", seconds, nth, j->forget_s,
              count, j->find_s);
  } else if (x->capture) {
    lr_ban_describe_add(&j->text, j->backend == LR_BAN_IPSET, set, t, (unsigned)seconds);
    x->capture(x->capture_opaque,
               &(struct lr_captured){.action = j->backend == LR_BAN_NFT ? "action_nftBan"
                                                                        : "action_ipsetBan",
                                     .jail = j->jail, .set = set, .ip = t->text,
                                     .seconds = (unsigned)seconds, .message = j->text.data,
                                     .message_len = j->text.len, .count = nth});
  }
  return LR_PASS;
}

static enum lr_verdict parse_address(struct jail_step *j, struct lr_exec *x,
                                     const struct lr_value *v, struct lr_ban_target *t)
{
  char why[sizeof(x->err) - 96];
  if (v && v->type == LR_VAL_STR && lr_ban_target_parse(v->str, v->len, 0, 0, t, why,
                                                        sizeof(why)) == 0)
    return LR_PASS;
  struct lr_buf q = {0};
  if (v && v->type == LR_VAL_STR)
    lr_ban_escape_for_log(&q, v->str, v->len);
  snprintf(x->err, sizeof(x->err), "jail %s: \"%s\" (field %s) is no address: %s", j->jail,
           q.data ? q.data : "", lr_fields_name(j->ip_field), v ? why : "absent");
  lr_buf_free(&q);
  if (x->svc && x->svc->notify) /* the daily report's figures */
    lr_notify_count(x->svc->notify, LR_COUNT_BAN_REFUSED, j->jail, strlen(j->jail), NULL, 0,
                    x->now_usec);
  return LR_ERROR;
}

static enum lr_verdict jail_run(void *data, struct lr_exec *x)
{
  struct jail_step *j = data;
  const struct lr_value *v = lr_entry_get(x->entry, j->ip_field);
  const struct lr_value *sid = j->session_field != (unsigned)-1
                                 ? lr_entry_get(x->entry, j->session_field)
                                 : NULL;
  struct lr_sessions *ss = x->svc ? x->svc->sessions : NULL;
  bool has_sid = sid && sid->type == LR_VAL_STR && ss;
  int64_t now = x->now_usec / 1000000;
  struct lr_ban_target t;
  if (j->session_line) {
    /* "this session is that address": remembered, and the session's failures
     * seen before it (a server that names the client after them) counted */
    if (parse_address(j, x, v, &t) != LR_PASS)
      return LR_ERROR;
    unsigned pending = has_sid ? lr_sessions_put(ss, j->jail, sid->str, sid->len, t.text,
                                                 now + j->session_s)
                               : 0;
    return pending ? count_failures(j, x, &t, pending) : LR_PASS;
  }
  if (!v && has_sid) { /* a failure that names its session only */
    const char *addr = lr_sessions_get(ss, j->jail, sid->str, sid->len, now);
    if (!addr) { /* its address may come later in the session */
      lr_sessions_pend(ss, j->jail, sid->str, sid->len, now, now + j->session_s);
      return LR_PASS;
    }
    struct lr_value known = {.type = LR_VAL_STR, .len = (uint32_t)strlen(addr), .str = addr};
    if (parse_address(j, x, &known, &t) != LR_PASS)
      return LR_ERROR;
    return count_failures(j, x, &t, 1);
  }
  if (parse_address(j, x, v, &t) != LR_PASS)
    return LR_ERROR;
  return count_failures(j, x, &t, 1);
}

static const struct lr_arg_decl jail_args[] = {
  {"jail", LR_ARG_STRING, true},      {"IP", LR_ARG_FIELD, true},
  {"maxRetry", LR_ARG_INT, false},    {"findSeconds", LR_ARG_INT, false},
  {"banSeconds", LR_ARG_INT, false},  {"banFactor", LR_ARG_INT, false},
  {"banMaxSeconds", LR_ARG_INT, false}, {"forgetSeconds", LR_ARG_INT, false},
  {"nftSetIPv4", LR_ARG_STRING, false}, {"nftSetIPv6", LR_ARG_STRING, false},
  {"ipSetIPv4", LR_ARG_STRING, false}, {"ipSetIPv6", LR_ARG_STRING, false},
  {"ignore", LR_ARG_LIST, false},     {"session", LR_ARG_FIELD, false},
  {"sessionLine", LR_ARG_INT, false}, {"sessionSeconds", LR_ARG_INT, false}, {NULL}};

bool lr_jail_step_info(const struct lr_step *s, struct lr_jail_info *out)
{
  if (!s || s->type != &lr_step_jail || !s->data)
    return false;
  const struct jail_step *j = s->data;
  *out = (struct lr_jail_info){j->jail, j->fail_category, j->ban_category, j->find_s,
                               j->forget_s};
  return true;
}

const struct lr_step_type lr_step_jail = {"action_jail", false, jail_compile, jail_run, jail_free,
                                          jail_args, jail_activate};
