#!/bin/bash
# `luruse run --journal-dir` against journal files that systemd-journal-remote
# appends to. Started by tests/test_run_journal_dir.sh, inside a private mount
# namespace when possible (so that luruse's own logs go to stderr, never to a
# host journal):  run_journal_dir.sh WORKDIR
# Prints ok/FAIL lines; exits 0 when every check passed, 1 otherwise.
set -u
W=$1
: "${LURUSE_BIN:?}"
REMOTE=/lib/systemd/systemd-journal-remote
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"

if [ -S /run/systemd/journal/socket ]; then
  echo "FAIL - a journald socket is visible: luruse would log into that journal"
  exit 1
fi

# append DIR/FILE TAG N [FIRST_REALTIME_USEC]: N lrtest entries "TAG i" through systemd-journal-remote
append() {
  local file=$1 tag=$2 n=$3 start=${4:-0}
  python3 - "$tag" "$n" "$start" <<'PY' > "$W/append.export"
import sys, time
tag, n, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = start or int(time.time() * 1e6)
for i in range(1, n + 1):
    sys.stdout.write("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n"
                     "_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=testhost\n"
                     "SYSLOG_IDENTIFIER=lrtest\nPRIORITY=6\nMESSAGE=%s %d\n\n" % (t + i, t + i, tag, i))
PY
  timeout -k 2 20 "$REMOTE" --split-mode=none -o "$file" - < "$W/append.export" 2> "$W/remote.err" \
    || bad "systemd-journal-remote failed: $(cat "$W/remote.err")"
}

. "$(dirname "${BASH_SOURCE[0]}")/record_rules.sh"

RUNS=0
# start_daemon STORAGE ARGS...: luruse run, stderr to $W/run.N.err, waits for "luruse running"
start_daemon() {
  local storage=$1
  shift
  RUNS=$((RUNS + 1))
  ERR=$W/run.$RUNS.err
  "$LURUSE_BIN" run -c "$RULES" --storage "$storage" "$@" > /dev/null 2> "$ERR" &
  LPID=$!
  if ! wait_until 15 grep -qF "luruse running" "$ERR"; then
    bad "luruse run $* did not report 'luruse running' within 15 s:"
    sed 's/^/      | /' "$ERR" | tail -10
  fi
}
stop_daemon() {
  kill -TERM "$LPID"
  local i=0
  while kill -0 "$LPID" 2> /dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  kill -0 "$LPID" 2> /dev/null && { bad "luruse did not stop within 10 s of SIGTERM"; kill -KILL "$LPID"; }
  wait "$LPID"
  local rc=$?
  [ "$rc" -eq 0 ] || bad "luruse exit status after SIGTERM: $rc"
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$ERR"; then
    bad "luruse run stderr has a sanitizer report:"; head -30 "$ERR" | sed 's/^/      | /'
  fi
  LPID=
}

count() { grep -cE -- "$1" "$OUT"; }
at_least() { [ "$(count "$1")" -ge "$2" ]; }
# exactly_once WHAT TAG N: "TAG 1".."TAG N" recorded once each, in order
exactly_once() {
  local got
  got=$(grep -E "^$2 [0-9]+\$" "$OUT" | sed "s/^$2 //" | tr '\n' ' ')
  if [ "$got" = "$(seq 1 "$3" | tr '\n' ' ')" ]; then ok "$1: '$2 1'..'$2 $3' processed exactly once, in order"
  else bad "$1: expected '$2 1'..'$2 $3' once each, got: [$got]"; fi
}
cursor_of() { saved_cursor "$1/luruse.db" "$2" 2>&1; }

# ------------------------------------------------ first start at the tail, restart resume
J=$W/journal
mkdir -p "$J"
append "$J/x.journal" pre 3
start_daemon "$W/state" --journal-dir "$J"
grep -qF "first start" "$ERR" && ok "first start announced on stderr (no journal socket)" \
  || bad "no 'first start' message on stderr"
append "$J/x.journal" a 5
if wait_until 15 at_least '^a [0-9]+$' 5; then ok "entries appended to a journal file are processed ($(elapsed))"
else bad "only $(count '^a [0-9]+$') of 5 appended entries processed"; fi
sleep 0.3
exactly_once "first start" a 5
[ "$(count '^pre ')" -eq 0 ] && ok "first start: older entries are not processed" \
  || bad "first start: $(count '^pre ') older entries were processed"

append "$J/y.journal" newfile 3
if wait_until 15 at_least '^newfile [0-9]+$' 3; then ok "a new journal file in the directory is followed"
else bad "entries of a new journal file in the directory were not processed"; fi
stop_daemon
c=$(cursor_of "$W/state" "cursor:dir:$J")
case $c in s=*) ok "cursor saved under meta 'cursor:dir:$J'" ;; *) bad "no cursor under 'cursor:dir:$J': '$c'" ;; esac

append "$J/x.journal" down 5
start_daemon "$W/state" --journal-dir "$J"
grep -qF "resuming" "$ERR" && ok "restart announces it resumes after the saved cursor" \
  || bad "restart did not say it resumes after the saved cursor"
append "$J/x.journal" after 3
if wait_until 15 at_least '^(down|after) [0-9]+$' 8; then ok "after a restart, entries written while down and after are processed"
else bad "after a restart only $(count '^(down|after) [0-9]+$') of 8 entries processed"; fi
sleep 0.3
stop_daemon
exactly_once "restart: written while down" down 5
exactly_once "restart: written after the restart" after 3
dups=$(sort "$OUT" | uniq -d | tr '\n' ' ')
[ -z "$dups" ] && ok "no entry processed twice" || bad "entries processed twice: $dups"

# ------------------------------------------------ a first run that saw no entry, then a restart
# The first run positioned itself at the tail; a restart must resume from there,
# not from the new tail: what was written while it was down must be processed.
J2=$W/journal2
mkdir -p "$J2"
append "$J2/x.journal" quiet 2
start_daemon "$W/state2" --journal-dir "$J2"
sleep 1.2
stop_daemon
append "$J2/x.journal" gap 4
start_daemon "$W/state2" --journal-dir "$J2"
append "$J2/x.journal" later 2
wait_until 15 at_least '^later [0-9]+$' 2 || bad "'later' entries not processed"
sleep 0.3
stop_daemon
exactly_once "restart after a first run that processed nothing: written while down" gap 4
[ "$(count '^quiet ')" -eq 0 ] || bad "entries older than the first start were processed"

# ------------------------------------------------ a first start on an empty directory
# The first file appears after the start: all its entries are new.
J4=$W/journal4
mkdir -p "$J4"
start_daemon "$W/state5" --journal-dir "$J4"
append "$J4/x.journal" empty 5
wait_until 15 at_least '^empty [0-9]+$' 5 || bad "only $(count '^empty [0-9]+$') of 5 entries of the first file processed"
sleep 0.3
stop_daemon
exactly_once "first start on an empty directory: the first file that appears" empty 5

# ------------------------------------------------ --from-start and --since
: > "$OUT"
start_daemon "$W/state3" --journal-dir "$J" --from-start
total=$(( 3 + 5 + 3 + 5 + 3 ))
if wait_until 15 at_least '.' "$total"; then ok "--from-start processes all $total entries of the directory"
else bad "--from-start processed $(count '.') of $total entries"; fi
sleep 0.3
stop_daemon
exactly_once "--from-start" pre 3
n=$(wc -l < "$OUT")
[ "$n" -eq "$total" ] && ok "--from-start: $total entries, none twice" || bad "--from-start: $n lines recorded, expected $total"

J3=$W/journal3
mkdir -p "$J3"
append "$J3/x.journal" old 3 1700000000000000
append "$J3/x.journal" new 3 1700000100000000
: > "$OUT"
start_daemon "$W/state4" --journal-dir "$J3" --since @1700000050
if wait_until 15 at_least '^new [0-9]+$' 3; then ok "--since @EPOCH processes the entries after EPOCH"
else bad "--since @EPOCH processed $(count '^new ') of 3 later entries"; fi
sleep 0.3
stop_daemon
exactly_once "--since" new 3
[ "$(count '^old ')" -eq 0 ] && ok "--since: entries before EPOCH are skipped" || bad "--since: $(count '^old ') entries before EPOCH processed"

echo "run --journal-dir checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
