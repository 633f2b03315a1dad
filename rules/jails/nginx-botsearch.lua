-- Scans of well-known paths that a site that answers 404 for them never
-- serves, in nginx's access log (Debian 12: nginx 1.22.1; Debian's nginx.conf
-- logs every site to /var/log/nginx/access.log in the predefined "combined"
-- format; a per-site `*access.log` beside it is followed too). The format is
-- nginx's ngx_http_log_module (docs: nginx.org/en/docs/http/ngx_http_log_module.html):
--   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
-- with '"' and control bytes in the values escaped as \xXX, so a quoted field
-- never holds a '"'.
--
-- Counted: a request for one of these paths answered 404 (not found), 444
-- (nginx closed it) or 400; a site that serves the path (a WordPress answering
-- 200 or 302 on wp-login.php) counts nobody. The address is the line's first
-- field; the path is the first thing in the request field, the one after the
-- date, so a referrer or user agent naming "/wp-login.php" counts nobody.
-- Left out on purpose: paths a real visitor's browser or mail client asks for
-- on any site (favicon.ico, robots.txt, apple-touch-icon*, /.well-known/,
-- /autodiscover/), and old WordPress content (/wp-content/...), which search
-- engines still link to after a site moved.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
-- the scanned paths, shared with the other web server's botsearch jail
local PATHS = dofile((debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or ".") .. "/lib/scan_paths.lua")

L.jail "nginx-botsearch" {
  file = { "/var/log/nginx/*access.log", identifier = "nginx" },
  failures = {
    "^" .. IP .. [=[ \S+ \S+ \[[^\]]+\] "[A-Z]+ (?:https?://[^/" ]*)?(?:]=] .. PATHS
      .. [[)[^" ]* HTTP/\d(?:\.\d)?" (?:400|404|444) \d+ "]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
}
