# Sourced first by the scenarios that run INSIDE private namespaces (*_ns.sh,
# run_journal_dir.sh, and private_journald.sh for the live ones): the ok/FAIL
# lines, the clock, polling, cleanup of the daemon under test ($LPID) and the
# reader of the journal cursor luruse saved. Needs W (the work directory).
FAILURES=0
ok()   { echo "ok   - $*"; }
bad()  { echo "FAIL - $*"; FAILURES=$((FAILURES + 1)); }
skip() { echo "SKIP: $*"; exit 77; }
now() { date +%s.%N; }
T0=$(now)
elapsed() { awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# A scenario that starts more than luruse redefines cleanup (private_journald.sh).
LPID=
cleanup() { [ -n "$LPID" ] && { kill -KILL "$LPID" 2> /dev/null; wait "$LPID" 2> /dev/null; }; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# wait_until SECONDS COMMAND...: polls every 0.05 s; 0 when COMMAND succeeded in time
wait_until() {
  local limit=$(( $1 * 20 )) i=0
  shift
  while ! "$@" 2> /dev/null; do
    i=$((i + 1))
    [ "$i" -ge "$limit" ] && return 1
    sleep 0.05
  done
  return 0
}

# report_messages RULES STORAGE: the messages of the report lines luruse saved,
# in recorded order, one per line (the last column of `luruse report --list`)
report_messages() { "$LURUSE_BIN" report -c "$1" --storage "$2" --list | cut -f5-; }

assert_eq() { if [ "$2" == "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi; }
# assert_contains WHAT FILE FIXED-STRING
assert_contains() {
  if grep -aqF -- "$3" "$2"; then ok "$1"; else
    bad "$1: '$3' not in $(basename "$2"):"; sed 's/^/      | /' "$2" | head -20
  fi
}

# saved_cursor DB KEY: the journal cursor luruse saved under meta KEY
# ("cursor:local", "cursor:dir:DIR"), empty when none
saved_cursor() {
  python3 -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1], timeout=10).execute("SELECT value FROM meta WHERE key = ?", (sys.argv[2],)).fetchone()
print(r[0] if r else "")' "$1" "$2"
}
