#!/bin/bash
# luruse run against a REAL systemd-journald (private mount + pid namespace, see
# tests/lib/live_rotation_ns.sh) while journald rotates its files and the archived
# files are vacuumed: every line processed exactly once during ~300 lines with 6
# rotations and 3 vacuums, after the file luruse stands in is deleted, and after a
# restart whose saved cursor points into a vacuumed file.
. "$(dirname "$0")/lib/common.sh"
setup
run_journald_scenario "live rotation" live_rotation_ns.sh 55
finish
