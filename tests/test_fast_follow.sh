#!/bin/bash
# luruse run --fast-follow against a REAL systemd-journald (private mount + pid
# namespaces, tests/lib/fast_follow_ns.sh): while lines flow, the journal is
# polled and every line is read exactly once; the polls are counted in
# `luruse status`, and stop when the journal is quiet. By default (flood) a
# trickle costs no poll, a flood starts them, a slower flow stops them;
# --fast-follow=never never polls.
. "$(dirname "$0")/lib/common.sh"
setup
run_journald_scenario "fast follow" fast_follow_ns.sh 90
finish
