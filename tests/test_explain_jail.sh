#!/bin/bash
# luruse explain on the shipped sshd jail: an allowlisted address is an action
# of its own ("allowlisted", jail, ip), a failure a counterRaise of jail:sshd,
# the 5th failure the ban into luruse's own set and the count's reset; no
# firewall is touched (explain acts on nothing).
. "$(dirname "$0")/lib/common.sh"
setup
cat > "$T/rules.lua" <<LUA
local L = require "luruse"
L.config { email = { to = { "root@localhost" } } }
L.include "$LURUSE_SRC/rules/jails/sshd.lua"
L.chain "Rest" { L.noop() }
LUA
args=(--line 'Failed password for root from 127.0.0.1 port 22 ssh2')
for i in 1 2 3 4 5; do args+=(--line "Failed password for invalid user u$i from 2001:db8::9 port 22 ssh2"); done
"$LURUSE_BIN" explain -c "$T/rules.lua" -o json "${args[@]}" --identifier sshd > "$T/out.json" 2> "$T/err"
assert_eq "explain exits 0" 0 $?
python3 - "$T/out.json" > "$T/check" 2>&1 <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
e = lines[:-1]
assert e[0]["actions"][0] == {"action": "allowlisted", "jail": "sshd", "ip": "127.0.0.1"}, e[0]
for i in range(1, 5):
    a = e[i]["actions"][0]
    assert a == {"action": "action_counterRaise", "jail": "sshd", "counter": "jail:sshd",
                 "key": "2001:db8::9", "count": i}, a
acts = {a["action"]: a for a in e[5]["actions"]}
assert acts["action_counterReset"]["count"] == 0, acts
ban = acts["action_nftBan"]
assert (ban["set"], ban["ip"], ban["seconds"], ban["jail"]) == ("inet luruse ban6", "2001:db8::9", 3600, "sshd"), ban
assert lines[-1]["summary"]["entries"] == 6
print("ok")
PY
assert_eq "allowlisted, counted, banned at the 5th, as JSON" ok "$(tail -1 "$T/check")"
[ "$(tail -1 "$T/check")" = ok ] || cat "$T/check"
no_sanitizer_report "explain" "$T/err"
finish
