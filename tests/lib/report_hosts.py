#!/usr/bin/env python3
"""Corpus and checks for tests/test_report_hosts.sh and test_report_html.sh
(standard library only). Times are UTC (the tests set TZ=UTC).

  report_hosts.py corpus GEN.export DAY1.export DAY2.export EXPECTED.json
      day 1: bench/gen_journal.py's entries of four hosts, plus two `alertme`
      entries (emailed by the rules); day 2: one entry after midnight, which
      sends day 1's report. EXPECTED.json: what tests/data/report_hosts.lua
      must make of day 1, computed here without luruse.
  report_hosts.py report EML EXPECTED.json IPSET.log ROWS HTML_OUT
      checks the report email's text part (summary, host sections, folded
      OTHER rows) against the corpus and the stand-in ipset's log; writes the
      HTML part to HTML_OUT
  report_hosts.py parts EML HTML_OUT TEXT_OUT   the report's two parts, as files
  report_hosts.py html DOM.html TEXT_OUT EXPECTED.json   (the DOM chromium dumped)
  report_hosts.py png FILE WIDTH HEIGHT    the screenshot's size and chart colours
"""
import email
import email.policy
import html.parser
import json
import re
import struct
import sys
import zlib

DAY1 = 1709510400 * 1000000  # 2024-03-04 00:00 UTC: gen_journal.py's default start
DAY2 = DAY1 + 86400 * 1000000
OTHER_IDS = ("nginx", "haproxy", "systemd", "kernel")
SSH_FAIL = re.compile(r"^Failed \S+ for .* from (?P<ip>\S+) port \d+")
FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL", what)


def parse_raw(data):
    """Journal Export Format -> [(fields: dict str -> bytes, raw entry bytes)]."""
    out, cur, start, i, n = [], {}, 0, 0, len(data)
    while i < n:
        j = data.find(b"\n", i)
        line = data[i:j]
        if not line:
            if cur:
                out.append((cur, data[start:j + 1]))
                cur = {}
            i = start = j + 1
            continue
        if b"=" in line:
            k, v = line.split(b"=", 1)
            i = j + 1
        else:
            k = line
            (ln,) = struct.unpack("<Q", data[j + 1:j + 9])
            v = data[j + 9:j + 9 + ln]
            i = j + 10 + ln
        cur.setdefault(k.decode(), v)
    return out


def field(entry, name):
    v = entry.get(name)
    return v.decode("utf-8", "replace") if v is not None else None


def entry_bytes(us, host, boot, mono, ident, message):
    return ("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n_HOSTNAME=%s\n"
            "SYSLOG_IDENTIFIER=%s\nPRIORITY=3\nMESSAGE=%s\n\n"
            % (us, mono, boot, host, ident, message)).encode()


def corpus(gen, day1, day2, expected_path):
    entries = parse_raw(open(gen, "rb").read())
    boots = {}
    for e, _ in entries:
        boots.setdefault(field(e, "_HOSTNAME"), (field(e, "_BOOT_ID"),
                         int(e["__REALTIME_TIMESTAMP"]) - int(e["__MONOTONIC_TIMESTAMP"])))
    last = max(int(e["__REALTIME_TIMESTAMP"]) for e, _ in entries)
    if last >= DAY2:
        sys.exit("the generated corpus goes past day 1")
    # two alerts on host mail, at 01:00 and 01:05, among the others by time
    boot, offset = boots["mail"]
    extra = [(DAY1 + k * 300 * 1000000 + 3600 * 1000000, "mail", boot, offset, "alertme",
              "disk %d almost full" % k) for k in (0, 1)]
    rows = [(int(e["__REALTIME_TIMESTAMP"]), raw, e) for e, raw in entries]
    for us, host, b, off, ident, msg in extra:
        raw = entry_bytes(us, host, b, us - off, ident, msg)
        rows.append((us, raw, parse_raw(raw)[0][0]))
    rows.sort(key=lambda r: r[0])
    with open(day1, "wb") as f:
        for _, raw, _ in rows:
            f.write(raw)
    boot, offset = boots["dmz"]
    t2 = DAY2 + 1800 * 1000000
    with open(day2, "wb") as f:
        f.write(entry_bytes(t2, "dmz", boot, t2 - offset, "daytwo", "a new day"))
    exp = {"entries": {}, "services": {}, "other": {}, "warn": {}, "info": {}, "refused": 0,
           "total": len(rows)}
    for _, _, e in rows:
        host, ident = field(e, "_HOSTNAME"), field(e, "SYSLOG_IDENTIFIER") or field(e, "_SYSTEMD_UNIT")
        msg = field(e, "MESSAGE") or ""
        exp["entries"].setdefault(host, {}).setdefault(ident, 0)
        exp["entries"][host][ident] += 1
        exp["services"][ident] = exp["services"].get(ident, 0) + 1
        # the chains of report_hosts.lua, in order (Pyruse's linking: the first that applies)
        if ident == "sshd":
            if SSH_FAIL.search(msg):
                exp["warn"][host] = exp["warn"].get(host, 0) + 1
            continue
        if ident in ("alertme",):
            continue
        if ident == "mandb":
            exp["refused"] += 1
        elif ident == "su":
            exp["info"][host] = exp["info"].get(host, 0) + 1
        elif ident in OTHER_IDS:
            exp["other"][host] = exp["other"].get(host, 0) + 1
    json.dump(exp, open(expected_path, "w"), indent=1, sort_keys=True)


def sections(text):
    """{"summary": [lines], host: {"head": [lines], "WARN": [...], "INFO": [...], "OTHER": [...]}}"""
    heads = {"=== WARNING Messages": "WARN", "=== Information Messages": "INFO",
             "=== Other log events": "OTHER"}
    out, host, cur = {"summary": []}, None, "summary"
    for line in text.split("\n"):
        m = re.match(r"^== Host (.*)$", line)
        if m:
            host = m.group(1)
            out[host] = {"head": [], "WARN": [], "INFO": [], "OTHER": []}
            cur = "head"
        elif line in heads and host:
            cur = heads[line]
        elif line.startswith("== ") and line != "== Summary":
            host, cur = None, None
        elif cur == "summary":
            out["summary"].append(line)
        elif host and cur:
            out[host][cur].append(line)
    return out


def rows_of(lines):
    """Pyruse's table rows: "|count|message" lines -> [(count, message)]."""
    return [(int(m.group(1)), m.group(2)) for m in
            (re.match(r"^\|\s*(\d+)\s*\|(.*)$", line) for line in lines) if m]


def table(lines, title):
    """An aligned summary table whose first header cell is title -> [[cells]]."""
    out, inside = [], False
    for line in lines:
        cells = [c.strip() for c in line[1:].split("|")] if line.startswith("|") else None
        if cells and cells[0] == title:
            inside = True
        elif inside and line == "|===":
            return out
        elif inside and cells:
            out.append(cells)
    return out


def report(eml, expected_path, ipset_log, rows, html_out):
    exp = json.load(open(expected_path))
    with open(eml, "rb") as f:
        msg = email.message_from_bytes(f.read(), policy=email.policy.default)
    check(not msg.defects and all(not p.defects for p in msg.walk()), "MIME without defects")
    check(msg.get_content_type() == "multipart/alternative", "multipart/alternative")
    text = msg.get_body(preferencelist=("plain",)).get_content()
    open(html_out, "w").write(msg.get_body(preferencelist=("html",)).get_content())
    open(html_out + ".txt", "w").write(text)
    s = sections(text)
    summary = s["summary"]
    # the period: day 1's first and last entries (report lines and figures)
    check(re.search(r"^From 2024-03-04 00:00:\d\d to 2024-03-04 \d\d:\d\d:\d\d, \d+ lines\.$",
                    text, re.M) is not None, "the period is day 1, to the second")
    hosts = {h: sum(v.values()) for h, v in exp["entries"].items()}
    check("Entries read: %d, from %d hosts." % (exp["total"], len(hosts)) in summary,
          "summary: %d entries from %d hosts" % (exp["total"], len(hosts)))
    got_hosts = {c[0]: int(c[1]) for c in table(summary, "Host")}
    check(got_hosts == hosts, "entries per host: got %s, want %s" % (got_hosts, hosts))
    services = sorted(exp["services"].items(), key=lambda kv: (-kv[1], kv[0]))
    got_services = table(summary, "Service")
    want = [[k, str(v)] for k, v in services[:15]]
    if len(services) > 15:
        want.append(["(%d more services)" % (len(services) - 15), str(sum(v for _, v in services[15:]))])
    check(got_services == want, "entries per service:\n  got  %s\n  want %s" % (got_services, want))
    # bans: every add the stand-in ipset saw, the IPv6 ones refused by it
    adds = [l.split() for l in open(ipset_log) if l.split()[:1] == ["add"]]
    refused6 = sum(1 for a in adds if ":" in a[2])
    by_addr = {}
    for a in adds:
        by_addr[a[2]] = by_addr.get(a[2], 0) + 1
    check(len(adds) > 3 and refused6 > 0, "the corpus makes bans, some of IPv6 (%d, %d)" % (len(adds), refused6))
    check(("Bans: %d, of %d addresses:" % (len(adds), len(by_addr))) in summary,
          "summary: %d bans of %d addresses" % (len(adds), len(by_addr)))
    got_bans = table(summary, "Address")
    top = sorted(by_addr.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    want_bans = [[a, "sshd", str(n)] for a, n in top]
    check(got_bans == want_bans, "the most banned:\n  got  %s\n  want %s" % (got_bans, want_bans))
    check("Emails sent: 2." in summary, "summary: the two alerts were sent")
    errors = "Errors of luruse: %d bans refused (the value was no address), %d bans the firewall refused." % (
        exp["refused"], refused6)
    check(errors in summary, "summary: %r" % errors)
    # one section per host that has lines, with its entries line
    with_lines = sorted(set(exp["warn"]) | set(exp["info"]) | set(exp["other"]))
    got_sections = [h for h in s if h != "summary"]
    check(got_sections == with_lines, "host sections %s, want %s" % (got_sections, with_lines))
    for h in with_lines:
        sec = s.get(h, {"head": [], "WARN": [], "INFO": [], "OTHER": []})
        ent = exp["entries"][h]
        check(any(l.startswith("Entries read: %d (" % sum(ent.values())) for l in sec["head"]),
              "%s: its entries line says %d" % (h, sum(ent.values())))
        for level, key in (("WARN", "warn"), ("INFO", "info")):
            got = sum(n for n, _ in rows_of(sec[level]))
            check(got == exp[key].get(h, 0), "%s: %s lines %d, want %d" % (h, level, got, exp[key].get(h, 0)))
        other = rows_of(sec["OTHER"])
        left = 0
        for l in sec["OTHER"]:
            m = re.match(r"^(\d+) more rows? left out \((\d+) lines?\)\.$", l)
            if m:
                left = int(m.group(2))
        want_n = exp["other"].get(h, 0)
        check(sum(n for n, _ in other) + left == want_n,
              "%s: OTHER rows %d + left out %d = %d lines" % (h, sum(n for n, _ in other), left, want_n))
        check(len(other) <= rows, "%s: at most %d OTHER rows (%d)" % (h, rows, len(other)))
        if want_n > 50:
            check(len(other) < want_n / 4, "%s: %d OTHER lines folded into %d rows" % (h, want_n, len(other)))
        for n, m in other:
            check(not re.search(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", m) or n == 1,
                  "%s: a row of %d lines names an address: %s" % (h, n, m[:80]))
        print("%s: %d entries, %d OTHER lines in %d rows (%d left out)" % (
            h, sum(ent.values()), want_n, len(other), left))
    # times to the second everywhere
    check(re.search(r"\d\d:\d\d:\d\d\.\d", text) is None, "no sub-second times")
    folded = [m for h in with_lines for _, m in rows_of(s[h]["OTHER"])]
    check(any("closed keepalive connection" in m and "<ip>" in m and "<n>" in m for m in folded),
          "nginx's keepalive lines folded with <ip> and <n>")


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.tags = [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.parts.append(data)


def html_check(dom, text_path, expected_path):
    exp = json.load(open(expected_path))
    p = Text()
    p.feed(open(dom, encoding="utf-8").read())
    words = " ".join(" ".join(p.parts).split())
    text = open(text_path, encoding="utf-8").read()
    check(not p.tags & {"script", "svg", "img", "style", "iframe", "object"},
          "no script, svg, img, style: %s" % sorted(p.tags))
    hosts = {h: sum(v.values()) for h, v in exp["entries"].items()}
    check("Entries read: %d, from %d hosts." % (exp["total"], len(hosts)) in words, "HTML summary line")
    for h, n in hosts.items():
        check(re.search(r"\b%s %d\b" % (re.escape(h), n), words) is not None, "HTML host row %s %d" % (h, n))
    for line in text.split("\n"):  # the text part's summary lines are in the HTML too
        if line.startswith(("Bans: ", "Emails sent: ", "Errors of luruse: ")):
            check(line in words, "HTML has %r" % line)
    for h in sorted(set(exp["warn"]) | set(exp["info"]) | set(exp["other"])):
        check("Host %s" % h in words, "HTML section of host %s" % h)
    check("Activity per hour" in words, "HTML chart")
    print("DOM text: %d words" % len(words.split()))


def png(path, width, height):
    """Decodes the PNG (8-bit RGB or RGBA) and finds the chart's colours in it."""
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "a PNG file")
    i, idat, w, h, ctype = 8, b"", 0, 0, 0
    while i < len(data):
        (ln,) = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + ln]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            check(depth == 8 and ctype in (2, 6), "8-bit RGB(A) PNG")
        elif kind == b"IDAT":
            idat += body
        i += 12 + ln
    check((w, h) == (int(width), int(height)), "screenshot is %dx%d (got %dx%d)" % (int(width), int(height), w, h))
    bpp = 4 if ctype == 6 else 3
    raw, stride, prev, colours = zlib.decompress(idat), w * bpp, bytearray(w * bpp), {}
    pos = 0
    for _ in range(h):
        f, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            k = bytes(line[x:x + 3])
            colours[k] = colours.get(k, 0) + 1
        prev = line
    print("screenshot %dx%d, %d colours" % (w, h, len(colours)))
    for name, rgb in (("WARN", "d9534f"), ("OTHER", "9e9e9e")):
        check(colours.get(bytes.fromhex(rgb), 0) > 50, "the chart's %s bars (#%s) are drawn" % (name, rgb))
    white = colours.get(b"\xff\xff\xff", 0)
    check(white < w * h * 0.98, "the page is not blank (%d%% white)" % (100 * white // (w * h)))


def main():
    cmd = sys.argv[1]
    if cmd == "corpus":
        corpus(*sys.argv[2:6])
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif cmd == "parts":
        with open(sys.argv[2], "rb") as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
        open(sys.argv[3], "w").write(msg.get_body(preferencelist=("html",)).get_content())
        open(sys.argv[4], "w").write(msg.get_body(preferencelist=("plain",)).get_content())
    elif cmd == "html":
        html_check(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "png":
        png(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit("unknown command " + cmd)
    if FAILS:
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
