#!/bin/bash
# The state database on a full disk, then read-only (a small tmpfs in
# a private mount namespace): luruse goes on banning (into a real nftables, in
# a private network namespace), logs what it could not save, and saves it once
# space returns; on a read-only storage it refuses to start, saying why. See
# tests/lib/state_full_disk_ns.sh.
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journal-remote ] || skip "/lib/systemd/systemd-journal-remote is missing"
command -v sqlite3 > /dev/null || skip "sqlite3 is missing"
run_in_netns "state on a full, then read-only disk" state_full_disk_ns.sh 180
finish
