/* luruse command line: run (the daemon), replay, check, report. */
#define _XOPEN_SOURCE 700
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "defence/bans.h"
#include "cli/cmd_control.h"
#include "cli/cmd_explain.h"
#include "cli/cmd_import.h"
#include "cli/cmd_outbox.h"
#include "cli/cmd_restore.h"
#include "cli/cmd_sendmail.h"
#include "cli/daemon.h"
#include "input/journal_wake.h"
#include "rules/engine.h"
#include "rules/environment_check.h"
#include "util/log.h"
#include "lua/lr_lua.h"
#include "notify/notify.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "rules/rules.h"
#include "input/source.h"
#include "state/state.h"
#include "state/storage_lock.h"
#include "util/errmsg.h"
#include "util/xalloc.h"

#define DEFAULT_RULES LR_DEFAULT_RULES

static void usage_main(FILE *out)
{
  fputs("usage: luruse COMMAND [options]\n\n"
        "A journal-native log watcher: reads the systemd journal and runs each entry\n"
        "through chains of filters and actions written in Lua (or a Pyruse pyruse.json).\n\n"
        "commands:\n"
        "  run      follow the journal and act on new entries (the daemon)\n"
        "  replay   run stored entries through the rules, then exit\n"
        "  check    compile the rules, print the workflow graph, say what will fail here\n"
        "  explain  show what the rules would do with some entries, acting on nothing\n"
        "  report   print the pending daily report without sending it\n"
        "  restore  apply the recorded bans again (after a firewall reload emptied the sets)\n"
        "  import-pyruse-bans  record Pyruse's bans (action_nftBan.py.json...) for restore\n"
        "  outbox   list the emails waiting for sendmail, or drop them\n"
        "  sendmail hand an email to the local mail server over SMTP (for the sandbox)\n"
        "  status   ask the running daemon how it is doing (also: bans, ban, unban,\n"
        "           reload; through its control socket)\n\n"
        "One luruse runs on a storage directory at a time: `run` holds STORAGE/luruse.lock\n"
        "for its life, and `replay` for its own; give a replay another --storage.\n\n"
        "`luruse COMMAND --help` tells more; `luruse --version` the version.\n",
        out);
}

static void usage_inputs(FILE *out)
{
  fputs("inputs:\n"
        "  --journal-dir DIR     journal files in DIR (e.g. from systemd-journal-remote)\n"
        "  --journal-file FILE   one journal file (repeatable)\n", out);
}

static void usage_run(FILE *out)
{
  fputs("usage: luruse run [-c RULES] [--storage DIR] [--journal-dir DIR | --journal-file FILE...]\n"
        "                  [--file PATH... [--identifier NAME]]\n"
        "                  [--from-start | --since TIME] [--reset-cursor]\n"
        "                  [--syslog-wake | --fast-follow[=WHEN]] [--libsystemd-only]\n"
        "                  [--trace] [-v]\n\n"
        "Follows the local journal (default) live, and the text files the rules name\n"
        "(L.file) or --file adds. The journal cursor and the files' positions are kept in\n"
        "the state database, so a restart resumes after the last processed entry and line;\n"
        "the first start begins at the tail of each. SIGHUP, or `luruse reload`, reloads the\n"
        "rules (the old ones stay on error). One daemon per storage: a second one there is\n"
        "refused (STORAGE/luruse.lock).\n"
        "Under systemd (Type=notify) it tells READY=1, RELOADING=1 then READY=1 around a\n"
        "reload, a STATUS= line every 5 s (entries per second, bans in force, emails\n"
        "waiting; a failed reload's error) and STOPPING=1; with WatchdogSec= it pings the\n"
        "watchdog from its event loop, so a loop held up by a step gets it restarted.\n"
        "Messages go to the journal; errors and warnings also to stderr unless it is the\n"
        "journal (JOURNAL_STREAM, as under systemd).\n\n"
        "  -c, --config RULES    rule file: *.lua, or a Pyruse *.json (default " DEFAULT_RULES ")\n"
        "  --storage DIR         state directory (default: the rules' storage setting, else\n"
        "                        /var/lib/luruse)\n"
        "  --file PATH           a text log followed beside the journal, rotation included\n"
        "                        (repeatable; a glob in the file name is fine)\n"
        "  --identifier NAME     SYSLOG_IDENTIFIER=NAME for --file lines without a syslog tag\n"
        "  --from-start          when no position is saved: read the whole journal and the\n"
        "                        files first\n"
        "  --since TIME          when no cursor is saved: start at TIME,\n"
        "                        'YYYY-MM-DD[ HH:MM:SS]' (local) or @EPOCH\n"
        "  --reset-cursor        forget the saved cursor and file positions first (counters,\n"
        "                        bans and report lines stay: for a clean start, use a\n"
        "                        fresh --storage)\n"
        "  --syslog-wake         take journald's syslog forwarding socket\n"
        "                        (" LR_JOURNAL_WAKE_PATH ") as a wake-up: entries are\n"
        "                        read within about 1 ms instead of journald's 250 ms\n"
        "                        (still from the journal; the datagrams are not read).\n"
        "                        Left alone, with a notice, when a syslog daemon has it\n"
        "  --fast-follow[=WHEN]  read the journal every 3 ms instead of waiting for\n"
        "                        journald's notice (at most every 250 ms): a few ms from\n"
        "                        journald to the rules, for a wake-up per poll. WHEN:\n"
        "                        flood (the default: while entries come at 2,000 a\n"
        "                        second or more), always (whenever entries flow: what\n"
        "                        --fast-follow alone means), never (journald's notices)\n"
        "  --libsystemd-only     read every entry through libsystemd, not the new ones\n"
        "                        straight from the files journald writes (the default\n"
        "                        once caught up: about twice as fast)\n"
        "  --trace               print each entry's path through the steps on stderr\n"
        "  -v, --verbose         debug messages\n", out);
  usage_inputs(out);
}

static void usage_replay(FILE *out)
{
  fputs("usage: luruse replay [-c RULES] [--storage DIR] [--trace] [-v] INPUT...\n\n"
        "Processes stored entries with their own timestamps as the clock, then prints how\n"
        "many entries reached each step. Exit status 0 when the entries were processed.\n"
        "Refused on the storage of a running daemon (or of another replay): its bans,\n"
        "counters, report lines and emails are not a replay's to change; give another\n"
        "--storage (a new directory is fine).\n\n"
        "  -c, --config RULES    rule file: *.lua, or a Pyruse *.json\n"
        "  --storage DIR         state directory (default: the rules' storage setting)\n"
        "  --trace               print each entry's path through the steps on stderr\n"
        "  --quiet               no step table at the end\n"
        "  --log-to-journal      `log` actions write to the journal (default: stderr, so that\n"
        "                        replayed events do not look new to a running luruse)\n"
        "  --no-email            `email` and `dailyReport` actions do nothing (by default\n"
        "                        they send, and record report lines, as when live)\n"
        "  --no-bans             ban and exec actions change nothing (by default they\n"
        "                        really ban, as when live)\n"
        "  -v, --verbose         debug messages\n", out);
  usage_inputs(out);
  fputs("  --export FILE|-       a Journal Export Format stream (repeatable)\n"
        "  --json FILE|-         `journalctl -o json` lines (repeatable)\n"
        "  --lines FILE|-        plain text log lines, one entry each (repeatable); the\n"
        "                        line's own time when recognised, a syslog header parsed\n"
        "  --identifier NAME     SYSLOG_IDENTIFIER=NAME for --lines without a syslog tag\n", out);
}

static void usage_check(FILE *out)
{
  fputs("usage: luruse check [-c RULES] [--quiet] [--strict] [--rules-only] [-v]\n\n"
        "Compiles the rules and prints the workflow graph, or prints the error (file:line,\n"
        "or chain[step] for a pyruse.json) on stderr and exits 1. Then warns, on stderr,\n"
        "about steps no entry can reach or filters that can never match, and about what\n"
        "will fail on this host: nft and ipset sets named by bans and jails that do not\n"
        "exist (or nft sets of the wrong type, or without the timeout or interval flag\n"
        "the bans need), and programs that cannot run (email.sendmail, exec actions,\n"
        "nftBan.nft, ipsetBan.ipset). Sets of luruse's own table (bans.table) that are\n"
        "missing are created by luruse at start: a note says so. Reading the sets needs\n"
        "CAP_NET_ADMIN (root): without it, a note says they were not checked. Nothing is\n"
        "changed. Exit status 0 despite warnings, unless --strict.\n\n"
        "  -c, --config RULES    rule file: *.lua, or a Pyruse *.json\n"
        "  --quiet               print only errors and warnings (for ExecStartPre=): no\n"
        "                        graph, notes or summary\n"
        "  --strict              exit 1 when there is a warning (sets that could not be\n"
        "                        read are a note, not a warning)\n"
        "  --rules-only          check the rule file alone, not this host (rules meant for\n"
        "                        another machine)\n"
        "  -v, --verbose         debug messages\n", out);
}

static void usage_report(FILE *out)
{
  fputs("usage: luruse report [-c RULES] [--storage DIR] [--html | --list] [-v]\n\n"
        "Prints the daily report as it would be sent now: the lines recorded since the last\n"
        "report, from the state database. Nothing is sent or cleared.\n\n"
        "  -c, --config RULES    rule file (for the storage and the report title)\n"
        "  --storage DIR         state directory (default: the rules' storage setting)\n"
        "  --html                the HTML part instead of the text part\n"
        "  --list                the pending lines themselves, one per line, tab-separated:\n"
        "                        time (unix microseconds), level, details, host, message\n"
        "                        (backslash, tab, newline and control bytes escaped)\n"
        "  -v, --verbose         debug messages\n", out);
}

enum { OPT_STORAGE = 256, OPT_JDIR, OPT_JFILE, OPT_EXPORT, OPT_JSON, OPT_LINES, OPT_IDENT, OPT_FILE, OPT_FROM_START, OPT_SINCE,
       OPT_TRACE, OPT_QUIET, OPT_LOG_TO_JOURNAL, OPT_NO_EMAIL, OPT_NO_BANS, OPT_HTML,
       OPT_RESET_CURSOR, OPT_STRICT, OPT_RULES_ONLY, OPT_SYSLOG_WAKE, OPT_LIST, OPT_FAST_FOLLOW,
       OPT_LIBSYSTEMD_ONLY };

static const struct option long_options[] = {
  {"config", required_argument, NULL, 'c'},  {"storage", required_argument, NULL, OPT_STORAGE},
  {"journal-dir", required_argument, NULL, OPT_JDIR},
  {"journal-file", required_argument, NULL, OPT_JFILE},
  {"export", required_argument, NULL, OPT_EXPORT}, {"json", required_argument, NULL, OPT_JSON},
  {"lines", required_argument, NULL, OPT_LINES}, {"identifier", required_argument, NULL, OPT_IDENT},
  {"file", required_argument, NULL, OPT_FILE},
  {"from-start", no_argument, NULL, OPT_FROM_START},
  {"since", required_argument, NULL, OPT_SINCE},
  {"reset-cursor", no_argument, NULL, OPT_RESET_CURSOR},
  {"syslog-wake", no_argument, NULL, OPT_SYSLOG_WAKE},
  {"fast-follow", optional_argument, NULL, OPT_FAST_FOLLOW},
  {"libsystemd-only", no_argument, NULL, OPT_LIBSYSTEMD_ONLY}, {"trace", no_argument, NULL, OPT_TRACE},
  {"quiet", no_argument, NULL, OPT_QUIET},
  {"strict", no_argument, NULL, OPT_STRICT}, {"rules-only", no_argument, NULL, OPT_RULES_ONLY},
  {"log-to-journal", no_argument, NULL, OPT_LOG_TO_JOURNAL}, {"verbose", no_argument, NULL, 'v'},
  {"no-email", no_argument, NULL, OPT_NO_EMAIL}, {"no-bans", no_argument, NULL, OPT_NO_BANS}, {"html", no_argument, NULL, OPT_HTML},
  {"list", no_argument, NULL, OPT_LIST}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
};

struct cli {
  struct lr_daemon_options d;
  bool quiet;
  bool strict;     /* check: warnings are errors */
  bool rules_only; /* check: not this host */
  bool log_to_journal;
  bool no_email;
  bool no_bans;
  bool html;
  bool list; /* report: the pending lines, not the report */
};

static char *stream_item(const char *kind, const char *path)
{
  return lr_xasprintf("%s:%s", kind, path);
}

/* What each command takes: every command shares one parser, but an option
 * another command owns is an error here, never silently ignored. */
struct command_options {
  const char *name;
  void (*usage)(FILE *);
  const char *takes; /* " name name ... " (long names; -c is config, -v verbose) */
};

/* --fast-follow's WHEN; alone, it means always. */
static int parse_fast_follow(const char *when, enum lr_fast_follow *out)
{
  static const struct {
    const char *name;
    enum lr_fast_follow value;
  } whens[] = {{"flood", LR_FAST_FOLLOW_FLOOD},
               {"always", LR_FAST_FOLLOW_ALWAYS},
               {"never", LR_FAST_FOLLOW_NEVER}};
  if (!when) {
    *out = LR_FAST_FOLLOW_ALWAYS;
    return 0;
  }
  for (size_t i = 0; i < sizeof(whens) / sizeof(*whens); i++)
    if (strcmp(when, whens[i].name) == 0) {
      *out = whens[i].value;
      return 0;
    }
  return -1;
}

/* 0 ok, 1 error, 2 help printed. */
static int parse_options(int argc, char **argv, struct cli *c, const struct command_options *cmd)
{
  void (*usage)(FILE *) = cmd->usage;
  c->d.rules_path = DEFAULT_RULES;
  c->d.since_usec = -1;
  const struct lr_opts o = {cmd->name, long_options, "c:vh", cmd->takes};
  lr_opts_begin();
  int opt;
  while ((opt = lr_opts_next(&o, argc, argv)) != -1) {
    if (opt == LR_OPT_REFUSED)
      return 1;
    switch (opt) {
    case 'c': c->d.rules_path = optarg; break;
    case OPT_STORAGE: c->d.storage = optarg; break;
    case OPT_JDIR: c->d.inputs.journal_dir = optarg; break;
    case OPT_JFILE:
      lr_inputs_add(&c->d.inputs.journal_files, &c->d.inputs.njournal_files, optarg);
      break;
    case OPT_EXPORT:
    case OPT_JSON:
      lr_inputs_add(&c->d.inputs.streams, &c->d.inputs.nstreams,
                    stream_item(opt == OPT_EXPORT ? "export" : "json", optarg));
      break;
    case OPT_LINES:
      lr_inputs_add(&c->d.inputs.streams, &c->d.inputs.nstreams, stream_item("lines", optarg));
      break;
    case OPT_IDENT: c->d.inputs.identifier = optarg; break;
    case OPT_FILE: lr_inputs_add(&c->d.inputs.files, &c->d.inputs.nfiles, optarg); break;
    case OPT_FROM_START: c->d.from_start = true; break;
    case OPT_RESET_CURSOR: c->d.reset_cursor = true; break;
    case OPT_SYSLOG_WAKE: c->d.syslog_wake = true; break;
    case OPT_FAST_FOLLOW:
      /* an optional argument is only taken after '=': say so rather than
       * refuse "always" as a stray word */
      if (!optarg && optind < argc && parse_fast_follow(argv[optind], &c->d.fast_follow) == 0) {
        fprintf(stderr, "luruse: --fast-follow %s: write --fast-follow=%s\n", argv[optind],
                argv[optind]);
        return 1;
      }
      if (parse_fast_follow(optarg, &c->d.fast_follow) < 0) {
        fprintf(stderr, "luruse: --fast-follow: '%s' is not flood, always nor never\n", optarg);
        return 1;
      }
      c->d.fast_follow_given = true;
      break;
    case OPT_LIBSYSTEMD_ONLY: c->d.libsystemd_only = true; break;
    case OPT_SINCE:
      if (lr_parse_since(optarg, &c->d.since_usec) < 0) {
        fprintf(stderr, "luruse: --since: '%s' is not 'YYYY-MM-DD[ HH:MM:SS]' nor @EPOCH\n", optarg);
        return 1;
      }
      break;
    case OPT_TRACE: c->d.trace = stderr; break;
    case OPT_QUIET: c->quiet = true; break;
    case OPT_STRICT: c->strict = true; break;
    case OPT_RULES_ONLY: c->rules_only = true; break;
    case OPT_LOG_TO_JOURNAL: c->log_to_journal = true; break;
    case OPT_NO_EMAIL: c->no_email = true; break;
    case OPT_NO_BANS: c->no_bans = true; break;
    case OPT_HTML: c->html = true; break;
    case OPT_LIST: c->list = true; break;
    case 'v': lr_log_set_level(LOG_DEBUG); break;
    case 'h': usage(stdout); return 2;
    default: usage(stderr); return 1;
    }
  }
  if (lr_opts_end(argc, argv, "luruse") < 0) {
    usage(stderr);
    return 1;
  }
  return 0;
}

static const struct command_options run_options = {
  "run", usage_run,
  " config storage journal-dir journal-file file identifier from-start since reset-cursor "
  "syslog-wake fast-follow libsystemd-only trace verbose "};
static const struct command_options replay_options = {
  "replay", usage_replay,
  " config storage journal-dir journal-file export json lines identifier trace quiet "
  "log-to-journal no-email "
  "no-bans verbose "};
static const struct command_options check_options = {
  "check", usage_check, " config quiet strict rules-only verbose "};
static const struct command_options report_options = {"report", usage_report,
                                                      " config storage html list verbose "};

static void free_inputs(struct lr_inputs *in)
{
  for (size_t i = 0; i < in->nstreams; i++)
    free((char *)in->streams[i]);
  free(in->streams);
  free(in->journal_files);
  free(in->files);
}

static int cmd_check(struct cli *c, int argc, char **argv)
{
  int rc = parse_options(argc, argv, c, &check_options);
  if (rc)
    return rc == 2 ? 0 : 1;
  char err[LR_ERR_MAX];
  struct lr_ruleset *rs = lr_ruleset_load(c->d.rules_path, NULL, err, sizeof(err));
  if (!rs) {
    fprintf(stderr, "luruse: %s\n", err);
    return 1;
  }
  if (!c->quiet) {
    printf("%s: %zu chains, %zu steps\n", c->d.rules_path, rs->rules->nchains,
           rs->wf->nsteps);
    const struct lr_file_config *files = &rs->settings.files;
    for (size_t i = 0; i < files->n; i++)
      printf("follows %s%s%s%s (with luruse run)\n", files->specs[i].pattern,
             files->specs[i].identifier ? " as " : "",
             files->specs[i].identifier ? files->specs[i].identifier : "",
             files->specs[i].plain ? ", plain" : "");
    lr_workflow_print(rs->wf, stdout);
  }
  fflush(stdout); /* the graph, then what is wrong with it */
  size_t warnings = lr_workflow_warn(rs->wf, rs->rules, stderr); /* the rules load all the same */
  if (!c->rules_only) {
    struct lr_envcheck env;
    lr_envcheck_run(rs, stderr, c->quiet, &env);
    warnings += env.warnings;
  }
  lr_ruleset_free(rs);
  if (c->strict && warnings) {
    fprintf(stderr, "luruse: %zu warning%s, errors with --strict\n", warnings,
            warnings == 1 ? "" : "s");
    return 1;
  }
  return 0;
}

#define REPLAY_COMMIT_EVERY 65536 /* entries between writes of report lines */

struct replay {
  struct lr_engine eng;
  uv_loop_t loop; /* runs sendmail while entries are processed */
  struct lr_services svc;
  struct lr_notify *notify; /* svc.notify, NULL with --no-email */
};

static void replay_commit(struct replay *r)
{
  lr_services_commit(&r->svc, NULL, 0, r->eng.clock.now_usec); /* replay keeps no cursor */
}

static int replay_source(struct replay *r, struct lr_source *src)
{
  int rc;
  while ((rc = src->next(src, &r->eng.entry)) > 0) {
    lr_engine_process(&r->eng);
    if (r->eng.entries % REPLAY_COMMIT_EVERY == 0 || lr_services_wants_flush(&r->svc)) {
      replay_commit(r);
      uv_run(&r->loop, UV_RUN_NOWAIT);
    } else if (lr_services_pending(&r->svc)) {
      uv_run(&r->loop, UV_RUN_NOWAIT); /* firewall and exec commands move on */
    }
  }
  src->close(src);
  return rc;
}

static void print_notify_stats(struct lr_notify *n)
{
  struct lr_notify_stats s;
  lr_notify_stats(n, &s);
  printf("emails: %llu queued, %llu coalesced into them, %llu daily reports; "
         "%zu waiting in the outbox, %zu report lines pending\n",
         (unsigned long long)s.emails_queued, (unsigned long long)s.emails_coalesced,
         (unsigned long long)s.reports_queued, s.outbox_size, s.report_lines_pending);
}

static int cmd_replay(struct cli *c, int argc, char **argv)
{
  int rc = parse_options(argc, argv, c, &replay_options);
  if (rc)
    return rc == 2 ? 0 : 1;
  const struct lr_inputs *in = &c->d.inputs;
  if (!in->journal_dir && !in->njournal_files && !in->nstreams) {
    fprintf(stderr, "luruse replay: name at least one input\n");
    usage_replay(stderr);
    return 1;
  }
  char err[LR_ERR_MAX];
  struct lr_ruleset *rs = lr_ruleset_read(c->d.rules_path, err, sizeof(err));
  if (!rs) {
    fprintf(stderr, "luruse: %s\n", err);
    return 1;
  }
  const char *storage = lr_ruleset_storage(rs, c->d.storage);
  struct lr_storage_lock *lock;
  int locked = lr_storage_lock(storage, "replay", &lock, err, sizeof(err));
  if (locked != 0) {
    if (locked > 0)
      fprintf(stderr, "luruse replay: %s: a replay there would mix its bans, counters, report "
                      "lines and emails with the live ones; replay into another directory "
                      "with --storage DIR\n", err);
    else
      fprintf(stderr, "luruse replay: %s\n", err);
    lr_ruleset_free(rs);
    return 1;
  }
  struct lr_state *st = lr_state_open(storage, err, sizeof(err));
  if (!st) {
    fprintf(stderr, "luruse: %s\n", err);
    lr_storage_unlock(lock);
    lr_ruleset_free(rs);
    return 1;
  }
  struct replay r = {0};
  uv_loop_init(&r.loop);
  unsigned what = (c->no_email ? 0 : LR_SVC_EMAIL) | (c->no_bans ? 0 : LR_SVC_BANS);
  if (lr_services_open(&r.svc, st, &r.loop, what, err, sizeof(err)) < 0) {
    fprintf(stderr, "luruse: %s\n", err);
    uv_loop_close(&r.loop);
    lr_state_close(st);
    lr_storage_unlock(lock);
    lr_ruleset_free(rs);
    return 1;
  }
  r.notify = r.svc.notify;
  lr_engine_init(&r.eng, &r.svc, c->d.trace, !c->log_to_journal);
  if (lr_ruleset_compile(rs, &r.svc, err, sizeof(err)) < 0) {
    fprintf(stderr, "luruse: %s\n", err);
    lr_engine_free(&r.eng);
    lr_services_close(&r.svc);
    uv_run(&r.loop, UV_RUN_DEFAULT);
    uv_loop_close(&r.loop);
    lr_state_close(st);
    lr_storage_unlock(lock);
    lr_ruleset_free(rs);
    return 1;
  }
  lr_engine_swap(&r.eng, rs);
  int status = 0;
  if (in->journal_dir || in->njournal_files) {
    struct lr_source *src = lr_inputs_open_journal(in, err, sizeof(err));
    if (!src || lr_source_journal_seek_head(src) < 0 || replay_source(&r, src) < 0) {
      if (!src)
        fprintf(stderr, "luruse: %s\n", err);
      status = 1;
    }
  }
  for (size_t i = 0; i < in->nstreams && status == 0; i++) {
    struct lr_source *src = lr_inputs_open_stream(in->streams[i], in->identifier, err, sizeof(err));
    if (!src || replay_source(&r, src) < 0) {
      if (!src)
        fprintf(stderr, "luruse: %s\n", err);
      status = 1;
    }
  }
  replay_commit(&r);
  if (r.notify)
    lr_notify_settle(r.notify); /* each email gets one attempt; failures stay in the outbox */
  lr_services_settle(&r.svc);   /* every firewall and exec command has run */
  if (!c->quiet) {
    printf("%llu entries replayed\n", (unsigned long long)r.eng.entries);
    if (r.notify)
      print_notify_stats(r.notify);
    lr_cmd_print_ban_stats(r.svc.bans, r.svc.exec, stdout);
    lr_workflow_print_stats(r.eng.rs->wf, stdout);
  }
  lr_services_close(&r.svc);
  uv_run(&r.loop, UV_RUN_DEFAULT);
  uv_loop_close(&r.loop);
  lr_engine_free(&r.eng);
  lr_state_close(st);
  lr_storage_unlock(lock);
  lr_ruleset_free(r.eng.rs);
  return status;
}

static int cmd_report(struct cli *c, int argc, char **argv)
{
  int rc = parse_options(argc, argv, c, &report_options);
  if (rc)
    return rc == 2 ? 0 : 1;
  if (c->list && c->html) {
    fputs("luruse report: --list and --html do not go together\n", stderr);
    return 1;
  }
  char err[LR_ERR_MAX];
  struct lr_ruleset *rs = lr_ruleset_load(c->d.rules_path, NULL, err, sizeof(err));
  struct lr_state *st = NULL;
  struct lr_notify *n = NULL;
  int status = 1;
  if (!rs || !(st = lr_state_open(lr_ruleset_storage(rs, c->d.storage), err, sizeof(err))) ||
      !(n = lr_notify_open(st, NULL, err, sizeof(err)))) {
    fprintf(stderr, "luruse: %s\n", err);
    goto out;
  }
  lr_notify_configure(n, &rs->settings.mail);
  struct lr_buf out = {0};
  if ((c->list ? lr_notify_list_report(n, &out) : lr_notify_render_report(n, c->html, &out)) ==
      0) {
    fwrite(out.data, 1, out.len, stdout);
    status = 0;
  }
  lr_buf_free(&out);
out:
  lr_notify_close(n);
  lr_state_close(st);
  lr_ruleset_free(rs);
  return status;
}

static int cmd_run(struct cli *c, int argc, char **argv)
{
  int rc = parse_options(argc, argv, c, &run_options);
  if (rc)
    return rc == 2 ? 0 : 1;
  /* the default (flood) gives way to the datagrams; asked for, it is a conflict */
  if (c->d.syslog_wake && lr_fast_follow_asked(&c->d)) {
    fputs("luruse run: --syslog-wake and --fast-follow are two ways to the same end: pick one\n",
          stderr);
    return 1;
  }
  if (c->d.inputs.nstreams) {
    fprintf(stderr, "luruse run: streams are for `luruse replay` (e.g. journalctl -f -o export "
                    "| luruse replay -c RULES --export -)\n");
    return 1;
  }
  return lr_daemon_run(&c->d);
}

int main(int argc, char **argv)
{
  /* `luruse replay ... | head` closes our stdout early: the replay must still
   * commit what it did (report lines, counters) instead of dying of SIGPIPE */
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    usage_main(stderr);
    return 1;
  }
  const char *cmd = argv[1];
  struct cli c = {0};
  int status;
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("luruse %s\n", LURUSE_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage_main(stdout);
    return 0;
  }
  if (strcmp(cmd, "run") != 0)
    lr_log_to_stderr(true); /* interactive commands report on the terminal */
  if (!strcmp(cmd, "run")) {
    status = cmd_run(&c, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "replay")) {
    status = cmd_replay(&c, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "check")) {
    status = cmd_check(&c, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "report")) {
    status = cmd_report(&c, argc - 1, argv + 1);
  } else if (!strcmp(cmd, "explain")) {
    status = lr_cmd_explain(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "restore")) {
    status = lr_cmd_restore(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "outbox")) {
    status = lr_cmd_outbox(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "sendmail")) {
    status = lr_cmd_sendmail(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "import-pyruse-bans")) {
    status = lr_cmd_import_pyruse_bans(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "status") || !strcmp(cmd, "bans") || !strcmp(cmd, "ban") ||
             !strcmp(cmd, "unban") || !strcmp(cmd, "reload")) {
    status = lr_cmd_control(cmd, argc - 1, argv + 1);
  } else {
    fprintf(stderr, "luruse: unknown command '%s'\n", cmd);
    usage_main(stderr);
    status = 1;
  }
  free_inputs(&c.d.inputs);
  return status;
}
