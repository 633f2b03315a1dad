#!/bin/bash
# The daily report by the entries' clock: a replay whose last line comes after a
# quiet night sends the report (a lone line whose monotonic time contradicts its
# date does not); a catch-up of 8 days of journal files by `luruse run` sends one
# whole report per day; a restart with --from-start resumes after the saved
# cursor, and --reset-cursor reads again. See tests/lib/report_days_ns.sh.
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journal-remote ] || skip "/lib/systemd/systemd-journal-remote is missing"
export LURUSE_BIN LURUSE_SRC

# luruse run logs into the journal when /run/systemd/journal/socket exists: hide
# it in a private mount namespace so that nothing reaches the host's journal.
NS=(unshare -m -p -f --kill-child --mount-proc --propagation private)
if [ "$(id -u)" -eq 0 ] && timeout 10 "${NS[@]}" true 2> /dev/null; then
  timeout -k 5 150 "${NS[@]}" bash -c 'mount -t tmpfs tmpfs /run/systemd && exec bash "$1" "$2"' \
    _ "$TESTS_LIB/report_days_ns.sh" "$T" 2>&1 &
elif [ ! -e /run/systemd/journal/socket ]; then
  timeout -k 5 150 bash "$TESTS_LIB/report_days_ns.sh" "$T" 2>&1 &
else
  skip "cannot hide the host's journal socket (needs root and unshare -m)"
fi
track $!
wait $!
case $? in
  0) ok "report days scenario" ;;
  124|137) bad "report days scenario timed out" ;;
  *) bad "report days scenario failed" ;;
esac
finish
