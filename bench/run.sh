#!/usr/bin/env bash
# luruse performance benchmark: `luruse replay` with bench/rules.lua on a
# generated journal, against a floor (bench/floor.c: sd_journal_next plus
# sd_journal_get_data of the fields the rules read) on the same files, in the
# same run. See bench/README.md.
#
# Environment:
#   BENCH_DIR        work directory: corpus, build, results (default /tmp/luruse-bench)
#   BENCH_ENTRIES    corpus size (default 1000000)
#   BENCH_SEED       generator seed (default 1)
#   BENCH_RUNS       runs of each program, the best one counts (default 3)
#   BENCH_PYRUSE     1: also time the pyruse.json front-end (default 1)
#   BENCH_LOG        0: replace the rules' log actions by noop (default 1)
#   BENCH_MIN_RATIO  target, % of the floor's entries/s (default 70)
#   BENCH_MAX_ANON_MB  target, peak RssAnon of luruse in MB (default 20)
#   LURUSE_BIN       luruse to measure (default: a Release build made here)
#   GEN_JOURNAL      the corpus generator (default bench/gen_journal.py)
#   JOURNAL_REMOTE   systemd-journal-remote (default /lib/systemd/systemd-journal-remote)
#
# Exit status: 0 when both targets are met, 1 when one is missed, 2 on error.
set -euo pipefail

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(dirname "$BENCH_SRC")
BENCH_DIR=${BENCH_DIR:-/tmp/luruse-bench}
ENTRIES=${BENCH_ENTRIES:-1000000}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
PYRUSE=${BENCH_PYRUSE:-1}
WITH_LOG=${BENCH_LOG:-1}
MIN_RATIO=${BENCH_MIN_RATIO:-70}
MAX_ANON_MB=${BENCH_MAX_ANON_MB:-20}
GEN_JOURNAL=${GEN_JOURNAL:-$BENCH_SRC/gen_journal.py}
JOURNAL_REMOTE=${JOURNAL_REMOTE:-/lib/systemd/systemd-journal-remote}

die() { echo "bench: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

[[ $ENTRIES =~ ^[1-9][0-9]*$ ]] || die "BENCH_ENTRIES must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or later is needed (EPOCHREALTIME)"
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
RESULTS=$BENCH_DIR/results
mkdir -p "$RESULTS"

# --- corpus -------------------------------------------------------------------
CORPUS=$BENCH_DIR/journal-$ENTRIES-seed$SEED
if [[ -f $CORPUS/.complete ]]; then
  note "corpus: reusing $CORPUS"
else
  [[ -f $GEN_JOURNAL ]] || die "generator not found: $GEN_JOURNAL (set GEN_JOURNAL)"
  [[ -x $JOURNAL_REMOTE ]] || die "$JOURNAL_REMOTE not found (apt-get install systemd-journal-remote)"
  command -v python3 >/dev/null || die "python3 is needed to make the corpus"
  note "corpus: making $ENTRIES entries in $CORPUS (about 40 s and 700 MB per million)"
  rm -rf "$CORPUS" "$CORPUS.tmp"
  mkdir -p "$CORPUS.tmp"
  # journal-remote rotates the file every ~85k entries; the whole directory is read.
  python3 "$GEN_JOURNAL" --entries "$ENTRIES" --seed "$SEED" 2>"$CORPUS.tmp/.generator-stats" \
    | "$JOURNAL_REMOTE" --split-mode=none -o "$CORPUS.tmp/bench.journal" - 2>"$CORPUS.tmp/.remote-log" \
    || die "making the corpus failed: see $CORPUS.tmp/.generator-stats and .remote-log"
  touch "$CORPUS.tmp/.complete"
  mv "$CORPUS.tmp" "$CORPUS"
fi

# --- programs -----------------------------------------------------------------
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

FLOOR=$BENCH_DIR/floor
# shellcheck disable=SC2046
cc -O2 -o "$FLOOR" "$BENCH_SRC/floor.c" $(pkg-config --cflags --libs libsystemd) \
  || die "cannot compile bench/floor.c (libsystemd-dev, pkg-config)"

RULES_LUA=$BENCH_SRC/rules.lua
RULES_JSON=$BENCH_SRC/pyruse.json
if [[ $WITH_LOG == 0 ]]; then
  sed -E 's/L\.log\("[^"]*", "[A-Z]+"\)/L.noop()/' "$RULES_LUA" >"$RESULTS/rules-nolog.lua"
  sed -E 's/\{"action": "action_log", "args": \{"level": "[A-Z]+", "message": "[^"]*"\}\}/{"action": "action_noop"}/' \
    "$RULES_JSON" >"$RESULTS/pyruse-nolog.json"
  RULES_LUA=$RESULTS/rules-nolog.lua
  RULES_JSON=$RESULTS/pyruse-nolog.json
fi
STATE=$BENCH_DIR/state
mkdir -p "$STATE"
export LURUSE_BENCH_STATE=$STATE

# --- measuring ----------------------------------------------------------------
# shellcheck source=bench/measure.sh
. "$BENCH_SRC/measure.sh"
group() { printf "%'d" "$1" 2>/dev/null || printf "%d" "$1"; }

note "warming the page cache ($(du -sh "$CORPUS" | cut -f1))"
cat "$CORPUS"/*.journal >/dev/null

note "floor: $FLOOR, $RUNS runs"
best floor "$RUNS" "$FLOOR" "$CORPUS"
FLOOR_US=$BEST_US FLOOR_ANON=$MAX_ANON_KB
ENTRIES_READ=$(awk 'NR == 1 { print $1 }' "$RESULTS/floor.1.out")
[[ $ENTRIES_READ =~ ^[0-9]+$ ]] || die "cannot read the floor's entry count: $RESULTS/floor.1.out"

best floor-enum "$RUNS" "$FLOOR" "$CORPUS" --enumerate
ENUM_US=$BEST_US

note "luruse: $LURUSE_BIN, $RULES_LUA, $RUNS runs"
best luruse "$RUNS" "$LURUSE_BIN" replay -c "$RULES_LUA" --journal-dir "$CORPUS" --storage "$STATE"
LURUSE_US=$BEST_US LURUSE_ANON=$MAX_ANON_KB LURUSE_HWM=$MAX_HWM_KB
REPLAYED=$(awk '/entries replayed$/ { print $1 }' "$RESULTS/luruse.1.out")
[[ $REPLAYED == "$ENTRIES_READ" ]] \
  || die "luruse replayed '${REPLAYED}' entries, the floor read $ENTRIES_READ"
# log actions run (whether they went to the journal or to stderr)
LOG_LINES=$(awk '$(NF - 3) == "action_log" { n += $(NF - 2) } END { print n + 0 }' "$RESULTS/luruse.1.out")
CHAINS=$("$LURUSE_BIN" check -c "$RULES_LUA" | awk 'NR == 1 { print $2 }')

if [[ $PYRUSE == 1 ]]; then
  note "luruse: $RULES_JSON, $RUNS runs"
  best luruse-json "$RUNS" "$LURUSE_BIN" replay -c "$RULES_JSON" --journal-dir "$CORPUS" --storage "$STATE"
  JSON_US=$BEST_US
fi

# --- report -------------------------------------------------------------------
FLOOR_RATE=$(rate "$ENTRIES_READ" "$FLOOR_US")
ENUM_RATE=$(rate "$ENTRIES_READ" "$ENUM_US")
LURUSE_RATE=$(rate "$ENTRIES_READ" "$LURUSE_US")
RATIO=$(awk -v a="$LURUSE_RATE" -v b="$FLOOR_RATE" 'BEGIN { printf "%.1f", 100 * a / b }')
ENUM_RATIO=$(awk -v a="$LURUSE_RATE" -v b="$ENUM_RATE" 'BEGIN { printf "%.1f", 100 * a / b }')
SPEED_OK=$(awk -v r="$RATIO" -v m="$MIN_RATIO" 'BEGIN { print (r >= m) ? 1 : 0 }')
MEM_OK=$(awk -v k="$LURUSE_ANON" -v m="$MAX_ANON_MB" 'BEGIN { print (k < m * 1024) ? 1 : 0 }')
verdict() { (($1)) && echo pass || echo FAIL; }
if [[ -S /run/systemd/journal/socket ]]; then LOG_TO="the journal"; else LOG_TO="stderr"; fi

{
  echo
  echo "luruse benchmark: $(group "$ENTRIES_READ") entries ($CORPUS), $CHAINS chains, best of $RUNS runs, $(nproc) cores"
  echo
  printf '| %-9s | %-16s | %-17s | %-7s | %-15s | %-10s | %-6s |\n' \
    entries "floor entries/s" "luruse entries/s" "ratio" "RssAnon peak MB" "VmHWM MB" result
  printf '|%s|%s|%s|%s|%s|%s|%s|\n' ----------: -----------------: ------------------: \
    --------: ----------------: -----------: :------:
  printf '| %9s | %16s | %17s | %6s%% | %15s | %10s | %-6s |\n' "$ENTRIES_READ" "$FLOOR_RATE" \
    "$LURUSE_RATE" "$RATIO" "$(mb "$LURUSE_ANON")" "$(mb "$LURUSE_HWM")" \
    "$( ((SPEED_OK && MEM_OK)) && echo pass || echo FAIL)"
  echo
  echo "targets: ratio >= $MIN_RATIO% ($(verdict "$SPEED_OK")), RssAnon < $MAX_ANON_MB MB ($(verdict "$MEM_OK"))"
  echo "floor (sd_journal_get_data x4): $(mb "$FLOOR_ANON") MB RssAnon;" \
    "floor with one enumerate_available_data pass: $ENUM_RATE entries/s (luruse at $ENUM_RATIO% of it)"
  if [[ $PYRUSE == 1 ]]; then
    echo "luruse with bench/pyruse.json: $(rate "$ENTRIES_READ" "$JSON_US") entries/s"
  fi
  if [[ $WITH_LOG == 0 ]]; then
    echo "log actions: replaced by noop (BENCH_LOG=0)"
  else
    echo "log actions run: $LOG_LINES (their lines went to $LOG_TO)"
  fi
  echo "VmHWM counts the journal files libsystemd maps; RssAnon is luruse's own memory."
  echo "details: $RESULTS (step table: luruse.1.out)"
} | tee "$RESULTS/summary.txt"

((SPEED_OK && MEM_OK))
