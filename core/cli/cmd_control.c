/* luruse status | bans | ban | unban | reload: clients of the daemon's control
 * socket (core/cli/control.c). Without a running daemon each says so and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_control.h"
#include "cli/control.h"
#include "lua/lr_lua.h"
#include "cli/options.h"
#include "cli/storage_of.h"
#include "rules/ruleset.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

#define CONTROL_TIMEOUT_MS 15000
/* ban and unban wait for the firewall's answer, perhaps behind other commands */
#define CONTROL_BAN_TIMEOUT_MS 120000
/* a reload reads and compiles the rules between two batches of entries */
#define CONTROL_RELOAD_TIMEOUT_MS 60000

static void usage(FILE *out, const char *cmd)
{
  fprintf(out,
          "usage: luruse %s%s [-c RULES] [--storage DIR] [--socket PATH] [--json]\n\n"
          "Asks the running daemon through its control socket (STORAGE/%s, mode 0600).\n"
          "  -c, --config RULES    rule file, for its storage setting (default %s)\n"
          "  --storage DIR         the daemon's state directory\n"
          "  --socket PATH         the control socket itself\n"
          "  --json                print the daemon's JSON reply\n",
          cmd,
          !strcmp(cmd, "ban")     ? " IP [--set SET] [--for DURATION] [--force]"
          : !strcmp(cmd, "unban")  ? " IP"
          : !strcmp(cmd, "status") ? " [JAIL]"
                                   : "",
          LR_CONTROL_SOCKET_NAME, LR_DEFAULT_RULES);
  if (!strcmp(cmd, "ban"))
    fputs("  --set SET             nft:'FAMILY TABLE SET' or ipset:NAME (default: the set of\n"
          "                        the live ban of that address family that ends last, else\n"
          "                        luruse's own table's ban4 or ban6)\n"
          "  --force               ban an allowlisted address all the same (loopback, this\n"
          "                        host's addresses, the allow setting: refused without it)\n"
          "  --for DURATION        e.g. 3600, 90s, 10m, 12h, 7d (default: permanent)\n\n"
          "Waits for the firewall: exit 1 with its message when it refused the ban (the\n"
          "ban stays recorded, `luruse bans` shows it as FAILED, `luruse restore` tries\n"
          "again). Re-banning a banned address never shortens its ban: the later end\n"
          "wins, so a ban without --for makes it permanent and a permanent ban stays\n"
          "permanent.\n", out);
  else if (!strcmp(cmd, "unban"))
    fputs("\nRemoves the address from every set it is banned in and its records; waits for\n"
          "the firewall and exits 1 with its message when a removal was refused.\n", out);
  else if (!strcmp(cmd, "reload"))
    fputs("\nThe daemon reads and compiles its rule file again and swaps the rules between two\n"
          "entries; waits for it: exit 0 once the new rules run, exit 1 with the error\n"
          "(file:line) on stderr when they do not (the old rules run on). Fit for systemd's\n"
          "ExecReload=. The daemon is found without reading the rules when --storage is\n"
          "given; otherwise rules that do not read cannot tell their storage setting, and\n"
          "the daemon is asked in " LR_DEFAULT_STORAGE ".\n", out);
  else if (!strcmp(cmd, "status"))
    fputs("\nUptime, entries, the jails with failures counted or bans in force (each: the\n"
          "addresses failing now and their failures, the addresses banned now, the bans\n"
          "remembered for escalation, the last bans), the fleet's link, counters, bans,\n"
          "emails, and each step's counts. With JAIL, that jail alone, quiet or not.\n", out);
  else if (!strcmp(cmd, "bans"))
    fputs("\nThe state column says whether the firewall applied each ban: applied, pending\n"
          "(its command is running), or FAILED: and the firewall's message.\n", out);
}

/* "90", "90s", "10m", "12h", "7d" -> seconds; -1 when unreadable. */
static long long parse_duration(const char *s)
{
  char *end;
  long long v = strtoll(s, &end, 10);
  if (end == s || v < 0)
    return -1;
  long long mult = !strcmp(end, "") || !strcmp(end, "s") ? 1
                   : !strcmp(end, "m")                   ? 60
                   : !strcmp(end, "h")                   ? 3600
                   : !strcmp(end, "d")                   ? 86400
                                                         : -1;
  return mult < 0 || v > 100LL * 365 * 86400 ? -1 : v * mult;
}

/* --socket, else STORAGE/control.sock with STORAGE from --storage, the rules,
 * or (rules that do not read: a reload of broken rules must still reach the
 * daemon, which then says what is wrong) the default, with why in rules_err. */
static char *socket_path(const char *socket, const char *storage, const char *rules,
                         char *rules_err, size_t errlen)
{
  rules_err[0] = '\0';
  if (socket)
    return lr_xstrdup(socket);
  char *dir = lr_storage_of(storage, rules, rules_err, errlen);
  char *out = lr_xasprintf("%s/%s", dir ? dir : LR_DEFAULT_STORAGE, LR_CONTROL_SOCKET_NAME);
  free(dir);
  return out;
}

static void print_when(long long until)
{
  if (until == 0) {
    fputs("permanent", stdout);
    return;
  }
  time_t t = (time_t)until;
  struct tm tm;
  char buf[32];
  localtime_r(&t, &tm);
  strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  fputs(buf, stdout);
}

static void print_time(const char *label, int64_t usec)
{
  fputs(label, stdout);
  if (!usec) {
    fputs("?", stdout);
    return;
  }
  print_when(usec / 1000000);
}

/* A jail's lines, fail2ban-client's figures: failing now, banned now, the last bans. */
static void print_jail(const json_t *j)
{
  printf("jail %s: %lld address%s failing now (%lld failures within %llds), %lld banned now, "
         "%lld ban%s of %lld address%s remembered (escalation, %llds)\n",
         json_string_value(json_object_get(j, "jail")),
         (long long)json_integer_value(json_object_get(j, "failing_addresses")),
         json_integer_value(json_object_get(j, "failing_addresses")) == 1 ? "" : "es",
         (long long)json_integer_value(json_object_get(j, "failures")),
         (long long)json_integer_value(json_object_get(j, "find_seconds")),
         (long long)json_integer_value(json_object_get(j, "banned_now")),
         (long long)json_integer_value(json_object_get(j, "bans_remembered")),
         json_integer_value(json_object_get(j, "bans_remembered")) == 1 ? "" : "s",
         (long long)json_integer_value(json_object_get(j, "addresses_remembered")),
         json_integer_value(json_object_get(j, "addresses_remembered")) == 1 ? "" : "es",
         (long long)json_integer_value(json_object_get(j, "forget_seconds")));
  size_t i;
  const json_t *b;
  json_array_foreach(json_object_get(j, "last_bans"), i, b) {
    int64_t until = json_integer_value(json_object_get(b, "until_usec"));
    printf("  %-40s", json_string_value(json_object_get(b, "addr")));
    print_time(" banned ", json_integer_value(json_object_get(b, "since_usec")));
    if (until)
      print_time(", until ", until);
    else
      fputs(", for ever", stdout);
    putchar('\n');
  }
}

static int print_jail_named(const json_t *r, const char *name)
{
  size_t i;
  const json_t *j;
  json_array_foreach(json_object_get(r, "jails"), i, j)
    if (!strcmp(json_string_value(json_object_get(j, "jail")), name)) {
      print_jail(j);
      return 0;
    }
  fprintf(stderr, "luruse status: no jail '%s' in the running rules\n", name);
  return 1;
}

static void print_status(const json_t *r)
{
  long long up = json_integer_value(json_object_get(r, "uptime_seconds"));
  printf("luruse running for %lldd %02lldh %02lldm %02llds, %lld entries read\n", up / 86400,
         up / 3600 % 24, up / 60 % 60, up % 60,
         (long long)json_integer_value(json_object_get(r, "entries")));
  printf("rules %s, state %s\n", json_string_value(json_object_get(r, "rules")),
         json_string_value(json_object_get(r, "state")));
  const json_t *o;
  if ((o = json_object_get(r, "clock")) && json_integer_value(json_object_get(o, "entries_usec")))
    printf("entries' clock: %lld s behind the wall clock; leaps over an hour: %lld taken, "
           "%lld entries held back\n",
           (long long)json_integer_value(json_object_get(o, "behind_wall_seconds")),
           (long long)json_integer_value(json_object_get(o, "leaps_taken")),
           (long long)json_integer_value(json_object_get(o, "leaps_held")));
  if ((o = json_object_get(r, "counters")))
    printf("counters: %lld keys in memory (%lld bytes), %lld evicted\n",
           (long long)json_integer_value(json_object_get(o, "keys")),
           (long long)json_integer_value(json_object_get(o, "bytes")),
           (long long)json_integer_value(json_object_get(o, "evicted")));
  if ((o = json_object_get(r, "allowlisted")))
    printf("jail failures of allowlisted addresses, spared: %lld\n", (long long)json_integer_value(o));
  if ((o = json_object_get(r, "files")) && json_integer_value(json_object_get(o, "named")))
    printf("text files: %lld followed, %lld missing or unreadable (retried every second)\n",
           (long long)json_integer_value(json_object_get(o, "followed")),
           (long long)json_integer_value(json_object_get(o, "waiting")));
  if ((o = json_object_get(r, "dnat")))
    printf("DNAT mappings: %lld in memory (%lld bytes), %lld evicted\n",
           (long long)json_integer_value(json_object_get(o, "mappings")),
           (long long)json_integer_value(json_object_get(o, "bytes")),
           (long long)json_integer_value(json_object_get(o, "evicted")));
  if ((o = json_object_get(r, "bans")))
    printf("bans: %lld recorded\n", (long long)json_integer_value(json_object_get(o, "count")));
  if ((o = json_object_get(r, "delay_ms"))) {
    const json_t *e = json_object_get(o, "end_to_end"), *w = json_object_get(o, "own");
    printf("delay of %lld live journal entries to their rules' end: p50 %.1f ms, p99 %.1f ms "
           "from journald's stamp; luruse's own p50 %.1f ms, p99 %.1f ms\n",
           (long long)json_integer_value(json_object_get(o, "entries")),
           json_real_value(json_object_get(e, "p50")), json_real_value(json_object_get(e, "p99")),
           json_real_value(json_object_get(w, "p50")), json_real_value(json_object_get(w, "p99")));
  }
  if ((o = json_object_get(r, "syslog_wake"))) {
    if (json_is_null(o))
      printf("syslog wake-up: asked for, not in use (the daemon's log says why)\n");
    else
      printf("syslog wake-up: %s, %lld datagrams\n", json_string_value(json_object_get(o, "socket")),
             (long long)json_integer_value(json_object_get(o, "datagrams")));
  }
  if ((o = json_object_get(r, "journal_direct")) && json_is_object(o))
    printf("journal read directly: %lld entries; %lld starts, %lld hand-backs to libsystemd "
           "(%lld for a file that did not check out), %lld refused\n",
           (long long)json_integer_value(json_object_get(o, "entries")),
           (long long)json_integer_value(json_object_get(o, "starts")),
           (long long)json_integer_value(json_object_get(o, "handbacks")),
           (long long)json_integer_value(json_object_get(o, "broken")),
           (long long)json_integer_value(json_object_get(o, "refused")));
  if ((o = json_object_get(r, "fast_follow"))) {
    const char *when = json_string_value(json_object_get(o, "when"));
    printf("fast follow: %lld polls of the journal (%s), %lld found entries\n",
           (long long)json_integer_value(json_object_get(o, "polls")), when ? when : "?",
           (long long)json_integer_value(json_object_get(o, "found")));
  }
  if ((o = json_object_get(r, "fleet"))) {
    const char *last = json_string_value(json_object_get(o, "last_error"));
    printf("fleet: %s as %s, %s%s%s; %lld bans published, %lld waiting, %lld dropped; "
           "%lld received, %lld applied, %lld refused",
           json_string_value(json_object_get(o, "redis")),
           json_string_value(json_object_get(o, "name")),
           json_is_true(json_object_get(o, "connected")) ? "connected" : "NOT CONNECTED",
           last ? ", last error: " : "", last ? last : "",
           (long long)json_integer_value(json_object_get(o, "published")),
           (long long)json_integer_value(json_object_get(o, "queued")),
           (long long)json_integer_value(json_object_get(o, "dropped")),
           (long long)json_integer_value(json_object_get(o, "received")),
           (long long)json_integer_value(json_object_get(o, "applied")),
           (long long)json_integer_value(json_object_get(o, "refused")));
    const char *host;
    json_t *n;
    const char *sep = "; from ";
    json_object_foreach(json_object_get(o, "bans_from"), host, n) {
      printf("%s%s %lld", sep, host, (long long)json_integer_value(n));
      sep = ", ";
    }
    putchar('\n');
  }
  if ((o = json_object_get(r, "notify")))
    printf("emails: %lld queued, %lld coalesced, %lld daily reports; %lld in the outbox, "
           "%lld report lines pending\n",
           (long long)json_integer_value(json_object_get(o, "emails_queued")),
           (long long)json_integer_value(json_object_get(o, "emails_coalesced")),
           (long long)json_integer_value(json_object_get(o, "reports_queued")),
           (long long)json_integer_value(json_object_get(o, "outbox")),
           (long long)json_integer_value(json_object_get(o, "report_lines_pending")));
  size_t ji;
  const json_t *jv;
  json_array_foreach(json_object_get(r, "jails"), ji, jv)
    if (json_integer_value(json_object_get(jv, "failing_addresses")) ||
        json_integer_value(json_object_get(jv, "banned_now")))
      print_jail(jv); /* the quiet ones: `luruse status JAIL` */
  printf("%-32s %-26s %12s %12s %8s\n", "step", "type", "entries", "passed", "errors");
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(r, "steps"), i, s) {
    const json_t *passed = json_object_get(s, "passed");
    char p[24] = "-";
    if (passed)
      snprintf(p, sizeof(p), "%lld", (long long)json_integer_value(passed));
    printf("%-32s %-26s %12lld %12s %8lld\n", json_string_value(json_object_get(s, "step")),
           json_string_value(json_object_get(s, "type")),
           (long long)json_integer_value(json_object_get(s, "entries")), p,
           (long long)json_integer_value(json_object_get(s, "errors")));
  }
}

static void print_bans(const json_t *r)
{
  size_t i;
  json_t *b;
  const json_t *list = json_object_get(r, "bans");
  if (!json_array_size(list)) {
    puts("no bans recorded");
    return;
  }
  printf("%-42s %-8s %-24s %-19s %s\n", "address", "backend", "set", "until", "state");
  json_array_foreach(list, i, b) {
    printf("%-42s %-8s %-24s ", json_string_value(json_object_get(b, "addr")),
           json_string_value(json_object_get(b, "backend")),
           json_string_value(json_object_get(b, "set")));
    print_when(json_integer_value(json_object_get(b, "until")));
    const char *state = json_string_value(json_object_get(b, "state"));
    const char *error = json_string_value(json_object_get(b, "error"));
    if (json_integer_value(json_object_get(b, "until")) == 0)
      printf("%*s", 19 - 9, ""); /* "permanent" */
    if (state && !strcmp(state, "failed"))
      printf(" FAILED: %s\n", error ? error : "unknown error");
    else
      printf(" %s\n", state ? state : "applied");
  }
}

int lr_cmd_control(const char *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    {"config", required_argument, NULL, 'c'}, {"storage", required_argument, NULL, 'S'},
    {"socket", required_argument, NULL, 'k'}, {"json", no_argument, NULL, 'j'},
    {"set", required_argument, NULL, 's'},    {"for", required_argument, NULL, 'f'},
    {"force", no_argument, NULL, 'F'},        {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *rules = LR_DEFAULT_RULES, *storage = NULL, *socket = NULL, *set = NULL;
  bool json = false, force = false;
  long long duration = 0;
  bool takes_ip = !strcmp(cmd, "ban") || !strcmp(cmd, "unban");
  const struct lr_opts o = {cmd, opts, "c:h", NULL};
  lr_opts_begin();
  int opt;
  while ((opt = lr_opts_next(&o, argc, argv)) != -1) {
    switch (opt) {
    case 'c': rules = optarg; break;
    case 'S': storage = optarg; break;
    case 'k': socket = optarg; break;
    case 'j': json = true; break;
    case 's':
    case 'f':
    case 'F':
      if (strcmp(cmd, "ban") != 0) {
        usage(stderr, cmd);
        return 1;
      }
      if (opt == 'F')
        force = true;
      else if (opt == 's')
        set = optarg;
      else if ((duration = parse_duration(optarg)) < 0) {
        fprintf(stderr, "luruse ban: --for '%s' is not a duration (3600, 90s, 10m, 12h, 7d)\n",
                optarg);
        return 1;
      }
      break;
    case 'h': usage(stdout, cmd); return 0;
    default: usage(stderr, cmd); return 1;
    }
  }
  /* status JAIL: that jail alone, as fail2ban-client status JAIL */
  bool takes_jail = !strcmp(cmd, "status") && argc - optind == 1;
  if (argc - optind != (takes_ip || takes_jail ? 1 : 0)) {
    usage(stderr, cmd);
    return 1;
  }
  json_t *req = json_pack("{s:s}", "cmd", cmd);
  if (takes_ip)
    json_object_set_new(req, "ip", json_string(argv[optind]));
  if (set)
    json_object_set_new(req, "set", json_string(set));
  if (duration)
    json_object_set_new(req, "for", json_integer(duration));
  if (force)
    json_object_set_new(req, "force", json_true());
  char rules_err[LR_ERR_MAX], err[LR_ERR_MAX];
  char *path = socket_path(socket, storage, rules, rules_err, sizeof(rules_err));
  unsigned timeout = takes_ip                  ? CONTROL_BAN_TIMEOUT_MS
                     : !strcmp(cmd, "reload") ? CONTROL_RELOAD_TIMEOUT_MS
                                              : CONTROL_TIMEOUT_MS;
  json_t *r = lr_control_call(path, req, timeout, err, sizeof(err));
  json_decref(req);
  free(path);
  if (!r) {
    fprintf(stderr, "luruse %s: %s\n", cmd, err);
    if (*rules_err)
      fprintf(stderr, "luruse %s: the default storage " LR_DEFAULT_STORAGE " was tried, as the "
                      "rules do not say theirs: %s (give the daemon's storage with --storage "
                      "DIR)\n", cmd, rules_err);
    return 1;
  }
  int status = json_is_true(json_object_get(r, "ok")) ? 0 : 1;
  if (json && takes_jail) { /* the jail's object alone */
    const json_t *one = NULL, *j;
    size_t i;
    json_array_foreach(json_object_get(r, "jails"), i, j)
      if (!strcmp(json_string_value(json_object_get(j, "jail")), argv[optind]))
        one = j;
    char *text = one ? json_dumps(one, JSON_INDENT(2)) : NULL;
    if (text)
      puts(text);
    else
      fprintf(stderr, "luruse status: no jail '%s' in the running rules\n", argv[optind]);
    free(text);
    status = one ? status : 1;
  } else if (json) {
    char *text = json_dumps(r, JSON_INDENT(2));
    puts(text);
    free(text);
  } else if (status) {
    fprintf(stderr, "luruse %s: %s\n", cmd, json_string_value(json_object_get(r, "error")));
  } else if (takes_jail) {
    status = print_jail_named(r, argv[optind]);
  } else if (!strcmp(cmd, "status")) {
    print_status(r);
  } else if (!strcmp(cmd, "bans")) {
    print_bans(r);
  } else {
    const char *msg = json_string_value(json_object_get(r, "message"));
    puts(msg ? msg : "done");
  }
  json_decref(r);
  return status;
}
