#include "cli/cmd_restore.h"

#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "defence/bans.h"
#include "defence/exec.h"
#include "util/log.h"
#include "lua/lr_lua.h"
#include "cli/options.h"
#include "rules/ruleset.h"
#include "state/state.h"
#include "util/errmsg.h"

static void usage(FILE *out)
{
  fputs("usage: luruse restore [-c RULES] [--storage DIR] [-v]\n\n"
        "Applies every recorded ban that has not expired again, with the time it has left,\n"
        "and drops the expired records: for when reloading nftables.service (or ipset\n"
        "sets) emptied the sets. The daemon does the same when it starts. Exit status 0\n"
        "when every firewall change succeeded. It runs beside a running daemon (the bans\n"
        "are in the state database, which both use).\n\n"
        "  -c, --config RULES    rule file: its nftBan/ipsetBan commands and storage (default "
        LR_DEFAULT_RULES ")\n"
        "  --storage DIR         state directory (default: the rules' storage setting)\n"
        "  -v, --verbose         debug messages\n",
        out);
}

void lr_cmd_print_ban_stats(const struct lr_bans *b, const struct lr_exec_queue *x, FILE *out)
{
  struct lr_bans_stats s;
  lr_bans_get_stats(b, &s);
  struct lr_exec_stats e;
  lr_exec_get_stats(x, &e);
  if (s.recorded || s.applied || s.failed || s.deferred)
    fprintf(out, "bans: %llu recorded, %llu firewall changes applied, %llu failed, "
                 "%llu deferred\n",
            (unsigned long long)s.recorded, (unsigned long long)s.applied,
            (unsigned long long)s.failed, (unsigned long long)s.deferred);
  if (e.ok || e.failed || e.refused)
    fprintf(out, "exec: %llu commands succeeded, %llu failed, %llu refused\n",
            (unsigned long long)e.ok, (unsigned long long)e.failed,
            (unsigned long long)e.refused);
}

int lr_cmd_restore(int argc, char **argv)
{
  static const struct option options[] = {
    {"config", required_argument, NULL, 'c'}, {"storage", required_argument, NULL, 'S'},
    {"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *rules = LR_DEFAULT_RULES, *storage = NULL;
  const struct lr_opts o = {"restore", options, "c:vh", NULL};
  int opt;
  lr_opts_begin();
  while ((opt = lr_opts_next(&o, argc, argv)) != -1) {
    switch (opt) {
    case 'c': rules = optarg; break;
    case 'S': storage = optarg; break;
    case 'v': lr_log_set_level(LOG_DEBUG); break;
    case 'h': usage(stdout); return 0;
    default: usage(stderr); return 1;
    }
  }
  if (lr_opts_end(argc, argv, "luruse restore") < 0) {
    usage(stderr);
    return 1;
  }
  char err[LR_ERR_MAX];
  struct lr_ruleset *rs = lr_ruleset_load(rules, NULL, err, sizeof(err));
  if (!rs) {
    fprintf(stderr, "luruse: %s\n", err);
    return 1;
  }
  int status = 1;
  uv_loop_t loop;
  uv_loop_init(&loop);
  struct lr_bans *b = NULL;
  struct lr_state *st = lr_state_open(lr_ruleset_storage(rs, storage), err, sizeof(err));
  if (!st || !(b = lr_bans_open(st, &loop, err, sizeof(err)))) {
    fprintf(stderr, "luruse: %s\n", err);
    goto out;
  }
  lr_bans_configure(b, &rs->settings.ban);
  /* after `nft flush ruleset`, the table first, then the bans in it */
  if (lr_ruleset_uses_own_table(rs) && lr_bans_ensure_table(b) < 0)
    goto out;
  int n = lr_bans_restore(b, lr_wall_usec());
  lr_bans_settle(b); /* the commands finish before the counts are told */
  struct lr_bans_stats s;
  lr_bans_get_stats(b, &s);
  if (n >= 0) {
    printf("%d ban%s re-applied, %llu failed\n", n, n == 1 ? "" : "s",
           (unsigned long long)(s.failed + s.deferred));
    status = s.failed || s.deferred ? 1 : 0;
  }
out:
  lr_bans_close(b);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  lr_state_close(st);
  lr_ruleset_free(rs);
  return status;
}
