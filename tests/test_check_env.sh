#!/bin/bash
# luruse check looks at the host the rules will run on: nft sets, ipset sets
# and programs that are missing are warnings (exit 0; 1 with --strict), the
# sets of luruse's own table "will be created", and a process without
# CAP_NET_ADMIN says the sets could not be checked. With the real nft and
# ipset, in a private network namespace (see tests/lib/check_env_ns.sh).
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /usr/sbin/nft ] || skip "/usr/sbin/nft is missing (apt install nftables)"
[ -x /usr/sbin/ipset ] || skip "/usr/sbin/ipset is missing (apt install ipset)"
command -v setpriv > /dev/null || skip "setpriv is missing (apt install util-linux)"
run_in_netns "check env" check_env_ns.sh 120
finish
