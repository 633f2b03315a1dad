/* The fleet's messages (untrusted when read from Redis) and its setting. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "fleet/fleet_config.h"
#include "fleet/fleet_msg.h"
#include "util/errmsg.h"

static char why[LR_ERR_MAX];

static int parse(const char *text, struct lr_fleet_msg *m)
{
  why[0] = '\0';
  return lr_fleet_msg_parse(text, strlen(text), m, why, sizeof(why));
}

static void refused(const char *text, const char *reason)
{
  struct lr_fleet_msg m;
  CHECK(parse(text, &m) < 0);
  CHECK(strstr(why, reason) != NULL);
  if (!strstr(why, reason))
    fprintf(stderr, "  for %s: got '%s', want '%s'\n", text, why, reason);
}

#define BAN(addr, set) "{\"v\":1,\"op\":\"ban\",\"host\":\"web1\",\"jail\":\"sshd\",\"backend\":\"nft\"," \
                       "\"set\":\"" set "\",\"addr\":\"" addr "\",\"until\":1767225600}"

static void config_fails(const char *json, const char *reason)
{
  struct lr_fleet_config c;
  lr_fleet_config_init(&c);
  json_t *j = json_loads(json, 0, NULL);
  REQUIRE(j != NULL);
  why[0] = '\0';
  CHECK(lr_fleet_config_parse(&c, j, why, sizeof(why)) < 0);
  CHECK(strstr(why, reason) != NULL);
  if (!strstr(why, reason))
    fprintf(stderr, "  for %s: got '%s', want '%s'\n", json, why, reason);
  json_decref(j);
  lr_fleet_config_free(&c);
}

static struct lr_fleet_config config_ok(const char *json)
{
  struct lr_fleet_config c;
  lr_fleet_config_init(&c);
  json_t *j = json_loads(json, 0, NULL);
  REQUIRE(j != NULL);
  int rc = lr_fleet_config_parse(&c, j, why, sizeof(why));
  if (rc < 0)
    fprintf(stderr, "unexpected: %s\n", why);
  REQUIRE(rc == 0);
  json_decref(j);
  return c;
}

int main(void)
{
  /* a round trip */
  struct lr_fleet_msg m = {.op = LR_FLEET_BAN, .host = "web1", .jail = "sshd",
                           .backend = LR_BAN_NFT, .set = "inet luruse ban6", .until_s = 42};
  REQUIRE(lr_fleet_addr_parse("2001:db8::/64", 13, &m.target, why, sizeof(why)) == 0);
  char *text = lr_fleet_msg_format(&m);
  struct lr_fleet_msg back;
  CHECK(parse(text, &back) == 0);
  CHECK_STR(back.target.text, "2001:db8::/64");
  CHECK_STR(back.set, "inet luruse ban6");
  CHECK_INT(back.until_s, 42);
  CHECK_STR(back.host, "web1");
  free(text);
  m.op = LR_FLEET_UNBAN;
  text = lr_fleet_msg_format(&m);
  CHECK(strstr(text, "until") == NULL);
  CHECK(parse(text, &back) == 0 && back.op == LR_FLEET_UNBAN);
  free(text);
  char *key = lr_fleet_ban_key("luruse", LR_BAN_NFT, "inet luruse ban4", "192.0.2.7");
  CHECK_STR(key, "luruse:ban:nft:inet luruse ban4:192.0.2.7");
  free(key);

  /* what a hostile publisher may send */
  CHECK(parse(BAN("198.51.100.7", "inet luruse ban4"), &back) == 0);
  /* found by fuzzing: a prefix ban around ::1 or 0.0.0.5 is shared too */
  CHECK(parse(BAN("::/64", "inet luruse net6"), &back) == 0 && back.target.prefix == 64);
  CHECK(parse(BAN("0.0.0.0/24", "inet luruse net4"), &back) == 0);
  refused(BAN("224.0.0.0/4", "inet luruse net4"), "not a network");
  refused(BAN("1.2.3.4; flush ruleset", "inet luruse ban4"), "not an IPv4 or IPv6 address");
  refused(BAN("1.2.3.4 ", "inet luruse ban4"), "");
  refused(BAN("01.2.3.4", "inet luruse ban4"), "");
  refused(BAN("::ffff:1.2.3.4", "inet luruse ban4"), "canonical");
  refused(BAN("192.0.2.7/24", "inet luruse net4"), "canonical");
  refused(BAN("0.0.0.0/0", "inet luruse net4"), "/0");
  refused(BAN("2001:db8::1", "ip luruse ban4"), "IPv6 address for the set");
  refused(BAN("192.0.2.7", "inet luruse ban4; flush ruleset"), "");
  refused(BAN("192.0.2.7", "inet luruse"), "");
  refused("{\"v\":1,\"op\":\"ban\",\"host\":\"ev il\",\"jail\":\"sshd\",\"backend\":\"nft\",\"set\":\"inet luruse ban4\",\"addr\":\"192.0.2.7\",\"until\":0}", "\"host\"");
  refused("{\"v\":1,\"op\":\"ban\",\"host\":\"a\",\"jail\":\"sshd\",\"backend\":\"iptables\",\"set\":\"x\",\"addr\":\"192.0.2.7\",\"until\":0}", "backend");
  refused("{\"v\":1,\"op\":\"ban\",\"host\":\"a\",\"jail\":\"sshd\",\"backend\":\"nft\",\"set\":\"inet luruse ban4\",\"addr\":\"192.0.2.7\",\"until\":-5}", "until");
  refused("{\"v\":1,\"op\":\"ban\",\"host\":\"a\",\"jail\":\"sshd\",\"backend\":\"nft\",\"set\":\"inet luruse ban4\",\"addr\":\"192.0.2.7\"}", "until");
  refused("{\"v\":1,\"op\":\"unban\",\"host\":\"a\",\"jail\":\"\",\"backend\":\"nft\",\"set\":\"inet luruse ban4\",\"addr\":\"192.0.2.7\",\"until\":3}", "no \"until\"");
  refused("{\"v\":2,\"op\":\"ban\"}", "version");
  refused("{\"v\":1,\"op\":\"flush\"}", "op");
  refused("{\"v\":1,\"op\":\"ban\",\"extra\":1}", "unknown key");
  refused("{\"v\":1,\"v\":1}", "not a JSON object");
  refused("[1,2]", "not a JSON object");
  refused("", "not a JSON object");
  char big[LR_FLEET_MSG_MAX + 10];
  memset(big, ' ', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  refused(big, "more than");
  /* a NUL inside the text */
  struct lr_fleet_msg z;
  CHECK(lr_fleet_msg_parse("{\"v\":1\0}", 8, &z, why, sizeof(why)) < 0);

  /* the setting */
  struct lr_fleet_config c = config_ok("{\"fleet\": {\"redis\": \"redis://luruse:s%40cret@10.0.0.5:6380/2\", \"name\": \"web1\", \"share\": [\"sshd\", \"manual\"], \"count\": [\"sshd\"]}}");
  CHECK_STR(c.host, "10.0.0.5");
  CHECK_INT(c.port, 6380);
  CHECK_INT(c.db, 2);
  CHECK_STR(c.user, "luruse");
  CHECK_STR(c.password, "s@cret");
  CHECK_STR(c.url, "redis://luruse:***@10.0.0.5:6380/2");
  CHECK(lr_fleet_config_shares(&c, "sshd") && lr_fleet_config_shares(&c, "manual"));
  CHECK(!lr_fleet_config_shares(&c, "dovecot") && !lr_fleet_config_shares(&c, NULL));
  CHECK(lr_fleet_config_counts(&c, "sshd") && !lr_fleet_config_counts(&c, "manual"));
  lr_fleet_config_free(&c);
  c = config_ok("{\"fleet\": {\"redis\": \"redis://secret@[::1]\", \"share\": [\"*\"]}}");
  CHECK_STR(c.host, "::1");
  CHECK_INT(c.port, 6379);
  CHECK(c.user == NULL);
  CHECK_STR(c.password, "secret");
  CHECK(lr_fleet_config_shares(&c, NULL)); /* "*": ban steps' bans too */
  CHECK(c.name[0] != '\0');                 /* the hostname */
  lr_fleet_config_free(&c);
  c = config_ok("{\"fleet\": {\"redis\": \"unix:///run/redis/redis.sock?db=3\", \"name\": \"a\"}}");
  CHECK_STR(c.unix_path, "/run/redis/redis.sock");
  CHECK_INT(c.db, 3);
  lr_fleet_config_free(&c);
  config_fails("{\"fleet\": {\"redis\": \"rediss://h\"}}", "TLS");
  config_fails("{\"fleet\": {\"redis\": \"http://h\"}}", "is not redis://");
  config_fails("{\"fleet\": {\"redis\": \"redis://h:99999\"}}", "is not redis://");
  config_fails("{\"fleet\": {\"redis\": \"redis://u:p%zz@h\"}}", "%-escape");
  config_fails("{\"fleet\": {\"redis\": \"redis://h\", \"shares\": []}}", "unknown key 'shares'");
  config_fails("{\"fleet\": {\"redis\": \"redis://h\", \"share\": \"sshd\"}}", "list of jail names");
  config_fails("{\"fleet\": {\"redis\": \"redis://h\", \"name\": \"a b\"}}", "fleet.name");
  config_fails("{\"fleet\": {\"redis\": \"redis://h\", \"queueMax\": 0}}", "queueMax");
  config_fails("{\"fleet\": {}}", "'fleet.redis' is required");
  return check_done();
}
