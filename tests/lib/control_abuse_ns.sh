#!/bin/bash
# Started by tests/test_control_abuse.sh where no journald socket is visible
# (luruse logs to stderr):  control_abuse_ns.sh WORKDIR
set -u
W=$1
: "${LURUSE_BIN:?}"
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"
[ -S /run/systemd/journal/socket ] && { echo "FAIL - a journald socket is visible"; exit 1; }
ST=$W/state
mkdir -p "$W/journal" "$ST"
SOCK=$ST/control.sock
ERR=$W/luruse.err
cat > "$W/rules.lua" <<'LUA'
local L = require "luruse"
L.chain "All" { L.noop() }
LUA
"$LURUSE_BIN" run -c "$W/rules.lua" --storage "$ST" --journal-dir "$W/journal" > /dev/null 2> "$ERR" &
LPID=$!
wait_until 15 grep -qF "luruse running" "$ERR" || { bad "luruse did not start"; tail "$ERR"; exit 1; }

# status_ok SECONDS: `luruse status` answers within SECONDS
status_ok() {
  timeout "$1" "$LURUSE_BIN" status --storage "$ST" > "$W/status.out" 2>&1 && grep -q "entries" "$W/status.out"
}
status_ok 5 && ok "luruse status answers" || { bad "luruse status: $(cat "$W/status.out")"; }
# ------------------------------------------------ 10 MiB in one request
timeout 30 python3 - "$SOCK" > "$W/big.out" 2>&1 <<'PY'
import socket, sys, time
t0 = time.time()
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(20)
blob = b'{"cmd": "status", "x": "' + b"a" * (10 << 20) + b'"}\n'
sent = 0
try:
    while sent < len(blob):
        sent += s.send(blob[sent:sent + 65536])
except (BrokenPipeError, ConnectionResetError):
    pass
reply = b""
try:
    while True:
        d = s.recv(65536)
        if not d: break
        reply += d
except ConnectionResetError:
    pass
print("sent %d of %d bytes, %.2f s; reply: %s" % (sent, len(blob), time.time() - t0,
                                                  reply.decode(errors="replace").strip()))
PY
sed 's/^/      | /' "$W/big.out"
grep -qF "request too long" "$W/big.out" && ok "10 MiB request: refused with 'request too long'" \
  || bad "10 MiB request: no refusal"
status_ok 5 && ok "10 MiB request: the daemon answers the next client" || bad "10 MiB request: status fails after"

# ------------------------------------------------ 1,000 connections at once
# held open, saying nothing, while another client asks for the status
python3 - "$SOCK" 1000 > "$W/many.out" 2>&1 <<'PY' &
import resource, socket, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
path, n = sys.argv[1], int(sys.argv[2])
socks, refused = [], 0
for _ in range(n):
    s = socket.socket(socket.AF_UNIX); s.setblocking(False)
    try:
        s.connect(path)
    except OSError:  # EAGAIN: the listen backlog is full
        refused += 1
        s.close()
        continue
    socks.append(s)
print("connected %d, refused (backlog full) %d" % (len(socks), refused), flush=True)
time.sleep(6)
closed = 0
for s in socks:
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
print("after 6 s: %d closed by the daemon" % closed, flush=True)
PY
MPID=$!
wait_until 10 grep -q "^connected" "$W/many.out"
sleep 1
nfd=$(ls /proc/"$LPID"/fd | wc -l)
[ "$nfd" -lt 100 ] && ok "1,000 connections: the daemon holds $nfd descriptors meanwhile" \
  || bad "1,000 connections: the daemon holds $nfd descriptors"
t0=$(now)
if status_ok 10; then ok "1,000 connections: another client still gets its status" \
  "($(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'))"
else bad "1,000 connections: status failed: $(head -2 "$W/status.out")"; fi
wait "$MPID"
sed 's/^/      | /' "$W/many.out"
assert_contains "1,000 connections: the drops are logged" "$ERR" "clients at once"
status_ok 5 && ok "1,000 connections: the daemon answers after" || bad "1,000 connections: status fails after"

# ------------------------------------------------ a client that never reads
python3 - "$SOCK" > "$W/noread.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
for _ in range(1000):  # many requests on one connection, none of the replies read
    try: s.send(b'{"cmd": "status"}\n')
    except OSError: break
t0 = time.time()
time.sleep(12)
data = b""
s.settimeout(2)
try:
    while True:
        d = s.recv(65536)
        if not d: break
        data += d
    print("closed by the daemon, %d bytes of reply" % len(data))
except ConnectionResetError:  # closed with requests it never read
    print("closed by the daemon (reset)")
except socket.timeout:
    print("still open after 12 s")
PY
NPID=$!
sleep 1
status_ok 5 && ok "a client that never reads: the others get their status" || bad "status fails beside a client that never reads"
wait "$NPID"
sed 's/^/      | /' "$W/noread.out"
grep -q "closed by the daemon" "$W/noread.out" && ok "a client that never reads is dropped" \
  || bad "a client that never reads is kept"

# ------------------------------------------------ a peer that is not root
chmod 755 "$W" "$ST"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$LURUSE_BIN" status --storage "$ST" 2>&1)
case $out in *"for root"*|*"ermission denied"*) ok "not root: the socket's mode refuses the connection ($out)" ;;
  *) bad "not root, mode 0600: $out" ;; esac
chmod 666 "$SOCK" # as if its mode were loosened: the peer's credentials still count
setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 - "$SOCK" > "$W/peer.out" 2>&1 <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)
try:
    s.send(b'{"cmd": "unban", "ip": "192.0.2.1"}\n')
    print("reply: [%s]" % s.recv(4096).decode(errors="replace").strip())
except OSError as e:
    print("error: %s" % e)
PY
grep -qx "reply: \[\]" "$W/peer.out" || grep -q "error:" "$W/peer.out" \
  && ok "not root, mode loosened: dropped without a reply ($(cat "$W/peer.out"))" \
  || bad "not root, mode loosened: $(cat "$W/peer.out")"
assert_contains "not root: the refusal is logged" "$ERR" "refused a client that is neither root nor this user"
status_ok 5 && ok "not root: root's client is still answered" || bad "status fails after the non-root peer"

kill -0 "$LPID" && ok "the daemon is alive" || bad "the daemon died"
kill -TERM "$LPID"
wait "$LPID"
assert_eq "luruse stops on SIGTERM with exit 0" 0 $?
LPID=
grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$ERR" && { bad "sanitizer report"; head -20 "$ERR"; }
[ "$FAILURES" -eq 0 ]
