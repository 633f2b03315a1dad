#!/bin/bash
# The shipped rules (rules/luruse.lua) on the bundled sample journal, as the
# quickstart runs them: they compile, and the daily report they build holds the
# SSH failures and logins that an independent Python reading of the sample finds.
. "$(dirname "$0")/lib/common.sh"
setup
export TZ=UTC
RULES="$LURUSE_SRC/rules/luruse.lua"
SAMPLE="$LURUSE_SRC/rules/sample.export"

"$LURUSE_BIN" check --rules-only -c "$RULES" > "$T/check.out" 2> "$T/check.err"
assert_eq "the shipped rules compile" 0 $?
# --no-bans: the jails would ban the sample's attackers in this host's firewall
timeout -k 5 60 "$LURUSE_BIN" replay -c "$RULES" --storage "$T/state" --no-bans --export "$SAMPLE" \
  > "$T/replay.out" 2> "$T/replay.err"
assert_eq "the sample replays" 0 $?
no_sanitizer_report "sample replay" "$T/replay.err"
"$LURUSE_BIN" report -c "$RULES" --storage "$T/state" > "$T/report.txt" 2> "$T/report.err"
assert_eq "luruse report on the sample's state" 0 $?

python3 - "$SAMPLE" "$T/report.txt" "$TESTS_LIB" > "$T/compare.out" 2>&1 <<'PY'
import collections, re, sys
sys.path.insert(0, sys.argv[3])
from export_tool import parse
entries = parse(open(sys.argv[1], "rb").read())
want = collections.Counter()
# the sshd jail's failures in the sample: failed methods, unknown users,
# pre-auth disconnects of invalid or authenticating users, and pam_unix's
# line for each bad password (rhost=, then the user name if it exists)
fail = re.compile(r"^(?:(?:Failed \S+ for (?:invalid user )?\S+ from|Invalid user \S* from|"
                  r"(?:Connection closed by|Disconnected from) (?:invalid|authenticating) user \S+) "
                  r"([0-9a-fA-F.:]+) port \d+|pam_unix\(sshd:auth\): authentication failure; "
                  r"logname=\S* uid=\d+ euid=\d+ tty=ssh ruser=\S* rhost=([0-9a-fA-F.:]+)(?:  user=\S+)? ?$)")
login = re.compile(r"^Accepted (\S+) for (\S+) from (\S+) port")
for e in entries:
    if e.get(b"SYSLOG_IDENTIFIER") != b"sshd":
        continue
    msg = e.get(b"MESSAGE", b"").decode("utf-8", "replace")
    m = fail.match(msg)
    if m:
        want["SSH failure from %s" % (m.group(1) or m.group(2))] += 1
    m = login.match(msg)
    if m:
        want["SSH login of %s from %s (%s)" % (m.group(2), m.group(3), m.group(1))] += 1
got = collections.Counter()
for count, message in re.findall(r"^\|\s*(\d+)\s*\|(SSH (?:failure|login) .*)$", open(sys.argv[2]).read(), re.M):
    got[message] = int(count)
print("rows expected:", len(want), "rows in the report:", len(got))
for k in sorted(set(want) | set(got)):
    if want[k] != got[k]:
        print("differs: %r expected %d, report %d" % (k, want[k], got[k]))
sys.exit(0 if want == got and len(want) >= 3 else 1)
PY
if [ $? -eq 0 ]; then ok "report rows match the sample: $(head -1 "$T/compare.out")"
else bad "report rows vs the sample:"; sed 's/^/      | /' "$T/compare.out"; fi
finish
