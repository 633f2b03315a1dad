#!/usr/bin/env bash
# Fuzz one target until it has had CPU_SECONDS of CPU (default 3600), in
# chunks of at most 20 minutes, each resuming from the corpus the last one
# grew. CPU time, not wall time, is what counts: the run can be paused
# (kill -STOP/-CONT on its process group) while a benchmark needs the machine,
# and stopped and started again: the CPU and runs done so far are kept in
# BUILD_FUZZ_DIR/fuzz/work/NAME/progress (FUZZ_FRESH=1 starts from zero).
#
#   fuzz/run_long.sh BUILD_FUZZ_DIR NAME [CPU_SECONDS]
#
# Stops at the first crash, leak, timeout or out-of-memory artifact. A
# slow-unit file is not a stop: a paused run makes them (the pause counts as
# the unit's time), so each is replayed at the end and its real time printed.
# Prints one summary line: runs, CPU seconds, exec/s, the last cov/ft/corp
# figures, the artifacts. Logs go to BUILD_FUZZ_DIR/fuzz/work/NAME/long.log.
set -euo pipefail
build=$(cd "$1" && pwd)
name=$2
want=${3:-3600}
src=$(cd "$(dirname "$0")" && pwd)
bin=$build/fuzz/fuzz_$name
work=$build/fuzz/work/$name
[ -x "$bin" ] || { echo "run_long: no $bin (configure with -DLURUSE_FUZZ=ON)" >&2; exit 2; }
mkdir -p "$work/corpus" "$work/crashes"
log=$work/long.log progress=$work/progress
dict=()
[ -f "$src/dict/$name.dict" ] && dict=(-dict="$src/dict/$name.dict")

# CPU in centiseconds (time(1)'s %U and %S have two decimals): whole seconds
# lost the fraction of each chunk, and short chunks sharing a core never
# added up to the end
cpu=0 runs=0 chunk=0 cs=
[ "${FUZZ_FRESH:-0}" != 1 ] && [ -f "$progress" ] && read -r cpu runs cs < "$progress"
cs=${cs:-$((cpu * 100))}
echo "== run_long $(date -u +%FT%TZ): $cpu of $want CPU s done before" >> "$log"
fatal() { find "$work/crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l; }
while [ "$cs" -lt $((want * 100)) ]; do
  left=$(((want * 100 - cs + 99) / 100))
  wall=$((left < 1200 ? left : 1200))
  wall=$((wall < 30 ? 30 : wall)) # each chunk reloads the corpus: not for a second
  chunk=$((chunk + 1))
  echo "== chunk $chunk: $wall s wall, $cpu of $want CPU s so far" >> "$log"
  start=$(wc -l < "$log")
  /usr/bin/time -o "$work/time" -f '%U %S' \
    "$bin" -max_total_time="$wall" -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$work/crashes/" "$work/corpus" "$src/corpus/$name" \
    >> "$log" 2>&1 || echo "== chunk $chunk exited $?" >> "$log"
  # a chunk that exits non-zero (a crash) makes time(1) write a "Command
  # exited with non-zero status" line first: the figures are the last line
  read -r user sys < <(tail -n 1 "$work/time")
  cs=$((cs + 10#${user/./} + 10#${sys/./}))
  cpu=$((cs / 100))
  n=$(tail -n +"$start" "$log" | grep -o 'stat::number_of_executed_units: [0-9]*' | tail -1 | grep -o '[0-9]*$' || echo 0)
  runs=$((runs + n))
  echo "$cpu $runs $cs" > "$progress"
  # a crash stops libFuzzer: the loop would only find it again
  [ "$(fatal)" -gt 0 ] && break
done
last=$(grep -E '#[0-9]+.*cov: ' "$log" | tail -1)
cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<< "$last")
ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<< "$last")
corp=$(sed -n 's/.*corp: \([0-9]*\/[^ ]*\).*/\1/p' <<< "$last")
slow="" slowest=0
for f in "$work/crashes"/slow-unit-*; do
  [ -e "$f" ] || continue
  /usr/bin/time -o "$work/slow.time" -f '%e' "$bin" "$f" > /dev/null 2>&1 || true
  t=$(cat "$work/slow.time")
  slowest=$(awk -v a="$slowest" -v b="$t" 'BEGIN { print (b > a ? b : a) }')
  slow=", $(ls "$work/crashes"/slow-unit-* | wc -l) slow-unit file(s) (replayed: at most $slowest s each)"
done
echo "$name: $runs runs in $cpu CPU s ($((runs / (cpu > 0 ? cpu : 1))) exec/s)," \
  "cov $cov, ft $ft, corp $corp, $(fatal) crash file(s)$slow" | tee -a "$log"
