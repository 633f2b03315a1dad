#!/usr/bin/env python3
"""Corpus and checks for tests/test_report_days.sh (standard library only).

  report_days.py gap FILE [bogus]   a day of 22 lines, then one line 14 h later;
                                    with "bogus" its monotonic time says 1 s passed
  report_days.py days FILE N PER    N days of PER lines each (export stream)
  report_days.py reports MAILDIR N PER   N report emails, one per day, each whole

Every entry carries _BOOT_ID and a __MONOTONIC_TIMESTAMP consistent with its
realtime, as journald writes them. Times are UTC (the test sets TZ=UTC).
"""
import datetime
import email
import email.policy
import glob
import re
import sys

BOOT = "5f1d6b0e2a3c4d5e8f9a0b1c2d3e4f50"
DAY1 = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc)
BOOTED = int((DAY1 - datetime.timedelta(days=3)).timestamp()) * 1000000


def usec(dt):
    return int(dt.timestamp()) * 1000000


def entry(us, msg, mono=None):
    mono = us - BOOTED if mono is None else mono
    return ("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n"
            "_HOSTNAME=daytest\nSYSLOG_IDENTIFIER=daytest\nPRIORITY=6\nMESSAGE=%s\n\n"
            % (us, mono, BOOT, msg))


def gap(path, bogus):
    t = usec(DAY1.replace(hour=8))
    with open(path, "w") as f:
        for i in range(22):
            f.write(entry(t + i * 600 * 1000000, "d1 line %d" % i))
        last = t + 21 * 600 * 1000000
        late = last + 14 * 3600 * 1000000  # 01:30 the next day
        mono = (last - BOOTED + 1000000) if bogus else None
        f.write(entry(late, "d2 line 0", mono))


def days(path, n, per):
    with open(path, "w") as f:
        for d in range(n):
            start = usec(DAY1 + datetime.timedelta(days=d))
            for i in range(per):
                f.write(entry(start + i * (86400 // per) * 1000000 + 1000, "d%d line %d" % (d + 1, i)))


def reports(maildir, n, per):
    fails = []
    mails = sorted(glob.glob(maildir + "/*.eml"))
    if len(mails) != n:
        fails.append("%d report emails, expected %d (one per day)" % (len(mails), n))
    seen_days = []
    for path in mails:
        with open(path, "rb") as fh:
            msg = email.message_from_bytes(fh.read(), policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",)).get_content()
        lines = set(re.findall(r"\bd(\d+) line (\d+)\b", text))
        found = sorted({int(d) for d, _ in lines})
        if len(found) != 1:
            fails.append("%s (%s): lines of days %s, expected one day" % (path, msg["Subject"], found))
            continue
        seen_days.append(found[0])
        if len(lines) != per:
            fails.append("%s (%s): %d lines of day %d, expected %d (the whole day)"
                         % (path, msg["Subject"], len(lines), found[0], per))
    if sorted(seen_days) != list(range(1, n + 1)):
        fails.append("days reported: %s, expected 1..%d once each" % (sorted(seen_days), n))
    for f in fails:
        print("FAIL", f)
    return 1 if fails else 0


def main():
    cmd = sys.argv[1]
    if cmd == "gap":
        gap(sys.argv[2], len(sys.argv) > 3 and sys.argv[3] == "bogus")
    elif cmd == "days":
        days(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "reports":
        sys.exit(reports(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
