#!/bin/bash
# luruse's own nftables table and the sshd jail against a real nftables in a
# private network namespace (see tests/lib/own_table_ns.sh).
. "$(dirname "$0")/lib/common.sh"
setup
[ "$(id -u)" -eq 0 ] || skip "needs root for unshare -n"
command -v nsenter > /dev/null && command -v ip > /dev/null || skip "nsenter or ip is missing"
NS=(unshare -n -m -p -f --kill-child --mount-proc --propagation private)
timeout 10 "${NS[@]}" true 2> "$T/unshare.err" || skip "no private namespaces: $(cat "$T/unshare.err")"
HOST_NETNS=$(readlink /proc/self/ns/net)
export HOST_NETNS LURUSE_BIN LURUSE_SRC
timeout -k 5 120 "${NS[@]}" bash -c \
  'mount -t tmpfs tmpfs /run/systemd 2> /dev/null; exec bash "$1" "$2"' \
  _ "$TESTS_LIB/own_table_ns.sh" "$T" 2>&1 &
track $!
wait $!
case $? in
  0) ok "own table scenario in a private network namespace" ;;
  77) exit 77 ;;
  124|137) bad "own table scenario timed out" ;;
  *) bad "own table scenario failed" ;;
esac
finish
