#!/bin/bash
# The shipped sshd and recidive jails live: a real systemd-journald and a real
# nftables in private mount, pid and network namespaces (see
# tests/lib/live_jail_ns.sh).
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journald ] || skip "/lib/systemd/systemd-journald is missing"
command -v logger > /dev/null || skip "logger is missing"
RUN_SYSTEMD=keep run_in_netns "live jail" live_jail_ns.sh 120
[ -s "$T/luruse.err" ] && [ "$FAILURES" -gt 0 ] && { echo "--- luruse.err"; tail -20 "$T/luruse.err"; }
finish
