#!/bin/bash
# Bounded under attack, the DNAT map: BENCH_LINES (default 1,000,000) NAT log
# lines, each a mapping never seen before (proxy address and port distinct),
# captured by `luruse run` following them as a text file (L.dnat_capture,
# keepSeconds 3600), then 100 service lines whose client is put back
# (L.dnat_replace) and logged. In private mount, pid and network namespaces.
# Prints the time and rate, RssAnon (sampled every second: the largest), the
# map's figures from `luruse status`, the eviction log lines, and how many of
# the 100 clients were put back.
#
# The bound: the map holds at most 4,000,000 mappings (LR_DNAT_DEFAULT_LIMIT,
# about 90 bytes each), the oldest evicted first; BENCH_LINES=5000000 shows
# the evictions and their log lines (the first at once, then once a minute).
#
#   bench/dnat_flood.sh                      # as root; LURUSE_BIN= another binary
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${DNAT_FLOOD_INSIDE:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "dnat_flood.sh: run as root (namespaces)" >&2; exit 2; }
  if [ -z "${LURUSE_BIN:-}" ]; then
    cmake -S "$SRC" -B "$SRC/build-release" -DCMAKE_BUILD_TYPE=Release > /dev/null &&
      cmake --build "$SRC/build-release" -j"$(nproc)" --target luruse > /dev/null || exit 2
    LURUSE_BIN=$SRC/build-release/luruse
  fi
  W=$(mktemp -d /tmp/luruse-dnat-flood.XXXXXX)
  trap 'rm -rf "$W"' EXIT
  export LURUSE_BIN DNAT_FLOOD_INSIDE=1
  unshare -n -m -p -f --kill-child --mount-proc --propagation private \
    bash -c 'mount -t tmpfs tmpfs /run/systemd 2> /dev/null; exec bash "$0" "$1"' "$0" "$W"
  exit $?
fi

W=$1
N=${BENCH_LINES:-1000000}
ip link set lo up
mkdir -p "$W/journal"
cat > "$W/rules.lua" <<LUA
local L = require "luruse"
L.config { storage = "$W/state", email = { to = { "root@localhost" }, sendmail = { "/bin/false" } } }
L.chain "Nat" {
  L.equals("SYSLOG_IDENTIFIER", "nat"),
  L.pcre("MESSAGE", [[^DNAT (?<c>\S+):(?<cp>\d+) via (?<p>\S+):(?<pp>\d+)$]]),
  L.dnat_capture { saddr = "c", sport = "cp", addr = "p", port = "pp", keepSeconds = 3600 },
}
L.chain "Service" {
  L.equals("SYSLOG_IDENTIFIER", "svc"),
  L.pcre("MESSAGE", [[^login failed from (?<ip>\S+) port (?<port>\d+)$]]),
  L.dnat_replace { addr = "ip", port = "port", saddrInto = "client" },
  L.log("client {client}", "INFO"),
}
LUA
echo "dnat_flood.sh: writing $N lines..."
python3 - "$N" > "$W/nat.log" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
buf = []
for i in range(n):
    c = "198.%d.%d.%d" % (18 + (i >> 24 & 1), i >> 16 & 255, i >> 8 & 255)
    buf.append("2026-12-01T10:00:00+00:00 gw nat: DNAT %s:%d via 10.%d.%d.%d:%d\n" % (c, 1024 + i % 60000, i >> 24 & 255, i >> 16 & 255, 0, i & 0xffff))
    if len(buf) >= 10000:
        out.write("".join(buf)); buf = []
# the last 100 mappings are asked for
for i in range(n - 100, n):
    buf.append("2026-12-01T10:00:01+00:00 web svc: login failed from 10.%d.%d.%d port %d\n" % (i >> 24 & 255, i >> 16 & 255, 0, i & 0xffff))
out.write("".join(buf))
PY
total=$(wc -l < "$W/nat.log")
t0=$(date +%s.%N)
"$LURUSE_BIN" run -c "$W/rules.lua" --journal-dir "$W/journal" --file "$W/nat.log" --from-start > /dev/null 2> "$W/run.err" &
PID=$!
max_rss=0
entries() { "$LURUSE_BIN" status --json --storage "$W/state" 2> /dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])' 2> /dev/null || echo 0; }
while kill -0 "$PID" 2> /dev/null; do
  r=$(awk '/RssAnon/ { print $2 }' "/proc/$PID/status" 2> /dev/null || echo 0)
  [ "${r:-0}" -gt "$max_rss" ] && max_rss=$r
  [ "$(entries)" -ge "$total" ] && break
  sleep 1
done
t1=$(date +%s.%N)
r=$(awk '/RssAnon/ { print $2 }' "/proc/$PID/status" 2> /dev/null || echo 0)
[ "${r:-0}" -gt "$max_rss" ] && max_rss=$r
status=$("$LURUSE_BIN" status --json --storage "$W/state")
kill -TERM "$PID"; wait "$PID"
awk -v n="$total" -v a="$t0" -v b="$t1" 'BEGIN { printf "%d lines in %.1f s: %.0f lines/s\n", n, b - a, n / (b - a) }'
echo "RssAnon: at most $((max_rss / 1024)) MiB (sampled every second)"
echo "$status" | python3 -c '
import json, sys
d = json.load(sys.stdin)["dnat"]
print("DNAT map: %d mappings held (%d bytes, %.1f per mapping), %d evicted" % (d["mappings"], d["bytes"], d["bytes"] / max(1, d["mappings"]), d["evicted"]))'
echo "eviction log lines: $(grep -c 'DNAT: the map is full' "$W/run.err")"
grep 'DNAT: the map is full' "$W/run.err" | head -3 | sed 's/^/  | /'
back=$(grep -c 'client 198\.' "$W/run.err")
echo "clients put back: $back of 100"
[ "$back" -eq 100 ]
