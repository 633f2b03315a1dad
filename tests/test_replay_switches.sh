#!/bin/bash
# luruse replay really acts (exec, email) unless told not to: --no-bans and
# --no-email turn ban/exec and email/report actions into no-ops.
. "$(dirname "$0")/lib/common.sh"
setup
export FAKE_MAILDIR="$T/mail"
mkdir -p "$FAKE_MAILDIR"
cat > "$T/rules.lua" <<LUA
local L = require "luruse"
L.config { email = { to = { "admin@test.invalid" }, sendmail = { "$TESTS_LIB/fake_sendmail.sh" } } }
L.chain "Act" {
  L.equals("SYSLOG_IDENTIFIER", "act"),
  L.exec { "/bin/sh", "-c", "echo \"\$1\" >> '$T/exec.out'", "sh", "{MESSAGE}" },
  L.email("{MESSAGE}"),
}
LUA
printf '__REALTIME_TIMESTAMP=1773136800000000\nSYSLOG_IDENTIFIER=act\nMESSAGE=hello\n\n' > "$T/in.export"
"$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st1" --no-bans --no-email --quiet \
  --export "$T/in.export" 2> "$T/quiet.err"
assert_eq "replay --no-bans --no-email exits 0" 0 $?
[ -e "$T/exec.out" ] && bad "--no-bans: the exec action ran" || ok "--no-bans: the exec action did not run"
assert_eq "--no-email: no email sent" 0 "$(find "$FAKE_MAILDIR" -name '*.eml' | wc -l)"
"$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st2" --quiet --export "$T/in.export" 2> "$T/live.err"
assert_eq "replay exits 0" 0 $?
assert_eq "without the switches the exec action runs" hello "$(cat "$T/exec.out" 2> /dev/null)"
assert_eq "without the switches the email is sent" 1 "$(find "$FAKE_MAILDIR" -name '*.eml' | wc -l)"
no_sanitizer_report "replays" "$T/live.err"
finish
