#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_state_full_disk.sh:  state_full_disk_ns.sh WORKDIR
# The storage is a 4 MiB tmpfs mounted here (never the host's filesystems).
# Entries come from a journal directory that systemd-journal-remote appends
# to: "rec N" lines for the daily report and sshd failures for a jail that
# bans at 2. Phases: normal; the tmpfs filled to the last byte; space back;
# the tmpfs read-only at start.
set -u
W=$1
: "${LURUSE_BIN:?}" "${HOST_NETNS:?}"
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

J=$W/journal ST=$W/state
mkdir -p "$J" "$ST"
mount -t tmpfs -o size=4m,mode=0700 tmpfs "$ST" || skip "cannot mount a tmpfs"
. "$(dirname "${BASH_SOURCE[0]}")/state_disk_feed.sh"
ERR=$W/luruse.err
said() { grep -cF -- "$1" "$ERR"; }

"$LURUSE_BIN" run -c "$W/rules.lua" --storage "$ST" --journal-dir "$J" > /dev/null 2> "$ERR" &
LPID=$!
wait_until 15 grep -qF "luruse running" "$ERR" || { bad "luruse did not start"; tail "$ERR"; exit 1; }

# ------------------------------------------------ normal
feed 1 100 198.51.100
wait_until 15 all_banned 198.51.100 && ok "normal: the five addresses are banned" || bad "normal: not banned"
wait_until 15 caught 100 \
  && ok "normal: 100 report lines saved" || bad "normal: $(lines) report lines saved"

# ------------------------------------------------ the disk full
dd if=/dev/zero of="$ST/filler" bs=64k 2> /dev/null
avail=$(df --output=avail -B1 "$ST" | tail -1)
[ "$avail" -lt 65536 ] && ok "the storage's tmpfs is full ($avail bytes left)" || bad "tmpfs not full: $avail"
feed 101 5100 203.0.113
if wait_until 20 all_banned 203.0.113; then ok "full disk: the daemon goes on banning (nftables holds 203.0.113.1-5)"
else bad "full disk: the new addresses are not banned"; fi
sleep 2.5 # some commits tried
kill -0 "$LPID" && ok "full disk: the daemon runs on" || bad "full disk: the daemon died"
[ "$(said 'is applied but NOT recorded')" -ge 1 ] && ok "full disk: the bans it could not record are logged" \
  || bad "full disk: no 'applied but NOT recorded' line"
grep -E 'disk is full|NOT recorded|recorded now' "$ERR" | sort -u -t: -k2,2 | head -4 | sed 's/^/      | /'
[ "$(grep -cE 'database or disk is full' "$ERR")" -ge 1 ] && ok "full disk: the failed saves are logged" \
  || bad "full disk: no 'database or disk is full' logged"
[ "$(lines)" = 100 ] && ok "full disk: nothing more saved meanwhile" || echo "note: $(lines) lines saved on a full disk"
# the daemon retries each second, and each refusal is not a line of its own
# (497 lines in 3.5 s before): the first, then a count once a minute
refusals=$(grep -cE '(COMMIT|BEGIN IMMEDIATE): database or disk is full' "$ERR")
[ "$refusals" -ge 1 ] && [ "$refusals" -le 2 ] && ok "full disk: $refusals log line(s) for the refused commits" \
  || bad "full disk: $refusals log lines for the refused commits (want 1 or 2)"

# ------------------------------------------------ space back
rm -f "$ST/filler"
wait_until 15 caught 5100 && ok "space back: the 5,000 report lines read meanwhile are saved" \
  || bad "space back: $(lines) of 5100 report lines saved"
n_refused=$(sed -nE 's/.*the database takes writes again, after ([0-9]+) refused transaction.*/\1/p' "$ERR" | head -1)
[ -n "$n_refused" ] && ok "space back: the end of the refusals is logged, with their count ($n_refused)" \
  || bad "space back: no 'takes writes again' line"
feed 5101 5200 192.0.2
wait_until 15 all_banned 192.0.2 && wait_until 15 caught 5200 \
  && ok "space back: new entries are banned and saved" || bad "space back: $(lines) report lines"
n=$(sql "SELECT count(*) FROM ban WHERE addr LIKE '192.0.2.%'")
assert_eq "space back: the new bans are recorded" 5 "$n"
n=$(sql "SELECT count(*) FROM ban WHERE addr LIKE '203.0.113.%'")
assert_eq "space back: the bans made on the full disk are recorded too" 5 "$n"

kill -TERM "$LPID"
wait "$LPID"
assert_eq "luruse stops on SIGTERM with exit 0" 0 $?
LPID=
n=$(report_messages "$W/rules.lua" "$ST" | sort -u | wc -l)
assert_eq "every report line saved once" 5200 "$n"

# ------------------------------------------------ read-only
# A tmpfs cannot be made read-only under files open for writing (EBUSY), so
# this is the storage read-only from the start: refused, with the reason.
mount -o remount,ro "$ST" || bad "cannot remount read-only"
"$LURUSE_BIN" run -c "$W/rules.lua" --storage "$ST" --journal-dir "$J" > /dev/null 2> "$W/ro.err" &
LPID=$!
wait_until 15 sh -c "! kill -0 $LPID"
wait "$LPID"
assert_eq "read-only storage: luruse run exits 1" 1 $?
LPID=
assert_contains "read-only storage: the reason is logged" "$W/ro.err" "Read-only file system"
grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$ERR" && bad "sanitizer report"
echo "full disk checks: $(elapsed)"
[ "$FAILURES" -eq 0 ]
