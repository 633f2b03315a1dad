# Sourced at the top of the scripts that run INSIDE a private mount (+ pid)
# namespace: hides the host's journal directories, sockets and kernel log under
# tmpfs, starts a real systemd-journald, and defines the helpers the scenarios
# share (ok/bad/skip, wait_until, jctl, log_line, log_lines). Needs W (a work
# directory) and LURUSE_BIN, takes JOURNALD_CONF (journald.conf lines); sets
# JPID, and cleans up JPID, LPID and FEED on exit.
: "${LURUSE_BIN:?}"
. "$(dirname "${BASH_SOURCE[0]}")/ns_common.sh"

JPID= LPID= FEED=
cleanup() {
  local p
  for p in $FEED $LPID $JPID; do kill -KILL "$p" 2>/dev/null; done
  for p in $FEED $LPID $JPID; do wait "$p" 2>/dev/null; done
}

# ------------------------------------------------------------ private journald
# Nothing of the host's journal is visible or touched from here on.
mount -t tmpfs tmpfs /run/systemd || skip "cannot mount a tmpfs on /run/systemd"
mkdir -p /run/log
mount -t tmpfs tmpfs /run/log || skip "cannot mount a tmpfs on /run/log"
if [ -d /var/log/journal ]; then
  mount -t tmpfs tmpfs /var/log/journal || skip "cannot hide /var/log/journal"
fi
# journald reads the kernel log and writes its own notices there: give it /dev/null
# instead, so that the host's kernel log (and journal) never sees this test.
if [ -e /dev/kmsg ]; then
  mount --bind /dev/null /dev/kmsg || skip "cannot hide /dev/kmsg"
fi
mkdir -p /run/systemd/journal
# JOURNALD_CONF: settings for this journald only (a drop-in on the private
# /run, named to come after the host's own)
if [ -n "${JOURNALD_CONF:-}" ]; then
  mkdir -p /run/systemd/journald.conf.d
  printf '[Journal]\n%s\n' "$JOURNALD_CONF" > /run/systemd/journald.conf.d/zz-lrtest.conf
fi
/lib/systemd/systemd-journald > "$W/journald.log" 2>&1 &
JPID=$!

wait_until 10 test -S /run/systemd/journal/socket || skip "systemd-journald did not start: $(cat "$W/journald.log")"
JOURNAL=/run/log/journal
jctl() { timeout -k 2 10 journalctl -D "$JOURNAL" --no-pager -q "$@"; }
in_journal() { jctl SYSLOG_IDENTIFIER=lrtest -o cat | grep -qxF -- "$1"; }
# The namespace's journal is the one luruse's sd_journal_open(LOCAL_ONLY) sees.
log_line() { logger -u /run/systemd/journal/dev-log -t lrtest -- "$1"; }
# many lines through one logger process (one message per input line)
log_lines() { logger -u /run/systemd/journal/dev-log -t lrtest; }

log_line "journald probe"
wait_until 10 in_journal "journald probe" || skip "journald does not store messages: $(cat "$W/journald.log")"
ACTIVE=$(find "$JOURNAL" -name system.journal | head -1)
[ -n "$ACTIVE" ] || skip "journald wrote no $JOURNAL/*/system.journal"
JDIR=$(dirname "$ACTIVE")
ok "private systemd-journald is up (pid $JPID, journal $JDIR, $(elapsed))"

# ------------------------------------------------------------ the daemon under test
# start_daemon / stop_daemon drive `luruse run -c $RULES --storage $W/state
# $DAEMON_ARGS`;
# a scenario may define save_daemon_log, called before the daemon is forgotten.
daemon_said() { jctl _PID="$LPID" -o cat | grep -qF -- "$1"; }
daemon_alive() { kill -0 "$LPID" 2> /dev/null; }

start_daemon() {
  # shellcheck disable=SC2086 # DAEMON_ARGS: extra options, word-split on purpose
  "$LURUSE_BIN" run -c "$RULES" --storage "$W/state" ${DAEMON_ARGS:-} >> "$W/luruse.out" 2>> "$W/luruse.err" &
  LPID=$!
  if wait_until 15 daemon_said "luruse running"; then
    ok "luruse run started (pid $LPID, $(elapsed))"
  else
    bad "luruse run did not report 'luruse running' within 15 s"
    sed 's/^/      | /' "$W/luruse.err" | tail -20
  fi
}

stop_daemon() {
  kill -TERM "$LPID"
  local i=0
  while daemon_alive && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  if daemon_alive; then
    bad "luruse did not stop within 10 s of SIGTERM"
    kill -KILL "$LPID"
  fi
  wait "$LPID"
  local rc=$?
  if [ "$rc" -eq 0 ]; then ok "luruse stopped cleanly on SIGTERM (exit 0)"
  else bad "luruse exit status after SIGTERM: $rc"; fi
  if declare -F save_daemon_log > /dev/null; then save_daemon_log; fi
  LPID=
}
