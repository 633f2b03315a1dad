-- Roundcube (Debian 12: roundcube 1.6.x). Debian's roundcube logs with
-- log_driver "file" into /var/log/roundcube/ (log_dir); a failed login is an
-- IMAP error in errors.log, written by rcube_imap::connect()
-- (program/lib/Roundcube/rcube_imap.php: "Login failed for %s against %s
-- from %s. %s", the address from rcube_utils::remote_ip()) through
-- rcube::raise_error(): "[04-Mar-2024 00:08:18 +0000]: <session> IMAP Error:
-- <message> in <file> on line <n> (<method> <request URI>)". With
-- log_logins = true that line is left out and rcmail::log_login() writes
-- "Failed login for <user> from <addr> in session <id> (error: <n>)" to
-- userlogins.log instead: the second jail. With log_driver = "syslog" the
-- same messages are in the journal as "roundcube".
-- The user name comes before the address: the address is the last
-- "against <host> from <addr>." that the fixed tail follows. remote_ip()
-- appends "(X-Real-IP: ..., X-Forwarded-For: ...)": headers the client
-- may forge, so only REMOTE_ADDR (the peer) is counted; behind a reverse
-- proxy that is the proxy (loopback: never counted). Only a refused
-- AUTHENTICATE or LOGIN is counted: "Could not connect to ..." (the IMAP
-- server is away) is no client's doing.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local HEAD = [=[^(?:\[[^\[\]]*\]: )?(?:<[\w,-]*> )?]=]

L.jail "roundcube" {
  file = { "/var/log/roundcube/errors.log", identifier = "roundcube" },
  identifier = "roundcube",
  failures = {
    HEAD .. [[IMAP Error: Login failed for .* against \S+ from ]] .. IP .. [[(?: ?\([^()]*\))?\. (?:AUTHENTICATE [-\w]+|LOGIN): [^()]*? \([A-Z]+ [^()\s]*\)$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "webmail login failure from {ip}",
}

L.jail "roundcube-userlogins" {
  file = { "/var/log/roundcube/userlogins.log", identifier = "roundcube" },
  failures = {
    HEAD .. [[Failed login for .* from ]] .. IP .. [[(?: ?\([^()]*\))? in session [\w,-]+ \(error: -?\d+\)$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
}
