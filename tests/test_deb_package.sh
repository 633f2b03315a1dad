#!/bin/bash
# The Debian package, built as README says (cp -r packaging/debian . &&
# dpkg-buildpackage -us -uc -b) from a copy of the source tree: it holds the
# binary, the man pages, the bash completion, the examples, the unit and the
# default rules, and every file of packaging/ that the package installs; the
# unit's Documentation= names files it holds; lintian finds no error and no
# warning.
. "$(dirname "$0")/lib/common.sh"
setup
for tool in dpkg-buildpackage dh dpkg-deb lintian; do
  command -v "$tool" > /dev/null || skip "$tool is missing (Debian packages dpkg-dev, debhelper, lintian)"
done
command -v scdoc > /dev/null || skip "scdoc is missing (the package builds its man pages)"

# the source tree: git's files (tracked and new, not ignored), else all but build dirs
SRC="$T/src/luruse"
mkdir -p "$SRC"
if git -C "$LURUSE_SRC" rev-parse --show-toplevel > /dev/null 2>&1; then
  (cd "$LURUSE_SRC" && git ls-files -z --cached --others --exclude-standard \
     | xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _ \
     | tar --null -T - -cf -) | tar -xf - -C "$SRC"
else
  (cd "$LURUSE_SRC" && tar --exclude='./build*' --exclude=./.git -cf - .) | tar -xf - -C "$SRC"
fi
[ -f "$SRC/CMakeLists.txt" ] || die "the source tree was not copied"

[ -n "${LURUSE_DEB_DIR:-}" ] && rm -f "$LURUSE_DEB_DIR"/luruse_*.deb
cd "$SRC" || die "cd $SRC"
cp -r packaging/debian .
DEB_BUILD_OPTIONS="nocheck parallel=2" timeout 900 dpkg-buildpackage -us -uc -b > "$T/build.log" 2>&1
rc=$?
assert_eq "dpkg-buildpackage -us -uc -b" 0 "$rc"
[ "$rc" -eq 0 ] || { tail -30 "$T/build.log" | sed 's/^/      | /'; finish; }
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
DEB="$T/src/luruse_${version}_${arch}.deb"
[ -f "$DEB" ] || { bad "no $DEB"; ls "$T/src"; finish; }
# for test_package_install (its fixture): the package it installs
if [ -n "${LURUSE_DEB_DIR:-}" ]; then
  mkdir -p "$LURUSE_DEB_DIR" && rm -f "$LURUSE_DEB_DIR"/luruse_*.deb && cp "$DEB" "$LURUSE_DEB_DIR/"
fi
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' > "$T/contents"

has() { # WHAT PATH
  if grep -qxF -- "$2" "$T/contents"; then ok "the package holds $1: $2"; else bad "the package lacks $1: $2"; fi
}
has "the binary" /usr/sbin/luruse
has "the man page luruse(8)" /usr/share/man/man8/luruse.8.gz
has "the man page luruse.lua(5)" /usr/share/man/man5/luruse.lua.5.gz
has "the bash completion" /usr/share/bash-completion/completions/luruse
has "the unit" /lib/systemd/system/luruse.service
has "the system user" /usr/lib/sysusers.d/luruse.conf
has "the default rules" /etc/luruse/luruse.lua
has "the README of Documentation=" /usr/share/doc/luruse/README.md
has "the copyright" /usr/share/doc/luruse/copyright
for f in "$LURUSE_SRC"/rules/jails/*.lua; do has "a shipped jail" "/etc/luruse/jails/$(basename "$f")"; done
(cd "$LURUSE_SRC/examples" && find . -type f | sed 's|^\./||' | sort) > "$T/examples"
[ -s "$T/examples" ] || bad "no examples in the source tree"
while IFS= read -r f; do has "an example" "/usr/share/doc/luruse/examples/$f"; done < "$T/examples"

# each man page is the one scdoc makes of the source (but the date in .TH,
# the changelog's in the package build)
mkdir -p "$T/x" && dpkg-deb -x "$DEB" "$T/x"
for page in luruse.8 luruse.lua.5; do
  sec=${page##*.}
  if cmp -s <(zcat "$T/x/usr/share/man/man$sec/$page.gz" | grep -v '^\.TH ') \
            <(scdoc < "$LURUSE_SRC/man/$page.scd" | grep -v '^\.TH '); then
    ok "$page in the package is man/$page.scd"
  else bad "$page in the package differs from scdoc < man/$page.scd"; fi
done
# every file of packaging/ beside debian/ and the build scripts (units,
# sysusers.d, tmpfiles.d...) is in the package: under its own name, or NAME.X
# (X sysusers or tmpfiles) as /usr/lib/X.d/luruse.conf
while IFS= read -r f; do
  name=$(basename "$f")
  case $name in
    *.sysusers|*.tmpfiles) want="/usr/lib/${name##*.}.d/luruse.conf" ;;
    *) want=$name ;;
  esac
  got=$(grep -E "(^|/)${want//./\\.}\$" "$T/contents" | head -1)
  if [ -n "$got" ]; then ok "packaging/${f#"$LURUSE_SRC"/packaging/} is installed: $got"
  else bad "packaging/${f#"$LURUSE_SRC"/packaging/} is not in the package (as $want)"; fi
done < <(cd "$LURUSE_SRC/packaging" && find . -path ./debian -prune -o -type f \
           ! -name debian-build-deps.txt ! -name quickstart.sh -print | sed "s|^\./|$LURUSE_SRC/packaging/|" | sort)
# the unit's Documentation= points at what the package holds
doc=$(sed -n 's/^Documentation=//p' "$T/x/lib/systemd/system/luruse.service")
[ -n "$doc" ] || bad "the unit has no Documentation="
for d in $doc; do
  case $d in
    man:*) page=${d#man:}; name=${page%%(*}; sec=${page#*(}; sec=${sec%)}
           has "the unit's $d" "/usr/share/man/man$sec/$name.$sec.gz" ;;
    file://*) has "the unit's $d" "${d#file://}" ;;
    *) bad "the unit's Documentation=$d is neither man: nor file://" ;;
  esac
done

# info and pedantic tags are shown, not failed on
lintian -I --pedantic --tag-display-limit 0 "$T/src/luruse_${version}_${arch}.changes" > "$T/lintian.out" 2>&1
grep -v '^running with root privileges' "$T/lintian.out" | sed 's/^/      lintian: /'
if grep -qE '^[EW]: ' "$T/lintian.out"; then bad "lintian reports errors or warnings"
else ok "lintian: no error, no warning"; fi
finish
