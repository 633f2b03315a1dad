#!/bin/bash
# The control socket under abuse: a 10 MiB request, 1,000 connections at
# once, a client that never reads, a peer that is not root. Each is refused or
# dropped, and the daemon goes on answering its other clients and reading
# entries. See tests/lib/control_abuse_ns.sh.
. "$(dirname "$0")/lib/common.sh"
setup
command -v setpriv > /dev/null || skip "setpriv is missing"
run_without_journal "control socket abuse" control_abuse_ns.sh 120
finish
