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
  bool fast_follow;   /* while entries flow, the journal is read every few ms */
  bool libsystemd_only; /* no direct reading of journald's files (input/journal_tail.h) */
  FILE *trace;
};

int lr_daemon_run(const struct lr_daemon_options *o);
