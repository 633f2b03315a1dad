#!/bin/bash
# Counters outlive a restart: they are saved in the state database with the
# cursor and restored at start (Pyruse lost them). Lua and pyruse.json rules.
. "$(dirname "$0")/lib/common.sh"
setup
cat > "$T/rules.lua" <<'LUA'
local L = require "luruse"
L.chain "Fail" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Failed password for \S+ from (?<ip>\S+) port]]),
  L.counter_raise("ssh", "ip", { keep = 600, save = "n" }),
  L.log("count {ip} {n}"),
}
L.chain "Ok" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Accepted \S+ for \S+ from (?<ip>\S+) port]]),
  L.counter_reset("ssh", "ip", { grace = 100, save = "n" }),
  L.log("reset {ip} {n}"),
}
LUA
cat > "$T/rules.json" <<'JSON'
{"actions": {
 "Fail": [
  {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}},
  {"filter": "filter_pcre", "args": {"field": "MESSAGE", "re": "^Failed password for \\S+ from (?<ip>\\S+) port"}},
  {"action": "action_counterRaise", "args": {"counter": "ssh", "for": "ip", "keepSeconds": 600, "save": "n"}},
  {"action": "action_log", "args": {"message": "count {ip} {n}"}}],
 "Ok": [
  {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}},
  {"filter": "filter_pcre", "args": {"field": "MESSAGE", "re": "^Accepted \\S+ for \\S+ from (?<ip>\\S+) port"}},
  {"action": "action_counterReset", "args": {"counter": "ssh", "for": "ip", "graceSeconds": 100, "save": "n"}},
  {"action": "action_log", "args": {"message": "reset {ip} {n}"}}]
}}
JSON
entry() { printf '__REALTIME_TIMESTAMP=%d000000\nSYSLOG_IDENTIFIER=sshd\nMESSAGE=%s\n\n' "$1" "$2"; }
t=1773136800
{ entry $t "Failed password for root from 192.0.2.1 port 1 ssh2"
  entry $((t + 1)) "Failed password for root from 192.0.2.1 port 2 ssh2"
  entry $((t + 2)) "Failed password for root from 192.0.2.2 port 3 ssh2"; } > "$T/run1.export"
{ entry $((t + 10)) "Failed password for root from 192.0.2.1 port 4 ssh2"
  entry $((t + 11)) "Accepted password for root from 192.0.2.2 port 5 ssh2"; } > "$T/run2.export"
{ entry $((t + 50)) "Failed password for root from 192.0.2.2 port 6 ssh2"
  entry $((t + 700)) "Failed password for root from 192.0.2.1 port 7 ssh2"; } > "$T/run3.export"
# one entry from a host whose clock is two days ahead, between failures 60 s apart:
# it must not expire the counters of everyone else
{ entry $((t + 1000)) "Failed password for root from 192.0.2.3 port 8 ssh2"
  entry $((t + 1000 + 172800)) "Failed password for root from 192.0.2.9 port 9 ssh2"
  entry $((t + 1060)) "Failed password for root from 192.0.2.3 port 10 ssh2"
  entry $((t + 1120)) "Failed password for root from 192.0.2.3 port 11 ssh2"; } > "$T/run4.export"

for flavour in lua json; do
  for run in 1 2 3 4; do
    timeout -k 5 60 "$LURUSE_BIN" replay -c "$T/rules.$flavour" --storage "$T/st-$flavour" --quiet \
      --export "$T/run$run.export" > /dev/null 2> "$T/$flavour-$run.err"
    assert_eq "$flavour: run $run exits 0" 0 $?
    no_sanitizer_report "$flavour run $run" "$T/$flavour-$run.err"
  done
  assert_contains "$flavour: first run counts 2 for 192.0.2.1" "$T/$flavour-1.err" "count 192.0.2.1 2"
  assert_contains "$flavour: after a restart the count goes on (3)" "$T/$flavour-2.err" "count 192.0.2.1 3"
  assert_contains "$flavour: reset saves 0" "$T/$flavour-2.err" "reset 192.0.2.2 0"
  assert_contains "$flavour: the grace period survives a restart" "$T/$flavour-3.err" "count 192.0.2.2 0"
  assert_contains "$flavour: ticks expire by the entries' clock (600 s)" "$T/$flavour-3.err" "count 192.0.2.1 1"
  assert_contains "$flavour: one entry dated two days ahead expires nobody's counters" \
    "$T/$flavour-4.err" "count 192.0.2.3 3"
done
finish
