#!/bin/bash
# kill -9 of luruse while sendmail reads a message: the message is delivered
# whole, or whole again after the restart, never cut short. A stand-in sendmail
# sleeps before reading its standard input; luruse is killed in the meantime,
# with a message far bigger than a pipe's buffer (64 KiB). Every delivered
# message is then parsed with Python's email package and its body compared.
. "$(dirname "$0")/lib/common.sh"
setup
export FAKE_MAILDIR="$T/mail"
mkdir -p "$FAKE_MAILDIR"
export TZ=UTC

# A 240 KB body: 4000 numbered lines, so that a cut shows where it happened.
python3 - "$T/body.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 4001):
        f.write("line %05d of 04000: the quick brown fox jumps over the lazy dog\n" % i)
PY
cat > "$T/rules.lua" <<LUA
local L = require "luruse"
local f = assert(io.open("$T/body.txt"))
local body = f:read("a")
f:close()
L.config { email = { from = "luruse-test@test.invalid", to = { "admin@test.invalid" },
                     sendmail = { "$TESTS_LIB/fake_sendmail.sh", "-t" },
                     throttleSeconds = 0, timeoutSeconds = 60 } }
L.chain "Big" { L.equals("SYSLOG_IDENTIFIER", "big"), L.email(body, "Big alert") }
LUA
printf '__REALTIME_TIMESTAMP=1773136800000000\nSYSLOG_IDENTIFIER=big\nMESSAGE=x\n\n' > "$T/big.export"

count() { find "$FAKE_MAILDIR" -name "$1" | wc -l; }

# 1. luruse hands the message to a slow sendmail, and dies by SIGKILL while
#    that sendmail has not read a byte yet.
FAKE_SENDMAIL_MODE=slow FAKE_SENDMAIL_DELAY=2 \
  "$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st" --export "$T/big.export" \
  > "$T/run1.out" 2> "$T/run1.err" &
pid=$!
track $pid
for _ in $(seq 100); do [ "$(count 'started.*')" -ge 1 ] && break; sleep 0.1; done
assert_eq "sendmail started before the kill" 1 "$(count 'started.*')"
kill -KILL $pid
wait $pid 2> /dev/null
assert_eq "luruse died by SIGKILL" 137 $?
# the orphaned sendmail goes on: wait until it delivered what it got
for _ in $(seq 100); do [ "$(count 'done.*')" -ge 1 ] && break; sleep 0.1; done
assert_eq "the orphaned sendmail finished" 1 "$(count 'done.*')"

# 2. The daemon's restart sends what sendmail never confirmed (again, whole),
#    at once: no new email needs to come first.
mkdir -p "$T/nojournal"
"$LURUSE_BIN" run -c "$T/rules.lua" --storage "$T/st" --journal-dir "$T/nojournal" \
  > "$T/run2.out" 2> "$T/run2.err" &
pid=$!
track $pid
for _ in $(seq 100); do [ "$(count '*.eml')" -ge 2 ] && break; sleep 0.1; done
kill -TERM $pid
wait $pid
assert_eq "restart: luruse run exits 0 on SIGTERM" 0 $?
no_sanitizer_report "restart" "$T/run2.err"
assert_eq "restart: the unconfirmed message is sent again" 2 "$(count '*.eml')"

if python3 - "$FAKE_MAILDIR" "$T/body.txt" > "$T/check.out" 2>&1 <<'PY'
import email, email.policy, glob, sys
want = open(sys.argv[2]).read()
paths = sorted(glob.glob(sys.argv[1] + "/*.eml"))
print("%d message(s) delivered" % len(paths))
bad = 0 if paths else 1
for p in paths:
    raw = open(p, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    body = m.get_body(preferencelist=("plain",))
    got = body.get_content() if body is not None else ""
    whole = str(m["Subject"]) == "Big alert" and got == want and not m.defects
    print("%s: %d bytes, body %d of %d characters, %s" % (
        p.rsplit("/", 1)[-1], len(raw), len(got), len(want), "whole" if whole else "TRUNCATED"))
    bad += not whole
sys.exit(1 if bad else 0)
PY
then
  ok "every delivered message is whole: $(head -1 "$T/check.out")"
  sed 's/^/      | /' "$T/check.out"
else
  bad "a delivered message is not whole:"; sed 's/^/      | /' "$T/check.out"
fi
finish
