#!/bin/bash
# Hostile entries through `luruse replay --export`: a 64 MiB MESSAGE (and one
# byte more), 100,000 fields in one entry, field names journald refuses, a
# stream cut inside a binary field, a regex that backtracks without end on its
# input. Each: no crash, no hang (a timeout), the entries after it still read,
# a clear log line; the time of each case is printed.
. "$(dirname "$0")/lib/common.sh"
setup
cat > "$T/rules.lua" <<'LUA'
local L = require "luruse"
L.chain "Evil" { L.equals("SYSLOG_IDENTIFIER", "evil"), L.pcre("MESSAGE", [[^(a+)+$]]), L.log("evil matched") }
L.chain "Seen" { L.pcre("MESSAGE", [[^(?<m>.{0,20})]]), L.log("seen {m}") }
LUA
python3 - "$T" <<'PY'
import struct, sys
t = sys.argv[1]
def text(f, fields):
    for k, v in fields:
        f.write(k + b"=" + v + b"\n")
    f.write(b"\n")
def after(f):
    text(f, [(b"__REALTIME_TIMESTAMP", b"1773136800000001"), (b"MESSAGE", b"after the hostile one")])
big = 64 << 20
with open(t + "/big.export", "wb") as f:
    text(f, [(b"__REALTIME_TIMESTAMP", b"1773136800000000"), (b"MESSAGE", b"m" * big)])
    after(f)
with open(t + "/bigger.export", "wb") as f:
    text(f, [(b"__REALTIME_TIMESTAMP", b"1773136800000000"), (b"MESSAGE", b"m" * (big + 1))])
    after(f)
with open(t + "/fields.export", "wb") as f:
    text(f, [(b"__REALTIME_TIMESTAMP", b"1773136800000000"), (b"MESSAGE", b"many fields")] +
            [(b"F%d" % i, b"v%d" % i) for i in range(100000)])
    after(f)
with open(t + "/names.export", "wb") as f:
    text(f, [(b"__REALTIME_TIMESTAMP", b"1773136800000000"), (b"MESSAGE", b"bad names"),
             (b"a b", b"1"), (b"lower", b"2"), (b"X\xff", b"3"), (b"A" * 300, b"4")])
    after(f)
with open(t + "/cut.export", "wb") as f:
    after(f)
    f.write(b"__REALTIME_TIMESTAMP=1773136800000002\nMESSAGE\n" + struct.pack("<Q", 100000) + b"only this")
with open(t + "/regex.export", "wb") as f:
    text(f, [(b"__REALTIME_TIMESTAMP", b"1773136800000000"), (b"SYSLOG_IDENTIFIER", b"evil"),
             (b"MESSAGE", b"a" * 5000 + b"!")])
    after(f)
PY
NOTE=
# hostile NAME EXPECTED_EXIT LOG_TEXT: one replay, timed
hostile() {
  local name=$1 want=$2 text=$3 t0 rc secs
  t0=$(date +%s.%N)
  timeout -k 5 60 "$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st-$name" --no-email --no-bans \
    --export "$T/$name.export" > "$T/$name.out" 2> "$T/$name.err"
  rc=$?
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  NOTE="$NOTE $name ${secs}s;"
  not_crashed "$name" "$rc"
  assert_eq "$name: exit status" "$want" "$rc"
  no_sanitizer_report "$name" "$T/$name.err"
  assert_contains "$name: a clear log line" "$T/$name.err" "$text"
  grep -aF -- "$text" "$T/$name.err" | head -1 | cut -c1-200 | sed 's/^/      | /'
}
hostile big 0 "seen mmmmmmmmmmmmmmmmmmmm"
assert_contains "big: the entry after it is read" "$T/big.err" "seen after the hostile on"
hostile bigger 1 "exceeds the maximum"
hostile fields 0 "seen many fields"
assert_contains "fields: the entry after it is read" "$T/fields.err" "seen after the hostile on"
hostile names 0 "skipped"
assert_contains "names: the entry itself is read" "$T/names.err" "seen bad names"
hostile cut 1 "MESSAGE"
assert_contains "cut: the entry before the cut is read" "$T/cut.err" "seen after the hostile on"
hostile regex 0 "limit"
assert_contains "regex: the next chain still sees the entry" "$T/regex.err" "seen aaaaaaaaaaaaaaaaaaaa"
assert_contains "regex: the entry after it is read" "$T/regex.err" "seen after the hostile on"
echo "time per case:$NOTE"
finish
