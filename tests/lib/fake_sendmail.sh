#!/bin/sh
# Stand-in for `sendmail -t`: keeps each message as $FAKE_MAILDIR/*.eml (its
# arguments beside it). FAKE_SENDMAIL_MODE=fail reads the message and exits 75
# (EX_TEMPFAIL, as a real MTA does when it cannot queue); =hang never returns;
# =slow first leaves $FAKE_MAILDIR/started.PID, sleeps FAKE_SENDMAIL_DELAY
# seconds (default 2), then reads the message (and leaves done.PID).
dir=${FAKE_MAILDIR:?FAKE_MAILDIR is not set}
case "${FAKE_SENDMAIL_MODE:-ok}" in
  fail) cat > /dev/null; echo "fake sendmail: cannot queue the message" >&2; exit 75 ;;
  hang) exec sleep 3600 ;;
  slow) : > "$dir/started.$$"; sleep "${FAKE_SENDMAIL_DELAY:-2}" ;;
esac
f=$(mktemp "$dir/mail.XXXXXX") || exit 71
cat > "$f" || exit 74
printf '%s\n' "$*" > "$f.args"
mv "$f" "$f.eml"
[ "${FAKE_SENDMAIL_MODE:-ok}" = slow ] && : > "$dir/done.$$"
exit 0
