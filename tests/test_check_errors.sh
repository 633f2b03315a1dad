#!/bin/bash
# luruse check on broken rule files: exit 1 and an error that points at the
# problem (file:line for Lua, label[index] for a pyruse.json); valid files exit 0.
. "$(dirname "$0")/lib/common.sh"
setup
cd "$T" || die "cd $T"

# expect_error FILE NEEDLE... : check exits 1 and every NEEDLE is on stderr
expect_error() {
  local f=$1 n
  shift
  timeout -k 5 30 "$LURUSE_BIN" check -c "$f" > "$T/out" 2> "$T/err"
  local rc=$?
  if [ "$rc" -eq 1 ]; then ok "$f: exit 1"; else bad "$f: expected exit 1, got $rc"; fi
  for n in "$@"; do
    assert_contains "$f: error mentions '$n'" "$T/err" "$n"
  done
  no_sanitizer_report "$f" "$T/err"
}

# expect_valid FILE NEEDLE... : check exits 0, prints the graph with every NEEDLE
expect_valid() {
  local f=$1 n
  shift
  timeout -k 5 30 "$LURUSE_BIN" check -c "$f" > "$T/out" 2> "$T/err"
  local rc=$?
  if [ "$rc" -eq 0 ]; then ok "$f: valid, exit 0"; else bad "$f: expected exit 0, got $rc: $(head -3 "$T/err")"; fi
  for n in "$@"; do
    assert_contains "$f: graph mentions '$n'" "$T/out" "$n"
  done
  no_sanitizer_report "$f" "$T/err"
}

# ------------------------------------------------------------------ Lua files
cat > syntax.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.noop(
}
LUA
expect_error syntax.lua "luruse: syntax.lua:5:"

# found by fuzzing: a value JSON cannot hold gave "luruse: " and nothing more
printf 'local L = require "luruse"\nL.chain "A" {\n  L.equals("X", "caf\\xe9"),\n}\n' > bytes_arg.lua
expect_error bytes_arg.lua "luruse: bytes_arg.lua:3: a string argument is not valid UTF-8"
printf 'local L = require "luruse"\nL.config { email = { from = "lur\\xf3se <l@x.example>" } }\nL.chain "A" { L.noop() }\n' > bytes_setting.lua
expect_error bytes_setting.lua "luruse: bytes_setting.lua: settings: a string argument is not valid UTF-8"
cat > nan_arg.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.step("filter_lowerOrEq", { field = "X", value = 0/0 }),
}
LUA
expect_error nan_arg.lua "luruse: nan_arg.lua:3:" "a number argument is not finite"
cat > huge_arg.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("PRIORITY", 1e300), L.noop(),
}
LUA
expect_error huge_arg.lua "luruse: huge_arg.lua:3:" "a number must be an integer between -2^63 and 2^63-1"
cat > nul_key.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.step("filter_equals", { field = "X", ["val\0ue"] = 1 }),
}
LUA
expect_error nul_key.lua "luruse: nul_key.lua:3:" "an argument name is not UTF-8 text"

cat > unknown_step.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.step("filter_doesNotExist", { field = "X" }),
  L.noop(),
}
LUA
expect_error unknown_step.lua "luruse: unknown_step.lua:4:" "filter_doesNotExist"

cat > unknown_function.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.doesNotExist("X"),
}
LUA
expect_error unknown_function.lua "luruse: unknown_function.lua:4:" "doesNotExist"

cat > email.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.step("action_email", { message = "hello" }),
}
LUA
expect_error email.lua "luruse: email.lua:4:" "action_email" "no recipient: set email.to"

cat > regex.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.pcre("MESSAGE", "^ab(c"),
  L.noop(),
}
LUA
expect_error regex.lua "luruse: regex.lua:4:" "offset 5"

cat > level.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.log("hello {x}", "LOUD"),
}
LUA
expect_error level.lua "luruse: level.lua:4:" "LOUD"

cat > twice.lua <<'LUA'
local L = require "luruse"
L.chain "A" { L.noop() }
L.chain "A" { L.noop() }
LUA
expect_error twice.lua "luruse: twice.lua:3:" "declared twice"

cat > not_a_step.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  42,
}
LUA
expect_error not_a_step.lua "luruse: not_a_step.lua:2:" "not a step"

cat > fail_to_action.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"),
  L.noop():fail_to("A"),
}
LUA
expect_error fail_to_action.lua "luruse: fail_to_action.lua:4:" "filters only"

cat > lua_unknown_chain.lua <<'LUA'
local L = require "luruse"
L.chain "A" {
  L.equals("X", "y"):pass_to("Nowhere"),
}
LUA
expect_error lua_unknown_chain.lua "'Nowhere'" "unknown chain"

cat > lua_loop.lua <<'LUA'
local L = require "luruse"
L.chain "A" { L.equals("X", "y"):pass_to("B") }
L.chain "B" { L.equals("X", "z"):pass_to("A") }
LUA
expect_error lua_loop.lua "loop"

cat > runtime_error.lua <<'LUA'
local L = require "luruse"
L.chain "A" { L.equals("X", "y"), L.noop() }
error("boom")
LUA
expect_error runtime_error.lua "luruse: runtime_error.lua:3:" "boom"

cat > include_missing.lua <<'LUA'
local L = require "luruse"
L.include("missing.lua")
LUA
expect_error include_missing.lua "missing.lua"

expect_error "$T/no-such-rules.lua" "no-such-rules.lua"

# ------------------------------------------------------------------ pyruse.json
cat > unknown_chain.json <<'JSON'
{"actions": {
  "A": [{"filter": "filter_equals", "args": {"field": "X", "value": "y"}, "then": "Nowhere"}]
}}
JSON
expect_error unknown_chain.json "'Nowhere'" "unknown chain"

cat > loop.json <<'JSON'
{"actions": {
  "A": [{"filter": "filter_equals", "args": {"field": "X", "value": "y"}, "then": "B"}],
  "B": [{"filter": "filter_equals", "args": {"field": "X", "value": "z"}, "then": "A"}]
}}
JSON
expect_error loop.json "loop"

cat > loop_else.json <<'JSON'
{"actions": {
  "A": [{"filter": "filter_equals", "args": {"field": "X", "value": "y"}, "else": "B"},
        {"action": "action_noop"}],
  "B": [{"filter": "filter_equals", "args": {"field": "X", "value": "z"}, "else": "A"},
        {"action": "action_noop"}]
}}
JSON
expect_error loop_else.json "loop"

cat > email.json <<'JSON'
{"actions": {
  "A": [{"filter": "filter_equals", "args": {"field": "X", "value": "y"}},
        {"action": "action_email", "args": {"message": "hello"}}]
}}
JSON
expect_error email.json "A[1]" "action_email" "no recipient: set email.to"

# Recipients: blank ones and non-ASCII addresses are refused, naming the setting.
cat > blank_to.json <<'JSON'
{"email": {"to": ["admin@example.org", "   "]}, "actions": {
  "A": [{"action": "action_email", "args": {"message": "hello"}}]
}}
JSON
expect_error blank_to.json "setting 'email.to' has no address"
cat > blank_from.lua <<'LUA'
local L = require "luruse"
L.config { email = { from = "  ", to = { "admin@example.org" } } }
L.chain "A" { L.email("hello") }
LUA
expect_error blank_from.lua "setting 'email.from' has no address"
cat > utf8_to.json <<'JSON'
{"email": {"to": ["admin@b\u00fccher.example"]}, "actions": {
  "A": [{"action": "action_email", "args": {"message": "hello"}}]
}}
JSON
expect_error utf8_to.json "setting 'email.to': the address" "is not ASCII" "xn--"

cat > regex.json <<'JSON'
{"actions": {
  "A": [{"filter": "filter_pcre", "args": {"field": "MESSAGE", "re": "^ab(c"}},
        {"action": "action_noop"}]
}}
JSON
expect_error regex.json "A[0]" "offset 5"

cat > unknown_step.json <<'JSON'
{"actions": {
  "A": [{"filter": "filter_equals", "args": {"field": "X", "value": "y"}},
        {"action": "action_doesNotExist"}]
}}
JSON
expect_error unknown_step.json "A[1]" "action_doesNotExist"

cat > missing_arg.json <<'JSON'
{"actions": {"A": [{"filter": "filter_pcre", "args": {"field": "MESSAGE"}}]}}
JSON
expect_error missing_arg.json "A[0]" "re"

cat > syntax.json <<'JSON'
{"actions": {"A": [
  {"filter": "filter_equals", "args": {"field": "X", "value": "y"}},
  {"action": "action_noop",}
]}}
JSON
expect_error syntax.json "luruse: syntax.json:3:"

cat > empty_chain.json <<'JSON'
{"actions": {"A": []}}
JSON
expect_error empty_chain.json "'A'" "empty"

cat > not_a_filter.json <<'JSON'
{"actions": {"A": [{"filter": "action_noop"}]}}
JSON
expect_error not_a_filter.json "A[0]" "not a filter"

# ------------------------------------------------------------------ valid files
mkdir -p rules.d
cat > rules.d/10-ssh.lua <<'LUA'
local L = require "luruse"
L.chain "Ssh" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Failed password for (?<user>\S+) from (?<ip>\S+)]]),
  L.log("failure for {user} from {ip}", "WARNING"),
}
LUA
cat > valid.lua <<'LUA'
local L = require "luruse"
L.config { storage = "/nonexistent/luruse-check" }
L.include("rules.d/*.lua")
L.chain "Custom" {
  L.one_of("PRIORITY", { 0, 1, 2, 3 }),
  function(e) return e.MESSAGE ~= nil end,
  L.action(function(e) e.seen = "yes" end),
}
LUA
# the graph names where each step was written
expect_valid valid.lua "Ssh[0]" "Ssh[2]" "Custom[1]" "action_log" "(valid.lua:6)" "(valid.lua:7)" "(valid.lua:5)"
[ -e /nonexistent/luruse-check ] && bad "check must not create the storage directory"

cat > valid.json <<'JSON'
{"storage": "/nonexistent/luruse-check", "actions": {
  "Main": [{"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}, "else": "Other"},
           {"action": "action_noop"}],
  "Other": [{"filter": "filter_in", "args": {"field": "PRIORITY", "values": [0, 1, 2]}},
            {"action": "action_log", "args": {"message": "serious: {MESSAGE}", "level": "ERR"}}]
}}
JSON
expect_valid valid.json "Main[0]" "Other[1]" "action_log"


# ------------------------------------------------------------------ --quiet
# For ExecStartPre= (packaging/luruse.service): nothing on success, the error
# (and exit 1) on failure.
timeout -k 5 30 "$LURUSE_BIN" check --quiet -c valid.lua > "$T/qout" 2> "$T/qerr"
assert_eq "check --quiet on a valid file: exit 0" 0 $?
assert_eq "check --quiet on a valid file: nothing on stdout" "" "$(cat "$T/qout")"
assert_eq "check --quiet on a valid file: nothing on stderr" "" "$(cat "$T/qerr")"
timeout -k 5 30 "$LURUSE_BIN" check --quiet -c syntax.lua > "$T/qout" 2> "$T/qerr"
assert_eq "check --quiet on a broken file: exit 1" 1 $?
assert_eq "check --quiet on a broken file: nothing on stdout" "" "$(cat "$T/qout")"
assert_contains "check --quiet on a broken file: the error on stderr" "$T/qerr" "syntax.lua:"
"$LURUSE_BIN" check --help > "$T/qhelp"
assert_contains "check --help documents --quiet" "$T/qhelp" "--quiet"
if grep -qE '^ExecStartPre=.*luruse check --quiet ' "$LURUSE_SRC/packaging/luruse.service"; then
  ok "packaging/luruse.service: ExecStartPre runs check --quiet"
else bad "packaging/luruse.service: ExecStartPre does not run check --quiet"; fi

# ------------------------------------------------------------------ options
# One parser serves every command; an option another command owns is an error.
for cmdline in "check --html -c valid.lua" "check --storage /tmp -c valid.lua" \
               "report --quiet -c valid.lua" "run --no-email -c valid.lua" \
               "replay --reset-cursor -c valid.lua --export /dev/null"; do
  # shellcheck disable=SC2086
  timeout -k 5 30 "$LURUSE_BIN" $cmdline > "$T/oout" 2> "$T/oerr"
  rc=$?
  opt=$(echo "$cmdline" | awk '{print $2}')
  if [ $rc -eq 1 ] && grep -qF -- "$opt is not an option of this command" "$T/oerr"; then
    ok "luruse $cmdline: refused, naming $opt"
  else
    bad "luruse $cmdline: exit $rc, $(head -2 "$T/oerr")"
  fi
done

# run's --fast-follow takes flood, always or never (alone: always): a misspelt
# one is an error, as is asking for its polls with --syslog-wake
while IFS='|' read -r cmdline expected; do
  # shellcheck disable=SC2086
  timeout -k 5 30 "$LURUSE_BIN" $cmdline > "$T/oout" 2> "$T/oerr" < /dev/null
  rc=$?
  if [ $rc -eq 1 ] && grep -qF -- "$expected" "$T/oerr"; then
    ok "luruse $cmdline: refused ($(head -1 "$T/oerr"))"
  else
    bad "luruse $cmdline: exit $rc, $(head -2 "$T/oerr")"
  fi
done <<'CMDS'
run --fast-follow=sometimes -c valid.lua|--fast-follow: 'sometimes' is not flood, always nor never
run --fast-follow= -c valid.lua|--fast-follow: '' is not flood, always nor never
run --syslog-wake --fast-follow -c valid.lua|two ways to the same end
run --syslog-wake --fast-follow=flood -c valid.lua|two ways to the same end
run --fast-follow never -c valid.lua|--fast-follow never: write --fast-follow=never
CMDS

# ------------------------------------------------------------------ followed files
cat > file_ok.lua <<'LUA'
local L = require "luruse"
L.file { "/var/log/nginx/*access.log", identifier = "nginx" }
L.file "/var/log/exim4/mainlog"
L.file { "/var/log/roundcube/errors.log", format = "plain" }
L.chain "A" { L.noop() }
LUA
expect_valid file_ok.lua "follows /var/log/nginx/*access.log as nginx" "follows /var/log/exim4/mainlog (" \
  "follows /var/log/roundcube/errors.log, plain"
printf 'local L = require "luruse"\nL.chain "A" { L.noop() }\nL.file { "/var/log/x", identifer = "x" }\n' > file_typo.lua
expect_error file_typo.lua "file_typo.lua:3:" "unknown option 'identifer'"
printf 'local L = require "luruse"\nL.file { "var/log/x" }\nL.chain "A" { L.noop() }\n' > file_relative.lua
expect_error file_relative.lua "file_relative.lua:2:" "must be an absolute path"
printf 'local L = require "luruse"\nL.file { "/var/*/x.log" }\nL.chain "A" { L.noop() }\n' > file_globdir.lua
expect_error file_globdir.lua "file_globdir.lua:2:" "in the file name only"
printf 'local L = require "luruse"\nL.file { "/var/log/x", format = "json" }\nL.chain "A" { L.noop() }\n' > file_format.lua
expect_error file_format.lua "file_format.lua:2:" 'format must be "auto" or "plain"'
cat > file_bad.json <<'JSON'
{"files": [{"path": "/var/log/a.log", "identifer": "a"}],
 "actions": {"A": [{"action": "action_noop"}]}}
JSON
expect_error file_bad.json "setting 'files' item 1: unknown key 'identifer'"
cat > file_ok.json <<'JSON'
{"files": [{"path": "/var/log/a.log", "identifier": "a"}],
 "actions": {"A": [{"action": "action_noop"}]}}
JSON
expect_valid file_ok.json "follows /var/log/a.log as a"

finish
