-- Sendmail (Debian 12: 8.17.1). Debian's daemon runs as "sm-mta" and logs to
-- syslog (facility mail): without rsyslog its lines are in the journal as
-- SYSLOG_IDENTIFIER "sm-mta"; other builds and configurations log as
-- "sendmail". Written from sendmail/srvrsmtp.c (AUTH failure, possible SMTP
-- attack, pre-greeting traffic, RCPT flood, "did not issue MAIL/EXPN/VRFY/ETRN
-- during connection to MTA", "<client>: vrfy <arg> [rejected]"), sendmail/parseaddr.c and
-- sendmail/srvrsmtp.c's rscheck() ("ruleset=check_rcpt, arg1=<addr>,
-- relay=name [addr] (may be forged), reject=550 5.7.1 ..."). The client is
-- "relay=" (CurSmtpClient: "name [addr]", IPv6 as [IPv6:2001:db8::1]).
-- In an AUTH failure the user name comes before relay=, which ends the line:
-- the address is the last one. In a ruleset line the address argument (client
-- text) comes before relay= and is echoed after it, in reject=: arg1 must
-- hold no '<' nor '>', be echoed as it is in reject= ("<arg1>... reason") and
-- be followed by no '<' nor '>' up to the end: a planted "relay=" cannot be
-- taken for the client's. check_relay's arguments are the client's name and
-- address, made by sendmail.
-- Only permanent (5xx) rejects are counted. An unknown local user is logged
-- as "<user>... User unknown" with the queue id only: the client is named
-- in an earlier line of the session, so that line cannot be counted alone.
-- Source: sendmail 8.17.1's sendmail/srvrsmtp.c (ftp.sendmail.org, Debian's
-- sendmail source package 8.17.1.9-2).
local L = require "luruse"

local RELAY = [=[relay=(?:[^\s,\[\]]+ )?\[(?:IPv6:)?(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)\](?: \(may be forged\))?]=]
local QID = [=[^(?:[0-9A-Za-z]{8,20}: )?]=]

L.jail "sendmail" {
  identifier = { "sm-mta", "sendmail" },
  failures = {
    -- srvrsmtp.c: a failed AUTH; the SASL detail (user name) before relay=
    QID .. [=[AUTH failure \([-\w]+\): .*, ]=] .. RELAY .. [=[$]=],
    -- rscheck(): a relay, a sender, a recipient or a client refused for good
    QID .. [=[ruleset=check_(?:rcpt|mail|etrn|expn|vrfy), arg1=(?<arg><[^<>]*>), ]=] .. RELAY .. [=[, reject=5\d\d 5\.\d\.\d+ \k<arg>\.\.\. [^<>]*$]=],
    QID .. [=[ruleset=check_relay, arg1=[^\s,<>]+, arg2=[0-9A-Fa-f:.]+, ]=] .. RELAY .. [=[, reject=5\d\d ]=],
    -- srvrsmtp.c: protocol abuse
    QID .. [=[(?:[^\s\[\]]+ )?\[(?:IPv6:)?(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)\](?: \(may be forged\))?: possible SMTP attack: command=\w+, count=\d+$]=],
    QID .. [=[rejecting commands from (?:[^\s\[\]]+ )?\[(?:IPv6:)?(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)\] due to pre-greeting traffic after \d+ seconds$]=],
    QID .. [=[(?:[^\s\[\]]+ )?\[(?:IPv6:)?(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)\](?: \(may be forged\))?: Possible SMTP RCPT flood, throttling\.$]=],
    -- srvrsmtp.c: a client that connected and never sent mail (scanners,
    -- address harvesters; the commands named vary with PrivacyOptions, the
    -- daemon with DAEMON_OPTIONS: Debian's MTA-v4, MTA-v6, MSP-v4)
    QID .. [=[(?:[^\s\[\]]+ )?\[(?:IPv6:)?(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)\](?: \(may be forged\))? did not issue (?:[A-Z]{4}/?)+ during connection to (?:TLS)?M(?:TA|S[AP])(?:-[\w.-]+)?$]=],
    -- srvrsmtp.c: VRFY/EXPN refused (PrivacyOptions noexpn/novrfy), the
    -- client's text after its address
    QID .. [=[(?:[^\s\[\]]+ )?\[(?:IPv6:)?(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)\](?: \(may be forged\))?: (?i:vrfy|expn)\b.* \[rejected\]$]=],
    -- a recipient refused with only the queue id: the client is the session's
    -- (its from= line, written when the transaction ends, names it)
    [=[^(?<session>[0-9A-Za-z]{8,20}): <[^<>]*>\.\.\. User unknown$]=],
  },
  -- the session's client: the from= line's relay=, the last field; a sender
  -- address holding ", relay=[10.0.0.1]" comes before it and counts nobody
  sessions = {
    [=[^(?<session>[0-9A-Za-z]{8,20}): from=.*, ]=] .. RELAY .. [=[$]=],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "SMTP abuse from {ip}",
}
