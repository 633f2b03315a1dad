#!/usr/bin/env bash
# luruse text-lines benchmark: `luruse replay --lines` with the shipped rules
# (rules/luruse.lua) on generated nginx access-log lines, against the floor
# `cat FILE | grep -c GET` on the same file, in the same run. See bench/README.md
# ("Text lines"). Not a ctest test.
#
# Environment:
#   BENCH_DIR     work directory: corpus, build, results (default /tmp/luruse-lines-bench)
#   BENCH_LINES   corpus size (default 1000000)
#   BENCH_SEED    generator seed (default 1)
#   BENCH_RUNS    runs of each program, the best one counts (default 3)
#   LURUSE_BIN    luruse to measure (default: a Release build made in BENCH_DIR)
#   GEN_LINES     the corpus generator (default bench/gen_nginx_lines.py)
#
# Exit status: 0 on success, 2 on an error (including a vacuous run: the
# shipped rules' nginx chain not reached by every line).
set -euo pipefail

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(dirname "$BENCH_SRC")
BENCH_DIR=${BENCH_DIR:-/tmp/luruse-lines-bench}
LINES=${BENCH_LINES:-1000000}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
GEN_LINES=${GEN_LINES:-$BENCH_SRC/gen_nginx_lines.py}
RULES=$SRC/rules/luruse.lua

die() { echo "lines-bench: $*" >&2; exit 2; }
note() { echo "lines-bench: $*" >&2; }

[[ $LINES =~ ^[1-9][0-9]*$ ]] || die "BENCH_LINES must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or later is needed (EPOCHREALTIME)"
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
RESULTS=$BENCH_DIR/results
mkdir -p "$RESULTS"

# --- corpus -------------------------------------------------------------------
CORPUS=$BENCH_DIR/access-$LINES-seed$SEED.log
if [[ -f $CORPUS.complete ]]; then
  note "corpus: reusing $CORPUS"
else
  command -v python3 >/dev/null || die "python3 is needed to make the corpus"
  [[ -f $GEN_LINES ]] || die "generator not found: $GEN_LINES (set GEN_LINES)"
  note "corpus: making $LINES lines in $CORPUS"
  rm -f "$CORPUS" "$CORPUS.complete"
  python3 "$GEN_LINES" --lines "$LINES" --seed "$SEED" >"$CORPUS.tmp" 2>"$RESULTS/generator-stats" \
    || die "making the corpus failed: see $RESULTS/generator-stats"
  mv "$CORPUS.tmp" "$CORPUS"
  touch "$CORPUS.complete"
fi

# --- program ------------------------------------------------------------------
if [[ -z ${LURUSE_BIN:-} ]]; then
  BUILD=$BENCH_DIR/build-release
  note "luruse: Release build in $BUILD"
  if ! { cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
    && cmake --build "$BUILD" -j"$(nproc)" --target luruse; } >"$RESULTS/build.log" 2>&1; then
    die "build failed, see $RESULTS/build.log"
  fi
  LURUSE_BIN=$BUILD/luruse
fi
[[ -x $LURUSE_BIN ]] || die "LURUSE_BIN=$LURUSE_BIN is not an executable"
STATE=$BENCH_DIR/state
mkdir -p "$STATE"

# --- measuring (bench/measure.sh, as bench/run.sh) ------------------------------
# shellcheck source=bench/measure.sh
. "$BENCH_SRC/measure.sh"

note "warming the page cache ($(du -h "$CORPUS" | cut -f1))"
cat "$CORPUS" >/dev/null
NLINES=$(wc -l <"$CORPUS")

# --- not vacuous: the step table of one replay (without --quiet) ---------------
note "step table: one replay without --quiet"
"$LURUSE_BIN" replay -c "$RULES" --storage "$STATE" --no-email --no-bans \
  --lines "$CORPUS" --identifier nginx >"$RESULTS/steps.out" 2>"$RESULTS/steps.err" \
  || die "luruse replay failed; see $RESULTS/steps.err"
REPLAYED=$(awk '/entries replayed$/ { print $1 }' "$RESULTS/steps.out")
[[ $REPLAYED == "$NLINES" ]] || die "luruse replayed '${REPLAYED}' entries, the file has $NLINES lines"
# "nginx auth failures[1]  filter_pcre  ENTRIES  PASSED  ERRORS": the nginx chain's regex.
read -r NGINX_REACHED NGINX_MATCHED < <(awk '/^nginx / && $NF ~ /^[0-9]+$/ && $(NF - 3) ~ /^filter_pcre/ {
  print $(NF - 2), $(NF - 1); exit }' "$RESULTS/steps.out") || true
[[ ${NGINX_REACHED:-0} == "$NLINES" ]] \
  || die "the nginx chain's regex of $RULES saw '${NGINX_REACHED:-0}' of $NLINES lines (see $RESULTS/steps.out)"

# --- timings ------------------------------------------------------------------
note "floor: cat FILE | grep -c GET, $RUNS runs"
# shellcheck disable=SC2016  # $1 is expanded by the inner bash
best floor "$RUNS" bash -c 'cat "$1" | grep -c GET' floor "$CORPUS"
FLOOR_US=$BEST_US
GET_LINES=$(cat "$RESULTS/floor.1.out")

note "luruse: $LURUSE_BIN, $RULES, $RUNS runs"
best luruse "$RUNS" "$LURUSE_BIN" replay -c "$RULES" --storage "$STATE" --no-email --no-bans \
  --quiet --lines "$CORPUS" --identifier nginx
LURUSE_US=$BEST_US LURUSE_ANON=$MAX_ANON_KB LURUSE_HWM=$MAX_HWM_KB

# --- the same file followed by the daemon: luruse run --file --from-start ------
# From the start until `luruse status` counts every line: the followed-file
# path (read(2) into a 64 KiB buffer, positions committed every second).
note "luruse run --file: $RUNS runs"
FOLLOW_US=
for r in $(seq 1 "$RUNS"); do
  FST=$BENCH_DIR/follow-state.$r
  rm -rf "$FST" "$BENCH_DIR/follow-journal"
  mkdir -p "$FST" "$BENCH_DIR/follow-journal"
  t0=${EPOCHREALTIME/[.,]/}
  "$LURUSE_BIN" run -c "$RULES" --storage "$FST" --journal-dir "$BENCH_DIR/follow-journal" \
    --file "$CORPUS" --identifier nginx --from-start 2>"$RESULTS/follow.$r.err" &
  fpid=$!
  seen=0
  while [[ $seen -lt $NLINES ]]; do
    sleep 0.02
    kill -0 "$fpid" 2>/dev/null || die "luruse run --file stopped; see $RESULTS/follow.$r.err"
    seen=$("$LURUSE_BIN" status --storage "$FST" --json 2>/dev/null \
      | python3 -c 'import json,sys; print(json.load(sys.stdin).get("entries", 0))' 2>/dev/null || echo 0)
  done
  t1=${EPOCHREALTIME/[.,]/}
  kill -TERM "$fpid"; wait "$fpid" || true
  us=$((t1 - t0))
  [[ -z $FOLLOW_US || $us -lt $FOLLOW_US ]] && FOLLOW_US=$us
done
FOLLOW_RATE=$(rate "$NLINES" "$FOLLOW_US")

# --- report -------------------------------------------------------------------
FLOOR_RATE=$(rate "$NLINES" "$FLOOR_US")
LURUSE_RATE=$(rate "$NLINES" "$LURUSE_US")
RATIO=$(awk -v a="$LURUSE_RATE" -v b="$FLOOR_RATE" 'BEGIN { printf "%.1f", 100 * a / b }')
{
  echo
  echo "luruse text lines: $NLINES lines ($CORPUS, $(du -h "$CORPUS" | cut -f1)), rules/luruse.lua, best of $RUNS runs, $(nproc) cores"
  echo
  printf '| %-9s | %-13s | %-14s | %-7s | %-15s | %-8s |\n' \
    lines "floor lines/s" "luruse lines/s" ratio "RssAnon peak MB" "VmHWM MB"
  printf '|%s|%s|%s|%s|%s|%s|\n' ----------: --------------: ---------------: --------: \
    ----------------: ---------:
  printf '| %9s | %13s | %14s | %6s%% | %15s | %8s |\n' "$NLINES" "$FLOOR_RATE" "$LURUSE_RATE" \
    "$RATIO" "$(mb "$LURUSE_ANON")" "$(mb "$LURUSE_HWM")"
  echo
  echo "floor: cat FILE | grep -c GET (counted $GET_LINES); best $(awk -v u="$FLOOR_US" 'BEGIN { printf "%.3f", u / 1e6 }') s," \
    "luruse best $(awk -v u="$LURUSE_US" 'BEGIN { printf "%.3f", u / 1e6 }') s"
  echo "luruse run --file (followed, from its start until status counts every line): best" \
    "$(awk -v u="$FOLLOW_US" 'BEGIN { printf "%.3f", u / 1e6 }') s, $FOLLOW_RATE lines/s"
  echo "nginx chain: its regex ran on $NGINX_REACHED lines, matched $NGINX_MATCHED"
  echo "details: $RESULTS (step table: steps.out)"
} | tee "$RESULTS/summary.txt"
