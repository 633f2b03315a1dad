#!/usr/bin/env bash
# Fuzz one target until it has had CPU_SECONDS of CPU (default 3600), in
# chunks of at most 20 minutes, each resuming from the corpus the last one
# grew. CPU time, not wall time, is what counts: the run can be paused
# (kill -STOP/-CONT on its process group) while a benchmark needs the machine.
#
#   fuzz/run_long.sh BUILD_FUZZ_DIR NAME [CPU_SECONDS]
#
# Prints one summary line at the end: runs, CPU seconds, exec/s, the last
# cov/ft/corp figures and the number of crash files. Logs go to
# BUILD_FUZZ_DIR/fuzz/work/NAME/long.log.
set -euo pipefail
build=$(cd "$1" && pwd)
name=$2
want=${3:-3600}
src=$(cd "$(dirname "$0")" && pwd)
bin=$build/fuzz/fuzz_$name
work=$build/fuzz/work/$name
[ -x "$bin" ] || { echo "run_long: no $bin (configure with -DLURUSE_FUZZ=ON)" >&2; exit 2; }
mkdir -p "$work/corpus" "$work/crashes"
log=$work/long.log
: >"$log"
dict=()
[ -f "$src/dict/$name.dict" ] && dict=(-dict="$src/dict/$name.dict")

cpu=0 runs=0 chunk=0
while [ "$cpu" -lt "$want" ]; do
  left=$((want - cpu))
  wall=$((left < 1200 ? left : 1200))
  chunk=$((chunk + 1))
  echo "== chunk $chunk: $wall s wall, $cpu of $want CPU s so far" >>"$log"
  /usr/bin/time -o "$work/time" -f '%U %S' \
    "$bin" -max_total_time="$wall" -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$work/crashes/" "$work/corpus" "$src/corpus/$name" \
    >>"$log" 2>&1 || echo "== chunk $chunk exited $?" >>"$log"
  read -r user sys <"$work/time"
  cpu=$((cpu + ${user%.*} + ${sys%.*}))
  n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  runs=$((runs + n))
  # a crash stops libFuzzer: a chunk that ends before its time is over
  # leaves a file in crashes/ and the loop would only find it again
  if [ -n "$(ls -A "$work/crashes")" ]; then break; fi
done
last=$(grep -E '#[0-9]+.*cov: ' "$log" | tail -1)
cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.*corp: \([0-9]*\/[^ ]*\).*/\1/p' <<<"$last")
crashes=$(find "$work/crashes" -type f | wc -l)
echo "$name: $runs runs in $cpu CPU s ($((runs / (cpu > 0 ? cpu : 1))) exec/s)," \
  "cov $cov, ft $ft, corp $corp, $crashes crash file(s)" | tee -a "$log"
