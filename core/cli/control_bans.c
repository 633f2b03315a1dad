#include "control_bans.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "bans.h"
#include "control.h"

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
  json_array_append_new(l->list, json_pack("{s:s, s:s, s:s, s:I}", "addr", r->addr, "backend",
                                           r->backend_name, "set", r->set, "until",
                                           (json_int_t)(r->until_usec / 1000000)));
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
  if (backend != LR_BAN_NFT)
    return true; /* ipset sets are checked by ipset itself */
  if (!strncmp(set, "inet ", 5))
    return true;
  return v6 ? !strncmp(set, "ip6 ", 4) : !strncmp(set, "ip ", 3);
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

static json_t *ban(struct lr_bans *b, const json_t *req, struct listing *l)
{
  const char *ip = json_string_value(json_object_get(req, "ip"));
  const char *spec = json_string_value(json_object_get(req, "set"));
  json_int_t seconds = json_integer_value(json_object_get(req, "for"));
  if (!ip)
    return lr_control_error("ban: an address is required");
  if (seconds < 0 || seconds > UINT32_MAX)
    return lr_control_error("ban: bad duration");
  char why[256];
  struct lr_ban_target t;
  if (lr_ban_target_parse(ip, strlen(ip), 0, 0, &t, why, sizeof(why)) < 0)
    return lr_control_error("ban: '%s' is not a bannable address: %s", ip, why);
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
    if (!*set)
      return lr_control_error("ban: no %s ban recorded yet to take the set from; give "
                              "--set nft:'ip I4 bans' or --set ipset:NAME",
                              v6 ? "IPv6" : "IPv4");
  }
  if (!family_fits(backend, set, t.family != AF_INET))
    return lr_control_error("ban: %s is an %s address; the table of '%s' cannot hold it", t.text,
                            t.family == AF_INET ? "IPv4" : "IPv6", set);
  if (lr_bans_add(b, backend, set, &t, (unsigned)seconds, lr_wall_usec(), why,
                  sizeof(why)) < 0)
    return lr_control_error("ban: %s", why);
  char msg[300];
  snprintf(msg, sizeof(msg), "%s banned in %s %s%s", t.text, lr_ban_backend_name(backend), set,
           seconds ? "" : " (permanent)");
  return json_pack("{s:b, s:s, s:s}", "ok", 1, "message", msg, "addr", t.text);
}

json_t *lr_control_bans(struct lr_bans *b, const char *cmd, const json_t *req)
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
    return ban(b, req, &l);
  const char *ip = json_string_value(json_object_get(req, "ip"));
  char err[256];
  int n = ip ? lr_bans_remove(b, ip, err, sizeof(err)) : -1;
  if (n < 0)
    return lr_control_error("unban: %s", ip ? err : "an address is required");
  if (n == 0)
    return lr_control_error("unban: no ban recorded for %s", ip);
  char msg[300];
  snprintf(msg, sizeof(msg), "%s unbanned (%d record%s removed)", ip, n, n > 1 ? "s" : "");
  return json_pack("{s:b, s:s}", "ok", 1, "message", msg);
}
