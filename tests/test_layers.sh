#!/bin/bash
# core/ is split by layer (docs/ARCHITECTURE.md): a file includes its own layer
# or lower ones, spelled from core/ ("state/counters.h"), and only core/lua/
# includes Lua's headers. The checker is proven on a planted tree first.
. "$(dirname "$0")/lib/common.sh"
setup
CHECK="python3 $TESTS_LIB/check_layers.py"

# a planted tree with one problem of each kind: the checker must name each
P=$T/core
for l in util input state notify defence fleet rules steps lua cli; do mkdir -p "$P/$l"; done
printf '#include "rules/engine.h"\n' > "$P/util/buf.c"           # util reaches up
printf '#include <lauxlib.h>\n' > "$P/rules/engine.c"             # Lua outside lua/
printf '#include "defence/bans.h"\n' > "$P/notify/mail.c"         # sibling layers
printf '#include "buf.h"\n' > "$P/input/entry.c"                  # not spelled from core/
printf '#include "state/state.h"\n#include <lua.h>\n' > "$P/lua/ok.c" # fine
: > "$P/loose.c"                                                  # outside any layer
$CHECK "$P" > "$T/planted.out"
assert_eq "the checker fails on the planted tree" 1 $?
assert_contains "it names a lower layer including a higher one" "$T/planted.out" \
  'util/buf.c includes "rules/engine.h": util may not use rules'
assert_contains "it names a Lua header outside core/lua/" "$T/planted.out" \
  'rules/engine.c includes <lauxlib.h>: only core/lua/ may'
assert_contains "it names sibling layers" "$T/planted.out" \
  'notify/mail.c includes "defence/bans.h": notify may not use defence'
assert_contains "it names an include not spelled from core/" "$T/planted.out" 'input/entry.c'
assert_contains "it names a file outside the layers" "$T/planted.out" 'loose.c: not in a layer folder'
if grep -q 'lua/ok.c' "$T/planted.out"; then bad "a lawful file was reported"; else ok "a lawful file passes"; fi

$CHECK "$LURUSE_SRC/core" > "$T/core.out"
rc=$?
if [ $rc -eq 0 ]; then ok "core/: $(tail -1 "$T/core.out")"
else bad "core/ breaks the layers:"; sed 's/^/      | /' "$T/core.out" | head -20; fi
finish
