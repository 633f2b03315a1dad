#!/bin/bash
# luruse explain from `journalctl -o json` lines (--json) and from journal
# files (--journal-dir, --journal-file) made by systemd-journal-remote: each
# run's JSON parsed back entry by entry (path, fields, actions, cursor: the
# line's __CURSOR, the journal's own cursor as journalctl tells it). The rules
# use every counter and DNAT action: a DNAT mapping captured then put back, a
# replacement that finds none, a counter raised, lowered, reset after a ban.
# Nothing acts: stand-in nft and sendmail must not run, the storage the rules
# name must not be created.
. "$(dirname "$0")/lib/common.sh"
setup
export TZ=UTC
JR=/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || JR=/usr/lib/systemd/systemd-journal-remote
[ -x "$JR" ] || skip "systemd-journal-remote is missing"
command -v journalctl > /dev/null || skip "journalctl is missing"
make_standins nft sendmail
cat > "$T/rules.json" <<EOF
{
 "storage": "$T/storage-never-created",
 "nftBan": {"nft": ["$T/fake-nft.sh"]},
 "email": {"from": "luruse@test.invalid", "to": ["admin@test.invalid"],
           "sendmail": ["$T/fake-sendmail.sh", "-t"]},
 "actions": {
  "DNAT": [
   {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "kernel"}},
   {"filter": "filter_pcre", "args": {"field": "MESSAGE",
     "re": "^DNAT: (?:SRC=(?<dnatSaddr>\\\\S+) )?SPT=(?<dnatSport>\\\\d+) TO=(?<dnatAddr>[^ :]+):(?<dnatPort>\\\\d+)$"}},
   {"action": "action_dnatCapture", "args": {"saddr": "dnatSaddr", "sport": "dnatSport",
     "addr": "dnatAddr", "port": "dnatPort", "keepSeconds": 300}}
  ],
  "SSH failures": [
   {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}},
   {"filter": "filter_pcre", "args": {"field": "MESSAGE",
     "re": "^Failed password for (?<sshUser>\\\\S+) from (?<clientIP>\\\\S+) port (?<clientPort>\\\\d+)"}},
   {"action": "action_dnatReplace", "args": {"addr": "clientIP", "port": "clientPort",
     "saddrInto": "clientIP", "sportInto": "clientPort"}},
   {"action": "action_counterRaise", "args": {"counter": "ssh", "for": "clientIP",
     "keepSeconds": 600, "save": "sshCount"}},
   {"filter": "filter_greaterOrEquals", "args": {"field": "sshCount", "value": 2}},
   {"action": "action_nftBan", "args": {"IP": "clientIP", "nftSetIPv4": "inet luruse ban4",
     "nftSetIPv6": "inet luruse ban6", "banSeconds": 3600}},
   {"action": "action_email", "args": {"subject": "Banned {clientIP}", "message": "{sshCount} failures"}},
   {"action": "action_counterReset", "args": {"counter": "ssh", "for": "clientIP", "save": "sshCount"}}
  ],
  "SSH success": [
   {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}},
   {"filter": "filter_pcre", "args": {"field": "MESSAGE",
     "re": "^Accepted password for \\\\S+ from (?<clientIP>\\\\S+) port"}},
   {"action": "action_counterLower", "args": {"counter": "ssh", "for": "clientIP", "save": "sshCount"}}
  ]
 }
}
EOF
"$LURUSE_BIN" check --rules-only -c "$T/rules.json" > "$T/check.out" 2>&1 || { cat "$T/check.out"; die "rules do not compile"; }

# The entries, as an export stream without cursors (journal-remote makes its
# own) and as journalctl -o json lines with theirs.
python3 - "$T/in.export" "$T/in.json" <<'EOF'
import json, sys, time
now = int(time.time()) * 1000000 - 3600 * 1000000
rows = [("kernel", "DNAT: SRC=203.0.113.50 SPT=51000 TO=10.0.0.1:40000"),
        ("sshd", "Failed password for root from 10.0.0.1 port 40000 ssh2"),   # the DNAT client
        ("sshd", "Failed password for root from 198.51.100.7 port 5555 ssh2"), # no mapping
        ("sshd", "Accepted password for root from 198.51.100.7 port 5556 ssh2"),
        ("sshd", "Failed password for admin from 198.51.100.7 port 5557 ssh2"),
        ("sshd", "Failed password for admin from 198.51.100.7 port 5558 ssh2"),
        ("cron", "session opened for user root"),
        ("kernel", "DNAT: SPT=51001 TO=10.0.0.2:40001")]                       # no client
with open(sys.argv[1], "w") as ex, open(sys.argv[2], "w") as js:
    for i, (ident, msg) in enumerate(rows):
        e = {"__REALTIME_TIMESTAMP": str(now + i * 1000000),
             "__MONOTONIC_TIMESTAMP": str(1000000 + i * 1000000),
             "_BOOT_ID": "0123456789abcdef0123456789abcdef", "_HOSTNAME": "h",
             "SYSLOG_IDENTIFIER": ident, "MESSAGE": msg}
        ex.write("".join("%s=%s\n" % kv for kv in e.items()) + "\n")
        js.write(json.dumps(dict({"__CURSOR": "s=json;i=%x" % (i + 1)}, **e)) + "\n")
EOF
mkdir -p "$T/jdir"
"$JR" --output="$T/jdir/x.journal" "$T/in.export" > "$T/jr.log" 2>&1 \
  || die "systemd-journal-remote failed: $(cat "$T/jr.log")"
journalctl --file="$T/jdir/x.journal" -o json > "$T/journal.cursors" 2> "$T/journalctl.err" \
  || die "journalctl failed: $(cat "$T/journalctl.err")"

# explain NAME ARGS...: output in $T/NAME.{out,err,rc}
explain() {
  local name=$1
  shift
  timeout -k 5 60 "$LURUSE_BIN" explain -c "$T/rules.json" -o json "$@" > "$T/$name.out" 2> "$T/$name.err"
  echo $? > "$T/$name.rc"
  no_sanitizer_report "$name" "$T/$name.err"
  assert_eq "$name: exits 0" 0 "$(cat "$T/$name.rc")"
}

# check_json NAME CURSORS: $T/NAME.out against the expected entries; CURSORS is
# a file of journalctl -o json lines whose __CURSOR each entry must carry.
check_json() {
  if python3 - "$T/$1.out" "$2" > "$T/$1.check" 2>&1 <<'EOF'
import json, sys
*entries, last = [json.loads(l) for l in open(sys.argv[1])]
cursors = [json.loads(l)["__CURSOR"] for l in open(sys.argv[2])]
def eq(what, want, got):
    if want != got:
        raise SystemExit("%s: expected %r, got %r" % (what, want, got))
eq("entries shown", [1, 2, 3, 4, 5, 6, 8], [e["entry"] for e in entries])
for e in entries:
    eq("entry %d cursor" % e["entry"], cursors[e["entry"] - 1], e.get("cursor"))
by = {e["entry"]: e for e in entries}
raise_ = lambda key, n: {"action": "action_counterRaise", "counter": "ssh", "key": key, "count": n}
e = by[1]
eq("e1 path", ["DNAT[0] filter_equals: pass", "DNAT[1] filter_pcre: pass",
               "DNAT[2] action_dnatCapture: done"], e["path"])
eq("e1 fields", {"dnatSaddr": "203.0.113.50", "dnatSport": "51000", "dnatAddr": "10.0.0.1",
                 "dnatPort": "40000"}, e["fields"])
eq("e1 actions", [{"action": "action_dnatCapture", "mapping": {"saddr": "203.0.113.50",
    "sport": "51000", "addr": "10.0.0.1", "port": "40000"}, "seconds": 300}], e["actions"])
e = by[2]
eq("e2 path", ["DNAT[0] filter_equals: fail", "SSH failures[0] filter_equals: pass",
               "SSH failures[1] filter_pcre: pass", "SSH failures[2] action_dnatReplace: done",
               "SSH failures[3] action_counterRaise: done",
               "SSH failures[4] filter_greaterOrEquals: fail",
               "SSH success[0] filter_equals: pass", "SSH success[1] filter_pcre: fail"], e["path"])
eq("e2 fields", {"sshUser": "root", "clientIP": "203.0.113.50", "clientPort": "51000",
                 "sshCount": 1}, e["fields"])
eq("e2 actions", [{"action": "action_dnatReplace", "mapping": {"saddr": "203.0.113.50",
    "sport": "51000", "addr": "10.0.0.1", "port": "40000"},
    "set": {"clientIP": "203.0.113.50", "clientPort": "51000"}},
    raise_("203.0.113.50", 1)], e["actions"])
e = by[3]
eq("e3 fields", {"sshUser": "root", "clientIP": "198.51.100.7", "clientPort": "5555",
                 "sshCount": 1}, e["fields"])
eq("e3 actions: a replacement that found no mapping changed nothing",
   [{"action": "action_dnatReplace", "set": {}}, raise_("198.51.100.7", 1)], e["actions"])
e = by[4]
eq("e4 path", ["DNAT[0] filter_equals: fail", "SSH failures[0] filter_equals: pass",
               "SSH failures[1] filter_pcre: fail", "SSH success[0] filter_equals: pass",
               "SSH success[1] filter_pcre: pass", "SSH success[2] action_counterLower: done"],
   e["path"])
eq("e4 fields", {"clientIP": "198.51.100.7", "sshCount": 0}, e["fields"])
eq("e4 actions", [{"action": "action_counterLower", "counter": "ssh", "key": "198.51.100.7",
                   "count": 0}], e["actions"])
eq("e5 actions", [{"action": "action_dnatReplace", "set": {}}, raise_("198.51.100.7", 1)],
   by[5]["actions"])
e = by[6]
eq("e6 path tail", ["SSH failures[4] filter_greaterOrEquals: pass",
                    "SSH failures[5] action_nftBan: done", "SSH failures[6] action_email: done",
                    "SSH failures[7] action_counterReset: done"], e["path"][5:9])
eq("e6 fields", {"sshUser": "admin", "clientIP": "198.51.100.7", "clientPort": "5558",
                 "sshCount": 0}, e["fields"])
a = e["actions"]
eq("e6 action types", ["action_dnatReplace", "action_counterRaise", "action_nftBan",
                       "action_email", "action_counterReset"], [x["action"] for x in a])
eq("e6 raise to the threshold", raise_("198.51.100.7", 2), a[1])
eq("e6 ban", ("198.51.100.7", "inet luruse ban4", 3600), (a[2]["ip"], a[2]["set"], a[2]["seconds"]))
eq("e6 email", ("Banned 198.51.100.7", "2 failures"), (a[3]["subject"], a[3]["message"]))
eq("e6 reset", {"action": "action_counterReset", "counter": "ssh", "key": "198.51.100.7",
                "count": 0}, a[4])
e = by[8]
eq("e8 fields", {"dnatSport": "51001", "dnatAddr": "10.0.0.2", "dnatPort": "40001"}, e["fields"])
eq("e8 actions: a capture without a client stored nothing",
   [{"action": "action_dnatCapture", "mapping": {"sport": "51001", "addr": "10.0.0.2",
     "port": "40001"}, "seconds": 300, "stored": False}], e["actions"])
s = last["summary"]
eq("summary entries", 8, s["entries"])
eq("summary acted", 7, s["acted"])
ch = {c["chain"]: (c["entered"], c["matched"], c["acted"]) for c in s["chains"]}
eq("chain counts", {"DNAT": (8, 2, 2), "SSH failures": (6, 4, 4), "SSH success": (5, 1, 1)}, ch)
eq("never matched", [], s["never_matched"])
print("ok")
EOF
  then ok "$1: path, fields, actions (DNAT capture and replace, counter raise, lower, reset; ban, email), cursors, summary"
  else bad "$1: JSON:"; sed 's/^/      | /' "$T/$1.check"
  fi
}

explain json --json "$T/in.json"
check_json json "$T/in.json"
explain jdir --journal-dir "$T/jdir"
check_json jdir "$T/journal.cursors"
explain jfile --journal-file "$T/jdir/x.journal"
check_json jfile "$T/journal.cursors"

never_ran nft sendmail
if [ -e "$T/storage-never-created" ]; then bad "the rules' storage directory was created"
else ok "the rules' storage directory was not created"; fi
finish
