-- Exim 4.96 (Debian 12) lines, as exim4 writes them to /var/log/exim4/mainlog.
local M = "/var/log/exim4/mainlog"
return {
  jail = "exim",
  ident = "exim",
  failures = {
    { log = M, "2024-03-04 00:08:18 dovecot_login authenticator failed for (User) [203.0.113.5]: 535 Incorrect authentication data (set_id=admin@example.org)", ip = "203.0.113.5" },
    { log = M, "2024-03-04 00:08:19 plain_server authenticator failed for mail.example.net (WIN-3HKQ1) [2001:db8::25]:51234 I=[2001:db8::1]:587: 535 Incorrect authentication data (set_id=info)", ip = "2001:db8::25" },
    { log = M, "2024-03-04 00:08:20 [4711] login_saslauthd_server authenticator failed for ([198.51.100.7]) [198.51.100.7]:40000: 535 Incorrect authentication data", ip = "198.51.100.7" },
    { log = M, "2024-03-04 00:08:21 H=(WIN-3HKQ1) [192.0.2.44] F=<spam@example.com> rejected RCPT <victim@example.net>: relay not permitted", ip = "192.0.2.44" },
    { log = M, "2024-03-04 00:08:22 H=host.example.com [198.51.100.30]:2525 I=[192.0.2.1]:25 F=<a@example.com> rejected RCPT <nobody@example.org>: Unrouteable address", ip = "198.51.100.30" },
    { log = M, "2024-03-04 00:08:23 H=(x) [2001:db8:5::3] F=<a@example.com> rejected RCPT <b@example.org>: rejected because 2001:db8:5::3 is in a black list at zen.spamhaus.org", ip = "2001:db8:5::3" },
    { log = M, "2024-03-04 00:08:24 SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[203.0.113.80]:45000 input=\"GET / HTTP/1.1\\r\\nHost: mail\\r\\n\"", ip = "203.0.113.80" },
    { log = M, "2024-03-04 00:08:25 SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected \"EHLO scanner\" H=([192.0.2.81]) [192.0.2.81]:1000 next input=\"MAIL FROM:<a@b>\\r\\n\"", ip = "192.0.2.81" },
    { log = M, "2024-03-04 00:08:26 SMTP call from (000000) [203.0.113.82]:39480 dropped: too many syntax or protocol errors (last command was \"123\")", ip = "203.0.113.82" },
    { log = M, "2024-03-04 00:08:27 SMTP call from scan.example.com [198.51.100.83]:46642 I=[192.0.2.1]:25 Ci=166533 dropped: too many nonmail commands (last was \"RSET\")", ip = "198.51.100.83" },
    { log = M, "2024-03-04 00:08:28 SMTP protocol error in \"AUTH LOGIN\" H=(User) [2001:db8::84]:5000 AUTH command used when not advertised", ip = "2001:db8::84" },
    { log = M, "2024-03-04 00:08:29 rejected EHLO from [203.0.113.85]:6000: syntactically invalid argument(s): a b", ip = "203.0.113.85" },
    { log = M, "2024-03-04 00:08:30.123 +0100 H=(x) [192.0.2.86] F=<> rejected RCPT <root@example.org>: Unknown user", ip = "192.0.2.86" },
    { log = M, "2024-03-04 00:08:33 dovecot_login authenticator failed for (User) [2001:db8:3::33]: 535 Incorrect authentication data (set_id=test@example.org)", ip = "2001:db8:3::33" },
    { log = M, "2024-03-04 00:08:34 H=(localhost) [203.0.113.34] rejected EHLO or HELO localhost: Invalid HELO name (see RFC 5321)", ip = "203.0.113.34" },
    { log = M, "2024-03-04 00:08:35 H=(x) [198.51.100.35] F=<spoof@example.org> rejected MAIL <spoof@example.org>: Authentication required for local senders", ip = "198.51.100.35" },
    { log = M, "2024-03-04 00:08:36 H=(WIN-3HKQ1) [192.0.2.36] F=<a@example.com> rejected RCPT <b@example.org>: Sender verify failed", ip = "192.0.2.36" },
    { log = M, "2024-03-04 00:08:37 H=[203.0.113.37] rejected connection in \"connect\" ACL: Too many connections", ip = "203.0.113.37" },
    { log = M, "2024-03-04 00:08:38 SMTP call from [2001:db8::38] dropped: too many unrecognized commands (last was \"GET / HTTP/1.1\")", ip = "2001:db8::38" },
    { log = M, "2024-03-04 00:08:39 SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[2001:db8::39]:4000 input=\"EHLO x\\r\\n\"", ip = "2001:db8::39" },
    -- planted addresses: the HELO literal, set_id, sender, command texts
    { log = M, "2024-03-04 00:08:31 dovecot_plain authenticator failed for ([10.0.0.1]) [203.0.113.90]:1: 535 Incorrect authentication data (set_id=x for ([10.0.0.1]) [10.0.0.1]: 535 Incorrect authentication data)", ip = "203.0.113.90" },
    { log = M, "2024-03-04 00:08:32 H=([10.0.0.1]) [198.51.100.91] F=<x@[10.0.0.1]> rejected RCPT <H=[10.0.0.1]>: relay not permitted", ip = "198.51.100.91" },
  },
  harmless = {
    { log = M, "2024-03-04 00:09:00 1rh3Xa-000abc-Ab <= alice@example.org H=mail.example.net [2001:db8::25]:51234 I=[2001:db8::1]:587 P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:alice S=1234 id=x@example.net" },
    { log = M, "2024-03-04 00:09:01 1rh3Xa-000abc-Ab => bob <bob@example.org> R=local_user T=mail_spool" },
    { log = M, "2024-03-04 00:09:02 1rh3Xa-000abc-Ab Completed" },
    { log = M, "2024-03-04 00:09:03 exim 4.96 daemon started: pid=1234, -q30m, listening for SMTP on port 25 (IPv6 and IPv4)" },
    { log = M, "2024-03-04 00:09:04 H=mail.example.net [198.51.100.5] F=<a@example.net> temporarily rejected RCPT <b@example.org>: greylisted" },
    { log = M, "2024-03-04 00:09:05 plain_server authenticator failed for (x) [203.0.113.9]: 435 Unable to authenticate at present (set_id=alice)" },
    { log = M, "2024-03-04 00:09:06 SMTP connection from (x) [203.0.113.9]:4000 lost D=0.1s" },
    -- an authenticated user's typo
    { log = M, "2024-03-04 00:09:08 H=mail.example.net [198.51.100.5] A=dovecot_plain:alice F=<alice@example.org> rejected RCPT <bbo@example.net>: Unrouteable address" },
    { log = M, "2024-03-04 00:09:09 H=mail.example.net [198.51.100.5] F=<a@example.net> temporarily rejected MAIL <a@example.net>: Could not complete sender verify" },
    { log = M, "2024-03-04 00:09:10 SMTP connection from mail.example.net [198.51.100.5] closed by QUIT" },
    -- a command text holding a quote and a forged host: not counted, for no one
    { log = M, "2024-03-04 00:09:07 SMTP protocol error in \"AUTH x\" H=[10.0.0.1] AUTH command used when not advertised\" H=(h) [203.0.113.9] AUTH command used when not advertised" },
    -- rejectlog repeats mainlog's lines: not read
    { log = "/var/log/exim4/rejectlog", "2024-03-04 00:08:21 H=(WIN-3HKQ1) [192.0.2.44] F=<spam@example.com> rejected RCPT <victim@example.net>: relay not permitted" },
  },
}
