#!/bin/bash
# Runs INSIDE a private mount (+ pid) namespace, started by tests/test_fast_follow.sh.
set -u
W=$1
# the flood below is 14,000 lines in about 1 s: journald's rate limit (10,000
# in 30 s by default) would drop some
JOURNALD_CONF=RateLimitBurst=0
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"
. "$(dirname "${BASH_SOURCE[0]}")/record_rules.sh"
status_field() { # KEY [SECTION]: fast_follow's polls or found (or SECTION's KEY), from `luruse status --json`
  "$LURUSE_BIN" status --json --storage "$W/state" |
    python3 -c 'import json,sys; d=json.load(sys.stdin).get(sys.argv[2]); print(d[sys.argv[1]] if d else "absent")' "$1" "${2:-fast_follow}"
}
DAEMON_ARGS=--fast-follow

start_daemon
# a flow of 2,000 lines over about 2 s, 100 at a time: read by the polls as
# journald writes them, each exactly once
python3 - <<'PY'
import socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect("/run/systemd/journal/socket")
for i in range(1, 2001):
    s.send(b"MESSAGE=f %d\nSYSLOG_IDENTIFIER=lrtest\n" % i)
    if i % 100 == 0:
        time.sleep(0.1)
PY
wait_until 20 recorded_at_least '^f ' 2000 || bad "only $(grep -c '^f ' "$OUT") of 2000 lines within 20 s"
sleep 0.5 # a duplicate would show up now
if grep -E '^f [0-9]+$' "$OUT" | sed 's/^f //' | cmp -s - <(seq 1 2000); then
  ok "--fast-follow: lines 1..2000 recorded exactly once, in order"
else
  bad "--fast-follow: not exactly lines 1..2000 once in order ($(grep -c '^f ' "$OUT") recorded)"
fi
# caught up, luruse reads new entries straight from journald's file (input/journal_tail.c)
direct=$(status_field entries journal_direct)
if [ "$direct" != absent ] && [ "$direct" -ge 1900 ]; then
  ok "$direct of the 2,000 lines were read straight from journald's file (the others through libsystemd)"
else
  bad "journal_direct entries [$direct]: the direct reader did not read the flow"
fi
"$LURUSE_BIN" status --storage "$W/state" | grep -q "^journal read directly: $direct entries; [0-9]* starts" &&
  ok "status (text) tells of the entries read directly" || bad "status (text) has no 'journal read directly' line"
assert_eq "--fast-follow alone: status names the mode" always "$(status_field when)"
found=$(status_field found) polls=$(status_field polls)
# 20 bursts 100 ms apart: the backed-off polls (2, 4 ... 128 ms) find most
if [ "$found" != absent ] && [ "$found" -ge 5 ] && [ "$polls" -ge "$found" ]; then
  ok "status: $polls polls of the journal while the lines flowed, $found of them found entries"
else
  bad "status: fast_follow polls [$polls], found [$found]"
fi
"$LURUSE_BIN" status --storage "$W/state" | grep -q "^fast follow: [0-9]* polls of the journal" &&
  ok "status (text) tells of the polls" || bad "status (text) has no fast follow line"
# quiet again: the polls back off and stop (250 ms after the last entry), journald's notices
# wake the reader
sleep 0.5
p1=$(status_field polls)
sleep 1
p2=$(status_field polls)
assert_eq "no polls while the journal is quiet" "$p1" "$p2"
log_line "f after"
wait_until 10 recorded_at_least '^f after$' 1 && ok "a line after the quiet is read (journald's notice)" ||
  bad "the line after the quiet was not read"
stop_daemon
if grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/luruse.err"; then
  bad "a sanitizer report in luruse's stderr"
fi

# --fast-follow=never: no polls, nothing in status
DAEMON_ARGS=--fast-follow=never
start_daemon
log_line "f plain"
wait_until 10 recorded_at_least '^f plain$' 1 || bad "the line with --fast-follow=never was not read"
assert_eq "--fast-follow=never: no fast_follow in status" absent "$(status_field polls)"
stop_daemon

# the default (flood): a trickle is left to journald's notices; a flood (a
# notice's batch of 500 entries or more) starts the polls; once the flow is
# slower than 1,000 a second, they stop although its lines keep coming
DAEMON_ARGS=
start_daemon
printf 'd %d\n' $(seq 1 20) | log_lines
wait_until 10 recorded_at_least '^d [0-9]+$' 20 || bad "default: only $(grep -c '^d ' "$OUT") of 20 lines"
assert_eq "default: a trickle of 20 lines costs no poll" 0 "$(status_field polls)"
assert_eq "default: status names the mode" flood "$(status_field when)"
# one feeder, no pause between its parts (a pause of 250 ms would stop the
# polls as quiet, not as the end of a flood): 4,000 lines at once, 10,000 a
# second (100 every 10 ms) for 1 s, then 50 a second (one every 20 ms: never
# quiet for 250 ms) for 3 s, touching $W/slow when that part begins
python3 - "$W/slow" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect("/run/systemd/journal/socket")
def line(text):
    s.send(b"MESSAGE=%s\nSYSLOG_IDENTIFIER=lrtest\n" % text.encode())
for i in range(1, 14001):
    line("g %d" % i)
    if i > 4000 and i % 100 == 0:
        time.sleep(0.01)
open(sys.argv[1], "w").close()
for i in range(1, 151):
    line("s %d" % i)
    time.sleep(0.02)
PY
FEED=$!
wait_until 20 test -e "$W/slow" || bad "default: the feeder did not reach its slow part"
found=$(status_field found) polls=$(status_field polls)
if [ "$found" -ge 5 ]; then
  ok "default: the flood started the polls ($polls polls, $found found entries)"
else
  bad "default: the flood did not start the polls (polls [$polls], found [$found])"
fi
# below a flood the polls stop (within a window or two, once the flood's lines
# are read), though lines keep coming faster than the quiet that stops them
sleep 1.2
p1=$(status_field polls)
sleep 1
p2=$(status_field polls)
wait "$FEED"
FEED=
assert_eq "default: no polls once the flow is below a flood (50 lines a second)" "$p1" "$p2"
wait_until 30 recorded_at_least '^s [0-9]+$' 150 || bad "default: only $(grep -c '^s ' "$OUT") of the 150 slow lines"
sleep 0.3
if grep -E '^g [0-9]+$' "$OUT" | sed 's/^g //' | cmp -s - <(seq 1 14000) &&
   grep -E '^s [0-9]+$' "$OUT" | sed 's/^s //' | cmp -s - <(seq 1 150); then
  ok "default: the flood's and the slow flow's lines recorded exactly once, in order"
else
  bad "default: not every line exactly once in order ($(grep -c '^g ' "$OUT") flood, $(grep -c '^s ' "$OUT") slow)"
fi
stop_daemon
if grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/luruse.err"; then
  bad "a sanitizer report in luruse's stderr"
fi

# --libsystemd-only: every entry through libsystemd, resuming after the cursor
# the direct reader saved (formatted as libsystemd's)
DAEMON_ARGS=--libsystemd-only
start_daemon
printf 'l %d\n' $(seq 1 50) | log_lines
wait_until 10 recorded_at_least '^l [0-9]+$' 50 || bad "--libsystemd-only: only $(grep -c '^l ' "$OUT") of 50 lines"
sleep 0.3
if grep -E '^l [0-9]+$' "$OUT" | sed 's/^l //' | cmp -s - <(seq 1 50) && [ "$(grep -c '^f plain$' "$OUT")" -eq 1 ]; then
  ok "--libsystemd-only: resumed after the saved cursor, lines 1..50 once in order"
else
  bad "--libsystemd-only: not exactly lines 1..50 once (or 'f plain' read again)"
fi
assert_eq "--libsystemd-only: no direct reading in status" absent "$(status_field entries journal_direct)"
stop_daemon
[ "$FAILURES" -eq 0 ]
