#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_storage_lock.sh:  storage_lock_ns.sh WORKDIR
set -u
W=$1
: "${LURUSE_BIN:?}" "${HOST_NETNS:?}"
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
[ "$(readlink /proc/self/ns/net)" != "$HOST_NETNS" ] || { bad "not in a private namespace"; exit 1; }
S=$W/state

# stand-ins: ipset records its calls; sendmail hangs while $W/hang exists
cat > "$W/ipset.sh" <<SH
#!/bin/sh
echo "\$*" >> "$W/ipset.calls"
SH
cat > "$W/sendmail.sh" <<SH
#!/bin/sh
cat > /dev/null
[ -e "$W/hang" ] || exit 0
echo \$\$ > "$W/sendmail.pid"
exec sleep 60
SH
chmod +x "$W/ipset.sh" "$W/sendmail.sh"
RULES=$W/rules.lua
cat > "$RULES" <<LUA
local L = require "luruse"
L.config {
  email = { to = { "admin@test.invalid" }, sendmail = { "$W/sendmail.sh" }, timeoutSeconds = 60 },
  ipsetBan = { ipset = { "$W/ipset.sh" } },
}
L.chain "Alert" { L.pcre("MESSAGE", [[^alert (?<x>\S+)$]]), L.email("alert {x}", "Alert {x}") }
L.chain "Replayed" { L.pcre("MESSAGE", [[^replayed (?<n>\S+)$]]), L.report("WARN", "replayed {n}") }
LUA
# the same rules with the storage as their setting
sed "s|^L.config {|L.config {\n  storage = \"$S\",|" "$RULES" > "$W/rules-storage.lua"
"$LURUSE_BIN" check -c "$W/rules-storage.lua" --quiet || bad "rules-storage.lua does not compile"
mkdir -p "$W/nojournal"
LOG=$W/log.txt
: > "$LOG"

ERR=
start_daemon() { # NAME
  ERR=$W/$1.err
  "$LURUSE_BIN" run -c "$RULES" --storage "$S" --journal-dir "$W/nojournal" --file "$LOG" \
    --identifier t > /dev/null 2> "$ERR" &
  LPID=$!
  wait_until 15 grep -qF "luruse running" "$ERR" || { bad "$1 did not start: $(tail -3 "$ERR")"; exit 1; }
}
replayed_in() { "$LURUSE_BIN" report -c "$RULES" --storage "$1" 2> /dev/null | grep -c "replayed $2"; }
echo "replayed one" > "$W/one.txt"
echo "replayed two" > "$W/two.txt"

start_daemon first
assert_eq "the lock file says who holds it" "$LPID run" "$(cat "$S/luruse.lock")"
assert_eq "the lock file is mode 0600" 600 "$(stat -c %a "$S/luruse.lock")"

"$LURUSE_BIN" replay -c "$RULES" --storage "$S" --lines "$W/one.txt" > "$W/r1.out" 2> "$W/r1.err"
rc=$?
[ $rc -eq 1 ] && grep -qF "luruse replay: the storage $S is in use by luruse run, pid $LPID" "$W/r1.err" \
  && grep -qF -- "--storage DIR" "$W/r1.err" \
  && ok "replay on the daemon's storage (--storage) refused: $(cat "$W/r1.err")" \
  || bad "replay on the daemon's storage: exit $rc: $(cat "$W/r1.err")"
"$LURUSE_BIN" replay -c "$W/rules-storage.lua" --lines "$W/one.txt" > "$W/r2.out" 2> "$W/r2.err"
rc=$?
[ $rc -eq 1 ] && grep -qF "the storage $S is in use by luruse run, pid $LPID" "$W/r2.err" \
  && ok "replay on the daemon's storage (the rules' storage setting) refused" \
  || bad "replay with the storage setting: exit $rc: $(cat "$W/r2.err")"
assert_eq "the refused replays wrote nothing there" 0 "$(replayed_in "$S" one)"
"$LURUSE_BIN" replay -c "$RULES" --storage "$W/other" --lines "$W/one.txt" --quiet > "$W/r3.out" 2> "$W/r3.err"
rc=$?
[ $rc -eq 0 ] && [ "$(replayed_in "$W/other" one)" = 1 ] \
  && ok "replay into another storage works while the daemon runs" || bad "replay elsewhere: exit $rc: $(cat "$W/r3.err")"

"$LURUSE_BIN" run -c "$RULES" --storage "$S" --journal-dir "$W/nojournal" > /dev/null 2> "$W/second.err"
rc=$?
[ $rc -eq 1 ] && grep -qF "the storage $S is in use by luruse run, pid $LPID" "$W/second.err" \
  && kill -0 "$LPID" && ok "a second luruse run on the storage refused: $(cat "$W/second.err")" \
  || bad "second luruse run: exit $rc: $(cat "$W/second.err")"

# restore and import-pyruse-bans work beside the daemon (they only add and
# re-apply ban records, which the daemon keeps in the database, not in memory)
future=$(( $(date +%s) + 3600 ))
printf '[{"IP": "192.0.2.1", "nfSet": "bans4", "timestamp": %s}]' "$future" > "$W/action_ipsetBan.py.json"
"$LURUSE_BIN" import-pyruse-bans --storage "$S" "$W/action_ipsetBan.py.json" > "$W/import.out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "^1 ban imported" "$W/import.out" && ok "import-pyruse-bans beside the daemon: $(head -c 40 "$W/import.out")" \
  || bad "import-pyruse-bans: exit $rc: $(cat "$W/import.out")"
"$LURUSE_BIN" restore -c "$RULES" --storage "$S" > "$W/restore.out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -qF "1 ban re-applied, 0 failed" "$W/restore.out" && grep -q "192.0.2.1" "$W/ipset.calls" \
  && ok "restore beside the daemon: $(cat "$W/restore.out")" || bad "restore: exit $rc: $(cat "$W/restore.out")"
"$LURUSE_BIN" bans --storage "$S" > "$W/bans.out" 2>&1
grep -q "192.0.2.1 .* applied" "$W/bans.out" && ok "the daemon lists the imported, restored ban as applied" \
  || bad "luruse bans: $(cat "$W/bans.out")"

# SIGKILL while the daemon's sendmail runs: the lock goes with the daemon
touch "$W/hang"
echo "alert x" >> "$LOG"
wait_until 10 test -s "$W/sendmail.pid" || bad "sendmail did not start"
kill -KILL "$LPID"; wait "$LPID" 2> /dev/null; LPID=
SPID=$(cat "$W/sendmail.pid")
kill -0 "$SPID" 2> /dev/null && ok "the killed daemon's sendmail still runs (pid $SPID)" \
  || bad "sendmail is gone: the next check proves nothing"
rm -f "$W/hang" # the replay sends the email the killed daemon left: at once
"$LURUSE_BIN" replay -c "$RULES" --storage "$S" --lines "$W/one.txt" --quiet > "$W/r4.out" 2> "$W/r4.err"
rc=$?
[ $rc -eq 0 ] && [ "$(replayed_in "$S" one)" = 1 ] \
  && ok "after the daemon's SIGKILL a replay works there, though its sendmail lives on" \
  || bad "replay after SIGKILL: exit $rc: $(cat "$W/r4.err")"
kill "$SPID" 2> /dev/null

# and after a clean stop
start_daemon again
"$LURUSE_BIN" replay -c "$RULES" --storage "$S" --lines "$W/two.txt" > /dev/null 2> "$W/r5.err"
[ $? -eq 1 ] && ok "the restarted daemon holds the lock again" || bad "replay beside the restarted daemon: $(cat "$W/r5.err")"
kill -TERM "$LPID"; wait "$LPID"; rc=$?; LPID=
[ $rc -eq 0 ] || bad "daemon exit $rc after SIGTERM"
"$LURUSE_BIN" replay -c "$RULES" --storage "$S" --lines "$W/two.txt" --quiet > /dev/null 2> "$W/r6.err"
rc=$?
[ $rc -eq 0 ] && [ "$(replayed_in "$S" two)" = 1 ] && ok "after a clean stop a replay works there" \
  || bad "replay after the stop: exit $rc: $(cat "$W/r6.err")"
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W"/*.err; then
  bad "sanitizer report:"; grep -lE 'Sanitizer|runtime error' "$W"/*.err
else ok "no sanitizer report"; fi
echo "storage lock checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
