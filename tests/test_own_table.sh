#!/bin/bash
# luruse's own nftables table and the sshd jail against a real nftables in a
# private network namespace (see tests/lib/own_table_ns.sh).
. "$(dirname "$0")/lib/common.sh"
setup
command -v nsenter > /dev/null && command -v ip > /dev/null || skip "nsenter or ip is missing"
run_in_netns "own table" own_table_ns.sh 120
finish
