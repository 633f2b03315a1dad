#!/usr/bin/env python3
"""Corpus and checks for tests/test_notify.sh (standard library only).

  notify_check.py corpus DIR         writes day1a/day1b/day2 export streams and expected.json
  notify_check.py report-list FILE EXPECTED   `luruse report --list` of day 1
  notify_check.py alerts MAILDIR     checks the alert emails (parsed with the email package)
  notify_check.py report EML EXPECTED TITLE SUBJECT   checks one daily report, section by section
  notify_check.py report-text FILE EXPECTED DAY   checks `luruse report` output

Times are UTC: the test runs luruse with TZ=UTC.
"""
import datetime
import email
import email.policy
import glob
import json
import os
import re
import struct
import sys

DAY1 = datetime.datetime(2026, 3, 10, tzinfo=datetime.timezone.utc)
MODES = ["ALL", "NONE", "FIRST", "LAST", "FIRSTLAST"]
HOSTILE = 'Injected <script>alert("x")</script> & co | pipe'


def usec(dt):
    return int(dt.timestamp()) * 1000000 + dt.microsecond


def fmt_time(us):
    """The report's times: to the second (its default email.reportTimeFormat)."""
    dt = datetime.datetime.fromtimestamp(us // 1000000, datetime.timezone.utc)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def field(name, value):
    value = value.encode() if isinstance(value, str) else value
    if b"\n" in value:
        return name.encode() + b"\n" + struct.pack("<Q", len(value)) + value + b"\n"
    return name.encode() + b"=" + value + b"\n"


def entry(us, ident, message, **extra):
    out = b"__REALTIME_TIMESTAMP=%d\n" % us + field("SYSLOG_IDENTIFIER", ident) + field("MESSAGE", message)
    for k, v in extra.items():
        out += field(k, v)
    return out + b"\n"


def corpus(d):
    """Report lines for every level and details mode, split in two halves of day 1
    (a restart in between), then day 2, whose first entry sends day 1's report."""
    lines = []  # (us, kind, message)
    t = usec(DAY1.replace(hour=6))
    step = 0
    for mode in MODES:
        # 3 occurrences of one message, 1 of another: FIRSTLAST with one occurrence
        for i, msg in enumerate(["Banned 192.0.2.%d (%s)" % (n, mode) for n in (7, 7, 3, 7)]):
            step += 1
            lines.append((t + step * 600 * 1000000 + 123456, "WARN_" + mode, msg))
    for i in range(5):
        lines.append((t + (40 + i) * 600 * 1000000, "INFO_ALL", "Login of bob" if i % 2 else "Login of alice"))
    lines.append((t + 50 * 600 * 1000000, "WARN_ALL", HOSTILE + "\nsecond line"))
    for i in range(3):
        lines.append((t + (60 + i) * 600 * 1000000, "OTHER_ALL", "odd thing %d" % (2 - i)))
    lines.sort()
    half = len(lines) // 2
    parts = {"day1a": lines[:half], "day1b": lines[half:]}
    day2 = usec(DAY1 + datetime.timedelta(days=1, seconds=5))
    parts["day2"] = [(day2, "INFO_ALL", "Day two begins"), (day2 + 1000000, "OTHER_ALL", "day two other")]
    for name, part in parts.items():
        with open(os.path.join(d, name + ".export"), "wb") as f:
            for us, kind, msg in part:
                f.write(entry(us, "reportme", msg, KIND=kind))
    # Alerts: 3 distinct, then 40 identical ones (throttled), one hostile header value.
    with open(os.path.join(d, "alerts.export"), "wb") as f:
        a = usec(DAY1.replace(hour=5))
        f.write(entry(a, "alert", "disk almost full on /var", HOST="mail1"))
        f.write(entry(a + 1000000, "alert", "Ünïcödé ✓ message — tschüß", HOST="h\u00f4te-\u65e5\u672c"))
        f.write(entry(a + 2000000, "alert", "evil host", HOST="x\r\nBcc: victim@example.org"))
        for i in range(40):
            f.write(entry(a + (10 + i) * 1000000, "alert", "sshd flood", HOST="mail2"))
        f.write(entry(a + 3600 * 1000000, "alert", "long " + "word " * 400, HOST="mail3"))
    expected = {}
    for level in ("WARN", "INFO"):
        rows = {}
        for us, kind, msg in parts["day1a"] + parts["day1b"]:
            lv, mode = kind.split("_")
            if lv != level:
                continue
            r = rows.setdefault(msg, {"times": [], "mode": mode})
            r["times"].append(us)
            r["mode"] = mode
        out = []
        for msg in sorted(rows, key=lambda m: m.encode()):
            r = rows[msg]
            ts = [fmt_time(x) for x in r["times"]]
            mode = r["mode"]
            if mode == "NONE":
                shown = []
            elif mode == "FIRST":
                shown = ["From : " + ts[0]]
            elif mode == "LAST":
                shown = ["Until: " + ts[-1]]
            elif mode == "FIRSTLAST" and len(ts) > 1:
                shown = ["From : " + ts[0], "Until: " + ts[-1]]
            else:
                shown = ts
            out.append({"count": len(ts), "message": msg, "times": shown})
        expected[level] = out
    # OTHER lines that differ only in a number fold into one row: count, first and last time
    other = [us for us, kind, msg in parts["day1a"] + parts["day1b"] if kind.startswith("OTHER")]
    expected["OTHER"] = [{"count": len(other), "message": "odd thing <n>",
                          "times": ["From : " + fmt_time(other[0]), "Until: " + fmt_time(other[-1])]}]
    expected["hours"] = {}
    for us, kind, msg in parts["day1a"] + parts["day1b"]:
        h = "%02d:00" % datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc).hour
        c = expected["hours"].setdefault(h, [0, 0, 0])
        c[["WARN", "INFO", "OTHER"].index(kind.split("_")[0])] += 1
    # day 1's lines as `luruse report --list` gives them: recorded order, levels
    # and details from their kind, no host
    expected["list"] = [[us] + kind.split("_") + ["", msg] for us, kind, msg in parts["day1a"] + parts["day1b"]]
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL", what)


def parse_mail(path):
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    check(not msg.defects, "%s: defects %s" % (path, msg.defects))
    for part in msg.walk():
        check(not part.defects, "%s: part defects %s" % (path, part.defects))
    for h in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
        check(len(msg.get_all(h) or []) == 1, "%s: exactly one %s header" % (path, h))
    check(msg.get_all("Bcc") is None, "%s: no Bcc header" % path)
    check(email.utils.parsedate_to_datetime(msg["Date"]) is not None, "%s: Date parses" % path)
    for line in raw.split(b"\n"):
        check(len(line) <= 998, "%s: line over 998 bytes" % path)
    return msg, raw


def alerts(maildir):
    msgs = [parse_mail(p)[0] for p in sorted(glob.glob(os.path.join(maildir, "*.eml")))]
    by_subject = {}
    for m in msgs:
        by_subject.setdefault(str(m["Subject"]), []).append(m)
    subjects = sorted(by_subject)
    print("subjects:", subjects)
    check(len(msgs) == 6, "6 alert emails (got %d)" % len(msgs))
    check("Alert from mail1" in by_subject, "plain subject")
    check("Alert from h\u00f4te-\u65e5\u672c" in by_subject, "non-ASCII subject decodes")
    check("Alert from x  Bcc: victim@example.org" in by_subject, "CR LF in a subject became spaces")
    check(len(by_subject.get("Alert from mail2", [])) == 1, "one email for the first of 40 identical alerts")
    summary = by_subject.get("Alert from mail2 [39 more]", [])
    check(len(summary) == 1, "one summary email for the 39 coalesced alerts")
    if summary:
        body = summary[0].get_content()
        check("raised 39 more times" in body, "summary counts the coalesced alerts")
        check("sshd flood" in body, "summary carries the alert text")
    uni = by_subject.get("Alert from h\u00f4te-\u65e5\u672c", [])
    if uni:
        check(uni[0].get_content().rstrip("\n") == "Ünïcödé ✓ message — tschüß", "non-ASCII body decodes")
        check(uni[0]["Content-Transfer-Encoding"] == "quoted-printable", "body is quoted-printable")
        check(uni[0].get_content_charset() == "utf-8", "body charset is utf-8")
    long_ = by_subject.get("Alert from mail3", [])
    if long_:
        check(long_[0].get_content().rstrip("\n") == "long " + "word " * 400, "a 2000-byte line survives")
    for m in msgs:
        check(m["To"] == "admin@test.invalid", "To is email.to")
        check(m["From"] == "luruse-test@test.invalid", "From is email.from")


def parse_text_report(text):
    """The AsciiDoc-like text part -> {WARN: [rows], INFO: [rows], OTHER: [rows]}."""
    heads = {"== WARNING Messages": "WARN", "== Information Messages": "INFO", "== Other log events": "OTHER"}
    sections, cur = {}, None
    for line in text.split("\n"):
        if line in heads:
            cur = heads[line]
            sections[cur] = []
        elif cur:
            sections[cur].append(line)
    out = {}
    for level in ("WARN", "INFO", "OTHER"):
        # Pyruse's layout: "|count|message", then "      |t1 +", "       t2" ...
        rows, row = [], None
        for line in sections.get(level, []):
            m = re.match(r"^\|\s*(\d+)\s*\|(.*)$", line)
            if m:
                row = {"count": int(m.group(1)), "message": m.group(2).replace("\\|", "|"), "times": []}
                rows.append(row)
            elif row is not None and line.startswith("|="):
                row = None
            elif row is not None and line.startswith("      |"):
                t = line[7:].rstrip()
                if t:
                    row["times"].append(t[:-2] if t.endswith(" +") else t)
            elif row is not None and line.startswith("       ") and line.strip():
                t = line.strip()
                row["times"].append(t[:-2] if t.endswith(" +") else t)
        out[level] = rows
    return out


def compare_sections(got, exp):
    for level in ("WARN", "INFO"):
        e = [dict(r, message=r["message"].replace("\n", " ")) for r in exp[level]]
        check(got[level] == e, "%s section rows\n  got  %s\n  want %s" % (level, got[level], e))
    check(got["OTHER"] == exp["OTHER"], "OTHER section\n  got  %s\n  want %s" % (got["OTHER"], exp["OTHER"]))


def report(path, expected_path, title, subject):
    exp = json.load(open(expected_path))
    msg, raw = parse_mail(path)
    check(msg.get_content_type() == "multipart/alternative", "report is multipart/alternative")
    print("report subject:", str(msg["Subject"]))
    check(str(msg["Subject"]) == subject, "report subject is %r (got %r)" % (subject, str(msg["Subject"])))
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    check(text.startswith("= " + title), "text part starts with the title")
    compare_sections(parse_text_report(text), exp)
    check("<script>" not in html and "&lt;script&gt;" in html, "HTML escapes <script>")
    check("<svg" not in html.lower() and "<img" not in html.lower(), "chart without SVG or images")
    for level in ("WARN", "INFO"):
        for row in exp[level]:
            check(html_escape(row["message"].split("\n")[0]) in html, "HTML row for %r" % row["message"][:30])
    for hour, (w, i, o) in exp["hours"].items():
        check(re.search(r">%s<.*?\b%d / %d / %d\b" % (re.escape(hour), w, i, o), html, re.S) is not None,
              "chart row %s shows %d / %d / %d" % (hour, w, i, o))


def html_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def report_text(path, expected_path, day):
    exp = json.load(open(expected_path))
    got = parse_text_report(open(path, encoding="utf-8").read())
    if day == "1":
        compare_sections(got, exp)
    else:
        check(got["INFO"] == [{"count": 1, "message": "Day two begins",
                               "times": [fmt_time(usec(DAY1 + datetime.timedelta(days=1, seconds=5)))]}],
              "pending report holds day 2's INFO line: %s" % got["INFO"])
        check(got["OTHER"] == [{"count": 1, "message": "day two other",
                                "times": [fmt_time(usec(DAY1 + datetime.timedelta(days=1, seconds=6)))]}],
              "pending report holds day 2's OTHER line: %s" % got["OTHER"])
        check(got["WARN"] == [], "no WARN line on day 2")


def unescape(field):
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c != "\\":
            out.append(c); i += 1; continue
        e = field[i + 1]
        if e == "x":
            out.append(chr(int(field[i + 2:i + 4], 16))); i += 4
        else:
            out.append({"\\": "\\", "t": "\t", "n": "\n"}[e]); i += 2
    return "".join(out)


def report_list(path, expected_path):
    """`luruse report --list`: one line per report line, five tab-separated
    fields, control bytes escaped; unescaped, the lines of day 1 in order."""
    exp = json.load(open(expected_path))["list"]
    raw = open(path, encoding="utf-8").read()
    check(raw.endswith("\n"), "the list ends with a newline")
    rows = raw.split("\n")[:-1]
    check(all(len(r.split("\t")) == 5 for r in rows), "five fields on every line: %r" % rows[:3])
    check(not any(ord(c) < 0x20 and c != "\t" for r in rows for c in r), "no raw control byte")
    got = []
    for r in rows:
        f = r.split("\t")
        got.append([int(f[0]), f[1], f[2], unescape(f[3]), unescape(f[4])])
    check(got == exp, "the lines\n  got  %s\n  want %s" % (got, exp))


def main():
    cmd = sys.argv[1]
    if cmd == "corpus":
        corpus(sys.argv[2])
    elif cmd == "alerts":
        alerts(sys.argv[2])
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    elif cmd == "report-text":
        report_text(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "report-list":
        report_list(sys.argv[2], sys.argv[3])
    else:
        sys.exit("unknown command " + cmd)
    if FAILS:
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
