#!/bin/bash
# The state database's filesystem turning read-only under a running daemon, as
# ext4 does on an error (errors=remount-ro: a real ext4 on a loop device in a
# private mount namespace, the error raised through /sys/fs/ext4/DEV/
# trigger_fs_error): luruse goes on banning (a real nftables, in a private
# network namespace), logs what it could not save, stops cleanly; once the
# filesystem is repaired (fsck) and mounted again, it catches up from its last
# saved position: every report line saved once, every ban recorded once. See
# tests/lib/state_read_only_ns.sh.
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journal-remote ] || skip "/lib/systemd/systemd-journal-remote is missing"
command -v sqlite3 > /dev/null || skip "sqlite3 is missing"
command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is missing (e2fsprogs)"
run_in_netns "state filesystem read-only under the daemon" state_read_only_ns.sh 180
finish
