#include "util/ipnet.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* Longest textual address inet_ntop can produce, without its NUL. */
#define IPNET_MAXTEXT (INET6_ADDRSTRLEN - 1)
/* How much of a bad input is echoed in an error message. */
#define IPNET_QUOTE_MAX 48

static unsigned ipnet_bits(int family) { return family == AF_INET ? 32 : 128; }

static bool ipnet_addr_char(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
         c == '.' || c == ':';
}

bool lr_ipaddr_parse(const char *s, size_t len, struct lr_ipaddr *out)
{
  memset(out, 0, sizeof(*out));
  if (!s || len == 0 || len > IPNET_MAXTEXT)
    return false;
  /* inet_pton already refuses most junk; the explicit allow-list also keeps out
   * zone ids, prefixes, whitespace and NULs, which would otherwise be cut off
   * or reach an nft command line behind an address that "parsed". */
  bool colon = false;
  for (size_t i = 0; i < len; i++) {
    if (!ipnet_addr_char(s[i]))
      return false;
    colon |= s[i] == ':';
  }
  char text[IPNET_MAXTEXT + 1];
  memcpy(text, s, len);
  text[len] = '\0';
  /* Like Python's ipaddress: any ':' means IPv6, so "::ffff:1.2.3.4" stays v6. */
  int family = colon ? AF_INET6 : AF_INET;
  if (inet_pton(family, text, out->bytes) != 1) {
    memset(out, 0, sizeof(*out));
    return false;
  }
  out->family = family;
  return true;
}

/* Dotted quad, without glibc's inet_ntop4 (an sprintf per call): the ban
 * target of every counted failure is formatted. */
static const char *format_ipv4(const uint8_t *b, char *buf, size_t buflen)
{
  char out[16];
  size_t n = 0;
  for (int i = 0; i < 4; i++) {
    unsigned v = b[i];
    if (v >= 100)
      out[n++] = (char)('0' + v / 100);
    if (v >= 10)
      out[n++] = (char)('0' + v / 10 % 10);
    out[n++] = (char)('0' + v % 10);
    out[n++] = i < 3 ? '.' : '\0';
  }
  if (n > buflen) {
    buf[0] = '\0';
    return NULL;
  }
  memcpy(buf, out, n);
  return buf;
}

/* IPv6 text as glibc's inet_ntop writes it (also without its sprintf per
 * group): lowercase hex without leading zeros, the first longest run of two
 * or more zero groups as "::", and the last 32 bits dotted after "::" (an
 * IPv4-compatible address other than :: and ::1) or "::ffff:" (IPv4-mapped).
 * Counter keys, ban records and fleet messages hold this text, so it must not
 * change: test_ipnet compares it with inet_ntop's. */
static const char *format_ipv6(const uint8_t *b, char *buf, size_t buflen)
{
  static const char hex[] = "0123456789abcdef";
  unsigned w[8];
  for (int i = 0; i < 8; i++)
    w[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i]) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && !w[j])
      j++;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2)
    best = -1;
  char out[INET6_ADDRSTRLEN];
  size_t n = 0;
  for (int i = 0; i < 8; i++) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best)
        out[n++] = ':';
      continue;
    }
    if (i)
      out[n++] = ':';
    if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
      format_ipv4(b + 12, out + n, sizeof(out) - n);
      n += strlen(out + n);
      break;
    }
    unsigned v = w[i];
    for (int shift = 12; shift > 0; shift -= 4)
      if (v >> shift)
        out[n++] = hex[(v >> shift) & 15];
    out[n++] = hex[v & 15];
  }
  if (best >= 0 && best + best_len == 8)
    out[n++] = ':';
  out[n++] = '\0';
  if (n > buflen) {
    buf[0] = '\0';
    return NULL;
  }
  memcpy(buf, out, n);
  return buf;
}

const char *lr_ipaddr_format(const struct lr_ipaddr *a, char *buf, size_t buflen)
{
  if (!buf || buflen == 0)
    return NULL;
  if (a->family == AF_INET)
    return format_ipv4(a->bytes, buf, buflen);
  if (a->family == AF_INET6)
    return format_ipv6(a->bytes, buf, buflen);
  buf[0] = '\0';
  return NULL;
}

/* Clears the bits after the prefix, so that equal networks compare equal. */
static void ipnet_mask(uint8_t *bytes, unsigned prefix, unsigned nbytes)
{
  for (unsigned i = 0; i < nbytes; i++) {
    unsigned first = i * 8;
    if (prefix >= first + 8)
      continue;
    if (prefix <= first)
      bytes[i] = 0;
    else
      bytes[i] &= (uint8_t)(0xff << (8 - (prefix - first)));
  }
}

/* Bounded, printable copy of bad input for error messages: the text may come
 * from a rule file or a log line and ends up in our own log. */
static const char *ipnet_quote(const char *s, size_t len, char *buf, size_t buflen)
{
  size_t n = 0;
  for (size_t i = 0; i < len && n + 4 < buflen; i++) {
    if (n >= IPNET_QUOTE_MAX) {
      memcpy(buf + n, "...", 3);
      n += 3;
      break;
    }
    unsigned char c = (unsigned char)s[i];
    buf[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
  }
  buf[n] = '\0';
  return buf;
}

__attribute__((format(printf, 3, 4)))
static int ipnet_fail(char *err, size_t errlen, const char *fmt, ...)
{
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

int lr_ipnet_parse(const char *s, struct lr_ipnet *out, char *err, size_t errlen)
{
  char q[IPNET_QUOTE_MAX + 8];
  memset(out, 0, sizeof(*out));
  if (!s)
    return ipnet_fail(err, errlen, "no network given");
  size_t total = strlen(s);
  const char *slash = memchr(s, '/', total);
  size_t alen = slash ? (size_t)(slash - s) : total;
  if (!lr_ipaddr_parse(s, alen, &out->addr))
    return ipnet_fail(err, errlen, "invalid IP address \"%s\"",
                      ipnet_quote(s, alen, q, sizeof(q)));
  unsigned max = ipnet_bits(out->addr.family);
  if (!slash) {
    out->prefix = max;
    return 0;
  }
  /* Digits only (Python's ip_network refuses signs and spaces too); the value is
   * capped while reading so that a long run of digits cannot overflow. */
  const char *p = slash + 1;
  unsigned prefix = 0;
  size_t ndigits = 0;
  for (; *p >= '0' && *p <= '9'; p++, ndigits++)
    if (prefix <= max)
      prefix = prefix * 10 + (unsigned)(*p - '0');
  if (ndigits == 0)
    return ipnet_fail(err, errlen, "invalid prefix length \"%s\"",
                      ipnet_quote(slash + 1, strlen(slash + 1), q, sizeof(q)));
  if (*p != '\0')
    return ipnet_fail(err, errlen, "unexpected text after prefix length: \"%s\"",
                      ipnet_quote(p, strlen(p), q, sizeof(q)));
  if (prefix > max)
    return ipnet_fail(err, errlen, "prefix length \"%s\" out of range for IPv%d (0-%u)",
                      ipnet_quote(slash + 1, (size_t)(p - slash - 1), q, sizeof(q)),
                      out->addr.family == AF_INET ? 4 : 6, max);
  out->prefix = prefix;
  /* strict=False semantics, as Pyruse used: 10.1.2.3/8 means 10.0.0.0/8. */
  ipnet_mask(out->addr.bytes, prefix, max / 8);
  return 0;
}

bool lr_ipnet_contains(const struct lr_ipnet *net, const struct lr_ipaddr *a)
{
  if (net->addr.family != a->family)
    return false;
  unsigned max = ipnet_bits(a->family);
  unsigned prefix = net->prefix < max ? net->prefix : max;
  unsigned full = prefix / 8, rest = prefix % 8;
  if (memcmp(net->addr.bytes, a->bytes, full) != 0)
    return false;
  if (rest == 0)
    return true;
  uint8_t m = (uint8_t)(0xff << (8 - rest));
  return (net->addr.bytes[full] & m) == (a->bytes[full] & m);
}

void lr_ipnet_around(const struct lr_ipaddr *a, unsigned prefix, struct lr_ipnet *out)
{
  unsigned max = ipnet_bits(a->family);
  out->addr = *a;
  out->prefix = prefix < max ? prefix : max;
  ipnet_mask(out->addr.bytes, out->prefix, max / 8);
}
