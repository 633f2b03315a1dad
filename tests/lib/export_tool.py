#!/usr/bin/env python3
"""Independent helpers for the integration tests (standard library only).

  export_tool.py count FILE FIELD VALUE      entries whose FIELD equals VALUE
  export_tool.py entries FILE                number of entries
  export_tool.py expect FILE                 the step table that tests/data/replay_rules.*
                                             must produce, computed here without luruse
  export_tool.py hostile DIR                 writes hostile Journal Export streams into DIR
"""
import ipaddress
import os
import re
import struct
import sys


def parse(data):
    """Journal Export Format -> list of dicts (bytes -> bytes), first value wins."""
    entries, cur, i, n = [], {}, 0, len(data)
    while i < n:
        j = data.find(b"\n", i)
        if j < 0:
            raise ValueError("truncated line at byte %d" % i)
        line = data[i:j]
        if not line:
            if cur:
                entries.append(cur)
                cur = {}
            i = j + 1
            continue
        if b"=" in line:
            k, v = line.split(b"=", 1)
            i = j + 1
        else:
            k = line
            (ln,) = struct.unpack("<Q", data[j + 1:j + 9])
            v = data[j + 9:j + 9 + ln]
            if data[j + 9 + ln:j + 10 + ln] != b"\n":
                raise ValueError("binary field %r not followed by a newline" % k)
            i = j + 10 + ln
        cur.setdefault(k, v)
    if cur:
        entries.append(cur)
    return entries


def text(v):
    try:
        return v.decode("utf-8")
    except UnicodeDecodeError:
        return v.decode("iso-8859-1")   # luruse's default 8bit-message-encoding


def expect(entries):
    """Mirror of tests/data/replay_rules.json (Pyruse linking, see link.c)."""
    steps = ["Main[0]", "Main[1]", "Main[2]", "Main[3]", "Prio[0]", "Prio[1]", "Prio[2]",
             "Web[0]", "Web[1]"]
    hits = {s: 0 for s in steps}
    passes = {s: 0 for s in steps}
    accepted = re.compile(r"^Accepted (?P<method>\w+) for (?P<user>\S+) from (?P<ip>\S+) port")
    web = [re.compile(r"GET (?P<path>/\S*)"), re.compile(r"POST (?P<path>/\S*)")]
    lan = ipaddress.ip_network("192.168.1.0/24")

    def step(name, ok):
        hits[name] += 1
        if ok:
            passes[name] += 1
        return ok

    for e in entries:
        ident = text(e.get(b"SYSLOG_IDENTIFIER", b""))
        msg = text(e.get(b"MESSAGE", b""))
        to_web = False
        if step("Main[0]", ident == "sshd"):
            m = accepted.search(msg)
            if step("Main[1]", m is not None):
                try:
                    inside = ipaddress.ip_address(m.group("ip")) in lan
                except ValueError:
                    inside = False
                if step("Main[2]", inside):
                    hits["Main[3]"] += 1
                else:
                    to_web = True
            else:
                to_web = True
        else:
            prio = e.get(b"PRIORITY")
            if step("Prio[0]", prio is not None and int(prio) <= 4):
                if step("Prio[1]", ident in ("dovecot", "exim", "nginx")):
                    hits["Prio[2]"] += 1
                else:
                    to_web = True
            else:
                to_web = True
        if to_web and step("Web[0]", any(r.search(msg) for r in web)):
            hits["Web[1]"] += 1
    actions = {"Main[3]", "Prio[2]", "Web[1]"}
    for s in steps:
        print(s, hits[s], "-" if s in actions else passes[s], 0)


def field(name, value):
    """A field in the binary-safe form: NAME\\n <le64 length> value \\n."""
    return name + b"\n" + struct.pack("<Q", len(value)) + value + b"\n"


def entry(ts, ident, msg_field, extra=b""):
    return (b"__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=00112233445566778899aabbccddeeff\n"
            b"PRIORITY=6\nSYSLOG_IDENTIFIER=%s\n" % (ts, ts - 1700000000000000 + 1000, ident)
            + msg_field + extra + b"\n")


def hostile(d):
    base = 1700000000000000
    os.makedirs(d, exist_ok=True)
    # 1. binary-safe MESSAGE with NUL, newline and bytes that are not UTF-8
    binmsg = b"bin\x00ary\nsecond line \xff\xfe\xc3 end"
    with open(os.path.join(d, "binary.export"), "wb") as f:
        f.write(entry(base, b"lrtest", b"MESSAGE=before\n"))
        f.write(entry(base + 1, b"lrtest", field(b"MESSAGE", binmsg),
                      field(b"LRBLOB", b"\x00\x01\x02\xff")))
        f.write(entry(base + 2, b"lrtest", b"MESSAGE=after\n"))
    with open(os.path.join(d, "binary.expected"), "wb") as f:
        # what a rule sees: a MESSAGE that is not UTF-8 is decoded as ISO-8859-1
        for m in (b"before", binmsg.decode("iso-8859-1").encode("utf-8"), b"after"):
            f.write(b"%d:" % len(m) + m + b"\n")
    # 2. a 5 MB MESSAGE, as a text line and in the binary-safe form
    big = (b"0123456789abcdef" * (5 * 1024 * 1024 // 16))[:5 * 1024 * 1024 - 4] + b"TAIL"
    with open(os.path.join(d, "big.export"), "wb") as f:
        f.write(entry(base, b"lrtest", b"MESSAGE=" + big + b"\n"))
        f.write(entry(base + 1, b"lrtest", field(b"MESSAGE", big)))
        f.write(entry(base + 2, b"lrtest", b"MESSAGE=after\n"))
    with open(os.path.join(d, "big.expected"), "wb") as f:
        for m in (big, big, b"after"):
            f.write(b"%d:" % len(m) + (m[-4:] if len(m) > 1000 else m) + b"\n")
    # 3. truncated streams: one good entry, then a cut in various places
    good = entry(base, b"lrtest", b"MESSAGE=good\n")
    cut_binary = entry(base + 1, b"lrtest", field(b"MESSAGE", b"x" * 1000))[:-400]
    cut_length = b"__REALTIME_TIMESTAMP=%d\nMESSAGE\n\x10\x00\x00" % (base + 2)
    cut_line = b"__REALTIME_TIMESTAMP=%d\nSYSLOG_IDENTIFIER=lrt" % (base + 3)
    huge_len = b"__REALTIME_TIMESTAMP=%d\nMESSAGE\n" % (base + 4) + struct.pack("<Q", 2 ** 63) + b"abc\n\n"
    for name, tail in (("cut_binary", cut_binary), ("cut_length", cut_length),
                       ("cut_line", cut_line), ("huge_length", huge_len)):
        with open(os.path.join(d, name + ".export"), "wb") as f:
            f.write(good + tail)


def main():
    cmd = sys.argv[1]
    if cmd == "hostile":
        hostile(sys.argv[2])
        return
    with open(sys.argv[2], "rb") as f:
        entries = parse(f.read())
    if cmd == "entries":
        print(len(entries))
    elif cmd == "count":
        name, value = sys.argv[3].encode(), sys.argv[4].encode()
        print(sum(1 for e in entries if e.get(name) == value))
    elif cmd == "expect":
        expect(entries)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
