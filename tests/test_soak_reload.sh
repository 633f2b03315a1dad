#!/bin/bash
# SIGHUP 100 times while entries flow, alternating a good and a broken rule
# file: no entry lost or read twice, every reload answered (50 "rules
# reloaded", 50 "reload failed"), RssAnon flat after the first reloads. See
# tests/lib/soak_reload.sh. SOAK_RELOADS sets the count.
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journal-remote ] || skip "/lib/systemd/systemd-journal-remote is missing"
command -v sqlite3 > /dev/null || skip "sqlite3 is missing"
export SOAK_RELOADS=${SOAK_RELOADS:-100}
# ASan keeps freed memory in quarantine (256 MiB by default): RssAnon would
# measure that, not luruse
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
run_without_journal "SIGHUP while entries flow" soak_reload.sh 200
finish
