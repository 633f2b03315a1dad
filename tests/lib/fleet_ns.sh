#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_fleet.sh:  fleet_ns.sh WORKDIR
# Three luruse hosts, each in a network namespace of its own (its own nftables
# table), reach a real redis-server in this one through veth pairs
# (10.77.N.1 here, 10.77.N.2 there). Checked: a jail's ban on one host is in
# force on the other two; a manual ban and an unban too; a host started late
# resynchronises from the keys; Redis killed and restarted mid-run loses no
# ban (queued, then published); fleet-wide counting bans an address that
# failed twice on each host with a threshold of 5; hostile messages published
# by hand are refused and logged.
set -u
W=$1
: "${LURUSE_BIN:?}" "${LURUSE_SRC:?}" "${HOST_NETNS:?}"
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
NFT=/usr/sbin/nft

if [ "$(readlink /proc/self/ns/net)" = "$HOST_NETNS" ]; then
  echo "FAIL - still in the host's network namespace: refusing to touch any firewall"
  exit 1
fi
"$NFT" list ruleset > /dev/null 2>&1 || skip "no nftables in this kernel"
command -v redis-server > /dev/null || skip "redis-server is missing"

. "$(dirname "${BASH_SOURCE[0]}")/fleet_net.sh"
fleet_net_up 3
start_redis
[ "$(rcli PING)" = PONG ] && ok "redis-server on its own port, with an ACL user" || bad "no PONG"
for i in 1 2 3; do write_rules "$i" '"sshd", "manual"' '"sshd"'; done
# host1 keeps at most 3 ban changes while Redis is away (step 5)
sed -i 's/queueMax = 200000/queueMax = 3/' "$W/h1/rules.lua"
# ms since T (date +%s%N) until CMD succeeds, or "never"
time_until() {
  local t0=$1; shift
  if wait_until 10 "$@"; then echo $(( ($(date +%s%N) - t0) / 1000000 )); else echo never; fi
}

start_host 1
start_host 2
wait_until 10 connected 1 && wait_until 10 connected 2 && ok "host1 and host2 connected to Redis" ||
  bad "not connected: $(fleet_field 1 last_error) / $(fleet_field 2 last_error)"

# 1. a jail's ban on host1 is in force on host2
fail_on 1 198.51.100.7 5
wait_until 10 banned_on 1 198.51.100.7 || bad "host1 did not ban 198.51.100.7 itself"
t0=$(date +%s%N)
ms=$(time_until "$t0" banned_on 2 198.51.100.7)
[ "$ms" != never ] && ok "host1's jail ban is on host2 (${ms} ms after host1's)" || bad "host2 never got 198.51.100.7"
key=$(rcli --scan --pattern 'luruse:ban:nft:inet luruse ban4:198.51.100.7')
[ -n "$key" ] && ok "the ban is a key in Redis, TTL $(rcli PTTL "$key") ms" || bad "no key for 198.51.100.7"

# 2. a manual ban on host2, IPv6
"$LURUSE_BIN" ban 2001:db8::66 --for 1h --storage "$W/h2/state" > "$W/ban.out" 2>&1 || bad "luruse ban: $(cat "$W/ban.out")"
wait_until 10 banned_on 1 2001:db8::66 && ok "host2's manual IPv6 ban is on host1" || bad "host1 never got 2001:db8::66"

# 3. host3 starts late: the bans made before are read from the keys
start_host 3
wait_until 10 connected 3 || bad "host3 not connected: $(fleet_field 3 last_error)"
wait_until 10 banned_on_all 198.51.100.7 3 && wait_until 10 banned_on 3 2001:db8::66 &&
  ok "host3, started late, resynchronised both bans from Redis" || bad "host3 lacks the bans made before it started"

# 4. an unban on host3 lifts the ban everywhere
"$LURUSE_BIN" unban 198.51.100.7 --storage "$W/h3/state" > "$W/unban.out" 2>&1 || bad "luruse unban: $(cat "$W/unban.out")"
gone() { ! banned_on 1 198.51.100.7 && ! banned_on 2 198.51.100.7; }
wait_until 10 gone && ok "host3's unban is applied on host1 and host2" || bad "198.51.100.7 still banned elsewhere"
[ -z "$(rcli --scan --pattern '*198.51.100.7')" ] && ok "and its key is gone" || bad "the key of 198.51.100.7 stayed"

# 5. Redis killed mid-run: host1 bans meanwhile; nothing is lost once it is back
kill -KILL "$REDIS"; wait "$REDIS" 2> /dev/null
wait_until 10 sh -c "! \"$LURUSE_BIN\" status --json --storage $W/h1/state | grep -q '\"connected\": true'" ||
  bad "host1 still says connected with Redis killed"
fail_on 1 198.51.100.20 5
wait_until 10 banned_on 1 198.51.100.20 && ok "Redis down: host1 bans on its own" || bad "host1 did not ban without Redis"
[ "$(fleet_field 1 queued)" = 1 ] && ok "the ban waits in host1's queue" || bad "queued: $(fleet_field 1 queued)"
# four manual bans more: the queue keeps the 3 newest, drops the oldest two
for a in 198.51.100.21 198.51.100.22 198.51.100.23 198.51.100.24; do
  "$LURUSE_BIN" ban "$a" --for 1h --storage "$W/h1/state" > /dev/null 2>&1 || bad "luruse ban $a"
done
[ "$(fleet_field 1 queued)" = 3 ] && [ "$(fleet_field 1 dropped)" = 2 ] &&
  ok "queueMax 3: 3 waiting, the oldest 2 dropped" || bad "queued $(fleet_field 1 queued), dropped $(fleet_field 1 dropped)"
grep -q "the oldest dropped" "$W/h1/run.err" && ok "the drop is logged" || bad "no log line for the dropped bans"
start_redis
wait_until 40 banned_on_all 198.51.100.24 2 3 && banned_on_all 198.51.100.23 2 3 && banned_on_all 198.51.100.22 2 3 &&
  ok "Redis back: the queued bans reached host2 and host3" ||
  bad "the bans made while Redis was down never reached the others"
banned_on 2 198.51.100.20 || banned_on 2 198.51.100.21 && bad "a dropped ban reached host2" ||
  ok "the dropped ones did not (they stay in force on host1)"
banned_on 1 198.51.100.20 && banned_on 1 198.51.100.21 || bad "host1 lost a ban it made while Redis was down"
banned_on_all 2001:db8::66 1 2 3 && ok "the bans shared before the outage are still in force everywhere" ||
  bad "a ban was lost across the Redis restart"
[ -n "$(rcli --scan --pattern '*2001:db8::66')" ] && ok "and still keys in Redis (appendonly)" || bad "key lost"

# 6. fleet-wide counting: 2 failures on each host, threshold 5
for i in 1 2 3; do fail_on "$i" 198.51.100.30 2; sleep 0.3; done
wait_until 15 banned_on_all 198.51.100.30 1 2 3 && ok "2 failures on each of 3 hosts: banned everywhere (fleet-wide count)" ||
  bad "198.51.100.30 (6 failures across the fleet, 2 per host) is not banned everywhere"

# 7. hostile messages published by hand
publish() { rcli PUBLISH luruse:bans "$1" > /dev/null; }
before=$(fleet_field 2 refused)
publish '{"v":1,"op":"ban","host":"evil","jail":"sshd","backend":"nft","set":"inet luruse ban4","addr":"1.2.3.4; flush ruleset","until":0}'
publish '{"v":1,"op":"ban","host":"evil","jail":"sshd","backend":"nft","set":"inet filter input","addr":"198.51.100.41","until":0}'
publish '{"v":1,"op":"ban","host":"evil","jail":"sshd","backend":"nft","set":"inet luruse ban4","addr":"127.0.0.1","until":0}'
publish '{"v":1,"op":"ban","host":"ev il","jail":"sshd","backend":"nft","set":"inet luruse ban4","addr":"198.51.100.42","until":0}'
publish "$(python3 -c 'print("{\"v\":1,\"op\":\"ban\",\"pad\":\"" + "x" * 5000 + "\"}")')"
publish 'not json at all'
publish '{"v":1,"op":"ban","host":"evil","jail":"sshd","backend":"nft","set":"inet luruse ban4","addr":"198.51.100.43","until":0}'
wait_until 10 banned_on 2 198.51.100.43 || bad "the one well-formed message was not applied"
after=$(fleet_field 2 refused)
[ "$((after - before))" -eq 6 ] && ok "6 hostile messages refused on host2" || bad "refused went from $before to $after, 6 expected"
for a in 1.2.3.4 198.51.100.41 127.0.0.1 198.51.100.42; do
  banned_on 2 "$a" && bad "$a was banned from a hostile message"
done
nsenter -t "${NS[2]}" -n "$NFT" list tables | grep -q filter && bad "a table 'filter' appeared"
grep -q "fleet: message refused" "$W/h2/run.err" && ok "refusals are logged" || bad "no refusal logged"
grep -h "fleet: message refused" "$W/h2/run.err" | head -2 | sed 's/^/      | /'

for i in 1 2 3; do
  kill -0 "${DPID[$i]}" 2> /dev/null || bad "host$i died"
done
for i in 1 2 3; do stop_host "$i"; done
if grep -qE 'AddressSanitizer|runtime error:|LeakSanitizer' "$W"/h*/run.err; then
  bad "sanitizer report:"; grep -hE -A5 'AddressSanitizer|runtime error:|LeakSanitizer' "$W"/h*/run.err | head -30
else
  ok "no sanitizer report from the three daemons"
fi
[ "$FAILURES" -eq 0 ] || { echo "--- host1"; tail -20 "$W/h1/run.err"; }
exit $(( FAILURES > 0 ))
