#!/bin/bash
# Runs INSIDE a private mount (+ pid) namespace, started by tests/test_live_rotation.sh:
#   unshare -m -p -f --kill-child --mount-proc --propagation private bash live_rotation_ns.sh WORKDIR
# Hides the host's journal directories and sockets under tmpfs, starts a real
# systemd-journald, and drives `luruse run` against it while journald rotates
# its files and archived files are vacuumed. Prints ok/FAIL lines; exits 0 when
# every check passed, 1 otherwise, 77 when the setup is impossible.
set -u
W=$1
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"

# ------------------------------------------------------------ rotation and vacuum
archived() { find "$JDIR" -maxdepth 1 -name 'system@*.journal' | sort; }
narchived() { archived | wc -l; }

# rotate: journald archives system.journal and starts a new one. `journalctl
# --rotate` talks to journald's varlink socket and waits; SIGUSR2 is the fallback.
ROTATE_VIA=
rotate() {
  local before
  before=$(narchived)
  if [ "$ROTATE_VIA" != signal ] && timeout -k 2 10 journalctl --rotate > "$W/rotate.out" 2>&1; then
    ROTATE_VIA=journalctl
  else
    ROTATE_VIA=signal
    kill -USR2 "$JPID"
  fi
  grew() { [ "$(narchived)" -gt "$before" ]; }
  if wait_until 10 grew; then return 0; fi
  bad "rotation (via $ROTATE_VIA) made no new archived file ($(narchived) archived)"
  return 1
}

# last_archived_line: the last lrtest message in the archived files (empty if none)
last_archived_line() {
  local f args=()
  for f in $(archived); do args+=("--file=$f"); done
  [ "${#args[@]}" -gt 0 ] || return 0
  timeout -k 2 10 journalctl --no-pager -q "${args[@]}" SYSLOG_IDENTIFIER=lrtest -o cat | tail -1
}

# vacuum: deletes every archived file, after luruse recorded the last lrtest
# line they hold (they are files luruse has already read)
VACUUMED=0
vacuum() {
  local last n
  n=$(narchived)
  last=$(last_archived_line)
  if [ -n "$last" ] && ! wait_until 15 recorded_line "$last"; then
    bad "before vacuuming: luruse did not process '$last' (the last line of the archived files) within 15 s"
  fi
  save_daemon_log # its own messages are in those files
  jctl --vacuum-files=1 > "$W/vacuum.out" 2>&1 || bad "journalctl --vacuum-files=1 failed: $(cat "$W/vacuum.out")"
  if [ "$(narchived)" -eq 0 ]; then
    VACUUMED=$((VACUUMED + n))
  else
    bad "journalctl --vacuum-files=1 left $(narchived) of $n archived files: $(cat "$W/vacuum.out")"
  fi
}

# ------------------------------------------------------------ rules and daemon
. "$(dirname "${BASH_SOURCE[0]}")/record_rules.sh"

# luruse logs to the journal, and vacuuming deletes those messages: keep a copy
save_daemon_log() {
  [ -n "$LPID" ] || return 0
  jctl _PID="$LPID" -o short-monotonic >> "$W/luruse.journal"
}



recorded_line() { grep -qxF -- "$1" "$OUT"; }
# recorded_count REGEX: lines of the record file matching REGEX
recorded_count() { grep -cE -- "$1" "$OUT"; }

# check_exactly_once WHAT TAG FIRST LAST: the record file holds, in this order,
# "TAG i" for i = FIRST..LAST, each once, and no other "TAG ..." line
check_exactly_once() {
  local what=$1 tag=$2 first=$3 last=$4
  grep -E -- "^${tag} " "$OUT" | sed -E "s/^${tag} //" > "$W/got.$tag"
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

# ---------------------------------------------- a. rotations and vacuums while lines flow
start_daemon
log_line "warmup"
wait_until 15 recorded_line "warmup" || bad "'warmup' was not processed"

NR=300
( for i in $(seq 1 $NR); do echo "r $i"; sleep 0.015; done | log_lines ) &
FEED=$!
rotations=0 during=0
for threshold in 30 70 110 150 190 230; do
  if ! wait_until 20 recorded_at_least '^r [0-9]+$' "$threshold"; then
    bad "lines stopped flowing before rotation $((rotations + 1)) ($(recorded_count '^r [0-9]+$') recorded)"
  fi
  kill -0 "$FEED" 2> /dev/null && during=$((during + 1))
  rotate && rotations=$((rotations + 1))
  # every second rotation: delete the archived files (two at a time)
  [ $((rotations % 2)) -eq 0 ] && vacuum
done
feeding_rotations=$during
wait "$FEED"
FEED=
echo "      | rotations: $rotations (via $ROTATE_VIA), $feeding_rotations of them while lines were logged; archived files vacuumed: $VACUUMED"
if [ "$rotations" -eq 6 ] && [ "$feeding_rotations" -ge 3 ]; then
  ok "journald rotated 6 times, $feeding_rotations of them while lines were being logged"
else
  bad "expected 6 rotations, at least 3 while lines were logged: got $rotations, $feeding_rotations"
fi
if [ "$VACUUMED" -ge 4 ]; then ok "$VACUUMED archived files already read were vacuumed while luruse ran"
else bad "only $VACUUMED archived files were vacuumed"; fi
if wait_until 20 recorded_at_least '^r [0-9]+$' "$NR"; then ok "all $NR lines logged around the rotations were processed ($(elapsed))"
else bad "only $(recorded_count '^r [0-9]+$') of $NR lines were processed around the rotations"; fi
sleep 0.5 # a duplicate would show up now
check_exactly_once "rotations and vacuums while lines flow" r 1 "$NR"
daemon_alive && ok "luruse still running after the rotations and vacuums" || bad "luruse died during the rotations and vacuums"
# caught up, new entries are read straight from journald's file; each rotation
# hands the place back to libsystemd, which finds the new file
direct_field() {
  "$LURUSE_BIN" status --json --storage "$W/state" |
    python3 -c 'import json,sys; d=json.load(sys.stdin).get("journal_direct") or {}; print(d.get(sys.argv[1], 0))' "$1"
}
d_entries=$(direct_field entries) d_back=$(direct_field handbacks)
if [ "$d_entries" -ge 100 ] && [ "$d_back" -ge 1 ]; then
  ok "$d_entries entries read straight from journald's files, $d_back hand-backs to libsystemd at the rotations"
else
  bad "the direct reader read $d_entries entries with $d_back hand-backs (expected 100 or more, and 1 or more)"
fi

# ---------------------------------------------- b. the file luruse stands in is vacuumed
# luruse is idle: its last entry is in system.journal, which becomes archived and is
# deleted; the next lines are in a file it has never seen.
rotate
vacuum
printf 'g %d\n' $(seq 1 30) | log_lines
if wait_until 15 recorded_at_least '^g [0-9]+$' 30; then ok "after the file luruse stood in was deleted, 30 new lines were processed"
else bad "after the file luruse stood in was deleted, only $(recorded_count '^g [0-9]+$') of 30 new lines were processed"; fi
sleep 0.5
check_exactly_once "after the current file was vacuumed" g 1 30
daemon_alive && ok "luruse still running" || bad "luruse died after its current file was vacuumed"

# ---------------------------------------------- c. restart after the cursor's file was vacuumed
# the last lines before the stop are read by the direct reader (libsystemd
# reads 'h 1', catches up, and hands over), so the cursor saved is its own
log_line "h 1"
wait_until 10 recorded_line "h 1" || bad "'h 1' was not processed"
sleep 0.4
n0=$(direct_field entries)
printf 'h %d\n' $(seq 2 5) | log_lines
wait_until 10 recorded_at_least '^h [0-9]+$' 5 || bad "only $(recorded_count '^h [0-9]+$') of 5 'h' lines"
n1=$(direct_field entries)
if [ $((n1 - n0)) -ge 4 ]; then ok "the lines before the stop were read straight from journald's file"
else bad "only $((n1 - n0)) of the 4 lines before the stop were read directly"; fi
stop_daemon
cursor=$(saved_cursor "$W/state/luruse.db" cursor:local 2>&1)
case $cursor in
  s=*) ok "the cursor is saved in luruse.db (meta 'cursor:local')" ;;
  *) bad "no journal cursor under meta 'cursor:local' in $W/state/luruse.db: '$cursor'" ;;
esac
has_cursor() { jctl -o json | python3 -c '
import json, sys
c = sys.argv[1]
sys.exit(0 if any(json.loads(l).get("__CURSOR") == c for l in sys.stdin) else 1)' "$cursor"; }
if has_cursor; then ok "the saved cursor's entry is in the journal before the vacuum"
else bad "the saved cursor's entry is not in the journal even before the vacuum"; fi
rotate # the cursor's file becomes archived
printf 'd %d\n' $(seq 1 40) | log_lines
wait_until 10 in_journal "d 40" || bad "the 'd' lines did not reach the journal"
vacuum
if has_cursor; then bad "the saved cursor's entry is still in the journal after the vacuum"
else ok "the vacuum deleted the file of the saved cursor's entry"; fi
before=$(wc -l < "$OUT")
start_daemon
if wait_until 5 daemon_said "resuming after the saved journal cursor"; then ok "the restart resumed from the saved (vacuumed) cursor"
else bad "the restart did not log 'resuming after the saved journal cursor'"; fi
printf 'e %d\n' $(seq 1 10) | log_lines
if wait_until 15 recorded_at_least '^[de] [0-9]+$' 50; then ok "after the restart the lines logged while down and after were processed ($(elapsed))"
else bad "after the restart only $(recorded_count '^[de] [0-9]+$') of 50 lines processed"; fi
sleep 0.5
check_exactly_once "restart: logged while luruse was down" d 1 40
check_exactly_once "restart: logged after the restart" e 1 10
after=$(wc -l < "$OUT")
if [ "$after" -eq $((before + 50)) ]; then ok "the restart processed only the 50 new lines"
else bad "the restart recorded $((after - before)) lines, expected 50:"; tail -n +$((before + 1)) "$OUT" | head -10 | sed 's/^/      | /'; fi
daemon_alive && ok "luruse still running after the restart" || bad "luruse died after the restart"

# every line overall: no duplicates at all
sort "$OUT" | uniq -d > "$W/dups"
if [ -s "$W/dups" ]; then bad "duplicated entries overall: $(head -5 "$W/dups" | tr '\n' ' ')"
else ok "no entry was processed twice over the whole run ($(wc -l < "$OUT") lines)"; fi

stop_daemon
# luruse's own messages (saved before each vacuum): no error while reading
sort -u "$W/luruse.journal" > "$W/luruse.journal.u" 2> /dev/null
if grep -aE 'reading the journal|cannot position|cannot open the journal' "$W/luruse.journal.u" > "$W/luruse.errors"; then
  bad "luruse logged journal errors:"; head -10 "$W/luruse.errors" | sed 's/^/      | /'
else
  ok "luruse logged no journal error ($(wc -l < "$W/luruse.journal.u") messages kept)"
fi
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W/luruse.err"; then
  bad "luruse stderr has a sanitizer/internal error report:"; head -30 "$W/luruse.err" | sed 's/^/      | /'
else
  ok "luruse stderr has no sanitizer report"
fi
echo "live rotation checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
