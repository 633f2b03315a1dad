#!/bin/bash
# luruse run --journal-dir on journal files appended by systemd-journal-remote:
# first start at the tail, a new file in the directory, restart resume from the
# saved cursor (also after a first run that processed nothing), --from-start,
# --since. See tests/lib/run_journal_dir.sh.
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journal-remote ] || skip "/lib/systemd/systemd-journal-remote is missing"
export LURUSE_BIN

# luruse logs into the journal when /run/systemd/journal/socket exists: hide it
# in a private mount namespace so that nothing reaches the host's journal.
NS=(unshare -m -p -f --kill-child --mount-proc --propagation private)
if [ "$(id -u)" -eq 0 ] && timeout 10 "${NS[@]}" true 2> /dev/null; then
  # in the background, so that a signal to this script runs its cleanup at once
  timeout -k 5 100 "${NS[@]}" bash -c 'mount -t tmpfs tmpfs /run/systemd && exec bash "$1" "$2"' \
    _ "$TESTS_LIB/run_journal_dir.sh" "$T" 2>&1 &
  track $!
  wait $!
  rc=$?
elif [ ! -e /run/systemd/journal/socket ]; then
  timeout -k 5 100 bash "$TESTS_LIB/run_journal_dir.sh" "$T" 2>&1 &
  track $!
  wait $!
  rc=$?
else
  skip "cannot hide the host's journal socket (needs root and unshare -m)"
fi
case $rc in
  0) ok "run --journal-dir scenario" ;;
  124|137) bad "run --journal-dir scenario timed out" ;;
  *) bad "run --journal-dir scenario failed (exit $rc)" ;;
esac
finish
