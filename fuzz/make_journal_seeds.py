#!/usr/bin/env python3
"""Seeds for fuzz_journal_file: small real journal files, written by
systemd-journal-remote from an export stream (compact and regular formats,
zstd-compressed and binary fields), then cut down to what the direct reader
follows: the header, the entry arrays, the entries and their data objects,
moved up where the hash tables were (every offset the reader follows
rewritten; the hash chains' offsets are left as they were: it never reads
them), and the file's preallocated rest dropped.

    fuzz/make_journal_seeds.py fuzz/corpus/journal_file
"""
import os, struct, subprocess, sys, tempfile

REMOTE = next(p for p in ("/lib/systemd/systemd-journal-remote",
                          "/usr/lib/systemd/systemd-journal-remote") if os.access(p, os.X_OK))


def stream(n, big):
    out = b""
    for i in range(1, n + 1):
        out += b"__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n" % (1700000000000000 + i, 1000 + i)
        out += b"_BOOT_ID=0123456789abcdef0123456789abcdef\nMESSAGE=Failed password for root from 10.0.0.%d port 22 ssh2\n" % i
        out += b"SYSLOG_IDENTIFIER=sshd\nPRIORITY=6\n"
        if big and i % 2 == 0:
            out += b"BIG=" + bytes(97 + (j * 7 + j // 13) % 26 for j in range(900 + i)) + b"\n"
        if i % 3 == 0:
            v = b"a\nb\0c=d"
            out += b"TRACE\n" + struct.pack("<Q", len(v)) + v + b"\n"
        out += b"\n"
    return out


def make(path, n, big, compact):
    with tempfile.TemporaryDirectory() as d:
        j = os.path.join(d, "s.journal")
        env = dict(os.environ, SYSTEMD_JOURNAL_COMPACT="1" if compact else "0")
        subprocess.run([REMOTE, "--split-mode=none", "-o", j, "-"], input=stream(n, big),
                       env=env, check=True, stderr=subprocess.DEVNULL)
        b = bytearray(open(j, "rb").read())
    open(path, "wb").write(shrink(b))


def shrink(b):
    header_size, = struct.unpack_from("<Q", b, 88)
    tail, = struct.unpack_from("<Q", b, 136)
    compact = struct.unpack_from("<I", b, 12)[0] & 16
    keep, moved, off, new = [], {}, header_size, header_size
    while off <= tail:
        typ, size = b[off], struct.unpack_from("<Q", b, off + 8)[0]
        if typ in (1, 2, 3, 6):  # data, field, entry, entry array
            moved[off] = new
            keep.append((off, size))
            new += (size + 7) & ~7
        off += (size + 7) & ~7
    out = bytearray(b[:header_size])
    for off, size in keep:
        o = bytearray(b[off:off + size])
        item = 4 if compact else 8
        if o[0] == 6:  # entry array: next, then items
            nxt, = struct.unpack_from("<Q", o, 16)
            struct.pack_into("<Q", o, 16, moved.get(nxt, 0))
            for p in range(24, size - item + 1, item):
                v, = struct.unpack_from("<I" if compact else "<Q", o, p)
                struct.pack_into("<I" if compact else "<Q", o, p, moved.get(v, 0))
        elif o[0] == 3:  # entry: items from 64 (offset, and a hash when regular)
            stride = 4 if compact else 16
            for p in range(64, size - stride + 1, stride):
                v, = struct.unpack_from("<I" if compact else "<Q", o, p)
                struct.pack_into("<I" if compact else "<Q", o, p, moved[v])
        out += o + bytes(((size + 7) & ~7) - size)
    struct.pack_into("<Q", out, 96, len(out) - header_size)       # arena_size
    struct.pack_into("<Q", out, 136, moved[keep[-1][0]])           # tail_object_offset
    struct.pack_into("<Q", out, 176, moved[struct.unpack_from("<Q", b, 176)[0]])  # entry_array_offset
    return bytes(out)


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for n, big, compact in ((3, False, True), (6, True, True), (6, True, False), (40, False, True)):
    make(os.path.join(out, "journal-%d%s-%s" % (n, "-zstd" if big else "", "compact" if compact else "regular")),
         n, big, compact)
