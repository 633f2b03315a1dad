#!/bin/bash
# luruse replay on real journal files written by systemd-journal-remote from a
# generated export stream: --journal-dir and --journal-file must give the same
# step counts as replaying the export stream itself.
. "$(dirname "$0")/lib/common.sh"
setup
REMOTE=/lib/systemd/systemd-journal-remote
[ -x "$REMOTE" ] || skip "$REMOTE is missing (package systemd-journal-remote)"
DATA="$LURUSE_SRC/tests/data"
RULES="$DATA/replay_rules.json"
TOOL="python3 $TESTS_LIB/export_tool.py"

python3 "$GEN_JOURNAL" --entries 3000 --seed 7 --attack-share 0.05 > "$T/corpus.export" 2> "$T/gen.stats" \
  || die "gen_journal.py failed: $(cat "$T/gen.stats")"

# journal_remote OUT.journal < export
journal_remote() {
  timeout -k 5 60 "$REMOTE" --split-mode=none -o "$1" - 2> "$T/remote.err" \
    || die "systemd-journal-remote failed: $(cat "$T/remote.err")"
}
mkdir -p "$T/one" "$T/two"
journal_remote "$T/one/x.journal" < "$T/corpus.export"
# The same entries split over two journal files in one directory.
python3 - "$T/corpus.export" "$T/half1.export" "$T/half2.export" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
# entries end with an empty line; binary fields never contain "\n\n__REALTIME" by construction
parts = data.split(b"\n\n__REALTIME_TIMESTAMP=")
mid = len(parts) // 2
first = b"\n\n__REALTIME_TIMESTAMP=".join(parts[:mid]) + b"\n\n"
second = b"__REALTIME_TIMESTAMP=" + b"\n\n__REALTIME_TIMESTAMP=".join(parts[mid:])
open(sys.argv[2], "wb").write(first)
open(sys.argv[3], "wb").write(second)
PY
journal_remote "$T/two/a.journal" < "$T/half1.export"
journal_remote "$T/two/b.journal" < "$T/half2.export"
assert_eq "the export halves hold all entries" 3000 \
  $(( $($TOOL entries "$T/half1.export") + $($TOOL entries "$T/half2.export") ))

replay() {
  local name=$1
  shift
  timeout -k 5 60 "$LURUSE_BIN" replay -c "$RULES" --storage "$T/state-$name" "$@" \
    > "$T/$name.out" 2> "$T/$name.err"
  local rc=$?
  assert_eq "replay $name exits 0" 0 "$rc"
  no_sanitizer_report "replay $name" "$T/$name.err"
  step_table "$T/$name.out" > "$T/$name.table"
}

replay export --export "$T/corpus.export"
assert_contains "export replay: 3000 entries" "$T/export.out" "3000 entries replayed"
SSHD=$($TOOL count "$T/corpus.export" SYSLOG_IDENTIFIER sshd)
assert_eq "export replay: Main[0] passes = sshd entries" "$SSHD" "$(step_count "$T/export.out" 'Main[0]' passed)"

same_as_export() {
  local name=$1
  assert_contains "$name: 3000 entries" "$T/$name.out" "3000 entries replayed"
  if [ -s "$T/export.table" ] && cmp -s "$T/export.table" "$T/$name.table"; then
    ok "$name: same step table as the export replay"
  else
    bad "$name: step table differs from the export replay:"
    diff -u "$T/export.table" "$T/$name.table" | sed 's/^/      | /'
  fi
}

replay dir --journal-dir "$T/one"
same_as_export dir
replay file --journal-file "$T/one/x.journal"
same_as_export file
replay dir2 --journal-dir "$T/two"
same_as_export dir2
replay files2 --journal-file "$T/two/a.journal" --journal-file "$T/two/b.journal"
same_as_export files2

# journalctl -o json of the same file, through --json (binary fields become byte arrays).
if command -v journalctl > /dev/null; then
  timeout -k 5 60 journalctl --file "$T/one/x.journal" -o json --no-pager > "$T/corpus.json" 2> "$T/jctl.err" \
    || die "journalctl -o json failed: $(cat "$T/jctl.err")"
  replay json --json "$T/corpus.json"
  same_as_export json
fi

# Broken inputs: clean errors, exit 1.
for args in "--journal-dir $T/missing" "--journal-file $T/missing.journal" "--journal-file $T/corpus.export"; do
  timeout -k 5 30 "$LURUSE_BIN" replay -c "$RULES" --storage "$T/state-bad" $args > "$T/bad.out" 2> "$T/bad.err"
  rc=$?
  assert_eq "replay $args exits 1" 1 "$rc"
  assert_contains "replay $args: says it cannot open the journal" "$T/bad.err" "cannot open the journal"
  no_sanitizer_report "replay $args" "$T/bad.err"
done
mkdir "$T/empty"
timeout -k 5 30 "$LURUSE_BIN" replay -c "$RULES" --storage "$T/state-empty" --journal-dir "$T/empty" > "$T/empty.out" 2>&1
assert_eq "empty journal directory: exit 0" 0 "$?"
assert_contains "empty journal directory: 0 entries" "$T/empty.out" "0 entries replayed"

finish
