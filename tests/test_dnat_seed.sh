#!/bin/bash
# The seed document's DNAT example end to end, in Lua and in pyruse.json form:
# a DNAT log line on the proxy, sshd lines on two hosts, one email per attack
# with the corrected client address (parsed back with Python's email package).
# Also: the newest mapping wins, a mapping expires, and one survives a restart.
. "$(dirname "$0")/lib/common.sh"
setup
DATA="$LURUSE_SRC/tests/data"
export TZ=UTC FAKE_MAILDIR

python3 - "$T" <<'PY'
import os, sys
d = sys.argv[1]
t0 = 1773136800  # 2026-03-10 10:00:00 UTC

def entry(t, ident, host, msg):
    return ("__REALTIME_TIMESTAMP=%d\nSYSLOG_IDENTIFIER=%s\n_HOSTNAME=%s\nMESSAGE=%s\n\n"
            % (t * 1000000, ident, host, msg)).encode()

def dnat(t, src, spt, dst="192.168.1.1"):
    return entry(t, "kernel", "dmz", "DNAT/ssh: IN=eth0 OUT=eth1 MAC=00:11 SRC=%s DST=%s LEN=60 "
                 "TOS=0x00 PROTO=TCP SPT=%d DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 " % (src, dst, spt))

def ssh(t, host, user, ip, port):
    return entry(t, "sshd", host, "Failed password for %s from %s port %d ssh2" % (user, ip, port))

main = [
    dnat(t0, "203.0.113.7", 43210),
    ssh(t0 + 2, "sshserv", "ME", "192.168.1.1", 43210),        # corrected
    ssh(t0 + 3, "dmz", "KeyUser", "198.51.100.9", 24680),      # no mapping: unchanged
    dnat(t0 + 10, "198.51.100.20", 50000),
    dnat(t0 + 11, "198.51.100.21", 50000),
    ssh(t0 + 12, "sshserv", "newest", "192.168.1.1", 50000),   # the newest mapping wins
    dnat(t0 + 20, "192.0.2.50", 40000),
    ssh(t0 + 20 + 300, "sshserv", "late", "192.168.1.1", 40000),  # 63 s -> 64 s buckets: gone
]
open(os.path.join(d, "main.export"), "wb").write(b"".join(main))
open(os.path.join(d, "before.export"), "wb").write(dnat(t0 + 1000, "192.0.2.77", 41000))
open(os.path.join(d, "after.export"), "wb").write(ssh(t0 + 1005, "sshserv", "restart", "192.168.1.1", 41000))
PY

check_mails() { # MAILDIR EXPECTED-BODY...
  python3 - "$@" <<'PY'
import email, email.policy, glob, sys
bodies = []
for p in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_bytes(open(p, "rb").read(), policy=email.policy.default)
    assert not m.defects, (p, m.defects)
    bodies.append(m.get_content().rstrip("\n"))
want = sys.argv[2:]
if sorted(bodies) != sorted(want):
    print("got :", sorted(bodies)); print("want:", sorted(want)); sys.exit(1)
PY
}

for flavour in lua json; do
  rules="$T/dnat-$flavour.$flavour"
  sed "s|@SENDMAIL@|$TESTS_LIB/fake_sendmail.sh|" "$DATA/dnat_seed.$flavour" > "$rules"
  FAKE_MAILDIR="$T/mail-$flavour"; mkdir -p "$FAKE_MAILDIR"
  timeout -k 5 60 "$LURUSE_BIN" replay -c "$rules" --storage "$T/st-$flavour" --export "$T/main.export" \
    > "$T/$flavour.out" 2> "$T/$flavour.err"
  assert_eq "$flavour: replay exits 0" 0 $?
  no_sanitizer_report "$flavour replay" "$T/$flavour.err"
  if check_mails "$FAKE_MAILDIR" \
      "SSH attack from 203.0.113.7 on ME@sshserv." \
      "SSH attack from 198.51.100.9 on KeyUser@dmz." \
      "SSH attack from 198.51.100.21 on newest@sshserv." \
      "SSH attack from 192.168.1.1 on late@sshserv." > "$T/$flavour.check" 2>&1; then
    ok "$flavour: one email per attack; the proxy address replaced by the real client, the newest mapping wins, an expired one is not used"
  else
    bad "$flavour: emails:"; sed 's/^/      | /' "$T/$flavour.check"
  fi

  # a mapping captured in one run corrects an entry of the next run (from the database)
  FAKE_MAILDIR="$T/mail-restart-$flavour"; mkdir -p "$FAKE_MAILDIR"
  "$LURUSE_BIN" replay -c "$rules" --storage "$T/st-r-$flavour" --quiet --export "$T/before.export" 2>> "$T/$flavour.err"
  "$LURUSE_BIN" replay -c "$rules" --storage "$T/st-r-$flavour" --quiet --export "$T/after.export" 2>> "$T/$flavour.err"
  if check_mails "$FAKE_MAILDIR" "SSH attack from 192.0.2.77 on restart@sshserv." > "$T/r.check" 2>&1; then
    ok "$flavour: a mapping survives a restart (kept in the state database)"
  else
    bad "$flavour: mapping across a restart:"; sed 's/^/      | /' "$T/r.check"
  fi
done
finish
