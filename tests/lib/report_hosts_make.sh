# Sourced by tests/test_report_hosts.sh and tests/test_report_html.sh, after
# setup: make_report_mail leaves in $REPORT_MAIL the daily report of a
# generated journal of four hosts (bench/gen_journal.py, written to journal
# files by systemd-journal-remote, with two alerts added), replayed with
# tests/data/report_hosts.lua: day 1 from the journal files, then the first
# entry of day 2 in a second run, which sends day 1's report. Bans go to the
# stand-in ipset (tests/lib/fake_ipset.sh), which refuses IPv6 addresses.
REPORT_ROWS=25
REMOTE=/lib/systemd/systemd-journal-remote

make_report_mail() {
  [ -x "$REMOTE" ] || skip "$REMOTE is missing (package systemd-journal-remote)"
  local py="python3 $TESTS_LIB/report_hosts.py"
  python3 "$GEN_JOURNAL" --entries 6000 --seed 3 --attack-share 0.05 > "$T/gen.export" \
    2> "$T/gen.stats" || die "gen_journal.py failed: $(cat "$T/gen.stats")"
  $py corpus "$T/gen.export" "$T/day1.export" "$T/day2.export" "$T/expected.json" \
    || die "report_hosts.py corpus failed"
  mkdir -p "$T/journal"
  timeout -k 5 60 "$REMOTE" --split-mode=none -o "$T/journal/hosts.journal" - \
    < "$T/day1.export" 2> "$T/remote.err" || die "systemd-journal-remote failed: $(cat "$T/remote.err")"
  sed -e "s|@SENDMAIL@|$TESTS_LIB/fake_sendmail.sh|" -e "s|@IPSET@|$TESTS_LIB/fake_ipset.sh|" \
    -e "s|@ROWS@|$REPORT_ROWS|" "$LURUSE_SRC/tests/data/report_hosts.lua" > "$T/rules.lua"
  export TZ=UTC FAKE_MAILDIR=$T/mail FAKE_IPSET_LOG=$T/ipset.log FAKE_IPSET_REFUSE=':'
  mkdir -p "$FAKE_MAILDIR"
  : > "$FAKE_IPSET_LOG"
  local run
  for run in day1 day2; do
    local input=(--journal-dir "$T/journal")
    [ $run = day2 ] && input=(--export "$T/day2.export")
    timeout -k 5 120 "$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st" "${input[@]}" \
      > "$T/$run.out" 2> "$T/$run.err"
    echo $? > "$T/$run.rc"
    [ $run = day1 ] && "$LURUSE_BIN" report -c "$T/rules.lua" --storage "$T/st" \
      > "$T/pending.txt" 2> "$T/pending.err"
  done
  REPORT_MAIL=$(grep -l '^Subject: luruse Report 2024-03-04' "$FAKE_MAILDIR"/*.eml 2> /dev/null | head -1)
}
