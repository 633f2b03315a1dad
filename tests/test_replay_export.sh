#!/bin/bash
# luruse replay on Journal Export Format streams: a generated corpus through the
# same rules written as pyruse.json and as Lua (same counts, and the counts an
# independent Python reading of the stream predicts), then hostile streams.
. "$(dirname "$0")/lib/common.sh"
setup
TOOL="python3 $TESTS_LIB/export_tool.py"
DATA="$LURUSE_SRC/tests/data"
[ -f "$GEN_JOURNAL" ] || die "no generator at $GEN_JOURNAL"

python3 "$GEN_JOURNAL" --entries 2000 --seed 1 --attack-share 0.05 > "$T/corpus.export" 2> "$T/gen.stats" \
  || die "gen_journal.py failed: $(cat "$T/gen.stats")"
ENTRIES=$($TOOL entries "$T/corpus.export")
assert_eq "generator wrote 2000 entries" 2000 "$ENTRIES"

# replay NAME RULES ARGS...: runs luruse replay, bounded, with its own storage
replay() {
  local name=$1 rules=$2
  shift 2
  timeout -k 5 60 "$LURUSE_BIN" replay -c "$rules" --storage "$T/state-$name" "$@" \
    > "$T/$name.out" 2> "$T/$name.err"
  echo $? > "$T/$name.rc"
}

replay json "$DATA/replay_rules.json" --export "$T/corpus.export"
replay lua "$DATA/replay_rules.lua" --export "$T/corpus.export"
assert_eq "replay with pyruse.json exits 0" 0 "$(cat "$T/json.rc")"
assert_eq "replay with Lua exits 0" 0 "$(cat "$T/lua.rc")"
no_sanitizer_report "replay json" "$T/json.err"
no_sanitizer_report "replay lua" "$T/lua.err"
assert_contains "json replay reports the entry count" "$T/json.out" "2000 entries replayed"
assert_contains "lua replay reports the entry count" "$T/lua.out" "2000 entries replayed"
if ! [ -d "$T/state-json" ] || [ -e /nonexistent/luruse-tests-must-pass-storage ]; then
  bad "--storage must override the rules' storage setting"
else
  ok "--storage overrides the rules' storage setting"
fi

step_table "$T/json.out" > "$T/json.table"
step_table "$T/lua.out" > "$T/lua.table"
if [ -s "$T/json.table" ] && diff -u "$T/json.table" "$T/lua.table" > "$T/table.diff"; then
  ok "pyruse.json and Lua rules give the same step table ($(wc -l < "$T/json.table") steps)"
else
  bad "pyruse.json and Lua step tables differ:"; sed 's/^/      | /' "$T/table.diff"
fi

# Non-zero where the corpus has matching entries.
for s in Main[0]:passed Main[1]:passed Main[2]:passed Prio[0]:passed Prio[1]:passed Web[0]:passed Web[1]:entries; do
  n=$(step_count "$T/json.out" "${s%%:*}" "${s#*:}")
  if [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ]; then ok "$s is $n (> 0)"; else bad "$s should be > 0, got $n"; fi
done
assert_eq "no step errors" 0 "$(step_table "$T/json.out" | awk '{ e += $5 } END { print e + 0 }')"

# Independent counts.
SSHD=$($TOOL count "$T/corpus.export" SYSLOG_IDENTIFIER sshd)
SSHD_GREP=$(grep -ac '^SYSLOG_IDENTIFIER=sshd$' "$T/corpus.export")
assert_eq "python and grep agree on the sshd entries" "$SSHD" "$SSHD_GREP"
assert_eq "Main[0] filter_equals passes = sshd entries in the stream" "$SSHD" "$(step_count "$T/json.out" 'Main[0]' passed)"
$TOOL expect "$T/corpus.export" | tr -s ' ' > "$T/expected.table"
awk '{ print $1, $3, $4, $5 }' "$T/json.table" > "$T/json.cols"
if diff -u "$T/expected.table" "$T/json.cols" > "$T/expect.diff"; then
  ok "every step count equals the independent Python evaluation of the rules"
else
  bad "step counts differ from the independent evaluation (- expected, + luruse):"
  sed 's/^/      | /' "$T/expect.diff"
fi

# The same stream through a pipe (the parser's byte-by-byte stream mode).
timeout -k 5 60 "$LURUSE_BIN" replay -c "$DATA/replay_rules.json" --storage "$T/state-pipe" --export - \
  < <(cat "$T/corpus.export") > "$T/pipe.out" 2> "$T/pipe.err"
assert_eq "replay --export - from a pipe exits 0" 0 "$?"
step_table "$T/pipe.out" > "$T/pipe.table"
if cmp -s "$T/json.table" "$T/pipe.table"; then ok "a pipe gives the same step table as a file"
else bad "a pipe gives a different step table:"; diff "$T/json.table" "$T/pipe.table" | sed 's/^/      | /'; fi

# Two streams in one replay: counts add up.
replay twice "$DATA/replay_rules.json" --export "$T/corpus.export" --export "$T/corpus.export"
assert_contains "two --export inputs: both are read" "$T/twice.out" "4000 entries replayed"
assert_eq "two --export inputs: Main[0] passes doubled" "$((2 * SSHD))" "$(step_count "$T/twice.out" 'Main[0]' passed)"

# --trace: one header per entry, the path of each below it.
replay trace "$DATA/replay_rules.json" --trace --quiet --export "$T/corpus.export"
assert_eq "--trace prints one 'entry N' line per entry" 2000 "$(grep -ac '^entry [0-9]* at ' "$T/trace.err")"
assert_eq "--trace shows the sshd entries passing Main[0]" "$SSHD" "$(grep -ac '^  Main\[0\] filter_equals: pass$' "$T/trace.err")"
assert_eq "--quiet prints no step table" 0 "$(grep -c 'entries replayed' "$T/trace.out")"

# ---------------------------------------------------------------- hostile input
$TOOL hostile "$T/h" || die "cannot write the hostile streams"
export LRTEST_OUT
for name in binary big; do
  LRTEST_OUT="$T/$name.recorded"
  : > "$LRTEST_OUT"
  replay "h-$name" "$DATA/record_message.lua" --export "$T/h/$name.export"
  rc=$(cat "$T/h-$name.rc")
  not_crashed "hostile $name stream" "$rc"
  assert_eq "hostile $name stream: exit 0" 0 "$rc"
  no_sanitizer_report "hostile $name stream" "$T/h-$name.err"
  assert_contains "hostile $name stream: all 3 entries replayed" "$T/h-$name.out" "3 entries replayed"
  if cmp -s "$T/h/$name.expected" "$LRTEST_OUT"; then
    ok "hostile $name stream: the rules saw each MESSAGE intact"
  else
    bad "hostile $name stream: MESSAGEs seen by the rules differ (expected, then got):"
    od -c "$T/h/$name.expected" | head -8 | sed 's/^/      | /'
    od -c "$LRTEST_OUT" | head -8 | sed 's/^/      | /'
  fi
done

for name in cut_binary cut_length cut_line huge_length; do
  LRTEST_OUT="$T/$name.recorded"
  : > "$LRTEST_OUT"
  replay "h-$name" "$DATA/record_message.lua" --export "$T/h/$name.export"
  rc=$(cat "$T/h-$name.rc")
  not_crashed "$name stream" "$rc"
  if [ "$rc" -ne 0 ]; then ok "$name stream: non-zero exit ($rc)"; else bad "$name stream: exit 0 for a broken stream"; fi
  no_sanitizer_report "$name stream" "$T/h-$name.err"
  assert_contains "$name stream: the error names the stream and byte offset" "$T/h-$name.err" "$name.export: byte "
  assert_eq "$name stream: the complete entry before the damage was processed" "4:good" "$(cat "$LRTEST_OUT")"
done

# An empty stream is a valid stream with no entries.
: > "$T/empty.export"
replay empty "$DATA/replay_rules.json" --export "$T/empty.export"
assert_eq "empty stream: exit 0" 0 "$(cat "$T/empty.rc")"
assert_contains "empty stream: 0 entries" "$T/empty.out" "0 entries replayed"

finish
