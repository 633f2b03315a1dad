#!/bin/bash
# `luruse run` failing at start with a journal present (a real systemd-journald
# in a private mount + pid namespace, see tests/lib/run_errors_ns.sh): a broken
# rule file, an unusable storage directory and a second daemon on the same
# storage each exit 1 with the error on stderr as well as in the journal; with
# JOURNAL_STREAM naming stderr (systemd's stdout/stderr-to-journal), it is not
# written twice.
. "$(dirname "$0")/lib/common.sh"
setup
run_journald_scenario "run errors" run_errors_ns.sh 90
finish
