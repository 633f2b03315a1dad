-- Dovecot (Debian 12: 2.3.19.1). Debian's dovecot logs to syslog
-- (log_path = syslog, facility mail): without rsyslog its lines are in the
-- journal as SYSLOG_IDENTIFIER "dovecot", each prefixed with the process that
-- wrote it ("imap-login: ", "auth-worker(123): "...). Written from
-- src/login-common/client-common.c (the disconnect line, built from
-- login_log_format_elements "user=<%u> method=%m rip=%r lip=%l mpid=%e %c
-- session=<%{session}>", elements that expand to nothing left out) and from
-- src/auth/auth-request.c (the auth_verbose = yes lines: "pam(user,rip):
-- unknown user", "sql(user,rip,<session>): Password mismatch").
-- The user name is the client's to choose and comes before rip=: the address
-- is always the last rip=, followed by the fixed tail of server-made elements
-- up to the end of the line. rip may be an IPv4-mapped IPv6 address
-- (::ffff:203.0.113.5): the IPv4 address is counted.
local L = require "luruse"

local IP = [[(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)]]

L.jail "dovecot" {
  identifier = "dovecot",
  failures = {
    -- login processes: a session that ended after failed logins ("Disconnected",
    -- "Disconnected: <reason>", "Aborted login", 2.3.21's "Login aborted: <reason> ... (auth_failed)")
    [[^(?:imap|pop3|submission|managesieve|lmtp)-login: (?:Info: )?(?:Disconnected|Aborted login|Login aborted)(?::? [^()]*)? \((?:auth failed, \d+ attempts?(?: in \d+ secs?)?|tried to use (?:disallowed|disabled) \S+ auth|proxy dest auth failed)\)(?: \(\w+\))?: (?:user=<.*>, )?(?:method=\S+, )?rip=]] .. IP .. [[, lip=[0-9A-Fa-f:.]+(?:, mpid=\d+)?(?:, (?:TLS|secured|TLS handshaking|TLS: )[^<>]*)?(?:, session=<[^<>]*>)?$]],
    -- auth process with auth_verbose = yes: each failed password, each unknown user
    [[^auth(?:-worker\(\d+\))?: (?:Info: )?[a-z][a-z0-9-]*\(.*,]] .. IP .. [[(?:,<[^<>]*>)?\): (?:unknown user|[Pp]assword mismatch|Invalid password|pam_authenticate\(\) failed: (?:Authentication failure \([Pp]assword mismatch\?\)|User not known to the underlying authentication module(?: \(unknown user\))?|Permission denied))$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "IMAP/POP failure from {ip}",
}
