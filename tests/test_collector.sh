#!/bin/bash
# docs/fleet.md's collector setup, end to end (see tests/lib/collector_ns.sh):
# systemd-journal-upload -> systemd-journal-remote -> luruse --journal-dir,
# its ban shared with a host through Redis.
. "$(dirname "$0")/lib/common.sh"
setup
command -v nsenter > /dev/null && command -v ip > /dev/null || skip "nsenter or ip is missing"
command -v redis-server > /dev/null || skip "redis-server is missing (a test dependency)"
run_in_netns "collector" collector_ns.sh 120
finish
