/* The bans service without a kernel: settings parsing, and recording, re-ban,
 * restore, removal and exec with stand-in commands (/bin/sh scripts that
 * write their arguments to a file). libnftables is never used here: it would
 * change the host's firewall; tests/test_bans_netns.sh drives the real nft
 * and ipset inside a private network namespace. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "defence/ban_config.h"
#include "defence/bans.h"
#include "defence/exec.h"
#include "check.h"
#include "util/log.h"
#include "state/state.h"

static char dir[] = "/tmp/luruse-bans.XXXXXX";
static char out_path[64];

static const char *read_out(void) { return check_read_file(out_path); }

static void clear_out(void) { unlink(out_path); }

/* 0, or -1 with err, for a settings object given as JSON text. */
static int parse(struct lr_ban_config *c, const char *json, char *err, size_t errlen)
{
  json_error_t je;
  json_t *s = json_loads(json, JSON_ALLOW_NUL, &je);
  if (!s) {
    snprintf(err, errlen, "bad test JSON: %s", je.text);
    return -1;
  }
  int rc = lr_ban_config_parse(c, s, err, errlen);
  json_decref(s);
  return rc;
}

static void config_cases(void)
{
  struct lr_ban_config c;
  char err[512];
  lr_ban_config_init(&c);
  CHECK(c.nft == NULL); /* libnftables */
  CHECK_STR(c.ipset[0], "/usr/sbin/ipset");
  CHECK_STR(c.ipset[1], "-exist");
  CHECK_STR(c.ipset[2], "-quiet");
  CHECK(c.ipset[3] == NULL);
  CHECK_INT(c.timeout_s, LR_BAN_DEFAULT_TIMEOUT);
  CHECK_INT(parse(&c, "{\"nftBan\": {\"nft\": [\"/usr/sbin/nft\", \"-j\"]},"
                      " \"ipsetBan\": {\"ipset\": [\"/sbin/ipset\"]}, \"bans\": {\"timeoutSeconds\": 3}}",
                  err, sizeof(err)), 0);
  CHECK_STR(c.nft[0], "/usr/sbin/nft");
  CHECK_STR(c.nft[1], "-j");
  CHECK(c.nft[2] == NULL);
  CHECK_STR(c.ipset[0], "/sbin/ipset");
  CHECK(c.ipset[1] == NULL);
  CHECK_INT(c.timeout_s, 3);
  struct lr_ban_config copy = {0};
  lr_ban_config_copy(&copy, &c);
  CHECK_STR(copy.nft[1], "-j");
  CHECK(copy.nft != c.nft);
  lr_ban_config_free(&copy);
  lr_ban_config_free(&c);

  static const struct { const char *json, *want; } bad[] = {
    {"{\"nftBan\": [\"/usr/sbin/nft\"]}", "setting 'nftBan' must be an object"},
    {"{\"nftBan\": {\"nft\": \"/usr/sbin/nft\"}}", "setting 'nftBan.nft' must be a command"},
    {"{\"nftBan\": {\"nft\": []}}", "setting 'nftBan.nft' must be a command"},
    {"{\"nftBan\": {\"nft\": [\"\"]}}", "setting 'nftBan.nft': the program (item 1) is empty"},
    {"{\"nftBan\": {\"nft\": [\"/x\", 3]}}", "setting 'nftBan.nft' item 2 must be a string"},
    {"{\"nftBan\": {\"nft\": [\"/x\", \"a\\u0000b\"]}}", "item 2 must be a string without NUL"},
    {"{\"nftBan\": {\"nftt\": [\"/x\"]}}", "unknown setting 'nftBan.nftt' (only 'nft')"},
    {"{\"ipsetBan\": {\"ipset\": {}}}", "setting 'ipsetBan.ipset' must be a command"},
    {"{\"bans\": {\"timeoutSeconds\": 0}}", "setting 'bans.timeoutSeconds' must be"},
    {"{\"bans\": {\"timeoutSeconds\": \"10\"}}", "setting 'bans.timeoutSeconds' must be"},
    {"{\"bans\": {\"timeout\": 10}}", "unknown setting 'bans.timeout'"},
    {"{\"bans\": 10}", "setting 'bans' must be an object"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    lr_ban_config_init(&c);
    err[0] = '\0';
    CHECK_INT(parse(&c, bad[i].json, err, sizeof(err)), -1);
    if (!strstr(err, bad[i].want))
      CHECK_STR(err, bad[i].want);
    lr_ban_config_free(&c);
  }
}

static void target(const char *text, unsigned p4, unsigned p6, struct lr_ban_target *t)
{
  char why[128];
  CHECK_INT(lr_ban_target_parse(text, strlen(text), p4, p6, t, why, sizeof(why)), 0);
}

/* until_usec of a record, -1 when absent. */
static int64_t until_of(struct lr_state *st, const char *backend, const char *set,
                        const char *addr)
{
  sqlite3_stmt *q;
  int64_t v = -1;
  sqlite3_prepare_v2(lr_state_db(st), "SELECT until_usec FROM ban WHERE backend = ? AND "
                                      "set_name = ? AND addr = ?", -1, &q, NULL);
  sqlite3_bind_text(q, 1, backend, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, set, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, addr, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW)
    v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

static int count_rows(struct lr_state *st)
{
  sqlite3_stmt *q;
  int n = -1;
  sqlite3_prepare_v2(lr_state_db(st), "SELECT count(*) FROM ban", -1, &q, NULL);
  if (sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  return n;
}

static void listed(void *ctx, const struct lr_ban_record *r)
{
  char line[256];
  snprintf(line, sizeof(line), "%s|%s|%s|%lld\n", r->backend_name, r->set, r->addr,
           (long long)r->until_usec);
  strncat(ctx, line, 4095 - strlen(ctx));
}

int main(void)
{
  lr_log_to_stderr(true);
  config_cases();
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(out_path, sizeof(out_path), "%s/args", dir);
  char err[512], script[1024];
  struct lr_state *st = lr_state_open(dir, err, sizeof(err));
  REQUIRE(st != NULL);
  uv_loop_t loop;
  uv_loop_init(&loop);
  struct lr_bans *b = lr_bans_open(st, &loop, err, sizeof(err));
  REQUIRE(b != NULL);

  /* Stand-ins: ipset writes its arguments on one line, and whether the ban was
   * already recorded when it ran (the record comes first); nft writes its
   * argument count and the single statement. */
  bool have_sqlite3 = access("/usr/bin/sqlite3", X_OK) == 0;
  if (have_sqlite3)
    snprintf(script, sizeof(script),
             "echo \"$@\" >> '%s'; [ \"$1\" = add ] && echo \"recorded: $(/usr/bin/sqlite3 "
             "'%s/luruse.db' \"SELECT count(*) FROM ban WHERE addr = '$3'\")\" >> '%s'; true",
             out_path, dir, out_path);
  else
    snprintf(script, sizeof(script), "echo \"$@\" >> '%s'", out_path);
  char nft_script[512];
  snprintf(nft_script, sizeof(nft_script), "echo \"$#:$1\" >> '%s'", out_path);
  struct lr_ban_config cfg = {0};
  const char *ipset_argv[] = {"/bin/sh", "-c", script, "sh", NULL};
  const char *nft_argv[] = {"/bin/sh", "-c", nft_script, "sh", NULL};
  cfg.ipset = (char **)ipset_argv;
  cfg.nft = (char **)nft_argv; /* never libnftables here: it would touch the host */
  cfg.timeout_s = 5;
  lr_bans_configure(b, &cfg);

  /* the wall clock: removal skips the firewall for records already expired by it */
  const int64_t S = 1000000, now = lr_wall_usec() / S * S;
  struct lr_ban_target t1, t2, t3, net, v6;
  target("192.0.2.1", 0, 0, &t1);
  target("192.0.2.2", 0, 0, &t2);
  target("192.0.2.3", 0, 0, &t3);
  target("198.51.100.77", 24, 64, &net);
  target("2001:DB8::7", 0, 0, &v6);

  /* a first ban: recorded, then added with its timeout */
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &t1, 100, now, err, sizeof(err)), 0);
  CHECK_INT(until_of(st, "ipset", "bans4", "192.0.2.1"), now + 100 * S);
  lr_bans_settle(b);
  CHECK_STR(read_out(), have_sqlite3 ? "add bans4 192.0.2.1 timeout 100\nrecorded: 1\n"
                                     : "add bans4 192.0.2.1 timeout 100\n");
  /* a re-ban while live: the old element is deleted first, the record updated */
  clear_out();
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &t1, 200, now + 10 * S, err, sizeof(err)), 0);
  lr_bans_settle(b);
  CHECK_STR(read_out(), have_sqlite3
                          ? "del bans4 192.0.2.1\nadd bans4 192.0.2.1 timeout 200\nrecorded: 1\n"
                          : "del bans4 192.0.2.1\nadd bans4 192.0.2.1 timeout 200\n");
  CHECK_INT(until_of(st, "ipset", "bans4", "192.0.2.1"), now + 210 * S);
  /* permanent, prefix and IPv6 bans; nft through its command, one statement argument */
  clear_out();
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &t2, 0, now, err, sizeof(err)), 0);
  CHECK_INT(lr_bans_add(b, LR_BAN_NFT, "ip I4 bans", &net, 3600, now, err, sizeof(err)), 0);
  CHECK_INT(lr_bans_add(b, LR_BAN_NFT, "ip6 I6 bans", &v6, 0, now, err, sizeof(err)), 0);
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &t3, 1, now, err, sizeof(err)), 0);
  lr_bans_settle(b);
  CHECK_STR(read_out(),
            have_sqlite3 ? "add bans4 192.0.2.2\nrecorded: 1\n"
                           "1:add element ip I4 bans {198.51.100.0/24 timeout 3600s}\n"
                           "1:add element ip6 I6 bans {2001:db8::7}\n"
                           "add bans4 192.0.2.3 timeout 1\nrecorded: 1\n"
                         : "add bans4 192.0.2.2\n"
                           "1:add element ip I4 bans {198.51.100.0/24 timeout 3600s}\n"
                           "1:add element ip6 I6 bans {2001:db8::7}\n"
                           "add bans4 192.0.2.3 timeout 1\n");
  CHECK_INT(until_of(st, "ipset", "bans4", "192.0.2.2"), 0);
  CHECK_INT(until_of(st, "nft", "ip I4 bans", "198.51.100.0/24"), now + 3600 * S);
  /* a re-ban after the record expired: nothing to delete first */
  clear_out();
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &t3, 5, now + 2 * S, err, sizeof(err)), 0);
  lr_bans_settle(b);
  CHECK(strncmp(read_out(), "add bans4 192.0.2.3 timeout 5\n", 30) == 0);
  /* refused before any record */
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "-bad", &t3, 5, now, err, sizeof(err)), -1);
  CHECK_INT(lr_bans_add(b, LR_BAN_NFT, "ip I4 bans;", &t3, 5, now, err, sizeof(err)), -1);
  struct lr_ban_target forged = t3;
  memcpy(forged.text, "1.2.3.4 x", 10);
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &forged, 5, now, err, sizeof(err)), -1);
  CHECK_STR(err, "not a parsed address");
  CHECK_INT(count_rows(st), 5);

  char list[4096] = "";
  CHECK_INT(lr_bans_each(b, listed, list), 5);
  char want[1024];
  snprintf(want, sizeof(want),
           "ipset|bans4|192.0.2.1|%lld\nipset|bans4|192.0.2.2|0\nipset|bans4|192.0.2.3|%lld\n"
           "nft|ip I4 bans|198.51.100.0/24|%lld\nnft|ip6 I6 bans|2001:db8::7|0\n",
           (long long)(now + 210 * S), (long long)(now + 7 * S), (long long)(now + 3600 * S));
  CHECK_STR(list, want);

  /* records a restore must drop without running anything */
  CHECK_INT(lr_state_exec(st, "INSERT INTO ban (backend, set_name, addr, until_usec) VALUES ('nft', 'ip I4 bans; flush ruleset', "
                              "'192.0.2.9', 0), ('ipset', 'bans4', '192.0.2.9 ', 0), "
                              "('ipset', 'bans4', '01.2.3.4', 0), ('ipset', 'bans4', "
                              "'192.0.2.0/33', 0), ('iptables', 'x', '192.0.2.9', 0), "
                              "('ipset', 'bans4', '192.0.2.10', -5)"), 0);
  /* restore 50.5 s later: remaining times rounded up, the expired one dropped */
  clear_out();
  int64_t later = now + 50 * S + S / 2;
  CHECK_INT(lr_bans_restore(b, later), 4);
  lr_bans_settle(b);
  const char *restored = read_out();
  CHECK(strstr(restored, "add bans4 192.0.2.1 timeout 160\n") != NULL); /* 159.5 s left */
  CHECK(strstr(restored, "add bans4 192.0.2.2\n") != NULL);
  CHECK(strstr(restored, "1:add element ip I4 bans {198.51.100.0/24 timeout 3550s}\n") != NULL);
  CHECK(strstr(restored, "1:add element ip6 I6 bans {2001:db8::7}\n") != NULL);
  CHECK(strstr(restored, "192.0.2.3") == NULL);  /* ended at now + 7 s */
  CHECK(strstr(restored, "192.0.2.9") == NULL);
  CHECK(strstr(restored, "del ") == NULL);       /* a restore only adds */
  CHECK_INT(count_rows(st), 4);
  CHECK_INT(until_of(st, "ipset", "bans4", "192.0.2.3"), -1);
  CHECK_INT(lr_bans_remaining_s(now + 10 * S, now), 10);
  CHECK_INT(lr_bans_remaining_s(now + 10 * S + 1, now), 11);
  CHECK_INT(lr_bans_remaining_s(now, now), 0);

  /* removal: from every set the address is in, records gone */
  clear_out();
  CHECK_INT(lr_bans_remove(b, "192.0.2.1", err, sizeof(err)), 1);
  CHECK_INT(lr_bans_remove(b, "198.51.100.0/24", err, sizeof(err)), 1);
  CHECK_INT(lr_bans_remove(b, "2001:0db8:0::7", err, sizeof(err)), 1);
  CHECK_INT(lr_bans_remove(b, "192.0.2.200", err, sizeof(err)), 0);
  CHECK_INT(lr_bans_remove(b, "192.0.2.1; reboot", err, sizeof(err)), -1);
  CHECK(strstr(err, "not an address to unban") != NULL);
  lr_bans_settle(b);
  CHECK_STR(read_out(), "del bans4 192.0.2.1\n1:delete element ip I4 bans {198.51.100.0/24}\n"
                        "1:delete element ip6 I6 bans {2001:db8::7}\n");
  CHECK_INT(count_rows(st), 1);

  /* a failing command is logged and counted; the record stays for the next restore */
  struct lr_bans_stats s0, s1;
  lr_bans_get_stats(b, &s0);
  const char *fail_argv[] = {"/bin/sh", "-c", "echo 'no such set' >&2; exit 1", "sh", NULL};
  cfg.ipset = (char **)fail_argv;
  lr_bans_configure(b, &cfg);
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &t1, 60, now, err, sizeof(err)), 0);
  lr_bans_settle(b);
  lr_bans_get_stats(b, &s1);
  CHECK_INT(s1.failed - s0.failed, 1);
  CHECK_INT(until_of(st, "ipset", "bans4", "192.0.2.1"), now + 60 * S);
  /* a hung command is killed at bans.timeoutSeconds */
  const char *hang_argv[] = {"/bin/sh", "-c", "exec sleep 30", "sh", NULL};
  cfg.ipset = (char **)hang_argv;
  cfg.timeout_s = 1;
  lr_bans_configure(b, &cfg);
  uint64_t t0 = uv_hrtime();
  struct lr_ban_target fresh;
  target("192.0.2.50", 0, 0, &fresh);
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &fresh, 60, now, err, sizeof(err)), 0);
  lr_bans_settle(b);
  double took = (double)(uv_hrtime() - t0) / 1e9;
  CHECK(took >= 0.9 && took < 5);
  lr_bans_get_stats(b, &s0);
  CHECK_INT(s0.failed - s1.failed, 1);
  printf("a hung firewall command was killed after %.1f s\n", took);

  /* many bans: one command at a time, in order */
  cfg.ipset = (char **)ipset_argv;
  cfg.timeout_s = 5;
  lr_bans_configure(b, &cfg);
  clear_out();
  char expect[8192] = "";
  for (int i = 0; i < 40; i++) {
    char ip[32];
    struct lr_ban_target t;
    snprintf(ip, sizeof(ip), "203.0.113.%d", i + 1);
    target(ip, 0, 0, &t);
    CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, i % 2 ? "odd" : "even", &t, 30, now, err,
                          sizeof(err)), 0);
    char line[128];
    snprintf(line, sizeof(line), "add %s %s timeout 30\n%s", i % 2 ? "odd" : "even", ip,
             have_sqlite3 ? "recorded: 1\n" : "");
    strcat(expect, line);
  }
  CHECK(lr_bans_pending(b) > 0);
  lr_bans_settle(b);
  CHECK_INT(lr_bans_pending(b), 0);
  CHECK_STR(read_out(), expect);

  /* exec: arguments arrive intact, one each, without a shell reading them */
  clear_out();
  char exec_script[512];
  snprintf(exec_script, sizeof(exec_script), "for a; do printf '[%%s]' \"$a\"; done >> '%s'; "
           "echo >> '%s'", out_path, out_path);
  const char *exec_argv[] = {"/bin/sh", "-c", exec_script, "sh", "1.2.3.4} ; flush ruleset", "",
                             "$(reboot)", "a b\tc", NULL};
  struct lr_exec_queue *xq = lr_exec_new(&loop);
  struct lr_exec_stats xs;
  CHECK_INT(lr_exec_run(xq, exec_argv, 5000), 0);
  CHECK(lr_exec_pending(xq) > 0);
  CHECK_INT(lr_bans_pending(b), 0); /* exec is no ban command */
  lr_exec_settle(xq);
  CHECK_INT(lr_exec_pending(xq), 0);
  CHECK_STR(read_out(), "[1.2.3.4} ; flush ruleset][][$(reboot)][a b\tc]\n");
  const char *missing[] = {"/nonexistent/program", NULL};
  CHECK_INT(lr_exec_run(xq, missing, 5000), 0);
  lr_exec_settle(xq);
  lr_exec_get_stats(xq, &xs);
  CHECK_INT(xs.ok, 1);
  CHECK_INT(xs.failed, 1);
  CHECK_INT(xs.refused, 0);
  lr_exec_free(xq);

  lr_bans_close(b);
  CHECK_INT(uv_loop_close(&loop), 0);

  /* without a loop: the ban is recorded, its command deferred to the next restore */
  b = lr_bans_open(st, NULL, err, sizeof(err));
  REQUIRE(b != NULL);
  cfg.ipset = (char **)ipset_argv;
  lr_bans_configure(b, &cfg);
  CHECK_INT(lr_bans_add(b, LR_BAN_IPSET, "bans4", &t3, 60, now, err, sizeof(err)), 0);
  lr_bans_get_stats(b, &s0);
  CHECK_INT(s0.deferred, 1);
  CHECK_INT(until_of(st, "ipset", "bans4", "192.0.2.3"), now + 60 * S);
  xq = lr_exec_new(NULL); /* without a loop: refused */
  CHECK_INT(lr_exec_run(xq, exec_argv, 5000), -1);
  lr_exec_get_stats(xq, &xs);
  CHECK_INT(xs.refused, 1);
  lr_exec_free(xq);
  lr_bans_close(b);
  lr_state_close(st);

  char cmd[256];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  CHECK_INT(system(cmd), 0);
  return check_done();
}
