#!/bin/bash
# The control socket of a daemon following a REAL systemd-journald (private
# namespaces, see tests/lib/live_control_ns.sh): status, reload, permissions.
. "$(dirname "$0")/lib/common.sh"
setup
run_journald_scenario "live control" live_control_ns.sh 120
finish
