#!/bin/bash
# Runs INSIDE a private mount (+ pid) namespace, started by tests/test_live_control.sh.
# `luruse run` against a real systemd-journald, steered through its control
# socket: status (text and JSON), reload (good and broken rules) with counters
# kept across it, the socket's 0600 mode and uid check, a second daemon on the
# same storage refused, and a clear message once no daemon runs.
set -u
W=$1
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"

RULES=$W/rules.lua
write_rules() { # VERSION-TAG
  cat > "$RULES.tmp" <<LUA
local L = require "luruse"
L.chain "Fail" {
  L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^fail (?<ip>\S+)$]]),
  L.counter_raise("fails", "ip", { keep = 3600, save = "n" }),
  L.log("$1 count {ip} {n}", "WARNING"),
}
L.chain "Capture" {
  L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^dnat (?<src>\S+) (?<addr>\S+) (?<port>\d+)$]]),
  L.dnat_capture { saddr = "src", addr = "addr", port = "port", keepSeconds = 3600 },
}
L.chain "Replace" {
  L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^conn (?<ip>\S+) (?<port>\d+)$]]),
  L.dnat_replace { addr = "ip", port = "port", saddrInto = "ip" },
  L.log("$1 client {ip}", "WARNING"),
}
LUA
  mv "$RULES.tmp" "$RULES"
}
counted() { jctl SYSLOG_IDENTIFIER=luruse -o cat | grep -qxF -- "$1"; }
CTL() { "$LURUSE_BIN" "$@" --storage "$W/state"; }

write_rules v1
start_daemon
for i in 1 2 3 4 5; do log_line "fail 192.0.2.1"; done
for i in 1 2 3; do log_line "fail 192.0.2.2"; done
wait_until 15 counted "v1 count 192.0.2.2 3" || bad "the first lines were not counted"

CTL status > "$W/status.txt" 2> "$W/status.err"
if [ $? -eq 0 ] && grep -q "luruse running for" "$W/status.txt" && grep -q "Fail\[2\]" "$W/status.txt"; then
  ok "luruse status answers (uptime, entries, step table)"
else bad "luruse status: $(cat "$W/status.txt" "$W/status.err" | head -5)"; fi
CTL status --json > "$W/status.json"
python3 - "$W/status.json" <<'PY' > "$W/status.check"
import json, sys
s = json.load(open(sys.argv[1]))
steps = {x["step"]: x for x in s["steps"]}
assert s["ok"] is True
assert s["counters"]["keys"] == 2, s["counters"]
assert steps["Fail[2]"]["entries"] == 8, steps["Fail[2]"]
assert s["entries"] >= 8 and s["uptime_seconds"] >= 0
assert "dnat" in s and "notify" in s
print("ok")
PY
[ "$(cat "$W/status.check")" = ok ] && ok "status --json: 2 counter keys, Fail[2] reached by 8 entries" \
  || bad "status --json: $(cat "$W/status.check" "$W/status.json" | head -20)"

mode=$(stat -c %a "$W/state/control.sock")
[ "$mode" = 600 ] && ok "the control socket is mode 0600" || bad "control socket mode $mode"
if command -v setpriv > /dev/null; then
  if setpriv --reuid 65534 --regid 65534 --clear-groups "$LURUSE_BIN" status --socket "$W/state/control.sock" \
       > /dev/null 2> "$W/nobody.err"; then
    bad "an unprivileged user could use the control socket"
  else ok "an unprivileged user is refused: $(head -1 "$W/nobody.err")"; fi
fi

# reload: the counters and the DNAT mappings go on
log_line "dnat 203.0.113.9 192.168.1.1 40000"
log_line "conn 192.168.1.1 40000"
wait_until 15 counted "v1 client 203.0.113.9" || bad "the DNAT mapping was not used before the reload"
write_rules v2
CTL reload > "$W/reload.out" 2>&1 && ok "luruse reload: $(cat "$W/reload.out")" || bad "luruse reload failed: $(cat "$W/reload.out")"
log_line "fail 192.0.2.1"
wait_until 15 counted "v2 count 192.0.2.1 6" && ok "after reload the new rules count on from the old count (6)" \
  || bad "after reload: $(jctl SYSLOG_IDENTIFIER=luruse -o cat | grep count | tail -3 | tr '\n' ' ')"
log_line "conn 192.168.1.1 40000"
wait_until 15 counted "v2 client 203.0.113.9" && ok "after reload the new rules use the mapping captured before it" \
  || bad "after reload the DNAT mapping was lost"

# a broken reload: error with file:line, the running rules stay
printf 'local L = require "luruse"\nL.chain "X" {\n  L.equals("A"),\n}\n' > "$RULES"
CTL reload > "$W/badreload.out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "rules.lua:3" "$W/badreload.out" && ok "a broken reload fails with file:line: $(head -c 160 "$W/badreload.out")" \
  || bad "broken reload: exit $rc: $(cat "$W/badreload.out")"
log_line "fail 192.0.2.2"
wait_until 15 counted "v2 count 192.0.2.2 4" && ok "after the failed reload the v2 rules still count (4)" \
  || bad "after the failed reload nothing was counted"

# a second daemon on the same storage is refused
timeout 10 "$LURUSE_BIN" run -c "$RULES" --storage "$W/state" > /dev/null 2> "$W/second.err"
rc=$?
[ $rc -ne 0 ] && daemon_alive && ok "a second luruse on the same storage is refused (exit $rc), the first runs on" \
  || bad "second daemon: exit $rc, first alive: $(daemon_alive && echo yes || echo no)"

write_rules v2
# an idle client, then SIGTERM and at once SIGHUP and SIGTERM again: a clean stop
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(4)' "$W/state/control.sock" &
idle=$!
sleep 0.3
kill -TERM "$LPID"; kill -HUP "$LPID"; kill -TERM "$LPID"
stop_daemon
kill "$idle" 2> /dev/null; wait "$idle" 2> /dev/null
CTL status > "$W/nodaemon.out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "no running luruse daemon" "$W/nodaemon.out" && ok "without a daemon: $(cat "$W/nodaemon.out")" \
  || bad "without a daemon: exit $rc: $(cat "$W/nodaemon.out")"
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W/luruse.err"; then
  bad "luruse stderr has a sanitizer report:"; head -30 "$W/luruse.err" | sed 's/^/      | /'
else ok "luruse stderr has no sanitizer report"; fi
echo "live control checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
