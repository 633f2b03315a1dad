#!/bin/bash
# One luruse per storage directory: a replay, or a second `luruse run`, is
# refused on the storage of a running daemon (rules' storage setting or
# --storage) and works again once the daemon is gone, even by SIGKILL with its
# sendmail still running; restore and import-pyruse-bans still work beside the
# daemon. In private network, mount and pid namespaces (stand-in ipset and
# sendmail; see tests/lib/storage_lock_ns.sh).
. "$(dirname "$0")/lib/common.sh"
setup
run_in_netns "storage lock" storage_lock_ns.sh 120
finish
