# Sourced by the live scenarios that compare what they logged with what luruse
# saw (syslog_wake_ns.sh, fast_follow_ns.sh, live_rotation_ns.sh,
# run_journal_dir.sh), once W is set: RULES
# is tests/data/record_rules.lua, which appends the MESSAGE of every lrtest
# entry to OUT, and recorded_at_least PATTERN N says whether OUT has N lines
# matching PATTERN.
OUT=$W/recorded
export LRTEST_OUT=$OUT
: > "$OUT"
RULES=$W/rules.lua
cp "$(dirname "${BASH_SOURCE[0]}")/../data/record_rules.lua" "$RULES"
recorded_at_least() { [ "$(grep -cE -- "$1" "$OUT")" -ge "$2" ]; }
