-- Requests Apache httpd refuses as malformed or as probes for scripts that do
-- not exist (Debian 12: apache2 2.4.57), from /var/log/apache2/error.log (a
-- site's `*error.log` beside it too) or, with `ErrorLog syslog:...`, the
-- journal (apache2 or httpd). Written from server/log.c do_errorlog_default
-- (the line's layout, "[client ADDR:PORT]" before the message) and:
-- server/protocol.c / server/request.c (AH00126 "Invalid URI in request ...",
-- APLOG_ERR: a request line whose URI is not a path, the proxy probes
-- "GET http://..." and "CONNECT host:443"; AH10244 "invalid URI path (...)",
-- the /cgi-bin/.%2e/.%2e/bin/sh traversal of CVE-2021-41773/42013),
-- modules/generators/mod_cgi.c and mod_cgid.c (AH01264 "script not found or
-- unable to stat: FILE", a ScriptAlias path that does not exist: /cgi-bin/
-- scans), modules/proxy/mod_proxy_fcgi.c (AH01071 "Got error 'Primary script
-- unknown'", php-fpm's answer for a .php file that does not exist; other
-- AH01071 lines are the script's own errors: not counted).
-- The address is the fixed "[client ADDR:PORT]", at the start of the line:
-- whatever the request planted comes after it.
local L = require "luruse"

local HEAD = [=[^(?:\[[^\]]+\] )?\[[\w-]*:(?:error|warn|notice|info|crit|alert|emerg)\] (?:\[pid \d+(?::tid \d+)?\] )?]=]
  .. [=[(?:\S+\.c\(\d+\): )?(?:\(-?\d+\)[^\[]*: )?\[client (?<ip>[0-9A-Fa-f:.]+):\d+\] ]=]

L.jail "apache-badrequest" {
  identifier = { "apache2", "httpd" },
  file = { "/var/log/apache2/*error.log", identifier = "apache2" },
  failures = {
    HEAD .. [[AH00126: Invalid URI in request ]],
    HEAD .. [[AH10244: invalid URI path \(]],
    HEAD .. [[AH01264: script not found or unable to stat: ]],
    HEAD .. [[AH01071: Got error 'Primary script unknown'(?:, referer: .*)?$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
}
