#!/bin/bash
# Bounded under attack: BENCH_LINES (default 10,000,000) sshd failures, each
# from an address never seen before (half IPv4, half IPv6), through the
# shipped sshd jail of a `luruse run` that follows them as a text file, with
# 100 real attackers (5 failures each) spread among them. In private mount,
# pid and network namespaces (its own nftables). Prints the time and rate,
# luruse's CPU time (all its threads), RssAnon (sampled every 0.2 s: the
# largest), the eviction log lines, and how many of the 100 attackers ended
# up banned (all of them must be).
#
# The bound: each jail's counters keep at most 100,000 addresses
# (LR_COUNTERS_DEFAULT_LIMIT), the least recently counted one evicted first;
# RssAnon stays flat once that many are held, whatever the flood.
#
#   bench/flood.sh                        # as root; LURUSE_BIN= another binary
#   BENCH_LINES=1000000 bench/flood.sh    # quicker
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${FLOOD_BENCH_INSIDE:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "flood.sh: run as root (namespaces, nftables)" >&2; exit 2; }
  if [ -z "${LURUSE_BIN:-}" ]; then
    cmake -S "$SRC" -B "$SRC/build-release" -DCMAKE_BUILD_TYPE=Release > /dev/null &&
      cmake --build "$SRC/build-release" -j"$(nproc)" --target luruse > /dev/null || exit 2
    LURUSE_BIN=$SRC/build-release/luruse
  fi
  W=$(mktemp -d /tmp/luruse-flood.XXXXXX)
  trap 'rm -rf "$W"' EXIT
  export LURUSE_BIN FLOOD_BENCH_INSIDE=1
  unshare -n -m -p -f --kill-child --mount-proc --propagation private \
    bash -c 'mount -t tmpfs tmpfs /run/systemd 2> /dev/null; exec bash "$0" "$1"' "$0" "$W"
  exit $?
fi

W=$1
N=${BENCH_LINES:-10000000}
ip link set lo up
mkdir -p "$W/journal"
cat > "$W/rules.lua" <<LUA
local L = require "luruse"
L.config { storage = "$W/state", email = { to = { "root@localhost" }, sendmail = { "/bin/false" } } }
L.include "$SRC/rules/jails/sshd.lua"
L.chain "Rest" { L.noop() }
LUA
echo "flood.sh: writing $N lines..."
python3 - "$N" > "$W/auth.log" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
attackers = ["198.18.%d.%d" % (k // 250, k % 250 + 1) for k in range(100)]
every = max(1, n // 500)  # 500 bursts of one attacker failure
k = 0
buf = []
for i in range(n):
    if i % 2:
        a = "2001:db8:%x:%x::%x" % ((i >> 32) & 0xffff, (i >> 16) & 0xffff, i & 0xffff)
    else:
        a = "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255) if i < (1 << 24) else \
            "100.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)
    buf.append("Failed password for invalid user admin from %s port 22 ssh2\n" % a)
    if i % every == 0 and k < 500:
        buf.append("Failed password for root from %s port 22 ssh2\n" % attackers[k // 5])
        k += 1
    if len(buf) >= 10000:
        out.write("".join(buf)); buf = []
out.write("".join(buf))
PY
total=$(wc -l < "$W/auth.log")
t0=$(date +%s.%N)
${FLOOD_WRAP:-} "$LURUSE_BIN" run -c "$W/rules.lua" --journal-dir "$W/journal" --file "$W/auth.log" --identifier sshd \
  --from-start > /dev/null 2> "$W/run.err" &
PID=$!
max_rss=0
entries() { "$LURUSE_BIN" status --json --storage "$W/state" 2> /dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])' 2> /dev/null || echo 0; }
while kill -0 "$PID" 2> /dev/null; do
  r=$(awk '/RssAnon/ { print $2 }' "/proc/$PID/status" 2> /dev/null || echo 0)
  [ "${r:-0}" -gt "$max_rss" ] && max_rss=$r
  [ "$(entries)" -ge "$total" ] && break
  sleep 0.2
done
t1=$(date +%s.%N)
# user + system time of every thread (the WAL checkpoints' included)
ticks=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
banned=$(nft list set inet luruse ban4 2> /dev/null | grep -o '198\.18\.[0-9]*\.[0-9]*' | sort -u | wc -l)
status=$("$LURUSE_BIN" status --json --storage "$W/state")
kill -TERM "$PID"; wait "$PID"
awk -v n="$total" -v a="$t0" -v b="$t1" 'BEGIN { printf "%d lines in %.1f s: %.0f lines/s\n", n, b - a, n / (b - a) }'
awk -v n="$total" -v c="$ticks" -v t="$(getconf CLK_TCK)" \
  'BEGIN { printf "CPU: %.2f s, %.2f us a line\n", c / t, c / t / n * 1e6 }'
echo "RssAnon: at most $((max_rss / 1024)) MiB (sampled every 0.2 s)"
echo "$status" | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = d["counters"]
print("counters: %d keys held, %d evicted; %d bytes" % (c["keys"], c["evicted"], c["bytes"]))'
echo "eviction log lines: $(grep -c 'evict' "$W/run.err")"
grep 'evict' "$W/run.err" | head -3 | sed 's/^/  | /'
echo "attackers banned: $banned of 100"
[ "$banned" -eq 100 ]
