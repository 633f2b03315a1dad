#!/usr/bin/env python3
"""Stands in for systemd's notification socket: binds a datagram socket at
PATH and writes each message it receives to OUT as one line, "SECONDS\tA=1|B=2",
SECONDS on the monotonic clock, the message's assignments joined by '|'.
Runs until killed.  sd_notify_listen.py PATH OUT"""
import os
import socket
import sys
import time

path, out = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(out, "a", buffering=1, encoding="utf-8") as f:
    while True:
        data = s.recv(65536)
        text = data.decode("utf-8", "replace").strip("\n").replace("\n", "|")
        f.write("%.3f\t%s\n" % (time.monotonic(), text))
