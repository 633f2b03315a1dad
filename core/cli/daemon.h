/* `luruse run`: follows a journal live on a libuv loop, remembers its cursor in
 * the state database, reloads rules on SIGHUP, stops cleanly on SIGTERM/SIGINT.
 *
 *   return lr_daemon_run(&opts);
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rules/engine.h"
#include "cli/inputs.h"

/* When the live journal is polled every few ms instead of waiting for
 * journald's notices (at most every 250 ms). */
enum lr_fast_follow {
  LR_FAST_FOLLOW_FLOOD,  /* the default: while entries come at 2,000 a second or more */
  LR_FAST_FOLLOW_ALWAYS, /* whenever entries flow */
  LR_FAST_FOLLOW_NEVER,  /* journald's notices only */
};

struct lr_daemon_options {
  const char *rules_path;
  const char *storage; /* override, or NULL */
  struct lr_inputs inputs;
  /* Where to start when no cursor is saved (a saved cursor always wins, so that
   * a restart with the same command line never reads entries twice). */
  bool from_start;
  int64_t since_usec; /* -1: not given */
  bool reset_cursor;  /* forget the saved position first */
  bool syslog_wake;   /* woken by journald's syslog forwarding (input/journal_wake.h) */
  enum lr_fast_follow fast_follow; /* when the journal is read every few ms */
  bool fast_follow_given;          /* named on the command line, not the default */
  bool libsystemd_only; /* no direct reading of journald's files (input/journal_tail.h) */
  FILE *trace;
};

/* Polls named on the command line (not the default, not never): they
 * conflict with --syslog-wake, and are worth a notice when not used. */
static inline bool lr_fast_follow_asked(const struct lr_daemon_options *o)
{
  return o->fast_follow_given && o->fast_follow != LR_FAST_FOLLOW_NEVER;
}

int lr_daemon_run(const struct lr_daemon_options *o);
