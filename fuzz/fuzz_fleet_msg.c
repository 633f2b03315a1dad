/* The fleet's messages, as read from Redis (untrusted). An accepted message
 * has names of [A-Za-z0-9._-], a set valid for its backend, a canonical
 * target whose text is only hex digits, '.', ':' and '/', and it survives a
 * round trip: formatted and read again, it is the same message. */
#include <stdlib.h>
#include <string.h>

#include "defence/ban_target.h"
#include "fleet/fleet_msg.h"
#include "fuzz.h"

static bool only(const char *s, const char *allowed)
{
  for (; *s; s++)
    if (!strchr(allowed, *s))
      return false;
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  struct lr_fleet_msg m, back;
  char why[256] = "", err[256];
  memset(&m, 0x5a, sizeof(m));
  if (lr_fleet_msg_parse((const char *)data, size, &m, why, sizeof(why)) < 0) {
    FUZZ_CHECK(why[0] != '\0', "%s", "refused without a reason");
    return 0;
  }
  FUZZ_CHECK(size <= LR_FLEET_MSG_MAX, "a message of %zu bytes", size);
  FUZZ_CHECK(m.op == LR_FLEET_BAN || m.op == LR_FLEET_UNBAN, "op %d", (int)m.op);
  FUZZ_CHECK(lr_fleet_name_ok(m.host, strlen(m.host)), "host \"%s\"", m.host);
  FUZZ_CHECK(!m.jail[0] || lr_fleet_name_ok(m.jail, strlen(m.jail)), "jail \"%s\"", m.jail);
  FUZZ_CHECK(m.backend == LR_BAN_NFT ? lr_ban_nft_set_parse(m.set, err, sizeof(err)) == 0
             : m.backend == LR_BAN_IPSET && lr_ban_ipset_name_check(m.set, err, sizeof(err)) == 0,
             "set \"%s\" for backend %d", m.set, (int)m.backend);
  FUZZ_CHECK(m.target.text[0] && only(m.target.text, "0123456789abcdef.:/"), "target \"%s\"",
             m.target.text);
  FUZZ_CHECK(m.until_s >= 0, "until %lld", (long long)m.until_s);

  char *text = lr_fleet_msg_format(&m);
  memset(&back, 0x33, sizeof(back));
  FUZZ_CHECK(lr_fleet_msg_parse(text, strlen(text), &back, why, sizeof(why)) == 0,
             "its own text \"%s\" refused: %s", text, why);
  FUZZ_CHECK(back.op == m.op && !strcmp(back.host, m.host) && !strcmp(back.jail, m.jail) &&
             back.backend == m.backend && !strcmp(back.set, m.set) &&
             !memcmp(&back.target, &m.target, sizeof(m.target)) &&
             (m.op == LR_FLEET_UNBAN || back.until_s == m.until_s) && back.at_usec == m.at_usec,
             "\"%s\" reads back otherwise", text);
  free(text);
  char *key = lr_fleet_ban_key("luruse", m.backend, m.set, m.target.text);
  FUZZ_CHECK(key && !strchr(key, '\n') && !strchr(key, ' ') == !strchr(m.set, ' '), "key \"%s\"",
             key);
  free(key);
  return 0;
}
