# Measuring, shared by bench/run.sh and bench/lines_bench.sh (sourced): each
# expects RESULTS (a directory) and the functions die and note.

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

# Samples /proc/PID/status every 50 ms while PID lives; prints the peaks in kB:
# "RssAnon VmHWM".
poll_memory() {
  local pid=$1 anon=0 hwm=0 key val _
  while [[ -r /proc/$pid/status ]]; do
    while read -r key val _; do
      case $key in
        RssAnon:) ((val > anon)) && anon=$val ;;
        VmHWM:) ((val > hwm)) && hwm=$val ;;
      esac
    done <"/proc/$pid/status" 2>/dev/null || true
    sleep 0.05
  done
  echo "$anon $hwm"
}

# measure NAME CMD...: runs CMD with stdout/stderr in $RESULTS/NAME.{out,err},
# sets ELAPSED_US, PEAK_ANON_KB, PEAK_HWM_KB; fails the benchmark if CMD fails.
measure() {
  local name=$1
  shift
  local t0 t1 pid poller rc=0
  t0=$(now_us)
  "$@" >"$RESULTS/$name.out" 2>"$RESULTS/$name.err" &
  pid=$!
  poll_memory "$pid" >"$RESULTS/$name.mem" &
  poller=$!
  wait "$pid" || rc=$?
  t1=$(now_us)
  wait "$poller" || true
  ((rc == 0)) || die "$name exited with status $rc; see $RESULTS/$name.err"
  ELAPSED_US=$((t1 - t0))
  read -r PEAK_ANON_KB PEAK_HWM_KB <"$RESULTS/$name.mem"
}

# best NAME RUNS CMD...: the best (shortest) of RUNS runs; sets BEST_US and the
# highest memory peaks over all runs (MAX_ANON_KB, MAX_HWM_KB).
best() {
  local name=$1 runs=$2 i
  shift 2
  BEST_US=0 MAX_ANON_KB=0 MAX_HWM_KB=0
  for ((i = 1; i <= runs; i++)); do
    measure "$name.$i" "$@"
    note "$(printf '%-14s run %d: %6.3f s  RssAnon %6d kB  VmHWM %7d kB' "$name" "$i" \
      "$(awk -v u="$ELAPSED_US" 'BEGIN { print u / 1e6 }')" "$PEAK_ANON_KB" "$PEAK_HWM_KB")"
    ((BEST_US == 0 || ELAPSED_US < BEST_US)) && BEST_US=$ELAPSED_US
    ((PEAK_ANON_KB > MAX_ANON_KB)) && MAX_ANON_KB=$PEAK_ANON_KB
    ((PEAK_HWM_KB > MAX_HWM_KB)) && MAX_HWM_KB=$PEAK_HWM_KB
  done
  return 0
}

rate() { awk -v n="$1" -v u="$2" 'BEGIN { printf "%.0f", n / (u / 1e6) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
