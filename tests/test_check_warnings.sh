#!/bin/bash
# luruse check warns (stderr, exit 0) about chains and steps that no entry can
# reach; the shipped rules and a file without such steps get no warning.
. "$(dirname "$0")/lib/common.sh"
setup
cd "$T" || die "cd $T"

# check_warns FILE COUNT NEEDLE... : exit 0, COUNT warning lines, each NEEDLE on stderr
check_warns() {
  local f=$1 count=$2 n
  shift 2
  timeout -k 5 30 "$LURUSE_BIN" check -c "$f" > "$T/out" 2> "$T/err"
  local rc=$?
  assert_eq "$f: exit status" 0 "$rc"
  assert_eq "$f: warnings" "$count" "$(grep -c '^luruse: warning: ' "$T/err")"
  for n in "$@"; do
    assert_contains "$f: warning mentions '$n'" "$T/err" "$n"
  done
  assert_contains "$f: the graph is still printed" "$T/out" "workflow:"
  no_sanitizer_report "$f" "$T/err"
}

check_warns "$LURUSE_SRC/rules/luruse.lua" 0

cat > fine.lua <<'LUA'
local L = require "luruse"
L.chain "A" { L.equals("X", "y"), L.noop():pass_to("J") }
L.chain "J" { L.log("jumped") }
L.chain "Rest" { L.noop() }
LUA
check_warns fine.lua 0

cat > after_catch_all.lua <<'LUA'
local L = require "luruse"
L.chain "A" { L.equals("X", "y"), L.noop() }
L.chain "Rest" { L.noop() }
L.chain "Late" { L.equals("X", "z"), L.log("late") }
L.chain "Later" { L.log("later") }
LUA
check_warns after_catch_all.lua 2 \
  'luruse: warning: after_catch_all.lua:4: chain "Late" is unreachable' \
  'luruse: warning: after_catch_all.lua:5: chain "Later" is unreachable'

cat > after_then.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.noop():pass_to("B"),
  L.log("never"),
}
L.chain "B" { L.noop() }
LUA
check_warns after_then.lua 1 \
  'luruse: warning: after_then.lua:5: A[2] action_log is unreachable'

cat > integer_regex.lua <<'LUA'
local L = require "luruse"
L.chain "Prio" { L.pcre("PRIORITY", [[^[0-3]$]]), L.noop() }
L.chain "Pid" { L.pcre_any("_PID", { [[^1$]], [[^2$]] }), L.noop() }
L.chain "Msg" { L.pcre("MESSAGE", [[^x]]), L.noop() }
L.chain "Rest" { L.noop() }
LUA
check_warns integer_regex.lua 2 \
  'luruse: warning: integer_regex.lua:2: Prio[0] filter_pcre on PRIORITY, an integer field' \
  'luruse: warning: integer_regex.lua:3: Pid[0] filter_pcreAny on _PID, an integer field'

cat > late.json <<'JSON'
{"actions": {
  "A": [{"action": "action_noop"}],
  "B": [{"filter": "filter_equals", "args": {"field": "X", "value": "y"}},
        {"action": "action_noop"}]
}}
JSON
check_warns late.json 1 'chain "B" is unreachable'

timeout -k 5 30 "$LURUSE_BIN" check --quiet -c after_catch_all.lua > "$T/out" 2> "$T/err"
rc=$?
assert_eq "--quiet: exit status" 0 "$rc"
assert_eq "--quiet: prints nothing" "" "$(cat "$T/out" "$T/err")"

finish
