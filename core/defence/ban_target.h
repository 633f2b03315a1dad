/* Ban targets: an untrusted address from a log line, validated, and the exact texts
 * handed to nftables and ipset. Pure: no I/O, no Lua, no SQLite.
 *
 *   struct lr_ban_target t;
 *   char why[LR_ERR_MAX];
 *   if (lr_ban_target_parse(v, vlen, 0, 0, &t, why, sizeof(why)) < 0) {
 *     struct lr_buf q = {0};
 *     lr_ban_escape_for_log(&q, v, vlen);
 *     lr_log(LOG_WARNING, "ban refused: \"%s\": %s", q.data ? q.data : "", why);
 *     ...
 *   }
 *   // set specs were checked at load time with lr_ban_nft_set_parse()
 *   const char *set = t.family == AF_INET ? set4 : set6;
 *   struct lr_buf stmt = {0};
 *   lr_ban_nft_add(&stmt, set, &t, 100);   // "add element ip I4 bans {1.2.3.4 timeout 100s}"
 *   char **argv = lr_ban_nft_argv(nft_base, stmt.data);
 *   run(argv); lr_ban_argv_free(argv); lr_buf_free(&stmt);
 *
 * Nothing from the log line reaches a statement or a command line except the
 * canonical text inet_ntop produced from the parsed bytes.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* ipset refuses timeouts above this many seconds ((UINT_MAX >> 1) ms). */
#define LR_BAN_IPSET_MAX_TIMEOUT 2147483u
/* Longest table or set name accepted in an nft set spec. */
#define LR_BAN_NFT_NAME_MAX 64
/* Longest ipset set name (IPSET_MAXNAMELEN is 32 with the NUL). */
#define LR_BAN_IPSET_NAME_MAX 31

struct lr_ban_target {
  int family;               /* AF_INET or AF_INET6: picks the IPv4 or IPv6 set */
  unsigned char addr[16];   /* network order, 4 used for AF_INET; host bits zeroed */
  unsigned prefix;          /* 32 / 128 for a host, else the network length */
  char text[64];            /* canonical: "1.2.3.4", "2001:db8::1", "192.0.2.0/24" */
};

/* Parses an untrusted value (value, len: may hold NULs, be huge, be non-UTF-8).
 *
 * The whole of [value, value+len) must be one address as inet_pton reads it:
 * no spaces, zone ids, brackets, ports or prefixes; IPv4 octets without leading
 * zeros. Uppercase hex is accepted; the text is canonicalised by inet_ntop.
 *
 * An IPv4-mapped IPv6 address (::ffff:1.2.3.4) becomes the IPv4 address: it is
 * what a dual-stack socket reports for an IPv4 client, the packets the kernel
 * filters are IPv4, and an element in the IPv6 set would never match them.
 *
 * prefix4 / prefix6: 0 bans the host (/32, /128); otherwise the network of that
 * length around the address is banned (e.g. 24, 64), and the text carries
 * "/len" unless len is the full width. The prefix for the family actually parsed
 * must be 0..32 or 0..128 (mapped addresses use prefix4).
 *
 * Refused as well, since none can be the source address of a packet (a log line
 * naming one is bogus or forged): unspecified (0.0.0.0, ::), multicast
 * (224.0.0.0/4, ff00::/8) and the IPv4 limited broadcast 255.255.255.255.
 * Loopback, private and link-local addresses are accepted: the rules decide.
 *
 * Returns 0, or -1 with a short English reason in why (the value itself is not
 * quoted: log it with lr_ban_escape_for_log). *out is zeroed on failure. */
int lr_ban_target_parse(const char *value, size_t len, unsigned prefix4, unsigned prefix6,
                        struct lr_ban_target *out, char *why, size_t whylen);

/* A target read back from its canonical text ("1.2.3.4", "192.0.2.0/24",
 * "::/64"), as the fleet's messages carry it: exactly the text
 * lr_ban_target_parse gives, else -1 with why. A network's own address may
 * be one a host ban refuses (the zero address of "::/64" around ::1), but
 * not a network of only such addresses (224.0.0.0/4). */
int lr_ban_target_from_text(const char *s, size_t n, struct lr_ban_target *out, char *why,
                            size_t whylen);

/* Appends an untrusted value in a form safe for one log line: printable ASCII is
 * kept except '\\' and '"', every other byte becomes \xHH. At most 80 bytes are
 * appended for the value; when it is cut, "..." follows. */
void lr_ban_escape_for_log(struct lr_buf *out, const char *value, size_t len);

/* Load-time check of an nft set spec from the config, "FAMILY TABLE SET" with
 * single spaces: FAMILY is ip, ip6 or inet; TABLE and SET are 1..64 characters of
 * [A-Za-z0-9_-], starting with a letter or '_' (nft's lexer reads anything else
 * as a number or an operator). Names that are nft keywords pass this check but
 * nft itself will refuse them. Returns 0, or -1 with a message in err. */
int lr_ban_nft_set_parse(const char *spec, char *err, size_t errlen);

/* Whether the table of an nft set spec can hold addresses of one family (v6:
 * IPv6): "inet ..." holds both, "ip ..." IPv4 only, "ip6 ..." IPv6 only. Reads
 * only the family word; check the spec itself with lr_ban_nft_set_parse. */
bool lr_ban_nft_family_holds(const char *spec, bool v6);

/* Append the single nft statement, in Pyruse's exact form:
 *   "add element ip I4 bans {1.2.3.4 timeout 100s}"   (timeout_s > 0)
 *   "add element ip I4 bans {1.2.3.4}"                 (timeout_s == 0: permanent)
 *   "delete element ip I4 bans {1.2.3.4}"
 * An element with a timeout needs a set declared with "flags timeout"; a prefix
 * ban ("192.0.2.0/24") needs a set declared with "flags interval".
 * Returns -1, appending nothing, when set_spec fails lr_ban_nft_set_parse or t
 * is not a parsed target. */
int lr_ban_nft_add(struct lr_buf *out, const char *set_spec, const struct lr_ban_target *t,
                   unsigned timeout_s);
/* One statement adding n elements to one set, each with its own timeout
 * (0: none): "add element inet luruse ban4 {192.0.2.7 timeout 60s, ...}".
 * -1, appending nothing, when the set or a target is invalid or n is 0. */
int lr_ban_nft_add_many(struct lr_buf *out, const char *set_spec,
                        const struct lr_ban_target *const *t, const unsigned *timeout_s, size_t n);
int lr_ban_nft_delete(struct lr_buf *out, const char *set_spec, const struct lr_ban_target *t);

/* ipset set names: 1..31 characters of [A-Za-z0-9_.:-], not starting with '-'
 * (it would read as an option). Returns 0, or -1 with a message in err. */
int lr_ban_ipset_name_check(const char *name, char *err, size_t errlen);

/* argv for ipset (Pyruse's ipsetBan.ipset, default {"/usr/bin/ipset", "-exist",
 * "-quiet", NULL}): the NULL-terminated base, then
 *   "add" SET ADDR ["timeout" N]      (N omitted when timeout_s == 0)
 *   "del" SET ADDR
 * N is capped at LR_BAN_IPSET_MAX_TIMEOUT, above which ipset refuses the command.
 * A prefix ban needs a hash:net set (hash:ip would expand an IPv4 network into
 * one entry per address and refuses IPv6 networks).
 * Returns a malloc'd NULL-terminated argv of malloc'd strings (lr_ban_argv_free),
 * or NULL when base is NULL or empty, set fails lr_ban_ipset_name_check or t is
 * not a parsed target. */
char **lr_ban_ipset_add_argv(const char *const *base, const char *set,
                             const struct lr_ban_target *t, unsigned timeout_s);
char **lr_ban_ipset_del_argv(const char *const *base, const char *set,
                             const struct lr_ban_target *t);

/* argv for nft (Pyruse's nftBan.nft, default {"/usr/bin/nft", NULL}): the base,
 * then the statement as ONE argument. NULL when base is NULL or empty or
 * statement is NULL. */
char **lr_ban_nft_argv(const char *const *base, const char *statement);

/* What a ban would do, as rule authors' specs and `luruse explain` show it:
 * the nft statement, or the ipset arguments after the program ("add SET ADDR
 * [timeout N]"). Replaces out's text; out->data is never NULL afterwards. */
void lr_ban_describe_add(struct lr_buf *out, bool ipset, const char *set,
                         const struct lr_ban_target *t, unsigned timeout_s);

/* Frees an argv from the functions above; NULL is fine. */
void lr_ban_argv_free(char **argv);
