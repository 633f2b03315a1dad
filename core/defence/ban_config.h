/* The firewall settings of a rule file, checked at load time: Pyruse's names
 * for the commands, plus luruse's "bans" object.
 *
 *   "nftBan":   {"nft": ["/usr/sbin/nft"]}      absent: libnftables in-process
 *   "ipsetBan": {"ipset": ["/usr/sbin/ipset", "-exist", "-quiet"]}   (the default)
 *   "bans":     {"timeoutSeconds": 10,           a firewall command running longer is killed
 *                "table": "luruse"}              luruse's own table (false: none, bring your sets)
 *
 *   struct lr_ban_config c; lr_ban_config_init(&c);
 *   if (lr_ban_config_parse(&c, settings, err, sizeof(err)) < 0) ...
 *   lr_ban_config_free(&c);
 *
 * Pyruse's default ipset path was /usr/bin/ipset; Debian 12 installs ipset as
 * /usr/sbin/ipset, which is luruse's default. Pyruse's nft default was the
 * command /usr/bin/nft; luruse talks to nftables through libnftables unless a
 * command is named. */
#pragma once
#include <jansson.h>
#include <stddef.h>

#define LR_BAN_DEFAULT_TIMEOUT 10   /* seconds */
/* luruse's own table (defence/nft_table.h), where jails ban by default */
#define LR_BAN_DEFAULT_TABLE "luruse"
#define LR_BAN_TABLE_NAME_MAX 64
#define LR_BAN_MAX_TIMEOUT 3600     /* bans.timeoutSeconds at most */

struct lr_ban_config {
  char **nft;          /* argv base of the nft command, NULL-terminated; NULL: libnftables */
  char **ipset;        /* argv base of the ipset command, NULL-terminated */
  unsigned timeout_s;  /* bans.timeoutSeconds, 1..LR_BAN_MAX_TIMEOUT */
  char table[LR_BAN_TABLE_NAME_MAX + 1]; /* bans.table: NAME of "table inet NAME"; "" when false */
};

void lr_ban_config_init(struct lr_ban_config *c);
/* Reads "nftBan", "ipsetBan" and "bans" from the settings object (absent keys
 * keep the defaults). -1 with a message naming the setting in err. */
int lr_ban_config_parse(struct lr_ban_config *c, const json_t *settings, char *err,
                        size_t errlen);
/* dst (initialised or zeroed) becomes a deep copy of src. */
void lr_ban_config_copy(struct lr_ban_config *dst, const struct lr_ban_config *src);
void lr_ban_config_free(struct lr_ban_config *c);
