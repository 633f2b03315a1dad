#!/bin/bash
# The daily report's HTML part in a real browser (Debian's chromium, headless):
# the DOM it builds holds the summary, the host sections and the chart, with no
# script, SVG, image or style element; a screenshot of the window's size shows
# the chart's coloured bars. Skips when chromium is missing. The report is
# the one of tests/test_report_hosts.sh (tests/lib/report_hosts_make.sh).
. "$(dirname "$0")/lib/common.sh"
setup
CHROMIUM=$(command -v chromium || true)
[ -n "$CHROMIUM" ] || skip "chromium is missing (Debian package chromium): the HTML report is not rendered"
. "$TESTS_LIB/report_hosts_make.sh"
make_report_mail
[ -n "$REPORT_MAIL" ] || die "no report email: $(tail -3 "$T/day2.err")"
PY="python3 $TESTS_LIB/report_hosts.py"
$PY parts "$REPORT_MAIL" "$T/report.html" "$T/report.txt" || die "cannot read the report email"
WIDTH=1200 HEIGHT=2400
# chromium_run ARGS...: headless, its own profile, bounded; as root without the sandbox
chromium_run() {
  local sandbox=()
  [ "$(id -u)" -eq 0 ] && sandbox=(--no-sandbox)
  timeout -k 5 90 "$CHROMIUM" --headless "${sandbox[@]}" --disable-gpu --no-first-run \
    --disable-extensions --user-data-dir="$T/chromium-profile" "$@" "file://$T/report.html"
}
chromium_run --dump-dom > "$T/dom.html" 2> "$T/chromium-dom.err"
rc=$?
assert_eq "chromium --dump-dom exits 0" 0 "$rc"
if [ $rc -eq 0 ] && $PY html "$T/dom.html" "$T/report.txt" "$T/expected.json" > "$T/html.check" 2>&1; then
  ok "the DOM chromium built holds the summary, the host sections and the chart"
  sed 's/^/      | /' "$T/html.check" | grep -v "all checks passed"
else
  bad "the DOM chromium built:"; sed 's/^/      | /' "$T/html.check" "$T/chromium-dom.err" | head -30
fi
chromium_run --window-size=$WIDTH,$HEIGHT --screenshot="$T/report.png" > /dev/null 2> "$T/chromium-shot.err"
rc=$?
assert_eq "chromium --screenshot exits 0" 0 "$rc"
if [ -s "$T/report.png" ] && $PY png "$T/report.png" $WIDTH $HEIGHT > "$T/png.check" 2>&1; then
  ok "the screenshot is ${WIDTH}x${HEIGHT} and shows the chart's bars"
  sed 's/^/      | /' "$T/png.check" | grep -v "all checks passed"
else
  bad "the screenshot:"; sed 's/^/      | /' "$T/png.check" "$T/chromium-shot.err" | head -30
fi
[ -n "${LURUSE_KEEP_SCREENSHOT:-}" ] && cp "$T/report.png" "$LURUSE_KEEP_SCREENSHOT"
finish
