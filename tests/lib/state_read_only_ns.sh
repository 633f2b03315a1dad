#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_state_read_only.sh:  state_read_only_ns.sh WORKDIR
# The storage is a 64 MiB ext4 image on a loop device, mounted here with
# errors=remount-ro (never the host's filesystems); entries come from a
# journal directory that systemd-journal-remote appends to: "rec N" lines for
# the daily report and sshd failures for a jail that bans at 2.
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

J=$W/journal ST=$W/state IMG=$W/state.img
mkdir -p "$J" "$ST"
truncate -s 64M "$IMG" && mkfs.ext4 -q -F "$IMG" || skip "cannot make an ext4 image"
mount -o loop,errors=remount-ro "$IMG" "$ST" 2> "$W/mount.err" || skip "cannot mount a loop device: $(cat "$W/mount.err")"
DEV=$(basename "$(findmnt -no SOURCE "$ST")")
TRIGGER=/sys/fs/ext4/$DEV/trigger_fs_error
[ -w "$TRIGGER" ] || { umount "$ST"; skip "no $TRIGGER in this kernel"; }
chmod 0700 "$ST"
. "$(dirname "${BASH_SOURCE[0]}")/state_disk_feed.sh"
ERR=$W/luruse.err
start() {
  "$LURUSE_BIN" run -c "$W/rules.lua" --storage "$ST" --journal-dir "$J" > /dev/null 2>> "$ERR" &
  LPID=$!
  wait_until 15 grep -qF "luruse running" "$ERR" || { bad "luruse did not start"; tail "$ERR"; exit 1; }
}
stop() { # stops the daemon; its exit status in STOPPED
  kill -TERM "$LPID"
  wait_until 20 sh -c "! kill -0 $LPID" || { bad "luruse did not stop within 20 s of SIGTERM"; kill -KILL "$LPID"; }
  wait "$LPID"
  STOPPED=$?
  LPID=
}

start
# ------------------------------------------------ normal
feed 1 100 198.51.100
wait_until 15 all_banned 198.51.100 && ok "normal: the five addresses are banned" || bad "normal: not banned"
wait_until 15 caught 100 && ok "normal: 100 report lines saved" || bad "normal: $(lines) report lines saved"

# ------------------------------------------------ the filesystem turns read-only
# what the kernel's writeback would have put on the disk by then (dirty pages
# are flushed within 30 s): an error drops the pages not yet written, and with
# synchronous=NORMAL the last commits before a crash may be among them
sync -f "$ST/luruse.db"
echo "luruse test: read-only now" > "$TRIGGER"
if findmnt -no OPTIONS "$ST" | grep -qE '(^|,)ro(,|$)|emergency_ro'; then
  ok "ext4 remounted the storage read-only on its error ($(findmnt -no OPTIONS "$ST"))"
else
  bad "the storage is still writable: $(findmnt -no OPTIONS "$ST")"
fi
: 2> /dev/null > "$ST/probe" && bad "a file could still be written" || ok "writes fail: $( (: > "$ST/probe") 2>&1 | sed 's/.*: //')"
MARK=$(wc -l < "$ERR")
feed 101 1100 203.0.113
if wait_until 20 all_banned 203.0.113; then ok "read-only: the daemon goes on banning (nftables holds 203.0.113.1-5)"
else bad "read-only: the new addresses are not banned"; fi
sleep 2.5 # some commits tried
kill -0 "$LPID" && ok "read-only: the daemon runs on" || bad "read-only: the daemon died"
tail -n +"$((MARK + 1))" "$ERR" > "$W/ro.err"
grep -qF 'is applied but NOT recorded' "$W/ro.err" && ok "read-only: the bans it could not record are logged" \
  || bad "read-only: no 'applied but NOT recorded' line"
grep -qiE 'read-only|readonly|disk I/O error' "$W/ro.err" && ok "read-only: the failed saves are logged" \
  || bad "read-only: no failed save logged"
grep -iE 'read-only|readonly|I/O error|NOT recorded' "$W/ro.err" | sort -u | head -4 | sed 's/^/      | /'
stop
[ "$STOPPED" -le 1 ] && ok "read-only: luruse stops on SIGTERM (exit $STOPPED)" || bad "read-only: exit status $STOPPED after SIGTERM"

# ------------------------------------------------ repaired and mounted again
umount "$ST" || bad "cannot unmount the storage"
e2fsck -fy "$IMG" > "$W/fsck.out" 2>&1
[ $? -le 1 ] && ok "the filesystem is repaired (e2fsck)" || { bad "e2fsck failed:"; tail -5 "$W/fsck.out"; }
mount -o loop,errors=remount-ro "$IMG" "$ST" || { bad "cannot mount the repaired storage"; exit 1; }
start
wait_until 20 caught 1100 && ok "catching up: the 1,000 report lines of the read-only time are saved" \
  || bad "catching up: $(lines) of 1100 report lines saved"
n=$(report_messages "$W/rules.lua" "$ST" | sort -u | wc -l)
assert_eq "catching up: every report line saved once" 1100 "$n"
wait_until 15 sh -c "[ \"\$(sqlite3 -readonly 'file:$DB?mode=ro' \"SELECT count(*) FROM ban WHERE addr LIKE '203.0.113.%'\" 2>/dev/null)\" = 5 ]"
n=$(sql "SELECT count(*) FROM ban WHERE addr LIKE '203.0.113.%'")
assert_eq "catching up: the bans made while read-only are recorded, once each" 5 "$n"
n=$(sql "SELECT count(*) FROM ban WHERE addr LIKE '198.51.100.%'")
assert_eq "the bans from before are still recorded, once each" 5 "$n"
feed 1101 1200 192.0.2
wait_until 15 all_banned 192.0.2 && wait_until 15 caught 1200 \
  && ok "after: new entries are banned and saved" || bad "after: $(lines) report lines"
stop
assert_eq "luruse stops on SIGTERM with exit 0" 0 "$STOPPED"
umount "$ST"
grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$ERR" && bad "sanitizer report"
echo "read-only checks: $(elapsed)"
[ "$FAILURES" -eq 0 ]
