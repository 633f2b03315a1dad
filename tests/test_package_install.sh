#!/bin/bash
# Installed means protected, checked on a fresh machine: the Debian package of
# this tree is built, installed with dpkg in a throw-away Debian 12 booted with
# systemd (tests/lib/container.sh: this host's system under an overlay, in its
# own network namespace), and then, with nothing configured:
#  - the service runs, as the luruse user, with CAP_NET_ADMIN only, its unit
#    verified and its exposure score within the target;
#  - an SSH attacker is banned after 5 failures, for an hour, in luruse's own
#    table; 4 failures from another address ban nothing;
#  - `systemctl reload` (ExecReload=luruse reload) takes good rules and fails
#    on broken ones, which leave the old rules running;
#  - an alert email reaches the local mailbox through the machine's exim4 from
#    inside the sandbox (the shipped email.sendmail: luruse sendmail).
. "$(dirname "$0")/lib/common.sh"
setup
. "$TESTS_LIB/build_deb.sh"
. "$TESTS_LIB/container.sh"
EXPOSURE_MAX=3.0

# the package test_deb_package built and checked (this test's ctest fixture),
# else one built here
DEB=$(ls "${LURUSE_DEB_DIR:-/nonexistent}"/luruse_*.deb 2>/dev/null | head -1)
if [ -z "$DEB" ]; then
  build_deb "$T/deb" || { bad "the package builds"; finish; }
  DEB=$(ls "$T"/deb/luruse_*.deb)
fi
ok "the package: $(basename "$DEB")"

ct_boot
ct_copy_in "$DEB" /root/
# Container images (this host's may be one) carry Docker's policy-rc.d, which
# forbids maintainer scripts to start services; a Debian machine has none.
ct rm -f /usr/sbin/policy-rc.d
if ct_sh "DEBIAN_FRONTEND=noninteractive dpkg -i /root/$(basename "$DEB")" > "$T/dpkg.out" 2>&1; then
  ok "dpkg -i on a fresh machine"
else
  bad "dpkg -i failed:"; sed 's/^/      | /' "$T/dpkg.out"; finish
fi

# started by the package (deb-systemd-helper / deb-systemd-invoke)
if ct_wait 30 "systemctl is-active --quiet luruse"; then
  ok "the service is enabled and running after install"
else
  bad "the service is not running after install:"
  ct systemctl status --no-pager luruse 2>&1 | sed 's/^/      | /'
  ct journalctl -b --no-pager -u luruse 2>&1 | tail -20 | sed 's/^/      | /'
  finish
fi
assert_eq "enabled at boot" enabled "$(ct systemctl is-enabled luruse 2>&1)"

assert_eq "the unit's watchdog is on" 1min "$(ct systemctl show -P WatchdogUSec luruse)"
if ct_wait 15 "systemctl show -P StatusText luruse | grep -q 'entries.*bans in force.*emails waiting'"; then
  ok "sd_notify STATUS: $(ct systemctl show -P StatusText luruse)"
else
  bad "no STATUS= line from the daemon: '$(ct systemctl show -P StatusText luruse)'"
fi
PID=$(ct systemctl show -P MainPID luruse)
assert_eq "runs as the luruse user" luruse "$(ct ps -o user= -p "$PID" | tr -d ' ')"
capeff=$(ct_sh "grep CapEff /proc/$PID/status" | awk '{print $2}')
# CAP_NET_ADMIN is bit 12
assert_eq "effective capabilities: CAP_NET_ADMIN only" 0000000000001000 "$capeff"
groups=" "
for g in $(ct_sh "grep ^Groups: /proc/$PID/status" | cut -d: -f2); do
  groups="$groups$(ct getent group "$g" | cut -d: -f1) "
done
case $groups in
  *" adm "*) case $groups in
    *" systemd-journal "*) ok "the daemon is in the groups systemd-journal and adm:$groups" ;;
    *) bad "the daemon's groups:$groups" ;; esac ;;
  *) bad "the daemon's groups:$groups" ;;
esac
if ct systemd-analyze verify /lib/systemd/system/luruse.service > "$T/verify.out" 2>&1; then
  ok "systemd-analyze verify: no complaint about the unit"
else
  bad "systemd-analyze verify:"; sed 's/^/      | /' "$T/verify.out"
fi
ct systemd-analyze security --no-pager luruse.service > "$T/security.out" 2>&1
score=$(sed -n 's/.*Overall exposure level for luruse.service: \([0-9.]*\).*/\1/p' "$T/security.out")
if [ -n "$score" ] && awk -v s="$score" -v m="$EXPOSURE_MAX" 'BEGIN { exit !(s <= m) }'; then
  ok "exposure of the running unit: $score (at most $EXPOSURE_MAX)"
else
  bad "exposure of the running unit: '${score:-?}' (target at most $EXPOSURE_MAX)"
  grep '✗' "$T/security.out" | sed 's/^/      | /'
fi
if ct nft list table inet luruse > "$T/table.out" 2>&1; then
  ok "luruse's own table exists"
else
  bad "no table inet luruse:"; sed 's/^/      | /' "$T/table.out"
fi

# An SSH attacker, through the machine's journal as sshd logs it.
for i in 1 2 3 4 5; do
  ct logger -t sshd -p auth.info "Failed password for invalid user admin from 198.51.100.7 port $((40000 + i)) ssh2"
done
for i in 1 2 3 4; do
  ct logger -t sshd -p auth.info "Failed password for root from 198.51.100.8 port $((41000 + i)) ssh2"
done
if ct_wait 20 "nft list set inet luruse ban4 | grep -q '198.51.100.7 '"; then
  ok "the SSH attacker is banned after 5 failures"
else
  bad "198.51.100.7 is not in inet luruse ban4:"
  ct nft list set inet luruse ban4 2>&1 | sed 's/^/      | /'
  ct journalctl -b --no-pager -u luruse 2>&1 | tail -15 | sed 's/^/      | /'
fi
ct nft list set inet luruse ban4 > "$T/ban4.out" 2>&1
timeout=$(grep -o '198.51.100.7 timeout [0-9hms]*' "$T/ban4.out" | awk '{print $3}')
assert_eq "banned for an hour" 1h "$timeout"
if grep -q '198.51.100.8' "$T/ban4.out"; then bad "4 failures banned 198.51.100.8"; else
  ok "4 failures ban nothing"; fi
# the next ban of the same address lasts twice as long
ct luruse unban 198.51.100.7 > "$T/unban.out" 2>&1
if ct_sh "nft list set inet luruse ban4 | grep -q '198.51.100.7 '"; then
  bad "luruse unban left 198.51.100.7 in the set"; else ok "luruse unban lifts the ban"; fi
for i in 1 2 3 4 5; do
  ct logger -t sshd -p auth.info "Failed password for invalid user admin from 198.51.100.7 port $((42000 + i)) ssh2"
done
ct_wait 20 "nft list set inet luruse ban4 | grep -q '198.51.100.7 '"
timeout=$(ct nft list set inet luruse ban4 | grep -o '198.51.100.7 timeout [0-9hms]*' | awk '{print $3}')
assert_eq "banned again: for two hours" 2h "$timeout"
ct luruse status > "$T/status.out" 2>&1
assert_contains "luruse status (as root) shows the sshd jail" "$T/status.out" "sshd"
ct luruse bans > "$T/bans.out" 2>&1
assert_contains "luruse bans lists the ban" "$T/bans.out" "198.51.100.7"

# Reload: a good rule file, then a broken one.
ct_sh 'cat > /etc/luruse/rules.d/50-test-mail.lua' <<'EOF'
local L = require "luruse"
L.chain "Test alert" { L.equals("SYSLOG_IDENTIFIER", "lrmailtest"),
                       L.email("test alert: {MESSAGE}", "luruse test alert") }
EOF
if ct systemctl reload luruse > "$T/reload.out" 2>&1; then
  ok "systemctl reload takes the new rules"
else
  bad "systemctl reload failed:"; sed 's/^/      | /' "$T/reload.out"
fi
ct_sh 'printf "local L = require \"luruse\"\nL.chain \"broken\" {\n" > /etc/luruse/rules.d/60-broken.lua'
if ct systemctl reload luruse > "$T/reload2.out" 2>&1; then
  bad "systemctl reload succeeded with a broken rule file"
else
  ok "systemctl reload fails on a broken rule file"
fi
if grep -q "60-broken.lua:" "$T/reload2.out" ||
   ct_wait 10 "journalctl -b --no-pager -u luruse | grep -q '60-broken.lua:'"; then
  ok "the reload error names the file"
else
  bad "the reload error does not name 60-broken.lua:"; sed 's/^/      | /' "$T/reload2.out"
fi
assert_eq "the service keeps running on the old rules" active "$(ct systemctl is-active luruse)"
status=$(ct systemctl show -P StatusText luruse)
case $status in
  *"reload failed"*) ok "its STATUS says the reload failed" ;;
  *) bad "STATUS after a failed reload: '$status'" ;;
esac
ct rm -f /etc/luruse/rules.d/60-broken.lua

# An alert, from inside the sandbox, to root's mailbox (Debian's exim4
# delivers root's mail to /var/mail/mail when /etc/aliases has no root).
if ct systemctl is-active --quiet exim4; then
  ct logger -t lrmailtest "mail from the sandbox"
  if ct_wait 30 "grep -l 'luruse test alert' /var/mail/* 2>/dev/null | grep -q ."; then
    box=$(ct_sh "grep -l 'luruse test alert' /var/mail/* | head -1")
    ok "the alert reached the local mailbox $box"
    ct cat "$box" > "$T/mbox"
    python3 - "$T/mbox" > "$T/mime.out" 2>&1 <<'PY'
import mailbox, sys
msgs = [m for m in mailbox.mbox(sys.argv[1]) if "luruse test alert" in (m["Subject"] or "")]
m = msgs[-1]
body = m.get_payload(decode=True) if not m.is_multipart() else m.get_payload(0).get_payload(decode=True)
print("subject:", m["Subject"])
print("body:", body.decode("utf-8", "replace").strip())
PY
    assert_contains "the email parses, its body is the alert" "$T/mime.out" "test alert: mail from the sandbox"
  else
    bad "no alert in /var/mail:"
    ct_sh "ls -la /var/mail; tail -5 /var/log/exim4/mainlog" 2>&1 | sed 's/^/      | /'
    ct journalctl -b --no-pager -u luruse 2>&1 | grep -i -E 'mail|email' | tail -10 | sed 's/^/      | /'
  fi
else
  bad "exim4 does not run in the machine (exim4-daemon-light is a test dependency)"
fi

# luruse.socket: installed, not enabled; enabled, journald's syslog forwarding
# wakes the service up (the socket passed by systemd: the service's sandbox
# could not bind it), and entries still come from the journal.
assert_eq "luruse.socket is installed, not enabled" disabled "$(ct systemctl is-enabled luruse.socket 2>&1)"
# (systemd refuses to start a socket whose service already runs)
if ct systemctl stop luruse > "$T/socket.out" 2>&1 && ct systemctl enable --now luruse.socket >> "$T/socket.out" 2>&1 &&
   ct systemctl start luruse >> "$T/socket.out" 2>&1; then
  ok "systemctl stop luruse, enable --now luruse.socket, start luruse"
else
  bad "enabling luruse.socket:"; sed "s/^/      | /" "$T/socket.out"
  ct_sh "systemctl status --no-pager luruse.socket; journalctl -b --no-pager -u luruse.socket | tail; ls -la /run/systemd/journal/" 2>&1 | sed "s/^/      | /"
fi
for i in 1 2 3 4 5; do
  ct logger -t sshd -p auth.info "Failed password for invalid user admin from 198.51.100.9 port $((43000 + i)) ssh2"
done
if ct_wait 20 "nft list set inet luruse ban4 | grep -q '198.51.100.9 '"; then
  ok "with luruse.socket: the SSH attacker is banned after 5 failures"
else
  bad "with luruse.socket: 198.51.100.9 is not banned"
  ct journalctl -b --no-pager -u luruse 2>&1 | tail -10 | sed 's/^/      | /'
fi
ct luruse status > "$T/status2.out" 2>&1
if grep -qE '^syslog wake-up: /run/systemd/journal/syslog, [1-9][0-9]* datagrams' "$T/status2.out"; then
  ok "luruse status: $(grep '^syslog wake-up' "$T/status2.out")"
else
  bad "luruse status shows no datagrams from the socket:"; sed 's/^/      | /' "$T/status2.out"
fi
finish
