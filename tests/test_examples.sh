#!/bin/bash
# The examples installed in /usr/share/doc/luruse/examples pass `luruse check`
# (a drop-in of rules.d/ and a jail of jails/ also inside a copy of the shipped
# rules, as installed), and do what their comments say (`luruse explain`).
. "$(dirname "$0")/lib/common.sh"
setup
EX="$LURUSE_SRC/examples"
[ -d "$EX" ] || die "examples/ is missing"

# every example file: standalone when it is a whole rule file, as a drop-in
# of the shipped rules when it lives in rules.d/ or jails/
n=0
while IFS= read -r f; do
  n=$((n + 1))
  rel=${f#"$EX"/}
  case $rel in
    rules.d/*|jails/*)
      rm -rf "$T/shipped"; mkdir -p "$T/shipped"; cp -r "$LURUSE_SRC/rules/." "$T/shipped/"
      cp "$f" "$T/shipped/rules.d/zz-$(basename "$f")"
      "$LURUSE_BIN" check -c "$T/shipped/luruse.lua" > "$T/check.out" 2>&1
      rc=$?
      assert_eq "examples/$rel passes luruse check as a drop-in of the shipped rules" 0 "$rc"
      [ "$rc" -eq 0 ] || sed 's/^/      | /' "$T/check.out" | tail -5
      assert_contains "examples/$rel: its chains are in the workflow" "$T/check.out" \
        "$(sed -nE 's/^L\.(chain|jail) "([^"]+)".*/\2/p' "$f" | head -1)" ;;
  esac
  case $rel in
    rules.d/*) ;;
    *) "$LURUSE_BIN" check --quiet -c "$f" > "$T/check.out" 2>&1
       rc=$?
       assert_eq "examples/$rel passes luruse check" 0 "$rc"
       [ "$rc" -eq 0 ] || sed 's/^/      | /' "$T/check.out" | tail -5 ;;
  esac
done < <(find "$EX" -type f \( -name '*.lua' -o -name '*.json' \) | sort)
[ "$n" -ge 4 ] && ok "$n examples checked" || bad "only $n examples found"

# explain_json RULES IDENT LINE N: N times the line, as explain -o json prints them
explain_json() {
  local rules=$1 ident=$2 line=$3 count=$4 args=() i
  for ((i = 0; i < count; i++)); do args+=(--line "$line"); done
  "$LURUSE_BIN" explain -c "$rules" -o json --identifier "$ident" "${args[@]}" 2>&1
}

explain_json "$EX/jails/webapp.lua" webapp 'login failed for user bob from 203.0.113.9' 5 > "$T/jail.out"
assert_contains "jail example: the 5th failure bans the address" "$T/jail.out" \
  '"action":"action_nftBan","jail":"webapp","ip":"203.0.113.9","set":"inet luruse ban4","seconds":3600'
explain_json "$EX/jails/webapp.lua" webapp 'login failed for user bob from 192.0.2.7' 5 > "$T/jail-ignored.out"
assert_contains "jail example: its ignore network is spared" "$T/jail-ignored.out" \
  '"action":"allowlisted","jail":"webapp","ip":"192.0.2.7"'
if grep -q action_nftBan "$T/jail-ignored.out"; then bad "jail example: its ignore network was banned"
else ok "jail example: its ignore network is never banned"; fi

explain_json "$EX/pyruse.json" sshd 'Failed password for invalid user bob from 198.51.100.4 port 22 ssh2' 5 > "$T/pyruse.out"
assert_contains "pyruse.json example: a report line per failure" "$T/pyruse.out" \
  '"message":"SSH failure for bob from 198.51.100.4"'
assert_contains "pyruse.json example: the 5th failure bans" "$T/pyruse.out" \
  '"ip":"198.51.100.4","set":"inet luruse ban4","seconds":3600'
assert_contains "pyruse.json example: and emails" "$T/pyruse.out" \
  '"subject":"SSH ban","message":"Banned 198.51.100.4 for an hour after 5 failures (last user: bob)."'

explain_json "$EX/email-report.lua" sshd 'Accepted publickey for root from 203.0.113.5 port 4242 ssh2' 1 > "$T/email.out"
assert_contains "email example: a root login is an alert with alertSubject" "$T/email.out" \
  '"action":"action_email","subject":"luruse alert"'
assert_contains "email example: and a report line" "$T/email.out" '"message":"root login from 203.0.113.5"'

rm -rf "$T/shipped"; mkdir -p "$T/shipped"; cp -r "$LURUSE_SRC/rules/." "$T/shipped/"
cp "$EX/rules.d/local.lua" "$T/shipped/rules.d/"
explain_json "$T/shipped/luruse.lua" kernel 'blk_update_request: I/O error, dev sdb, sector 1234' 1 > "$T/dropin.out"
assert_contains "rules.d example, installed: a disk error is emailed" "$T/dropin.out" \
  '"action":"action_email","subject":"Disk error on "'
explain_json "$T/shipped/luruse.lua" sudo '    alice : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/usr/bin/apt update' 1 > "$T/sudo.out"
assert_contains "rules.d example, installed: sudo goes to the report" "$T/sudo.out" \
  '"message":"sudo by alice: /usr/bin/apt update"'
no_sanitizer_report "luruse explain of the examples" <(cat "$T"/*.out)
finish
