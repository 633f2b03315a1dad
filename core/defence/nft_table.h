/* luruse's own nftables table, so that bans work on a fresh Debian without a
 * ruleset to edit: in one transaction, through libnftables, touching no
 * other table,
 *
 *   table inet luruse {
 *     set ban4 { type ipv4_addr; flags timeout; }        single addresses
 *     set ban6 { type ipv6_addr; flags timeout; }
 *     set net4 { type ipv4_addr; flags interval, timeout; }   prefixes
 *     set net6 { type ipv6_addr; flags interval, timeout; }
 *     chain input   { type filter hook input priority filter - 5; ... drop from the sets }
 *     chain forward { type filter hook forward priority filter - 5; ... }  (a NAT router's DMZ)
 *   }
 *
 * Idempotent: the table and sets are added if missing (their elements, the
 * bans, are kept), the two chains are flushed and filled again.
 *
 *   if (lr_nft_table_ensure(nft, "luruse", &err) < 0) lr_log(LOG_ERR, "%s", err.data);
 */
#pragma once
#include <stdbool.h>

#include "util/buf.h"

struct lr_nft;

/* Priority of the base chains: just before the filter tables' chains. */
#define LR_NFT_TABLE_PRIORITY "filter - 5"

/* Is name one of the sets the table gets (ban4, ban6, net4, net6)? */
bool lr_nft_table_has_set(const char *name);
/* The statements, for `luruse check` and the tests. */
void lr_nft_table_statements(struct lr_buf *out, const char *table);
/* 0, or -1 with libnftables' message appended to err. */
int lr_nft_table_ensure(struct lr_nft *n, const char *table, struct lr_buf *err);
