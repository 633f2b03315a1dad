#!/bin/bash
# luruse run following text files while they are written and rotated, across
# kill -9 and restarts (see tests/lib/files_follow.sh).
. "$(dirname "$0")/lib/common.sh"
setup
command -v sqlite3 > /dev/null || skip "sqlite3 is missing"
run_without_journal "files followed through rotations and kill -9" files_follow.sh 120
finish
