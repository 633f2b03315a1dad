#!/bin/bash
# luruse outbox: the emails a failing sendmail left are listed (text and
# --json), dropped one by one (--drop ID) and all at once (--all), on the state
# database when no daemon runs and through the daemon's control socket when
# one does (also the email its sendmail is handling); an unknown id and
# misspelt options are errors. See tests/lib/outbox_ns.sh.
. "$(dirname "$0")/lib/common.sh"
setup
run_without_journal "outbox" outbox_ns.sh 120
finish
