# build_deb OUTDIR: the Debian package of this source tree, as README says to
# build it (cp -r packaging/debian . && dpkg-buildpackage -us -uc -b), in a
# copy of the tree; the .deb (and .changes, .buildinfo) end up in OUTDIR.
# Skips the test when debhelper or dpkg-buildpackage is missing.
build_deb() {
  local out=$1 src="$1/src"
  command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage is missing (dpkg-dev)"
  command -v dh >/dev/null || skip "debhelper is missing"
  mkdir -p "$src"
  if git -C "$LURUSE_SRC" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$LURUSE_SRC" && git ls-files -z --cached --others --exclude-standard |
      xargs -0 tar -c --no-recursion -f -) | tar -x -C "$src"
  else
    tar -C "$LURUSE_SRC" -c --exclude='./build*' -f - . | tar -x -C "$src"
  fi
  cp -r "$src/packaging/debian" "$src/debian"
  (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
    dpkg-buildpackage -us -uc -b > "$out/build.log" 2>&1)
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "dpkg-buildpackage failed ($rc):"
    tail -30 "$out/build.log" | sed 's/^/      | /'
    return 1
  fi
  ls "$out"/luruse_*.deb >/dev/null 2>&1
}
