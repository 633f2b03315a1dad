#!/usr/bin/env bash
# Installs the build dependencies (Debian 12), builds luruse, and runs its main
# job on the shipped default rules: following this machine's journal, or, when
# no journal is readable here, replaying the bundled sample journal.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "quickstart: run as root (it installs packages and reads the system journal)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
grep -v '^#' packaging/debian-build-deps.txt | xargs apt-get install -y -qq
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
./build/luruse check -c rules/luruse.lua >/dev/null
if [ -n "$(journalctl -q -n 1 -o cat 2>/dev/null)" ]; then
  echo "quickstart: following this machine's journal with rules/luruse.lua (Ctrl-C stops)"
  exec ./build/luruse run -c rules/luruse.lua --storage /var/lib/luruse
else
  echo "quickstart: no readable journal here; replaying the bundled sample (rules/sample.export)"
  state=$(mktemp -d /tmp/luruse-sample.XXXXXX) # the sample's report lines stay out of /var/lib/luruse
  ./build/luruse replay -c rules/luruse.lua --storage "$state" --no-bans --export rules/sample.export
  echo "quickstart: the daily report these entries make (sent after midnight when live):"
  exec ./build/luruse report -c rules/luruse.lua --storage "$state"
fi
