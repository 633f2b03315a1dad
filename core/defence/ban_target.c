#include "defence/ban_target.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/ipnet.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Longer values cannot be an address; refused before any copy. */
#define BAN_VALUE_MAX 63
/* How many bytes of escaped value go into a log line. */
#define BAN_ESCAPE_MAX 80

__attribute__((format(printf, 3, 4)))
static int ban_fail(char *msg, size_t msglen, const char *fmt, ...)
{
  if (msg && msglen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

static unsigned ban_bits(int family) { return family == AF_INET ? 32 : 128; }

static bool ban_all_zero(const unsigned char *b, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (b[i])
      return false;
  return true;
}

/* ::ffff:0:0/96 */
static bool ban_is_v4_mapped(const struct lr_ipaddr *a)
{
  static const unsigned char head[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return a->family == AF_INET6 && memcmp(a->bytes, head, sizeof(head)) == 0;
}

/* Canonical text of family/addr/prefix into buf (64 bytes); false if impossible. */
static bool ban_format(int family, const unsigned char *addr, unsigned prefix, char *buf,
                       size_t buflen)
{
  struct lr_ipaddr a = {.family = family};
  if (family != AF_INET && family != AF_INET6)
    return false;
  unsigned max = ban_bits(family);
  if (prefix == 0 || prefix > max)
    return false;
  memcpy(a.bytes, addr, max / 8);
  if (!lr_ipaddr_format(&a, buf, buflen))
    return false;
  if (prefix == max)
    return true;
  size_t n = strlen(buf);
  char p[4]; /* "/" and at most three digits: prefix <= 128 */
  size_t k = 0;
  p[k++] = '/';
  if (prefix >= 100)
    p[k++] = (char)('0' + prefix / 100);
  if (prefix >= 10)
    p[k++] = (char)('0' + prefix / 10 % 10);
  p[k++] = (char)('0' + prefix % 10);
  if (n + k >= buflen)
    return false;
  memcpy(buf + n, p, k);
  buf[n + k] = '\0';
  return true;
}

/* A target is used only if its text is exactly what its bytes format to, so a
 * caller that built or altered a struct by hand cannot smuggle text through. */
static bool ban_target_ok(const struct lr_ban_target *t)
{
  if (!t || memchr(t->text, '\0', sizeof(t->text)) == NULL)
    return false;
  char text[sizeof(t->text)];
  if (!ban_format(t->family, t->addr, t->prefix, text, sizeof(text)))
    return false;
  /* host bits must already be clear */
  struct lr_ipaddr a = {.family = t->family};
  memcpy(a.bytes, t->addr, ban_bits(t->family) / 8);
  struct lr_ipnet net;
  lr_ipnet_around(&a, t->prefix, &net);
  if (memcmp(net.addr.bytes, t->addr, ban_bits(t->family) / 8) != 0)
    return false;
  return strcmp(text, t->text) == 0;
}

int lr_ban_target_parse(const char *value, size_t len, unsigned prefix4, unsigned prefix6,
                        struct lr_ban_target *out, char *why, size_t whylen)
{
  memset(out, 0, sizeof(*out));
  if (!value || len == 0)
    return ban_fail(why, whylen, "empty value");
  if (len > BAN_VALUE_MAX)
    return ban_fail(why, whylen, "value too long for an IP address (%zu bytes)", len);
  struct lr_ipaddr a;
  if (!lr_ipaddr_parse(value, len, &a))
    return ban_fail(why, whylen, "not an IPv4 or IPv6 address");

  if (ban_is_v4_mapped(&a)) {
    /* The kernel sees this client's packets as IPv4: ban it in the IPv4 set. */
    unsigned char v4[4];
    memcpy(v4, a.bytes + 12, sizeof(v4));
    memset(a.bytes, 0, sizeof(a.bytes));
    memcpy(a.bytes, v4, sizeof(v4));
    a.family = AF_INET;
  }

  unsigned max = ban_bits(a.family);
  if (ban_all_zero(a.bytes, max / 8))
    return ban_fail(why, whylen, "unspecified address");
  if (a.family == AF_INET) {
    if ((a.bytes[0] & 0xf0) == 0xe0)
      return ban_fail(why, whylen, "multicast address");
    static const unsigned char bcast[4] = {0xff, 0xff, 0xff, 0xff};
    if (memcmp(a.bytes, bcast, sizeof(bcast)) == 0)
      return ban_fail(why, whylen, "broadcast address");
  } else if (a.bytes[0] == 0xff) {
    return ban_fail(why, whylen, "multicast address");
  }

  unsigned prefix = a.family == AF_INET ? prefix4 : prefix6;
  if (prefix > max)
    return ban_fail(why, whylen, "IPv%d ban prefix length %u out of range (0-%u)",
                    a.family == AF_INET ? 4 : 6, prefix, max);
  if (prefix == 0)
    prefix = max;

  struct lr_ipnet net;
  lr_ipnet_around(&a, prefix, &net);
  out->family = a.family;
  out->prefix = net.prefix;
  memcpy(out->addr, net.addr.bytes, max / 8);
  if (!ban_format(out->family, out->addr, out->prefix, out->text, sizeof(out->text))) {
    memset(out, 0, sizeof(*out));
    return ban_fail(why, whylen, "address cannot be formatted");
  }
  return 0;
}

int lr_ban_target_from_text(const char *s, size_t n, struct lr_ban_target *out, char *why,
                            size_t whylen)
{
  const char *slash = memchr(s, '/', n);
  if (!slash) {
    if (lr_ban_target_parse(s, n, 0, 0, out, why, whylen) < 0)
      return -1;
  } else {
    memset(out, 0, sizeof(*out));
    size_t alen = (size_t)(slash - s), digits = n - alen - 1;
    unsigned prefix = 0;
    for (size_t i = 0; i < digits && digits <= 3; i++)
      prefix = slash[1 + i] >= '0' && slash[1 + i] <= '9'
                 ? prefix * 10 + (unsigned)(slash[1 + i] - '0') : 999;
    struct lr_ipaddr a;
    if (digits == 0 || digits > 3 || prefix == 999 || alen > BAN_VALUE_MAX ||
        !lr_ipaddr_parse(s, alen, &a))
      return ban_fail(why, whylen, "not an address or a prefix");
    if (prefix == 0)
      return ban_fail(why, whylen, "a /0 prefix would ban everything");
    /* the network's own address may be all zero ("::/64" around ::1); a
     * network that holds only addresses a ban refuses (multicast, IPv4-mapped:
     * those are banned as IPv4) is refused */
    if (prefix >= ban_bits(a.family) ||
        (a.family == AF_INET ? prefix >= 4 && (a.bytes[0] & 0xf0) == 0xe0
                             : (prefix >= 8 && a.bytes[0] == 0xff) ||
                                   (prefix >= 96 && ban_is_v4_mapped(&a))))
      return ban_fail(why, whylen, "not a network a ban can name");
    struct lr_ipnet net;
    lr_ipnet_around(&a, prefix, &net);
    out->family = a.family;
    out->prefix = net.prefix;
    memcpy(out->addr, net.addr.bytes, ban_bits(a.family) / 8);
    if (!ban_format(out->family, out->addr, out->prefix, out->text, sizeof(out->text))) {
      memset(out, 0, sizeof(*out));
      return ban_fail(why, whylen, "address cannot be formatted");
    }
  }
  if (strlen(out->text) != n || memcmp(out->text, s, n) != 0) {
    ban_fail(why, whylen, "the address is not in canonical form (%s)", out->text);
    memset(out, 0, sizeof(*out));
    return -1;
  }
  return 0;
}

void lr_ban_escape_for_log(struct lr_buf *out, const char *value, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  size_t used = 0, i = 0;
  if (!value)
    len = 0;
  for (; i < len; i++) {
    unsigned char c = (unsigned char)value[i];
    bool plain = c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
    size_t need = plain ? 1 : 4;
    if (used + need > BAN_ESCAPE_MAX)
      break;
    if (plain) {
      lr_buf_addc(out, (char)c);
    } else {
      char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 0xf]};
      lr_buf_add(out, esc, sizeof(esc));
    }
    used += need;
  }
  if (i < len)
    lr_buf_add(out, "...", 3);
  else if (!out->data)
    lr_buf_add(out, "", 0); /* always leave a string behind */
}

static bool nft_name_start(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool nft_name_char(char c)
{
  return nft_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* One name of [s, s+n): the table or the set. */
static int nft_name_check(const char *what, const char *s, size_t n, char *err, size_t errlen)
{
  if (n == 0)
    return ban_fail(err, errlen, "nft set spec: empty %s name", what);
  if (n > LR_BAN_NFT_NAME_MAX)
    return ban_fail(err, errlen, "nft set spec: %s name longer than %d characters", what,
                    LR_BAN_NFT_NAME_MAX);
  if (!nft_name_start(s[0]))
    return ban_fail(err, errlen, "nft set spec: %s name must start with a letter or '_'",
                    what);
  for (size_t i = 1; i < n; i++)
    if (!nft_name_char(s[i]))
      return ban_fail(err, errlen,
                      "nft set spec: %s name may only hold letters, digits, '_' and '-'",
                      what);
  return 0;
}

int lr_ban_nft_set_parse(const char *spec, char *err, size_t errlen)
{
  if (!spec || !*spec)
    return ban_fail(err, errlen, "nft set spec: empty, expected \"FAMILY TABLE SET\"");
  const char *sp1 = strchr(spec, ' ');
  const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
  if (!sp1 || !sp2 || strchr(sp2 + 1, ' '))
    return ban_fail(err, errlen,
                    "nft set spec: expected \"FAMILY TABLE SET\" separated by single spaces");
  size_t flen = (size_t)(sp1 - spec);
  bool family_ok = (flen == 2 && memcmp(spec, "ip", 2) == 0) ||
                   (flen == 3 && memcmp(spec, "ip6", 3) == 0) ||
                   (flen == 4 && memcmp(spec, "inet", 4) == 0);
  if (!family_ok)
    return ban_fail(err, errlen, "nft set spec: family must be ip, ip6 or inet");
  if (nft_name_check("table", sp1 + 1, (size_t)(sp2 - sp1 - 1), err, errlen) < 0)
    return -1;
  return nft_name_check("set", sp2 + 1, strlen(sp2 + 1), err, errlen);
}

bool lr_ban_nft_family_holds(const char *spec, bool v6)
{
  if (!strncmp(spec, "inet ", 5))
    return true;
  return v6 ? !strncmp(spec, "ip6 ", 4) : !strncmp(spec, "ip ", 3);
}

int lr_ban_nft_add(struct lr_buf *out, const char *set_spec, const struct lr_ban_target *t,
                   unsigned timeout_s)
{
  return lr_ban_nft_add_many(out, set_spec, &t, &timeout_s, 1);
}

int lr_ban_nft_add_many(struct lr_buf *out, const char *set_spec,
                        const struct lr_ban_target *const *t, const unsigned *timeout_s, size_t n)
{
  if (!set_spec || lr_ban_nft_set_parse(set_spec, NULL, 0) < 0 || n == 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (!ban_target_ok(t[i]))
      return -1;
  lr_buf_printf(out, "add element %s {", set_spec);
  for (size_t i = 0; i < n; i++) {
    if (timeout_s[i])
      lr_buf_printf(out, "%s%s timeout %us", i ? ", " : "", t[i]->text, timeout_s[i]);
    else
      lr_buf_printf(out, "%s%s", i ? ", " : "", t[i]->text);
  }
  lr_buf_addc(out, '}');
  return 0;
}

int lr_ban_nft_delete(struct lr_buf *out, const char *set_spec, const struct lr_ban_target *t)
{
  if (!set_spec || lr_ban_nft_set_parse(set_spec, NULL, 0) < 0 || !ban_target_ok(t))
    return -1;
  lr_buf_printf(out, "delete element %s {%s}", set_spec, t->text);
  return 0;
}

int lr_ban_ipset_name_check(const char *name, char *err, size_t errlen)
{
  if (!name || !*name)
    return ban_fail(err, errlen, "ipset set name: empty");
  size_t n = strlen(name);
  if (n > LR_BAN_IPSET_NAME_MAX)
    return ban_fail(err, errlen, "ipset set name: longer than %d characters",
                    LR_BAN_IPSET_NAME_MAX);
  if (name[0] == '-')
    return ban_fail(err, errlen, "ipset set name: must not start with '-'");
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok)
      return ban_fail(err, errlen,
                      "ipset set name: may only hold letters, digits, '_', '.', ':' and '-'");
  }
  return 0;
}

/* base + extra (count of them) into a fresh argv; NULL if base is NULL or empty. */
static char **ban_argv(const char *const *base, const char *const *extra, size_t nextra)
{
  if (!base || !base[0])
    return NULL;
  size_t nbase = 0;
  while (base[nbase])
    nbase++;
  char **argv = lr_xcalloc(nbase + nextra + 1, sizeof(*argv));
  for (size_t i = 0; i < nbase; i++)
    argv[i] = lr_xstrdup(base[i]);
  for (size_t i = 0; i < nextra; i++)
    argv[nbase + i] = lr_xstrdup(extra[i]);
  return argv;
}

char **lr_ban_ipset_add_argv(const char *const *base, const char *set,
                             const struct lr_ban_target *t, unsigned timeout_s)
{
  if (lr_ban_ipset_name_check(set, NULL, 0) < 0 || !ban_target_ok(t))
    return NULL;
  if (timeout_s == 0) {
    const char *extra[] = {"add", set, t->text};
    return ban_argv(base, extra, sizeof(extra) / sizeof(extra[0]));
  }
  char secs[16];
  snprintf(secs, sizeof(secs), "%u",
           timeout_s < LR_BAN_IPSET_MAX_TIMEOUT ? timeout_s : LR_BAN_IPSET_MAX_TIMEOUT);
  const char *extra[] = {"add", set, t->text, "timeout", secs};
  return ban_argv(base, extra, sizeof(extra) / sizeof(extra[0]));
}

char **lr_ban_ipset_del_argv(const char *const *base, const char *set,
                             const struct lr_ban_target *t)
{
  if (lr_ban_ipset_name_check(set, NULL, 0) < 0 || !ban_target_ok(t))
    return NULL;
  const char *extra[] = {"del", set, t->text};
  return ban_argv(base, extra, sizeof(extra) / sizeof(extra[0]));
}

char **lr_ban_nft_argv(const char *const *base, const char *statement)
{
  if (!statement)
    return NULL;
  const char *extra[] = {statement};
  return ban_argv(base, extra, 1);
}

void lr_ban_argv_free(char **argv)
{
  if (!argv)
    return;
  for (char **p = argv; *p; p++)
    free(*p);
  free(argv);
}

void lr_ban_describe_add(struct lr_buf *out, bool ipset, const char *set,
                         const struct lr_ban_target *t, unsigned timeout_s)
{
  lr_buf_clear(out);
  if (!ipset) {
    lr_ban_nft_add(out, set, t, timeout_s);
  } else {
    static const char *const base[] = {"ipset", NULL};
    char **argv = lr_ban_ipset_add_argv(base, set, t, timeout_s);
    for (size_t i = 1; argv && argv[i]; i++)
      lr_buf_printf(out, "%s%s", i > 1 ? " " : "", argv[i]);
    lr_ban_argv_free(argv);
  }
  if (!out->data)
    lr_buf_add(out, "", 0);
}
