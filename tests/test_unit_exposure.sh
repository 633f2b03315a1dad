#!/bin/bash
# The unit's sandbox stays tight: systemd-analyze's exposure score of
# packaging/luruse.service (read offline, as shipped) at most 3.0, and each
# weakness it still lists explained by a comment in the unit. (The score of
# the unit as systemd runs it is checked by test_package_install.)
. "$(dirname "$0")/lib/common.sh"
setup
MAX=3.0
UNIT="$LURUSE_SRC/packaging/luruse.service"
systemd-analyze --help 2>/dev/null | grep -q -- '--offline' || skip "systemd-analyze has no --offline (systemd < 250)"
# read offline from a copy: the file name is the unit's name
cp "$UNIT" "$T/luruse.service"
systemd-analyze security --offline=true --no-pager "$T/luruse.service" > "$T/security.out" 2>&1
score=$(sed -n 's/.*Overall exposure level for luruse.service: \([0-9.]*\).*/\1/p' "$T/security.out")
if [ -n "$score" ] && awk -v s="$score" -v m="$MAX" 'BEGIN { exit !(s <= m) }'; then
  ok "exposure $score (at most $MAX)"
else
  bad "exposure '${score:-?}', target at most $MAX:"; sed 's/^/      | /' "$T/security.out" | tail -30
fi
# every remaining weakness has its reason written in the unit
declare -A reason=(
  [PrivateNetwork]="network namespace" [PrivateUsers]="PrivateUsers"
  [CapabilityBoundingSet]="CAP_NET_ADMIN" [AmbientCapabilities]="CAP_NET_ADMIN"
  [RestrictAddressFamilies]="Netlink" [MemoryDenyWriteExecute]="JIT"
  [SupplementaryGroups]="groups" [IPAddressDeny]="IPAddressDeny"
  [DeviceAllow]="ProtectClock" [RootDirectory]="RootDirectory"
)
while read -r setting; do
  key=${setting%%=*}
  want=${reason[$key]:-}
  if [ -z "$want" ]; then
    bad "$setting: no reason for this weakness is known to the test (explain it in the unit and here)"
  elif grep -q "^#.*$want" "$UNIT"; then
    ok "$key: explained in the unit"
  else
    bad "$key: the unit has no comment saying why ('$want')"
  fi
done < <(grep '✗' "$T/security.out" | awk '{print $2}' | sort -u)
finish
