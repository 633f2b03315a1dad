# Shared helpers for the integration tests (sourced by tests/test_*.sh).
# Each test gets a private temporary directory $T, removed on exit, and every
# background process it registers with `track PID` is killed on exit.
set -u

: "${LURUSE_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${LURUSE_BIN:=}"
TESTS_LIB="$LURUSE_SRC/tests/lib"
GEN_JOURNAL="$LURUSE_SRC/bench/gen_journal.py"

FAILURES=0
TRACKED_PIDS=()
_test_started=$(date +%s.%N)

skip() { echo "SKIP: $*"; exit 77; }
die()  { echo "ERROR: $*" >&2; exit 1; }
ok()   { echo "ok   - $*"; }
bad()  { echo "FAIL - $*"; FAILURES=$((FAILURES + 1)); }

track() { TRACKED_PIDS+=("$1"); }

_cleanup() {
  local p i
  # TERM first: `timeout` passes it on to its command (e.g. unshare --kill-child)
  for p in "${TRACKED_PIDS[@]:-}"; do
    [ -n "$p" ] && kill -TERM "$p" 2>/dev/null
  done
  for i in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0
    for p in "${TRACKED_PIDS[@]:-}"; do
      [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=1
    done
    [ "$alive" -eq 0 ] && break
    sleep 0.2
  done
  for p in "${TRACKED_PIDS[@]:-}"; do
    [ -n "$p" ] && kill -KILL "$p" 2>/dev/null
  done
  for p in "${TRACKED_PIDS[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null
  done
  [ -n "${T:-}" ] && [ -d "$T" ] && rm -rf "$T"
}

setup() {
  [ -n "$LURUSE_BIN" ] || die "LURUSE_BIN is not set (run through ctest, or export it)"
  [ -x "$LURUSE_BIN" ] || die "LURUSE_BIN=$LURUSE_BIN is not executable"
  command -v python3 >/dev/null || skip "python3 is missing"
  T=$(mktemp -d "${TMPDIR:-/tmp}/luruse-it.XXXXXX") || die "mktemp failed"
  trap _cleanup EXIT
  trap 'exit 130' INT TERM
  # ASan/UBSan (when the binary is built with LURUSE_SANITIZE) must fail loudly.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:abort_on_error=0:exitcode=99"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1:exitcode=99"
}

# assert_eq WHAT EXPECTED GOT
assert_eq() {
  if [ "$2" == "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi
}

# assert_contains WHAT FILE FIXED-STRING
assert_contains() {
  if grep -aqF -- "$3" "$2"; then ok "$1"; else
    bad "$1: '$3' not in $(basename "$2"):"; sed 's/^/      | /' "$2" | head -20
  fi
}

# no_sanitizer_report WHAT FILE: no ASan/UBSan/LSan report, no crash message
no_sanitizer_report() {
  if grep -aqE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|internal error: assertion|Segmentation fault' "$2"; then
    bad "$1: sanitizer or crash report:"; head -40 "$2" | sed 's/^/      | /'
  else
    ok "$1: no sanitizer report"
  fi
}

# A signal death is >= 128; 99 is the sanitizer exit code set above.
not_crashed() {
  local what=$1 rc=$2
  if [ "$rc" -ge 124 ] || [ "$rc" -eq 99 ]; then bad "$what: crashed or timed out (exit $rc)"
  else ok "$what: exit $rc is not a crash"; fi
}

# step table of a replay output: the lines after the header, whitespace squeezed
step_table() { sed -n '/^step  *type/,$p' "$1" | tail -n +2 | tr -s ' '; }

# step_count OUTPUT_FILE STEP COLUMN(entries|passed|errors)
step_count() {
  local col
  case $3 in entries) col=3 ;; passed) col=4 ;; errors) col=5 ;; esac
  step_table "$1" | awk -v s="$2" -v c="$col" '$1 == s { print $c; found = 1 } END { if (!found) print "missing" }'
}

finish() {
  local t
  t=$(awk -v a="$_test_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  if [ "$FAILURES" -gt 0 ]; then
    echo "$(basename "$0"): $FAILURES check(s) FAILED in ${t}s"
    exit 1
  fi
  echo "$(basename "$0"): all checks passed in ${t}s"
  exit 0
}

# run_without_journal NAME SCRIPT SECONDS: runs tests/lib/SCRIPT WORKDIR where
# no journald socket is visible, so that luruse logs to stderr and never into
# the host's journal: in private mount + pid namespaces with an empty
# /run/systemd when root, as is when there is no journal; skips otherwise.
run_without_journal() {
  local name=$1 script=$2 seconds=$3
  local ns=(unshare -m -p -f --kill-child --mount-proc --propagation private)
  export LURUSE_BIN LURUSE_SRC
  # in the background, so that a signal to this script runs its cleanup at once
  if [ "$(id -u)" -eq 0 ] && timeout 10 "${ns[@]}" true 2> /dev/null; then
    timeout -k 5 "$seconds" "${ns[@]}" \
      bash -c 'mount -t tmpfs tmpfs /run/systemd && exec bash "$1" "$2"' \
      _ "$TESTS_LIB/$script" "$T" 2>&1 &
  elif [ ! -e /run/systemd/journal/socket ]; then
    timeout -k 5 "$seconds" bash "$TESTS_LIB/$script" "$T" 2>&1 &
  else
    skip "cannot hide the host's journal socket (needs root and unshare -m)"
  fi
  track $!
  wait $!
  case $? in
    0) ok "$name scenario" ;;
    124|137) bad "$name scenario timed out" ;;
    *) bad "$name scenario failed" ;;
  esac
}

# make_standins NAME...: $T/fake-NAME.sh, commands that leave $T/acted.NAME
# when run (and read their stdin); never_ran NAME... checks that none did.
make_standins() {
  local f
  for f in "$@"; do
    printf '#!/bin/sh\n: > "%s.%s"\ncat > /dev/null\n' "$T/acted" "$f" > "$T/fake-$f.sh"
    chmod +x "$T/fake-$f.sh"
  done
}
never_ran() {
  local f
  for f in "$@"; do
    if [ -e "$T/acted.$f" ]; then bad "the stand-in $f ran"; else ok "the stand-in $f never ran"; fi
  done
}

# run_in_netns NAME SCRIPT SECONDS: runs tests/lib/SCRIPT WORKDIR in private
# network, mount and pid namespaces, so that its firewall changes and its
# journal stay there; the host's network namespace is exported as HOST_NETNS
# for the script to refuse to run in. /run/systemd is a fresh tmpfs there
# unless the script starts its own journald (RUN_SYSTEMD=keep).
run_in_netns() {
  local name=$1 script=$2 seconds=$3
  [ "$(id -u)" -eq 0 ] || skip "needs root for unshare -n"
  command -v unshare > /dev/null || skip "unshare is missing"
  local ns=(unshare -n -m -p -f --kill-child --mount-proc --propagation private)
  if ! timeout 10 "${ns[@]}" true 2> "$T/unshare.err"; then
    skip "cannot create private network, mount and pid namespaces: $(cat "$T/unshare.err")"
  fi
  HOST_NETNS=$(readlink /proc/self/ns/net)
  export HOST_NETNS LURUSE_BIN LURUSE_SRC
  local hide='mount -t tmpfs tmpfs /run/systemd 2> /dev/null; '
  [ "${RUN_SYSTEMD:-}" = keep ] && hide=
  # in the background, so that a signal to this script runs its cleanup at once;
  # --kill-child: when unshare goes, everything inside dies with it
  timeout -k 5 "$seconds" "${ns[@]}" bash -c "${hide}"'exec bash "$1" "$2"' \
    _ "$TESTS_LIB/$script" "$T" 2>&1 &
  track $!
  wait $!
  case $? in
    0) ok "$name scenario in a private network namespace" ;;
    77) exit 77 ;;
    124|137) bad "$name scenario timed out" ;;
    *) bad "$name scenario failed" ;;
  esac
}

# run_journald_scenario NAME SCRIPT SECONDS: runs tests/lib/SCRIPT inside private
# mount + pid namespaces (a real journald is started there), reports ok/bad.
run_journald_scenario() {
  local name=$1 script=$2 seconds=$3
  [ "$(id -u)" -eq 0 ] || skip "needs root for unshare -m and mount -t tmpfs"
  command -v unshare > /dev/null || skip "unshare is missing"
  [ -x /lib/systemd/systemd-journald ] || skip "/lib/systemd/systemd-journald is missing"
  command -v logger > /dev/null || skip "logger is missing"
  command -v journalctl > /dev/null || skip "journalctl is missing"
  local ns=(unshare -m -p -f --kill-child --mount-proc --propagation private)
  if ! timeout 10 "${ns[@]}" true 2> "$T/unshare.err"; then
    skip "cannot create private mount and pid namespaces: $(cat "$T/unshare.err")"
  fi
  # --kill-child: when unshare goes (e.g. killed by this timeout), the namespace's
  # init dies and the kernel kills journald and luruse with it.
  export LURUSE_BIN
  # In the background, so that a signal to this script runs its cleanup at once.
  timeout -k 5 "$seconds" "${ns[@]}" bash "$TESTS_LIB/$script" "$T" 2>&1 &
  track $!
  wait $!
  local rc=$?
  case $rc in
    0) ok "$name scenario" ;;
    77) exit 77 ;;
    124|137) bad "$name scenario timed out" ;;
    *) bad "$name scenario failed (exit $rc)"
       local f
       for f in luruse.err journald.log; do
         [ -s "$T/$f" ] && { echo "--- $f"; tail -20 "$T/$f"; }
       done ;;
  esac
}
