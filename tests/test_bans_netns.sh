#!/bin/bash
# Bans with the real nft and ipset, never the host's: everything runs inside a
# private network namespace (plus mount and pid namespaces, so that luruse's
# logs cannot reach the host's journal). See tests/lib/bans_netns_ns.sh:
# hostile addresses refused, canonical elements with timeouts, permanent and
# prefix bans, other tables untouched, `luruse restore` after the sets were
# flushed (expired bans dropped), the nftBan.nft command path, exec arguments
# intact, and a daemon killed with -9 mid-stream losing and doubling no ban.
. "$(dirname "$0")/lib/common.sh"
setup
[ "$(id -u)" -eq 0 ] || skip "needs root for unshare -n"
command -v unshare > /dev/null || skip "unshare is missing"
[ -x /usr/sbin/nft ] || skip "/usr/sbin/nft is missing (apt install nftables)"
[ -x /usr/sbin/ipset ] || skip "/usr/sbin/ipset is missing (apt install ipset)"
NS=(unshare -n -m -p -f --kill-child --mount-proc --propagation private)
if ! timeout 10 "${NS[@]}" true 2> "$T/unshare.err"; then
  skip "cannot create private network, mount and pid namespaces: $(cat "$T/unshare.err")"
fi
# The scenario refuses to touch a firewall in this (the host's) network namespace.
HOST_NETNS=$(readlink /proc/self/ns/net)
export HOST_NETNS LURUSE_BIN
# In the background, so that a signal to this script runs its cleanup at once;
# --kill-child: when unshare goes, everything inside dies with it.
timeout -k 5 540 "${NS[@]}" bash -c \
  'mount -t tmpfs tmpfs /run/systemd 2> /dev/null; exec bash "$1" "$2"' \
  _ "$TESTS_LIB/bans_netns_ns.sh" "$T" 2>&1 &
track $!
wait $!
rc=$?
case $rc in
  0) ok "bans scenario in a private network namespace" ;;
  77) exit 77 ;;
  124|137) bad "bans scenario timed out" ;;
  *) bad "bans scenario failed (exit $rc)" ;;
esac
finish
