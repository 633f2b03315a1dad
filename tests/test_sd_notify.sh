#!/bin/bash
# What `luruse run` tells systemd (sd_notify), caught on a datagram socket of
# the test's (NOTIFY_SOCKET): READY=1, the periodic STATUS line and its
# figures, RELOADING=1 then READY=1 around good and broken reloads (SIGHUP and
# `luruse reload`, which exits 1 with file:line), the watchdog's pings and
# their gap while a custom step holds the loop, STOPPING=1. In private
# network, mount and pid namespaces (see tests/lib/sd_notify_ns.sh).
. "$(dirname "$0")/lib/common.sh"
setup
run_in_netns "sd_notify" sd_notify_ns.sh 150
finish
