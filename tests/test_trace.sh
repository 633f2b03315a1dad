#!/bin/bash
# luruse replay --trace: after a step that set fields, the fields it set with
# their values (a named-capture regex, a custom Lua action); a hostile value
# (ESC, CR, 300 bytes) escaped and cut; a step that sets nothing lists none.
. "$(dirname "$0")/lib/common.sh"
setup
cat > "$T/rules.lua" <<'LUA'
local L = require "luruse"
L.chain "SSH" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Failed password for (?<sshUser>.*) from (?<clientIP>\S+) port]]),
  L.action(function(e) e.note = "seen it"; e.tries = 3; e.sshUser = nil end),
  L.action(function(e) end),
}
LUA
python3 - "$T/in.export" <<'PY'
import struct, sys
hostile = b"ev\x1b[31mil\rroot" + b"A" * 300
rows = [(b"sshd", b"Failed password for root from 203.0.113.9 port 22 ssh2"),
        (b"sshd", b"Failed password for " + hostile + b" from 198.51.100.7 port 22 ssh2"),
        (b"sshd", b"Accepted password for alice from 192.0.2.1 port 22 ssh2")]
with open(sys.argv[1], "wb") as f:
    for i, (ident, msg) in enumerate(rows):
        f.write(b"__REALTIME_TIMESTAMP=%d\nSYSLOG_IDENTIFIER=%s\n" % (1773136800000000 + i, ident))
        f.write(b"MESSAGE\n" + struct.pack("<Q", len(msg)) + msg + b"\n\n")
PY
"$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st" --trace --quiet --no-bans --no-email \
  --export "$T/in.export" > "$T/trace.out" 2> "$T/trace.err"
assert_eq "replay --trace exits 0" 0 $?
no_sanitizer_report "replay --trace" "$T/trace.err"
lines() { grep -a "^  SSH\[$1\] " "$T/trace.err"; }
assert_eq "the regex's captures with their values" \
  "  SSH[1] filter_pcre: pass clientIP=203.0.113.9 sshUser=root" "$(lines 1 | sed -n 1p)"
want="  SSH[1] filter_pcre: pass clientIP=198.51.100.7 sshUser=ev\\x1b[31mil\\x0droot$(printf 'A%.0s' $(seq 106))..."
assert_eq "a hostile value: ESC and CR escaped, cut after 120 bytes" "$want" "$(lines 1 | sed -n 2p)"
assert_eq "no raw ESC or CR in the trace, the entry lines too" 0 "$(grep -ac $'[\x1b\r]' "$T/trace.err")"
case "$(grep -a '^entry 2 at ' "$T/trace.err")" in
  *': Failed password for ev\x1b[31mil\x0drootAAA'*A...) ok "the entry line escapes and cuts its MESSAGE" ;;
  *) bad "the entry line escapes and cuts its MESSAGE: $(grep -a '^entry 2 at ' "$T/trace.err")" ;;
esac
assert_eq "a regex that fails sets nothing" "  SSH[1] filter_pcre: fail" "$(lines 1 | sed -n 3p)"
assert_eq "a custom Lua action: what it set, quoted when it has a space, and what it unset" \
  '  SSH[2] custom action: done sshUser unset note="seen it" tries=3' "$(lines 2 | sed -n 1p)"
assert_eq "steps that set nothing list no fields" "3 2" \
  "$(lines 0 | grep -c '^  SSH\[0\] filter_equals: pass$') $(lines 3 | grep -c '^  SSH\[3\] custom action: done$')"
finish
