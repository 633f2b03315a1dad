#include "cli/control_bans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "defence/bans.h"
#include "rules/settings.h"
#include "util/ipnet.h"
#include "cli/control.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

struct listing {
  json_t *list;
  int64_t now;
  /* where a manual ban goes by default: the set of the live ban of that family
   * that ends last (the rules' most recent one, as they ban for equal times) */
  char set4[128], set6[128];
  enum lr_ban_backend backend4, backend6;
  int64_t until4, until6;
};

static void list_one(void *ctx, const struct lr_ban_record *r)
{
  struct listing *l = ctx;
  bool live = r->until_usec == 0 || r->until_usec > l->now;
  if (!live)
    return;
  json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "addr", r->addr, "backend",
                        r->backend_name, "set", r->set, "until",
                        (json_int_t)(r->until_usec / 1000000), "state",
                        r->error ? "failed" : r->pending ? "pending" : "applied");
  if (r->error)
    json_object_set_new(o, "error", json_string(r->error));
  json_array_append_new(l->list, o);
  if (r->error)
    return; /* a set the firewall refused is no default for the next manual ban */
  bool v6 = strchr(r->addr, ':') != NULL;
  int64_t *until = v6 ? &l->until6 : &l->until4;
  int64_t ends = r->until_usec ? r->until_usec : 1; /* permanent: only if nothing else */
  if (ends <= *until)
    return;
  *until = ends;
  snprintf(v6 ? l->set6 : l->set4, sizeof(l->set4), "%s", r->set);
  *(v6 ? &l->backend6 : &l->backend4) = r->backend;
}

/* nft tables have a family: an IPv6 address cannot go into an `ip` table. */
static bool family_fits(enum lr_ban_backend backend, const char *set, bool v6)
{
  /* ipset sets are checked by ipset itself */
  return backend != LR_BAN_NFT || lr_ban_nft_family_holds(set, v6);
}

/* "nft:ip I4 bans" or "ipset:bans4" */
static int parse_set(const char *spec, enum lr_ban_backend *backend, const char **set)
{
  if (!strncmp(spec, "nft:", 4)) {
    *backend = LR_BAN_NFT;
    *set = spec + 4;
  } else if (!strncmp(spec, "ipset:", 6)) {
    *backend = LR_BAN_IPSET;
    *set = spec + 6;
  } else {
    return -1;
  }
  return 0;
}

static void format_until(char *out, size_t n, int64_t until_usec)
{
  if (!until_usec) {
    snprintf(out, n, "permanently");
    return;
  }
  time_t t = (time_t)(until_usec / 1000000);
  struct tm tm;
  char buf[32];
  localtime_r(&t, &tm);
  strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  snprintf(out, n, "until %s", buf);
}

/* A ban or unban waiting for the firewall's answer. */
struct waiting {
  struct lr_control_wait *w;
  struct lr_ban_request br; /* filled by lr_bans_add_ex before the answer comes */
  char what[300];           /* "nft ip I4 bans", "192.0.2.7 unbanned (...)" */
  char addr[64];
  bool unban;
  int removed;      /* unban: records removed, 0 while lr_bans_remove_ex runs */
  bool early;       /* unban: the firewall answered before the count was known */
  char *early_error;
};

static void answered(void *ctx, const char *error)
{
  struct waiting *wt = ctx;
  char msg[600], when[64];
  json_t *answer;
  if (wt->unban && !wt->removed) { /* still in lr_bans_remove_ex: the caller answers */
    wt->early = true;
    wt->early_error = error ? lr_xstrdup(error) : NULL;
    return;
  }
  if (wt->unban) {
    snprintf(wt->what, sizeof(wt->what), "%s unbanned (%d record%s removed)", wt->addr,
             wt->removed, wt->removed > 1 ? "s" : "");
    answer = !error ? json_pack("{s:b, s:s}", "ok", 1, "message", wt->what)
                    : lr_control_error("unban: %s, but the firewall refused to remove it: %s",
                                       wt->what, error);
  } else if (error) {
    answer = lr_control_error("ban: the ban of %s in %s is recorded but NOT applied: %s "
                              "(`luruse bans` shows it as FAILED; `luruse restore` tries again)",
                              wt->addr, wt->what, error);
  } else {
    format_until(when, sizeof(when), wt->br.until_usec);
    snprintf(msg, sizeof(msg), "%s banned %s in %s%s", wt->addr, when, wt->what,
             wt->br.kept_longer ? " (the existing longer ban is kept: a re-ban never shortens one)"
                                : "");
    answer = json_pack("{s:b, s:s, s:s, s:I}", "ok", 1, "message", msg, "addr", wt->addr,
                       "until", (json_int_t)(wt->br.until_usec / 1000000));
  }
  lr_control_answer(wt->w, answer);
  free(wt->early_error);
  free(wt);
}

static json_t *ban(struct lr_bans *b, const struct lr_settings *settings, const char *own_table,
                   const json_t *req, struct listing *l, struct lr_control_request *rq)
{
  const char *ip = json_string_value(json_object_get(req, "ip"));
  const char *spec = json_string_value(json_object_get(req, "set"));
  json_int_t seconds = json_integer_value(json_object_get(req, "for"));
  if (!ip)
    return lr_control_error("ban: an address is required");
  if (seconds < 0 || seconds > UINT32_MAX)
    return lr_control_error("ban: bad duration");
  char why[LR_ERR_MAX];
  struct lr_ban_target t;
  if (lr_ban_target_parse(ip, strlen(ip), 0, 0, &t, why, sizeof(why)) < 0)
    return lr_control_error("ban: '%s' is not a bannable address: %s", ip, why);
  struct lr_ipaddr a;
  if (settings && !json_is_true(json_object_get(req, "force")) &&
      lr_ipaddr_parse(t.text, strlen(t.text), &a) && lr_allowlist_contains(&settings->allow, &a))
    return lr_control_error("ban: %s is allowlisted (loopback, this host's own addresses or the "
                            "allow setting): luruse never bans it; --force bans it all the same",
                            t.text);
  char own[LR_BAN_TABLE_NAME_MAX + 16];
  enum lr_ban_backend backend;
  const char *set;
  if (spec) {
    if (parse_set(spec, &backend, &set) < 0)
      return lr_control_error("ban: --set is nft:'FAMILY TABLE SET' or ipset:NAME, not '%s'",
                              spec);
  } else {
    bool v6 = t.family != AF_INET;
    set = v6 ? l->set6 : l->set4;
    backend = v6 ? l->backend6 : l->backend4;
    if (!*set && own_table) { /* luruse's own table */
      snprintf(own, sizeof(own), "inet %s %s", own_table, v6 ? "ban6" : "ban4");
      set = own;
      backend = LR_BAN_NFT;
    }
    if (!*set)
      return lr_control_error("ban: no %s ban recorded yet to take the set from; give "
                              "--set nft:'ip I4 bans' or --set ipset:NAME",
                              v6 ? "IPv6" : "IPv4");
  }
  if (!family_fits(backend, set, t.family != AF_INET))
    return lr_control_error("ban: %s is an %s address; the table of '%s' cannot hold it", t.text,
                            t.family == AF_INET ? "IPv4" : "IPv6", set);
  struct waiting *wt = lr_xcalloc(1, sizeof(*wt));
  wt->br = (struct lr_ban_request){.flags = LR_BAN_KEEP_LONGER, .origin = "manual",
                                   .done = answered, .ctx = wt};
  snprintf(wt->what, sizeof(wt->what), "%s %s", lr_ban_backend_name(backend), set);
  snprintf(wt->addr, sizeof(wt->addr), "%s", t.text);
  /* deferred first: libnftables answers before lr_bans_add_ex returns */
  wt->w = lr_control_defer(rq);
  if (lr_bans_add_ex(b, backend, set, &t, (unsigned)seconds, lr_wall_usec(), &wt->br, why,
                     sizeof(why)) < 0) {
    lr_control_answer(wt->w, lr_control_error("ban: %s", why));
    free(wt);
  }
  return NULL;
}

json_t *lr_control_bans(struct lr_bans *b, const struct lr_settings *settings,
                        const char *own_table, const char *cmd, const json_t *req,
                        struct lr_control_request *rq)
{
  if (!b)
    return lr_control_error("this daemon has no ban service");
  struct listing l = {.list = json_array(), .now = lr_wall_usec()};
  if (lr_bans_each(b, list_one, &l) < 0) {
    json_decref(l.list);
    return lr_control_error("cannot read the recorded bans");
  }
  if (!strcmp(cmd, "bans"))
    return json_pack("{s:b, s:o}", "ok", 1, "bans", l.list);
  json_decref(l.list);
  if (!strcmp(cmd, "ban"))
    return ban(b, settings, own_table, req, &l, rq);
  const char *ip = json_string_value(json_object_get(req, "ip"));
  if (!ip)
    return lr_control_error("unban: an address is required");
  char err[LR_ERR_MAX];
  struct waiting *wt = lr_xcalloc(1, sizeof(*wt));
  wt->unban = true;
  snprintf(wt->addr, sizeof(wt->addr), "%s", ip);
  wt->w = lr_control_defer(rq);
  int n = lr_bans_remove_ex(b, ip, answered, wt, err, sizeof(err));
  /* n > 0: answered() runs once the firewall answered, or ran already */
  if (n <= 0) {
    lr_control_answer(wt->w, n < 0 ? lr_control_error("unban: %s", err)
                                   : lr_control_error("unban: no ban recorded for %s", ip));
    free(wt);
    return NULL;
  }
  wt->removed = n;
  if (wt->early)
    answered(wt, wt->early_error);
  return NULL;
}
