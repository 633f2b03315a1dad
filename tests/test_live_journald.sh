#!/bin/bash
# luruse run against a REAL systemd-journald, started in a private mount + pid
# namespace where the host's journal sockets and directories are hidden under
# tmpfs (see tests/lib/live_journald_ns.sh): first start at the tail, SIGHUP
# reload while entries flow (and with a broken rule file), restart resume from
# the saved cursor, and action_log writing back to the journal.
. "$(dirname "$0")/lib/common.sh"
setup
[ "$(id -u)" -eq 0 ] || skip "needs root for unshare -m and mount -t tmpfs"
command -v unshare > /dev/null || skip "unshare is missing"
[ -x /lib/systemd/systemd-journald ] || skip "/lib/systemd/systemd-journald is missing"
command -v logger > /dev/null || skip "logger is missing"
command -v journalctl > /dev/null || skip "journalctl is missing"
NS=(unshare -m -p -f --kill-child --mount-proc --propagation private)
if ! timeout 10 "${NS[@]}" true 2> "$T/unshare.err"; then
  skip "cannot create private mount and pid namespaces: $(cat "$T/unshare.err")"
fi

# --kill-child: when unshare goes (e.g. killed by this timeout), the namespace's
# init dies and the kernel kills journald and luruse with it.
export LURUSE_BIN
# In the background, so that a signal to this script runs its cleanup at once.
timeout -k 5 100 "${NS[@]}" bash "$TESTS_LIB/live_journald_ns.sh" "$T" 2>&1 &
track $!
wait $!
rc=$?
case $rc in
  0) ok "live journald scenario" ;;
  77) exit 77 ;;
  124|137) bad "live journald scenario timed out" ;;
  *) bad "live journald scenario failed (exit $rc)"
     for f in luruse.err journald.log; do
       [ -s "$T/$f" ] && { echo "--- $f"; tail -20 "$T/$f"; }
     done ;;
esac
finish
