#!/bin/bash
# luruse run against a REAL systemd-journald, started in a private mount + pid
# namespace where the host's journal sockets and directories are hidden under
# tmpfs (see tests/lib/live_journald_ns.sh): first start at the tail, SIGHUP
# reload while entries flow (and with a broken rule file), restart resume from
# the saved cursor, and action_log writing back to the journal.
. "$(dirname "$0")/lib/common.sh"
setup
run_journald_scenario "live journald" live_journald_ns.sh 100
finish
