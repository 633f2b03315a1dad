#!/bin/bash
# Runs INSIDE a private mount (+ pid) namespace, started by tests/test_live_notify.sh.
# A real systemd-journald fed by logger, `luruse run` with dailyReport and log
# actions: luruse's own log lines (LURUSE_CHAIN, LURUSE_STEP, IP fields) are
# matched by a later chain (recidive), and a `kill -9` while lines flow loses
# no report line and duplicates none. Prints ok/FAIL lines; exit 0 when all passed.
set -u
W=$1
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"

OUT=$W/recorded
export LRTEST_OUT=$OUT
: > "$OUT"
RULES=$W/rules.lua
cat > "$RULES" <<'LUA'
local L = require "luruse"
L.config { email = { to = { "admin@test.invalid" }, sendmail = { "/bin/false" } } }
-- 2 ms per entry: luruse lags behind the stream, so the kill lands between
-- two commits and some entries are processed again after the restart
local function record(e)
  local t = os.clock() + 0.002
  repeat until os.clock() >= t
  local f = assert(io.open(os.getenv("LRTEST_OUT"), "a"))
  f:write(e.MESSAGE, "\n")
  f:close()
end
L.chain "Fail" {
  L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^fail (?<ip>\S+)$]]),
  L.report("WARN", "Failure from {ip}"),
  L.log("Ban {ip}", "WARNING"),
  L.action(record),
}
-- luruse reading its own log lines, by their structured fields
L.chain "Recidive" {
  L.equals("SYSLOG_IDENTIFIER", "luruse"),
  L.equals("LURUSE_CHAIN", "Fail"),
  L.report("INFO", "luruse banned {IP} (step {LURUSE_STEP})", "NONE"),
}
LUA

start_daemon
N=3000
# 30 bursts of 100 lines, 0.1 s apart: the kill lands after some commits, mid-stream
( for i in $(seq 1 $N); do
    echo "fail 10.$((i / 250)).$((i % 250)).1"
    [ $((i % 100)) -eq 0 ] && sleep 0.1
  done | log_lines ) &
writer=$!
# kill -9 in the middle of the stream, while entries are being processed
wait_until 30 eval '[ "$(wc -l < "$OUT")" -ge 1500 ]' || bad "luruse processed fewer than 1500 lines in 30 s"
kill -KILL "$LPID"; wait "$LPID" 2> /dev/null
at_kill=$(wc -l < "$OUT")
ok "luruse killed with SIGKILL after $at_kill of $N lines ($(elapsed))"
wait $writer
wait_until 20 in_journal "fail 10.12.0.1" || bad "the last line did not reach the journal"
start_daemon
wait_until 60 eval '[ "$(sort -u "$OUT" | wc -l)" -ge $N ]' \
  || bad "after the restart only $(sort -u "$OUT" | wc -l) of $N distinct lines processed"
reprocessed=$(( $(wc -l < "$OUT") - N ))
if [ "$reprocessed" -gt 0 ]; then
  ok "the kill landed between two commits: $reprocessed entries were processed again after the restart"
else
  echo "      note: the kill landed right after a commit; no entry was processed again"
fi
sleep 1.5 # the recidive chain reads luruse's own lines, and the last commit is at most 1 s away
stop_daemon

"$LURUSE_BIN" report -c "$RULES" --storage "$W/state" > "$W/report.txt" 2> "$W/report.err"
python3 - "$W/report.txt" "$N" > "$W/report.check" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
n = int(sys.argv[2])
sections = re.split(r"^== ", text, flags=re.M)
warn = next(s for s in sections if s.startswith("WARNING"))
info = next(s for s in sections if s.startswith("Information"))
rows = re.findall(r"^\|\s*(\d+)\s*\|Failure from (\S+)$", warn, re.M)
counts = [int(c) for c, _ in rows]
print("warn rows", len(rows), "counts>1", sum(1 for c in counts if c != 1))
ok = len(rows) == n and all(c == 1 for c in counts)
irows = re.findall(r"^\|\s*(\d+)\s*\|luruse banned (\S+) \(step 3\)$", info, re.M)
print("info rows", len(irows))
ok = ok and len(irows) == n
sys.exit(0 if ok else 1)
PY
if [ $? -eq 0 ]; then
  ok "after kill -9 and restart: $N WARN report rows, each counted exactly once"
  ok "recidive: luruse matched its own $N log lines by LURUSE_CHAIN and read their IP and LURUSE_STEP fields"
else
  bad "report after kill -9: $(tr '\n' ' ' < "$W/report.check")"; head -c 600 "$W/report.txt" | sed 's/^/      | /'
fi
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W/luruse.err"; then
  bad "luruse stderr has a sanitizer report:"; head -30 "$W/luruse.err" | sed 's/^/      | /'
else
  ok "luruse stderr has no sanitizer report"
fi
echo "live notify checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
