#!/bin/bash
# Daily report lines against a REAL systemd-journald (private namespaces, see
# tests/lib/live_notify_ns.sh): luruse's own structured log lines matched by its
# rules, and a kill -9 mid-stream that loses and duplicates no report line.
. "$(dirname "$0")/lib/common.sh"
setup
run_journald_scenario "live notify" live_notify_ns.sh 150
finish
