#!/bin/bash
# Runs INSIDE a private mount (+ pid) namespace, started by tests/test_live_journald.sh:
#   unshare -m -p -f --kill-child --mount-proc --propagation private bash live_journald_ns.sh WORKDIR
# Hides the host's journal directories and sockets under tmpfs, starts a real
# systemd-journald, and drives `luruse run` against it. Prints ok/FAIL lines;
# exits 0 when every check passed, 1 otherwise, 77 when the setup is impossible.
set -u
W=$1
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"

# ------------------------------------------------------------ rules and daemon
OUT=$W/recorded
export LRTEST_OUT=$OUT
: > "$OUT"
RULES=$W/rules.lua

# write_rules PREFIX: records "PREFIX<MESSAGE>" for each lrtest entry; "hello N" also logs
write_rules() {
  cat > "$RULES.tmp" <<LUA
local L = require "luruse"
local function record(e)
  local f = assert(io.open(os.getenv("LRTEST_OUT"), "a"))
  f:write("$1", e.MESSAGE, "\n")
  f:close()
end
L.chain "Hello" {
  L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^hello (?<n>\d+)$]]),
  L.log("seen {n}", "WARNING"),
  L.action(record),
}
L.chain "Record" {
  L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.action(record),
}
LUA
  mv "$RULES.tmp" "$RULES"
}



# recorded_count REGEX: lines of the record file matching REGEX
recorded_count() { grep -cE -- "$1" "$OUT"; }
recorded_at_least() { [ "$(recorded_count "$1")" -ge "$2" ]; }

# check_exactly_once WHAT PREFIX-REGEX TAG FIRST LAST: the record file holds, in
# this order, "<prefix>TAG i" for i = FIRST..LAST, each once, nothing else with TAG
check_exactly_once() {
  local what=$1 prefix=$2 tag=$3 first=$4 last=$5
  grep -E -- "^(${prefix})${tag} [0-9]+\$" "$OUT" | sed -E "s/^(${prefix})${tag} //" > "$W/got.$tag"
  seq "$first" "$last" > "$W/want.$tag"
  if cmp -s "$W/want.$tag" "$W/got.$tag"; then
    ok "$what: '$tag $first'..'$tag $last' recorded exactly once, in order"
  else
    bad "$what: '$tag' lines recorded are not exactly $first..$last once in order:"
    echo "      | missing: $(comm -23 <(sort "$W/want.$tag") <(sort -u "$W/got.$tag") | tr '\n' ' ')"
    echo "      | duplicated: $(sort "$W/got.$tag" | uniq -d | tr '\n' ' ')"
    echo "      | count: $(wc -l < "$W/got.$tag") of $((last - first + 1))"
  fi
}

write_rules ""

# ---------------------------------------------- a. first start reads from the tail
printf 'pre %d\n' $(seq 1 5) | log_lines
wait_until 10 in_journal "pre 5" || bad "the 'pre' lines did not reach the journal"
start_daemon
printf 'a %d\n' $(seq 1 50) | log_lines
if wait_until 15 recorded_at_least '^a [0-9]+$' 50; then ok "50 lines logged after the start were processed ($(elapsed))"
else bad "only $(recorded_count '^a [0-9]+$') of 50 lines were processed within 15 s"; fi
sleep 0.5 # a duplicate would show up now
check_exactly_once "first start" "" a 1 50
n=$(recorded_count '^(journald probe|pre [0-9]+)$')
if [ "$n" -eq 0 ]; then ok "first start: entries logged before the first start are not processed"
else bad "first start: $n entries from before the first start were processed (expected: start at the tail)"; fi

# ---------------------------------------------- d. action_log writes back to the journal
log_line "hello 42"
wait_until 10 recorded_at_least '^hello 42$' 1 || bad "'hello 42' was not processed"
found_log() { jctl SYSLOG_IDENTIFIER=luruse -o cat | grep -qxF "seen 42"; }
if wait_until 10 found_log; then ok "L.log wrote 'seen 42' to the journal with SYSLOG_IDENTIFIER=luruse"
else bad "no 'seen 42' entry with SYSLOG_IDENTIFIER=luruse in the journal"; fi
jctl SYSLOG_IDENTIFIER=luruse -o json > "$W/logged.json"
python3 - "$W/logged.json" <<'PY' > "$W/logged.check"
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("MESSAGE") == "seen 42":
        print("chain=%s step=%s n=%s priority=%s" % (e.get("LURUSE_CHAIN"), e.get("LURUSE_STEP"),
                                                    e.get("N"), e.get("PRIORITY")))
PY
logged=$(head -1 "$W/logged.check")
echo "      | logged entry: $logged"
case $logged in
  "chain=Hello step="*" n=42 priority=4") ok "the logged entry has LURUSE_CHAIN=Hello, LURUSE_STEP, N=42, PRIORITY=4 (WARNING)" ;;
  *) bad "the logged entry lacks LURUSE_CHAIN=Hello / LURUSE_STEP / N=42 / PRIORITY=4: '$logged'" ;;
esac
case $logged in
  *"step=None"*|*"step= "*) bad "LURUSE_STEP is missing or empty" ;;
  *) ok "LURUSE_STEP is set" ;;
esac
assert_once() {
  local n
  n=$(jctl SYSLOG_IDENTIFIER=luruse -o cat | grep -cxF "seen 42")
  if [ "$n" -eq 1 ]; then ok "'seen 42' was logged exactly once"; else bad "'seen 42' logged $n times"; fi
}
sleep 0.3
assert_once

# ---------------------------------------------- b. SIGHUP while entries flow
# Three reloads while lines keep coming: prefixes h1:, h2:, then v2:.
NB=500
( for i in $(seq 1 $NB); do echo "b $i"; sleep 0.004; done | log_lines ) &
FEED=$!
n=100
for prefix in h1: h2: v2:; do
  if ! wait_until 20 recorded_at_least '^(h1:|h2:)?b [0-9]+$' "$n"; then
    bad "entries did not flow before the reload to '$prefix' ($(recorded_count '^(h1:|h2:)?b [0-9]+$') recorded)"
  fi
  write_rules "$prefix"
  kill -HUP "$LPID"
  n=$((n + 100))
done
wait "$FEED"
FEED=
if wait_until 20 recorded_at_least '^(h1:|h2:|v2:)?b [0-9]+$' "$NB"; then ok "all $NB lines logged around 3 reloads were processed ($(elapsed))"
else bad "only $(recorded_count '^(h1:|h2:|v2:)?b [0-9]+$') of $NB lines processed around the reloads"; fi
sleep 0.5
check_exactly_once "SIGHUP reloads while entries flow" "|h1:|h2:|v2:" b 1 "$NB"
# each rule set's lines come after the previous rule set's, none before
grep -E '^(h1:|h2:|v2:)?b [0-9]+$' "$OUT" | sed -E 's/^(h1:|h2:|v2:)?b [0-9]+$/[\1]/' | uniq > "$W/b.phases"
phases=$(tr '\n' ' ' < "$W/b.phases")
if [ "$phases" = "[] [h1:] [h2:] [v2:] " ]; then
  ok "SIGHUP reloads: each rule set took over at once (lines per rule set: $(for p in '' h1: h2: v2:; do recorded_count "^${p}b [0-9]+\$"; done | tr '\n' ' '))"
else
  bad "SIGHUP reloads: rule sets of the recorded lines in order: '$phases', expected '[] [h1:] [h2:] [v2:]'"
fi
reloads_logged() { [ "$(jctl _PID="$LPID" -o cat | grep -cF "rules reloaded")" -ge "$1" ]; }
if wait_until 5 reloads_logged 3; then ok "the 3 reloads were logged ('rules reloaded')"
else bad "expected 3 'rules reloaded' messages from luruse, got $(jctl _PID="$LPID" -o cat | grep -cF "rules reloaded")"; fi
daemon_alive && ok "luruse still running after the reload" || bad "luruse died after the reload"

# broken rules: SIGHUP keeps the old (v2) rules
cp "$RULES" "$W/rules.v2"
printf 'local L = require "luruse"\nL.chain "Broken" {\n  L.equals("X",\n}\n' > "$RULES"
kill -HUP "$LPID"
if wait_until 10 daemon_said "reload failed"; then ok "a broken rule file on SIGHUP is logged ('reload failed')"
else bad "no 'reload failed' message after SIGHUP with a broken rule file"; fi
jctl _PID="$LPID" -o cat | grep -F "reload failed" | head -1 | sed 's/^/      | /'
if jctl _PID="$LPID" -o cat | grep -F "reload failed" | grep -qF "rules.lua:4"; then
  ok "the reload error names the broken file and line"
else bad "the reload error does not name rules.lua:4"; fi
sleep 0.2
daemon_alive && ok "luruse keeps running after a failed reload" || bad "luruse died after a failed reload"
printf 'c %d\n' $(seq 1 20) | log_lines
if wait_until 15 recorded_at_least '^v2:c [0-9]+$' 20; then ok "after a failed reload the old (v2) rules still process entries"
else bad "after a failed reload only $(recorded_count '^v2:c [0-9]+$') of 20 lines processed with the old rules"; fi
sleep 0.3
check_exactly_once "after a failed reload" "v2:" c 1 20
[ "$(recorded_count '^c [0-9]+$')" -eq 0 ] || bad "lines recorded with the v1 rules after the v2 reload"

# ---------------------------------------------- c. restart resumes after the saved cursor
stop_daemon
cursor=$(saved_cursor "$W/state/luruse.db" cursor:local 2>&1)
case $cursor in
  s=*) ok "the cursor is saved in luruse.db (meta 'cursor:local')" ;;
  *) bad "no journal cursor under meta 'cursor:local' in $W/state/luruse.db: '$cursor'" ;;
esac
printf 'd %d\n' $(seq 1 40) | log_lines
wait_until 10 in_journal "d 40" || bad "the 'd' lines did not reach the journal"
write_rules "v3:"
start_daemon
printf 'e %d\n' $(seq 1 10) | log_lines
if wait_until 15 recorded_at_least '^v3:[de] [0-9]+$' 50; then ok "after the restart the lines logged while down and after were processed ($(elapsed))"
else bad "after the restart only $(recorded_count '^v3:[de] [0-9]+$') of 50 lines processed"; fi
sleep 0.5
check_exactly_once "restart: logged while luruse was down" "v3:" d 1 40
check_exactly_once "restart: logged after the restart" "v3:" e 1 10
n=$(recorded_count '^v3:([abc] [0-9]+|hello 42|pre [0-9]+|journald probe)$')
if [ "$n" -eq 0 ]; then ok "restart: nothing processed before the stop is processed again"
else bad "restart: $n entries processed before the stop were processed again"; fi

# a stop and start with nothing new in between processes nothing again
stop_daemon
before=$(wc -l < "$OUT")
start_daemon
log_line "f 1"
wait_until 10 recorded_at_least '^v3:f 1$' 1 || bad "'f 1' was not processed after the second restart"
sleep 0.3
after=$(wc -l < "$OUT")
if [ "$after" -eq $((before + 1)) ]; then ok "an idle restart re-processes nothing"
else bad "an idle restart: $((after - before)) lines recorded, expected 1 ('f 1')"; tail -5 "$OUT" | sed 's/^/      | /'; fi

# every line overall, prefixes stripped: no duplicates at all
sed -E 's/^v[23]://' "$OUT" | sort | uniq -d > "$W/dups"
if [ -s "$W/dups" ]; then bad "duplicated entries overall: $(head -5 "$W/dups" | tr '\n' ' ')"
else ok "no entry was processed twice over the whole run ($(wc -l < "$OUT") lines)"; fi

stop_daemon
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W/luruse.err"; then
  bad "luruse stderr has a sanitizer/internal error report:"; head -30 "$W/luruse.err" | sed 's/^/      | /'
else
  ok "luruse stderr has no sanitizer report"
fi
echo "live journald checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
