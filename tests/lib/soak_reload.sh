#!/bin/bash
# Started by tests/test_soak_reload.sh where no journald socket is visible:
#   soak_reload.sh WORKDIR   (SOAK_RELOADS: how many SIGHUPs)
set -u
W=$1
: "${LURUSE_BIN:?}" "${SOAK_RELOADS:?}"
REMOTE=/lib/systemd/systemd-journal-remote
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
[ -S /run/systemd/journal/socket ] && { echo "FAIL - a journald socket is visible"; exit 1; }
J=$W/journal ST=$W/state
mkdir -p "$J"
cat > "$W/good.lua" <<'LUA'
local L = require "luruse"
L.config { email = { to = { "root@localhost" }, sendmail = { "/bin/false" } } }
L.chain "Journal" { L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.pcre("MESSAGE", [[^rec (?<n>\d+)$]]), L.report("INFO", "j {n}", "NONE") }
LUA
cat > "$W/broken.lua" <<'LUA'
local L = require "luruse"
L.chain "Journal" { L.equals("SYSLOG_IDENTIFIER", "lrtest"), L.pcre("MESSAGE", [[(unclosed]]) }
LUA
cp "$W/good.lua" "$W/rules.lua"
CHUNKS=$(( SOAK_RELOADS / 2 )) PER=200
python3 - "$W" "$CHUNKS" "$PER" <<'PY'
import sys, time
w, chunks, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = int(time.time() * 1e6)
for c in range(chunks + 1):
    with open("%s/chunk.%d" % (w, c), "w") as f:
        for i in range(c * per + 1, (c + 1) * per + 1):
            f.write("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n"
                    "SYSLOG_IDENTIFIER=lrtest\nMESSAGE=rec %d\n\n" % (t + i, t + i, i))
PY
TOTAL=$(( (CHUNKS + 1) * PER ))
append() { timeout -k 2 20 "$REMOTE" --split-mode=none -o "$J/r.journal" - < "$W/chunk.$1" 2>> "$W/remote.err"; }
append 0
ERR=$W/luruse.err
"$LURUSE_BIN" run -c "$W/rules.lua" --storage "$ST" --journal-dir "$J" --from-start > /dev/null 2> "$ERR" &
LPID=$!
wait_until 15 grep -qF "luruse running" "$ERR" || { bad "luruse did not start"; tail "$ERR"; exit 1; }
# the writer: one chunk every 0.1 s meanwhile
( for c in $(seq 1 "$CHUNKS"); do append "$c"; sleep 0.1; done ) &
APID=$!
anon() { awk '/^RssAnon:/ { print $2 }' /proc/"$LPID"/status; }
said() { grep -cF -- "$1" "$ERR"; }
for k in $(seq 1 "$SOAK_RELOADS"); do
  if [ $((k % 2)) -eq 1 ]; then cp "$W/broken.lua" "$W/rules.lua"; else cp "$W/good.lua" "$W/rules.lua"; fi
  before=$(( $(said "rules reloaded") + $(said "reload failed") ))
  kill -HUP "$LPID"
  wait_until 10 sh -c "[ \$(( \$(grep -cF 'rules reloaded' '$ERR') + \$(grep -cF 'reload failed' '$ERR') )) -gt $before ]" \
    || bad "reload $k: no answer in the log"
  [ "$k" -eq 20 ] && a20=$(anon)
done
a_end=$(anon)
wait "$APID"
assert_eq "every good rule file reloaded" $((SOAK_RELOADS / 2)) "$(said "rules reloaded")"
assert_eq "every broken one refused, the old rules kept" $(( (SOAK_RELOADS + 1) / 2 )) "$(said "reload failed, the old rules keep running")"
grep -F "reload failed" "$ERR" | head -1 | sed 's/^/      | /'
lines() { report_messages "$W/rules.lua" "$ST" | wc -l; }
all_lines() { [ "$(lines)" -ge "$TOTAL" ]; }
wait_until 20 all_lines
kill -TERM "$LPID"
wait "$LPID"
assert_eq "luruse stops on SIGTERM with exit 0" 0 $?
LPID=
got=$(report_messages "$W/rules.lua" "$ST" | sort | uniq -c | awk '$1 != 1' | wc -l)
n=$(lines)
[ "$n" = "$TOTAL" ] && [ "$got" = 0 ] && cmp -s <(report_messages "$W/rules.lua" "$ST" | sort) \
  <(seq 1 "$TOTAL" | sed 's/^/j /' | sort) && ok "all $TOTAL entries recorded exactly once across $SOAK_RELOADS reloads" \
  || bad "$n report lines of $TOTAL, $got twice or more"
growth=$(( a_end - a20 ))
echo "      | RssAnon after reload 20: $a20 kB, after reload $SOAK_RELOADS: $a_end kB"
[ "$growth" -lt 2048 ] && ok "RssAnon flat after the first reloads (+$growth kB over $((SOAK_RELOADS - 20)) reloads)" \
  || bad "RssAnon grew by $growth kB over $((SOAK_RELOADS - 20)) reloads"
grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$ERR" && { bad "sanitizer report"; grep -A10 Sanitizer "$ERR" | head -20; }
echo "reload soak: $(elapsed)"
[ "$FAILURES" -eq 0 ]
