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
[ -x /usr/sbin/nft ] || skip "/usr/sbin/nft is missing (apt install nftables)"
[ -x /usr/sbin/ipset ] || skip "/usr/sbin/ipset is missing (apt install ipset)"
run_in_netns "bans" bans_netns_ns.sh 540
finish
