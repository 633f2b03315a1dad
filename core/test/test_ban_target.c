/* Ban targets: parsing hostile values, log escaping, set specs, nft statements and
 * ipset/nft argv, plus a random-input property check. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "defence/ban_target.h"
#include "util/buf.h"
#include "check.h"
#include "util/ipnet.h"

struct parse_case {
  const char *in;
  size_t len;        /* 0: strlen(in) */
  unsigned p4, p6;   /* ban prefixes */
  int family;        /* 0: must be refused */
  const char *text;  /* canonical text, or a fragment of the reason when refused */
  unsigned prefix;
};

static const struct parse_case parse_cases[] = {
  /* hosts */
  {"1.2.3.4", 0, 0, 0, AF_INET, "1.2.3.4", 32},
  {"127.0.0.1", 0, 0, 0, AF_INET, "127.0.0.1", 32},
  {"10.0.0.1", 0, 0, 0, AF_INET, "10.0.0.1", 32},
  {"223.255.255.255", 0, 0, 0, AF_INET, "223.255.255.255", 32},
  {"2001:db8::1", 0, 0, 0, AF_INET6, "2001:db8::1", 128},
  {"2001:0db8:0:0::1", 0, 0, 0, AF_INET6, "2001:db8::1", 128},
  {"2001:0DB8:0000:0000:0000:0000:0000:0001", 0, 0, 0, AF_INET6, "2001:db8::1", 128},
  {"FE80::ABCD", 0, 0, 0, AF_INET6, "fe80::abcd", 128},
  {"::1", 0, 0, 0, AF_INET6, "::1", 128},
  {"1:2:3:4:5:6:7:8", 0, 0, 0, AF_INET6, "1:2:3:4:5:6:7:8", 128},
  {"2001:db8:0:0:1:0:0:1", 0, 0, 0, AF_INET6, "2001:db8::1:0:0:1", 128},
  /* IPv4-mapped: banned as IPv4 */
  {"::ffff:1.2.3.4", 0, 0, 0, AF_INET, "1.2.3.4", 32},
  {"::FFFF:1.2.3.4", 0, 0, 0, AF_INET, "1.2.3.4", 32},
  {"::ffff:0102:0304", 0, 0, 0, AF_INET, "1.2.3.4", 32},
  {"::ffff:1.2.3.4", 0, 24, 64, AF_INET, "1.2.3.0/24", 24},
  /* not mapped: IPv4-compatible and NAT64 stay IPv6 */
  {"64:ff9b::1.2.3.4", 0, 0, 0, AF_INET6, "64:ff9b::102:304", 128},
  /* prefix bans */
  {"1.2.3.4", 0, 24, 64, AF_INET, "1.2.3.0/24", 24},
  {"1.2.3.4", 0, 32, 64, AF_INET, "1.2.3.4", 32},
  {"1.2.3.4", 0, 8, 0, AF_INET, "1.0.0.0/8", 8},
  {"1.2.3.255", 0, 31, 0, AF_INET, "1.2.3.254/31", 31},
  {"2001:db8::1", 0, 24, 64, AF_INET6, "2001:db8::/64", 64},
  {"2001:db8:aa:bb:cc::1", 0, 24, 48, AF_INET6, "2001:db8:aa::/48", 48},
  {"2001:db8::1", 0, 24, 128, AF_INET6, "2001:db8::1", 128},
  {"2001:db8::1", 0, 24, 0, AF_INET6, "2001:db8::1", 128},
  /* a length shorter than the buffer: only that part counts */
  {"1.2.3.4} ; flush ruleset", 7, 0, 0, AF_INET, "1.2.3.4", 32},

  /* refused: injection attempts */
  {"1.2.3.4} ; flush ruleset", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4 timeout 1s", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4\n", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4\0evil", 12, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4\0", 8, 0, 0, 0, "not an IPv4", 0},
  {"$(reboot)", 0, 0, 0, 0, "not an IPv4", 0},
  {"`reboot`", 0, 0, 0, 0, "not an IPv4", 0},
  {"-exist", 0, 0, 0, 0, "not an IPv4", 0},
  {"--help", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4;reboot", 0, 0, 0, 0, "not an IPv4", 0},
  {"{1.2.3.4}", 0, 0, 0, 0, "not an IPv4", 0},
  /* refused: empty and blank */
  {"", 0, 0, 0, 0, "empty", 0},
  {" ", 0, 0, 0, 0, "not an IPv4", 0},
  {" 1.2.3.4", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4 ", 0, 0, 0, 0, "not an IPv4", 0},
  {"\t1.2.3.4", 0, 0, 0, 0, "not an IPv4", 0},
  /* refused: not an address, or not only one */
  {"1.2.3.4/8", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4/32", 0, 0, 0, 0, "not an IPv4", 0},
  {"2001:db8::/64", 0, 0, 0, 0, "not an IPv4", 0},
  {"[::1]", 0, 0, 0, 0, "not an IPv4", 0},
  {"[::1]:22", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4:22", 0, 0, 0, 0, "not an IPv4", 0},
  {"fe80::1%eth0", 0, 0, 0, 0, "not an IPv4", 0},
  {"fe80::1%1", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.256", 0, 0, 0, 0, "not an IPv4", 0},
  {"01.2.3.4", 0, 0, 0, 0, "not an IPv4", 0},
  {"010.1.1.1", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.04", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.4.5", 0, 0, 0, 0, "not an IPv4", 0},
  {"1..2.3", 0, 0, 0, 0, "not an IPv4", 0},
  {"0x7f.0.0.1", 0, 0, 0, 0, "not an IPv4", 0},
  {"2130706433", 0, 0, 0, 0, "not an IPv4", 0},
  {"::ffff:999.1.1.1", 0, 0, 0, 0, "not an IPv4", 0},
  {"::ffff:01.2.3.4", 0, 0, 0, 0, "not an IPv4", 0},
  {"1:2:3:4:5:6:7:8:9", 0, 0, 0, 0, "not an IPv4", 0},
  {"2001:db8:::1", 0, 0, 0, 0, "not an IPv4", 0},
  {"2001:db8::1::2", 0, 0, 0, 0, "not an IPv4", 0},
  {"12345::1", 0, 0, 0, 0, "not an IPv4", 0},
  {"g::1", 0, 0, 0, 0, "not an IPv4", 0},
  {"localhost", 0, 0, 0, 0, "not an IPv4", 0},
  {"\xff\xfe" "1.2.3.4", 0, 0, 0, 0, "not an IPv4", 0},
  {"1.2.3.\xc3\xa9", 0, 0, 0, 0, "not an IPv4", 0},
  {"\xef\xbc\x91.2.3.4", 0, 0, 0, 0, "not an IPv4", 0}, /* fullwidth digit one */
  {"1.2.3.4\xe2\x80\x8b", 0, 0, 0, 0, "not an IPv4", 0}, /* zero-width space */
  /* refused: cannot be a packet's source */
  {"0.0.0.0", 0, 0, 0, 0, "unspecified", 0},
  {"::", 0, 0, 0, 0, "unspecified", 0},
  {"0:0:0:0:0:0:0:0", 0, 0, 0, 0, "unspecified", 0},
  {"::ffff:0.0.0.0", 0, 0, 0, 0, "unspecified", 0},
  {"224.0.0.1", 0, 0, 0, 0, "multicast", 0},
  {"239.255.255.250", 0, 0, 0, 0, "multicast", 0},
  {"ff02::1", 0, 0, 0, 0, "multicast", 0},
  {"::ffff:224.0.0.1", 0, 0, 0, 0, "multicast", 0},
  {"255.255.255.255", 0, 0, 0, 0, "broadcast", 0},
  /* refused: bad prefix configuration for the parsed family */
  {"1.2.3.4", 0, 33, 64, 0, "out of range", 0},
  {"2001:db8::1", 0, 24, 129, 0, "out of range", 0},
  {"::ffff:1.2.3.4", 0, 40, 64, 0, "out of range", 0},
};

static void test_parse_table(void)
{
  for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
    const struct parse_case *c = &parse_cases[i];
    size_t len = c->len ? c->len : strlen(c->in);
    struct lr_ban_target t;
    char why[128] = "";
    int rc = lr_ban_target_parse(c->in, len, c->p4, c->p6, &t, why, sizeof(why));
    if (c->family) {
      CHECK_INT(rc, 0);
      CHECK_INT(t.family, c->family);
      CHECK_STR(t.text, c->text);
      CHECK_INT(t.prefix, c->prefix);
      if (rc != 0)
        fprintf(stderr, "  case %zu: \"%s\" refused: %s\n", i, c->in, why);
    } else {
      CHECK_INT(rc, -1);
      CHECK(strstr(why, c->text) != NULL);
      CHECK_INT(t.family, 0);
      CHECK_STR(t.text, "");
      if (rc != -1 || !strstr(why, c->text))
        fprintf(stderr, "  case %zu: got \"%s\", why \"%s\"\n", i, t.text, why);
    }
  }
}

static void test_parse_bytes(void)
{
  struct lr_ban_target t;
  char why[128];

  /* bytes, host bits zeroed */
  CHECK_INT(lr_ban_target_parse("192.0.2.77", 10, 24, 0, &t, why, sizeof(why)), 0);
  static const unsigned char net4[4] = {192, 0, 2, 0};
  CHECK(memcmp(t.addr, net4, 4) == 0);
  CHECK(t.addr[4] == 0 && t.addr[15] == 0);

  CHECK_INT(lr_ban_target_parse("::ffff:10.20.30.40", 18, 0, 0, &t, why, sizeof(why)), 0);
  static const unsigned char mapped[4] = {10, 20, 30, 40};
  CHECK(memcmp(t.addr, mapped, 4) == 0);
  CHECK(t.addr[10] == 0 && t.addr[11] == 0 && t.addr[12] == 0);

  CHECK_INT(lr_ban_target_parse("2001:db8:1:2:3:4:5:6", 20, 0, 64, &t, why, sizeof(why)), 0);
  CHECK(t.addr[0] == 0x20 && t.addr[1] == 0x01 && t.addr[6] == 0 && t.addr[7] == 2);
  CHECK(t.addr[8] == 0 && t.addr[15] == 0);

  /* NULL and huge values */
  CHECK_INT(lr_ban_target_parse(NULL, 0, 0, 0, &t, why, sizeof(why)), -1);
  CHECK(strstr(why, "empty") != NULL);
  CHECK_INT(lr_ban_target_parse(NULL, 5, 0, 0, &t, why, sizeof(why)), -1);

  size_t big = 1024 * 1024;
  char *huge = malloc(big);
  memset(huge, 'a', big);
  CHECK_INT(lr_ban_target_parse(huge, big, 0, 0, &t, why, sizeof(why)), -1);
  CHECK(strstr(why, "too long") != NULL);
  /* the same with a valid address at the start */
  memcpy(huge, "1.2.3.4", 7);
  CHECK_INT(lr_ban_target_parse(huge, big, 0, 0, &t, why, sizeof(why)), -1);
  free(huge);

  /* 64 bytes and 63 bytes of plausible characters */
  char s64[65];
  memset(s64, '1', 64);
  s64[64] = '\0';
  CHECK_INT(lr_ban_target_parse(s64, 64, 0, 0, &t, why, sizeof(why)), -1);
  CHECK(strstr(why, "too long") != NULL);
  CHECK_INT(lr_ban_target_parse(s64, 63, 0, 0, &t, why, sizeof(why)), -1);

  /* why may be absent, or tiny */
  CHECK_INT(lr_ban_target_parse("x", 1, 0, 0, &t, NULL, 0), -1);
  char tiny[4];
  CHECK_INT(lr_ban_target_parse("x", 1, 0, 0, &t, tiny, sizeof(tiny)), -1);
  CHECK_STR(tiny, "not");
}

static void escape_is(const char *in, size_t len, const char *want)
{
  struct lr_buf b = {0};
  lr_ban_escape_for_log(&b, in, len);
  CHECK_STR(b.data, want);
  lr_buf_free(&b);
}

static void test_escape(void)
{
  escape_is("1.2.3.4", 7, "1.2.3.4");
  escape_is("", 0, "");
  escape_is(NULL, 3, "");
  escape_is("a\nb", 3, "a\\x0ab");
  escape_is("1.2.3.4\0evil", 12, "1.2.3.4\\x00evil");
  escape_is("\xff\xfe", 2, "\\xff\\xfe");
  escape_is("say \"hi\" \\o/", 12, "say \\x22hi\\x22 \\x5co/");
  escape_is("\x1b[31mred", 8, "\\x1b[31mred");
  escape_is("tab\there\x7f", 9, "tab\\x09here\\x7f");

  /* cut at 80 bytes */
  char a100[100];
  memset(a100, 'a', sizeof(a100));
  char want[100];
  memset(want, 'a', 80);
  memcpy(want + 80, "...", 4);
  escape_is(a100, sizeof(a100), want);
  want[80] = '\0';
  escape_is(a100, 80, want); /* exactly 80: not cut */
  want[79] = '\0';
  escape_is(a100, 79, want);
  /* escapes count toward the limit and are never split */
  char nl[30];
  memset(nl, '\n', sizeof(nl));
  struct lr_buf b = {0};
  lr_ban_escape_for_log(&b, nl, sizeof(nl));
  CHECK_INT(b.len, 20 * 4 + 3);
  CHECK(strncmp(b.data + 76, "\\x0a...", 7) == 0);
  lr_buf_free(&b);

  /* 1 MB of junk stays bounded; appends to what is there */
  size_t big = 1024 * 1024;
  char *huge = malloc(big);
  for (size_t i = 0; i < big; i++)
    huge[i] = (char)(i * 7);
  lr_buf_add(&b, "v=", 2);
  lr_ban_escape_for_log(&b, huge, big);
  CHECK(b.len <= 2 + 80 + 3);
  CHECK(strncmp(b.data, "v=\\x00", 6) == 0);
  CHECK(strcmp(b.data + b.len - 3, "...") == 0);
  for (size_t i = 0; i < b.len; i++)
    CHECK(b.data[i] >= 0x20 && b.data[i] < 0x7f);
  lr_buf_free(&b);
  free(huge);
}

static void spec_ok(const char *spec)
{
  char err[160] = "";
  CHECK_INT(lr_ban_nft_set_parse(spec, err, sizeof(err)), 0);
  if (err[0])
    fprintf(stderr, "  spec \"%s\": %s\n", spec, err);
}

static void spec_bad(const char *spec, const char *fragment)
{
  char err[160] = "";
  CHECK_INT(lr_ban_nft_set_parse(spec, err, sizeof(err)), -1);
  CHECK(strstr(err, fragment) != NULL);
  if (!strstr(err, fragment))
    fprintf(stderr, "  spec \"%s\": \"%s\" lacks \"%s\"\n", spec ? spec : "(null)", err,
            fragment);
}

static void test_set_spec(void)
{
  spec_ok("ip I4 bans");
  spec_ok("ip6 I6 bans");
  spec_ok("inet filter ban_v4");
  spec_ok("inet my-table my-set");
  spec_ok("ip _t _s9");

  char name64[65], name65[66], spec[200];
  memset(name64, 'n', 64);
  name64[64] = '\0';
  memset(name65, 'n', 65);
  name65[65] = '\0';
  snprintf(spec, sizeof(spec), "ip %s bans", name64);
  spec_ok(spec);
  snprintf(spec, sizeof(spec), "ip t %s", name64);
  spec_ok(spec);
  snprintf(spec, sizeof(spec), "ip %s bans", name65);
  spec_bad(spec, "longer than 64");
  snprintf(spec, sizeof(spec), "ip t %s", name65);
  spec_bad(spec, "set name longer");

  spec_bad(NULL, "empty");
  spec_bad("", "empty");
  spec_bad("ip I4 bans; flush ruleset", "single spaces");
  spec_bad("ip I4 bans;", "set name may only");
  spec_bad("ip I4 {bans}", "set name must start");
  spec_bad("ip I4", "FAMILY TABLE SET");
  spec_bad("ip", "FAMILY TABLE SET");
  spec_bad("ip I4 b a n s", "single spaces");
  spec_bad("bridge x y", "family");
  spec_bad("arp x y", "family");
  spec_bad("netdev x y", "family");
  spec_bad("IP I4 bans", "family");
  spec_bad("ip  I4 bans", "single spaces");
  spec_bad("ip I4 bans ", "single spaces");
  spec_bad(" ip I4 bans", "single spaces");
  spec_bad("ip I4 ", "empty set");
  spec_bad("ip  bans", "empty table");
  spec_bad("ip\tI4 bans", "single spaces");
  spec_bad("ip I4 ban\ns", "set name may only");
  spec_bad("ip I4 4bans", "must start");
  spec_bad("ip -t bans", "table name must start");
  spec_bad("ip I4 ba.ns", "may only");
  spec_bad("ip I4 ba/ns", "may only");
  spec_bad("ip I4 ba\"ns", "may only");
  spec_bad("ip I4 b\xc3\xa4ns", "may only");
  spec_bad("ip $(x) bans", "table name");
}

static void parse_ok(const char *s, unsigned p4, unsigned p6, struct lr_ban_target *t)
{
  char why[128] = "";
  int rc = lr_ban_target_parse(s, strlen(s), p4, p6, t, why, sizeof(why));
  CHECK_INT(rc, 0);
  if (rc)
    fprintf(stderr, "  \"%s\": %s\n", s, why);
}

static void stmt_is(int (*fn)(struct lr_buf *, const char *, const struct lr_ban_target *,
                              unsigned),
                    const char *set, const struct lr_ban_target *t, unsigned timeout,
                    const char *want)
{
  struct lr_buf b = {0};
  CHECK_INT(fn(&b, set, t, timeout), 0);
  CHECK_STR(b.data, want);
  lr_buf_free(&b);
}

static void test_nft_statements(void)
{
  struct lr_ban_target v4, v6, n4, n6;
  parse_ok("1.2.3.4", 0, 0, &v4);
  parse_ok("2001:0DB8::1", 0, 0, &v6);
  parse_ok("1.2.3.4", 24, 64, &n4);
  parse_ok("2001:db8::1", 24, 64, &n6);

  stmt_is(lr_ban_nft_add, "ip I4 bans", &v4, 100, "add element ip I4 bans {1.2.3.4 timeout 100s}");
  stmt_is(lr_ban_nft_add, "ip I4 bans", &v4, 0, "add element ip I4 bans {1.2.3.4}");
  stmt_is(lr_ban_nft_add, "ip6 I6 bans", &v6, 3600,
          "add element ip6 I6 bans {2001:db8::1 timeout 3600s}");
  stmt_is(lr_ban_nft_add, "inet filter ban_v4", &n4, 86400,
          "add element inet filter ban_v4 {1.2.3.0/24 timeout 86400s}");
  stmt_is(lr_ban_nft_add, "ip6 I6 bans", &n6, 0, "add element ip6 I6 bans {2001:db8::/64}");
  stmt_is(lr_ban_nft_add, "ip I4 bans", &v4, 4294967295u,
          "add element ip I4 bans {1.2.3.4 timeout 4294967295s}");

  struct lr_buf b = {0};
  CHECK_INT(lr_ban_nft_delete(&b, "ip I4 bans", &v4), 0);
  CHECK_STR(b.data, "delete element ip I4 bans {1.2.3.4}");
  lr_buf_clear(&b);
  CHECK_INT(lr_ban_nft_delete(&b, "ip6 I6 bans", &n6), 0);
  CHECK_STR(b.data, "delete element ip6 I6 bans {2001:db8::/64}");

  /* many elements in one statement, each with its timeout; a bad one spoils all */
  lr_buf_clear(&b);
  {
    const struct lr_ban_target *many[] = {&v4, &n4};
    unsigned timeouts[] = {60, 0};
    CHECK_INT(lr_ban_nft_add_many(&b, "ip I4 bans", many, timeouts, 2), 0);
    CHECK_STR(b.data, "add element ip I4 bans {1.2.3.4 timeout 60s, 1.2.3.0/24}");
    lr_buf_clear(&b);
    struct lr_ban_target forged = v4;
    snprintf(forged.text, sizeof(forged.text), "1.2.3.4} ; flush ruleset");
    const struct lr_ban_target *bad_many[] = {&v4, &forged};
    CHECK_INT(lr_ban_nft_add_many(&b, "ip I4 bans", bad_many, timeouts, 2), -1);
    CHECK_INT(lr_ban_nft_add_many(&b, "ip I4 bans", many, timeouts, 0), -1);
    CHECK(b.len == 0);
  }

  /* an unchecked spec or a tampered target produces nothing */
  lr_buf_clear(&b);
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans} ; flush ruleset ; add element ip I4 x {1.1.1.1",
                           &v4, 0), -1);
  CHECK_INT(lr_ban_nft_add(&b, NULL, &v4, 0), -1);
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans", NULL, 0), -1);
  struct lr_ban_target bad = v4;
  snprintf(bad.text, sizeof(bad.text), "1.2.3.4} ; flush ruleset");
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans", &bad, 0), -1);
  CHECK_INT(lr_ban_nft_delete(&b, "ip I4 bans", &bad), -1);
  bad = v4;
  bad.addr[3] = 5; /* text no longer matches the bytes */
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans", &bad, 0), -1);
  bad = n4;
  bad.addr[3] = 4; /* host bits set under a /24 */
  snprintf(bad.text, sizeof(bad.text), "1.2.3.4/24");
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans", &bad, 0), -1);
  struct lr_ban_target zero = {0};
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans", &zero, 0), -1);
  bad = v4;
  memset(bad.text, 'x', sizeof(bad.text)); /* no NUL */
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans", &bad, 0), -1);
  CHECK_INT(b.len, 0);

  /* appends */
  lr_buf_add(&b, "> ", 2);
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans", &v4, 5), 0);
  CHECK_STR(b.data, "> add element ip I4 bans {1.2.3.4 timeout 5s}");
  lr_buf_free(&b);
}

static size_t argv_count(char **argv)
{
  size_t n = 0;
  while (argv && argv[n])
    n++;
  return n;
}

static void argv_is(char **argv, const char *const *want)
{
  REQUIRE(argv != NULL);
  size_t n = 0;
  while (want[n])
    n++;
  CHECK_INT(argv_count(argv), n);
  for (size_t i = 0; argv && i < n && i < argv_count(argv); i++)
    CHECK_STR(argv[i], want[i]);
  lr_ban_argv_free(argv);
}

static void test_argv(void)
{
  struct lr_ban_target v4, v6, n4, n6;
  parse_ok("1.2.3.4", 0, 0, &v4);
  parse_ok("2001:db8::1", 0, 0, &v6);
  parse_ok("1.2.3.4", 24, 64, &n4);
  parse_ok("2001:db8::1", 24, 64, &n6);

  static const char *const ipset[] = {"/usr/bin/ipset", "-exist", "-quiet", NULL};
  argv_is(lr_ban_ipset_add_argv(ipset, "ban4", &v4, 100),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "add", "ban4",
                                "1.2.3.4", "timeout", "100", NULL});
  argv_is(lr_ban_ipset_add_argv(ipset, "ban4", &v4, 0),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "add", "ban4",
                                "1.2.3.4", NULL});
  argv_is(lr_ban_ipset_add_argv(ipset, "ban6", &v6, 60),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "add", "ban6",
                                "2001:db8::1", "timeout", "60", NULL});
  argv_is(lr_ban_ipset_add_argv(ipset, "net4", &n4, 0),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "add", "net4",
                                "1.2.3.0/24", NULL});
  argv_is(lr_ban_ipset_add_argv(ipset, "net6", &n6, 7),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "add", "net6",
                                "2001:db8::/64", "timeout", "7", NULL});
  /* capped at ipset's maximum */
  argv_is(lr_ban_ipset_add_argv(ipset, "ban4", &v4, 2147483),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "add", "ban4",
                                "1.2.3.4", "timeout", "2147483", NULL});
  argv_is(lr_ban_ipset_add_argv(ipset, "ban4", &v4, 4294967295u),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "add", "ban4",
                                "1.2.3.4", "timeout", "2147483", NULL});
  argv_is(lr_ban_ipset_del_argv(ipset, "ban4", &v4),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "del", "ban4",
                                "1.2.3.4", NULL});
  argv_is(lr_ban_ipset_del_argv(ipset, "a.b:c-d_e", &n6),
          (const char *const[]){"/usr/bin/ipset", "-exist", "-quiet", "del", "a.b:c-d_e",
                                "2001:db8::/64", NULL});
  static const char *const sudo[] = {"sudo", "-n", "ipset", NULL};
  argv_is(lr_ban_ipset_add_argv(sudo, "b", &v4, 0),
          (const char *const[]){"sudo", "-n", "ipset", "add", "b", "1.2.3.4", NULL});

  /* refusals */
  static const char *const empty[] = {NULL};
  CHECK(lr_ban_ipset_add_argv(NULL, "ban4", &v4, 0) == NULL);
  CHECK(lr_ban_ipset_add_argv(empty, "ban4", &v4, 0) == NULL);
  CHECK(lr_ban_ipset_add_argv(ipset, NULL, &v4, 0) == NULL);
  CHECK(lr_ban_ipset_add_argv(ipset, "-exist", &v4, 0) == NULL);
  CHECK(lr_ban_ipset_add_argv(ipset, "ban 4", &v4, 0) == NULL);
  CHECK(lr_ban_ipset_add_argv(ipset, "ban4", NULL, 0) == NULL);
  struct lr_ban_target bad = v4;
  snprintf(bad.text, sizeof(bad.text), "--help");
  CHECK(lr_ban_ipset_add_argv(ipset, "ban4", &bad, 0) == NULL);
  CHECK(lr_ban_ipset_del_argv(ipset, "ban4", &bad) == NULL);
  CHECK(lr_ban_ipset_del_argv(ipset, "", &v4) == NULL);

  /* nft: base + one argument */
  static const char *const nft[] = {"/usr/bin/nft", NULL};
  struct lr_buf b = {0};
  CHECK_INT(lr_ban_nft_add(&b, "ip I4 bans", &v4, 100), 0);
  argv_is(lr_ban_nft_argv(nft, b.data),
          (const char *const[]){"/usr/bin/nft", "add element ip I4 bans {1.2.3.4 timeout 100s}",
                                NULL});
  static const char *const nft_sudo[] = {"sudo", "/usr/sbin/nft", NULL};
  argv_is(lr_ban_nft_argv(nft_sudo, "x y z"),
          (const char *const[]){"sudo", "/usr/sbin/nft", "x y z", NULL});
  CHECK(lr_ban_nft_argv(nft, NULL) == NULL);
  CHECK(lr_ban_nft_argv(NULL, b.data) == NULL);
  CHECK(lr_ban_nft_argv(empty, b.data) == NULL);
  lr_buf_free(&b);
  lr_ban_argv_free(NULL);

  /* the argv is a copy: changing the inputs afterwards changes nothing */
  char base0[] = "/usr/bin/ipset";
  const char *mutable_base[] = {base0, NULL};
  char set[] = "ban4";
  char **argv = lr_ban_ipset_add_argv(mutable_base, set, &v4, 0);
  base0[0] = 'X';
  set[0] = 'X';
  CHECK_STR(argv[0], "/usr/bin/ipset");
  CHECK_STR(argv[2], "ban4");
  lr_ban_argv_free(argv);
}

static void name_bad(const char *name)
{
  char err[128] = "";
  CHECK_INT(lr_ban_ipset_name_check(name, err, sizeof(err)), -1);
  CHECK(strstr(err, "ipset set name") != NULL);
}

static void test_ipset_names(void)
{
  char err[128];
  CHECK_INT(lr_ban_ipset_name_check("ban4", err, sizeof(err)), 0);
  CHECK_INT(lr_ban_ipset_name_check("a.b:c-d_E9", err, sizeof(err)), 0);
  CHECK_INT(lr_ban_ipset_name_check("9lives", err, sizeof(err)), 0);
  char n31[32], n32[33];
  memset(n31, 's', 31);
  n31[31] = '\0';
  memset(n32, 's', 32);
  n32[32] = '\0';
  CHECK_INT(lr_ban_ipset_name_check(n31, err, sizeof(err)), 0);
  name_bad(n32);
  name_bad(NULL);
  name_bad("");
  name_bad("-exist");
  name_bad("--help");
  name_bad("ban 4");
  name_bad("ban4;reboot");
  name_bad("$(reboot)");
  name_bad("ban/4");
  name_bad("ban4\n");
  name_bad("b\xc3\xa4n");
}

/* Deterministic xorshift so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static bool only_addr_chars(const char *s)
{
  for (; *s; s++)
    if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || *s == '.' || *s == ':' ||
          *s == '/'))
      return false;
  return true;
}

/* Any accepted value yields a text that re-parses to the same target. */
static bool property_holds(const char *s, size_t len, unsigned p4, unsigned p6)
{
  struct lr_ban_target t, again;
  char why[128];
  if (lr_ban_target_parse(s, len, p4, p6, &t, why, sizeof(why)) < 0)
    return t.family == 0 && t.text[0] == '\0' && why[0] != '\0';
  if (!only_addr_chars(t.text) || t.text[0] == '\0')
    return false;
  if (strchr(t.text, '/')) {
    /* A network: its address may be one a host ban refuses (::1 /64 gives
     * "::/64"), so read it back with the CIDR parser. */
    struct lr_ipnet net;
    char err[128], text[64];
    if (lr_ipnet_parse(t.text, &net, err, sizeof(err)) < 0 || net.addr.family != t.family ||
        net.prefix != t.prefix || net.prefix >= (t.family == AF_INET ? 32u : 128u) ||
        memcmp(net.addr.bytes, t.addr, sizeof(t.addr)) != 0)
      return false;
    char at[64];
    snprintf(text, sizeof(text), "%s/%u", lr_ipaddr_format(&net.addr, at, sizeof(at)),
             net.prefix);
    if (strcmp(text, t.text) != 0)
      return false;
  } else {
    if (lr_ban_target_parse(t.text, strlen(t.text), p4, p6, &again, why, sizeof(why)) < 0)
      return false;
    if (strcmp(again.text, t.text) != 0 || again.family != t.family ||
        again.prefix != t.prefix || memcmp(again.addr, t.addr, sizeof(t.addr)) != 0)
      return false;
  }
  struct lr_buf b = {0};
  bool ok = lr_ban_nft_add(&b, "ip I4 bans", &t, 1) == 0 && strchr(b.data, ';') == NULL;
  lr_buf_free(&b);
  return ok;
}

static void test_property(void)
{
  /* Bytes skewed toward address characters so that many inputs do parse. */
  static const char alphabet[] = "0123456789abcdefABCDEF.:::..ff%/[] \n\0\xff-x";
  size_t accepted = 0, failures = 0;
  char s[48];
  for (int i = 0; i < 100000; i++) {
    size_t len = (size_t)(rng() % 40);
    uint64_t mode = rng() % 4;
    for (size_t k = 0; k < len; k++) {
      uint64_t r = rng();
      s[k] = mode == 0 ? (char)(r & 0xff) : alphabet[r % (sizeof(alphabet) - 1)];
    }
    /* and some built from real shapes, with random damage */
    if (mode == 3) {
      struct in6_addr a6;
      for (size_t k = 0; k < sizeof(a6); k++)
        a6.s6_addr[k] = (uint8_t)rng();
      if (rng() % 3 == 0)
        memcpy(a6.s6_addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
      int fam = rng() % 2 ? AF_INET : AF_INET6;
      if (!inet_ntop(fam, &a6, s, sizeof(s)))
        continue;
      len = strlen(s);
      if (rng() % 4 == 0 && len > 0)
        s[rng() % len] = alphabet[rng() % (sizeof(alphabet) - 1)];
    }
    unsigned p4 = (unsigned)(rng() % 3 == 0 ? rng() % 33 : 0);
    unsigned p6 = (unsigned)(rng() % 3 == 0 ? rng() % 129 : 0);
    struct lr_ban_target t;
    if (lr_ban_target_parse(s, len, p4, p6, &t, NULL, 0) == 0)
      accepted++;
    if (!property_holds(s, len, p4, p6) && failures++ < 5) {
      struct lr_buf q = {0};
      lr_ban_escape_for_log(&q, s, len);
      fprintf(stderr, "  property failed for \"%s\" /%u /%u\n", q.data, p4, p6);
      lr_buf_free(&q);
    }
  }
  CHECK_INT(failures, 0);
  /* the generator must exercise the accepting path too */
  CHECK(accepted > 10000);
}

/* The one family check shared by the ban steps and `luruse control ban`. */
static void test_family_holds(void)
{
  CHECK(lr_ban_nft_family_holds("inet f bans", false));
  CHECK(lr_ban_nft_family_holds("inet f bans", true));
  CHECK(lr_ban_nft_family_holds("ip I4 bans", false));
  CHECK(!lr_ban_nft_family_holds("ip I4 bans", true));
  CHECK(lr_ban_nft_family_holds("ip6 I6 bans", true));
  CHECK(!lr_ban_nft_family_holds("ip6 I6 bans", false));
  CHECK(!lr_ban_nft_family_holds("inetx f bans", true));
  CHECK(!lr_ban_nft_family_holds("", false));
}

/* Found by fuzzing: a prefix ban around ::1 is "::/64", which the fleet's
 * reader refused as the unspecified address; every target reads back from
 * its text, and only networks a ban can make are accepted. */
static void test_from_text(void)
{
  static const struct { const char *in; unsigned p4, p6; } made[] = {
    {"::1", 0, 64}, {"::1", 0, 52}, {"0.0.0.5", 24, 0}, {"240.0.0.1", 3, 0},
    {"fe80::1", 0, 1}, {"192.0.2.7", 0, 0}, {"2001:db8::1", 0, 0}, {"::ffff:10.1.2.3", 8, 0}};
  char why[256];
  for (size_t i = 0; i < sizeof(made) / sizeof(*made); i++) {
    struct lr_ban_target t, back;
    REQUIRE(lr_ban_target_parse(made[i].in, strlen(made[i].in), made[i].p4, made[i].p6, &t, why,
                                sizeof(why)) == 0);
    int rc = lr_ban_target_from_text(t.text, strlen(t.text), &back, why, sizeof(why));
    if (rc < 0)
      fprintf(stderr, "%s: %s\n", t.text, why);
    CHECK(rc == 0 && memcmp(&t, &back, sizeof(t)) == 0);
  }
  static const struct { const char *in, *why; } refused[] = {
    {"224.0.0.0/4", "not a network"}, {"ff00::/8", "not a network"},
    {"::ffff:1.2.3.0/120", "not a network"}, {"1.2.3.4/32", "not a network"},
    {"1.2.3.4/24", "canonical"}, {"0.0.0.0/0", "/0"}, {"1.2.3.0/", "not an address"},
    {"1.2.3.0/2x", "not an address"}, {"0.0.0.0", "unspecified"}, {"::ffff:1.2.3.4", "canonical"},
    {"01.2.3.0/24", "not an address"}, {"1.2.3.0/0024", "not an address"}};
  for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
    struct lr_ban_target t;
    why[0] = '\0';
    CHECK(lr_ban_target_from_text(refused[i].in, strlen(refused[i].in), &t, why, sizeof(why)) < 0);
    if (!strstr(why, refused[i].why))
      fprintf(stderr, "%s: \"%s\" lacks \"%s\"\n", refused[i].in, why, refused[i].why);
    CHECK(strstr(why, refused[i].why) != NULL);
  }
}

int main(void)
{
  test_family_holds();
  test_parse_table();
  test_parse_bytes();
  test_escape();
  test_set_spec();
  test_nft_statements();
  test_ipset_names();
  test_argv();
  test_property();
  test_from_text();
  return check_done();
}
