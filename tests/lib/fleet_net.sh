# Sourced by tests/lib/fleet_ns.sh and bench/fleet/fleet_bench.sh, INSIDE a
# private network namespace (W and NFT set, ns_common.sh sourced): N luruse
# hosts, each in a network namespace of its own (its own nftables table), and
# a real redis-server here, reached through veth pairs (10.77.N.1 here,
# 10.77.N.2 there), with its own port, directory and ACL user.
#   fleet_net_up 3; start_redis; write_rules 1 '"sshd"' '"sshd"'; start_host 1
REDIS_PORT=${REDIS_PORT:-7379}
PASS=fleet-secret
declare -a NS DPID
REDIS=

fleet_net_up() { # HOSTS
  ip link set lo up
  local i binds="127.0.0.1"
  for i in $(seq "$1"); do
    unshare -n sleep 3600 &
    NS[$i]=$!
  done
  sleep 0.2
  for i in $(seq "$1"); do
    ip link add "hub$i" type veth peer name eth0 netns "${NS[$i]}" || skip "no veth"
    ip addr add "10.77.$i.1/24" dev "hub$i" && ip link set "hub$i" up
    nsenter -t "${NS[$i]}" -n sh -c "ip link set lo up; ip addr add 10.77.$i.2/24 dev eth0; ip link set eth0 up"
    binds="$binds 10.77.$i.1"
  done
  mkdir -p "$W/redis"
  {
    echo "port $REDIS_PORT"
    echo "bind $binds"
    echo "dir $W/redis"
    echo "daemonize no"
    echo 'save ""'
    echo "appendonly yes"
    echo "appendfsync ${APPENDFSYNC:-always}"
    echo "user default off"
    echo "user luruse on >$PASS ~luruse:* &luruse:* +@all"
  } > "$W/redis/redis.conf"
}
rcli() { redis-cli -p "$REDIS_PORT" --user luruse --pass "$PASS" --no-auth-warning "$@"; }
start_redis() {
  redis-server "$W/redis/redis.conf" > "$W/redis/out.log" 2>&1 &
  REDIS=$!
  wait_until 10 rcli PING > /dev/null || { bad "redis-server did not start"; tail "$W/redis/out.log"; }
}
cleanup() {
  local p
  for p in "${DPID[@]:-}" $REDIS "${NS[@]:-}"; do [ -n "$p" ] && kill -KILL "$p" 2> /dev/null; done
  wait 2> /dev/null
}
# write_rules N SHARE COUNT: the sshd jail and fleet mode (SHARE, COUNT: the
# insides of Lua lists)
write_rules() {
  local i=$1
  mkdir -p "$W/h$i/journal"
  : > "$W/h$i/auth.log"
  cat > "$W/h$i/rules.lua" <<LUA
local L = require "luruse"
L.config {
  storage = "$W/h$i/state",
  email = { to = { "root@localhost" }, sendmail = { "/bin/false" } },
  fleet = { redis = "redis://luruse:$PASS@10.77.$i.1:$REDIS_PORT/0", name = "host$i",
            share = { $2 }, count = { $3 }, queueMax = 200000 },
}
L.include "$LURUSE_SRC/rules/jails/sshd.lua"
L.chain "Rest" { L.noop() }
LUA
}
start_host() { # N (LURUSE_WRAP: a command to run it under, e.g. perf record --)
  local i=$1
  nsenter -t "${NS[$i]}" -n ${LURUSE_WRAP:-} "$LURUSE_BIN" run -c "$W/h$i/rules.lua" --journal-dir "$W/h$i/journal" \
    --file "$W/h$i/auth.log" --identifier sshd > /dev/null 2>> "$W/h$i/run.err" &
  DPID[$i]=$!
  wait_until 15 grep -qF "luruse running" "$W/h$i/run.err" || { bad "host$i did not start"; tail -5 "$W/h$i/run.err"; }
}
stop_host() { # N
  kill -TERM "${DPID[$1]}"
  wait "${DPID[$1]}" || bad "host$1: exit status after SIGTERM: $?"
  DPID[$1]=
}
status_json() { "$LURUSE_BIN" status --json --storage "$W/h$1/state" 2> /dev/null; }
connected() { status_json "$1" | python3 -c '
import json, sys; sys.exit(0 if json.load(sys.stdin)["fleet"]["connected"] else 1)'; }
fleet_field() { # N FIELD
  status_json "$1" | python3 -c '
import json, sys; print(json.load(sys.stdin)["fleet"].get(sys.argv[1]))' "$2"; }
banned_on() { # N ADDR
  nsenter -t "${NS[$1]}" -n "$NFT" list set inet luruse "$( [[ $2 == *:* ]] && echo ban6 || echo ban4)" 2> /dev/null |
    grep -qE "(^|[ {,])$2( |,|$)"
}
banned_on_all() { # ADDR HOSTS...
  local a=$1 h; shift
  for h in "$@"; do banned_on "$h" "$a" || return 1; done
}
fail_on() { # N ADDR COUNT
  for _ in $(seq "$3"); do
    echo "Failed password for invalid user admin from $2 port 4242 ssh2" >> "$W/h$1/auth.log"
  done
}
