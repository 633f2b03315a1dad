#!/bin/bash
# Runs INSIDE a private mount (+ pid) namespace, started by tests/test_run_errors.sh:
#   run_errors_ns.sh WORKDIR
# Prints ok/FAIL lines; exits 0 when every check passed, 77 when the setup is impossible.
set -u
W=$1
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"

# in_journal_from FIXED-STRING: a luruse message in this namespace's journal says it
luruse_journaled() { jctl -o cat | grep -qF -- "$1"; }

RULES=$W/rules.lua
cat > "$RULES" <<'LUA'
local L = require "luruse"
L.chain "Record" { L.equals("SYSLOG_IDENTIFIER", "lrtest"), L.noop() }
LUA
cat > "$W/broken.lua" <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.noop(
}
LUA

# run_fails NAME NEEDLE ARGS...: luruse run ARGS exits 1, NEEDLE on its stderr and in the journal
run_fails() {
  local name=$1 needle=$2
  shift 2
  timeout -k 2 20 "$LURUSE_BIN" run "$@" > "$W/$name.out" 2> "$W/$name.err"
  local rc=$?
  if [ "$rc" -eq 1 ]; then ok "$name: exit 1"; else bad "$name: expected exit 1, got $rc"; fi
  assert_contains "$name: the error is on stderr" "$W/$name.err" "$needle"
  if wait_until 10 luruse_journaled "$needle"; then ok "$name: the error is in the journal too"
  else bad "$name: '$needle' is not in the journal"; fi
  if grep -aqE 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/$name.err"; then
    bad "$name: sanitizer report"; head -20 "$W/$name.err"
  fi
}

run_fails syntax "broken.lua:5:" -c "$W/broken.lua" --storage "$W/state-syntax"
: > "$W/a-file"
run_fails storage "cannot create the storage directory $W/a-file/state" \
  -c "$RULES" --storage "$W/a-file/state"

start_daemon
run_fails second "the storage $W/state is in use by luruse run, pid $LPID" -c "$RULES" --storage "$W/state"
daemon_alive && ok "second: the first daemon is still running" || bad "second: the first daemon died"
stop_daemon

# Under systemd with StandardError=journal, JOURNAL_STREAM names stderr's
# device:inode: the error goes to the journal once, not again through stderr.
: > "$W/js.err"
js=$(stat -c '%d:%i' "$W/js.err")
JOURNAL_STREAM=$js timeout -k 2 20 "$LURUSE_BIN" run -c "$W/broken.lua" --storage "$W/state-js" \
  > /dev/null 2>> "$W/js.err"
rc=$?
[ "$rc" -eq 1 ] && ok "JOURNAL_STREAM=$js (stderr): exit 1" || bad "JOURNAL_STREAM (stderr): exit $rc"
if [ -s "$W/js.err" ]; then bad "JOURNAL_STREAM names stderr, yet stderr got: $(head -3 "$W/js.err")"
else ok "JOURNAL_STREAM names stderr: nothing written twice"; fi
n=$(jctl -o cat | grep -cF "broken.lua:5:")
[ "$n" -ge 2 ] && ok "JOURNAL_STREAM names stderr: the error is in the journal ($n times over both runs)" \
  || bad "JOURNAL_STREAM names stderr: the error is not in the journal ($n)"
# another file's JOURNAL_STREAM (e.g. inherited from a service) is not stderr
: > "$W/other"
JOURNAL_STREAM=$(stat -c '%d:%i' "$W/other") timeout -k 2 20 "$LURUSE_BIN" run -c "$W/broken.lua" \
  --storage "$W/state-js" > /dev/null 2> "$W/js2.err"
assert_contains "JOURNAL_STREAM naming another file: the error is on stderr" "$W/js2.err" "broken.lua:5:"

# stderr a pipe whose reader is gone (`luruse run 2>&1 | tee log`, tee killed):
# the warning of a broken reload must not kill the daemon by SIGPIPE.
cp "$RULES" "$W/reloadable.lua"
mkfifo "$W/errpipe"
sleep 30 < "$W/errpipe" &
reader=$!
"$LURUSE_BIN" run -c "$W/reloadable.lua" --storage "$W/state-pipe" > /dev/null 2> "$W/errpipe" &
LPID=$!
if wait_until 15 luruse_journaled "state $W/state-pipe"; then ok "stderr on a pipe: running"
else bad "stderr on a pipe: the daemon did not start"; fi
kill "$reader"; wait "$reader" 2> /dev/null
cp "$W/broken.lua" "$W/reloadable.lua"
kill -HUP "$LPID"
if wait_until 10 luruse_journaled "reload failed, the old rules keep running"; then
  ok "stderr on a pipe: the broken reload is logged"
else bad "stderr on a pipe: no reload failure in the journal"; fi
sleep 0.5
if daemon_alive; then ok "stderr on a pipe without a reader: the daemon survives the error line"
else wait "$LPID"; bad "stderr on a pipe without a reader: the daemon died (exit $?)"; fi
kill -TERM "$LPID" 2> /dev/null; wait "$LPID" 2> /dev/null
LPID=

echo "run errors checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
