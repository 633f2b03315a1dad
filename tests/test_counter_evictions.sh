#!/bin/bash
# A category beyond its 100,000 keys evicts the least recently raised ones; the
# counts in the log add up to every key evicted, even in a replay that evicts
# them all within a second.
. "$(dirname "$0")/lib/common.sh"
setup
KEYS=130000
cat > "$T/rules.lua" <<'LUA'
local L = require "luruse"
L.chain "Count" { L.counter_raise("flood", "KEY", { keep = 86400 }) }
LUA
python3 - "$KEYS" > "$T/keys.export" <<'PY'
import sys
t = 1772000000000000
for i in range(int(sys.argv[1])):
    sys.stdout.write("__REALTIME_TIMESTAMP=%d\nKEY=k%d\nMESSAGE=m\n\n" % (t + i, i))
PY
timeout -k 5 120 "$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st" --no-email --no-bans --quiet \
  --export "$T/keys.export" > "$T/out" 2> "$T/err"
assert_eq "replay exits 0" 0 $?
no_sanitizer_report "replay" "$T/err"
told=$(sed -n "s/.*category 'flood' is full; \([0-9]*\) least recently raised key(s) evicted.*/\1/p" "$T/err" |
  awk '{ s += $1 } END { print s + 0 }')
assert_eq "the eviction counts in the log add up to every key evicted" $((KEYS - 100000)) "$told"
assert_contains "the last line gives the total" "$T/err" "($((KEYS - 100000)) since start)"
finish
