#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_own_table.sh:  own_table_ns.sh WORKDIR
# luruse's own nftables table on a firewall with nothing in it: made by the
# daemon at start, idempotent, back after `nft flush ruleset` + `luruse
# restore`; the sshd jail bans an attacker in another network namespace (veth
# pair): its TCP connect fails while banned, succeeds after `luruse unban`;
# the next ban lasts twice as long, across a restart; loopback and this host's
# own address are never banned.
set -u
W=$1
: "${LURUSE_BIN:?}" "${LURUSE_SRC:?}" "${HOST_NETNS:?}"
NFT=/usr/sbin/nft
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
FAILURES=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; FAILURES=$((FAILURES + 1)); }

if [ "$(readlink /proc/self/ns/net)" = "$HOST_NETNS" ]; then
  echo "FAIL - still in the host's network namespace: refusing to touch any firewall"
  exit 1
fi
[ -S /run/systemd/journal/socket ] && { echo "FAIL - a journald socket is visible"; exit 1; }
"$NFT" list ruleset > /dev/null 2>&1 || { echo "SKIP: no nftables in this kernel"; exit 77; }

# ------------------------------------------------ the network: us 192.0.2.1, the attacker 192.0.2.2
ip link set lo up
unshare -n sleep 300 &
PEER=$!
sleep 0.2
ip link add va type veth peer name vb netns "$PEER" || { echo "SKIP: no veth"; exit 77; }
ip addr add 192.0.2.1/24 dev va && ip link set va up
nsenter -t "$PEER" -n sh -c 'ip link set lo up; ip addr add 192.0.2.2/24 dev vb; ip link set vb up'
python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 2222)); s.listen(50)
while True:
    c, _ = s.accept(); c.close()' &
SERVER=$!
trap 'kill $PEER $SERVER 2> /dev/null' EXIT
# connects: 0 when the attacker's TCP connect to us succeeds within 2 s
connects() {
  nsenter -t "$PEER" -n python3 -c '
import socket, sys
s = socket.socket(); s.settimeout(2)
try:
    s.connect(("192.0.2.1", 2222)); sys.exit(0)
except OSError:
    sys.exit(1)'
}
wait_until 5 connects && ok "before any ban, the attacker connects" || bad "the attacker cannot connect at all"

# ------------------------------------------------ rules: the shipped sshd jail, lines from a file
LOG=$W/auth.log
: > "$LOG"
mkdir -p "$W/journal"
cat > "$W/rules.lua" <<LUA
local L = require "luruse"
L.config { storage = "$W/state", email = { to = { "root@localhost" }, sendmail = { "/bin/false" } } }
L.include "$LURUSE_SRC/rules/jails/sshd.lua"
L.chain "Rest" { L.noop() }
LUA
RUNS=0
start_daemon() {
  RUNS=$((RUNS + 1))
  ERR=$W/run.$RUNS.err
  "$LURUSE_BIN" run -c "$W/rules.lua" --journal-dir "$W/journal" --file "$LOG" --identifier sshd \
    > /dev/null 2> "$ERR" &
  LPID=$!
  wait_until 15 grep -qF "luruse running" "$ERR" || { bad "run $RUNS did not start"; tail -5 "$ERR"; }
}
stop_daemon() {
  kill -TERM "$LPID"; wait "$LPID" || bad "luruse exit status after SIGTERM: $?"
  grep -qE 'AddressSanitizer|runtime error:' "$ERR" && bad "sanitizer report in run $RUNS"
}
fail_from() { # ADDR N
  for _ in $(seq "$2"); do echo "Failed password for root from $1 port 4242 ssh2" >> "$LOG"; done
}
rules_in() { "$NFT" list chain inet luruse "$1" | grep -c 'drop$'; }
timeout_of() { "$NFT" list set inet luruse ban4 | grep -oE "$1 timeout [0-9a-z]+" | awk '{print $3}'; }
banned() { "$NFT" list set inet luruse ban4 | grep -qF "$1"; }

start_daemon
if "$NFT" list table inet luruse > "$W/table" 2>&1; then
  ok "the daemon made its table on an empty firewall"
else
  bad "no table inet luruse: $(cat "$W/table")"
fi
for s in "set ban4" "set ban6" "set net4" "set net6" "chain input" "chain forward" \
         "hook input priority filter - 5" "hook forward priority filter - 5"; do
  grep -qF "$s" "$W/table" || bad "the table lacks '$s'"
done
[ "$(rules_in input)" = 4 ] && [ "$(rules_in forward)" = 4 ] && ok "4 drop rules in input and in forward" \
  || bad "drop rules: input $(rules_in input), forward $(rules_in forward)"

# allowlisted: loopback and our own address, never banned however often
fail_from 127.0.0.1 8
fail_from 192.0.2.1 8
fail_from 192.0.2.2 4
sleep 1.5
banned 192.0.2.2 && bad "banned after 4 failures (maxretry is 5)"
fail_from 192.0.2.2 1
wait_until 5 banned 192.0.2.2 && ok "the 5th failure bans 192.0.2.2" || bad "192.0.2.2 not banned"
banned 127.0.0.1 && bad "loopback banned"
banned 192.0.2.1 && bad "our own address banned"
grep -qF "jail sshd: banned 192.0.2.2 for 3600s (ban 1" "$ERR" && ok "the first ban lasts 1h" \
  || bad "no 'banned 192.0.2.2 for 3600s (ban 1' logged"
connects && bad "the banned attacker still connects" || ok "the banned attacker's connect fails"
"$LURUSE_BIN" status --storage "$W/state" > "$W/status" 2>&1
grep -qE "allowlisted addresses, spared: 16$" "$W/status" && ok "status: 16 failures spared" \
  || bad "status: $(grep -i spared "$W/status")"
stop_daemon

# nftables.service reload: everything gone; restore puts table and ban back
"$NFT" flush ruleset
"$NFT" list table inet luruse > /dev/null 2>&1 && bad "flush ruleset left the table"
"$LURUSE_BIN" restore -c "$W/rules.lua" > "$W/restore.out" 2>&1 || bad "restore failed: $(cat "$W/restore.out")"
banned 192.0.2.2 && ok "restore after a flush: table and ban back" || bad "no ban after restore"
"$LURUSE_BIN" restore -c "$W/rules.lua" > "$W/restore2.out" 2>&1 || bad "second restore failed"
[ "$(rules_in input)" = 4 ] && [ "$(rules_in forward)" = 4 ] && ok "restore twice: still 4 rules a chain" \
  || bad "after two restores: input $(rules_in input), forward $(rules_in forward)"
connects && bad "connect succeeds after restore" || ok "the attacker is still kept out"

# unban, then a second ban across a restart: twice as long
start_daemon
"$LURUSE_BIN" unban 192.0.2.2 --storage "$W/state" > "$W/unban.out" 2>&1 || bad "unban: $(cat "$W/unban.out")"
wait_until 5 connects && ok "after luruse unban, the attacker connects" || bad "still kept out after unban"
# manual bans: never an allowlisted address without --force
for a in 127.0.0.1 192.0.2.1; do
  if "$LURUSE_BIN" ban "$a" --storage "$W/state" > "$W/ban.out" 2>&1; then
    bad "luruse ban $a (allowlisted) succeeded"
  else
    grep -qF "ban: $a is allowlisted" "$W/ban.out" && ok "luruse ban $a refused: allowlisted" \
      || bad "luruse ban $a: $(cat "$W/ban.out")"
  fi
done
banned 192.0.2.1 && bad "a refused ban reached nftables"
"$LURUSE_BIN" ban 192.0.2.1 --force --for 60 --storage "$W/state" > "$W/ban.out" 2>&1 \
  && banned 192.0.2.1 && ok "luruse ban --force bans it, into the own table's ban4" \
  || bad "ban --force: $(cat "$W/ban.out")"
"$LURUSE_BIN" unban 192.0.2.1 --storage "$W/state" > /dev/null 2>&1 || bad "unban 192.0.2.1"
stop_daemon
start_daemon
fail_from 192.0.2.2 5
wait_until 5 banned 192.0.2.2 || bad "no second ban"
grep -qF "jail sshd: banned 192.0.2.2 for 7200s (ban 2" "$ERR" && ok "the second ban, after a restart, lasts 2h" \
  || { bad "second ban's length"; grep "banned" "$ERR"; }
[ "$(timeout_of 192.0.2.2)" = 2h ] && ok "nftables holds it with timeout 2h" || bad "timeout: $(timeout_of 192.0.2.2)"
stop_daemon

# Pyruse's ban records: imported, then applied by restore
now=$(date +%s)
cat > "$W/action_nftBan.py.json" <<JSON
[{"IP": "192.0.2.3", "nfSet": "inet luruse ban4", "timestamp": $((now + 3600)).5},
 {"IP": "2001:DB8::5", "nfSet": "inet luruse ban6", "timestamp": 0},
 {"IP": "192.0.2.4", "nfSet": "inet luruse ban4", "timestamp": $((now - 10))},
 {"IP": "1.2.3.4} ; flush ruleset", "nfSet": "inet luruse ban4", "timestamp": 0},
 {"IP": "192.0.2.6", "nfSet": "ip6 x y", "timestamp": 0},
 {"IP": "192.0.2.7", "nfSet": "inet luruse ban4", "timestamp": 1e300}]
JSON
"$LURUSE_BIN" import-pyruse-bans -c "$W/rules.lua" "$W/action_nftBan.py.json" > "$W/import.out" 2>&1
[ $? -eq 1 ] && grep -qF "2 bans imported, 1 already over, 3 skipped" "$W/import.out" \
  && grep -qF "record 6: timestamp 1e+300 is out of range: skipped" "$W/import.out" \
  && ok "import-pyruse-bans: 2 imported, the ended one and 3 bad records skipped (exit 1)" \
  || bad "import: $(cat "$W/import.out")"
"$LURUSE_BIN" restore -c "$W/rules.lua" > "$W/restore3.out" 2>&1 || bad "restore after import: $(cat "$W/restore3.out")"
banned 192.0.2.3 && "$NFT" list set inet luruse ban6 | grep -qF "2001:db8::5" \
  && ok "restore applies the imported bans (IPv4 timed, IPv6 permanent)" || bad "imported bans not applied"
banned 192.0.2.4 && bad "an ended Pyruse ban was applied"
banned 192.0.2.7 && bad "a ban with an out-of-range end was applied"
"$NFT" list ruleset | grep -qF "table inet luruse" || bad "the hostile record flushed the ruleset"
[ "$FAILURES" -eq 0 ]
