#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_live_jail.sh:  live_jail_ns.sh WORKDIR
# The shipped sshd and recidive jails against a real systemd-journald and a
# real nftables: sshd-style failures from 50 addresses (1 to 8 each) and
# harmless lines through syslog; exactly the addresses with 5 failures or more
# end up in luruse's ban4 set, a planted decoy address never; one address
# banned three times is banned for a week by recidive, which reads the jails'
# own ban lines back from the journal.
set -u
W=$1
: "${LURUSE_SRC:?}" "${HOST_NETNS:?}"
NFT=/usr/sbin/nft
if [ "$(readlink /proc/self/ns/net)" = "$HOST_NETNS" ]; then
  echo "FAIL - still in the host's network namespace: refusing to touch any firewall"
  exit 1
fi
"$NFT" list ruleset > /dev/null 2>&1 || { echo "SKIP: no nftables in this kernel"; exit 77; }
. "$(dirname "${BASH_SOURCE[0]}")/private_journald.sh"
ip link set lo up

RULES=$W/rules.lua
cat > "$RULES" <<LUA
local L = require "luruse"
L.config { email = { to = { "root@localhost" }, sendmail = { "/bin/false" } } }
L.include "$LURUSE_SRC/rules/jails/sshd.lua"
L.include "$LURUSE_SRC/rules/jails/recidive.lua"
L.chain "Rest" { L.noop() }
LUA
start_daemon
daemon_said "nftables table inet luruse ready" && ok "the table is made at start" || bad "no table made"

sshd() { logger -u /run/systemd/journal/dev-log -t sshd; }
# address 203.0.113.i gets (i % 8) + 1 failures, interleaved with harmless lines
python3 - > "$W/lines" <<'PY'
for round in range(8):
    for i in range(1, 51):
        if round < i % 8 + 1:
            print("Failed password for invalid user u%d from 203.0.113.%d port %d ssh2" % (i, i, 40000 + round))
        if round == 0:
            print("Accepted publickey for alice from 198.51.100.%d port 22 ssh2: ED25519 SHA256:x" % i)
            print("Disconnected from user alice 198.51.100.%d port 22" % i)
# a planted decoy: the user name holds another address
for k in range(6):
    print("Failed password for invalid user x from 192.0.2.77 port 1 ssh2 from 198.51.100.200 port %d ssh2" % (5000 + k))
PY
sshd < "$W/lines"
expected=$(python3 -c 'print(" ".join("203.0.113.%d" % i for i in range(1, 51) if i % 8 + 1 >= 5) + " 198.51.100.200")')
want=$(echo "$expected" | wc -w)
set_elems() { "$NFT" list set inet luruse ban4 | tr -d '\n' | grep -oE '([0-9]+\.){3}[0-9]+' | sort -u; }
wait_until 20 sh -c "[ \$($NFT list set inet luruse ban4 | grep -oE '([0-9]+\.){3}[0-9]+' | sort -u | wc -l) -ge $want ]"
sleep 1
got=$(set_elems | tr '\n' ' ')
wanted=$(echo "$expected" | tr ' ' '\n' | sort -u | tr '\n' ' ')
[ "$got" = "$wanted" ] && ok "exactly the $want addresses past 5 failures are in ban4 (decoy 192.0.2.77 not)" \
  || { bad "ban4 holds [$got], want [$wanted]"; }

# luruse status sshd: as fail2ban-client status sshd
"$LURUSE_BIN" status sshd --json --storage "$W/state" > "$W/jail.json" 2> "$W/jail.err"
python3 - "$W/jail.json" "$want" > "$W/jail.check" 2>&1 <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
assert j["jail"] == "sshd", j
assert j["banned_now"] == want, ("banned_now", j["banned_now"], want)
assert j["bans_remembered"] == want, ("bans_remembered", j["bans_remembered"])
# counted now: below 5 failures, all of them; past 5, those after the ban
# (the lines all came at once: nftables dropped nothing in between)
left = [n if n < 5 else n - 5 for n in (i % 8 + 1 for i in range(1, 51))] + [6 - 5]  # the decoy's
failing = sum(1 for n in left if n)
assert j["failing_addresses"] == failing, ("failing", j["failing_addresses"], failing)
assert j["failures"] == sum(left), ("failures", j["failures"], sum(left))
assert len(j["last_bans"]) == 5 and all(b["since_usec"] > 0 for b in j["last_bans"]), j["last_bans"]
s = [b["since_usec"] for b in j["last_bans"]]
assert s == sorted(s, reverse=True), s
print("ok")
PY
[ "$(cat "$W/jail.check")" = ok ] && ok "luruse status sshd: $want banned now, the failing ones, the last 5 bans" ||
  { bad "luruse status sshd --json:"; sed 's/^/      | /' "$W/jail.check" "$W/jail.err"; head -c 600 "$W/jail.json"; }
"$LURUSE_BIN" status sshd --storage "$W/state" > "$W/jail.txt" 2>&1
grep -q "^jail sshd: .* $want banned now" "$W/jail.txt" && ok "... and as text: $(head -1 "$W/jail.txt")" ||
  { bad "luruse status sshd:"; sed 's/^/      | /' "$W/jail.txt"; }
# the delay of live entries is measured (figures: bench/live.sh; here only its shape)
"$LURUSE_BIN" status --json --storage "$W/state" | python3 -c '
import json, sys
d = json.load(sys.stdin)["delay_ms"]
assert d["entries"] > 300, d
e, o = d["end_to_end"], d["own"]
assert 0 <= o["p50"] <= e["p99"] and o["p99"] <= e["max"] + 0.1 and e["p50"] <= e["p99"] <= e["max"] + 0.1, d
print("ok %d entries, end to end p99 %.1f ms, own p99 %.1f ms" % (d["entries"], e["p99"], o["p99"]))' > "$W/delay.check" 2>&1
grep -q "^ok" "$W/delay.check" && ok "status: the delay of live entries ($(sed 's/^ok //' "$W/delay.check"))" ||
  { bad "status delay_ms:"; sed 's/^/      | /' "$W/delay.check"; }
"$LURUSE_BIN" status nosuchjail --storage "$W/state" > /dev/null 2> "$W/nojail.err" &&
  bad "status of an unknown jail exited 0" || ok "status of an unknown jail: $(cat "$W/nojail.err")"

# recidive: 203.0.113.4 (5 failures, banned once) fails 10 more times: bans 2 and 3
for _ in $(seq 10); do echo "Failed password for root from 203.0.113.4 port 4000 ssh2"; done | sshd
wait_until 15 daemon_said "jail recidive: banned 203.0.113.4 for 604800s" \
  && ok "the third ban within a day brings recidive's week-long ban" \
  || { bad "no recidive ban"; jctl SYSLOG_IDENTIFIER=luruse-jail -o cat | tail -5; }
timeout_of() { "$NFT" list set inet luruse ban4 | grep -oE "203.0.113.4 timeout [0-9a-z]+" | awk '{print $3}'; }
[ "$(timeout_of)" = 7d ] && ok "nftables holds 203.0.113.4 for 7d" || bad "203.0.113.4's timeout: $(timeout_of)"
stop_daemon
grep -qE 'AddressSanitizer|runtime error:' "$W/luruse.err" && bad "sanitizer report"
[ "$FAILURES" -eq 0 ]
