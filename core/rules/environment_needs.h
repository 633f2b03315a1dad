/* What a compiled rule file needs of the host it runs on, as `luruse check`
 * looks for it: the nft sets and ipset sets its bans and jails name (a
 * jail's default sets in luruse's own table, bans.table, included), and the
 * programs it runs (email.sendmail when an email or a daily report is sent,
 * each exec action's program, nftBan.nft and ipsetBan.ipset when bans use
 * them). Pure: reads the rules and settings, asks nothing of the system
 * (environment_check.h does).
 *
 *   struct lr_needs needs = {0};
 *   lr_needs_gather(rs, &needs);
 *   for (size_t i = 0; i < needs.n; i++) use(&needs.v[i]);
 *   lr_needs_free(&needs);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct lr_ruleset;

enum lr_need_kind { LR_NEED_NFT_SET, LR_NEED_IPSET_SET, LR_NEED_COMMAND };

/* One thing needed, once however many steps need it. */
struct lr_need {
  enum lr_need_kind kind;
  char *name;              /* "inet filter f2b", "f2b4", "/usr/sbin/sendmail" */
  const char *setting;     /* commands: the setting naming it ("email.sendmail"); NULL: the step */
  const char *consequence; /* what fails without it: "bans into it will fail" */
  bool v4, v6;             /* sets: IPv4 or IPv6 addresses are banned into it */
  bool timeout;            /* nft sets: some ban into it has a timeout */
  bool prefix;             /* nft sets: some ban into it is a network (a prefix) */
  bool own;                /* nft sets: in luruse's own table (bans.table) */
  /* the first step that needs it (pointing into the ruleset), how many more do */
  const char *origin, *chain, *type;
  size_t index, more;
};

struct lr_needs {
  struct lr_need *v;
  size_t n, cap;
};

/* Appends what rs (read, settings applied) needs, in the rules' order. */
void lr_needs_gather(const struct lr_ruleset *rs, struct lr_needs *out);
void lr_needs_free(struct lr_needs *needs);
