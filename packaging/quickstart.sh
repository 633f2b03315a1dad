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
sed '/^# tests/,$d' packaging/debian-build-deps.txt | grep -v '^#' | xargs apt-get install -y -qq
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
./build/luruse check -c rules/luruse.lua >/dev/null
cat <<'NEXT'
quickstart: built. To protect this machine for good, install the package (README,
"Install it as a service"):
    sudo apt-get install -y debhelper dpkg-dev
    cp -r packaging/debian . && dpkg-buildpackage -us -uc -b && sudo dpkg -i ../luruse_*.deb
  the service then runs at once and at boot; the rules are /etc/luruse/luruse.lua
  (your own in /etc/luruse/rules.d/); email goes to root@localhost through the
  local MTA (set email.to there); see it work: luruse status, luruse bans.
NEXT
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
