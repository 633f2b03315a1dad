#!/bin/bash
# Runs INSIDE private network, mount and pid namespaces, started by
# tests/test_check_env.sh:  check_env_ns.sh WORKDIR
# `luruse check` against this namespace's own nftables and ipset: rules whose
# sets and programs are all there, rules where some are missing or unfit, the
# own table before and after it exists, and a run without privileges.
set -u
W=$1
: "${LURUSE_BIN:?}" "${HOST_NETNS:?}"
NFT=/usr/sbin/nft
IPSET=/usr/sbin/ipset
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"

if [ "$(readlink /proc/self/ns/net)" = "$HOST_NETNS" ]; then
  echo "FAIL - still in the host's network namespace: refusing to touch any firewall"
  exit 1
fi
no_sanitizer_report() {
  if grep -aqE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|internal error: assertion' "$2"; then
    bad "$1: sanitizer report:"; head -40 "$2" | sed 's/^/      | /'
  else ok "$1: no sanitizer report"; fi
}
refute_contains() {
  if grep -aqF -- "$3" "$2"; then bad "$1: '$3' in $(basename "$2")"; sed 's/^/      | /' "$2" | head -20
  else ok "$1"; fi
}

# ------------------------------------------------ this namespace's firewall
if ! $NFT -f - 2> "$W/nft-setup.err" <<'NFT'
table inet filter {
  set f2b4 { type ipv4_addr; flags timeout; }
  set f2b6 { type ipv6_addr; flags timeout; }
}
table ip plain {
  set noflags { type ipv4_addr; }
}
NFT
then
  echo "SKIP: nft cannot create tables in a network namespace here: $(head -3 "$W/nft-setup.err")"
  exit 77
fi
if ! { $IPSET create have4 hash:ip && $IPSET create have6 hash:ip family inet6; } 2> "$W/ipset-setup.err"; then
  echo "SKIP: ipset cannot create sets in a network namespace here: $(head -3 "$W/ipset-setup.err")"
  exit 77
fi
$NFT list ruleset > "$W/ruleset.before"
$IPSET list > "$W/ipset.before"

# ------------------------------------------------ programs; readable by nobody for the last part
chmod 755 "$W"
mkdir -p "$W/bin"
printf '#!/bin/sh\ncat > /dev/null\n' > "$W/bin/sendmail"
cp "$W/bin/sendmail" "$W/bin/notify"
chmod 755 "$W/bin" "$W/bin/sendmail" "$W/bin/notify"
printf '#!/bin/sh\n' > "$W/bin/notexec"
chmod 644 "$W/bin/notexec"
cd "$W" || exit 1

# check FILE ARGS...: luruse check, exit status in $rc, $W/out and $W/err
check() {
  local f=$1
  shift
  timeout -k 5 30 "$LURUSE_BIN" check -c "$f" "$@" > "$W/out" 2> "$W/err"
  rc=$?
  no_sanitizer_report "$f $*" "$W/err"
}
warnings() { grep -c '^luruse: warning: ' "$W/err"; }

# ------------------------------------------------ everything there
cat > present.lua <<LUA
local L = require "luruse"
L.config { email = { to = { "root@localhost" }, sendmail = { "$W/bin/sendmail", "-t" } } }
L.chain "Nft" { L.equals("X", "n"), L.ban { ip = "ip", nft = { "inet filter f2b4", "inet filter f2b6" }, seconds = 60 } }
L.chain "Ipset" { L.equals("X", "i"), L.ban { ip = "ip", ipset = { "have4", "have6" }, seconds = 60 } }
L.chain "Mail" { L.equals("X", "m"), L.email("hello") }
L.chain "Exec" { L.equals("X", "e"), L.exec { "$W/bin/notify", "{ip}" } }
L.jail "sshd" { identifier = "sshd", failures = { [[^Failed password from (?<ip>\S+)$]] } }
LUA
check present.lua
assert_eq "all there: exit 0" 0 "$rc"
assert_eq "all there: no warning" 0 "$(warnings)"
assert_contains "the own table's IPv4 set will be created" "$W/err" \
  "luruse: note: present.lua:7: jail sshd[2] action_jail: nft set 'inet luruse ban4' will be created by luruse at start (its own table, bans.table)"
assert_contains "the own table's IPv6 set will be created" "$W/err" \
  "nft set 'inet luruse ban6' will be created by luruse at start"
assert_contains "all there: the summary" "$W/err" \
  "luruse: this host: 4 nft sets, 2 ipset sets and 3 programs looked for: 0 warnings, 2 notes"
assert_contains "all there: the graph is printed" "$W/out" "workflow:"
check present.lua --strict
assert_eq "all there, --strict: exit 0 (notes are not warnings)" 0 "$rc"
check present.lua --quiet
assert_eq "all there, --quiet: exit 0" 0 "$rc"
assert_eq "all there, --quiet: prints nothing" "" "$(cat "$W/out" "$W/err")"

# ------------------------------------------------ missing and unfit
cat > missing.lua <<LUA
local L = require "luruse"
L.config { email = { to = { "root@localhost" }, sendmail = { "$W/bin/nosendmail", "-t" } } }
L.chain "Nft" { L.equals("X", "n"), L.ban { ip = "ip", nft = { "inet filter gone", "inet filter f2b4" }, seconds = 60 } }
L.chain "Plain" { L.equals("X", "p"), L.ban { ip = "ip", nft = { "ip plain noflags", "inet filter f2b6" }, seconds = 60, prefix4 = 24 } }
L.chain "Ipset" { L.equals("X", "i"), L.ban { ip = "ip", ipset = { "have4", "gone6" } } }
L.chain "Mail" { L.equals("X", "m"), L.email("hello") }
L.chain "Exec" { L.equals("X", "e"), L.exec { "$W/bin/notexec", "{ip}" } }
L.chain "Exec2" { L.equals("X", "f"), L.exec { "luruse-no-such-program" } }
L.chain "Exec3" { L.equals("X", "g"), L.exec { "$W/bin/notexec" } }
LUA
check missing.lua
assert_eq "missing: exit 0 without --strict" 0 "$rc"
assert_eq "missing: warnings" 8 "$(warnings)"
assert_contains "a missing nft set" "$W/err" \
  "luruse: warning: missing.lua:3: Nft[1] action_nftBan: nft set 'inet filter gone' does not exist: bans into it will fail"
assert_contains "an nft set of the wrong type" "$W/err" \
  "luruse: warning: missing.lua:3: Nft[1] action_nftBan: nft set 'inet filter f2b4' is of type ipv4_addr, not ipv6_addr: IPv6 bans into it will fail"
assert_contains "an nft set without flags timeout" "$W/err" \
  "luruse: warning: missing.lua:4: Plain[1] action_nftBan: nft set 'ip plain noflags' has no 'flags timeout': bans with a timeout into it will fail"
assert_contains "an nft set without flags interval" "$W/err" \
  "luruse: warning: missing.lua:4: Plain[1] action_nftBan: nft set 'ip plain noflags' has no 'flags interval': network (prefix) bans into it will fail"
assert_contains "a missing ipset set" "$W/err" \
  "luruse: warning: missing.lua:5: Ipset[1] action_ipsetBan: ipset set 'gone6' does not exist: bans into it will fail"
refute_contains "an ipset set that is there is not named" "$W/err" "'have4'"
assert_contains "a missing sendmail" "$W/err" \
  "luruse: warning: missing.lua:6: Mail[1] action_email: program '$W/bin/nosendmail' (email.sendmail) cannot run: $W/bin/nosendmail does not exist: emails and daily reports will not be sent"
assert_contains "an exec program that is not executable, once for its two steps" "$W/err" \
  "luruse: warning: missing.lua:7: Exec[1] action_exec (and 1 more step): program '$W/bin/notexec' cannot run: $W/bin/notexec is not executable: the action will fail"
assert_contains "an exec program not in PATH" "$W/err" \
  "luruse: warning: missing.lua:8: Exec2[1] action_exec: program 'luruse-no-such-program' cannot run: 'luruse-no-such-program' is not in PATH ("
assert_contains "missing: the summary" "$W/err" \
  "luruse: this host: 4 nft sets, 2 ipset sets and 4 programs looked for: 8 warnings, 0 notes"
check missing.lua --strict
assert_eq "missing, --strict: exit 1" 1 "$rc"
assert_contains "missing, --strict: says why it fails" "$W/err" "luruse: 8 warnings, errors with --strict"
check missing.lua --quiet
assert_eq "missing, --quiet: exit 0" 0 "$rc"
assert_eq "missing, --quiet: the warnings" 8 "$(warnings)"
assert_eq "missing, --quiet: nothing else" 8 "$(wc -l < "$W/err")"
assert_eq "missing, --quiet: no graph" "" "$(cat "$W/out")"
check missing.lua --quiet --strict
assert_eq "missing, --quiet --strict: exit 1" 1 "$rc"
assert_contains "missing, --quiet --strict: says why" "$W/err" "luruse: 8 warnings, errors with --strict"
check missing.lua --rules-only --strict
assert_eq "--rules-only: the host is not looked at, exit 0" 0 "$rc"
assert_eq "--rules-only: no warning" 0 "$(warnings)"

# nothing was changed by looking
$NFT list ruleset > "$W/ruleset.after"
$IPSET list > "$W/ipset.after"
if cmp -s "$W/ruleset.before" "$W/ruleset.after" && cmp -s "$W/ipset.before" "$W/ipset.after"; then
  ok "check changed neither nftables nor ipset (no own table made)"
else
  bad "check changed the firewall:"; diff "$W/ruleset.before" "$W/ruleset.after" | head; diff "$W/ipset.before" "$W/ipset.after" | head
fi

# ------------------------------------------------ the own table, once it exists
$NFT -f - <<'NFT' || bad "nft: the own table by hand"
table inet luruse {
  set ban4 { type ipv4_addr; flags timeout; }
}
NFT
cat > own.lua <<'LUA'
local L = require "luruse"
L.chain "Other" { L.equals("X", "o"), L.ban { ip = "ip", nft = { "inet luruse other", "inet luruse ban6" } } }
L.jail "sshd" { identifier = "sshd", failures = { [[^Failed password from (?<ip>\S+)$]] } }
LUA
check own.lua
assert_eq "own table: exit 0" 0 "$rc"
assert_contains "a set luruse does not make in its table" "$W/err" \
  "luruse: warning: own.lua:2: Other[1] action_nftBan: nft set 'inet luruse other' does not exist, and luruse makes only ban4, ban6, net4 and net6 in its table inet luruse: bans into it will fail"
assert_contains "ban6, missing, will be created (named by two steps)" "$W/err" \
  "luruse: note: own.lua:2: Other[1] action_nftBan (and 1 more step): nft set 'inet luruse ban6' will be created by luruse at start"
refute_contains "ban4 is there: nothing said" "$W/err" "'inet luruse ban4'"
assert_eq "own table: one warning" 1 "$(warnings)"

# ------------------------------------------------ without CAP_NET_ADMIN
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# the build tree may sit where user 65534 cannot go (a clone in a mode-0700
# temporary directory): a copy of the binary in our own directory, opened to it
mkdir -p "$W/bin" && cp "$LURUSE_BIN" "$W/bin/luruse" && chmod 755 "$W" "$W/bin" "$W/bin/luruse"
chmod a+r "$W"/*.lua
NOBODY_BIN=$W/bin/luruse
if ! nobody test -r "$W/missing.lua" || ! nobody test -x "$NOBODY_BIN"; then
  bad "user 65534 cannot read $W or run $NOBODY_BIN"
fi
nobody timeout -k 5 30 "$NOBODY_BIN" check -c missing.lua > "$W/out" 2> "$W/err"
rc=$?
no_sanitizer_report "unprivileged check" "$W/err"
assert_eq "unprivileged: exit 0" 0 "$rc"
assert_contains "unprivileged: the nft sets are not checked" "$W/err" \
  "luruse: note: 4 nft sets not checked: reading them is not permitted (CAP_NET_ADMIN is needed: run luruse check as root)"
assert_contains "unprivileged: the ipset sets are not checked" "$W/err" \
  "luruse: note: 2 ipset sets not checked: reading them is not permitted (CAP_NET_ADMIN is needed: run luruse check as root)"
assert_eq "unprivileged: the programs are still checked (3 warnings)" 3 "$(warnings)"
refute_contains "unprivileged: libnftables says nothing of its own" "$W/err" "you must be root"
nobody timeout -k 5 30 "$NOBODY_BIN" check -c present.lua --strict > "$W/out" 2> "$W/err"
rc=$?
assert_eq "unprivileged, all programs there, --strict: exit 0 (sets not read are a note)" 0 "$rc"
assert_contains "unprivileged, --strict: the note" "$W/err" "4 nft sets not checked"

echo "check env scenario: $FAILURES failure(s) in $(elapsed)"
[ "$FAILURES" -eq 0 ]
