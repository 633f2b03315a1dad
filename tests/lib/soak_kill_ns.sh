#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_soak_kill.sh:  soak_kill_ns.sh WORKDIR
# Needs SOAK_ENTRIES, SOAK_LINES, SOAK_KILLS, SOAK_SEED.
#
# The journal: half of SOAK_ENTRIES written before the first start, the rest
# appended by systemd-journal-remote in SOAK_KILLS chunks, one before each
# start. Its entries are "rec N" (a report line "j N"), "alert N" (an email
# whose sendmail always fails, so that it stays in the outbox) and sshd
# failures from 300 addresses, 1 to 5 each, for a jail that bans at 3. A writer
# appends "line N" to a followed file meanwhile (a report line "f N"). luruse
# is killed with SIGKILL at a random moment of each start (before it is ready,
# while it reads its backlog, while it is idle); a last start catches up and
# stops on SIGTERM.
set -u
W=$1
: "${LURUSE_BIN:?}" "${HOST_NETNS:?}" "${SOAK_ENTRIES:?}" "${SOAK_LINES:?}" "${SOAK_KILLS:?}" "${SOAK_SEED:?}"
NFT=/usr/sbin/nft
REMOTE=/lib/systemd/systemd-journal-remote
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
if [ "$(readlink /proc/self/ns/net)" = "$HOST_NETNS" ]; then
  echo "FAIL - still in the host's network namespace: refusing to touch any firewall"
  exit 1
fi
[ -S /run/systemd/journal/socket ] && { echo "FAIL - a journald socket is visible"; exit 1; }
"$NFT" list ruleset > /dev/null 2>&1 || skip "no nftables in this kernel"
ip link set lo up

J=$W/journal LOGS=$W/logs ST=$W/state
mkdir -p "$J" "$LOGS" "$ST"
DB=$ST/luruse.db
: > "$LOGS/app.log"
printf '#!/bin/sh\ncat > /dev/null\nexit 75\n' > "$W/sendmail.sh" # a temporary failure, always
chmod +x "$W/sendmail.sh"
cat > "$W/rules.lua" <<LUA
local L = require "luruse"
L.config { email = { from = "soak@test.invalid", to = { "root@test.invalid" },
                     sendmail = { "$W/sendmail.sh" }, throttleSeconds = 0 } }
L.file { "$LOGS/app.log", identifier = "app" }
L.jail "soak" { identifier = "sshd", maxretry = 3, findtime = "1d", bantime = "1d",
  failures = { [[^Failed password for \S+ from (?<ip>\S+) port \d+ ssh2$]] } }
L.chain "Journal" { L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^rec (?<n>\d+)$]]), L.report("INFO", "j {n}", "NONE") }
L.chain "Alert" { L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^alert (?<n>\d+)$]]), L.email("soak alert {n}", "alert {n}") }
L.chain "File" { L.equals("SYSLOG_IDENTIFIER", "app"),
  L.pcre("MESSAGE", [[^line (?<n>\d+)$]]), L.report("INFO", "f {n}", "NONE") }
LUA

# chunk.0 .. chunk.KILLS (export format) and the expected outcome
python3 - "$W" "$SOAK_ENTRIES" "$SOAK_KILLS" "$SOAK_SEED" <<'PY'
import ipaddress, os, random, sys, time
w, n, kills, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
addrs = [str(ipaddress.ip_address("203.0.113.1") + a) if a < 150 else
         str(ipaddress.ip_address("2001:db8::1:0") + a) for a in range(300)]
fails = {}
for a, ip in enumerate(addrs):
    for _ in range(a % 5 + 1):
        while True:
            p = rnd.randrange(n)
            if p not in fails:
                fails[p] = ip
                break
alert_every = max(1, n // 40)
msgs, rec, alerts = [], 0, []
for i in range(n):
    if i in fails:
        msgs.append(("sshd", "Failed password for root from %s port %d ssh2" % (fails[i], 1000 + i)))
    elif i % alert_every == alert_every - 1:
        alerts.append(i)
        msgs.append(("lrtest", "alert %d" % i))
    else:
        rec += 1
        msgs.append(("lrtest", "rec %d" % rec))
t0 = int(time.time() * 1e6) - 60 * 1000000
half = n // 2
bounds = [0, half] + [half + (n - half) * k // kills for k in range(1, kills + 1)]
for c in range(len(bounds) - 1):
    with open(os.path.join(w, "chunk.%d" % c), "w") as f:
        for i in range(bounds[c], bounds[c + 1]):
            ident, m = msgs[i]
            f.write("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n"
                    "_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=soak\n"
                    "SYSLOG_IDENTIFIER=%s\nPRIORITY=4\nMESSAGE=%s\n\n" % (t0 + i, 1000 + i, ident, m))
with open(os.path.join(w, "recs.upto"), "w") as f: # report lines in chunks 0..c
    for c in range(len(bounds) - 1):
        f.write("%d\n" % sum(1 for i in range(bounds[c + 1]) if msgs[i][1].startswith("rec ")))
banned = sorted(ip for a, ip in enumerate(addrs) if a % 5 + 1 >= 3)
open(os.path.join(w, "expect.recs"), "w").write("%d\n" % rec)
open(os.path.join(w, "expect.alerts"), "w").write("".join("alert %d\n" % i for i in alerts))
open(os.path.join(w, "expect.bans"), "w").write("".join(ip + "\n" for ip in banned))
PY
RECS=$(cat "$W/expect.recs")
append() { # CHUNK
  timeout -k 2 60 "$REMOTE" --split-mode=none -o "$J/soak.journal" - < "$W/chunk.$1" 2>> "$W/remote.err" \
    || bad "systemd-journal-remote failed on chunk $1: $(tail -3 "$W/remote.err")"
}
append 0
ok "journal: $SOAK_ENTRIES entries to come ($RECS report lines, $(wc -l < "$W/expect.alerts") alerts," \
  "$(wc -l < "$W/expect.bans") addresses to ban), half written ($(elapsed))"

RUNS=0
start_daemon() {
  RUNS=$((RUNS + 1))
  ERR=$W/run.$RUNS.err
  # --from-start: until a cursor is saved (a kill before the first commit);
  # ignored once there is one
  "$LURUSE_BIN" run -c "$W/rules.lua" --storage "$ST" --journal-dir "$J" --from-start \
    > /dev/null 2> "$ERR" &
  LPID=$!
}
sql() { sqlite3 -cmd ".timeout 5000" "$DB" "$1" 2> /dev/null; }

# The writer: SOAK_LINES lines over about as long as the kills take.
python3 - "$LOGS/app.log" "$SOAK_LINES" "$(( SOAK_KILLS * 8 / 10 + 1 ))" <<'PY' &
import sys, time
path, n, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
f = open(path, "ab", buffering=0)
step = max(1, n // int(secs * 100))
for i in range(1, n + 1):
    f.write(b"line %d\n" % i)
    if i % step == 0:
        time.sleep(0.01)
PY
WPID=$!

# ------------------------------------------------ the kills
# Each chunk is appended while luruse is down, so that each start has a backlog
# to read: a quarter of the kills come before it is ready, the others at up to
# 300 ms after. A kill that leaves fewer of the journal's lines saved than
# there were to read came before a commit.
moments= uncommitted=0
for k in $(seq 1 "$SOAK_KILLS"); do
  append "$k"
  start_daemon
  if [ $((RANDOM % 4)) -eq 0 ]; then ms=$((RANDOM % 150)); when=start
  else
    wait_until 20 grep -qF "luruse running" "$ERR" || bad "start $k did not get ready"
    ms=$((RANDOM % 300)); when=ready
  fi
  sleep "$(printf '0.%03d' "$ms")"
  kill -KILL "$LPID"
  wait "$LPID" 2> /dev/null
  rc=$?
  [ "$rc" -eq 137 ] || bad "start $k ended by itself before its kill (exit $rc): $(tail -3 "$ERR")"
  there=$(sed -n "$((k + 1))p" "$W/recs.upto")
  saved=$(report_messages "$W/rules.lua" "$ST" | grep -c '^j ')
  [ "$saved" -lt "$there" ] && uncommitted=$((uncommitted + 1))
  moments="$moments $when+${ms}ms:$saved/$there"
done
LPID=
ok "$SOAK_KILLS kill -9 (when: the journal's report lines saved/there to read):$moments"
ok "$uncommitted of the $SOAK_KILLS kills came with journal entries read or to read but not committed"
wait "$WPID" || bad "the writer failed"

# ------------------------------------------------ the last start catches up
start_daemon
want=$((RECS + SOAK_LINES))
saved_lines() { report_messages "$W/rules.lua" "$ST" | wc -l; }
caught_up() { [ "$(saved_lines)" -ge "$want" ]; }
if wait_until 300 caught_up; then ok "the last start caught up: $want report lines ($(elapsed))"
else bad "the last start caught up to $(saved_lines) of $want report lines"; fi
sleep 1.5 # a commit after the last entry
kill -TERM "$LPID"
wait "$LPID"
assert_eq "the last start stops on SIGTERM with exit 0" 0 $?
LPID=
if grep -lE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W"/run.*.err; then
  bad "a sanitizer report in luruse's stderr"
else
  ok "no sanitizer report in the $RUNS starts"
fi

# ------------------------------------------------ the checks
dups() { sort | uniq -d | head -5 | tr '\n' ' '; }
report_messages "$W/rules.lua" "$ST" > "$W/lines"
got=$(grep -c '^j ' "$W/lines"); d=$(grep '^j ' "$W/lines" | dups)
[ "$got" = "$RECS" ] && [ -z "$d" ] && cmp -s <(grep '^j ' "$W/lines" | sort) <(seq 1 "$RECS" | sed 's/^/j /' | sort) \
  && ok "journal: 'j 1'..'j $RECS' recorded exactly once each" \
  || bad "journal: $got report lines of $RECS, twice: [$d]"
got=$(grep -c '^f ' "$W/lines"); d=$(grep '^f ' "$W/lines" | dups)
[ "$got" = "$SOAK_LINES" ] && [ -z "$d" ] && cmp -s <(grep '^f ' "$W/lines" | sort) <(seq 1 "$SOAK_LINES" | sed 's/^/f /' | sort) \
  && ok "followed file: 'f 1'..'f $SOAK_LINES' recorded exactly once each" \
  || bad "followed file: $got report lines of $SOAK_LINES, twice: [$d]"

sql "SELECT what FROM outbox" > "$W/outbox"
d=$(dups < "$W/outbox")
[ -z "$d" ] && ok "no email in the outbox twice ($(wc -l < "$W/outbox") emails)" \
  || bad "emails in the outbox twice: [$d]"
cmp -s <(sort -u "$W/outbox") <(sort "$W/expect.alerts") && ok "every alert is in the outbox" \
  || bad "alerts missing from the outbox: $(comm -13 <(sort -u "$W/outbox") <(sort "$W/expect.alerts") | head -5 | tr '\n' ' ')"

sql "SELECT addr FROM ban" | sort > "$W/ban.db"
d=$(dups < "$W/ban.db")
cmp -s "$W/ban.db" <(sort "$W/expect.bans") && [ -z "$d" ] \
  && ok "the ban records: the $(wc -l < "$W/expect.bans") addresses past maxretry, once each" \
  || bad "ban records differ: $(diff <(sort "$W/expect.bans") "$W/ban.db" | head -6 | tr '\n' ' ')"
for s in ban4 ban6; do "$NFT" -j list set inet luruse "$s"; done > "$W/sets.json" 2> "$W/nft.err"
python3 - "$W/sets.json" > "$W/ban.nft" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    for o in json.loads(line)["nftables"]:
        for e in o.get("set", {}).get("elem", []):
            print(e["elem"]["val"] if isinstance(e, dict) else e)
PY
sort -o "$W/ban.nft" "$W/ban.nft"
cmp -s "$W/ban.nft" <(sort "$W/expect.bans") \
  && ok "nftables' ban4 and ban6 hold exactly those addresses" \
  || bad "the sets differ: $(diff <(sort "$W/expect.bans") "$W/ban.nft" | head -6 | tr '\n' ' ') $(cat "$W/nft.err")"

c=$(saved_cursor "$DB" "cursor:dir:$J")
last=$(journalctl -D "$J" -n 1 -o export --no-pager | sed -n 's/^__CURSOR=//p')
[ -n "$c" ] && [ "$c" = "$last" ] && ok "the cursor saved is the journal's last entry's" \
  || bad "cursor saved [$c], the last entry's [$last]"
after=$(journalctl -D "$J" --after-cursor="$c" -q -o cat --no-pager 2>&1 | wc -l)
assert_eq "no entry after the saved cursor" 0 "$after"
pos=$(sql "SELECT value FROM meta WHERE key = 'file:$LOGS/app.log'" | awk '{ print $4 }')
assert_eq "the file position saved is the file's end" "$(stat -c %s "$LOGS/app.log")" "$pos"
echo "soak: $RUNS starts, $(elapsed)"
[ "$FAILURES" -eq 0 ]
