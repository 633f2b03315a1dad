#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_bans_netns.sh:  bans_netns_ns.sh WORKDIR
# Every nft and ipset command here, and luruse's own, changes this namespace's
# firewall only. Prints ok/FAIL lines; exits 0 when every check passed, 77
# when the kernel offers no nftables or ipset here.
set -u
W=$1
: "${LURUSE_BIN:?}" "${HOST_NETNS:?}"
NFT=/usr/sbin/nft
IPSET=/usr/sbin/ipset
REMOTE=/lib/systemd/systemd-journal-remote
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"

if [ "$(readlink /proc/self/ns/net)" = "$HOST_NETNS" ]; then
  echo "FAIL - still in the host's network namespace: refusing to touch any firewall"
  exit 1
fi
if [ -S /run/systemd/journal/socket ]; then
  echo "FAIL - a journald socket is visible: luruse would log into that journal"
  exit 1
fi

no_sanitizer_report() {
  if grep -aqE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|internal error: assertion' "$2"; then
    bad "$1: sanitizer report:"; head -40 "$2" | sed 's/^/      | /'
  else ok "$1: no sanitizer report"; fi
}
# step_errors REPLAY-OUTPUT STEP: the errors column of the step table
step_errors() { sed -n '/^step  *type/,$p' "$1" | tail -n +2 | awk -v s="$2" '$1 == s { print $5 }'; }

# ------------------------------------------------ firewall of this namespace
if ! $NFT -f - 2> "$W/nft-setup.err" <<'NFT'
table ip I4 {
  set bans  { type ipv4_addr; flags timeout, interval; }
  set perm  { type ipv4_addr; flags timeout, interval; }
  set nets  { type ipv4_addr; flags timeout, interval; }
  set short { type ipv4_addr; flags timeout, interval; }
  set cmd   { type ipv4_addr; flags timeout, interval; }
}
table ip6 I6 {
  set bans  { type ipv6_addr; flags timeout, interval; }
  set perm  { type ipv6_addr; flags timeout, interval; }
  set nets  { type ipv6_addr; flags timeout, interval; }
  set short { type ipv6_addr; flags timeout, interval; }
  set cmd   { type ipv6_addr; flags timeout, interval; }
}
table inet sentinel {
  set keep { type ipv4_addr; elements = { 10.9.8.7 } }
  chain input { type filter hook input priority 0; policy accept; ip saddr @keep counter accept; }
}
NFT
then
  echo "SKIP: nft cannot create tables in a network namespace here: $(head -3 "$W/nft-setup.err")"
  exit 77
fi
for s in bans perm nets short; do
  $IPSET create "${s}4" hash:net timeout 0 2> "$W/ipset-setup.err" &&
    $IPSET create "${s}6" hash:net family inet6 timeout 0 2>> "$W/ipset-setup.err" || {
    echo "SKIP: ipset cannot create sets in a network namespace here: $(head -3 "$W/ipset-setup.err")"
    exit 77
  }
done
$IPSET create keep hash:ip && $IPSET add keep 10.9.8.7 || bad "ipset sentinel set"

# elems FAMILY TABLE SET: "address timeout" per element (timeout "-" when none), sorted
elems() {
  $NFT -j list set "$1" "$2" "$3" 2> /dev/null | python3 -c '
import json, sys
text = sys.stdin.read()
if not text.strip():
    print("(no such set)")
    sys.exit(0)
out = []
for o in json.loads(text)["nftables"]:
    for e in o.get("set", {}).get("elem", []):
        timeout = "-"
        if isinstance(e, dict) and "elem" in e:
            timeout = e["elem"].get("timeout", "-")
            e = e["elem"]["val"]
        if isinstance(e, dict) and "prefix" in e:
            e = "%s/%d" % (e["prefix"]["addr"], e["prefix"]["len"])
        out.append("%s %s" % (e, timeout))
print("\n".join(sorted(out)))'
}
addrs() { elems "$@" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//'; }
# ipset_elems NAME: "address timeout" per entry (0: permanent), sorted
ipset_elems() { $IPSET save "$1" | awk '$1 == "add" { print $3, ($4 == "timeout" ? $5 : "-") }' | sort; }
ipset_addrs() { ipset_elems "$1" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//'; }
# timeouts_within LOW HIGH: every second column of stdin is a number in [LOW, HIGH]
timeouts_within() { awk -v lo="$1" -v hi="$2" '$2 == "-" || $2 < lo || $2 > hi { bad = 1 } END { exit bad }'; }
records() { # DB: "backend|set|addr|permanent-or-timed" sorted
  python3 - "$1/luruse.db" <<'PY'
import sqlite3, sys
for b, s, a, u in sqlite3.connect(sys.argv[1]).execute(
        "SELECT backend, set_name, addr, until_usec FROM ban ORDER BY 1, 2, 3"):
    print("%s|%s|%s|%s" % (b, s, a, "permanent" if u == 0 else "timed"))
PY
}
sentinel_intact() {
  $NFT list set inet sentinel keep 2> /dev/null | grep -q "10.9.8.7" &&
    $NFT list chain inet sentinel input 2> /dev/null | grep -q "ip saddr @keep" &&
    $IPSET list keep 2> /dev/null | grep -qx "10.9.8.7"
}

# ------------------------------------------------ entries: good and hostile addresses
python3 - "$W" <<'PY'
import json, os, sys
w = sys.argv[1]
hostile = ["1.2.3.4} ; flush ruleset", "$(reboot)", "A" * 300, "1.2.3.4 timeout 1s", "`id`",
           "192.0.2.5;reboot", "-exist", "fe80::1%lo", "010.1.1.1", "0.0.0.0", "224.0.0.1"]
good = ["192.0.2.1", "::ffff:192.0.2.2", "2001:db8::1", "2001:DB8:0:0:0:0:0:2"]
t = 1773136800 * 1000000
entries = []
def add(msg):
    global t
    t += 1000
    entries.append("__REALTIME_TIMESTAMP=%d\nSYSLOG_IDENTIFIER=sshd\n_HOSTNAME=gw\nMESSAGE=%s\n\n" % (t, msg))
fail_values = good + hostile + ["192.0.2.1"]   # the last one: a re-ban
for v in fail_values:
    add("Failed password for root from %s port 22 ssh2" % v)
for v in ["198.51.100.1", "2001:db8::66", "$(reboot)"]:
    add("Invalid user admin from %s port 22" % v)
for v in ["203.0.113.77", "2001:db8:1:2::99"]:
    add("Did not receive identification string from %s port 22" % v)
add("Bad protocol version identification from 192.0.2.99 port 22")
add("Accepted publickey for root from 192.0.2.200 port 22 ssh2")
open(os.path.join(w, "ssh.export"), "w").write("".join(entries))
# what the exec action must receive: each value as one argument, untouched
with open(os.path.join(w, "exec.expected"), "w") as f:
    for v in sorted(json.dumps([v, "", "<" + v + ">"]) for v in fail_values):
        f.write(v + "\n")
open(os.path.join(w, "hostile.count"), "w").write(str(len(hostile)))
PY
HOSTILE=$(cat "$W/hostile.count")

chains_lua() { # BAN-ARGS-PREFIX (nft = {...} or ipset = {...} per chain)
  cat <<LUA
L.chain "Fail" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Failed password for \S+ from (?<clientIP>.*) port \d+]]),
  L.ban { ip = "clientIP", nft = { "ip I4 bans", "ip6 I6 bans" }, seconds = 3600 },
}
L.chain "Invalid" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Invalid user \S+ from (?<clientIP>.*) port \d+$]]),
  L.ban { ip = "clientIP", nft = { "ip I4 perm", "ip6 I6 perm" } },
}
L.chain "Ident" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Did not receive identification string from (?<clientIP>.*) port \d+$]]),
  L.ban { ip = "clientIP", nft = { "ip I4 nets", "ip6 I6 nets" }, seconds = 600, prefix4 = 24, prefix6 = 64 },
}
L.chain "Proto" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Bad protocol version identification from (?<clientIP>.*) port \d+$]]),
  L.ban { ip = "clientIP", nft = { "ip I4 short", "ip6 I6 short" }, seconds = 1 },
}
LUA
}
{ echo 'local L = require "luruse"'; chains_lua; } > "$W/nft.lua"

# ================================================ nftables through libnftables (Lua rules)
"$LURUSE_BIN" replay -c "$W/nft.lua" --storage "$W/st-nft" --export "$W/ssh.export" \
  > "$W/nft.out" 2> "$W/nft.err"
assert_eq "nft: replay exit status" 0 $?
no_sanitizer_report "nft: replay" "$W/nft.err"
assert_eq "nft: hostile values refused, one log line each" "$((HOSTILE + 1))" \
  "$(grep -c 'action_nftBan: refused to ban' "$W/nft.err")"
assert_contains "nft: refusal logged with the value escaped" "$W/nft.err" \
  'Fail[2] action_nftBan: refused to ban "1.2.3.4} ; flush ruleset" (field clientIP): not an IPv4 or IPv6 address'
assert_contains "nft: a 300-byte value is refused, its log line cut" "$W/nft.err" \
  'AAAA..." (field clientIP): value too long for an IP address (300 bytes)'
assert_contains "nft: \$(reboot) refused" "$W/nft.err" 'refused to ban "$(reboot)"'
assert_eq "nft: ban step errors = hostile values" "$HOSTILE" "$(step_errors "$W/nft.out" "Fail[2]")"
if grep -q "failed:" "$W/nft.err"; then bad "nft: a firewall change failed: $(grep -m3 'failed:' "$W/nft.err")"
else ok "nft: no firewall change failed"; fi
assert_eq "nft: IPv4 set holds the canonical addresses (mapped ::ffff: one included)" \
  "192.0.2.1 192.0.2.2" "$(addrs ip I4 bans)"
assert_eq "nft: IPv6 set holds the canonical addresses" "2001:db8::1 2001:db8::2" "$(addrs ip6 I6 bans)"
elems ip I4 bans | timeouts_within 3600 3600 && ok "nft: timeouts are banSeconds (3600)" \
  || bad "nft: timeouts: $(elems ip I4 bans | tr '\n' ';')"
$NFT list set ip I4 bans > "$W/I4bans.txt"
assert_contains "nft list shows 'timeout 1h expires'" "$W/I4bans.txt" "192.0.2.1 timeout 1h expires"
assert_eq "nft: permanent bans have no timeout" "198.51.100.1 - | 2001:db8::66 -" \
  "$(elems ip I4 perm) | $(elems ip6 I6 perm)"
assert_eq "nft: prefix bans (/24, /64) with their timeout" \
  "203.0.113.0/24 600 | 2001:db8:1:2::/64 600" "$(elems ip I4 nets) | $(elems ip6 I6 nets)"
sentinel_intact && ok "nft: the other table and the ipset sentinel are intact" \
  || bad "nft: the sentinel table or set was touched: $($NFT list ruleset | head -30)"
cat > "$W/nft.records.expected" <<EOF
nft|ip I4 bans|192.0.2.1|timed
nft|ip I4 bans|192.0.2.2|timed
nft|ip I4 nets|203.0.113.0/24|timed
nft|ip I4 perm|198.51.100.1|permanent
nft|ip I4 short|192.0.2.99|timed
nft|ip6 I6 bans|2001:db8::1|timed
nft|ip6 I6 bans|2001:db8::2|timed
nft|ip6 I6 nets|2001:db8:1:2::/64|timed
nft|ip6 I6 perm|2001:db8::66|permanent
EOF
assert_eq "nft: every ban recorded once, with its kind" "$(cat "$W/nft.records.expected")" \
  "$(records "$W/st-nft")"

# ------------------------------------------------ nftables.service reload: sets emptied, then restore
for s in bans perm nets short; do $NFT flush set ip I4 $s; $NFT flush set ip6 I6 $s; done
sleep 2 # the 1-second ban ends
"$LURUSE_BIN" restore -c "$W/nft.lua" --storage "$W/st-nft" > "$W/restore.out" 2> "$W/restore.err"
assert_eq "nft: luruse restore exit status" 0 $?
no_sanitizer_report "nft: restore" "$W/restore.err"
assert_contains "nft: restore tells how many" "$W/restore.out" "8 bans re-applied, 0 failed"
assert_eq "nft: restored IPv4 and IPv6 bans" "192.0.2.1 192.0.2.2 | 2001:db8::1 2001:db8::2" \
  "$(addrs ip I4 bans) | $(addrs ip6 I6 bans)"
{ elems ip I4 bans; elems ip6 I6 bans; } | timeouts_within 3500 3599 \
  && ok "nft: restored with their remaining time (3500..3599 s)" \
  || bad "nft: restored timeouts: $({ elems ip I4 bans; elems ip6 I6 bans; } | tr '\n' ';')"
assert_eq "nft: restored permanent bans, without timeout" "198.51.100.1 - | 2001:db8::66 -" \
  "$(elems ip I4 perm) | $(elems ip6 I6 perm)"
nets=$({ elems ip I4 nets; elems ip6 I6 nets; })
assert_eq "nft: restored prefix bans" "203.0.113.0/24 2001:db8:1:2::/64" \
  "$(echo "$nets" | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
echo "$nets" | timeouts_within 500 599 && ok "nft: prefix bans with their remaining time" \
  || bad "nft: prefix timeouts: $nets"
assert_eq "nft: the expired ban is not restored" "" "$(addrs ip I4 short)"
assert_eq "nft: the expired record is dropped, the others kept" \
  "$(grep -v short "$W/nft.records.expected")" "$(records "$W/st-nft")"
sentinel_intact && ok "nft: sentinel intact after restore" || bad "nft: sentinel touched by restore"

# ================================================ ipset through its command (pyruse.json)
python3 - "$W/ipset.json" <<'PY'
import json, sys
def chain(re, sets, **extra):
    args = {"IP": "clientIP", "ipSetIPv4": sets + "4", "ipSetIPv6": sets + "6"}
    args.update(extra)
    return [{"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}},
            {"filter": "filter_pcre", "args": {"field": "MESSAGE", "re": re}},
            {"action": "action_ipsetBan", "args": args}]
rules = {"actions": {
    "Fail": chain(r"^Failed password for \S+ from (?P<clientIP>.*) port \d+", "bans", banSeconds=3600),
    "Invalid": chain(r"^Invalid user \S+ from (?P<clientIP>.*) port \d+$", "perm"),
    "Ident": chain(r"^Did not receive identification string from (?P<clientIP>.*) port \d+$", "nets",
                   banSeconds=600, prefixIPv4=24, prefixIPv6=64),
    "Proto": chain(r"^Bad protocol version identification from (?P<clientIP>.*) port \d+$", "short",
                   banSeconds=1)}}
json.dump(rules, open(sys.argv[1], "w"), indent=1)
PY
"$LURUSE_BIN" replay -c "$W/ipset.json" --storage "$W/st-ipset" --export "$W/ssh.export" \
  > "$W/ipset.out" 2> "$W/ipset.err"
assert_eq "ipset: replay exit status" 0 $?
no_sanitizer_report "ipset: replay" "$W/ipset.err"
assert_eq "ipset: hostile values refused" "$((HOSTILE + 1))" \
  "$(grep -c 'action_ipsetBan: refused to ban' "$W/ipset.err")"
assert_contains "ipset: every command succeeded" "$W/ipset.out" \
  "bans: 10 recorded, 10 firewall changes applied, 0 failed, 0 deferred"
assert_eq "ipset: canonical addresses in the family's set" "192.0.2.1 192.0.2.2 | 2001:db8::1 2001:db8::2" \
  "$(ipset_addrs bans4) | $(ipset_addrs bans6)"
{ ipset_elems bans4; ipset_elems bans6; } | timeouts_within 3590 3600 \
  && ok "ipset: timeouts are banSeconds" || bad "ipset: timeouts: $(ipset_elems bans4 | tr '\n' ';')"
assert_eq "ipset: permanent bans (timeout 0)" "198.51.100.1 0 | 2001:db8::66 0" \
  "$(ipset_elems perm4) | $(ipset_elems perm6)"
assert_eq "ipset: prefix bans" "203.0.113.0/24 2001:db8:1:2::/64" "$(ipset_addrs nets4) $(ipset_addrs nets6)"
sentinel_intact && ok "ipset: sentinels intact" || bad "ipset: a sentinel was touched"
for s in bans perm nets short; do $IPSET flush "${s}4"; $IPSET flush "${s}6"; done
sleep 2
"$LURUSE_BIN" restore -c "$W/ipset.json" --storage "$W/st-ipset" > "$W/irestore.out" 2> "$W/irestore.err"
assert_eq "ipset: luruse restore exit status" 0 $?
no_sanitizer_report "ipset: restore" "$W/irestore.err"
assert_eq "ipset: restored bans" "192.0.2.1 192.0.2.2 | 2001:db8::1 2001:db8::2 | 198.51.100.1 0 | 2001:db8::66 0" \
  "$(ipset_addrs bans4) | $(ipset_addrs bans6) | $(ipset_elems perm4) | $(ipset_elems perm6)"
{ ipset_elems bans4; ipset_elems bans6; } | timeouts_within 3500 3599 \
  && ok "ipset: restored with the remaining time" || bad "ipset: restored timeouts: $(ipset_elems bans4 | tr '\n' ';')"
assert_eq "ipset: restored prefix bans" "203.0.113.0/24 2001:db8:1:2::/64" "$(ipset_addrs nets4) $(ipset_addrs nets6)"
assert_eq "ipset: the expired ban is dropped" "" "$(ipset_addrs short4)"
records "$W/st-ipset" | grep -q short && bad "ipset: the expired record is still there" \
  || ok "ipset: the expired record is dropped"

# ================================================ the nftBan.nft command, and exec
cat > "$W/argv_dump" <<PY
#!/usr/bin/python3
import json, sys
with open("$W/exec.out", "a") as f:
    f.write(json.dumps(sys.argv[1:]) + "\n")
PY
chmod +x "$W/argv_dump"
cat > "$W/cmd.lua" <<LUA
local L = require "luruse"
L.config { nftBan = { nft = { "$NFT" } }, bans = { timeoutSeconds = 20 } }
L.chain "Fail" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Failed password for \S+ from (?<clientIP>.*) port \d+]]),
  L.exec { "$W/argv_dump", "{clientIP}", "{notAField}", "<{clientIP}>", timeout = 20 },
  L.ban { ip = "clientIP", nft = { "ip I4 cmd", "ip6 I6 cmd" }, seconds = 3600 },
}
LUA
"$LURUSE_BIN" replay -c "$W/cmd.lua" --storage "$W/st-cmd" --export "$W/ssh.export" \
  > "$W/cmd.out" 2> "$W/cmd.err"
assert_eq "nft command: replay exit status" 0 $?
no_sanitizer_report "nft command: replay" "$W/cmd.err"
assert_contains "nft command: every command succeeded (the re-ban's delete included)" "$W/cmd.out" \
  "bans: 5 recorded, 5 firewall changes applied, 0 failed, 0 deferred"
assert_eq "nft command: elements" "192.0.2.1 3600;192.0.2.2 3600;2001:db8::1 3600;2001:db8::2 3600;" \
  "$({ elems ip I4 cmd; elems ip6 I6 cmd; } | tr '\n' ';')"
assert_contains "exec: all commands ran" "$W/cmd.out" "exec: 16 commands succeeded, 0 failed, 0 refused"
sort "$W/exec.out" > "$W/exec.sorted" 2> /dev/null
if cmp -s "$W/exec.expected" "$W/exec.sorted"; then
  ok "exec: every value arrived as one intact argument (hostile ones too), empty ones kept"
else bad "exec: arguments differ:"; diff "$W/exec.expected" "$W/exec.sorted" | head -10 | sed 's/^/      | /'; fi
sentinel_intact && ok "nft command: sentinels intact" || bad "nft command: a sentinel was touched"

# ================================================ kill -9 of the daemon mid-stream
if [ ! -x "$REMOTE" ]; then
  echo "SKIP - the crash scenario needs $REMOTE"
  echo "bans checks finished in $(elapsed)"
  [ "$FAILURES" -eq 0 ]
  exit
fi
$NFT -f - <<'NFT' || bad "crash: creating table C4"
table ip C4 {
  set bans { type ipv4_addr; flags timeout; }
}
table ip6 C6 {
  set bans { type ipv6_addr; flags timeout; }
}
NFT
# 200,000 entries; 2,000 addresses banned, each twice (a re-ban), between noise
python3 - "$W" <<'PY'
import os, sys, time
w = sys.argv[1]
t = int(time.time() * 1e6) - 10 * 1000000
ips = ["10.%d.%d.%d" % (i // 250, i % 250, 1 + i % 3) for i in range(2000)]
with open(os.path.join(w, "crash.export"), "w") as f:
    n = 0
    for i in range(200000):
        t += 1
        if i % 50 == 0:
            ip = ips[(i // 50) % 2000]
            msg = "Failed password for root from %s port 22 ssh2" % ip
        else:
            msg = "Accepted publickey for user%d from 192.168.%d.%d port 22 ssh2" % (i, i % 200, i % 250)
        f.write("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n"
                "_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=gw\n"
                "SYSLOG_IDENTIFIER=sshd\nMESSAGE=%s\n\n" % (t, t, msg))
with open(os.path.join(w, "crash.expected"), "w") as f:
    f.write("\n".join(sorted(ips)) + "\n")
PY
J=$W/journal
mkdir -p "$J"
timeout -k 2 120 "$REMOTE" --split-mode=none -o "$J/x.journal" - < "$W/crash.export" 2> "$W/remote.err" \
  || bad "systemd-journal-remote failed: $(head -3 "$W/remote.err")"
cat > "$W/crash.lua" <<'LUA'
local L = require "luruse"
L.chain "Fail" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Failed password for \S+ from (?<clientIP>\S+) port \d+]]),
  L.ban { ip = "clientIP", nft = { "ip C4 bans", "ip6 C6 bans" }, seconds = 86400 },
}
LUA
ban_rows() {
  python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1], timeout=10).execute("SELECT count(*) FROM ban").fetchone()[0])' \
    "$W/st-crash/luruse.db" 2> /dev/null || echo 0
}
cursor_of() { saved_cursor "$W/st-crash/luruse.db" "cursor:dir:$J"; }
at_least_rows() { [ "$(ban_rows)" -ge "$1" ]; }
"$LURUSE_BIN" run -c "$W/crash.lua" --storage "$W/st-crash" --journal-dir "$J" --from-start \
  > /dev/null 2> "$W/run1.err" &
LPID=$!
if wait_until 120 at_least_rows 300; then
  kill -KILL "$LPID"
  wait "$LPID" 2> /dev/null
  LPID=
  at_kill=$(ban_rows)
  cursor_kill=$(cursor_of)
  if [ "$at_kill" -lt 2000 ]; then ok "crash: daemon killed with -9 after $at_kill of 2000 bans ($(elapsed))"
  else bad "crash: the daemon had finished before the kill ($at_kill bans): nothing was tested"; fi
else
  bad "crash: the daemon recorded no 300 bans within 120 s: $(tail -5 "$W/run1.err")"
  kill -KILL "$LPID" 2> /dev/null; wait "$LPID" 2> /dev/null; LPID=
  at_kill=0; cursor_kill=
fi
no_sanitizer_report "crash: first run" "$W/run1.err"
in_set_before=$(addrs ip C4 bans | wc -w)

# a restart: restore, then resume after the saved cursor
"$LURUSE_BIN" run -c "$W/crash.lua" --storage "$W/st-crash" --journal-dir "$J" \
  > /dev/null 2> "$W/run2.err" &
LPID=$!
wait_until 30 grep -qF "luruse running" "$W/run2.err" || bad "crash: restart did not report 'luruse running'"
assert_contains "crash: the restart restores the recorded bans" "$W/run2.err" \
  "bans restored: $at_kill re-applied"
last_cursor=$(journalctl --file "$J/x.journal" -n 1 -o export 2> /dev/null | sed -n 's/^__CURSOR=//p')
cursor_done() { [ -n "$last_cursor" ] && [ "$(cursor_of)" = "$last_cursor" ]; }
if wait_until 240 cursor_done; then ok "crash: the restarted daemon reached the last entry ($(elapsed))"
else bad "crash: the cursor did not reach the last entry: $(cursor_of) vs $last_cursor"; fi
kill -TERM "$LPID"
wait "$LPID"
assert_eq "crash: the daemon stops cleanly on SIGTERM" 0 $?
LPID=
no_sanitizer_report "crash: second run" "$W/run2.err"
[ -n "$cursor_kill" ] && [ "$cursor_kill" != "$(cursor_of)" ] && ok "crash: the saved cursor moved on" \
  || bad "crash: the saved cursor did not move on from '$cursor_kill'"
addrs ip C4 bans | tr ' ' '\n' | sort > "$W/crash.inset"
if cmp -s "$W/crash.expected" "$W/crash.inset"; then
  ok "crash: each of the 2000 addresses is in the set exactly once (before the restart: $in_set_before)"
else bad "crash: set differs from the 2000 expected addresses ($(wc -l < "$W/crash.inset") elements):"
  diff "$W/crash.expected" "$W/crash.inset" | head -5 | sed 's/^/      | /'; fi
python3 - "$W/st-crash/luruse.db" > "$W/crash.records" <<'PY'
import sqlite3, sys
for (a,) in sqlite3.connect(sys.argv[1]).execute("SELECT addr FROM ban WHERE backend = 'nft' AND set_name = 'ip C4 bans' ORDER BY addr"):
    print(a)
PY
if cmp -s "$W/crash.expected" "$W/crash.records"; then ok "crash: each ban recorded exactly once"
else bad "crash: records differ ($(wc -l < "$W/crash.records") rows)"; fi
if elems ip C4 bans | awk '$2 == "-" || $2 > 86400 || $2 < 86000 { bad = 1 } END { exit bad }'; then
  ok "crash: every element has its timeout"
else bad "crash: timeouts: $(elems ip C4 bans | head -3 | tr '\n' ';')"; fi
grep -q "failed:" "$W/run1.err" "$W/run2.err" && bad "crash: firewall changes failed: $(grep -m3 'failed:' "$W/run1.err" "$W/run2.err")" \
  || ok "crash: no firewall change failed"
sentinel_intact && ok "crash: sentinels intact" || bad "crash: a sentinel was touched"

# ------------------------------------------- luruse bans / ban / unban on a daemon
"$LURUSE_BIN" run -c "$W/crash.lua" --storage "$W/st-crash" --journal-dir "$J" \
  > /dev/null 2> "$W/run3.err" &
LPID=$!
wait_until 30 grep -qF "luruse running" "$W/run3.err" || bad "control: the daemon did not start"
CTL() { "$LURUSE_BIN" "$@" --storage "$W/st-crash"; }
CTL bans > "$W/bans.txt" 2>&1
n=$(grep -cE '^10\.[0-9.]+ +nft +ip C4 bans' "$W/bans.txt")
assert_eq "control: luruse bans lists the 2000 bans" 2000 "$n"
CTL bans --json | python3 -c 'import json,sys; b=json.load(sys.stdin)["bans"]; assert len(b)==2000 and all(x["until"]>0 for x in b); print("ok")' \
  > "$W/bans.check" 2>&1
assert_eq "control: luruse bans --json" ok "$(cat "$W/bans.check")"
victim=$(head -1 "$W/crash.expected")
CTL unban "$victim" > "$W/unban.out" 2>&1
assert_eq "control: luruse unban exits 0 ($(cat "$W/unban.out"))" 0 $?
addrs ip C4 bans | tr ' ' '\n' | grep -qxF "$victim" && bad "control: $victim is still in the set after unban" \
  || ok "control: unban removed $victim from the nft set"
python3 -c 'import sqlite3,sys; sys.exit(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM ban WHERE addr=?", (sys.argv[2],)).fetchone()[0])' \
  "$W/st-crash/luruse.db" "$victim" && ok "control: unban removed the record" || bad "control: the record of $victim is still there"
CTL unban "$victim" > "$W/unban2.out" 2>&1
[ $? -eq 1 ] && grep -q "no ban recorded" "$W/unban2.out" && ok "control: unbanning it again says no ban is recorded" \
  || bad "control: second unban: $(cat "$W/unban2.out")"
CTL ban 198.51.100.99 --for 10m > "$W/ban.out" 2>&1
assert_eq "control: luruse ban --for 10m exits 0 ($(cat "$W/ban.out"))" 0 $?
elems ip C4 bans | awk '$1 == "198.51.100.99" && $2 != "-" && $2 <= 600 && $2 > 500 { f = 1 } END { exit !f }' \
  && ok "control: the manual ban is in the rules' IPv4 set with a 600 s timeout" \
  || bad "control: manual ban: $(elems ip C4 bans | grep 198.51.100.99)"
CTL ban 2001:db8::99 > "$W/ban6.out" 2>&1
[ $? -eq 1 ] && grep -q "give --set" "$W/ban6.out" && ok "control: an IPv6 ban with no IPv6 set known asks for --set" \
  || bad "control: IPv6 ban without a set: $(cat "$W/ban6.out")"
CTL ban 2001:db8::7 --set "nft:ip C4 bans" > "$W/ban6w.out" 2>&1
[ $? -eq 1 ] && grep -q "cannot hold it" "$W/ban6w.out" && ok "control: an IPv6 address into an ip (IPv4) table is refused" \
  || bad "control: IPv6 into an IPv4 table: $(cat "$W/ban6w.out")"
CTL ban 2001:db8::99 --set "nft:ip6 C6 bans" > "$W/ban6b.out" 2>&1
assert_eq "control: luruse ban with --set nft:'ip6 C6 bans' (permanent)" 0 $?
elems ip6 C6 bans | grep -qE '^2001:db8::99 -$' && ok "control: the permanent IPv6 ban has no timeout" \
  || bad "control: IPv6 set: $(elems ip6 C6 bans | head -3)"
CTL ban '1.2.3.4} ; flush ruleset' > "$W/banbad.out" 2>&1
[ $? -eq 1 ] && grep -q "not a bannable address" "$W/banbad.out" && sentinel_intact \
  && ok "control: a hostile address is refused by luruse ban" || bad "control: hostile ban: $(cat "$W/banbad.out")"
# ----------------- a ban the firewall refuses: exit 1, its message, FAILED in `bans`
CTL ban 10.0.0.1 --set "nft:inet luruse nosuchset" > "$W/banfail.out" 2> "$W/banfail.err"
rc=$?
[ "$rc" -ne 0 ] && ok "control: a ban into a missing set exits $rc" \
  || bad "control: a ban into a missing set exits 0: $(cat "$W/banfail.out")"
assert_contains "control: the refused ban says it is not applied" "$W/banfail.err" "NOT applied"
assert_contains "control: the refused ban gives the firewall's message" "$W/banfail.err" \
  "No such file or directory"
grep -q "banned" "$W/banfail.out" && bad "control: the refused ban printed: $(cat "$W/banfail.out")" \
  || ok "control: the refused ban does not say 'banned'"
CTL bans > "$W/bans2.txt" 2>&1
grep -qE '^10\.0\.0\.1 +nft +inet luruse nosuchset +permanent +FAILED: .*No such file or directory' \
  "$W/bans2.txt" && ok "control: luruse bans shows the refused ban as FAILED with the reason" \
  || bad "control: bans: $(grep 10.0.0.1 "$W/bans2.txt")"
grep -qE '^198\.51\.100\.99 +nft +ip C4 bans +[0-9-]+ [0-9:]+ +applied$' "$W/bans2.txt" \
  && ok "control: luruse bans shows an applied ban as applied" \
  || bad "control: bans: $(grep 198.51.100.99 "$W/bans2.txt")"
CTL bans --json | python3 -c '
import json, sys
b = {x["addr"]: x for x in json.load(sys.stdin)["bans"]}
f = b["10.0.0.1"]
assert f["state"] == "failed" and "No such file or directory" in f["error"], f
assert b["198.51.100.99"]["state"] == "applied" and "error" not in b["198.51.100.99"]
print("ok")' > "$W/bans2.check" 2>&1
assert_eq "control: luruse bans --json: state failed with the error, applied otherwise" ok \
  "$(cat "$W/bans2.check")"
# a refused ban that ends last is no default set for the next manual ban
CTL ban 10.0.0.2 --set "nft:ip nosuchtable bans" --for 30d > /dev/null 2>&1
CTL ban 198.51.100.77 > "$W/bandef.out" 2>&1
assert_eq "control: after a refused 30-day ban, a ban without --set ($(cat "$W/bandef.out"))" 0 $?
addrs ip C4 bans | tr ' ' '\n' | grep -qxF 198.51.100.77 \
  && ok "control: ... goes to the set of the latest applied ban, not the refused one" \
  || bad "control: 198.51.100.77 is not in ip C4 bans"
CTL unban 10.0.0.1 > "$W/unbanfail.out" 2>&1
assert_eq "control: unbanning the refused ban (only its record) exits 0 ($(cat "$W/unbanfail.out"))" 0 $?
CTL unban 10.0.0.2 > /dev/null 2>&1
# a flushed set (nftables restarted): the unban still succeeds, the address is in no set
CTL ban 198.51.100.78 --set "nft:ip C4 bans" --for 1h > /dev/null 2>&1
$NFT delete element ip C4 bans '{ 198.51.100.78 }'
CTL unban 198.51.100.78 > "$W/unbangone.out" 2>&1
assert_eq "control: unban of an element already gone from the set exits 0 ($(cat "$W/unbangone.out"))" 0 $?

# ----------------- re-ban: the later end wins, permanent stays permanent
CTL ban 198.51.100.50 --for 1h > "$W/reban1.out" 2>&1
assert_eq "re-ban: first ban for 1h ($(cat "$W/reban1.out"))" 0 $?
CTL ban 198.51.100.50 --for 60 > "$W/reban2.out" 2>&1
assert_eq "re-ban: --for 60 of an address banned for 1h exits 0" 0 $?
assert_contains "re-ban: --for 60 says the longer ban is kept" "$W/reban2.out" "longer ban is kept"
elems ip C4 bans | awk '$1 == "198.51.100.50" && $2 != "-" && $2 > 3500 && $2 <= 3600 { f = 1 } END { exit !f }' \
  && ok "re-ban: a shorter re-ban does not shorten the 1h ban" \
  || bad "re-ban: after --for 60: $(elems ip C4 bans | grep 198.51.100.50)"
CTL ban 198.51.100.50 > "$W/reban3.out" 2>&1
assert_eq "re-ban: without --for exits 0 ($(cat "$W/reban3.out"))" 0 $?
assert_contains "re-ban: without --for says permanently" "$W/reban3.out" "banned permanently"
elems ip C4 bans | grep -qxF "198.51.100.50 -" && ok "re-ban: without --for the 1h ban becomes permanent" \
  || bad "re-ban: without --for: $(elems ip C4 bans | grep 198.51.100.50)"
CTL ban 198.51.100.50 --for 10m > "$W/reban4.out" 2>&1
assert_eq "re-ban: --for 10m of a permanent ban exits 0" 0 $?
elems ip C4 bans | grep -qxF "198.51.100.50 -" && ok "re-ban: a permanent ban stays permanent" \
  || bad "re-ban: permanent then --for 10m: $(elems ip C4 bans | grep 198.51.100.50)"
CTL bans --json | python3 -c '
import json, sys
b = {x["addr"]: x for x in json.load(sys.stdin)["bans"]}
assert b["198.51.100.50"]["until"] == 0, b["198.51.100.50"]
print("ok")' > "$W/reban.check" 2>&1
assert_eq "re-ban: the record is permanent" ok "$(cat "$W/reban.check")"

# ----------------- an unban whose table is gone: the address is in no set, exit 0
$NFT add table ip U4 && $NFT add set ip U4 bans '{ type ipv4_addr; flags timeout; }' \
  || bad "unban: creating table U4"
CTL ban 192.0.2.201 --set "nft:ip U4 bans" --for 1h > "$W/banu.out" 2>&1
assert_eq "unban: ban into ip U4 bans ($(cat "$W/banu.out"))" 0 $?
$NFT delete table ip U4
CTL unban 192.0.2.201 > "$W/unbanu.out" 2> "$W/unbanu.err"
assert_eq "unban: its table deleted, the unban exits 0 ($(cat "$W/unbanu.out" "$W/unbanu.err"))" 0 $?
kill -TERM "$LPID"; wait "$LPID"; LPID=
no_sanitizer_report "control: daemon" "$W/run3.err"

# ----------------- a manual ban waiting for a slow firewall command gets its
# answer even when the daemon is told to stop meanwhile
cat > "$W/slow_nft" <<SH
#!/bin/sh
sleep 2
exec $NFT "\$@"
SH
chmod +x "$W/slow_nft"
cat > "$W/slow.lua" <<LUA
local L = require "luruse"
L.config { nftBan = { nft = { "$W/slow_nft" } }, bans = { timeoutSeconds = 20 } }
L.chain "Nothing" { L.equals("SYSLOG_IDENTIFIER", "none"), L.noop() }
LUA
mkdir -p "$W/empty-journal"
"$LURUSE_BIN" run -c "$W/slow.lua" --storage "$W/st-slow" --journal-dir "$W/empty-journal" \
  > /dev/null 2> "$W/run-slow.err" &
LPID=$!
wait_until 30 grep -qF "luruse running" "$W/run-slow.err" || bad "slow: the daemon did not start"
"$LURUSE_BIN" ban 198.51.100.90 --set "nft:ip C4 bans" --for 1h --storage "$W/st-slow" \
  > "$W/slowban.out" 2>&1 &
client=$!
sleep 0.7
kill -TERM "$LPID"
wait "$client"
rc=$?
wait "$LPID"; LPID=
[ $rc -eq 0 ] && grep -q "banned" "$W/slowban.out" \
  && ok "slow firewall: the ban's answer arrives although the daemon stops meanwhile" \
  || bad "slow firewall: ban client exit $rc: $(cat "$W/slowban.out")"
addrs ip C4 bans | tr ' ' '\n' | grep -qxF 198.51.100.90 && ok "slow firewall: and the element is there" \
  || bad "slow firewall: 198.51.100.90 not in ip C4 bans"
no_sanitizer_report "slow: daemon" "$W/run-slow.err"

echo "bans checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
