#!/bin/bash
# luacheck with the configuration shipped beside the rules (rules/.luacheckrc):
# the shipped rules pass it, and a rule file with an undefined variable or an
# accidental global fails it.
. "$(dirname "$0")/lib/common.sh"
command -v luacheck > /dev/null || skip "luacheck is missing (Debian package lua-check)"
setup
RC="$LURUSE_SRC/rules/.luacheckrc"

luacheck --no-color --config "$RC" "$LURUSE_SRC/rules/" > "$T/shipped.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "shipped rules: no luacheck warning or error"
else bad "shipped rules: luacheck exit $rc"; sed 's/^/      | /' "$T/shipped.out"; fi
assert_contains "shipped rules: luacheck checked luruse.lua" "$T/shipped.out" "luruse.lua"

mkdir -p "$T/etc/rules.d"
cat > "$T/etc/rules.d/typo.lua" <<'LUA'
local L = require "luruse"
L.chain "Typo" {
  L.equals("SYSLOG_IDENTIFIER", identt),
  L.noop(),
}
seen = 0
LUA
(cd "$T/etc" && luacheck --no-color --config "$RC" .) > "$T/typo.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then ok "planted typo: luacheck fails (exit $rc)"
else bad "planted typo: luacheck passed"; sed 's/^/      | /' "$T/typo.out"; fi
assert_contains "planted typo: the undefined variable is named" "$T/typo.out" "typo.lua:3:33: accessing undefined variable 'identt'"
assert_contains "planted typo: the accidental global is named" "$T/typo.out" "typo.lua:6:1: setting non-standard global variable 'seen'"

finish
