#!/bin/bash
# Runs INSIDE a private mount (+ pid) namespace, started by tests/test_syslog_wake.sh.
# journald's ForwardToSyslog= is on by default (Debian 12's journald.conf leaves
# it commented out, systemd 252's default is yes).
set -u
W=$1
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"
SOCK=/run/systemd/journal/syslog
. "$(dirname "${BASH_SOURCE[0]}")/record_rules.sh"
exactly_once() { # TAG N: "TAG 1".."TAG N" each once, in order
  if grep -E "^$1 [0-9]+\$" "$OUT" | sed "s/^$1 //" | cmp -s - <(seq 1 "$2"); then
    ok "$1: lines 1..$2 recorded exactly once, in order"
  else
    bad "$1: not exactly lines 1..$2 once in order ($(grep -cE "^$1 " "$OUT") recorded)"
  fi
}
status_json() { "$LURUSE_BIN" status --json --storage "$W/state"; }
DAEMON_ARGS=--syslog-wake

# ---------------------------------------------- a. the socket is free: taken
start_daemon
if daemon_said "wakes the journal reader"; then ok "--syslog-wake: the forwarding socket is taken"
else bad "--syslog-wake: no 'wakes the journal reader' line"; fi
[ -S "$SOCK" ] && ok "$SOCK is a socket" || bad "$SOCK is missing"
printf 'a %d\n' $(seq 1 300) | log_lines
wait_until 15 recorded_at_least '^a ' 300 || bad "only $(grep -c '^a ' "$OUT") of 300 lines within 15 s"
sleep 0.5 # a duplicate would show up now
exactly_once a 300
dgrams=$(status_json | python3 -c 'import json,sys; d=json.load(sys.stdin)["syslog_wake"]; print(d["datagrams"])')
# net.unix.max_dgram_qlen is 10 where systemd did not boot the machine (it sets
# 512): journald then drops datagrams in bursts, which costs latency, not lines
if [ "${dgrams:-0}" -ge 1 ]; then ok "status: $dgrams datagrams received for 300 lines (queue limit $(cat /proc/sys/net/unix/max_dgram_qlen))"
else bad "status: ${dgrams:-no} datagrams for 300 lines"; fi
"$LURUSE_BIN" status --storage "$W/state" | grep -q "^syslog wake-up: $SOCK, [0-9]* datagrams" &&
  ok "status (text) names the wake-up socket" || bad "status (text) has no syslog wake-up line"
stop_daemon
[ -e "$SOCK" ] && bad "$SOCK left behind at exit" || ok "the socket file is removed at exit"

# ---------------------------------------------- b. a syslog daemon has it: left alone
python3 - "$SOCK" "$W/listener.ready" <<'PY' &
import socket, sys, time, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2], "w").close()
s.settimeout(0.2)
end = time.time() + 60
while time.time() < end and os.path.exists(sys.argv[1]):
    try: s.recv(65536)
    except socket.timeout: pass
PY
LISTENER=$!
wait_until 10 test -e "$W/listener.ready" || bad "the stand-in syslog daemon did not start"
start_daemon
if wait_until 5 daemon_said "already read by another program"; then
  ok "a socket another program answers on: refused with a notice"
else bad "no notice about the socket another program holds"; fi
printf 'b %d\n' $(seq 1 100) | log_lines
wait_until 15 recorded_at_least '^b ' 100 || bad "only $(grep -c '^b ' "$OUT") of 100 lines within 15 s"
exactly_once b 100
[ "$(status_json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("syslog_wake", "absent"))')" = None ] &&
  ok "status: syslog_wake is null (asked for, not had)" || bad "status: syslog_wake is not null"
stop_daemon
[ -S "$SOCK" ] && ok "the other program's socket is still there after luruse's exit" ||
  bad "luruse removed the other program's socket"
kill "$LISTENER" 2> /dev/null; wait "$LISTENER" 2> /dev/null

# ---------------------------------------------- c. a stale socket file: replaced
[ -S "$SOCK" ] || python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' "$SOCK"
start_daemon
if daemon_said "wakes the journal reader"; then ok "a stale socket file (nobody listening) is replaced"
else bad "the stale socket file was not replaced"; fi
printf 'c %d\n' $(seq 1 50) | log_lines
wait_until 15 recorded_at_least '^c ' 50 || bad "only $(grep -c '^c ' "$OUT") of 50 lines within 15 s"
exactly_once c 50
stop_daemon
[ -e "$SOCK" ] && rm -f "$SOCK" # the stale one of c, if luruse's exit left it

# ---------------------------------------------- d. systemd's socket (luruse.socket)
# systemd-socket-activate binds it and passes it as systemd does: no
# --syslog-wake needed, and the socket is left to its owner at exit; a
# --fast-follow (as an ExecStart= drop-in could add) gives way to it, saying so
if command -v systemd-socket-activate > /dev/null; then
  # (it passes no environment unless told: -E)
  systemd-socket-activate --datagram -l "$SOCK" -E LRTEST_OUT -E LURUSE_SRC \
    "$LURUSE_BIN" run -c "$RULES" --storage "$W/state" --fast-follow >> "$W/luruse.out" 2>> "$W/luruse.err" &
  LPID=$!
  # it starts luruse (in its own place: same pid) once the socket has a datagram
  wait_until 10 test -S "$SOCK" || bad "systemd-socket-activate did not bind $SOCK"
  log_line "activate"
  if wait_until 15 daemon_said "(from systemd) wakes the journal reader"; then
    ok "socket activation: the socket systemd passed is the wake-up"
  else bad "socket activation: no 'from systemd' line"; tail -5 "$W/luruse.err" | sed "s/^/      | /"; ps -ef | grep -E "luruse|socket-act" | grep -v grep | sed "s/^/      | /"; fi
  printf 'd %d\n' $(seq 1 100) | log_lines
  wait_until 15 recorded_at_least '^d ' 100 || bad "only $(grep -c '^d ' "$OUT") of 100 lines within 15 s"
  exactly_once d 100
  dgrams=$(status_json | python3 -c 'import json,sys; print(json.load(sys.stdin)["syslog_wake"]["datagrams"])')
  [ "${dgrams:-0}" -ge 1 ] && ok "socket activation: $dgrams datagrams received" || bad "socket activation: no datagram"
  polls=$(status_json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("fast_follow", {}).get("polls", 0))')
  if daemon_said "--fast-follow: not used: journald's syslog forwarding" && [ "$polls" = 0 ]; then
    ok "socket activation: --fast-follow gives way to the datagrams, with a notice (0 polls)"
  else bad "socket activation with --fast-follow: $polls polls, notice: $(grep -c 'fast-follow: not used' "$W/luruse.err")"; fi
  stop_daemon
  [ -S "$SOCK" ] && ok "socket activation: the socket is left to its owner at exit" \
    || bad "socket activation: luruse removed systemd's socket"
else
  echo "note: systemd-socket-activate missing: socket activation not tried"
fi
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W/luruse.err"; then
  bad "luruse stderr has a sanitizer/internal error report:"; head -30 "$W/luruse.err" | sed 's/^/      | /'
else
  ok "luruse stderr has no sanitizer report"
fi
echo "syslog wake checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
