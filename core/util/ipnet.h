/* IP addresses and networks, IPv4 and IPv6, parsed with inet_pton.
 *
 *   struct lr_ipnet net;
 *   if (lr_ipnet_parse("192.168.0.0/16", &net, err, sizeof(err)) < 0) ...
 *   struct lr_ipaddr a;
 *   if (lr_ipaddr_parse(s, len, &a) && lr_ipnet_contains(&net, &a)) ...
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lr_ipaddr {
  int family;          /* AF_INET or AF_INET6 */
  uint8_t bytes[16];   /* network order; 4 used for AF_INET */
};

struct lr_ipnet {
  struct lr_ipaddr addr; /* host bits cleared */
  unsigned prefix;
};

/* Strict: exactly an address, no spaces, no zone, no prefix; bounded length. */
bool lr_ipaddr_parse(const char *s, size_t len, struct lr_ipaddr *out);
/* Canonical text (inet_ntop); buf needs 46 bytes. */
const char *lr_ipaddr_format(const struct lr_ipaddr *a, char *buf, size_t buflen);
/* "ip/len", or a bare ip meaning /32 or /128. */
int lr_ipnet_parse(const char *s, struct lr_ipnet *out, char *err, size_t errlen);
bool lr_ipnet_contains(const struct lr_ipnet *net, const struct lr_ipaddr *a);
/* The network of the given prefix length around an address (for prefix bans). */
void lr_ipnet_around(const struct lr_ipaddr *a, unsigned prefix, struct lr_ipnet *out);
