/* What `luruse check` looks for on the host (rules/environment_needs.h): the
 * sets of bans and jails (a jail's defaults in luruse's own table), the
 * programs of emails, exec actions and ban commands, each once with the
 * first step that needs it. Rules built in C, as the loaders build them. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rules/environment_needs.h"
#include "rules/rules.h"
#include "rules/ruleset.h"

static struct lr_ruleset *load(struct lr_rules *r)
{
  char err[512] = "";
  struct lr_ruleset *rs = lr_ruleset_new("t.lua", r, NULL, NULL, "luruse", err, sizeof(err));
  CHECK_STR(err, "");
  REQUIRE(rs != NULL);
  return rs;
}

/* Every need on one line each: "kind name [v4 v6 timeout prefix own] at chain[i] type +more". */
static const char *describe(const struct lr_ruleset *rs)
{
  static char out[4096];
  struct lr_needs needs = {0};
  lr_needs_gather(rs, &needs);
  size_t n = 0;
  out[0] = '\0';
  static const char *const kinds[] = {"nft", "ipset", "program"};
  for (size_t i = 0; i < needs.n; i++) {
    const struct lr_need *d = &needs.v[i];
    n += (size_t)snprintf(out + n, sizeof(out) - n, "%s %s%s%s%s%s%s%s%s at %s %s[%zu] %s +%zu\n",
                          kinds[d->kind], d->name, d->v4 ? " v4" : "", d->v6 ? " v6" : "",
                          d->timeout ? " timeout" : "", d->prefix ? " prefix" : "",
                          d->own ? " own" : "", d->setting ? " from " : "",
                          d->setting ? d->setting : "", d->origin, d->chain, d->index, d->type,
                          d->more);
    REQUIRE(n < sizeof(out));
  }
  lr_needs_free(&needs);
  return out;
}

static void step(struct lr_rule_chain *c, const char *type, json_t *args, const char *origin)
{
  REQUIRE(lr_rules_add_step(c, type, args, NULL, NULL, origin) != NULL);
}

int main(void)
{
  /* bans, a jail into the own table, email, exec: the defaults' programs */
  struct lr_rules *r = lr_rules_new("t.lua");
  struct lr_rule_chain *c = lr_rules_add_chain(r, "Ban", "t.lua:2");
  step(c, "filter_equals", json_pack("{s:s, s:s}", "field", "X", "value", "y"), "t.lua:3");
  step(c, "action_nftBan",
       json_pack("{s:s, s:s, s:s, s:i, s:i}", "IP", "ip", "nftSetIPv4", "ip I4 bans", "nftSetIPv6",
                 "ip6 I6 bans", "banSeconds", 60, "prefixIPv4", 24),
       "t.lua:4");
  c = lr_rules_add_chain(r, "Again", "t.lua:6");
  step(c, "action_nftBan",
       json_pack("{s:s, s:s, s:s, s:i}", "IP", "ip", "nftSetIPv4", "ip I4 bans", "nftSetIPv6",
                 "inet luruse ban6", "prefixIPv6", 128),
       "t.lua:7");
  step(c, "action_ipsetBan",
       json_pack("{s:s, s:s, s:s}", "IP", "ip", "ipSetIPv4", "b4", "ipSetIPv6", "b6"), "t.lua:8");
  c = lr_rules_add_chain(r, "jail sshd", "t.lua:10");
  step(c, "action_jail", json_pack("{s:s, s:s}", "jail", "sshd", "IP", "ip"), "t.lua:10");
  step(c, "action_email", json_pack("{s:s}", "message", "m"), "t.lua:11");
  step(c, "action_dailyReport", json_pack("{s:s, s:s}", "level", "INFO", "message", "m"), NULL);
  step(c, "action_exec", json_pack("{s:[s, s]}", "argv", "notify-admin", "{ip}"), "t.lua:13");
  struct lr_ruleset *rs = load(r);
  CHECK_STR(describe(rs),
            "nft ip I4 bans v4 timeout prefix at t.lua:4 Ban[1] action_nftBan +1\n"
            "nft ip6 I6 bans v6 timeout at t.lua:4 Ban[1] action_nftBan +0\n"
            "nft inet luruse ban6 v6 timeout own at t.lua:7 Again[0] action_nftBan +1\n"
            "program /usr/sbin/ipset from ipsetBan.ipset at t.lua:8 Again[1] action_ipsetBan +0\n"
            "ipset b4 v4 at t.lua:8 Again[1] action_ipsetBan +0\n"
            "ipset b6 v6 at t.lua:8 Again[1] action_ipsetBan +0\n"
            "nft inet luruse ban4 v4 timeout own at t.lua:10 jail sshd[0] action_jail +0\n"
            "program /usr/sbin/sendmail from email.sendmail at t.lua:11 jail sshd[1] action_email +1\n"
            "program notify-admin at t.lua:13 jail sshd[3] action_exec +0\n");
  lr_ruleset_free(rs);

  /* settings: other programs, a table of another name, a jail's own sets */
  r = lr_rules_new("t.json");
  json_object_set_new(r->settings, "nftBan", json_pack("{s:[s]}", "nft", "/sbin/nft"));
  json_object_set_new(r->settings, "ipsetBan", json_pack("{s:[s, s]}", "ipset", "ipset", "-q"));
  json_object_set_new(r->settings, "bans", json_pack("{s:s}", "table", "fw"));
  json_object_set_new(r->settings, "email",
                      json_pack("{s:[s], s:[s]}", "to", "a@b", "sendmail", "/opt/mail"));
  c = lr_rules_add_chain(r, "J", NULL);
  step(c, "action_jail",
       json_pack("{s:s, s:s, s:s, s:s, s:i}", "jail", "web", "IP", "ip", "nftSetIPv4",
                 "ip filter web4", "nftSetIPv6", "inet fw ban6", "banSeconds", 0),
       "J[0]");
  step(c, "action_jail",
       json_pack("{s:s, s:s, s:s, s:s}", "jail", "ftp", "IP", "ip", "ipSetIPv4", "f4", "ipSetIPv6",
                 "f6"),
       "J[1]");
  step(c, "action_nftBan",
       json_pack("{s:s, s:s, s:s}", "IP", "ip", "nftSetIPv4", "inet luruse ban4", "nftSetIPv6",
                 "inet fw net6"),
       "J[2]");
  step(c, "action_dailyReport", json_pack("{s:s, s:s}", "level", "INFO", "message", "m"), "J[3]");
  rs = load(r);
  CHECK_STR(describe(rs),
            "program /sbin/nft from nftBan.nft at J[0] J[0] action_jail +1\n"
            "nft ip filter web4 v4 at J[0] J[0] action_jail +0\n"
            "nft inet fw ban6 v6 own at J[0] J[0] action_jail +0\n"
            "program ipset from ipsetBan.ipset at J[1] J[1] action_jail +0\n"
            "ipset f4 v4 at J[1] J[1] action_jail +0\n"
            "ipset f6 v6 at J[1] J[1] action_jail +0\n"
            "nft inet luruse ban4 v4 at J[2] J[2] action_nftBan +0\n"
            "nft inet fw net6 v6 own at J[2] J[2] action_nftBan +0\n"
            "program /opt/mail from email.sendmail at J[3] J[3] action_dailyReport +0\n");
  lr_ruleset_free(rs);

  /* bans.table false: no set is luruse's; nothing needed without bans */
  r = lr_rules_new("t.json");
  json_object_set_new(r->settings, "bans", json_pack("{s:b}", "table", 0));
  c = lr_rules_add_chain(r, "N", NULL);
  step(c, "action_nftBan",
       json_pack("{s:s, s:s, s:s}", "IP", "ip", "nftSetIPv4", "inet luruse ban4", "nftSetIPv6",
                 "inet luruse ban6"),
       NULL);
  step(c, "action_log", json_pack("{s:s}", "message", "m"), NULL);
  rs = load(r);
  CHECK_STR(describe(rs), "nft inet luruse ban4 v4 at N N[0] action_nftBan +0\n"
                          "nft inet luruse ban6 v6 at N N[0] action_nftBan +0\n");
  lr_ruleset_free(rs);
  r = lr_rules_new("t.json");
  c = lr_rules_add_chain(r, "N", NULL);
  step(c, "action_log", json_pack("{s:s}", "message", "m"), NULL);
  rs = load(r);
  CHECK_STR(describe(rs), "");
  lr_ruleset_free(rs);
  return check_done();
}
