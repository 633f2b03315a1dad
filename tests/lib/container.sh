# A throw-away Debian machine for the service and package tests: this host's
# root file system under an overlay whose writes go to a tmpfs, booted with
# systemd as PID 1 by systemd-nspawn in a private network namespace (only its
# own loopback: its firewall and mail never reach the host's). Nothing it does
# outlives the test: the tmpfs, the overlay and the machine go in cleanup.
#
#   . "$TESTS_LIB/container.sh"
#   ct_boot                      # skips the test when nspawn cannot boot here
#   ct_copy_in FILE /root/       # into the machine's file system
#   ct systemctl is-active luruse
#   ct_wait 30 "nft list set inet luruse ban4 | grep -q 198.51.100.7"
#
# Needs root, systemd-nspawn (systemd-container), overlayfs and a booted-able
# systemd on this host.

CT_NAME="lrtest$$"
CT_ROOT=""
CT_LEADER=""

_ct_cleanup() {
  if [ -n "$CT_LEADER" ] && kill -0 "$CT_LEADER" 2>/dev/null; then
    kill -TERM "$CT_NSPAWN_PID" 2>/dev/null # nspawn shuts the machine down
    for _ in $(seq 1 50); do
      kill -0 "$CT_NSPAWN_PID" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$CT_NSPAWN_PID" 2>/dev/null
    wait "$CT_NSPAWN_PID" 2>/dev/null
  fi
  if [ -n "$CT_ROOT" ]; then
    umount -l "$CT_ROOT/merged" 2>/dev/null
    umount -l "$CT_ROOT" 2>/dev/null
    rmdir "$CT_ROOT" 2>/dev/null
  fi
}

# ct_boot: the machine, booted to multi-user.target (or failed units: fine).
ct_boot() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (systemd-nspawn)"
  command -v systemd-nspawn >/dev/null || skip "systemd-nspawn is missing (systemd-container)"
  [ -x /lib/systemd/systemd ] || skip "no systemd to boot on this host"
  CT_ROOT=$(mktemp -d /run/luruse-ct.XXXXXX) || die "mktemp"
  trap '_ct_cleanup; _cleanup' EXIT
  mount -t tmpfs -o mode=0755 luruse-ct "$CT_ROOT" || skip "cannot mount a tmpfs"
  mkdir -p "$CT_ROOT/upper" "$CT_ROOT/work" "$CT_ROOT/merged"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$CT_ROOT/upper,workdir=$CT_ROOT/work" \
    "$CT_ROOT/merged" || skip "cannot mount an overlay of / (overlayfs)"
  local m="$CT_ROOT/merged"
  # a machine of its own: no identity, no console login, no timers waking up
  rm -f "$m/etc/machine-id"
  : > "$m/etc/machine-id"
  systemd-nspawn -q --register=no --keep-unit --private-network -D "$m" -M "$CT_NAME" \
    --boot > "$T/ct-console.log" 2>&1 < /dev/null &
  CT_NSPAWN_PID=$!
  local i state=""
  for i in $(seq 1 150); do
    CT_LEADER=$(ps -o pid= --ppid "$CT_NSPAWN_PID" 2>/dev/null | head -1 | tr -d ' ')
    if [ -n "$CT_LEADER" ]; then
      state=$(nsenter -t "$CT_LEADER" -a systemctl is-system-running 2>/dev/null)
      case $state in running | degraded) break ;; esac
    fi
    kill -0 "$CT_NSPAWN_PID" 2>/dev/null || break
    sleep 0.2
  done
  case $state in
    running | degraded) ok "machine booted ($state) in $(( i / 5 )) s" ;;
    *)
      echo "systemd-nspawn could not boot this host's system:"
      tail -20 "$T/ct-console.log" | sed 's/^/      | /'
      skip "no bootable container here (state: ${state:-none})" ;;
  esac
}

# ct CMD...: runs in the machine (all its namespaces), as root.
ct() { nsenter -t "$CT_LEADER" -a "$@"; }

# ct_sh 'SCRIPT': a shell script in the machine.
ct_sh() { nsenter -t "$CT_LEADER" -a /bin/sh -c "$1"; }

# ct_copy_in FILE... DIR/: into the machine's file system (through the overlay).
ct_copy_in() {
  local dest=${*: -1}
  mkdir -p "$CT_ROOT/merged$dest"
  cp -a "${@:1:$#-1}" "$CT_ROOT/merged$dest"
}

# ct_wait SECONDS 'SCRIPT': until SCRIPT succeeds in the machine; 1 when it never did.
ct_wait() {
  local i
  for i in $(seq 1 $(( $1 * 5 ))); do
    ct_sh "$2" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
