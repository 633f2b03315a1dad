# Sourced by the scenarios of the state database's disk (state_full_disk_ns.sh,
# state_read_only_ns.sh), once W, J (a journal directory) and ST (the storage)
# are set: writes $W/rules.lua (a jail "disk" banning at 2 sshd failures, and
# a report line "j N" for each "rec N" lrtest entry) and defines
#   feed FIRST LAST NET  "rec FIRST".."rec LAST", with two failures from each of
#                        NET.1..NET.5 among them, appended to $J by
#                        systemd-journal-remote
#   sql QUERY            the state database, read-only
#   lines, caught N      its report lines; whether there are N
#   in_set ADDR          nftables' inet luruse ban4 holds ADDR
#   all_banned NET       NET.1..NET.5 are all in it
: "${W:?}" "${J:?}" "${ST:?}"
NFT=${NFT:-/usr/sbin/nft}
REMOTE=${REMOTE:-/lib/systemd/systemd-journal-remote}
DB=$ST/luruse.db
cat > "$W/rules.lua" <<LUA
local L = require "luruse"
L.config { email = { to = { "root@localhost" }, sendmail = { "/bin/false" } } }
L.jail "disk" { identifier = "sshd", maxretry = 2, findtime = "1d", bantime = "1d",
  failures = { [[^Failed password for \S+ from (?<ip>\S+) port \d+ ssh2$]] } }
L.chain "Journal" { L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^rec (?<n>\d+)$]]), L.report("INFO", "j {n}", "NONE") }
LUA

feed() {
  python3 - "$1" "$2" "$3" > "$W/feed.export" <<'PY'
import sys, time
first, last, net = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
t = int(time.time() * 1e6)
out = []
for i in range(first, last + 1):
    out.append(("lrtest", "rec %d" % i))
    if i - first < 10:
        out.append(("sshd", "Failed password for root from %s.%d port %d ssh2" % (net, (i - first) % 5 + 1, i)))
for k, (ident, m) in enumerate(out):
    sys.stdout.write("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n"
                     "_HOSTNAME=disk\nSYSLOG_IDENTIFIER=%s\nPRIORITY=4\nMESSAGE=%s\n\n" % (t + k, t + k, ident, m))
PY
  timeout -k 2 20 "$REMOTE" --split-mode=none -o "$J/d.journal" - < "$W/feed.export" 2> "$W/remote.err" \
    || bad "systemd-journal-remote failed: $(cat "$W/remote.err")"
}
sql() { sqlite3 -readonly -cmd ".timeout 5000" "file:$DB?mode=ro" "$1" 2> /dev/null; }
lines() { report_messages "$W/rules.lua" "$ST" | wc -l; }
caught() { [ "$(lines)" = "$1" ]; }
in_set() { "$NFT" list set inet luruse ban4 2> /dev/null | grep -qF "$1"; }
all_banned() { local k; for k in 1 2 3 4 5; do in_set "$1.$k" || return 1; done; }
