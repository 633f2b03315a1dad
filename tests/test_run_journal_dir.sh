#!/bin/bash
# luruse run --journal-dir on journal files appended by systemd-journal-remote:
# first start at the tail, a new file in the directory, restart resume from the
# saved cursor (also after a first run that processed nothing), --from-start,
# --since. See tests/lib/run_journal_dir.sh.
. "$(dirname "$0")/lib/common.sh"
setup
[ -x /lib/systemd/systemd-journal-remote ] || skip "/lib/systemd/systemd-journal-remote is missing"
run_without_journal "run --journal-dir" run_journal_dir.sh 100
finish
