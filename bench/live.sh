#!/bin/bash
# luruse and fail2ban side by side on a live journal. In private mount, pid
# and network namespaces (nothing of the host's journal or firewall is
# touched): a private systemd-journald (as the tests start it, rate limits
# off), a feeder writing sshd-style failures from distinct addresses at each
# rate for BENCH_SECONDS, `luruse run` with the shipped sshd jail and, when
# fail2ban is installed, `fail2ban-server` with its sshd jail (systemd
# backend, no action) on the same journal, at the same time. Prints per rate:
# CPU % of each (user + system time over the run), RssAnon at the end, and the
# delays:
#  - luruse's own: from when it was woken for an entry (or read it, if later)
#    until its rules ran (`luruse status`, delay_ms.own);
#  - end to end: from journald's stamp on the entry until luruse's rules ran
#    (delay_ms.end_to_end), and, for fail2ban, from the feeder's send until
#    fail2ban logged "Found ADDR" (its log's millisecond timestamps).
# Targets (issue 14): luruse's own delay p99 under 5 ms at 10,000 lines/s, at
# least 40 times less CPU than fail2ban. Exit status 0 when met (or fail2ban
# missing: only the first), 1 when missed, 2 on an error.
#
# BENCH_SYSLOG_WAKE=1 runs luruse with --syslog-wake (journald's syslog
# forwarding as the wake-up, ForwardToSyslog=yes); journald's own CPU is
# printed either way, since forwarding costs it a datagram per message.
# BENCH_FAST_FOLLOW=WHEN runs it with --fast-follow=WHEN (flood, always or
# never; 1 is --fast-follow alone: always); unset, luruse's default (flood:
# the journal polled every 3 ms while entries come at 2,000 a second or more).
# BENCH_LIBSYSTEMD_ONLY=1 adds --libsystemd-only (every entry through
# libsystemd, not new ones straight from journald's files). BENCH_FAIL2BAN=
# (empty) runs luruse alone (the default is the fail2ban-server found in
# PATH); LURUSE_BIN=PATH measures that
# binary instead of building build-release; LIVE_WRAP="perf stat --" (any
# command prefix) wraps `luruse run`, for profiling.
#
#   bench/live.sh                   # as root; BENCH_RATES="1000 10000", BENCH_SECONDS=20
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${LIVE_BENCH_INSIDE:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "live.sh: run as root (namespaces)" >&2; exit 2; }
  if [ -z "${LURUSE_BIN:-}" ]; then
    cmake -S "$SRC" -B "$SRC/build-release" -DCMAKE_BUILD_TYPE=Release > /dev/null &&
      cmake --build "$SRC/build-release" -j"$(nproc)" --target luruse > /dev/null || exit 2
    LURUSE_BIN=$SRC/build-release/luruse
  fi
  W=$(mktemp -d /tmp/luruse-live-bench.XXXXXX)
  trap 'rm -rf "$W"' EXIT
  export LURUSE_BIN LURUSE_SRC=$SRC LIVE_BENCH_INSIDE=1
  unshare -n -m -p -f --kill-child --mount-proc --propagation private bash "$0" "$W"
  exit $?
fi

W=$1
RATES=${BENCH_RATES:-1000 10000}
SECONDS_PER_RATE=${BENCH_SECONDS:-20}
# journald's rate limit (10,000 messages per 30 s per service) would drop lines
WAKE=${BENCH_SYSLOG_WAKE:-0}
FAST=${BENCH_FAST_FOLLOW:-}
case $FAST in
  ''|1|flood|always|never) ;;
  *) echo "live.sh: BENCH_FAST_FOLLOW=$FAST: not 1, flood, always nor never" >&2; exit 2 ;;
esac
SDONLY=${BENCH_LIBSYSTEMD_ONLY:-0}
# for private_journald.sh's journald
JOURNALD_CONF=$(printf 'RateLimitBurst=0\nStorage=volatile\nForwardToSyslog=%s' \
  "$([ "$WAKE" = 1 ] && echo yes || echo no)")
ip link set lo up
# as systemd does at boot (this network namespace's own setting; the kernel's
# default of 10 would make journald drop forwarded datagrams in bursts)
sysctl -qw net.unix.max_dgram_qlen=512 || echo "live.sh: cannot set net.unix.max_dgram_qlen" >&2
. "$SRC/tests/lib/private_journald.sh"
TCK=$(getconf CLK_TCK)
F2B=${BENCH_FAIL2BAN-$(command -v fail2ban-server || true)} # BENCH_FAIL2BAN= : luruse alone

cat > "$W/rules.lua" <<LUA
local L = require "luruse"
L.config { storage = "$W/state", email = { to = { "root@localhost" }, sendmail = { "/bin/false" } } }
L.include "$SRC/rules/jails/sshd.lua"
L.chain "Rest" { L.noop() }
LUA

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_anon() { awk '/RssAnon/ { print $2 }' "/proc/$1/status"; }

start_f2b() {
  rm -rf "$W/f2b" && mkdir -p "$W/f2b" && cp -r /etc/fail2ban/. "$W/f2b/"
  rm -f "$W/f2b/jail.d/"*.conf "$W/f2b/jail.d/"*.local
  cat > "$W/f2b/fail2ban.local" <<EOF
[Definition]
loglevel = INFO
logtarget = $W/f2b.log
socket = $W/f2b.sock
pidfile = $W/f2b.pid
dbfile = :memory:
EOF
  cat > "$W/f2b/jail.local" <<EOF
[DEFAULT]
backend = systemd
action =
[sshd]
enabled = true
journalmatch = SYSLOG_IDENTIFIER=sshd
maxretry = 5
findtime = 10m
bantime = 1h
EOF
  : > "$W/f2b.log"
  "$F2B" -f -x -c "$W/f2b" > "$W/f2b.out" 2>&1 &
  F2BPID=$!
  wait_until 30 grep -q "Jail 'sshd' started" "$W/f2b.log" || { echo "fail2ban did not start:" >&2; tail "$W/f2b.log" "$W/f2b.out" >&2; F2BPID=; }
}

feed() { # RATE SECONDS BASE: distinct addresses, send times in $W/sent
  python3 - "$1" "$2" "$3" > "$W/sent" <<'PY'
import socket, sys, time
rate, secs, base = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect("/run/systemd/journal/socket")
n, t0, tick = rate * secs, time.time(), 0.01
per_tick = max(1, int(rate * tick))
out = []
i = 0
while i < n:
    now = time.time()
    due = int((now - t0) * rate) + per_tick
    while i < min(due, n):
        a = base + i
        addr = "10.%d.%d.%d" % ((a >> 16) & 255, (a >> 8) & 255, a & 255)
        msg = ("MESSAGE=Failed password for invalid user admin from %s port %d ssh2\n"
               "SYSLOG_IDENTIFIER=sshd\nSYSLOG_PID=4242\nPRIORITY=6\n" % (addr, 40000 + i % 20000))
        s.send(msg.encode())
        out.append("%s %.6f" % (addr, time.time()))
        i += 1
    time.sleep(max(0, t0 + (i / rate) - time.time()))
print("\n".join(out))
PY
}

status=0
base=1
for rate in $RATES; do
  rm -rf "$W/state"
  ${LIVE_WRAP:-} "$LURUSE_BIN" run -c "$W/rules.lua" $([ "$WAKE" = 1 ] && echo --syslog-wake) $(case $FAST in '') ;; 1) echo --fast-follow ;; *) echo "--fast-follow=$FAST" ;; esac) $([ "$SDONLY" = 1 ] && echo --libsystemd-only) > /dev/null 2> "$W/luruse.err" & # LIVE_WRAP: e.g. perf record --
  LPID=$!
  wait_until 15 "$LURUSE_BIN" status --storage "$W/state" > /dev/null ||
    { echo "luruse did not start" >&2; cat "$W/luruse.err" >&2; exit 2; }
  F2BPID=
  [ -n "$F2B" ] && start_f2b
  sleep 1
  l0=$(cpu_ticks "$LPID"); f0=$([ -n "$F2BPID" ] && cpu_ticks "$F2BPID" || echo 0); j0=$(cpu_ticks "$JPID")
  t0=$(date +%s.%N)
  feed "$rate" "$SECONDS_PER_RATE" "$base"
  n=$(( rate * SECONDS_PER_RATE ))
  base=$(( base + n ))
  # until both have seen every line (at most 120 s more)
  seen_luruse() { "$LURUSE_BIN" status --json --storage "$W/state" | python3 -c '
import json, sys; d = json.load(sys.stdin); sys.exit(0 if d.get("delay_ms", {}).get("entries", 0) >= int(sys.argv[1]) else 1)' "$n"; }
  wait_until 120 seen_luruse || echo "live.sh: luruse did not see all $n lines" >&2
  t_l=$(date +%s.%N)
  if [ -n "$F2BPID" ]; then
    seen_f2b() { [ "$(grep -c '\] Found ' "$W/f2b.log")" -ge "$n" ]; }
    wait_until 120 seen_f2b || echo "live.sh: fail2ban found only $(grep -c '\] Found ' "$W/f2b.log") of $n lines" >&2
  fi
  t1=$(date +%s.%N)
  l1=$(cpu_ticks "$LPID"); lr=$(rss_anon "$LPID"); j1=$(cpu_ticks "$JPID")
  "$LURUSE_BIN" status --json --storage "$W/state" > "$W/status.json"
  read -r own50 own99 e2e50 e2e99 < <(python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))["delay_ms"]
print(d["own"]["p50"], d["own"]["p99"], d["end_to_end"]["p50"], d["end_to_end"]["p99"])' "$W/status.json")
  # both over the same window: the feed, and until the slower one saw every line
  lcpu=$(awk -v a="$l0" -v b="$l1" -v t="$TCK" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.1f", (b - a) / t / (e - s) * 100 }')
  lsec=$(awk -v a="$l0" -v b="$l1" -v t="$TCK" 'BEGIN { printf "%.2f", (b - a) / t }')
  printf 'rate %d lines/s for %d s (%d lines):\n' "$rate" "$SECONDS_PER_RATE" "$n"
  printf '  luruse:   CPU %s %% (%s s), RssAnon %d KiB, own delay p50 %s ms p99 %s ms, end to end (journald stamp to rules done) p50 %s ms p99 %s ms\n' \
    "$lcpu" "$lsec" "$lr" "$own50" "$own99" "$e2e50" "$e2e99"
  python3 -c '
import json, sys; d = json.load(open(sys.argv[1])).get("journal_direct")
print("  luruse read %s" % ("every entry through libsystemd" if not d else
      "%d entries straight from the files (%d starts, %d hand-backs to libsystemd, %d refused)"
      % (d["entries"], d["starts"], d["handbacks"], d["refused"])))
f = json.load(open(sys.argv[1])).get("fast_follow")
if f: print("  fast follow (%s): %d polls, %d of them found entries" % (f["when"], f["polls"], f["found"]))' "$W/status.json"
  printf '  journald: CPU %s s (syslog forwarding %s)\n' \
    "$(awk -v a="$j0" -v b="$j1" -v t="$TCK" 'BEGIN { printf "%.2f", (b - a) / t }')" \
    "$([ "$WAKE" = 1 ] && echo "on, to luruse's --syslog-wake" || echo off)"
  awk -v p="$own99" 'BEGIN { exit !(p < 5) }' || { [ "$rate" -ge 10000 ] && { echo "  MISSED: own delay p99 under 5 ms"; status=1; }; }
  if [ -n "$F2BPID" ]; then
    f1=$(cpu_ticks "$F2BPID"); fr=$(rss_anon "$F2BPID")
    fcpu=$(awk -v a="$f0" -v b="$f1" -v t="$TCK" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.1f", (b - a) / t / (e - s) * 100 }')
    fsec=$(awk -v a="$f0" -v b="$f1" -v t="$TCK" 'BEGIN { printf "%.2f", (b - a) / t }')
    read -r f50 f99 fn < <(python3 - "$W/sent" "$W/f2b.log" <<'PY'
import sys, re, datetime
sent = dict(l.split() for l in open(sys.argv[1]) if l.strip())
d = []
pat = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) .*\] Found (\S+) ")
for line in open(sys.argv[2]):
    m = pat.match(line)
    if m and m.group(3) in sent:
        t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").timestamp() + int(m.group(2)) / 1000
        d.append((t - float(sent[m.group(3)])) * 1000)
d.sort()
q = lambda p: d[min(len(d) - 1, int(p * len(d)))] if d else float("nan")
print("%.1f %.1f %d" % (q(0.5), q(0.99), len(d)))
PY
)
    printf '  fail2ban: CPU %s %% (%s s), RssAnon %d KiB, end to end (send to "Found") p50 %s ms p99 %s ms (%d lines found)\n' \
      "$fcpu" "$fsec" "$fr" "$f50" "$f99" "$fn"
    ratio=$(awk -v a="$fsec" -v b="$lsec" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }')
    echo "  fail2ban used $ratio times luruse's CPU"
    [ "$rate" -ge 10000 ] && ! awk -v r="$ratio" 'BEGIN { exit !(r >= 40) }' && { echo "  MISSED: 40 times less CPU"; status=1; }
    kill -TERM "$F2BPID"; wait "$F2BPID" 2> /dev/null
  else
    echo "  fail2ban: not installed (apt-get install fail2ban python3-systemd), not compared"
  fi
  kill -TERM "$LPID"; wait "$LPID" 2> /dev/null
  LPID=
done
exit "$status"
