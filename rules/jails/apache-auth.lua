-- Apache httpd authentication and access-control failures (Debian 12: apache2
-- 2.4.57). Debian's apache2.conf and 000-default.conf send the error log to
-- /var/log/apache2/error.log (a site's own `*error.log` beside it is followed
-- too); with `ErrorLog syslog:...` the lines reach the journal as apache2 (or
-- httpd). Written from server/log.c do_errorlog_default (no ErrorLogFormat:
-- "[time] [module:level] [pid P:tid T] (errno)text: [client ADDR:PORT] AHnnnnn:
-- message[, referer: ...]"; the time is left out for syslog) and the messages
-- of modules/aaa: mod_auth_basic.c (AH01614 wrong authentication scheme,
-- AH01617 password mismatch, AH01618 user not found), mod_auth_digest.c
-- (AH01790 user not found, AH01792 password mismatch), mod_authz_core.c
-- (AH01630 client denied by server configuration, AH01631 authorization
-- failure of an authenticated user), mod_access_compat.c (AH01797 client
-- denied by server configuration).
-- Source: github.com/apache/httpd, branch 2.4.x, modules/aaa/.
--
-- The address is in the fixed "[client ADDR:PORT]" before the message, the
-- line anchored at its start: the user name, URI and referrer come after it,
-- so an address planted there counts nobody. "[remote ...]" (a proxied
-- backend, not the client) is not taken.
local L = require "luruse"

local HEAD = [=[^(?:\[[^\]]+\] )?\[[\w-]*:(?:error|warn|notice|info|crit|alert|emerg)\] (?:\[pid \d+(?::tid \d+)?\] )?]=]
  .. [=[(?:\S+\.c\(\d+\): )?(?:\(-?\d+\)[^\[]*: )?\[client (?<ip>[0-9A-Fa-f:.]+):\d+\] ]=]

L.jail "apache-auth" {
  identifier = { "apache2", "httpd" },
  file = { "/var/log/apache2/*error.log", identifier = "apache2" },
  failures = {
    HEAD .. [[AH0161[478]: ]],
    HEAD .. [[AH0178[1278]: ]],
    HEAD .. [[AH0179[0-4]: ]],
    HEAD .. [[AH01695: auth_ldap authenticate: user .* authentication failed; URI ]],
    HEAD .. [[AH0163[01]: ]],
    HEAD .. [[AH01797: ]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "HTTP auth failure from {ip}",
}
