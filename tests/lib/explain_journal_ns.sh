#!/bin/bash
# Runs INSIDE a private mount (+ pid) namespace, started by tests/test_explain_journal.sh:
#   explain_journal_ns.sh WORKDIR
# Prints ok/FAIL lines; exits 0 when every check passed, 77 when the setup is impossible.
set -u
W=$1
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"

RULES=$W/rules.lua
cat > "$RULES" <<'LUA'
local L = require "luruse"
L.chain "Tag" { L.pcre("MESSAGE", [[^ej (.*)$]], { "ejTag" }), L.noop() }
LUA

# unit_line UNIT TEXT: an entry with UNIT=UNIT (as systemd logs about a unit)
unit_line() {
  printf 'UNIT=%s\nMESSAGE=ej %s\nSYSLOG_IDENTIFIER=lrunit\n' "$1" "$2" |
    logger --journald
}
has_unit() { jctl "UNIT=$1" -o cat | grep -qxF -- "ej $2"; }

sleep 1.1
T=$(date +%s)
log_line "ej one"
unit_line foo.service foo1
unit_line bar.service bar1
wait_until 10 in_journal "ej one" && wait_until 10 has_unit bar.service bar1 ||
  skip "the entries did not reach the journal"
sleep 1.1
U=$(date +%s)
sleep 1.1
log_line "ej late"
unit_line foo.service foo2
wait_until 10 in_journal "ej late" && wait_until 10 has_unit foo.service foo2 ||
  skip "the late entries did not reach the journal"

# explain NAME ARGS...: luruse explain -c RULES -o json --all ARGS into $W/NAME.out
explain() {
  local name=$1
  shift
  timeout -k 2 20 "$LURUSE_BIN" explain -c "$RULES" -o json --all "$@" \
    > "$W/$name.out" 2> "$W/$name.err"
  local rc=$?
  [ "$rc" -eq 0 ] && ok "$name: exit 0" || { bad "$name: exit $rc"; sed 's/^/      | /' "$W/$name.err"; }
  if grep -aqE 'AddressSanitizer|LeakSanitizer|runtime error:' "$W/$name.err"; then
    bad "$name: sanitizer report"; head -20 "$W/$name.err"
  fi
}
# tags NAME: the ejTag values seen, in order, space separated
tags() { grep -o '"ejTag":"[^"]*"' "$W/$1.out" | sed 's/.*:"\(.*\)"/\1/' | tr '\n' ' ' | sed 's/ $//'; }
expect_tags() {
  local got
  got=$(tags "$1")
  [ "$got" = "$2" ] && ok "$1: entries seen: $got" || bad "$1: expected '$2', got '$got'"
}

explain since --journal --since "@$T"
expect_tags since "one foo1 bar1 late foo2"
grep -q '"cursor":"s=' "$W/since.out" && ok "since: entries carry their journal cursor" \
  || bad "since: no cursor in the output"
grep -q '"summary"' "$W/since.out" && ok "since: summary printed" || bad "since: no summary"

explain all --journal
n=$(grep -c '"entry"' "$W/all.out")
expect_tags all "one foo1 bar1 late foo2"
[ "$n" -gt 5 ] && ok "all: from the journal's start ($n entries, the probe too)" \
  || bad "all: only $n entries from the start"

ns=$(grep -c '"entry"' "$W/since.out")
[ "$ns" -lt "$n" ] && ok "since: from @$T only ($ns entries of $n)" || bad "since: $ns entries, all: $n"

explain unit --journal -u foo --since "@$T"
expect_tags unit "foo1 foo2"
explain units --journal -u foo.service -u bar --since "@$T"
expect_tags units "foo1 bar1 foo2"
explain until --journal --since "@$T" --until "@$U"
expect_tags until "one foo1 bar1"
explain unit-until --journal -u foo --since "@$T" --until "@$U"
expect_tags unit-until "foo1"

# the journal's own options need --journal; a bad TIME is refused
for args in "-u foo" "--since @$T" "--until @$U"; do
  # shellcheck disable=SC2086
  timeout -k 2 20 "$LURUSE_BIN" explain -c "$RULES" --line x $args > /dev/null 2> "$W/err.err"
  rc=$?
  if [ "$rc" -eq 1 ] && grep -qF -- "apply to --journal only" "$W/err.err"; then
    ok "'$args' without --journal: exit 1, said"
  else bad "'$args' without --journal: exit $rc, $(head -2 "$W/err.err")"; fi
done
timeout -k 2 20 "$LURUSE_BIN" explain -c "$RULES" --journal --since yesterday > /dev/null 2> "$W/err.err"
rc=$?
[ "$rc" -eq 1 ] && grep -qF "is not 'YYYY-MM-DD" "$W/err.err" && ok "--since yesterday: refused" \
  || bad "--since yesterday: exit $rc, $(head -2 "$W/err.err")"
timeout -k 2 20 "$LURUSE_BIN" run -c "$RULES" -u foo > /dev/null 2> "$W/err.err"
[ $? -ne 0 ] && ok "run does not take -u" || bad "run took -u"

echo "explain journal checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
