#!/usr/bin/env python3
"""Reads the sample messages written by `test_mail --write DIR` back with
Python's email package (policy.default), as an independent MIME reader.

  mail_mime_check.py DIR

DIR/expected.json lists the samples with their raw inputs in hex; what the
reader must see is derived here, with Python's own UTF-8 decoder:
  subject  invalid UTF-8 -> U+FFFD, then every control character -> a space
  bodies   invalid UTF-8 -> U+FFFD, CRLF -> LF
Prints each failure; exit status 1 on any, 0 when all is fine.
"""
import email
import email.policy
import email.utils
import json
import os
import sys
import unicodedata

HEADERS = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
           "Auto-Submitted", "Content-Type"]
ALLOWED = set(h.lower() for h in HEADERS) | {"content-transfer-encoding"}

failures = []


def fail(sample, what):
    failures.append("%s: %s" % (sample, what))


def text(hexstr):
    return bytes.fromhex(hexstr).decode("utf-8", "replace")


def header_text(hexstr):
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text(hexstr))


def body_text(hexstr):
    return text(hexstr).replace("\r\n", "\n")


def check_raw(name, data):
    if not data.endswith(b"\n"):
        fail(name, "message does not end with a line break")
    if b"\r" in data:
        fail(name, "CR in the raw message (local line ends expected)")
    try:
        data.decode("ascii")
    except UnicodeDecodeError:
        fail(name, "raw message is not 7-bit")
    head, sep, body = data.partition(b"\n\n")
    if not sep:
        fail(name, "no blank line after the headers")
    for line in head.split(b"\n"):
        if len(line) > 78:
            fail(name, "header line of %d characters: %r" % (len(line), line[:100]))
    for line in body.split(b"\n"):
        if len(line) > 76:
            fail(name, "body line of %d characters: %r" % (len(line), line[:100]))


def check_headers(name, msg, exp):
    for h in HEADERS:
        n = len(msg.get_all(h) or [])
        if n != 1:
            fail(name, "%s header present %d times" % (h, n))
    for key in msg.keys():
        if key.lower() not in ALLOWED:
            fail(name, "unexpected header %r: %r" % (key, str(msg[key])))
    if msg.get_all("Bcc"):
        fail(name, "a Bcc header was injected")
    if str(msg.get("Auto-Submitted", "")) != "auto-generated":
        fail(name, "Auto-Submitted is %r" % str(msg.get("Auto-Submitted")))
    if str(msg.get("MIME-Version", "")) != "1.0":
        fail(name, "MIME-Version is %r" % str(msg.get("MIME-Version")))
    for key, value in msg.items():
        hostile = exp["hostile_addresses"] and key in ("From", "To")
        if getattr(value, "defects", None) and not hostile:
            fail(name, "%s header defects: %r" % (key, value.defects))

    want = header_text(exp["subject"])
    got = str(msg["Subject"])
    if got != want:
        fail(name, "Subject reads %r, expected %r" % (got, want))

    try:
        date = email.utils.parsedate_to_datetime(str(msg["Date"]))
        if int(date.timestamp()) != exp["date_usec"] // 1000000:
            fail(name, "Date %r is not %d" % (str(msg["Date"]), exp["date_usec"]))
        if date.tzinfo is None:
            fail(name, "Date %r has no zone" % str(msg["Date"]))
    except (TypeError, ValueError) as e:
        fail(name, "Date %r does not parse: %s" % (str(msg["Date"]), e))

    mid = str(msg["Message-ID"])
    if not (mid.startswith("<") and mid.endswith(">") and "@" in mid):
        fail(name, "Message-ID %r" % mid)

    if exp["hostile_addresses"]:
        return
    want_from = [(text(exp["from"]), text(exp["from_addr"]))]
    got_from = [(a.display_name, a.addr_spec) for a in msg["From"].addresses]
    if got_from != want_from:
        fail(name, "From reads %r, expected %r" % (got_from, want_from))
    want_to = [(text(d), text(a)) for d, a in exp["to"]]
    got_to = [(a.display_name, a.addr_spec) for a in msg["To"].addresses]
    if got_to != want_to:
        fail(name, "To reads %r, expected %r" % (got_to, want_to))


def check_part(name, part, subtype, want):
    if part is None:
        fail(name, "no text/%s part" % subtype)
        return
    if part.get_content_type() != "text/" + subtype:
        fail(name, "part is %s, not text/%s" % (part.get_content_type(), subtype))
    if part.get_content_charset() != "utf-8":
        fail(name, "text/%s charset %r" % (subtype, part.get_content_charset()))
    if part["Content-Transfer-Encoding"] != "quoted-printable":
        fail(name, "text/%s is not quoted-printable" % subtype)
    if part.defects:
        fail(name, "text/%s defects: %r" % (subtype, part.defects))
    got = part.get_content()
    if got != want:
        at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        fail(name, "text/%s content differs at %d (lengths %d, %d): got %r, expected %r"
             % (subtype, at, len(got), len(want), got[at - 20:at + 40], want[at - 20:at + 40]))


def check_sample(directory, exp):
    name = exp["file"]
    with open(os.path.join(directory, name), "rb") as f:
        data = f.read()
    check_raw(name, data)
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if msg.defects:
        fail(name, "message defects: %r" % msg.defects)
    check_headers(name, msg, exp)

    if exp["kind"] == "text":
        if msg.is_multipart():
            fail(name, "multipart, expected text/plain")
            return
        check_part(name, msg, "plain", body_text(exp["text"]))
        return

    if msg.get_content_type() != "multipart/alternative":
        fail(name, "%s, expected multipart/alternative" % msg.get_content_type())
        return
    parts = list(msg.iter_parts())
    if [p.get_content_type() for p in parts] != ["text/plain", "text/html"]:
        fail(name, "parts %r" % [p.get_content_type() for p in parts])
    check_part(name, msg.get_body(preferencelist=("plain",)), "plain", body_text(exp["text"]))
    check_part(name, msg.get_body(preferencelist=("html",)), "html", body_text(exp["html"]))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    with open(os.path.join(directory, "expected.json")) as f:
        samples = json.load(f)
    for exp in samples:
        try:
            check_sample(directory, exp)
        except Exception as e:  # a crash in the reader is a failure too
            fail(exp.get("file", "?"), "%s: %s" % (type(e).__name__, e))
    for line in failures:
        print("FAIL", line)
    print("mail_mime_check: %d samples, %d failures" % (len(samples), len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
