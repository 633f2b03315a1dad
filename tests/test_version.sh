#!/bin/bash
# luruse --version: the project's version, the same as the Debian package's
# upstream version (packaging/debian/changelog), so that neither drifts.
. "$(dirname "$0")/lib/common.sh"
setup
want=$(sed -n '1s/^luruse (\([^-)]*\).*/\1/p' "$LURUSE_SRC/packaging/debian/changelog")
assert_eq "luruse --version is the changelog's upstream version" "luruse $want" "$("$LURUSE_BIN" --version)"
finish
