#!/bin/bash
# The shipped sshd and recidive jails live: a real systemd-journald and a real
# nftables in private mount, pid and network namespaces (see
# tests/lib/live_jail_ns.sh).
. "$(dirname "$0")/lib/common.sh"
setup
[ "$(id -u)" -eq 0 ] || skip "needs root for unshare -n -m"
[ -x /lib/systemd/systemd-journald ] || skip "/lib/systemd/systemd-journald is missing"
command -v logger > /dev/null || skip "logger is missing"
NS=(unshare -n -m -p -f --kill-child --mount-proc --propagation private)
timeout 10 "${NS[@]}" true 2> "$T/unshare.err" || skip "no private namespaces: $(cat "$T/unshare.err")"
HOST_NETNS=$(readlink /proc/self/ns/net)
export HOST_NETNS LURUSE_BIN LURUSE_SRC
timeout -k 5 120 "${NS[@]}" bash "$TESTS_LIB/live_jail_ns.sh" "$T" 2>&1 &
track $!
wait $!
case $? in
  0) ok "live jail scenario" ;;
  77) exit 77 ;;
  124|137) bad "live jail scenario timed out" ;;
  *) bad "live jail scenario failed"
     [ -s "$T/luruse.err" ] && { echo "--- luruse.err"; tail -20 "$T/luruse.err"; } ;;
esac
finish
