#!/bin/bash
# luruse run --syslog-wake against a REAL systemd-journald (private mount + pid
# namespaces, tests/lib/syslog_wake_ns.sh): the forwarding socket taken, every
# line still read from the journal exactly once, the datagrams counted in
# `luruse status`, the socket file removed at exit; a socket another program
# answers on left alone (with a notice, and the journal still read), a stale
# socket file replaced.
. "$(dirname "$0")/lib/common.sh"
setup
run_journald_scenario "syslog wake" syslog_wake_ns.sh 90
finish
