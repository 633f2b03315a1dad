#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_completion.sh:  completion_ns.sh WORKDIR
# `luruse unban <TAB>` offers the addresses the running daemon has banned
# (`luruse bans --json`), finding the daemon by --storage or by the rules;
# `luruse status <TAB>` the jails of its rules (`luruse status --json`).
set -u
W=$1
: "${LURUSE_BIN:?}" "${LURUSE_SRC:?}" "${HOST_NETNS:?}"
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/completion.sh"
if [ "$(readlink /proc/self/ns/net)" = "$HOST_NETNS" ]; then
  echo "FAIL - still in the host's network namespace: refusing to touch any firewall"
  exit 1
fi
[ -S /run/systemd/journal/socket ] && { echo "FAIL - a journald socket is visible"; exit 1; }
/usr/sbin/nft list ruleset > /dev/null 2>&1 || { echo "SKIP: no nftables in this kernel"; exit 77; }

ST=$W/state
mkdir -p "$W/journal"
cat > "$W/rules.lua" <<LUA
local L = require "luruse"
L.config { storage = "$ST" }
L.jail "t" { identifier = "t", failures = { [[^fail (?<ip>\S+)$]] } }
L.chain "Rest" { L.noop() }
LUA
# two permanent bans recorded, which the daemon applies at start
cat > "$W/action_nftBan.py.json" <<'JSON'
[{"IP": "203.0.113.7", "nfSet": "inet luruse ban4", "timestamp": 0},
 {"IP": "2001:db8::9", "nfSet": "inet luruse ban6", "timestamp": 0}]
JSON
"$LURUSE_BIN" import-pyruse-bans --storage "$ST" "$W/action_nftBan.py.json" > "$W/import.out" 2>&1 \
  || { bad "import-pyruse-bans failed:"; cat "$W/import.out"; }

assert_eq "no daemon: unban offers nothing" "" "$(words "$LURUSE_BIN unban --storage $ST ")"

"$LURUSE_BIN" run -c "$W/rules.lua" --journal-dir "$W/journal" > /dev/null 2> "$W/run.err" &
LPID=$!
wait_until 15 grep -qF "luruse running" "$W/run.err" || { bad "luruse run did not start"; tail -5 "$W/run.err"; }
wait_until 10 sh -c "'$LURUSE_BIN' bans --storage '$ST' | grep -q applied" || bad "the bans were not applied"

assert_eq "unban --storage DIR: the daemon's bans" "2001:db8::9 203.0.113.7" \
  "$(words "$LURUSE_BIN unban --storage $ST ")"
assert_eq "unban -c RULES: the daemon found by the rules' storage" "2001:db8::9 203.0.113.7" \
  "$(words "$LURUSE_BIN unban -c $W/rules.lua ")"
assert_eq "unban --socket PATH, and a prefix" "203.0.113.7" \
  "$(words "$LURUSE_BIN unban --socket $ST/control.sock 203")"

assert_eq "status JAIL: the running rules' jails" "t" "$(words "$LURUSE_BIN status --storage $ST ")"

"$LURUSE_BIN" unban --storage "$ST" 203.0.113.7 > /dev/null 2>&1 || bad "luruse unban failed"
assert_eq "after an unban, only the other address" "2001:db8::9" \
  "$(words "$LURUSE_BIN unban --storage $ST ")"

kill -TERM "$LPID"; wait "$LPID" || bad "luruse exit status after SIGTERM: $?"
LPID=
grep -qE 'AddressSanitizer|runtime error:' "$W/run.err" && bad "sanitizer report in luruse run"
[ "$FAILURES" -eq 0 ]
