#!/bin/bash
# Plain text log lines as entries: replay --lines of an nginx access log, an
# exim mainlog and a syslog file through a Lua rule recording what it sees;
# --lines - from a pipe, each line processed as it comes; explain --lines.
. "$(dirname "$0")/lib/common.sh"
setup
export TZ=UTC
cat > "$T/rules.lua" <<'LUA'
local L = require "luruse"
L.chain "Record" {
  L.action(function(e)
    local f = assert(io.open(os.getenv("LINES_OUT"), "ab"))
    f:write(tostring(e.SYSLOG_IDENTIFIER), "|", tostring(e._HOSTNAME), "|",
            tostring(e.SYSLOG_PID), "|", tostring(e.__REALTIME_TIMESTAMP), "|",
            tostring(e._TRANSPORT), "|", tostring(e.MESSAGE), "\n")
    f:close()
  end),
}
LUA
printf '%s\n' '192.0.2.9 - - [04/Mar/2024:00:08:18 +0100] "GET /wp-login.php HTTP/1.1" 404 162 "-" "curl"' \
  > "$T/access.log"
printf '%s\r\n' '2024-03-04 00:08:18 1rh2Xk-0001ab-Cd H=(x) [192.0.2.1] rejected RCPT <a@b>' \
  > "$T/mainlog"
printf '%s\n' 'Mar  4 00:08:19 web01 sshd[4242]: Failed password for root from 192.0.2.7 port 22 ssh2' \
  'no time here' > "$T/syslog"
export LINES_OUT="$T/rec"
NOW=$(date +%s)
"$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st" --quiet --no-email --no-bans \
  --lines "$T/access.log" --lines "$T/mainlog" --identifier nginx --lines "$T/syslog" \
  > "$T/replay.out" 2> "$T/replay.err" || { cat "$T/replay.err"; bad "replay --lines failed"; }
no_sanitizer_report replay "$T/replay.err"
mapfile -t R < "$T/rec"
[ "${#R[@]}" -eq 4 ] && ok "four lines, four entries" || bad "entries: ${#R[@]}: $(cat "$T/rec")"
[ "${R[0]:-}" = 'nginx|nil|nil|1709507298000000|file|192.0.2.9 - - [04/Mar/2024:00:08:18 +0100] "GET /wp-login.php HTTP/1.1" 404 162 "-" "curl"' ] \
  && ok "access log: --identifier, time from [..+0100]" || bad "access: ${R[0]:-}"
[ "${R[1]:-}" = 'nginx|nil|nil|1709510898000000|file|2024-03-04 00:08:18 1rh2Xk-0001ab-Cd H=(x) [192.0.2.1] rejected RCPT <a@b>' ] \
  && ok "exim: local time, CR dropped" || bad "exim: ${R[1]:-}"
# RFC 3164 has no year: this year's, or last year's if that is ahead
IFS='|' read -r _ _ _ t3 _ _ <<< "${R[2]:-}"
[ "$(date -u -d "@$((${t3:-0} / 1000000))" '+%m-%d %T')" = "03-04 00:08:19" ] \
  && ok "syslog: the header's time" || bad "syslog time: ${R[2]:-}"
[ "${R[2]:-}" = "sshd|web01|4242|$t3|file|Failed password for root from 192.0.2.7 port 22 ssh2" ] \
  && ok "syslog: identifier, host, pid, time and message from the header" || bad "syslog: ${R[2]:-}"
IFS='|' read -r id host pid t tr msg <<< "${R[3]:-}"
if [ "$id|$host|$pid|$msg" = "nginx|nil|nil|no time here" ] && [ $((t / 1000000)) -ge "$NOW" ] \
   && [ $((t / 1000000)) -le $((NOW + 60)) ]; then
  ok "no timestamp: the time it was read"
else
  bad "no timestamp: ${R[3]:-}"
fi

# --lines -: each line processed as it arrives
rm -f "$T/rec"
( for i in 1 2 3; do echo "Mar  4 00:08:1$i h app[$i]: line $i"; sleep 1; done
  [ -s "$T/rec" ] && wc -l < "$T/rec" > "$T/seen_before_end" ) \
  | timeout -k 5 60 "$LURUSE_BIN" replay -c "$T/rules.lua" --storage "$T/st" --quiet --no-email \
      --no-bans --lines - > "$T/pipe.out" 2> "$T/pipe.err" || bad "replay --lines - failed"
no_sanitizer_report pipe "$T/pipe.err"
seen=$(cat "$T/seen_before_end" 2>/dev/null || echo 0)
[ "$seen" -ge 2 ] && ok "--lines -: $seen lines processed before the writer ended" \
  || bad "--lines -: $seen lines processed before the writer ended"
[ "$(wc -l < "$T/rec")" -eq 3 ] && grep -q '^app|h|3|.*|line 3$' "$T/rec" \
  && ok "--lines -: all three" || bad "--lines -: $(cat "$T/rec")"

# explain --lines -o json: a rule copies the fields it reads into X_*, which
# explain shows as the fields the rules set
cat > "$T/copy.lua" <<'LUA'
local L = require "luruse"
L.chain "Copy" {
  L.action(function(e)
    for _, k in ipairs { "MESSAGE", "SYSLOG_IDENTIFIER", "_HOSTNAME", "PRIORITY",
                         "SYSLOG_FACILITY", "_TRANSPORT", "LURUSE_FILE" } do
      e["X" .. k] = e[k]
    end
  end),
}
LUA
printf '<34>Mar  4 00:08:18 host9 su: auth failed\n' > "$T/x.log"
"$LURUSE_BIN" explain -c "$T/copy.lua" -o json --all --lines "$T/x.log" > "$T/ex.out" 2> "$T/ex.err" \
  || { cat "$T/ex.err"; bad "explain --lines failed"; }
no_sanitizer_report explain "$T/ex.err"
head -1 "$T/ex.out" > "$T/ex1.json"
python3 - "$T/ex1.json" "$T/x.log" > "$T/ex.check" 2>&1 <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
f = o["fields"]
want = {"MESSAGE": "auth failed", "SYSLOG_IDENTIFIER": "su", "_HOSTNAME": "host9",
        "PRIORITY": "2", "SYSLOG_FACILITY": "4", "_TRANSPORT": "file", "LURUSE_FILE": sys.argv[2]}
bad = {k: (f.get("X" + k), v) for k, v in want.items() if f.get("X" + k) != v}
print(bad or "ok")
PY
[ "$(cat "$T/ex.check")" = ok ] && ok "explain --lines -o json: the fields" \
  || { bad "explain fields: $(cat "$T/ex.check")"; cat "$T/ex.out"; }
finish
