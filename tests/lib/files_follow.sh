#!/bin/bash
# `luruse run` following text files while a writer writes them and rotates
# them: by rename with logrotate's `create` (the writer reopens a moment
# later), by copytruncate, by deletion and re-creation; a glob whose second
# file appears after start; two `kill -9` in the middle, one of them with a
# rotation while luruse is down (finished from NAME.1); binary and 8-bit
# lines; a file that luruse cannot read (permissions), then can.
# Every line is recorded as a daily-report line, which is written in the same
# transaction as the positions: each must be there exactly once.
# Started by tests/test_files_follow.sh in a private mount namespace (so that
# luruse logs to stderr, never into a host journal):  files_follow.sh WORKDIR
set -u
W=$1
: "${LURUSE_BIN:?}"
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
FAILURES=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILURES=$((FAILURES + 1)); }

if [ -S /run/systemd/journal/socket ]; then
  echo "FAIL - a journald socket is visible: luruse would log into that journal"
  exit 1
fi

LOGS=$W/logs
J=$W/journal # an empty journal directory: the files are the input here
ST=$W/state
mkdir -p "$LOGS" "$J"
cat > "$W/rules.lua" <<EOF
local L = require "luruse"
L.config { storage = "$ST", email = { to = { "root@localhost" }, sendmail = { "/bin/false" } } }
L.file { "$LOGS/app.log", identifier = "app" }
L.file { "$LOGS/*-access.log", identifier = "web", format = "plain" }
L.chain "Lines" {
  L.pcre("MESSAGE", [[^(?<what>line|web) (?<n>\d+)]]),
  L.report("INFO", "{SYSLOG_IDENTIFIER} {what} {n}", "NONE"),
}
L.chain "Eight-bit" {
  L.pcre("MESSAGE", [[^bin (?<rest>.*)]]),
  L.report("INFO", "{SYSLOG_IDENTIFIER} bin {rest}", "NONE"),
}
EOF

RUNS=0
start_daemon() {
  RUNS=$((RUNS + 1))
  ERR=$W/run.$RUNS.err
  "$LURUSE_BIN" run -c "$W/rules.lua" --journal-dir "$J" "$@" > /dev/null 2> "$ERR" &
  LPID=$!
  wait_until 15 grep -qF "luruse running" "$ERR" || { bad "run $RUNS did not start"; tail "$ERR"; }
}
stop_daemon() {
  kill -TERM "$LPID"
  wait "$LPID"
  local rc=$?
  [ "$rc" -eq 0 ] || bad "luruse exit status after SIGTERM: $rc"
}
sanitizer_clean() {
  if grep -lE 'AddressSanitizer|LeakSanitizer|runtime error:' "$W"/run.*.err; then
    bad "a sanitizer report in luruse's stderr"
  fi
}
# recorded: the report lines, one per line
recorded() { report_messages "$W/rules.lua" "$ST"; }
# recorded_once LINE: that report line is there, once
recorded_once() { [ "$(recorded | grep -cxF -- "$1")" = 1 ]; }
exactly_once() { # WHAT PREFIX FIRST LAST
  local got want
  got=$(recorded | grep -E "^$2 [0-9]+\$" | sed "s/^$2 //" | tr '\n' ' ')
  want=$(seq "$3" "$4" | tr '\n' ' ')
  if [ "$got" = "$want" ]; then ok "$1: '$2 $3'..'$2 $4' recorded exactly once, in order"
  else
    bad "$1: '$2 $3'..'$2 $4' once each expected"
    diff <(echo "$want" | tr ' ' '\n') <(echo "$got" | tr ' ' '\n') | head -10 | sed 's/^/      | /'
  fi
}

# ------------------------------------------------ first start: existing lines are old
printf 'line 0\n' > "$LOGS/app.log"
printf 'web 0\n' > "$LOGS/a-access.log"
start_daemon

# ------------------------------------------------ lines flowing, rotations, two kill -9
# The writer: app.log gets "line 1".."line 3000" at about 3000 lines/s, rotated
# by rename+create (reopened 50 ms later), by copytruncate, and by deletion and
# re-creation; a-access.log gets "web 1".."web 300", b-access.log appears with
# "web 301".."web 400". WRITER_PAUSE makes it wait (luruse is down) before a
# rotation, so that one rotation happens while luruse is stopped.
cat > "$W/writer.py" <<'PY'
import os, sys, time
logs = sys.argv[1]
app = os.path.join(logs, "app.log")
def opened(p):
    return open(p, "ab", buffering=0)
def wait_for(name):
    open(os.path.join(logs, name + ".reached"), "w").close()
    while not os.path.exists(os.path.join(logs, name)):
        time.sleep(0.01)
f = opened(app)
acc = opened(os.path.join(logs, "a-access.log"))
reopen_at = None
for i in range(1, 3001):
    f.write(b"line %d\n" % i)
    if i <= 300:
        acc.write(b"web %d\n" % i)
    if i == 600:   # logrotate's create: renamed, a new empty file, the writer
        os.rename(app, app + ".1")   # goes on in the old one until it reopens
        open(app, "wb").close()
        reopen_at = 640
    if i == reopen_at:
        time.sleep(0.05)
        f.close()
        f = opened(app)
    if i == 900:   # luruse is back from the first kill -9 before the next rotation
        wait_for("go1")
    if i == 1200:  # copytruncate
        with open(app, "rb") as src, open(app + ".1", "wb") as dst:
            dst.write(src.read())
        os.truncate(app, 0)
    if i == 1500:  # luruse is killed here; lines written, then renamed away, while it is down
        wait_for("down")
    if i == 1510:
        os.rename(app, app + ".1")
        f.close()
        f = opened(app)
        wait_for("go2")
    if i == 2100:  # deleted and created again
        f.close()
        os.unlink(app)
        f = opened(app)
    if i == 2400:
        b = opened(os.path.join(logs, "b-access.log"))
        for k in range(301, 401):
            b.write(b"web %d\n" % k)
        b.close()
    if i % 10 == 0:
        time.sleep(0.01)
f.write(b"bin caf\xe9 \xff\n")
f.write(b"line 3001 with a NUL \x00 and \xfe\n")
f.close()
acc.close()
PY
python3 "$W/writer.py" "$LOGS" &
WPID=$!
sleep 0.$((RANDOM % 6 + 2))
kill -KILL "$LPID"; wait "$LPID" 2> /dev/null
ok "kill -9 while lines flow"
start_daemon
touch "$LOGS/go1"
wait_until 30 test -e "$LOGS/down.reached" || bad "the writer did not reach line 1500"
sleep 0.$((RANDOM % 3 + 1))
kill -KILL "$LPID"; wait "$LPID" 2> /dev/null
touch "$LOGS/down"
wait_until 10 test -e "$LOGS/go2.reached" || bad "the writer did not rotate"
start_daemon
touch "$LOGS/go2"
wait "$WPID" || bad "the writer failed"
# the last lines: recorded once the daemon committed them (every second)
wait_until 20 recorded_once "app line 3001" \
  || bad "the last line was not recorded within 20 s"
# the access logs are plain: their lines keep their identifier
wait_until 10 recorded_once "web web 400" \
  || bad "b-access.log's last line was not recorded"
stop_daemon

exactly_once "app.log: rotations and kill -9" "app line" 1 3001
exactly_once "the access logs' glob, b-access.log appearing later" "web web" 1 400
n=$(recorded | grep -cxF "app line 0")
[ "$n" = 0 ] && ok "the lines there before the first start are not read" || bad "'line 0' recorded $n times"
grep -q "rotated while luruse was stopped: finishing $LOGS/app.log.1" "$W"/run.3.err \
  && ok "the file rotated while luruse was down is finished from app.log.1" \
  || bad "no 'finishing app.log.1' in run 3's log"
got=$(recorded | grep "^app bin ")
[ "$got" = "app bin café ÿ" ] && ok "an 8-bit line is decoded (ISO-8859-1)" \
  || bad "8-bit line recorded as [$got]"
sqlite3 "$ST/luruse.db" "SELECT key FROM meta WHERE key LIKE 'file:%' ORDER BY key" > "$W/keys"
[ "$(cat "$W/keys")" = "file:$LOGS/a-access.log
file:$LOGS/app.log
file:$LOGS/b-access.log" ] && ok "positions saved for the three files" || bad "positions: $(cat "$W/keys")"
sanitizer_clean

# ------------------------------------------------ restart: nothing read twice
start_daemon
printf 'line 3002\n' >> "$LOGS/app.log"
wait_until 10 recorded_once "app line 3002" \
  || bad "a line after the restart was not recorded"
stop_daemon
exactly_once "a clean restart" "app line" 1 3002

# ------------------------------------------------ a reload that names another file
printf 'line 9000\n' > "$LOGS/extra.log"
start_daemon
sed 's|^L.chain "Lines"|L.file { "'"$LOGS"'/extra.log", identifier = "extra" }\n&|' "$W/rules.lua" > "$W/rules2.lua"
cp "$W/rules.lua" "$W/rules1.lua"
cp "$W/rules2.lua" "$W/rules.lua"
kill -HUP "$LPID"
wait_until 10 grep -qF "rules reloaded" "$ERR" || bad "no reload logged"
printf 'line 9001\n' >> "$LOGS/extra.log"
printf 'line 3003\n' >> "$LOGS/app.log"
wait_until 10 recorded_once "extra line 9001" \
  && ok "a file named by reloaded rules is followed (from its end)" || bad "extra.log's new line not recorded"
n=$(recorded | grep -cxF "extra line 9000")
[ "$n" = 0 ] || bad "extra.log's line from before the reload recorded $n times"
stop_daemon
exactly_once "the files followed before the reload keep their place" "app line" 1 3003
cp "$W/rules1.lua" "$W/rules.lua"

# ------------------------------------------------ a file luruse cannot read, then can
if command -v setpriv > /dev/null; then
  U=$W/unpriv
  mkdir -p "$U/logs" "$U/journal"
  printf 'line 1\n' > "$U/logs/app.log"
  chmod 000 "$U/logs/app.log"
  sed -e "s|$ST|$U/state|" -e "s|$LOGS|$U/logs|g" "$W/rules.lua" > "$U/rules.lua"
  chmod 755 "$W" "$U" "$U/logs" "$U/journal"
  chmod 644 "$U/rules.lua"
  mkdir -p "$U/state" && chown 65534:65534 "$U/state"
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$LURUSE_BIN" run -c "$U/rules.lua" --journal-dir "$U/journal" > /dev/null 2> "$U/run.err" &
  UPID=$!
  wait_until 15 grep -qF "app.log: cannot open: Permission denied" "$U/run.err" \
    && ok "an unreadable file is logged" || { bad "no 'Permission denied' logged"; tail -5 "$U/run.err"; }
  kill -0 "$UPID" 2> /dev/null && ok "the daemon runs on" || bad "the daemon stopped"
  printf 'line 2\n' >> "$U/logs/app.log"
  chmod 644 "$U/logs/app.log"
  wait_until 10 grep -qF "app.log: readable now" "$U/run.err" \
    && ok "retried: readable once the permission is given" || bad "no 'readable now' logged"
  # read as the daemon's user: root's reader must not leave root's files in its storage
  u_recorded() { setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$LURUSE_BIN" report -c "$U/rules.lua" --list | cut -f5-; }
  u_two() { [ "$(u_recorded | wc -l)" = 2 ]; }
  wait_until 10 u_two && ok "its lines are read from its start once readable" \
    || bad "lines recorded: $(u_recorded)"
  kill -TERM "$UPID"
  wait "$UPID" || bad "the unprivileged daemon's exit status: $?"
  grep -qE 'AddressSanitizer|runtime error:' "$U/run.err" && bad "sanitizer report (unprivileged run)"
else
  echo "SKIP: setpriv is missing: the unreadable-file part is not run"
fi

[ "$FAILURES" -eq 0 ]
