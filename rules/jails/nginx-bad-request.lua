-- Request lines nginx refuses (Debian 12: nginx 1.22.1): TLS or binary junk
-- sent to a plain-HTTP port, unknown methods, proxy and exploit probes with a
-- broken request line. From nginx's own error log, /var/log/nginx/error.log
-- (and a per-site `*error.log` beside it). nginx logs these at level info
-- (src/http/ngx_http_request.c, ngx_http_process_request_line and
-- ngx_http_process_request_headers; ngx_http_parse.c's NGX_HTTP_PARSE_INVALID_*
-- codes), below Debian's default `error_log ... ;` level error: this jail only
-- sees them with `error_log /var/log/nginx/error.log info;`. Messages:
-- "client sent invalid method", "client sent invalid request", "client sent
-- invalid version", "client sent too long URI", "client sent invalid host
-- header", "client sent plain HTTP request to HTTPS port", each followed by
-- " while reading client request line|headers" and ngx_http_log_error's tail
-- ", client: ADDR, server: ...". Left out: "client sent invalid header line"
-- (a client's own header text before the address, and real browsers behind
-- broken proxies send such headers), and timeouts / closed connections.
--
-- The whole message before the address is nginx's: the address is the first
-- ", client: " after it, and a request line planted with ", client: 10.0.0.1"
-- (after it) counts nobody else.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local HEAD = [[^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[(?:info|notice|warn|error)\] \d+#\d+: \*\d+ ]]

L.jail "nginx-bad-request" {
  file = { "/var/log/nginx/*error.log", identifier = "nginx" },
  failures = {
    HEAD .. [[client sent (?:invalid method|invalid request|invalid version|too long URI|invalid host header|plain HTTP request to HTTPS port) while reading client request (?:line|headers), client: ]]
      .. IP .. [[, server: ]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
}
