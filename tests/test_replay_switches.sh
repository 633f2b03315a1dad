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

# `luruse replay ... 2>&1 | head -1`: the reader goes away at once; the replay
# must still commit its report lines rather than die of SIGPIPE
( "$LURUSE_BIN" replay -c "$LURUSE_SRC/rules/luruse.lua" --storage "$T/st-pipe" --no-bans \
    --export "$LURUSE_SRC/rules/sample.export" 2>&1; echo "rc=$?" > "$T/pipe.rc" ) | head -1 > /dev/null
assert_eq "replay into a closed pipe exits 0" "rc=0" "$(cat "$T/pipe.rc")"
"$LURUSE_BIN" report -c "$LURUSE_SRC/rules/luruse.lua" --storage "$T/st-pipe" > "$T/pipe.report" 2>&1
assert_contains "replay into a closed pipe: its report lines were committed" "$T/pipe.report" " 50 lines."

# --journal-dir and --journal-file together: refused, not one of them ignored
for cmd in replay explain run; do
  [ $cmd = explain ] && st=() || st=(--storage "$T/st-both")
  if "$LURUSE_BIN" $cmd -c "$T/rules.lua" "${st[@]}" --journal-dir "$T" \
      --journal-file "$T/x.journal" > "$T/both.out" 2> "$T/both.err"; then
    bad "$cmd with --journal-dir and --journal-file succeeded"
  else
    assert_contains "$cmd: --journal-dir with --journal-file is an error" "$T/both.err" \
      "--journal-dir and --journal-file do not go together"
  fi
done
finish
