#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_collector.sh:  collector_ns.sh WORKDIR
# docs/fleet.md's first way, as documented: two hosts' journals go to a
# collector with systemd-journal-upload -> systemd-journal-remote (HTTP, on
# loopback here); one luruse on the collector reads them (--journal-dir) and
# its sshd jail counts the failures of both hosts together; its ban, shared
# through Redis (fleet mode), is applied by a luruse on a host (its own
# network namespace and nftables table) whose rules only take the fleet's
# bans.
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
JR=/lib/systemd/systemd-journal-remote
JU=/lib/systemd/systemd-journal-upload
[ -x "$JR" ] && [ -x "$JU" ] || skip "systemd-journal-remote/-upload are missing"
command -v redis-server > /dev/null || skip "redis-server is missing"

. "$(dirname "${BASH_SOURCE[0]}")/fleet_net.sh"
fleet_net_up 1
start_redis

# ---- the two hosts' journals: 3 sshd failures of one attacker on each
mkdir -p "$W/src" "$W/remote"
now=$(( $(date +%s) * 1000000 ))
for host in web1 ssh1; do
  for i in 1 2 3; do
    printf '__REALTIME_TIMESTAMP=%s\n_HOSTNAME=%s\nSYSLOG_IDENTIFIER=sshd\n_TRANSPORT=syslog\nPRIORITY=6\nMESSAGE=Failed password for invalid user admin from 198.51.100.50 port %s ssh2\n\n' \
      "$(( now + i * 1000 ))" "$host" "$(( 40000 + i ))"
  done > "$W/src/$host.export"
  "$JR" --split-mode=none -o "$W/src/$host.journal" - < "$W/src/$host.export" > "$W/src/$host.jr.log" 2>&1 ||
    { bad "journal file for $host"; cat "$W/src/$host.jr.log"; }
done

# ---- the collector: journal-remote over HTTP, as docs/fleet.md sets it up
"$JR" --listen-http=19532 --output="$W/remote/" > "$W/remote.log" 2>&1 &
JRPID=$!
listening() { python3 -c 'import socket; socket.create_connection(("127.0.0.1", 19532), 1)'; }
wait_until 10 listening || { bad "systemd-journal-remote does not listen"; cat "$W/remote.log"; }
for host in web1 ssh1; do
  if "$JU" --url=http://127.0.0.1:19532 --file="$W/src/$host.journal" --follow=no \
       --save-state="$W/upload-$host.state" > "$W/upload-$host.log" 2>&1; then
    ok "systemd-journal-upload sent $host's journal"
  else
    bad "systemd-journal-upload of $host failed:"; sed 's/^/      | /' "$W/upload-$host.log"
  fi
done
ls "$W"/remote/*.journal > /dev/null 2>&1 && ok "journal-remote wrote $(ls "$W/remote" | tr '\n' ' ')" ||
  bad "no journal file in $W/remote"

# ---- the collector's luruse: the sshd jail over both hosts, sharing its bans
mkdir -p "$W/collector"
cat > "$W/collector/rules.lua" <<LUA
local L = require "luruse"
L.config {
  storage = "$W/collector/state",
  email = { to = { "root@localhost" }, sendmail = { "/bin/false" } },
  fleet = { redis = "redis://luruse:$PASS@127.0.0.1:$REDIS_PORT/0", name = "collector",
            share = { "sshd" } },
}
L.include "$LURUSE_SRC/rules/jails/sshd.lua"
L.chain "Rest" { L.noop() }
LUA
# the host: its rules only take what the fleet shares (luruse's own table)
mkdir -p "$W/h1/journal"
cat > "$W/h1/rules.lua" <<LUA
local L = require "luruse"
L.config {
  storage = "$W/h1/state",
  fleet = { redis = "redis://luruse:$PASS@10.77.1.1:$REDIS_PORT/0", name = "web1" },
}
L.chain "Nothing here" { L.noop() }
LUA
nsenter -t "${NS[1]}" -n "$LURUSE_BIN" run -c "$W/h1/rules.lua" --journal-dir "$W/h1/journal" \
  > /dev/null 2> "$W/h1/run.err" &
DPID[1]=$!
wait_until 15 connected 1 || { bad "the host did not connect"; tail -5 "$W/h1/run.err"; }
"$LURUSE_BIN" run -c "$W/collector/rules.lua" --journal-dir "$W/remote" --from-start \
  > /dev/null 2> "$W/collector/run.err" &
DPID[2]=$!
LPID=${DPID[2]}
in_own_set() { "$NFT" list set inet luruse ban4 2> /dev/null | grep -q '198.51.100.50 '; }
if wait_until 15 in_own_set; then
  ok "the collector's jail banned 198.51.100.50 after 3 failures on web1 and 3 on ssh1"
else
  bad "the collector did not ban 198.51.100.50:"; tail -10 "$W/collector/run.err" | sed 's/^/      | /'
fi
if wait_until 15 banned_on 1 198.51.100.50; then
  ok "the host applied the collector's ban (fleet mode, its own table)"
else
  bad "the host never got 198.51.100.50:"; tail -10 "$W/h1/run.err" | sed 's/^/      | /'
fi
kill -TERM "${DPID[2]}" "${DPID[1]}"
wait "${DPID[2]}" || bad "collector: exit status $?"
wait "${DPID[1]}" || bad "host: exit status $?"
DPID=()
LPID=
kill "$JRPID" 2> /dev/null
if grep -qE 'AddressSanitizer|runtime error:|LeakSanitizer' "$W"/collector/run.err "$W"/h1/run.err; then
  bad "sanitizer report"; grep -hE -A5 'Sanitizer|runtime error:' "$W"/collector/run.err "$W"/h1/run.err | head -20
fi
exit $(( FAILURES > 0 ))
