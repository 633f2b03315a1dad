-- nginx request and connection limits (Debian 12: nginx 1.22.1), from its own
-- error log /var/log/nginx/error.log (and a per-site `*error.log` beside it).
-- Written from src/http/modules/ngx_http_limit_req_module.c (`limiting
-- requests, excess: N.NNN by zone "Z"`, at limit_req_log_level, error by
-- default; "delaying request" is logged one level lower, warn, and is not a
-- rejection: not counted) and ngx_http_limit_conn_module.c (`limiting
-- connections by zone "Z"`). A `dry run` line rejects nothing (the admin is
-- trying the limit out): not counted. The tail is ngx_http_log_error's
-- (src/http/ngx_http_request.c): ", client: ADDR, server: ...".
--
-- Everything before the address is nginx's (the zone name is the admin's), so
-- the address is the first ", client: " and planted text in the request line,
-- host or referrer (after it) never counts.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local HEAD = [[^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[(?:error|warn|notice|info)\] \d+#\d+: \*\d+ ]]

L.jail "nginx-limit-req" {
  file = { "/var/log/nginx/*error.log", identifier = "nginx" },
  failures = {
    HEAD .. [[limiting requests, excess: \d+\.\d+ by zone "[^"]*", client: ]] .. IP .. [[, server: ]],
    HEAD .. [[limiting connections by zone "[^"]*", client: ]] .. IP .. [[, server: ]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
}
