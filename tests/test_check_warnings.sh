#!/bin/bash
# luruse check warns (stderr, exit 0; 1 with --strict) about chains and steps that no entry can
# reach, a regex on an integer field, and a filter that can never match a field
# an earlier regex set to a literal; the shipped rules and files without such
# steps get no warning.
. "$(dirname "$0")/lib/common.sh"
setup
cd "$T" || die "cd $T"

# check_warns FILE COUNT NEEDLE... : exit 0, COUNT warning lines, each NEEDLE on stderr
# (--rules-only: what this host has, nft sets and programs, is test_check_env's)
check_warns() {
  local f=$1 count=$2 n
  shift 2
  timeout -k 5 30 "$LURUSE_BIN" check --rules-only -c "$f" > "$T/out" 2> "$T/err"
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

# A filter on a field that an earlier regex set to its group's one text (a
# group that always captures the same literal) on every path to it.
cat > literal.lua <<'LUA'
local L = require "luruse"
L.chain "SSH" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^(?<verdict>Failed) password for (?<user>\S+)]]),
  L.equals("verdict", "Accepted"),
  L.log("never"),
}
L.chain "Proto" {
  L.pcre("MESSAGE", [[ port \d+ (ssh2)$]], { "proto" }),
  L.noop():pass_to("Check"),
}
L.chain "Check" {
  L.pcre_any("proto", { [[^ssh1$]], [[^telnet]] }),
  L.one_of("proto", { "ssh1", "ssh3" }),
  L.log("old protocol"),
}
L.chain "Rest" { L.noop() }
LUA
check_warns literal.lua 3 \
  'luruse: warning: literal.lua:5: SSH[2] filter_equals on verdict can never match: verdict is set to the literal "Failed" by SSH[1] (literal.lua:4) on every path to it' \
  'luruse: warning: literal.lua:13: Check[0] filter_pcreAny on proto can never match: proto is set to the literal "ssh2" by Proto[0] (literal.lua:9)' \
  'luruse: warning: literal.lua:14: Check[1] filter_in on proto can never match: proto is set to the literal "ssh2" by Proto[0]'

# The same filters where the field may hold something else: no warning.
cat > literal_fine.lua <<'LUA'
local L = require "luruse"
L.chain "Match" {       -- the literal is what the filter wants
  L.pcre("MESSAGE", [[^(?<a>Failed) ]]), L.equals("a", "Failed"), L.pcre("a", [[^F]]), L.noop() }
L.chain "Alt" {         -- the group's text varies, or it may not take part
  L.pcre("MESSAGE", [[^(?<b>Failed|Accepted) (?<c>x)?(?<d>y)+]]),
  L.equals("b", "Invalid"), L.equals("c", "z"), L.equals("d", "z"), L.noop() }
L.chain "Nested" {      -- inside another group; a case-insensitive pattern
  L.pcre("MESSAGE", [[^(?:(?<e>Failed) )]]), L.pcre("MESSAGE", [[(?i)(?<f>ssh2)]]),
  L.equals("e", "Invalid"), L.equals("f", "SSH2"), L.noop() }
L.chain "Lua" {         -- a Lua action may change any field
  L.pcre("MESSAGE", [[^(?<g>Failed) ]]),
  L.action(function(e) e.g = "Accepted" end), L.equals("g", "Accepted"), L.noop() }
L.chain "Again" {       -- captured again, into an unknown text
  L.pcre("MESSAGE", [[^(?<h>Failed) ]]), L.pcre("MESSAGE", [[(?<h>\w+)$]]),
  L.equals("h", "Accepted"), L.noop() }
L.chain "Count" {       -- a counter's save overwrites it
  L.pcre("MESSAGE", [[^(?<i>Failed) ]]), L.counter_raise("c", "MESSAGE", { save = "i" }),
  L.equals("i", "x"), L.noop() }
L.chain "From A" { L.equals("X", "a"), L.pcre("MESSAGE", [[^(?<j>Failed)]]), L.noop():pass_to("J") }
L.chain "From B" { L.equals("X", "b"), L.noop():pass_to("J") }
L.chain "J" {           -- two paths, one that never set j
  L.equals("j", "Accepted"), L.log("j") }
LUA
check_warns literal_fine.lua 0

cat > literal.json <<'JSON'
{"actions": {
  "A": [{"filter": "filter_pcre", "args": {"field": "MESSAGE", "re": "^(?P<k>on) "}},
        {"filter": "filter_pcre", "args": {"field": "k", "re": "^off$"}},
        {"action": "action_noop"}],
  "Rest": [{"action": "action_noop"}]
}}
JSON
check_warns literal.json 1 \
  'luruse: warning: A[1]: A[1] filter_pcre on k can never match: k is set to the literal "on" by A[0] on every path to it'

cat > late.json <<'JSON'
{"actions": {
  "A": [{"action": "action_noop"}],
  "B": [{"filter": "filter_equals", "args": {"field": "X", "value": "y"}},
        {"action": "action_noop"}]
}}
JSON
check_warns late.json 1 'chain "B" is unreachable'

# --quiet: the warnings, nothing else; --strict: the warnings fail the check
timeout -k 5 30 "$LURUSE_BIN" check --quiet --rules-only -c after_catch_all.lua > "$T/out" 2> "$T/err"
rc=$?
assert_eq "--quiet: exit status" 0 "$rc"
assert_eq "--quiet: no graph" "" "$(cat "$T/out")"
assert_eq "--quiet: the two warnings, nothing else" \
  "luruse: warning: after_catch_all.lua:4: chain \"Late\" is unreachable: no entry can get to it
luruse: warning: after_catch_all.lua:5: chain \"Later\" is unreachable: no entry can get to it" \
  "$(cat "$T/err")"
timeout -k 5 30 "$LURUSE_BIN" check --strict --rules-only -c after_catch_all.lua > "$T/out" 2> "$T/err"
assert_eq "--strict with warnings: exit status" 1 $?
assert_contains "--strict: says why" "$T/err" "luruse: 2 warnings, errors with --strict"
assert_contains "--strict: the graph is still printed" "$T/out" "workflow:"
timeout -k 5 30 "$LURUSE_BIN" check --strict --rules-only -c fine.lua > "$T/out" 2> "$T/err"
assert_eq "--strict without warnings: exit status" 0 $?
timeout -k 5 30 "$LURUSE_BIN" check --strict --bogus -c fine.lua > "$T/out" 2> "$T/err"
assert_eq "a misspelt option: exit status" 1 $?

finish
