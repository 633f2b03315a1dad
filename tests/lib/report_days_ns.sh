#!/bin/bash
# Started by tests/test_report_days.sh (in a private mount namespace when it
# can): report_days_ns.sh WORKDIR. Prints ok/FAIL lines; exits 1 on any FAIL.
set -u
W=$1
: "${LURUSE_BIN:?}" "${LURUSE_SRC:?}"
LIB=$LURUSE_SRC/tests/lib
PY="python3 $LIB/report_days.py"
REMOTE=/lib/systemd/systemd-journal-remote
export TZ=UTC
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
sanitizer_clean() {
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$2"; then
    bad "$1: sanitizer report:"; head -30 "$2" | sed 's/^/      | /'
  fi
}
mails() { find "$FAKE_MAILDIR" -name '*.eml' | wc -l; }
mails_at_least() { [ "$(mails)" -ge "$1" ]; }
recorded() { wc -l < "$LRTEST_OUT"; }
recorded_at_least() { [ "$(recorded)" -ge "$1" ]; }
reset_mail() { export FAKE_MAILDIR=$W/mail-$1; rm -rf "$FAKE_MAILDIR"; mkdir -p "$FAKE_MAILDIR"; }
RULES=$W/rules.lua
sed "s|@SENDMAIL@|$LIB/fake_sendmail.sh|" "$LURUSE_SRC/tests/data/report_days.lua" > "$RULES"

# 1. A quiet night in a replay: 22 lines, then one 14 h later, after midnight.
for kind in real bogus; do
  reset_mail gap-$kind
  $PY gap "$W/gap-$kind.export" $([ $kind = bogus ] && echo bogus)
  timeout -k 5 60 "$LURUSE_BIN" replay -c "$RULES" --storage "$W/st-gap-$kind" \
    --export "$W/gap-$kind.export" > "$W/gap-$kind.out" 2> "$W/gap-$kind.err"
  rc=$?
  sanitizer_clean "gap $kind" "$W/gap-$kind.err"
  [ $rc -eq 0 ] || bad "gap $kind: replay exit $rc: $(tail -3 "$W/gap-$kind.err")"
  if [ $kind = real ]; then
    if grep -q "1 daily reports; .* 1 report lines pending" "$W/gap-$kind.out" && [ "$(mails)" = 1 ] &&
       $PY reports "$FAKE_MAILDIR" 1 22; then
      ok "quiet night: the line after midnight sends day 1's whole report, itself pending"
    else
      bad "quiet night: $(grep emails "$W/gap-$kind.out"), $(mails) emails"
    fi
  else
    if grep -q "0 daily reports; .* 23 report lines pending" "$W/gap-$kind.out" && [ "$(mails)" = 0 ]; then
      ok "a lone line whose monotonic time says 1 s passed does not bring midnight"
    else
      bad "bogus leap: $(grep emails "$W/gap-$kind.out"), $(mails) emails"
    fi
  fi
done

# 2. A catch-up: 8 days of journal files read by `luruse run --from-start`, slow
# enough (2 ms of CPU per entry) that the daemon's timer ticks many times during it.
DAYS=8 PER=300
mkdir -p "$W/journal"
$PY days "$W/days.export" $DAYS $PER
timeout -k 2 30 "$REMOTE" --split-mode=none -o "$W/journal/days.journal" - < "$W/days.export" \
  2> "$W/remote.err" || bad "systemd-journal-remote failed: $(cat "$W/remote.err")"
reset_mail catchup
export LRTEST_OUT=$W/recorded
: > "$LRTEST_OUT"
run_daemon() { # ERRFILE ARGS...
  local err=$1
  shift
  "$LURUSE_BIN" run -c "$RULES" --storage "$W/st-catchup" --journal-dir "$W/journal" "$@" \
    > /dev/null 2> "$err" &
  LPID=$!
  wait_until 15 grep -qF "luruse running" "$err" || bad "luruse run $*: not running: $(tail -3 "$err")"
}
stop_daemon() { # ERRFILE
  kill -TERM "$LPID"
  wait "$LPID"
  local rc=$?
  LPID=
  [ $rc -eq 0 ] || bad "luruse run exit $rc after SIGTERM"
  sanitizer_clean "luruse run" "$1"
}
start=$(date +%s.%N)
LRTEST_SLOW_MS=2 run_daemon "$W/run1.err" --from-start
wait_until 90 recorded_at_least $((DAYS * PER)) || bad "catch-up: only $(recorded) entries read"
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
wait_until 30 mails_at_least $DAYS
sleep 2 # a report too many would come now
"$LURUSE_BIN" status --storage "$W/st-catchup" > "$W/status.txt" 2>&1
if grep -qE "^entries' clock: [0-9]+ s behind the wall clock; leaps over an hour: 0 taken, 0 entries held back" "$W/status.txt"; then
  ok "luruse status shows the entries' clock"
else
  bad "luruse status: $(head -5 "$W/status.txt")"
fi
stop_daemon "$W/run1.err"
if $PY reports "$FAKE_MAILDIR" $DAYS $PER > "$W/reports.check"; then
  ok "catch-up of $DAYS days in ${took} s: $DAYS reports, one per day, each whole"
else
  bad "catch-up of $DAYS days in ${took} s:"; sed 's/^/      | /' "$W/reports.check" | head -12
fi

# 3. The same command line again (as Restart= does): the saved cursor wins.
run_daemon "$W/run2.err" --from-start
sleep 2
stop_daemon "$W/run2.err"
read_again=$(( $(recorded) - DAYS * PER ))
if [ $read_again -eq 0 ] && grep -qF -- "--from-start ignored: resuming after the journal cursor" "$W/run2.err"; then
  ok "restart with --from-start: nothing read again, and the log says the saved cursor wins"
else
  bad "restart with --from-start: $read_again entries read again; log: $(grep -i cursor "$W/run2.err" | head -2)"
fi
grep -qF -- "--reset-cursor" "$W/run2.err" || bad "the log does not tell how to start over"

# 4. --reset-cursor forgets the position: --from-start applies again.
run_daemon "$W/run3.err" --reset-cursor --from-start
wait_until 30 recorded_at_least $((2 * DAYS * PER))
stop_daemon "$W/run3.err"
if [ "$(recorded)" -eq $((2 * DAYS * PER)) ] && grep -qF "saved journal position is forgotten" "$W/run3.err"; then
  ok "--reset-cursor --from-start reads the journal again from its start"
else
  bad "--reset-cursor: $(recorded) entries recorded in all"
fi
[ $FAILURES -eq 0 ]
