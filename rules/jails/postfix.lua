-- Postfix (Debian 12: 3.7.x). Postfix logs to syslog: without rsyslog its
-- lines are in the journal as SYSLOG_IDENTIFIER "<syslog_name>/<daemon>":
-- postfix/smtpd, postfix/submission/smtpd, postfix/smtps/smtpd and
-- postfix/submissions/smtpd (master.cf's -o syslog_name=...), postfix/postscreen.
-- The identifier is matched by a pattern: any syslog_name beginning with
-- "postfix", a second instance's included (postmulti: "postfix-out/smtpd").
-- Every process of Debian's default instance runs in postfix@-.service, so
-- the unit is matched too (a syslog_name of another form in that instance).
-- Written from src/smtpd/smtpd.c (too many errors, improper pipelining,
-- non-SMTP command, illegal address syntax), src/smtpd/smtpd_sasl_glue.c
-- (SASL <mech> authentication failed: <reason>[, sasl_username=...]),
-- src/smtpd/smtpd_check.c (the "NOQUEUE: reject: <stage> from name[addr]:
-- <code> <dsn> ...; from=<> to=<> proto= helo=<>" lines) and
-- src/postscreen/ (PREGREET, DNSBL rank, DENYLISTED, NON-SMTP COMMAND,
-- COMMAND PIPELINING, BARE NEWLINE, COMMAND ... LIMIT, its own rejects);
-- the reject texts are smtpd_check.c's (reject_rbl_client/reject_rhsbl_*
-- "Service unavailable; <what> [<name>] blocked using <list>", check_*_access
-- "Access denied", reject_sender_login_mismatch "not logged in",
-- reject_unauth_pipelining), the rate limits smtpd.c's "<what> rate limit
-- exceeded: N from name[addr] for service S". Source:
-- github.com/vdukhovni/postfix, postfix/src/ (3.7 branch).
-- smtpd names the client name[addr] (IPv6 bare: unknown[2001:db8::1]),
-- postscreen [addr]:port; a host name holds no '[' (Postfix keeps only
-- verified, valid names, else "unknown"), so the first bracket is the
-- client: the HELO name, addresses and SASL user name all come after it.
-- Temporary rejects that a real server meets (greylisting, 4.3.2 postscreen
-- tests, DNS failures, a lost authentication server) are left out.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local CLIENT = [=[[^\[\s]*\[]=] .. IP .. [=[\]]=]

L.jail "postfix" {
  -- postfix/smtpd, postfix/submission/smtpd (master.cf's -o syslog_name),
  -- postfix-INSTANCE/smtpd (postmulti), postfix/postscreen
  identifier = { pattern = [[^postfix(?:-[\w.-]+)?/(?:[\w.-]+/)?(?:smtpd|postscreen)$]] },
  unit = "postfix@-.service",
  failures = {
    -- smtpd_sasl_glue.c: a failed AUTH (not when the SASL server is away)
    [[^warning: ]] .. CLIENT .. [[: SASL [-\w]+ authentication failed: (?!Connection lost to authentication server)]],
    -- smtpd_check.c and postscreen: permanent rejects of a client, a relay, a recipient
    [[^(?:NOQUEUE|\w+): reject: (?:CONNECT|HELO|EHLO|MAIL|RCPT|DATA|BDAT|END-OF-MESSAGE|VRFY|ETRN) from ]] .. CLIENT ..
      [[(?::\d+)?: (?:[45]\d\d [45]\.7\.1 Service unavailable; (?:Client host|client|Unverified Client host|Sender address|Helo command|Recipient address) \[[^\]\s]+\] blocked using \S+|[45]\d\d [45]\.7\.1 <.*>: Relay access denied|[45]\d\d [45]\.1\.1 <.*>: Recipient address rejected: (?:User unknown in [a-z ]+ table|undeliverable address)|5\d\d 5\.\d\.\d+ (?:<.*>: )?(?:Client host rejected: (?:cannot find your (?:reverse )?hostname|Access denied)|Helo command rejected: (?:need fully-qualified hostname|Invalid name|Host not found|Access denied)|Sender address rejected: (?:Domain not found|need fully-qualified address|Access denied|not logged in)|Recipient address rejected: (?:Access denied|need fully-qualified address)|Data command rejected: Improper use of SMTP command pipelining))]],
    -- smtpd.c: protocol abuse
    [[^too many errors after [-\w]+(?: \(\d+ bytes\))? from ]] .. CLIENT .. [[$]],
    [[^improper command pipelining after [-\w]+ from ]] .. CLIENT .. [[: ]],
    [[^warning: non-SMTP command from ]] .. CLIENT .. [[: ]],
    [[^warning: Illegal address syntax from ]] .. CLIENT .. [[ in \w+ command: ]],
    -- smtpd.c with anvil: a client over smtpd_client_connection_rate_limit or
    -- smtpd_client_auth_rate_limit (a legitimate client stays far below them)
    [[^warning: (?:Connection|AUTH command) rate limit exceeded: \d+ from ]] .. CLIENT .. [[ for service \S+$]],
    -- postscreen: a client that talks first, is listed, or is no SMTP client
    [[^PREGREET \d+ after [\d.]+ from \[]] .. IP .. [[\]:\d+: ]],
    [[^DNSBL rank \d+ for \[]] .. IP .. [[\]:\d+$]],
    [[^(?:DENYLISTED|BLACKLISTED) \[]] .. IP .. [[\]:\d+$]],
    [[^(?:NON-SMTP COMMAND|COMMAND PIPELINING|BARE NEWLINE) from \[]] .. IP .. [[\]:\d+ after ]],
    [[^COMMAND (?:TIME|COUNT|LENGTH) LIMIT from \[]] .. IP .. [[\]:\d+ after ]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "SMTP abuse from {ip}",
}
