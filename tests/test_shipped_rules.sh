#!/bin/bash
# The shipped rules (rules/luruse.lua) on the bundled sample journal, as the
# quickstart runs them: they compile, and the daily report they build holds the
# SSH failures and logins that an independent Python reading of the sample finds.
. "$(dirname "$0")/lib/common.sh"
setup
export TZ=UTC
RULES="$LURUSE_SRC/rules/luruse.lua"
SAMPLE="$LURUSE_SRC/rules/sample.export"

"$LURUSE_BIN" check -c "$RULES" > "$T/check.out" 2> "$T/check.err"
assert_eq "the shipped rules compile" 0 $?
timeout -k 5 60 "$LURUSE_BIN" replay -c "$RULES" --storage "$T/state" --export "$SAMPLE" \
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
fail = re.compile(r"^Failed password for (?:invalid user )?(\S+) from (\S+) port \d+")
login = re.compile(r"^Accepted (\S+) for (\S+) from (\S+) port")
for e in entries:
    if e.get(b"SYSLOG_IDENTIFIER") != b"sshd":
        continue
    msg = e.get(b"MESSAGE", b"").decode("utf-8", "replace")
    m = fail.match(msg)
    if m:
        want["SSH failure for %s from %s" % m.groups()] += 1
    m = login.match(msg)
    if m:
        want["SSH login of %s from %s (%s)" % (m.group(2), m.group(3), m.group(1))] += 1
got = collections.Counter()
for count, message in re.findall(r"^\|\s*(\d+)\s*\|(SSH (?:failure|login) .*)$", open(sys.argv[2]).read(), re.M):
    got[message] = int(count)
# "Invalid user" lines are failures too, counted under the same message
for e in entries:
    msg = e.get(b"MESSAGE", b"").decode("utf-8", "replace")
    m = re.match(r"^Invalid user (\S*) from (\S+) port \d+", msg)
    if m and e.get(b"SYSLOG_IDENTIFIER") == b"sshd":
        want["SSH failure for %s from %s" % m.groups()] += 1
print("rows expected:", len(want), "rows in the report:", len(got))
for k in sorted(set(want) | set(got)):
    if want[k] != got[k]:
        print("differs: %r expected %d, report %d" % (k, want[k], got[k]))
sys.exit(0 if want == got and len(want) > 5 else 1)
PY
if [ $? -eq 0 ]; then ok "report rows match the sample: $(head -1 "$T/compare.out")"
else bad "report rows vs the sample:"; sed 's/^/      | /' "$T/compare.out"; fi
finish
