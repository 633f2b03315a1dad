-- Exim (Debian 12: exim4 4.96). Debian's exim4 writes its own logs,
-- /var/log/exim4/mainlog and /var/log/exim4/rejectlog (log_file_path
-- /var/log/exim4/%slog); nothing reaches the journal. Every line written to
-- rejectlog is also written to mainlog (log_write(..., LOG_MAIN|LOG_REJECT)),
-- so only mainlog is read: reading both would count each failure twice.
-- Written from src/smtp_in.c (authenticator failed, protocol
-- synchronization errors, SMTP protocol error, dropped sessions, rejected
-- HELO/EHLO), src/acl.c (rejected RCPT/MAIL, connections closed by drop) and
-- host_and_ident() in src/smtp_in.c: "[host ](helo) [addr][:port][ I=[addr]:port]"
-- (IPv6 as [2001:db8::1]). The HELO name is syntax-checked by exim (no space
-- nor parenthesis; a literal such as [10.0.0.1] is allowed), so the
-- client's address is the bracket that follows it; the set_id, sender,
-- recipient and command texts come after it, or between quotes that must not
-- hold a quote. Each line starts with exim's date ("2024-03-04 00:08:18",
-- with +millisec / +tz / +pid when log_selector asks for them).
-- Source: github.com/Exim/exim, src/src/ at exim-4.96 (smtp_in.c, acl.c);
-- the "rejected EHLO or HELO" form from acl.c's acl_wherenames[].
local L = require "luruse"

local DATE = [[^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{3})?(?: [-+]\d{4})? (?:\[\d+\] )?]]
local HOST = [[(?:[\w.-]+ )?(?:\([^()\s]*\) )?\[(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)\](?:[:.]\d+)?(?: I=\[[0-9A-Fa-f:.]+\][:.]\d+)?(?: Ci=\d+)?(?: U=\S+)?]]

L.jail "exim" {
  file = { "/var/log/exim4/mainlog", identifier = "exim" },
  failures = {
    -- smtp_in.c: AUTH refused (535; 435 is the server's own trouble)
    DATE .. [[[-\w]+ authenticator failed for (?:H=)?]] .. HOST .. [[: 535 Incorrect authentication data]],
    -- acl.c: RCPT and MAIL refused for good (not "temporarily rejected")
    -- (an authenticated client's, A=, is a user's typo, not counted)
    DATE .. [[H=]] .. HOST .. [[(?: (?!A=)[A-Z][A-Za-z]*=\S+)* F=<.*> rejected RCPT <.*>: ]],
    DATE .. [[H=]] .. HOST .. [[(?: (?!A=)[A-Z][A-Za-z]*=\S+)* (?:F=<.*> )?rejected MAIL <.*>: ]],
    -- acl.c: the HELO ACL (acl_wherenames "EHLO or HELO") refused the greeting
    DATE .. [[H=]] .. HOST .. [[ rejected EHLO or HELO \S+: ]],
    DATE .. [[H=]] .. HOST .. [[ rejected connection in "connect" ACL]],
    DATE .. [[SMTP connection from ]] .. HOST .. [[ closed by DROP in ACL$]],
    -- smtp_in.c: talking before the greeting, pipelining unasked, bad commands
    DATE .. [[SMTP protocol synchronization error \(input sent without waiting for greeting\): rejected connection from H=]] .. HOST .. [[ input=]],
    DATE .. [[SMTP protocol synchronization error \(next input sent too soon: pipelining was(?: not)? advertised\): rejected "[^"]*" H=]] .. HOST .. [[ next input="[^"]*"(?:\.\.\.)?$]],
    DATE .. [[SMTP protocol error in "[^"]*" H=]] .. HOST .. [[ [^"]+$]],
    DATE .. [[SMTP call from ]] .. HOST .. [[ dropped: too many (?:nonmail commands|syntax or protocol errors|unrecognized commands) \(last (?:command )?was "]],
    DATE .. [[rejected [EH]HLO from ]] .. HOST .. [[: syntactically invalid argument\(s\): ]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "SMTP abuse from {ip}",
}
