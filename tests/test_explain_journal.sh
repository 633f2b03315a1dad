#!/bin/bash
# `luruse explain --journal [-u UNIT] [--since T] [--until T]`: this machine's
# journal (a real systemd-journald in a private mount + pid namespace, see
# tests/lib/explain_journal_ns.sh): --since starts there, --until stops after
# it, -u keeps one unit's entries (UNIT= here: _SYSTEMD_UNIT is a trusted
# field); -u, --since, --until without --journal are errors.
. "$(dirname "$0")/lib/common.sh"
setup
run_journald_scenario "explain journal" explain_journal_ns.sh 90
finish
