/* IP address and network parsing: canonical forms, hostile input, containment. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "util/ipnet.h"

struct addr_case {
  const char *in;
  size_t len;         /* 0: strlen(in) */
  int family;         /* 0: must be refused */
  const char *canon;
};

static const struct addr_case addr_cases[] = {
  {"1.2.3.4", 0, AF_INET, "1.2.3.4"},
  {"0.0.0.0", 0, AF_INET, "0.0.0.0"},
  {"255.255.255.255", 0, AF_INET, "255.255.255.255"},
  {"2001:DB8:0:0::1", 0, AF_INET6, "2001:db8::1"},
  {"2001:0db8:0000:0000:0000:0000:0000:0001", 0, AF_INET6, "2001:db8::1"},
  {"::", 0, AF_INET6, "::"},
  {"::1", 0, AF_INET6, "::1"},
  {"FE80::1", 0, AF_INET6, "fe80::1"},
  {"::ffff:1.2.3.4", 0, AF_INET6, "::ffff:1.2.3.4"},
  {"1:2:3:4:5:6:7:8", 0, AF_INET6, "1:2:3:4:5:6:7:8"},
  /* a length shorter than the text: only that prefix is read */
  {"1.2.3.4} ; flush ruleset", 7, AF_INET, "1.2.3.4"},
  {"10.0.0.1\n", 8, AF_INET, "10.0.0.1"},
  /* refused */
  {"", 0, 0, NULL},
  {"1.2.3.4} ; flush ruleset", 0, 0, NULL},
  {"1.2.3.4\n", 0, 0, NULL},
  {"1.2.3.4 ", 0, 0, NULL},
  {" 1.2.3.4", 0, 0, NULL},
  {"1.2.3.4\0", 8, 0, NULL},
  {"1.2.3.4/32", 0, 0, NULL},
  {"fe80::1%eth0", 0, 0, NULL},
  {"fe80::1%1", 0, 0, NULL},
  {"256.1.1.1", 0, 0, NULL},
  {"1.2.3", 0, 0, NULL},
  {"1.2.3.4.5", 0, 0, NULL},
  {"01.2.3.4", 0, 0, NULL},
  {"0x1.2.3.4", 0, 0, NULL},
  {"abcd", 0, 0, NULL},
  {"1::2::3", 0, 0, NULL},
  {"1:2:3:4:5:6:7:8:9", 0, 0, NULL},
  {"12345::1", 0, 0, NULL},
  {":", 0, 0, NULL},
  {"[::1]", 0, 0, NULL},
  {"localhost", 0, 0, NULL},
  {"-1.2.3.4", 0, 0, NULL},
  /* 46 characters: one more than INET6_ADDRSTRLEN - 1 */
  {"0000:0000:0000:0000:0000:0000:0000:0000:00000", 0, 0, NULL},
};

static void test_addresses(void)
{
  for (size_t i = 0; i < sizeof(addr_cases) / sizeof(addr_cases[0]); i++) {
    const struct addr_case *c = &addr_cases[i];
    size_t len = c->len ? c->len : strlen(c->in);
    struct lr_ipaddr a;
    bool ok = lr_ipaddr_parse(c->in, len, &a);
    if (!c->family) {
      if (ok)
        fprintf(stderr, "accepted: \"%s\"\n", c->in);
      CHECK(!ok);
      continue;
    }
    if (!ok)
      fprintf(stderr, "refused: \"%s\"\n", c->in);
    CHECK(ok);
    CHECK_INT(a.family, c->family);
    char buf[46];
    CHECK_STR(lr_ipaddr_format(&a, buf, sizeof(buf)), c->canon);
  }
}

static void test_long_inputs(void)
{
  /* 4 KB of digits, not NUL-terminated: refused on length before any copy */
  size_t n = 4096;
  char *digits = malloc(n);
  memset(digits, '7', n);
  struct lr_ipaddr a;
  CHECK(!lr_ipaddr_parse(digits, n, &a));
  free(digits);

  /* the longest legal text (45 chars) is accepted */
  const char *longest = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
  CHECK_INT(strlen(longest), 45);
  CHECK(lr_ipaddr_parse(longest, strlen(longest), &a));
  CHECK_INT(a.family, AF_INET6);

  /* a buffer too small for the text */
  char small[4];
  CHECK(lr_ipaddr_parse("10.0.0.1", 8, &a));
  CHECK(lr_ipaddr_format(&a, small, sizeof(small)) == NULL);
}

struct net_case {
  const char *net;
  const char *canon;   /* "addr/prefix" after parsing; NULL: must be refused */
  const char *err;     /* expected substring of the error message */
};

static const struct net_case net_cases[] = {
  {"192.168.0.0/16", "192.168.0.0/16", NULL},
  {"10.1.2.3/8", "10.0.0.0/8", NULL},
  {"10.1.2.3", "10.1.2.3/32", NULL},
  {"0.0.0.0/0", "0.0.0.0/0", NULL},
  {"1.2.3.4/0", "0.0.0.0/0", NULL},
  {"1.2.3.4/32", "1.2.3.4/32", NULL},
  {"1.2.3.255/31", "1.2.3.254/31", NULL},
  {"10.0.0.0/032", "10.0.0.0/32", NULL},
  {"2001:db8::1/32", "2001:db8::/32", NULL},
  {"2001:DB8:1:2:3:4:5:6/64", "2001:db8:1:2::/64", NULL},
  {"::1", "::1/128", NULL},
  {"::/0", "::/0", NULL},
  {"fe80::1/128", "fe80::1/128", NULL},
  {"fe80::ffff/121", "fe80::ff80/121", NULL},
  {"10.0.0.0/33", NULL, "out of range"},
  {"::/129", NULL, "out of range"},
  {"10.0.0.0/99999999999999999999", NULL, "out of range"},
  {"10.0.0.0/", NULL, "invalid prefix"},
  {"10.0.0.0/-1", NULL, "invalid prefix"},
  {"10.0.0.0/+8", NULL, "invalid prefix"},
  {"10.0.0.0/ 8", NULL, "invalid prefix"},
  {"10.0.0.0/8 ", NULL, "after prefix"},
  {"10.0.0.0/8/8", NULL, "after prefix"},
  {"10.0.0.0/8x", NULL, "after prefix"},
  {"10.0.0.0/255.0.0.0", NULL, "after prefix"},
  {"10.0.0.256/8", NULL, "invalid IP address"},
  {"/8", NULL, "invalid IP address"},
  {"", NULL, "invalid IP address"},
  {"fe80::1%eth0/64", NULL, "invalid IP address"},
  {"example.org/24", NULL, "invalid IP address"},
  {"1.2.3.4\n; flush ruleset", NULL, "invalid IP address \"1.2.3.4?; flush ruleset\""},
};

static void test_networks(void)
{
  for (size_t i = 0; i < sizeof(net_cases) / sizeof(net_cases[0]); i++) {
    const struct net_case *c = &net_cases[i];
    struct lr_ipnet net;
    char err[128] = "";
    int rc = lr_ipnet_parse(c->net, &net, err, sizeof(err));
    if (!c->canon) {
      CHECK_INT(rc, -1);
      if (!strstr(err, c->err))
        fprintf(stderr, "\"%s\": error \"%s\" lacks \"%s\"\n", c->net, err, c->err);
      CHECK(strstr(err, c->err) != NULL);
      continue;
    }
    if (rc != 0)
      fprintf(stderr, "\"%s\": %s\n", c->net, err);
    CHECK_INT(rc, 0);
    char addr[46], got[64];
    snprintf(got, sizeof(got), "%s/%u", lr_ipaddr_format(&net.addr, addr, sizeof(addr)),
             net.prefix);
    CHECK_STR(got, c->canon);
  }

  /* the echoed input is bounded */
  char longbad[300];
  memset(longbad, 'z', sizeof(longbad) - 1);
  longbad[sizeof(longbad) - 1] = '\0';
  struct lr_ipnet net;
  char err[512];
  CHECK_INT(lr_ipnet_parse(longbad, &net, err, sizeof(err)), -1);
  CHECK(strlen(err) < 100);
  /* a NULL or zero-size error buffer is tolerated */
  CHECK_INT(lr_ipnet_parse("10.0.0.0/33", &net, NULL, 0), -1);
}

struct contains_case {
  const char *net;
  const char *addr;
  bool in;
};

static const struct contains_case contains_cases[] = {
  {"192.168.0.0/16", "192.168.1.2", true},
  {"192.168.0.0/16", "192.169.1.2", false},
  {"192.168.0.0/16", "192.168.255.255", true},
  {"10.1.2.3/8", "10.200.0.1", true},
  {"10.0.0.0/9", "10.127.0.1", true},
  {"10.0.0.0/9", "10.128.0.1", false},
  {"0.0.0.0/0", "203.0.113.9", true},
  {"0.0.0.0/0", "::1", false},
  {"1.2.3.4/32", "1.2.3.4", true},
  {"1.2.3.4/32", "1.2.3.5", false},
  {"1.2.3.4", "1.2.3.4", true},
  {"1.2.3.4", "1.2.3.40", false},
  {"2001:db8::/32", "2001:db8:ffff::1", true},
  {"2001:db8::/32", "2001:db9::1", false},
  {"2001:db8:1:2::/64", "2001:db8:1:2:dead:beef:0:1", true},
  {"2001:db8:1:2::/64", "2001:db8:1:3::1", false},
  {"::/0", "2001:db8::1", true},
  {"::/0", "1.2.3.4", false},
  {"::1/128", "::1", true},
  {"::1", "::2", false},
  {"fe80::/10", "febf::1", true},
  {"fe80::/10", "fec0::1", false},
  /* mixed families never match, even for mapped addresses */
  {"1.2.3.0/24", "::ffff:1.2.3.4", false},
  {"::ffff:0:0/96", "1.2.3.4", false},
  {"::ffff:0:0/96", "::ffff:1.2.3.4", true},
};

static void test_contains(void)
{
  for (size_t i = 0; i < sizeof(contains_cases) / sizeof(contains_cases[0]); i++) {
    const struct contains_case *c = &contains_cases[i];
    struct lr_ipnet net;
    struct lr_ipaddr a;
    char err[128];
    CHECK_INT(lr_ipnet_parse(c->net, &net, err, sizeof(err)), 0);
    CHECK(lr_ipaddr_parse(c->addr, strlen(c->addr), &a));
    bool in = lr_ipnet_contains(&net, &a);
    if (in != c->in)
      fprintf(stderr, "%s in %s: got %d\n", c->addr, c->net, in);
    CHECK(in == c->in);
  }
}

struct around_case {
  const char *addr;
  unsigned prefix;
  const char *canon;
};

static const struct around_case around_cases[] = {
  {"203.0.113.77", 24, "203.0.113.0/24"},
  {"203.0.113.77", 32, "203.0.113.77/32"},
  {"203.0.113.77", 0, "0.0.0.0/0"},
  {"203.0.113.77", 20, "203.0.112.0/20"},
  {"203.0.113.77", 64, "203.0.113.77/32"}, /* clamped to the family */
  {"2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64"},
  {"2001:db8:1:2:3:4:5:6", 48, "2001:db8:1::/48"},
  {"2001:db8:1:2:3:4:5:6", 128, "2001:db8:1:2:3:4:5:6/128"},
  {"2001:db8:1:2:3:4:5:6", 56, "2001:db8:1::/56"},
  {"2001:db8:1:2ff:3:4:5:6", 56, "2001:db8:1:200::/56"},
};

static void test_around(void)
{
  for (size_t i = 0; i < sizeof(around_cases) / sizeof(around_cases[0]); i++) {
    const struct around_case *c = &around_cases[i];
    struct lr_ipaddr a;
    CHECK(lr_ipaddr_parse(c->addr, strlen(c->addr), &a));
    struct lr_ipnet net;
    lr_ipnet_around(&a, c->prefix, &net);
    char addr[46], got[64];
    snprintf(got, sizeof(got), "%s/%u", lr_ipaddr_format(&net.addr, addr, sizeof(addr)),
             net.prefix);
    CHECK_STR(got, c->canon);
    CHECK(lr_ipnet_contains(&net, &a));
  }
}

/* The IPv4 formatter is luruse's own (faster than inet_ntop): byte for byte
 * what inet_ntop writes, for every value of each octet and random addresses,
 * and NULL (an empty string) when the buffer is one byte short. */
static void test_ipv4_format_matches_inet_ntop(void)
{
  struct lr_ipaddr a = {.family = AF_INET};
  char got[INET6_ADDRSTRLEN], want[INET6_ADDRSTRLEN];
  unsigned seed = 12345;
  int mismatches = 0;
  for (int i = 0; i < 200000; i++) {
    if (i < 256 * 4) {
      memset(a.bytes, i % 3 == 0 ? 0 : 255, 4);
      a.bytes[i / 256] = (uint8_t)(i % 256);
    } else
      for (int k = 0; k < 4; k++)
        a.bytes[k] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
    inet_ntop(AF_INET, a.bytes, want, sizeof(want));
    if (!lr_ipaddr_format(&a, got, sizeof(got)) || strcmp(got, want) != 0)
      mismatches++;
  }
  CHECK_INT(mismatches, 0);
  memcpy(a.bytes, "\xff\xff\xff\xff", 4);
  char exact[16], short1[15];
  CHECK_STR(lr_ipaddr_format(&a, exact, sizeof(exact)), "255.255.255.255");
  CHECK(lr_ipaddr_format(&a, short1, sizeof(short1)) == NULL);
  CHECK_STR(short1, "");
}

/* The IPv6 formatter too: every pattern of zero and non-zero groups (which
 * run becomes "::"), with group values of one to four digits, 0xffff before
 * the last two groups (IPv4-mapped), the small values after "::" (IPv4-
 * compatible, ::1), and random addresses; then a buffer one byte short. */
static uint16_t group_value(unsigned *seed, int digits)
{
  static const uint16_t low[] = {0x1, 0x10, 0x100, 0x1000};
  *seed = *seed * 1103515245u + 12345u;
  uint16_t v = (uint16_t)(*seed >> 16);
  v = (uint16_t)(low[digits - 1] + v % (low[digits - 1] * 15u));
  return v ? v : 1;
}

static void test_ipv6_format_matches_inet_ntop(void)
{
  struct lr_ipaddr a = {.family = AF_INET6};
  char got[INET6_ADDRSTRLEN], want[INET6_ADDRSTRLEN];
  unsigned seed = 54321;
  int mismatches = 0, cases = 0;
  for (unsigned pattern = 0; pattern < 256; pattern++)
    for (int variant = 0; variant < 64; variant++) {
      for (int g = 0; g < 8; g++) {
        uint16_t v = pattern >> g & 1 ? group_value(&seed, 1 + (variant + g) % 4) : 0;
        if (variant % 8 == 7 && g == 5 && (pattern >> 5 & 1))
          v = 0xffff;
        if (variant % 16 == 3 && g == 7 && (pattern >> 7 & 1))
          v = (uint16_t)(variant % 3); /* ::1, ::2 and the like */
        a.bytes[2 * g] = (uint8_t)(v >> 8);
        a.bytes[2 * g + 1] = (uint8_t)v;
      }
      inet_ntop(AF_INET6, a.bytes, want, sizeof(want));
      if (!lr_ipaddr_format(&a, got, sizeof(got)) || strcmp(got, want) != 0) {
        if (mismatches++ < 5)
          fprintf(stderr, "  format: \"%s\", inet_ntop: \"%s\"\n", got, want);
      }
      cases++;
    }
  for (int i = 0; i < 200000; i++, cases++) {
    for (int k = 0; k < 16; k++)
      a.bytes[k] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
    inet_ntop(AF_INET6, a.bytes, want, sizeof(want));
    if (!lr_ipaddr_format(&a, got, sizeof(got)) || strcmp(got, want) != 0)
      mismatches++;
  }
  CHECK_INT(mismatches, 0);
  CHECK(cases == 256 * 64 + 200000);
  static const char *const fixed[][2] = {
    {"::", "::"}, {"::1", "::1"}, {"::ffff:10.1.2.3", "::ffff:10.1.2.3"},
    {"1:0:0:2::3", "1:0:0:2::3"}, {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
    {"fe80::", "fe80::"}, {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
    {"1::2:3:4:5:6:7", "1:0:2:3:4:5:6:7"},
  };
  for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
    CHECK(lr_ipaddr_parse(fixed[i][0], strlen(fixed[i][0]), &a));
    CHECK_STR(lr_ipaddr_format(&a, got, sizeof(got)), fixed[i][1]);
  }
  const char *longest = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  CHECK(lr_ipaddr_parse(longest, strlen(longest), &a));
  char exact[40], short1[39];
  CHECK_STR(lr_ipaddr_format(&a, exact, sizeof(exact)), longest);
  CHECK(lr_ipaddr_format(&a, short1, sizeof(short1)) == NULL);
  CHECK_STR(short1, "");
}

int main(void)
{
  test_addresses();
  test_ipv4_format_matches_inet_ntop();
  test_ipv6_format_matches_inet_ntop();
  test_long_inputs();
  test_networks();
  test_contains();
  test_around();
  return check_done();
}
