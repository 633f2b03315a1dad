#!/bin/bash
# The daily report of a journal gathered from four hosts: its summary (entries
# per host and service, bans and the most banned addresses, emails, luruse's
# errors), one section per host, and OTHER lines folded into bounded rows,
# checked against the generated corpus and the stand-in ipset's log; the same
# figures in `luruse report` before midnight. See tests/lib/report_hosts_make.sh.
. "$(dirname "$0")/lib/common.sh"
setup
. "$TESTS_LIB/report_hosts_make.sh"
make_report_mail
for run in day1 day2; do
  assert_eq "replay $run exits 0" 0 "$(cat "$T/$run.rc")"
  no_sanitizer_report "replay $run" "$T/$run.err"
done
assert_contains "day 1: its entries replayed" "$T/day1.out" "6002 entries replayed"
assert_contains "luruse report before midnight: the summary" "$T/pending.txt" "Entries read: 6002, from 4 hosts."
assert_contains "luruse report before midnight: host sections" "$T/pending.txt" "== Host sshserv"
if [ -z "$REPORT_MAIL" ]; then
  bad "no report email in $FAKE_MAILDIR: $(ls "$FAKE_MAILDIR")"
elif python3 "$TESTS_LIB/report_hosts.py" report "$REPORT_MAIL" "$T/expected.json" "$T/ipset.log" \
       "$REPORT_ROWS" "$T/report.html" > "$T/check.out" 2>&1; then
  ok "report: summary, host sections and folded OTHER rows match the corpus"
  sed 's/^/      | /' "$T/check.out" | grep -v "all checks passed"
else
  bad "report:"; sed 's/^/      | /' "$T/check.out"
fi
# the pending report before midnight held the same figures as the one sent
if [ -s "$T/report.html.txt" ] && diff <(sed -n '/^== Summary/,/^Errors of luruse/p' "$T/pending.txt") \
     <(sed -n '/^== Summary/,/^Errors of luruse/p' "$T/report.html.txt") > "$T/summary.diff"; then
  ok "luruse report before midnight showed the summary that was sent"
else
  bad "the pending summary differs from the one sent:"; head -20 "$T/summary.diff" | sed 's/^/      | /'
fi
finish
