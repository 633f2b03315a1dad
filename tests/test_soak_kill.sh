#!/bin/bash
# kill -9 at random moments of `luruse run` over a journal directory that
# systemd-journal-remote appends to and a followed text file, with a jail that
# bans into a real nftables and alerts that wait in the outbox; after each kill
# it is started again. In the end: every report line recorded exactly once,
# every expected ban in the database and in the set once, the cursor and the
# file's position at their ends, no alert in the outbox twice. See
# tests/lib/soak_kill_ns.sh.
#
# ctest runs 20 kills over 20,000 entries and 4,000 lines. The full run (200,000
# entries, 40,000 lines, 20 kills), with the Release build:
#   SOAK_FULL=1 LURUSE_BIN=build-release/luruse bash tests/test_soak_kill.sh
# SOAK_ENTRIES, SOAK_LINES, SOAK_KILLS and SOAK_SEED set each figure alone.
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journal-remote ] || skip "/lib/systemd/systemd-journal-remote is missing"
command -v sqlite3 > /dev/null || skip "sqlite3 is missing"
command -v journalctl > /dev/null || skip "journalctl is missing"
if [ "${SOAK_FULL:-0}" = 1 ]; then
  : "${SOAK_ENTRIES:=200000}" "${SOAK_LINES:=40000}"
fi
export SOAK_ENTRIES=${SOAK_ENTRIES:-20000} SOAK_LINES=${SOAK_LINES:-4000}
export SOAK_KILLS=${SOAK_KILLS:-20} SOAK_SEED=${SOAK_SEED:-$RANDOM}
echo "entries $SOAK_ENTRIES, lines $SOAK_LINES, kills $SOAK_KILLS, seed $SOAK_SEED"
run_in_netns "kill -9 soak" soak_kill_ns.sh 900
finish
