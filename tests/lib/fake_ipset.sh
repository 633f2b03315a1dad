#!/bin/sh
# Stand-in for ipset (tests): appends its arguments, one call a line, to
# $FAKE_IPSET_LOG; refuses (exit 1, as ipset does) a call whose arguments
# match the extended regex $FAKE_IPSET_REFUSE.
echo "$*" >> "${FAKE_IPSET_LOG:?FAKE_IPSET_LOG is not set}"
if [ -n "${FAKE_IPSET_REFUSE:-}" ] && echo "$*" | grep -qE -- "$FAKE_IPSET_REFUSE"; then
  echo "ipset v7.17: Syntax error: refused by the test" >&2
  exit 1
fi
exit 0
