/* `luruse check`'s look at the host: will what the rules need
 * (environment_needs.h) be there? The nft sets (read through libnftables,
 * changing nothing), the ipset sets (asked of the ipset program) and the
 * programs (found as execvp finds them). One line per finding on out, in the
 * form of the rules' warnings (workflow.h):
 *
 *   luruse: warning: rules.lua:12: SSH[3] action_nftBan: nft set 'inet filter f2b' does not exist: bans into it will fail
 *   luruse: note: jails/sshd.lua:2: jail sshd[2] action_jail: nft set 'inet luruse ban4' will be created by luruse at start (its own table, bans.table)
 *   luruse: note: 2 nft sets not checked: reading them is not permitted (CAP_NET_ADMIN is needed: run luruse check as root)
 *
 * then, unless quiet, a summary line. Warnings are what will fail; notes are
 * what is fine, or what could not be looked at (quiet keeps them back).
 *
 *   struct lr_envcheck r;
 *   lr_envcheck_run(rs, stderr, false, &r);
 *   if (strict && r.warnings) return 1;
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct lr_ruleset;

struct lr_envcheck {
  size_t warnings, notes;
  size_t nft_sets, ipset_sets, programs; /* what the rules name */
};

void lr_envcheck_run(const struct lr_ruleset *rs, FILE *out, bool quiet, struct lr_envcheck *r);
