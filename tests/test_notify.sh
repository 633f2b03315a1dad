#!/bin/bash
# Emails and the daily report end to end: `luruse replay` and `luruse run` with a
# stand-in sendmail; every email is parsed back with Python's email package and
# checked header by header and section by section, for Lua rules and for the
# same rules as pyruse.json.
. "$(dirname "$0")/lib/common.sh"
setup
CHECK="python3 $TESTS_LIB/notify_check.py"
DATA="$LURUSE_SRC/tests/data"
FAKE="$TESTS_LIB/fake_sendmail.sh"
export TZ=UTC
$CHECK corpus "$T" || die "corpus generation failed"

# replay NAME RULES STORAGE INPUT...: bounded run, output in $T/NAME.{out,err,rc}
replay() {
  local name=$1 rules=$2 storage=$3
  shift 3
  timeout -k 5 120 "$LURUSE_BIN" replay -c "$rules" --storage "$storage" "$@" \
    > "$T/$name.out" 2> "$T/$name.err"
  echo $? > "$T/$name.rc"
  no_sanitizer_report "$name" "$T/$name.err"
}
mails() { find "$1" -name '*.eml' | wc -l; }
reset_mail() { rm -rf "$FAKE_MAILDIR"; mkdir -p "$FAKE_MAILDIR"; }

for flavour in lua json; do
  rules="$T/rules-$flavour.$flavour"
  sed "s|@SENDMAIL@|$FAKE|" "$DATA/notify_rules.$flavour" > "$rules"
  export FAKE_MAILDIR="$T/mail-$flavour"
  # Subjects: pyruse.json's email.subject is the report's, as written (as Pyruse);
  # with Lua rules, the default title followed by the day.
  title=luruse; report_subject="luruse Report 2026-03-10"
  [ $flavour = json ] && title=Pyruse && report_subject="Daily digest: the journal, sorted"

  # Alerts: distinct ones at once, 40 identical ones as 1 + a summary, hostile values.
  reset_mail
  replay alerts-$flavour "$rules" "$T/st-alerts-$flavour" --export "$T/alerts.export"
  assert_eq "$flavour: alerts replay exits 0" 0 "$(cat "$T/alerts-$flavour.rc")"
  if $CHECK alerts "$FAKE_MAILDIR" > "$T/alerts-$flavour.check" 2>&1; then
    ok "$flavour: alert emails parse and carry the right headers and text"
  else
    bad "$flavour: alert emails:"; sed 's/^/      | /' "$T/alerts-$flavour.check"
  fi
  assert_contains "$flavour: sendmail got its configured arguments" \
    "$(find "$FAKE_MAILDIR" -name '*.args' | head -1)" "-t -oi"

  # Daily report: day 1 in two runs (a restart mid-day), then day 2's first entry.
  reset_mail
  st="$T/st-report-$flavour"
  replay day1a-$flavour "$rules" "$st" --export "$T/day1a.export"
  replay day1b-$flavour "$rules" "$st" --export "$T/day1b.export"
  assert_eq "$flavour: no report before midnight" 0 "$(mails "$FAKE_MAILDIR")"
  "$LURUSE_BIN" report -c "$rules" --storage "$st" > "$T/pending1-$flavour.txt" 2> "$T/pending1.err"
  "$LURUSE_BIN" report -c "$rules" --storage "$st" > "$T/pending1b-$flavour.txt" 2>> "$T/pending1.err"
  if $CHECK report-text "$T/pending1-$flavour.txt" "$T/expected.json" 1 > "$T/p1.check" 2>&1; then
    ok "$flavour: luruse report shows both halves of day 1 (survived the restart)"
  else
    bad "$flavour: luruse report of day 1:"; sed 's/^/      | /' "$T/p1.check"
  fi
  if cmp -s "$T/pending1-$flavour.txt" "$T/pending1b-$flavour.txt"; then
    ok "$flavour: luruse report neither sends nor clears"
  else
    bad "$flavour: a second luruse report differs"
  fi
  "$LURUSE_BIN" report -c "$rules" --storage "$st" --list > "$T/list1-$flavour.tsv" 2>> "$T/pending1.err"
  if $CHECK report-list "$T/list1-$flavour.tsv" "$T/expected.json" > "$T/l1.check" 2>&1; then
    ok "$flavour: luruse report --list gives day 1's lines in order, a newline escaped"
  else
    bad "$flavour: luruse report --list:"; sed 's/^/      | /' "$T/l1.check"
  fi
  "$LURUSE_BIN" report -c "$rules" --storage "$st" --html > "$T/pending1-$flavour.html" 2>> "$T/pending1.err"
  assert_contains "$flavour: luruse report --html prints the HTML part" "$T/pending1-$flavour.html" "<html"
  replay day2-$flavour "$rules" "$st" --export "$T/day2.export"
  assert_eq "$flavour: the first entry after midnight sends one report" 1 "$(mails "$FAKE_MAILDIR")"
  report_mail=$(find "$FAKE_MAILDIR" -name '*.eml' | head -1)
  if [ -n "$report_mail" ] && $CHECK report "$report_mail" "$T/expected.json" "$title Report" "$report_subject" \
       > "$T/report-$flavour.check" 2>&1; then
    ok "$flavour: report email: headers, text sections, rows, counts, times, HTML escaping, chart"
  else
    bad "$flavour: report email:"; sed 's/^/      | /' "$T/report-$flavour.check"
  fi
  "$LURUSE_BIN" report -c "$rules" --storage "$st" > "$T/pending2-$flavour.txt" 2>> "$T/pending1.err"
  if $CHECK report-text "$T/pending2-$flavour.txt" "$T/expected.json" 2 > "$T/p2.check" 2>&1; then
    ok "$flavour: after sending, only day 2's lines are pending"
  else
    bad "$flavour: pending after the report:"; sed 's/^/      | /' "$T/p2.check"
  fi
  replay day2again-$flavour "$rules" "$st" --export "$T/day2.export"
  assert_eq "$flavour: a report is never sent twice" 1 "$(mails "$FAKE_MAILDIR")"
done

# A failing sendmail: logged with its exit status, every email kept, then sent
# on a later attempt.
export FAKE_MAILDIR="$T/mail-fail"
reset_mail
rules="$T/rules-lua.lua"
FAKE_SENDMAIL_MODE=fail replay fail "$rules" "$T/st-fail" --export "$T/alerts.export"
assert_eq "failing sendmail: replay still exits 0" 0 "$(cat "$T/fail.rc")"
assert_contains "failing sendmail: the exit status is logged" "$T/fail.err" "exit status 75"
assert_contains "failing sendmail: its message is logged" "$T/fail.err" "cannot queue the message"
assert_contains "failing sendmail: the emails are kept" "$T/fail.out" "6 waiting in the outbox"
# the retry delay has passed (simulated: the database is what a later start reads)
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE outbox SET next_try_usec=0'); c.commit()" \
  "$T/st-fail/luruse.db"
: > "$T/empty.export"
replay retry "$rules" "$T/st-fail" --export "$T/empty.export"
assert_eq "after the failure, the kept emails are sent" 6 "$(mails "$FAKE_MAILDIR")"
assert_contains "after the retry the outbox is empty" "$T/retry.out" "0 waiting in the outbox"
if $CHECK alerts "$FAKE_MAILDIR" > "$T/retry.check" 2>&1; then
  ok "retried emails are intact"
else
  bad "retried emails:"; sed 's/^/      | /' "$T/retry.check"
fi

# A hanging sendmail is killed after email.timeoutSeconds (2 s) and the email kept.
export FAKE_MAILDIR="$T/mail-hang"
reset_mail
awk 'BEGIN{RS="";ORS="\n\n"} NR==1' "$T/alerts.export" > "$T/one.export"
start=$(date +%s)
FAKE_SENDMAIL_MODE=hang replay hang "$rules" "$T/st-hang" --export "$T/one.export"
took=$(( $(date +%s) - start ))
assert_eq "hanging sendmail: replay exits 0" 0 "$(cat "$T/hang.rc")"
if [ "$took" -lt 30 ]; then ok "hanging sendmail: replay ends after the timeout (${took} s)"; else bad "hanging sendmail: replay took ${took} s"; fi
assert_contains "hanging sendmail: the timeout is logged" "$T/hang.err" "timed out"
assert_contains "hanging sendmail: the email is kept" "$T/hang.out" "1 waiting in the outbox"

# Live: `luruse run` sends a pending report from its timer at midnight, with no
# entry arriving (the pending lines are from 2026-03-10: midnight has passed).
export FAKE_MAILDIR="$T/mail-live"
reset_mail
mkdir -p "$T/nojournal"
replay live-seed "$rules" "$T/st-live" --export "$T/day1a.export" --export "$T/day1b.export"
"$LURUSE_BIN" run -c "$rules" --storage "$T/st-live" --journal-dir "$T/nojournal" \
  > "$T/live.out" 2> "$T/live.err" &
live=$!
track $live
for _ in $(seq 50); do [ "$(mails "$FAKE_MAILDIR")" -ge 1 ] && break; sleep 0.2; done
kill -TERM $live; wait $live; echo "luruse run exit $?" >> "$T/live.out"
no_sanitizer_report "live" "$T/live.err"
assert_eq "live: the timer sends the pending report without any entry" 1 "$(mails "$FAKE_MAILDIR")"
assert_contains "live: clean exit on SIGTERM" "$T/live.out" "luruse run exit 0"
if $CHECK report "$(find "$FAKE_MAILDIR" -name '*.eml' | head -1)" "$T/expected.json" "luruse Report" \
     "luruse Report 2026-03-10" \
     > "$T/live.check" 2>&1; then
  ok "live: the report is the whole of day 1"
else
  bad "live report:"; sed 's/^/      | /' "$T/live.check"
fi

# Rules that send email without a recipient are refused at load time.
printf 'local L = require "luruse"\nL.chain "A" { L.email("x") }\n' > "$T/norcpt.lua"
"$LURUSE_BIN" check -c "$T/norcpt.lua" > /dev/null 2> "$T/norcpt.err"
assert_eq "email without email.to: check fails" 1 $?
assert_contains "email without email.to: the error says what to set" "$T/norcpt.err" "email.to"
assert_contains "email without email.to: the error names file:line" "$T/norcpt.err" "norcpt.lua:2"

finish
