/* Ban targets: input = two bytes choosing the prefixes, then the untrusted
 * value. A value is refused with a reason, or it is made of hex digits, '.'
 * and ':' only and becomes a target whose text holds only hex digits, '.',
 * ':' and '/' (all that reaches nft or ipset), that reads back as the same
 * target (as a fleet message carries it), and that the nft statement and
 * ipset arguments carry unchanged. The log escape is printable ASCII and
 * bounded. The same value as a set spec or an ipset name is refused or made
 * of allowed bytes. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "defence/ban_target.h"
#include "fleet/fleet_msg.h"
#include "fuzz.h"
#include "util/buf.h"

static bool only(const char *s, size_t n, const char *allowed)
{
  for (size_t i = 0; i < n; i++)
    if (!s[i] || !strchr(allowed, s[i]))
      return false;
  return true;
}

static void check_target(const struct lr_ban_target *t, unsigned p4, unsigned p6)
{
  size_t n = strnlen(t->text, sizeof(t->text));
  FUZZ_CHECK(n > 0 && n < sizeof(t->text), "text of %zu bytes", n);
  FUZZ_CHECK(only(t->text, n, "0123456789abcdefABCDEF.:/"), "text \"%s\"", t->text);
  FUZZ_CHECK(t->family == AF_INET || t->family == AF_INET6, "family %d", t->family);
  unsigned width = t->family == AF_INET ? 32 : 128;
  FUZZ_CHECK(t->prefix >= 1 && t->prefix <= width, "prefix %u of %u", t->prefix, width);
  unsigned want = t->family == AF_INET ? p4 : p6;
  FUZZ_CHECK(t->prefix == (want ? want : width), "prefix %u, asked %u", t->prefix, want);
  /* host bits are zero */
  for (unsigned bit = t->prefix; bit < width; bit++)
    FUZZ_CHECK(!(t->addr[bit / 8] & (0x80 >> bit % 8)), "host bit %u set in %s", bit, t->text);
  const char *slash = strchr(t->text, '/');
  FUZZ_CHECK((slash != NULL) == (t->prefix != width), "\"%s\" for prefix %u", t->text, t->prefix);
  /* the text reads back as the same target where it travels as text: the
   * fleet's messages */
  struct lr_ban_target again;
  char why[256];
  FUZZ_CHECK(lr_fleet_addr_parse(t->text, n, &again, why, sizeof(why)) == 0,
             "\"%s\" refused on reading back: %s", t->text, why);
  FUZZ_CHECK(!memcmp(&again, t, sizeof(again)), "\"%s\" reads back otherwise", t->text);
}

static void check_commands(const struct lr_ban_target *t)
{
  struct lr_buf stmt = {0}, want = {0};
  const char *set = t->family == AF_INET ? "inet luruse ban4" : "inet luruse ban6";
  FUZZ_CHECK(lr_ban_nft_add(&stmt, set, t, 100) == 0, "%s", "nft add refused");
  lr_buf_printf(&want, "add element %s {%s timeout 100s}", set, t->text);
  FUZZ_CHECK(!strcmp(stmt.data, want.data), "statement \"%s\"", stmt.data);
  lr_buf_clear(&stmt);
  lr_buf_clear(&want);
  FUZZ_CHECK(lr_ban_nft_delete(&stmt, set, t) == 0, "%s", "nft delete refused");
  lr_buf_printf(&want, "delete element %s {%s}", set, t->text);
  FUZZ_CHECK(!strcmp(stmt.data, want.data), "statement \"%s\"", stmt.data);
  static const char *const base[] = {"/usr/sbin/ipset", "-exist", NULL};
  char **argv = lr_ban_ipset_add_argv(base, "bans", t, 60);
  FUZZ_CHECK(argv && !strcmp(argv[2], "add") && !strcmp(argv[3], "bans") &&
             !strcmp(argv[4], t->text) && !strcmp(argv[5], "timeout") &&
             !strcmp(argv[6], "60") && !argv[7], "%s", "ipset arguments");
  lr_ban_argv_free(argv);
  lr_buf_free(&stmt);
  lr_buf_free(&want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  if (size < 2)
    return 0;
  /* mostly 0 (a host), sometimes a network, now and then out of range */
  unsigned p4 = data[0] < 200 ? 0 : data[0] - 200, p6 = data[1] < 100 ? 0 : data[1] - 100;
  const char *v = (const char *)data + 2;
  size_t n = size - 2;

  struct lr_ban_target t;
  char why[256] = "";
  memset(&t, 0x5a, sizeof(t));
  if (lr_ban_target_parse(v, n, p4, p6, &t, why, sizeof(why)) == 0) {
    /* one address and nothing else: no space, zone, bracket, port, prefix */
    FUZZ_CHECK(only(v, n, "0123456789abcdefABCDEF.:"), "\"%.*s\" accepted", (int)n, v);
    check_target(&t, p4, p6);
    check_commands(&t);
  } else {
    static const struct lr_ban_target zero;
    FUZZ_CHECK(why[0] != '\0', "%s", "refused without a reason");
    FUZZ_CHECK(!memcmp(&t, &zero, sizeof(t)), "%s", "target not zeroed on failure");
  }

  struct lr_buf q = {0};
  lr_ban_escape_for_log(&q, v, n);
  FUZZ_CHECK(q.len <= 4 * 80 + 3, "escape of %zu bytes", q.len);
  for (size_t i = 0; i < q.len; i++) {
    char c = q.data[i];
    FUZZ_CHECK(c >= 0x20 && c < 0x7f && c != '"', "byte 0x%02x in the escape", (unsigned char)c);
    FUZZ_CHECK(c != '\\' || (i + 1 < q.len && q.data[i + 1] == 'x'), "%s", "a lone backslash");
  }
  lr_buf_free(&q);

  char *s = fuzz_strndup(data + 2, n);
  char err[256];
  if (lr_ban_nft_set_parse(s, err, sizeof(err)) == 0)
    FUZZ_CHECK(only(s, strlen(s), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_- "),
               "set spec \"%s\" accepted", s);
  if (lr_ban_ipset_name_check(s, err, sizeof(err)) == 0)
    FUZZ_CHECK(s[0] != '-' && strlen(s) <= LR_BAN_IPSET_NAME_MAX &&
               only(s, strlen(s), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-"),
               "ipset name \"%s\" accepted", s);
  free(s);
  return 0;
}
