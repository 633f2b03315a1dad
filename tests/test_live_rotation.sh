#!/bin/bash
# luruse run against a REAL systemd-journald (private mount + pid namespace, see
# tests/lib/live_rotation_ns.sh) while journald rotates its files and the archived
# files are vacuumed: every line processed exactly once during ~300 lines with 6
# rotations and 3 vacuums, after the file luruse stands in is deleted, and after a
# restart whose saved cursor points into a vacuumed file.
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
timeout -k 5 55 "${NS[@]}" bash "$TESTS_LIB/live_rotation_ns.sh" "$T" 2>&1 &
track $!
wait $!
rc=$?
case $rc in
  0) ok "live rotation scenario" ;;
  77) exit 77 ;;
  124|137) bad "live rotation scenario timed out" ;;
  *) bad "live rotation scenario failed (exit $rc)"
     for f in luruse.err journald.log; do
       [ -s "$T/$f" ] && { echo "--- $f"; tail -20 "$T/$f"; }
     done ;;
esac
finish
