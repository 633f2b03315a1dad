-- Scans of well-known paths that a site that answers 404 for them never
-- serves, in Apache's access logs (Debian 12: apache2 2.4.57). Debian's
-- 000-default.conf logs to /var/log/apache2/access.log in the "combined"
-- format, and other-vhosts-access-log.conf to other_vhosts_access.log in
-- "vhost_combined" (apache2.conf: LogFormat "%v:%p %h %l %u %t \"%r\" %>s %O
-- \"%{Referer}i\" \"%{User-Agent}i\"" vhost_combined; "combined" is the
-- same without "%v:%p "); a site's `*access.log` beside them is followed too.
-- mod_log_config escapes '"' and '\' in the request line, referrer and user
-- agent with a backslash, so a quoted field never holds a bare '"'.
--
-- Counted: a request for one of these paths answered 404 or 400; a site that
-- serves the path counts nobody. The address is %h, the first field (after
-- "vhost:port" in vhost_combined), and the path is the first thing in the
-- request field: a referrer or user agent naming "/wp-login.php" counts
-- nobody. The list is nginx-botsearch's; left out on purpose, as there:
-- favicon.ico, robots.txt, apple-touch-icon*, /.well-known/, /autodiscover/,
-- /wp-content/.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
-- the scanned paths, shared with the other web server's botsearch jail
local PATHS = dofile((debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or ".") .. "/lib/scan_paths.lua")

L.jail "apache-botsearch" {
  file = { "/var/log/apache2/*access.log", identifier = "apache2" },
  failures = {
    [[^(?:[\w.-]+:\d+ )?]] .. IP .. [=[ \S+ \S+ \[[^\]]+\] "[A-Z]+ (?:https?://[^/" ]*)?(?:]=] .. PATHS
      .. [[)[^" ]* HTTP/\d(?:\.\d)?" (?:400|404) (?:\d+|-) "]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
}
