#include "cli/cmd_import.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/options.h"
#include "defence/ban_store.h"
#include "defence/ban_target.h"
#include "lua/lr_lua.h"
#include "rules/ruleset.h"
#include "state/state.h"
#include "util/clock.h"
#include "util/errmsg.h"
#include "util/log.h"

static void usage(FILE *out)
{
  fputs("usage: luruse import-pyruse-bans [-c RULES] [--storage DIR] [--ipset] FILE...\n\n"
        "Records Pyruse's bans (its storage's action_nftBan.py.json, action_ipsetBan.py.json:\n"
        "a list of {\"IP\": ..., \"nfSet\": ..., \"timestamp\": END}, END in seconds since the\n"
        "epoch, 0 for ever) in luruse's state; `luruse restore`, or the daemon's next start,\n"
        "applies them. Bans already over are skipped; a record luruse cannot use (not an\n"
        "address, a set name it refuses) is reported and skipped.\n\n"
        "  -c, --config RULES    rule file, for its storage setting (default " LR_DEFAULT_RULES ")\n"
        "  --storage DIR         luruse's state directory\n"
        "  --ipset               the records are ipset bans (default: from the file name,\n"
        "                        action_ipsetBan*, else nftables)\n",
        out);
}

struct counts {
  unsigned imported, over, refused;
};

static void import_one(struct lr_ban_store *bs, enum lr_ban_backend backend, const char *file,
                       size_t i, const json_t *o, int64_t now_usec, struct counts *c)
{
  const char *ip = json_string_value(json_object_get(o, "IP"));
  const char *set = json_string_value(json_object_get(o, "nfSet"));
  const json_t *ts = json_object_get(o, "timestamp");
  char why[LR_ERR_MAX];
  struct lr_ban_target t;
  if (!ip || !set || !json_is_number(ts)) {
    fprintf(stderr, "luruse: %s: record %zu: not {\"IP\", \"nfSet\", \"timestamp\"}: skipped\n",
            file, i + 1);
    c->refused++;
    return;
  }
  if (lr_ban_target_parse(ip, json_string_length(json_object_get(o, "IP")), 0, 0, &t, why,
                          sizeof(why)) < 0) {
    fprintf(stderr, "luruse: %s: record %zu: %s: skipped\n", file, i + 1, why);
    c->refused++;
    return;
  }
  bool set_ok = backend == LR_BAN_NFT
                  ? lr_ban_nft_set_parse(set, why, sizeof(why)) == 0 &&
                      lr_ban_nft_family_holds(set, t.family != AF_INET)
                  : lr_ban_ipset_name_check(set, why, sizeof(why)) == 0;
  if (!set_ok) {
    fprintf(stderr, "luruse: %s: record %zu: set '%s' cannot take %s: skipped\n", file, i + 1,
            set, t.text);
    c->refused++;
    return;
  }
  double end = json_number_value(ts);
  if (!(end < 9.2e12)) { /* microseconds past int64: llround's result would be unspecified */
    fprintf(stderr, "luruse: %s: record %zu: timestamp %g is out of range: skipped\n", file,
            i + 1, end);
    c->refused++;
    return;
  }
  int64_t until = end <= 0 ? 0 : (int64_t)llround(end * 1e6);
  if (until && until <= now_usec) {
    c->over++;
    return;
  }
  /* pending: recorded, not applied here; restore applies it */
  if (lr_ban_store_put(bs, backend, set, t.text, until, true, "pyruse", now_usec) < 0) {
    c->refused++;
    return;
  }
  c->imported++;
}

int lr_cmd_import_pyruse_bans(int argc, char **argv)
{
  static const struct option options[] = {
    {"config", required_argument, NULL, 'c'}, {"storage", required_argument, NULL, 'S'},
    {"ipset", no_argument, NULL, 'I'},       {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *rules = LR_DEFAULT_RULES, *storage = NULL;
  bool ipset = false;
  const struct lr_opts o = {"import-pyruse-bans", options, "c:h", NULL};
  int opt;
  lr_opts_begin();
  while ((opt = lr_opts_next(&o, argc, argv)) != -1) {
    switch (opt) {
    case 'c': rules = optarg; break;
    case 'S': storage = optarg; break;
    case 'I': ipset = true; break;
    case 'h': usage(stdout); return 0;
    default: usage(stderr); return 1;
    }
  }
  if (optind >= argc) {
    usage(stderr);
    return 1;
  }
  char err[LR_ERR_MAX];
  const char *dir = storage;
  struct lr_ruleset *rs = NULL;
  if (!dir) {
    if (!(rs = lr_ruleset_read(rules, err, sizeof(err)))) {
      fprintf(stderr, "luruse: %s\n", err);
      return 1;
    }
    dir = lr_ruleset_storage(rs, NULL);
  }
  int status = 1;
  struct lr_ban_store *bs = NULL;
  struct lr_state *st = lr_state_open(dir, err, sizeof(err));
  if (!st || !(bs = lr_ban_store_open(st, err, sizeof(err)))) {
    fprintf(stderr, "luruse: %s\n", err);
    goto out;
  }
  struct counts c = {0};
  int64_t now = lr_wall_usec();
  status = 0;
  for (int f = optind; f < argc; f++) {
    json_error_t je;
    json_t *list = json_load_file(argv[f], 0, &je);
    if (!json_is_array(list)) {
      fprintf(stderr, "luruse: %s:%d: %s\n", argv[f], je.line,
              list ? "not a list of ban records" : je.text);
      json_decref(list);
      status = 1;
      continue;
    }
    const char *base = strrchr(argv[f], '/');
    base = base ? base + 1 : argv[f];
    enum lr_ban_backend backend =
      ipset || strncmp(base, "action_ipsetBan", 15) == 0 ? LR_BAN_IPSET : LR_BAN_NFT;
    size_t i;
    const json_t *rec;
    json_array_foreach(list, i, rec) import_one(bs, backend, argv[f], i, rec, now, &c);
    json_decref(list);
  }
  printf("%u ban%s imported, %u already over, %u skipped; `luruse restore` (or the daemon's "
         "next start) applies them\n", c.imported, c.imported == 1 ? "" : "s", c.over,
         c.refused);
  if (c.refused)
    status = 1;
out:
  lr_ban_store_close(bs);
  lr_state_close(st);
  lr_ruleset_free(rs);
  return status;
}
