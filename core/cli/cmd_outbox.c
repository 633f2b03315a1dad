#include "cli/cmd_outbox.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/control.h"
#include "cli/control_outbox.h"
#include "cli/options.h"
#include "cli/storage_of.h"
#include "notify/outbox.h"
#include "rules/ruleset.h"
#include "state/state.h"
#include "state/storage_lock.h"
#include "util/clock.h"
#include "util/errmsg.h"
#include "util/xalloc.h"

#define OUTBOX_TIMEOUT_MS 15000

static void usage(FILE *out)
{
  fputs("usage: luruse outbox [--json] [--drop ID | --all] [-c RULES] [--storage DIR]\n\n"
        "Lists the emails waiting for sendmail (one that failed is kept and retried, 30 s\n"
        "later, then with a doubling delay up to an hour), or removes them. Goes through\n"
        "the daemon's control socket when a daemon runs on the storage, else works on its\n"
        "state database directly (locked meanwhile, so that no daemon starts on it).\n\n"
        "  --json                the list, or what was dropped, as JSON\n"
        "  --drop ID             remove the waiting email ID (the first column of the list);\n"
        "                        exit 1 when no waiting email has that id\n"
        "  --all                 remove every waiting email\n"
        "  -c, --config RULES    rule file, for its storage setting (default " LR_DEFAULT_RULES ")\n"
        "  --storage DIR         state directory (default: the rules' storage setting)\n",
        out);
}

static void print_time(int64_t usec)
{
  time_t t = (time_t)(usec / 1000000);
  struct tm tm;
  char buf[32];
  localtime_r(&t, &tm);
  strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  fputs(buf, stdout);
}

static void print_age(long long s)
{
  char buf[24];
  if (s < 120)
    snprintf(buf, sizeof(buf), "%llds", s < 0 ? 0 : s);
  else if (s < 7200)
    snprintf(buf, sizeof(buf), "%lldm", s / 60);
  else if (s < 172800)
    snprintf(buf, sizeof(buf), "%lldh", s / 3600);
  else
    snprintf(buf, sizeof(buf), "%lldd", s / 86400);
  printf("%-6s", buf);
}

static void print_list(const json_t *r, const char *dir)
{
  const json_t *list = json_object_get(r, "messages");
  size_t n = json_array_size(list), i;
  if (!n) {
    printf("no email waiting in the outbox of %s\n", dir);
    return;
  }
  int64_t now = lr_wall_usec();
  printf("%-6s %-19s %-6s %9s %5s  %-19s  %s\n", "id", "stored", "age", "bytes", "tries",
         "next try", "label");
  const json_t *m;
  json_array_foreach(list, i, m) {
    int64_t next = json_integer_value(json_object_get(m, "next_try_usec"));
    printf("%-6lld ", (long long)json_integer_value(json_object_get(m, "id")));
    print_time(json_integer_value(json_object_get(m, "stored_usec")));
    putchar(' ');
    print_age(json_integer_value(json_object_get(m, "age_seconds")));
    printf(" %9lld %5lld  ", (long long)json_integer_value(json_object_get(m, "size")),
           (long long)json_integer_value(json_object_get(m, "attempts")));
    if (json_is_true(json_object_get(m, "sending")))
      printf("%-19s", "sending now");
    else if (next <= now)
      printf("%-19s", "due now");
    else
      print_time(next);
    printf("  %s\n", json_string_value(json_object_get(m, "label")));
    const char *e = json_string_value(json_object_get(m, "last_error"));
    if (e)
      printf("%-6s last error: %s\n", "", e);
  }
  printf("%zu email%s waiting\n", n, n == 1 ? "" : "s");
}

/* On the state database itself: no daemon runs, and none starts meanwhile. */
static json_t *on_database(const char *dir, const json_t *req, char *err, size_t errlen)
{
  struct lr_state *st = lr_state_open(dir, err, errlen);
  struct lr_outbox *ob = st ? lr_outbox_open(st, NULL, err, errlen) : NULL;
  json_t *r = ob ? lr_control_outbox(ob, req, false) : NULL;
  lr_outbox_close(ob);
  lr_state_close(st);
  return r;
}

static json_t *ask(const char *dir, const json_t *req, char *err, size_t errlen)
{
  char *db = lr_xasprintf("%s/luruse.db", dir);
  struct stat sb;
  int missing = stat(db, &sb) < 0 && errno == ENOENT;
  free(db);
  if (missing) {
    snprintf(err, errlen, "no luruse state in %s (no luruse.db there): is that the storage?",
             dir);
    return NULL;
  }
  struct lr_storage_lock *lk;
  char why[LR_ERR_MAX / 4]; /* a path and a pid; with call_err, both fit in err */
  int rc = lr_storage_lock(dir, "outbox", &lk, why, sizeof(why));
  if (rc < 0) {
    snprintf(err, errlen, "%s", why);
    return NULL;
  }
  if (rc == 0) {
    json_t *r = on_database(dir, req, err, errlen);
    lr_storage_unlock(lk);
    return r;
  }
  /* held: a daemon answers on its control socket (a replay does not) */
  char *sock = lr_xasprintf("%s/%s", dir, LR_CONTROL_SOCKET_NAME), call_err[LR_ERR_MAX / 4];
  json_t *r = lr_control_call(sock, req, OUTBOX_TIMEOUT_MS, call_err, sizeof(call_err));
  free(sock);
  if (!r)
    snprintf(err, errlen, "%s, which does not answer on its control socket (%s): try again "
                          "once it has ended", why, call_err);
  return r;
}

int lr_cmd_outbox(int argc, char **argv)
{
  static const struct option options[] = {
    {"config", required_argument, NULL, 'c'}, {"storage", required_argument, NULL, 'S'},
    {"json", no_argument, NULL, 'j'},         {"drop", required_argument, NULL, 'd'},
    {"all", no_argument, NULL, 'a'},          {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *rules = LR_DEFAULT_RULES, *storage = NULL;
  bool json = false, all = false;
  long long drop = 0;
  const struct lr_opts o = {"outbox", options, "c:h", NULL};
  int opt;
  lr_opts_begin();
  while ((opt = lr_opts_next(&o, argc, argv)) != -1) {
    switch (opt) {
    case 'c': rules = optarg; break;
    case 'S': storage = optarg; break;
    case 'j': json = true; break;
    case 'a': all = true; break;
    case 'd': {
      char *end;
      errno = 0;
      drop = strtoll(optarg, &end, 10);
      if (end == optarg || *end || drop <= 0 || errno) {
        fprintf(stderr, "luruse outbox: --drop '%s' is not an email's id (a positive number: "
                        "the first column of `luruse outbox`)\n", optarg);
        return 1;
      }
      break;
    }
    case 'h': usage(stdout); return 0;
    default: usage(stderr); return 1;
    }
  }
  if (lr_opts_end(argc, argv, "luruse outbox") < 0) {
    usage(stderr);
    return 1;
  }
  if (drop && all) {
    fprintf(stderr, "luruse outbox: --drop ID removes one email, --all every one: not both\n");
    return 1;
  }
  char err[LR_ERR_MAX];
  char *dir = lr_storage_of(storage, rules, err, sizeof(err));
  if (!dir) {
    fprintf(stderr, "luruse outbox: %s (the storage can be given with --storage DIR)\n", err);
    return 1;
  }
  json_t *req = json_pack("{s:s}", "cmd", "outbox");
  if (drop)
    json_object_set_new(req, "drop", json_integer(drop));
  if (all)
    json_object_set_new(req, "all", json_true());
  json_t *r = ask(dir, req, err, sizeof(err));
  json_decref(req);
  int status = 1;
  if (!r)
    fprintf(stderr, "luruse outbox: %s\n", err);
  else if (json) {
    char *text = json_dumps(r, JSON_INDENT(2));
    puts(text);
    free(text);
    status = json_is_true(json_object_get(r, "ok")) ? 0 : 1;
  } else if (!json_is_true(json_object_get(r, "ok")))
    fprintf(stderr, "luruse outbox: %s\n", json_string_value(json_object_get(r, "error")));
  else {
    if (drop || all)
      puts(json_string_value(json_object_get(r, "message")));
    else
      print_list(r, dir);
    status = 0;
  }
  json_decref(r);
  free(dir);
  return status;
}
