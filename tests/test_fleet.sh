#!/bin/bash
# Fleet mode against a real redis-server: three luruse hosts in three network
# namespaces share their bans (see tests/lib/fleet_ns.sh).
. "$(dirname "$0")/lib/common.sh"
setup
command -v nsenter > /dev/null && command -v ip > /dev/null || skip "nsenter or ip is missing"
command -v redis-server > /dev/null && command -v redis-cli > /dev/null || skip "redis-server is missing (a test dependency)"
run_in_netns "fleet" fleet_ns.sh 240
finish
