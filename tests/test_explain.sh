#!/bin/bash
# luruse explain: entries from --line, --export and --journal-file run through
# the rules as the daemon would (a counter reaching its threshold, then a ban
# and an email), printed as JSON parsed back field by field, and the proof
# that nothing acted: stand-in nft and sendmail that leave a marker if run, a
# storage directory that is never created; then the summary's counts.
. "$(dirname "$0")/lib/common.sh"
setup
export TZ=UTC
make_standins nft sendmail exec
cat > "$T/rules.json" <<EOF
{
 "storage": "$T/storage-never-created",
 "nftBan": {"nft": ["$T/fake-nft.sh"]},
 "email": {"from": "luruse@test.invalid", "to": ["admin@test.invalid"],
           "sendmail": ["$T/fake-sendmail.sh", "-t"]},
 "actions": {
  "SSH failures": [
   {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}},
   {"filter": "filter_pcre", "args": {"field": "MESSAGE",
     "re": "^Failed password for (?<sshUser>\\\\S+) from (?<clientIP>\\\\S+) port"}},
   {"action": "action_counterRaise", "args": {"counter": "ssh", "for": "clientIP",
     "keepSeconds": 600, "save": "sshCount"}},
   {"filter": "filter_greaterOrEquals", "args": {"field": "sshCount", "value": 3}},
   {"action": "action_nftBan", "args": {"IP": "clientIP", "nftSetIPv4": "inet luruse ban4",
     "nftSetIPv6": "inet luruse ban6", "banSeconds": 3600}},
   {"action": "action_email", "args": {"subject": "Banned {clientIP}",
     "message": "{sshUser} from {clientIP}, {sshCount} failures"}},
   {"action": "action_exec", "args": {"argv": ["$T/fake-exec.sh", "{clientIP}"]}}
  ],
  "Sudo": [
   {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sudo"}},
   {"filter": "filter_pcreAny", "args": {"field": "MESSAGE",
     "re": ["^(?<sudoUser>\\\\w+) : TTY=", "^never (?<sudoUser>\\\\w+) here"]}},
   {"action": "action_dailyReport", "args": {"level": "WARN", "details": "FIRSTLAST",
     "message": "sudo by {sudoUser}"}},
   {"action": "action_log", "args": {"level": "WARNING", "message": "sudo seen: {sudoUser}"}}
  ],
  "Broken": [
   {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}},
   {"filter": "filter_pcre", "args": {"field": "MESSAGE", "re": "^Invalid usr (?<u>\\\\S+)"}},
   {"action": "action_log", "args": {"message": "invalid {u}"}}
  ]
 }
}
EOF
"$LURUSE_BIN" check --rules-only -c "$T/rules.json" > "$T/check.out" 2>&1 || { cat "$T/check.out"; die "rules do not compile"; }

# explain NAME ARGS...: output in $T/NAME.{out,err,rc}
explain() {
  local name=$1
  shift
  timeout -k 5 60 "$LURUSE_BIN" explain -c "$T/rules.json" "$@" > "$T/$name.out" 2> "$T/$name.err"
  echo $? > "$T/$name.rc"
  no_sanitizer_report "$name" "$T/$name.err"
}

# An export stream: 3 ssh failures from one address (the third one bans), one
# from another, a sudo line, a line nothing matches.
python3 - "$T/in.export" <<'EOF'
import sys, time
now = int(time.time()) * 1000000 - 3600 * 1000000
rows = [("sshd", "Failed password for root from 203.0.113.9 port 22 ssh2"),
        ("sshd", "Failed password for root from 203.0.113.9 port 23 ssh2"),
        ("sshd", "Failed password for admin from 198.51.100.4 port 22 ssh2"),
        ("sshd", "Failed password for root from 203.0.113.9 port 24 ssh2"),
        ("sudo", "alice : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/bin/sh"),
        ("cron", "session opened for user root")]
with open(sys.argv[1], "w") as f:
    for i, (ident, msg) in enumerate(rows):
        f.write("__CURSOR=s=abc;i=%x\n__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n"
                "_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=h\n"
                "SYSLOG_IDENTIFIER=%s\nMESSAGE=%s\n\n" % (i + 1, now + i * 1000000, 1000000 + i * 1000000, ident, msg))
EOF

check_json() { # NAME: checks $T/NAME.out, the JSON of the export stream's run
  if python3 - "$T/$1.out" "$T" ${2:-} > "$T/$1.check" 2>&1 <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
T = sys.argv[2]
*entries, last = lines
s = last["summary"]
def eq(what, want, got):
    if want != got:
        raise SystemExit("%s: expected %r, got %r" % (what, want, got))
by = {e["entry"]: e for e in entries}
eq("entries shown", [1, 2, 3, 4, 5], sorted(by))
e1 = by[1]
if "--cursor" in sys.argv: eq("e1 cursor", "s=abc;i=1", e1.get("cursor"))
eq("e1 path", ["SSH failures[0] filter_equals: pass", "SSH failures[1] filter_pcre: pass",
               "SSH failures[2] action_counterRaise: done", "SSH failures[3] filter_greaterOrEquals: fail"],
   e1["path"][:4])
eq("e1 fields", {"sshUser": "root", "clientIP": "203.0.113.9", "sshCount": 1}, e1["fields"])
eq("e1 actions", [{"action": "action_counterRaise", "counter": "ssh", "key": "203.0.113.9", "count": 1}],
   e1["actions"])
eq("e3 count of another key", 1, by[3]["actions"][0]["count"])
e4 = by[4]
eq("e4 path tail", ["SSH failures[3] filter_greaterOrEquals: pass", "SSH failures[4] action_nftBan: done",
                    "SSH failures[5] action_email: done", "SSH failures[6] action_exec: done"], e4["path"][3:7])
a = e4["actions"]
eq("e4 action types", ["action_counterRaise", "action_nftBan", "action_email", "action_exec"],
   [x["action"] for x in a])
eq("e4 counter", {"action": "action_counterRaise", "counter": "ssh", "key": "203.0.113.9", "count": 3}, a[0])
eq("e4 ban", ("203.0.113.9", "inet luruse ban4", 3600), (a[1]["ip"], a[1]["set"], a[1]["seconds"]))
eq("e4 email", ("Banned 203.0.113.9", "root from 203.0.113.9, 3 failures"), (a[2]["subject"], a[2]["message"]))
eq("e4 exec", [T + "/fake-exec.sh", "203.0.113.9"], a[3]["argv"])
e5 = by[5]
eq("e5 fields", {"sudoUser": "alice"}, e5["fields"])
eq("e5 actions", [{"action": "action_dailyReport", "level": "WARN", "details": "FIRSTLAST", "message": "sudo by alice"},
                  {"action": "action_log", "level": "WARNING", "message": "sudo seen: alice"}], e5["actions"])
eq("summary entries", 6, s["entries"])
eq("summary acted", 5, s["acted"])
ch = {c["chain"]: (c["entered"], c["matched"], c["acted"]) for c in s["chains"]}
eq("SSH failures counts", (6, 4, 4), ch["SSH failures"])
eq("Sudo counts", (5, 1, 1), ch["Sudo"])
eq("Broken counts", (4, 0, 0), ch["Broken"])
eq("never matched", ["Broken[1]"], [n["step"] for n in s["never_matched"]])
print("ok")
EOF
  then ok "$1: JSON path, fields, actions (counter to threshold, ban, email, exec, report, log), summary"
  else bad "$1: JSON:"; sed 's/^/      | /' "$T/$1.check"
  fi
}

explain export -o json --export "$T/in.export"
assert_eq "export: exits 0" 0 "$(cat "$T/export.rc")"
check_json export --cursor
python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["cursor"])' \
  "$T/export.out" > "$T/export.cursor"
assert_eq "export: the entry's cursor" "s=abc;i=1" "$(cat "$T/export.cursor")"

# The same entries from a journal file: the same answers, with the journal's cursors.
JR=/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || JR=/usr/lib/systemd/systemd-journal-remote
if [ -x "$JR" ]; then
  grep -v '^__CURSOR=' "$T/in.export" > "$T/in-nocursor.export"
  "$JR" --split-mode=none -o "$T/in.journal" - < "$T/in-nocursor.export" > "$T/jr.log" 2>&1
  explain journal -o json --journal-file "$T/in.journal"
  assert_eq "journal-file: exits 0" 0 "$(cat "$T/journal.rc")"
  check_json journal
  assert_contains "journal-file: entries carry the journal's cursor" "$T/journal.out" '"cursor":"s='
else
  bad "systemd-journal-remote is missing"
fi

# One line as typed.
explain line -o json --line "Failed password for root from 192.0.2.1 port 22 ssh2" --identifier sshd
assert_eq "line: exits 0" 0 "$(cat "$T/line.rc")"
if python3 - "$T/line.out" > "$T/line.check" 2>&1 <<'EOF'
import json, sys
e, last = [json.loads(l) for l in open(sys.argv[1])]
assert e["entry"] == 1 and "cursor" not in e, e
assert e["fields"] == {"sshUser": "root", "clientIP": "192.0.2.1", "sshCount": 1}, e["fields"]
assert e["actions"] == [{"action": "action_counterRaise", "counter": "ssh", "key": "192.0.2.1", "count": 1}], e["actions"]
assert e["path"][0] == "SSH failures[0] filter_equals: pass", e["path"]
assert last["summary"]["entries"] == 1 and last["summary"]["acted"] == 1, last
EOF
then ok "line: one entry, MESSAGE and SYSLOG_IDENTIFIER as typed"
else bad "line:"; sed 's/^/      | /' "$T/line.check"
fi

# Text output: entries acted on, then the summary; --all shows every entry.
explain text --export "$T/in.export"
assert_eq "text: exits 0" 0 "$(cat "$T/text.rc")"
assert_contains "text: the summary line" "$T/text.out" "Entries: 6, Acted on: 5, Missed: 1"
assert_eq "text: per chain entered/matched/acted" "SSH failures 6 4 4|Sudo 5 1 1|Broken 4 0 0" \
  "$(sed -n '/^  chain /,/^[^ ]/p' "$T/text.out" | sed '1d' | grep '^  ' | sed 's/^  //; s/  */ /g' | paste -sd'|')"
assert_contains "text: the regex that never matched" "$T/text.out" "Broken[1] filter_pcre (tried 3 times)"
assert_contains "text: the ban it would do" "$T/text.out" 'would: action_nftBan ip=203.0.113.9 set="inet luruse ban4" seconds=3600'
assert_eq "text: entries acted on only" 5 "$(grep -c '^entry ' "$T/text.out")"
explain all --all --export "$T/in.export"
assert_eq "--all: every entry" 6 "$(grep -c '^entry ' "$T/all.out")"

# Nothing acted: no stand-in ran, no storage was created, no log line was written.
never_ran nft sendmail exec
if [ -e "$T/storage-never-created" ]; then bad "a storage directory was created"
else ok "no storage directory was created"; fi
assert_eq "log lines go to the output, not stderr" "" "$(grep -h 'sudo seen' "$T"/*.err)"

# Lua rules: a DNAT mapping captured by one entry corrects a later one; a
# custom Lua action is named, not described.
cat > "$T/dnat.lua" <<'EOF'
local L = require "luruse"
L.config { storage = os.getenv("EXPLAIN_STORAGE") }
L.chain "DNAT capture" {
  L.equals("SYSLOG_IDENTIFIER", "kernel"),
  L.pcre("MESSAGE", [[^DNAT/ssh:.* SRC=([^ ]+) DST=([^ ]+) .* SPT=([^ ]+) DPT=([^ ]+) ]],
    { "dnatSaddr", "dnatAddr", "dnatPort", "dnatDport" }),
  L.dnat_capture { saddr = "dnatSaddr", addr = "dnatAddr", port = "dnatPort", keepSeconds = 300 },
}
L.chain "SSH" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Failed password for (.*) from ([^ ]+) port ([^ ]+) ssh2$]],
    { "sshUser", "clientIP", "clientPort" }),
  L.dnat_replace { addr = "clientIP", port = "clientPort", saddrInto = "clientIP" },
  L.action(function(e) end),
}
EOF
python3 - "$T/dnat.export" <<'EOF'
import sys, time
now = int(time.time()) * 1000000 - 60 * 1000000
rows = [("kernel", "DNAT/ssh: IN=eth0 SRC=203.0.113.50 DST=10.0.0.1 LEN=60 SPT=40000 DPT=22 "),
        ("sshd", "Failed password for bob from 10.0.0.1 port 40000 ssh2")]
with open(sys.argv[1], "w") as f:
    for i, (ident, msg) in enumerate(rows):
        f.write("__REALTIME_TIMESTAMP=%d\nSYSLOG_IDENTIFIER=%s\nMESSAGE=%s\n\n" % (now + i * 1000000, ident, msg))
EOF
EXPLAIN_STORAGE="$T/dnat-storage" timeout -k 5 60 "$LURUSE_BIN" explain -c "$T/dnat.lua" -o json \
  --export "$T/dnat.export" > "$T/dnat.out" 2> "$T/dnat.err"
assert_eq "dnat: exits 0" 0 "$?"
no_sanitizer_report dnat "$T/dnat.err"
if python3 - "$T/dnat.out" > "$T/dnat.check" 2>&1 <<'EOF'
import json, sys
e1, e2, last = [json.loads(l) for l in open(sys.argv[1])]
assert e1["actions"] == [{"action": "action_dnatCapture", "mapping": {"saddr": "203.0.113.50",
    "addr": "10.0.0.1", "port": "40000"}, "seconds": 300}], e1["actions"]
assert e2["fields"]["clientIP"] == "203.0.113.50", e2["fields"]
assert e2["actions"][0]["action"] == "action_dnatReplace", e2["actions"]
assert e2["actions"][0]["set"] == {"clientIP": "203.0.113.50"}, e2["actions"]
assert e2["actions"][1] == {"action": "lua", "step": "SSH[3]"}, e2["actions"]
assert last["summary"]["acted"] == 2, last
EOF
then ok "dnat: capture, then the replacement it makes; the Lua action by its step"
else bad "dnat:"; sed 's/^/      | /' "$T/dnat.check"
fi
if [ -e "$T/dnat-storage" ]; then bad "dnat: the Lua rules' storage was created"
else ok "dnat: the Lua rules' storage was not created"; fi

# Errors: no input, an unknown -o, an option of another command.
explain noinput
assert_eq "no input: exits 1" 1 "$(cat "$T/noinput.rc")"
explain badfmt -o yaml --line x
assert_eq "-o yaml: exits 1" 1 "$(cat "$T/badfmt.rc")"
explain other --storage "$T/s" --line x
assert_eq "--storage is refused" 1 "$(cat "$T/other.rc")"
assert_contains "--storage: the refusal says why" "$T/other.err" "unrecognized option '--storage'"
finish
