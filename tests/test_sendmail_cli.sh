#!/bin/bash
# `luruse sendmail`, the sandbox's way to the local MTA, where it can fail
# without a mail server: what it refuses (usage, no recipient, an address that
# would smuggle SMTP commands) and how it says "try later" (exit 75) when no
# server listens, which the outbox turns into a retry. Its delivery through a
# real exim4 is checked by test_package_install. Also: the daemon warns when
# email.sendmail needs a privilege that no_new_privs forbids.
. "$(dirname "$0")/lib/common.sh"
setup
msg() { printf 'From: luruse <luruse@host.example>\nTo: %s\nSubject: s\n\nbody\n' "$1"; }

# run NAME ARGS... < stdin: status in $T/NAME.rc, stderr in $T/NAME.err
run() {
  local name=$1; shift
  timeout 20 "$LURUSE_BIN" sendmail "$@" > "$T/$name.out" 2> "$T/$name.err"
  echo $? > "$T/$name.rc"
}

# a port where nothing listens: loopback in a network namespace of our own
if command -v unshare >/dev/null && unshare -n true 2>/dev/null; then
  msg admin@example.org | unshare -n sh -c "ip link set lo up; exec \"$LURUSE_BIN\" sendmail -t --smtp 127.0.0.1:2525 --timeout 5" \
    > /dev/null 2> "$T/refused.err"
  assert_eq "no server: exit 75 (try later)" 75 "$?"
  assert_contains "no server: says so" "$T/refused.err" "cannot connect to 127.0.0.1 port 2525"
else
  skip "cannot make a network namespace (unshare -n)"
fi
msg admin@example.org | run norcpt
assert_eq "no -t and no recipient: exit 65" 65 "$(cat "$T/norcpt.rc")"
assert_contains "no recipient: says so" "$T/norcpt.err" "no recipient"
msg 'x@example.org>, <y@example.org' | run angle -t
assert_eq "a stray '>': refused (65)" 65 "$(cat "$T/angle.rc")"
msg 'evil@example.org
 RCPT TO:<victim@example.org>' | run folded -t
assert_eq "a folded To: with SMTP in it: refused (65)" 65 "$(cat "$T/folded.rc")"
printf 'not a header\n\nbody\n' | run nohdr -t
assert_eq "no header: exit 65" 65 "$(cat "$T/nohdr.rc")"
msg a@b.example | run badopt -t -X
assert_eq "unknown option: exit 64" 64 "$(cat "$T/badopt.rc")"
msg a@b.example | run badsrv -t --smtp 'fe80::1:25'
assert_eq "an IPv6 server without brackets: exit 64" 64 "$(cat "$T/badsrv.rc")"
msg a@b.example | run badf -t -f 'x@y.example>
RCPT TO:<z@y.example'
assert_eq "-f with a line break: exit 65" 65 "$(cat "$T/badf.rc")"
msg a@b.example | run badrcpt 'bad address'
assert_eq "a command-line recipient with a space: exit 65" 65 "$(cat "$T/badrcpt.rc")"
"$LURUSE_BIN" sendmail --help > "$T/help.out" 2>&1
assert_contains "--help" "$T/help.out" "usage: luruse sendmail"

# The daemon's warning: a set-user-ID sendmail under no_new_privs.
command -v setpriv >/dev/null || skip "setpriv is missing (util-linux)"
cp /bin/true "$T/setuid-sendmail" && chmod 4755 "$T/setuid-sendmail"
cat > "$T/rules.lua" <<LUA
local L = require "luruse"
L.config { storage = "$T/st", email = { to = { "root@localhost" },
           sendmail = { "$T/setuid-sendmail", "-t" } } }
L.chain "x" { L.equals("MESSAGE", "alert"), L.email("alert") }
LUA
printf 'alert\n' > "$T/in.log"
setpriv --no-new-privs "$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st" --lines "$T/in.log" \
  > "$T/nnp.out" 2> "$T/nnp.err"
assert_contains "no_new_privs and a set-user-ID sendmail: warned" "$T/nnp.err" "set-user-ID"
assert_contains "... with the way out" "$T/nnp.err" '"sendmail", "-t"' 
"$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st2" --lines "$T/in.log" > "$T/priv.out" 2> "$T/priv.err"
if grep -q "set-user-ID" "$T/priv.err"; then bad "warned without no_new_privs"; else
  ok "no warning when the privilege can be gained"; fi
finish
