-- Dovecot (Debian 12: 2.3.19.1). Debian's dovecot logs to syslog
-- (log_path = syslog, facility mail): without rsyslog its lines are in the
-- journal as SYSLOG_IDENTIFIER "dovecot", each prefixed with the process that
-- wrote it ("imap-login: ", "auth-worker(123): "...); levels above info carry
-- "Error: "/"Warning: ", info none (a file log_path writes "Info: ").
-- Sources (github.com/dovecot/core, release-2.3 branch):
-- * src/login-common/client-common.c: client_destroy() logs the reason, then
--   client_get_extra_disconnect_reason() "(auth failed, %u attempts in %u
--   secs)", "(tried to use disallowed plaintext auth)", "(proxy dest auth
--   failed)", then login_log_format_elements "user=<%u> method=%m rip=%r
--   lip=%l mpid=%e %c session=<%{session}>" (empty elements left out, %c
--   "TLS", "TLS handshaking", "TLS: <error>", "secured"). The reason is
--   "Disconnected", "Disconnected: <stream error>" (which may hold
--   parentheses: "Connection closed: read(size=372) failed: Connection reset
--   by peer"), 2.2's "Aborted login", 2.3.21's "Login aborted: ... (auth_failed)".
-- * src/auth/auth-request.c: get_log_prefix() "<passdb or mech>(<user
--   sanitized>,<rip>[,master][,<session>]): ", then (auth_verbose = yes)
--   "unknown user", "Password mismatch" (AUTH_LOG_MSG_PASSWORD_MISMATCH;
--   passdb-ldap adds " (for LDAP bind)"), with auth_verbose_passwords
--   " (given password: ...)" or " (SHA1 of given password: <hex>)" and
--   " - trying the next passdb"; src/auth/passdb-pam.c "pam_authenticate()
--   failed: <pam_strerror>" (+ " (password mismatch?)" for PAM_AUTH_ERR).
--   2.3's auth-worker adds "conn unix:auth-worker (pid=N,uid=N): auth-worker<N>: ".
-- * Linux-PAM pam_unix (modules/pam_unix/support.c) in Dovecot's auth
--   process, identifier "auth": "pam_unix(dovecot:auth): authentication
--   failure; logname= uid= euid= tty=dovecot ruser= rhost=<rip>[ user=]"
--   (Debian's default passdb is PAM, and auth_verbose is off: for a bad
--   password this and the disconnect line are all there is).
-- The user name is the client's to choose: in the login line it comes before
-- rip= and the address is the last rip=, followed by the fixed tail of
-- server-made elements; in the auth lines the address is the last one before
-- the fixed message (the user part never runs into the echo of a password:
-- an address planted in the password is not taken); the
-- pam_unix line is anchored from its start, every field before rhost= one
-- word. rip may be an IPv4-mapped IPv6 address (::ffff:203.0.113.5): the IPv4
-- address is counted.
local L = require "luruse"

local IP = [[(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)]]
-- the reason before "(auth failed ...)": server text, parentheses paired, no '<'
local REASON = [[(?::? (?:[^()<>]|\([^()<>]*\))*?)?]]
-- what auth_verbose_passwords and a passdb chain append
local PASSWORD_TAIL = [[(?: \((?:SHA1 of )?given password: [^()]*\))? ?(?: - trying the next (?:passdb|userdb))?$]]

L.jail "dovecot" {
  identifier = { "dovecot", "auth" },
  failures = {
    -- login processes: a session that ended after failed logins
    [[^(?:imap|pop3|submission|managesieve|lmtp)-login: (?:Info: )?(?:Disconnected|Aborted login|Login aborted)]] .. REASON .. [[ \((?:auth failed, \d+ attempts?(?: in \d+ secs?)?|tried to use (?:disallowed|disabled) \S+ auth|proxy dest auth failed)\)(?: \(\w+\))?: (?:user=<.*>, )?(?:method=\S+, )?rip=]] .. IP .. [[, lip=[0-9A-Fa-f:.]+(?:, mpid=\d+)?(?:, (?:TLS|secured)[^<>]*)?(?:, session=<[^<>]*>)?$]],
    -- auth process with auth_verbose = yes: each failed password, each unknown user
    [[^auth(?:-worker\(\d+\))?: (?:Info: )?(?:conn unix:auth-worker \(pid=\d+,uid=\d+\): auth-worker<\d+>: )?[a-z][a-z0-9-]*\((?:(?!given password: ).)*,]] .. IP .. [[(?:,master)?(?:,<[^<>]*>)?\): (?:unknown user|Password mismatch(?: \(for LDAP bind\))?|pam_authenticate\(\) failed: (?:Authentication failure \([Pp]assword mismatch\?\)|User not known to the underlying authentication module(?: \(unknown user\))?|Permission denied))]] .. PASSWORD_TAIL,
    -- PAM's own line from the auth process (Debian's default passdb)
    [[^pam_unix\(dovecot:auth\): authentication failure; logname=\S* uid=\d+ euid=\d+ tty=dovecot ruser=\S* rhost=]] .. IP .. [[(?: {1,2}user=\S*)? ?$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "IMAP/POP failure from {ip}",
}
