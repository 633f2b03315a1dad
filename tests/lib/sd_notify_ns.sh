#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_sd_notify.sh:  sd_notify_ns.sh WORKDIR
# luruse run follows a text file (--file) with NOTIFY_SOCKET pointing at a
# recorder (sd_notify_listen.py) and a 1 s watchdog; its storage is the
# default /var/lib/luruse, on a tmpfs of this namespace, so that `luruse
# reload` finds it without --storage even when the rules do not read.
set -u
W=$1
: "${LURUSE_BIN:?}" "${HOST_NETNS:?}"
LIB=$(dirname "${BASH_SOURCE[0]}")
. "$LIB/ns_common.sh"
[ "$(readlink /proc/self/ns/net)" != "$HOST_NETNS" ] || { bad "not in a private namespace"; exit 1; }
mount -t tmpfs tmpfs /var/lib || { bad "cannot mount a tmpfs on /var/lib"; exit 1; }
S=/var/lib/luruse
CHECK="python3 $LIB/sd_notify_check.py"

LISTENER=
cleanup() {
  local p
  for p in $LPID $LISTENER; do kill -KILL "$p" 2> /dev/null; wait "$p" 2> /dev/null; done
}
# listen LOG: records what arrives on $W/notify.sock into LOG
listen() {
  rm -f "$W/notify.sock"
  python3 "$LIB/sd_notify_listen.py" "$W/notify.sock" "$1" &
  LISTENER=$!
  wait_until 5 test -S "$W/notify.sock" || bad "the recorder did not start"
}

cat > "$W/ipset.sh" <<SH
#!/bin/sh
echo "\$*" >> "$W/ipset.calls"
SH
chmod +x "$W/ipset.sh"
RULES=$W/rules.lua
cat > "$W/good.lua" <<LUA
local L = require "luruse"
L.config {
  email = { to = { "admin@test.invalid" }, sendmail = { "/bin/false" } },
  ipsetBan = { ipset = { "$W/ipset.sh" } },
}
L.chain "Alert" {
  L.pcre("MESSAGE", [[^alert (?<x>\S+)$]]),
  L.email("alert {x}", "Alert {x}"),
}
L.chain "Slow" {
  L.equals("MESSAGE", "slow"),
  L.action(function() os.execute("sleep 3") end),
}
LUA
cat > "$W/broken.lua" <<'LUA'
local L = require "luruse"
L.chain "X" {
  L.equals("MESSAGE"),
}
LUA
cp "$W/good.lua" "$RULES"
steps=$("$LURUSE_BIN" check -c "$RULES" --quiet > /dev/null && "$LURUSE_BIN" check -c "$RULES" | head -1 | sed -n 's/.* \([0-9]*\) steps$/\1/p')

# two bans recorded before the start: the daemon applies them (the stand-in
# ipset), and counts them in force
future=$(( $(date +%s) + 3600 ))
printf '[{"IP": "192.0.2.1", "nfSet": "bans4", "timestamp": %s}, {"IP": "192.0.2.2", "nfSet": "bans4", "timestamp": 0}]' \
  "$future" > "$W/action_ipsetBan.py.json"
"$LURUSE_BIN" import-pyruse-bans -c "$RULES" "$W/action_ipsetBan.py.json" > "$W/import.out" 2>&1 \
  || bad "import-pyruse-bans: $(cat "$W/import.out")"

LOG=$W/log.txt
: > "$LOG"
mkdir -p "$W/nojournal"
NLOG=$W/notify.log
listen "$NLOG"
export NOTIFY_SOCKET=$W/notify.sock
# WATCHDOG_PID must be luruse's own pid: the shell's, which exec keeps
WATCHDOG_USEC=1000000 sh -c 'export WATCHDOG_PID=$$; exec "$0" run -c "$1" --journal-dir "$2" --file "$3" --identifier t' \
  "$LURUSE_BIN" "$RULES" "$W/nojournal" "$LOG" 2> "$W/luruse.err" &
LPID=$!
said() { grep -qF -- "$1" "$NLOG"; }
if wait_until 15 said "READY=1"; then ok "READY=1 arrived ($(elapsed))"
else bad "no READY=1: $(tail -5 "$W/luruse.err")"; exit 1; fi
first=$(head -1 "$NLOG" | cut -f2)
case $first in
  "READY=1|STATUS=running: rules $RULES ($steps steps)|WATCHDOG=1") ok "the first message: $first" ;;
  *) bad "the first message: $first" ;;
esac

# entries, bans and emails for the status line
for i in $(seq 1 100); do echo "line $i"; done >> "$LOG"
printf 'alert a\nalert b\n' >> "$LOG"
periodic_with() { grep -E "STATUS=[0-9]+ entries" "$NLOG" | tail -1 | grep -qF -- "$1"; }
if wait_until 14 periodic_with "102 entries"; then
  line=$(grep -E "STATUS=[0-9]+ entries" "$NLOG" | tail -1 | cut -f2)
  ok "a periodic status line: $line"
  case $line in
    *", 2 bans in force, 2 emails waiting") ok "it counts the 2 bans in force and the 2 emails waiting" ;;
    *) bad "figures of the status line: $line" ;;
  esac
else bad "no status line with the 102 entries read: $(grep STATUS= "$NLOG" | tail -2 | tr '\n' ' ')"; fi
[ "$(wc -l < "$W/ipset.calls" 2> /dev/null)" = 2 ] && ok "the 2 recorded bans were applied at the start" \
  || bad "ipset stand-in calls: $(cat "$W/ipset.calls" 2> /dev/null)"
r=$($CHECK rates "$NLOG") && ok "status lines are every 5 s and rate x seconds = entries read: $r" \
  || bad "status lines: $r"
w=$($CHECK watchdog "$NLOG" 0) || bad "watchdog: $w"
read -r n gap _ <<< "$w"
if [ "${n:-0}" -ge 8 ] && awk -v g="${gap:-9}" 'BEGIN { exit !(g < 0.8) }'; then
  ok "WATCHDOG=1 every half interval: $n pings, longest gap $gap s"
else bad "watchdog pings: $w"; fi

# good reloads: SIGHUP, then `luruse reload` (no --storage: the default)
kill -HUP "$LPID"
wait_until 5 eval '[ "$(grep -c "STATUS=rules reloaded" "$NLOG")" -ge 1 ]' || bad "no status after SIGHUP"
st=$($CHECK reload "$NLOG" 1) && [ "$st" = "rules reloaded ($steps steps)" ] \
  && ok "SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1 with STATUS=$st" || bad "SIGHUP reload: $st"
"$LURUSE_BIN" reload -c "$RULES" > "$W/reload.out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -qxF "rules reloaded ($steps steps)" "$W/reload.out" \
  && ok "luruse reload exits 0: $(cat "$W/reload.out")" || bad "luruse reload: exit $rc: $(cat "$W/reload.out")"
st=$($CHECK reload "$NLOG" 2) && [ "$st" = "rules reloaded ($steps steps)" ] \
  && ok "luruse reload: RELOADING=1, then READY=1 with STATUS=$st" || bad "luruse reload: $st"

# broken rules: `luruse reload` still finds the daemon (the default storage),
# which says what is wrong; SIGHUP tells it in STATUS too
cp "$W/broken.lua" "$RULES"
"$LURUSE_BIN" reload -c "$RULES" > "$W/bad.out" 2> "$W/bad.err"
rc=$?
[ $rc -eq 1 ] && grep -qF "$RULES:3: equals" "$W/bad.err" && [ ! -s "$W/bad.out" ] \
  && ok "luruse reload of broken rules exits 1 with file:line on stderr: $(head -1 "$W/bad.err")" \
  || bad "luruse reload of broken rules: exit $rc: $(cat "$W/bad.out" "$W/bad.err")"
st=$($CHECK reload "$NLOG" 3)
case $st in "reload failed, old rules kept: $RULES:3: equals"*) ok "READY=1 with STATUS=$st" ;;
  *) bad "failed reload's status: $st" ;; esac
kill -HUP "$LPID"
wait_until 5 eval '[ "$(grep -c "STATUS=reload failed" "$NLOG")" -ge 2 ]' || bad "no failure status after SIGHUP"
st=$($CHECK reload "$NLOG" 4)
case $st in "reload failed, old rules kept: $RULES:3: equals"*) ok "SIGHUP with broken rules: READY=1, STATUS says so" ;;
  *) bad "SIGHUP failed reload's status: $st" ;; esac
n0=$(grep -cE "STATUS=[0-9]+ entries" "$NLOG")
wait_until 7 eval '[ "$(grep -cE "STATUS=[0-9]+ entries" "$NLOG")" -gt $n0 ]'
line=$(grep -E "STATUS=[0-9]+ entries" "$NLOG" | tail -1 | cut -f2)
case $line in *"; the last reload failed, old rules kept: $RULES:3: "*) ok "the periodic status keeps telling the failed reload" ;;
  *) bad "periodic status after the failed reload: $line" ;; esac
echo "alert c" >> "$LOG"
wait_until 5 eval '[ "$(grep -c "Alert c" "$W/luruse.err")" -ge 1 ]' \
  && ok "the old rules run on (alert c emailed)" || bad "the old rules did not handle alert c"
cp "$W/good.lua" "$RULES"
"$LURUSE_BIN" reload -c "$RULES" > "$W/reload2.out" 2>&1 && ok "fixed rules: luruse reload exits 0" \
  || bad "fixed rules: $(cat "$W/reload2.out")"
n0=$(grep -cE "STATUS=[0-9]+ entries" "$NLOG")
wait_until 7 eval '[ "$(grep -cE "STATUS=[0-9]+ entries" "$NLOG")" -gt $n0 ]'
line=$(grep -E "STATUS=[0-9]+ entries" "$NLOG" | tail -1 | cut -f2)
case $line in *"reload failed"*) bad "after a good reload: $line" ;;
  *"3 emails waiting") ok "after a good reload the status line is plain again: $line" ;;
  *) bad "status after the good reload: $line" ;; esac

# a step that sleeps 3 s holds the loop: no ping meanwhile, then they resume
from=$(( $(wc -l < "$NLOG") - 3 )) # with the last pings before it
echo slow >> "$LOG"
sleep 5.5
w=$($CHECK watchdog "$NLOG" "$from")
read -r n gap _ <<< "$w"
if awk -v g="${gap:-0}" 'BEGIN { exit !(g >= 2.5 && g < 4.5) }'; then
  ok "no ping while the step slept: a gap of $gap s (interval 1 s)"
else bad "watchdog around the slow step: $w"; fi
after=$(python3 - "$NLOG" "$from" <<'PY'
import sys
pings = [float(l.split("\t")[0]) for l in open(sys.argv[1]).readlines()[int(sys.argv[2]):] if "WATCHDOG=1" in l]
gaps = [b - a for a, b in zip(pings, pings[1:])]
i = gaps.index(max(gaps))
rest = gaps[i + 1:]
print(len(rest), "%.2f" % max(rest) if rest else "-")
PY
)
read -r n gap <<< "$after"
[ "${n:-0}" -ge 3 ] && awk -v g="$gap" 'BEGIN { exit !(g < 0.8) }' \
  && ok "the pings resumed: $n more, at most $gap s apart" || bad "after the slow step: $after"

kill -TERM "$LPID"
wait "$LPID"
rc=$?
LPID=
[ $rc -eq 0 ] && ok "luruse stopped on SIGTERM (exit 0)" || bad "exit $rc after SIGTERM"
case $(grep -v "WATCHDOG=1$" "$NLOG" | tail -1 | cut -f2) in
  STOPPING=1*) ok "STOPPING=1 was the last word" ;;
  *) bad "last message: $(tail -2 "$NLOG" | tr '\n' ' ')" ;;
esac
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W/luruse.err"; then
  bad "sanitizer report:"; head -30 "$W/luruse.err" | sed 's/^/      | /'
else ok "no sanitizer report"; fi

# a watchdog meant for another process: no pings from this one
kill "$LISTENER"; wait "$LISTENER" 2> /dev/null
listen "$W/notify2.log"
WATCHDOG_USEC=1000000 WATCHDOG_PID=1 "$LURUSE_BIN" run -c "$RULES" --journal-dir "$W/nojournal" \
  2> "$W/luruse2.err" &
LPID=$!
wait_until 15 grep -qF "READY=1" "$W/notify2.log" || bad "second run: no READY=1"
sleep 1.6
kill -TERM "$LPID"; wait "$LPID"; LPID=
if grep -qF "WATCHDOG=1" "$W/notify2.log"; then bad "WATCHDOG_PID of another process, yet pings: $(cat "$W/notify2.log")"
else ok "WATCHDOG_PID of another process: no ping"; fi
echo "sd_notify checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
