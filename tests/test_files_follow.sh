#!/bin/bash
# luruse run following text files while they are written and rotated, across
# kill -9 and restarts (see tests/lib/files_follow.sh).
. "$(dirname "$0")/lib/common.sh"
setup
command -v sqlite3 > /dev/null || skip "sqlite3 is missing"
export LURUSE_BIN
# luruse logs into the journal when /run/systemd/journal/socket exists: hide it
# in a private mount namespace so that nothing reaches the host's journal.
NS=(unshare -m -p -f --kill-child --mount-proc --propagation private)
if [ "$(id -u)" -eq 0 ] && timeout 10 "${NS[@]}" true 2> /dev/null; then
  timeout -k 5 120 "${NS[@]}" bash -c 'mount -t tmpfs tmpfs /run/systemd && exec bash "$1" "$2"' \
    _ "$TESTS_LIB/files_follow.sh" "$T" 2>&1 &
elif [ ! -e /run/systemd/journal/socket ]; then
  timeout -k 5 120 bash "$TESTS_LIB/files_follow.sh" "$T" 2>&1 &
else
  skip "cannot hide the host's journal socket (needs root and unshare -m)"
fi
track $!
wait $!
case $? in
  0) ok "files followed through rotations and kill -9" ;;
  124|137) bad "the files scenario timed out" ;;
  *) bad "the files scenario failed" ;;
esac
finish
