#!/bin/bash
# Started by tests/test_outbox.sh where no journald socket is visible:
#   outbox_ns.sh WORKDIR
set -u
W=$1
: "${LURUSE_BIN:?}"
LIB=$(dirname "${BASH_SOURCE[0]}")
. "$LIB/ns_common.sh"
if [ -S /run/systemd/journal/socket ]; then
  echo "FAIL - a journald socket is visible: luruse would log into that journal"
  exit 1
fi
S=$W/state
export FAKE_MAILDIR=$W/mail
mkdir -p "$FAKE_MAILDIR" "$W/nojournal"
RULES=$W/rules.lua
cat > "$RULES" <<LUA
local L = require "luruse"
L.config { email = { to = { "admin@test.invalid" }, sendmail = { "$LIB/fake_sendmail.sh", "-t" },
                     throttleSeconds = 0, timeoutSeconds = 4 } }
L.chain "Alert" { L.pcre("MESSAGE", [[^alert (?<x>\S+)$]]), L.email("alert {x}", "Alert {x}") }
LUA
OB() { "$LURUSE_BIN" outbox "$@"; }
# json_ids: "LABEL=ID" for each listed email (--json), one a line
json_ids() { OB --storage "$S" --json | python3 -c 'import json, sys
for m in json.load(sys.stdin)["messages"]:
    print(m["label"] + "=" + str(m["id"]))'; }
id_of() { json_ids | sed -n "s/^$1=//p"; }
labels() { json_ids | sed 's/=[0-9]*$//' | paste -sd ' '; }

printf 'alert a\nalert b\nalert c\n' > "$W/alerts.txt"
FAKE_SENDMAIL_MODE=fail "$LURUSE_BIN" replay -c "$RULES" --storage "$S" --lines "$W/alerts.txt" \
  > "$W/replay.out" 2> "$W/replay.err" || bad "replay: $(cat "$W/replay.err")"
grep -q "3 waiting in the outbox" "$W/replay.out" && ok "a failing sendmail left 3 emails waiting" \
  || bad "replay: $(cat "$W/replay.out")"

# ------------------------------------------------ no daemon: the database itself
OB --storage "$S" > "$W/list.out" 2> "$W/list.err"
rc=$?
python3 - "$W/list.out" <<'PY' > "$W/list.check"
import re, sys
lines = open(sys.argv[1]).read().splitlines()
assert re.match(r"^id +stored +age +bytes +tries +next try +label$", lines[0]), lines[0]
rows = [l for l in lines[1:] if re.match(r"^\d+ +\d{4}-", l)]
assert [r.split()[-1] for r in rows] == ["a", "b", "c"], rows
assert all(re.match(r"^\d+ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \d+s +\d+ +1  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  Alert [abc]$", r) for r in rows), rows
errors = [l for l in lines if "last error:" in l]
assert len(errors) == 3 and all(l.strip() == "last error: exit status 75" for l in errors), errors
assert lines[-1] == "3 emails waiting", lines[-1]
print("ok")
PY
[ $rc -eq 0 ] && [ "$(cat "$W/list.check")" = ok ] && ok "luruse outbox lists the 3 emails: id, stored, age, bytes, tries, next try, label, last error" \
  || { bad "luruse outbox: exit $rc: $(cat "$W/list.check" "$W/list.err")"; sed 's/^/      | /' "$W/list.out"; }
OB --storage "$S" --json > "$W/list.json"
python3 - "$W/list.json" "$S/luruse.db" <<'PY' > "$W/json.check"
import json, sqlite3, sys
r = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
rows = {i: (n, c) for i, n, c in db.execute("SELECT id, length(message), created_usec FROM outbox")}
ms = r["messages"]
assert r["ok"] is True and len(ms) == 3, r
for m in ms:
    size, created = rows[m["id"]]
    assert m["size"] == size and m["stored_usec"] == created, (m, size, created)
    assert m["attempts"] == 1 and m["last_error"] == "exit status 75" and m["sending"] is False, m
    assert m["next_try_usec"] > m["stored_usec"] and 0 <= m["age_seconds"] < 60, m
assert [m["label"] for m in ms] == ["Alert a", "Alert b", "Alert c"], ms
print("ok")
PY
[ "$(cat "$W/json.check")" = ok ] && ok "--json: ids, sizes and times as stored, attempts, last error" \
  || bad "--json: $(cat "$W/json.check" "$W/list.json")"
sed "s|^L.config {|L.config { storage = \"$S\",|" "$RULES" > "$W/rules-storage.lua"
[ "$(OB -c "$W/rules-storage.lua" | tail -1)" = "3 emails waiting" ] && ok "-c RULES: the rules' storage setting" \
  || bad "-c with a storage setting: $(OB -c "$W/rules-storage.lua" 2>&1 | tail -2)"

# refused: nothing changes
refused() { # WHAT EXPECTED-STDERR ARGS...
  local what=$1 want=$2
  shift 2
  OB "$@" > "$W/refused.out" 2> "$W/refused.err"
  local rc=$?
  if [ $rc -eq 1 ] && grep -qF -- "$want" "$W/refused.err"; then ok "$what: exit 1, $(head -1 "$W/refused.err")"
  else bad "$what: exit $rc: $(cat "$W/refused.out" "$W/refused.err" | head -3)"; fi
}
refused "an unknown id" "no waiting email has id 999" --storage "$S" --drop 999
refused "--drop x" "--drop 'x' is not an email's id" --storage "$S" --drop x
refused "--drop 0" "--drop '0' is not an email's id" --storage "$S" --drop 0
refused "a misspelt option" "unrecognized option" --storage "$S" --dorp 1
refused "another command's option" "unrecognized option" --storage "$S" --socket "$S/control.sock"
refused "--drop and --all" "not both" --storage "$S" --drop 1 --all
refused "an operand" "unexpected argument" --storage "$S" 1
refused "a directory without state" "no luruse state in $W/nostate" --storage "$W/nostate"
[ ! -e "$W/nostate" ] && ok "... and it is not created" || bad "$W/nostate was created"
assert_eq "nothing dropped by the refused ones" "Alert a Alert b Alert c" "$(labels)"

b=$(id_of "Alert b")
out=$(OB --storage "$S" --drop "$b" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ "$out" = "email $b dropped: Alert b" ] && ok "--drop $b: $out" || bad "--drop $b: exit $rc: $out"
assert_eq "after --drop: a and c are left" "Alert a Alert c" "$(labels)"
refused "the dropped id again" "no waiting email has id $b" --storage "$S" --drop "$b"

# ------------------------------------------------ a daemon runs: through its socket
# the emails the replay left are not due for an hour: nothing is sent meanwhile
python3 -c 'import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE outbox SET next_try_usec = ?", (int((time.time() + 3600) * 1e6),))
db.commit()' "$S/luruse.db"
LOG=$W/log.txt
: > "$LOG"
FAKE_SENDMAIL_MODE=hang "$LURUSE_BIN" run -c "$RULES" --storage "$S" --journal-dir "$W/nojournal" \
  --file "$LOG" --identifier t > /dev/null 2> "$W/luruse.err" &
LPID=$!
wait_until 15 grep -qF "luruse running" "$W/luruse.err" || { bad "the daemon did not start: $(cat "$W/luruse.err")"; exit 1; }
assert_eq "with the daemon: the list comes through its socket" "Alert a Alert c" "$(labels)"
[ "$(OB --storage "$S" | tail -1)" = "2 emails waiting" ] && ok "with the daemon: the text list" \
  || bad "text list with the daemon: $(OB --storage "$S" 2>&1)"
a=$(id_of "Alert a")
out=$(OB --storage "$S" --drop "$a" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ "$out" = "email $a dropped: Alert a" ] && grep -qF "outbox: email $a dropped: Alert a" "$W/luruse.err" \
  && ok "with the daemon: --drop $a, done by the daemon (it logged it)" || bad "--drop via the daemon: exit $rc: $out"
refused "with the daemon: an unknown id" "no waiting email has id $a" --storage "$S" --drop "$a"

# an email the daemon's sendmail is handling now, dropped: not retried
echo "alert d" >> "$LOG"
sending() { OB --storage "$S" --json | grep -q '"sending": true'; }
if wait_until 3 sending; then
  d=$(id_of "Alert d")
  OB --storage "$S" | grep -qE "^$d .* sending now +Alert d$" && ok "the list says which email sendmail has now" \
    || bad "the text list during sending: $(OB --storage "$S")"
  out=$(OB --storage "$S" --drop "$d" 2>&1) && ok "dropped while sendmail has it: $out" || bad "--drop $d: $out"
  wait_until 8 grep -qF 'email "Alert d", dropped from the outbox while sendmail had it: sendmail failed, not retried' "$W/luruse.err" \
    && ok "after its sendmail's timeout the daemon says it is not retried" \
    || bad "no word of the dropped email: $(tail -3 "$W/luruse.err")"
else bad "the new email was never seen with sendmail: $(OB --storage "$S" --json)"; fi
assert_eq "then only c waits" "Alert c" "$(labels)"
out=$(OB --storage "$S" --all 2>&1)
[ "$out" = "1 waiting email dropped" ] && ok "with the daemon: --all: $out" || bad "--all: $out"
n=$("$LURUSE_BIN" status --storage "$S" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["notify"]["outbox"])')
assert_eq "the daemon's status: 0 in the outbox" 0 "$n"
kill -TERM "$LPID"; wait "$LPID"; rc=$?; LPID=
[ $rc -eq 0 ] && ok "the daemon stopped (exit 0)" || bad "daemon exit $rc"
assert_eq "no email was sent" 0 "$(find "$FAKE_MAILDIR" -name '*.eml' | wc -l)"

# ------------------------------------------------ no daemon again
out=$(OB --storage "$S" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ "$out" = "no email waiting in the outbox of $S" ] && ok "after the daemon: $out" || bad "after the daemon: exit $rc: $out"
printf 'alert e\nalert f\n' > "$W/more.txt"
FAKE_SENDMAIL_MODE=fail "$LURUSE_BIN" replay -c "$RULES" --storage "$S" --lines "$W/more.txt" --quiet 2> /dev/null
out=$(OB --storage "$S" --all 2>&1)
[ "$out" = "2 waiting emails dropped" ] && ok "no daemon: --all: $out" || bad "--all without the daemon: $out"
OB --storage "$S" --all --json > "$W/all.json"
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); assert r["ok"] and r["dropped"] == 0, r' "$W/all.json" \
  && ok "--all --json on an empty outbox: dropped 0" || bad "--all --json: $(cat "$W/all.json")"
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$W"/*.err; then
  bad "sanitizer report:"; grep -lE 'Sanitizer|runtime error' "$W"/*.err
else ok "no sanitizer report"; fi
echo "outbox checks finished in $(elapsed)"
[ "$FAILURES" -eq 0 ]
