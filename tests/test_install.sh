#!/bin/bash
# `cmake --install` puts luruse.so where Debian's lua5.4 looks for it, with the
# shipped rules and their luacheck configuration: from outside the source tree,
# lua5.4 and busted then load a user's rules with `require "luruse"` and run
# entries through them.
. "$(dirname "$0")/lib/common.sh"
setup
command -v lua5.4 > /dev/null || skip "lua5.4 is missing"
BUILD=$(dirname "$LURUSE_BIN")
[ -f "$BUILD/CMakeCache.txt" ] || skip "no CMakeCache.txt beside $LURUSE_BIN"
PREFIX=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
ROOT="$T/root"

DESTDIR="$ROOT" cmake --install "$BUILD" > "$T/install.out" 2>&1
rc=$?
assert_eq "cmake --install exit status" 0 "$rc"

# Debian's search path for the prefix, moved under DESTDIR
CPATH_DEB=$(lua5.4 -e 'print(package.cpath)')
LUA_CPATH=
SO=
IFS=';' read -ra entries <<< "$CPATH_DEB"
for e in "${entries[@]}"; do
  case $e in
    "$PREFIX"/*) LUA_CPATH="${LUA_CPATH:+$LUA_CPATH;}$ROOT$e"
                 [ -f "$ROOT${e/\?/luruse}" ] && SO="$ROOT${e/\?/luruse}" ;;
  esac
done
if [ -n "$SO" ]; then ok "luruse.so installed on lua5.4's path: ${SO#"$ROOT"}"
else bad "luruse.so is on none of lua5.4's paths under $PREFIX ($CPATH_DEB):"
     sed 's/^/      | /' "$T/install.out"; finish; fi
export LUA_CPATH

DATA="$ROOT$PREFIX/share/luruse"
for f in luruse.lua .luacheckrc sample.export rules.d/README; do
  if [ -f "$DATA/$f" ]; then ok "installed share/luruse/$f"; else bad "share/luruse/$f not installed"; fi
done

# the bash completion, the examples, and the man pages when scdoc built them
SHARE="$ROOT$PREFIX/share"
if [ -f "$SHARE/bash-completion/completions/luruse" ]; then ok "installed share/bash-completion/completions/luruse"
else bad "share/bash-completion/completions/luruse not installed"; fi
for f in pyruse.json jails/webapp.lua rules.d/local.lua email-report.lua; do
  if [ -f "$SHARE/doc/luruse/examples/$f" ]; then ok "installed share/doc/luruse/examples/$f"
  else bad "share/doc/luruse/examples/$f not installed"; fi
done
if grep -q '^SCDOC:FILEPATH=/' "$BUILD/CMakeCache.txt" && ! grep -q '^LURUSE_MAN:STRING=OFF' "$BUILD/CMakeCache.txt"; then
  for m in man8/luruse.8 man5/luruse.lua.5; do
    if [ -f "$SHARE/man/$m" ]; then ok "installed share/man/$m"; else bad "share/man/$m not installed"; fi
  done
fi

# Under /usr, GNUInstallDirs gives Debian's multiarch directory, which lua5.4 searches.
if command -v gcc > /dev/null && MA=$(gcc -print-multiarch 2> /dev/null) && [ -n "$MA" ]; then
  cmake -S "$LURUSE_SRC" -B "$T/usr-build" -DCMAKE_INSTALL_PREFIX=/usr > "$T/usr-config.out" 2>&1
  libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$T/usr-build/CMakeCache.txt")
  assert_eq "prefix /usr: libdir" "lib/$MA" "$libdir"
  assert_contains "prefix /usr: lua5.4 searches /usr/$libdir/lua/5.4" <(echo "$CPATH_DEB") "/usr/$libdir/lua/5.4/?.so"
fi

# The module of a sanitized build runs in an uninstrumented lua5.4: preload the runtime.
preload=$(ldd "$SO" 2> /dev/null | awk '/lib(asan|ubsan)\.so/ { printf "%s%s", sep, $3; sep = ":" }')
if [ -n "$preload" ]; then
  export LD_PRELOAD="$preload" ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:exitcode=99"
fi

mkdir -p "$T/mine/spec"
cd "$T/mine" || die "cd $T/mine"
cat > rules.lua <<'LUA'
local L = require "luruse"
L.chain "Web" {
  L.equals("SYSLOG_IDENTIFIER", "web"),
  L.pcre("MESSAGE", [[^denied (?<who>\S+)$]]),
  L.log("denied {who}", "WARNING"),
}
L.chain "Rest" { L.noop() }
LUA

cat > run.lua <<'LUA'
local L = require "luruse"
print("module=" .. package.searchpath("luruse", package.cpath))
local wf = assert(L.load_rules("rules.lua"))
local fields, path = wf:run { SYSLOG_IDENTIFIER = "web", MESSAGE = "denied bob" }
print("who=" .. tostring(fields.who))
for _, line in ipairs(path) do print(line) end
LUA
lua5.4 run.lua > "$T/run.out" 2>&1
rc=$?
assert_eq "lua5.4 run.lua exit status" 0 "$rc"
assert_contains "lua5.4 loads the installed luruse.so" "$T/run.out" "module=$SO"
assert_contains "wf:run: the capture" "$T/run.out" "who=bob"
assert_contains "wf:run: the path" "$T/run.out" "Web[1] filter_pcre: pass"
assert_contains "wf:run: the action" "$T/run.out" "Web[2] action_log: done"
no_sanitizer_report "lua5.4 run.lua" "$T/run.out"

if command -v busted > /dev/null; then
  cat > spec/rules_spec.lua <<'LUA'
local L = require "luruse"
describe("my rules", function()
  local wf = assert(L.load_rules("rules.lua"))
  it("logs a denial", function()
    local fields, path = wf:run { SYSLOG_IDENTIFIER = "web", MESSAGE = "denied eve" }
    assert.equal("eve", fields.who)
    assert.equal("Web[2] action_log: done", path[3])
  end)
  it("leaves the rest alone", function()
    local _, path = wf:run { SYSLOG_IDENTIFIER = "other", MESSAGE = "denied eve" }
    assert.equal("Rest[0] action_noop: done", path[#path])
  end)
end)
LUA
  # busted's own C modules are on Debian's default path (";;"), after the install
  LUA_CPATH="$LUA_CPATH;;" lua5.4 "$(command -v busted)" -o TAP spec > "$T/busted.out" 2>&1
  rc=$?
  assert_eq "busted spec of my rules: exit status" 0 "$rc"
  assert_contains "busted: both tests ran" "$T/busted.out" "1..2"
  if grep -q '^not ok' "$T/busted.out"; then bad "busted: a test failed:"; sed 's/^/      | /' "$T/busted.out"
  else ok "busted: no failure"; fi
  no_sanitizer_report "busted" "$T/busted.out"
else
  echo "(busted is missing: the spec part is not run)"
fi

if command -v luacheck > /dev/null; then
  env -u LUA_CPATH -u LD_PRELOAD luacheck --no-color --config "$DATA/.luacheckrc" rules.lua run.lua > "$T/luacheck.out" 2>&1
  rc=$?
  assert_eq "installed .luacheckrc: my rules pass luacheck" 0 "$rc"
fi

finish
