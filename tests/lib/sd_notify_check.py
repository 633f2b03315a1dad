#!/usr/bin/env python3
"""Reads what tests/lib/sd_notify_listen.py recorded ("SECONDS\tA=1|B=2" lines)
and checks it:
  sd_notify_check.py watchdog LOG FROM   pings after line FROM: "COUNT MAXGAP FIRST LAST"
                                         (MAXGAP: the longest interval between two pings)
  sd_notify_check.py rates LOG           the periodic STATUS lines agree with themselves:
                                         rate * seconds = entries read in the interval;
                                         prints their count and the last one
  sd_notify_check.py reload LOG N        the Nth RELOADING=1: its MONOTONIC_USEC is the
                                         time it was sent, the next message is READY=1;
                                         prints that message's STATUS
Exit status 1, with the reason, when a check fails."""
import re
import sys


def messages(path):
    out = []
    for line in open(path, encoding="utf-8"):
        t, _, text = line.rstrip("\n").partition("\t")
        fields = {}
        for a in text.split("|"):
            k, _, v = a.partition("=")
            fields[k] = v
        out.append((float(t), fields))
    return out


def fail(why):
    print(why)
    sys.exit(1)


def watchdog(path, first):
    pings = [t for t, f in messages(path)[int(first):] if "WATCHDOG" in f]
    if len(pings) < 2:
        fail("%d pings" % len(pings))
    gap = max(b - a for a, b in zip(pings, pings[1:]))
    print("%d %.2f %.2f %.2f" % (len(pings), gap, pings[0], pings[-1]))


PERIODIC = re.compile(r"^(\d+) entries, (\d+\.\d)/s over the last (\d+\.\d) s")


def rates(path):
    prev, n, last = 0, 0, None
    for _, f in messages(path):
        m = PERIODIC.match(f.get("STATUS", ""))
        if not m:
            continue
        entries, rate, secs = int(m.group(1)), float(m.group(2)), float(m.group(3))
        # both are rounded to 0.1
        if abs(rate * secs - (entries - prev)) > 0.05 * (secs + rate) + 0.01:
            fail("inconsistent: %s (%d entries before)" % (f["STATUS"], prev))
        # every 5 s; later when a step held the loop up (a 3 s sleep in the test)
        if not 4.9 <= secs <= 9:
            fail("interval of %.1f s: %s" % (secs, f["STATUS"]))
        prev, n, last = entries, n + 1, f["STATUS"]
    if not n:
        fail("no periodic STATUS line")
    print("%d %s" % (n, last))


def reload(path, nth):
    msgs = messages(path)
    idx = [i for i, (_, f) in enumerate(msgs) if f.get("RELOADING") == "1"]
    if len(idx) < nth:
        fail("only %d RELOADING=1" % len(idx))
    i = idx[nth - 1]
    t, f = msgs[i]
    sent = int(f.get("MONOTONIC_USEC", "0")) / 1e6
    if abs(sent - t) > 1.0:
        fail("MONOTONIC_USEC %s is not the time it was sent (%.3f)" % (f.get("MONOTONIC_USEC"), t))
    after = [g for _, g in msgs[i + 1:] if "WATCHDOG" not in g or len(g) > 1]
    if not after or after[0].get("READY") != "1":
        fail("after RELOADING=1 came %s" % (after[0] if after else "nothing"))
    print(after[0].get("STATUS", ""))


cmd = sys.argv[1]
if cmd == "watchdog":
    watchdog(sys.argv[2], sys.argv[3])
elif cmd == "rates":
    rates(sys.argv[2])
elif cmd == "reload":
    reload(sys.argv[2], int(sys.argv[3]))
else:
    fail("unknown check " + cmd)
