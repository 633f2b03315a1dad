#!/bin/bash
# The daily report by the entries' clock: a replay whose last line comes after a
# quiet night sends the report (a lone line whose monotonic time contradicts its
# date does not); a catch-up of 8 days of journal files by `luruse run` sends one
# whole report per day; a restart with --from-start resumes after the saved
# cursor, and --reset-cursor reads again. See tests/lib/report_days_ns.sh.
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journal-remote ] || skip "/lib/systemd/systemd-journal-remote is missing"
run_without_journal "report days" report_days_ns.sh 150
finish
