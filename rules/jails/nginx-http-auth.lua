-- nginx basic authentication (Debian 12: nginx 1.22.1). nginx writes its own
-- error log, /var/log/nginx/error.log (Debian's nginx.conf: `error_log
-- /var/log/nginx/error.log;`, level error); a per-site `*error.log` in the same
-- directory is followed too. Written from src/http/modules/
-- ngx_http_auth_basic_module.c (`user "%V" was not found in "%s"`,
-- `user "%V": password mismatch`, both NGX_LOG_ERR) and the tail that
-- ngx_http_log_error (src/http/ngx_http_request.c) appends: ", client: ADDR,
-- server: NAME, request: ...". The "no user/password was provided" line is
-- NGX_LOG_INFO and only a browser's first, credential-less request: not counted.
--
-- The user name is the client's to choose and comes before the address; the
-- request line, host and referrer (after it) are the client's too, and nginx
-- writes them unescaped. The name is taken up to its first '"' and the whole
-- rest of the line must then be the fixed tail, every field in its place and
-- the quoted ones without a '"', to the end: a name that closes its quote
-- early to plant `" was not found in "/f", client: 10.0.0.1, server: s` leaves
-- nginx's own `" was not found in` outside any field, and the line counts for
-- nobody. So does a line whose request, host or referrer holds a '"'.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local TAIL = [[, server: [^,"]*, request: "[^"]*"(?:, host: "[^"]*")?(?:, referrer: "[^"]*")?$]]
local HEAD = [[^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[error\] \d+#\d+: \*\d+ ]]

L.jail "nginx-http-auth" {
  file = { "/var/log/nginx/*error.log", identifier = "nginx" },
  failures = {
    HEAD .. [[user "[^"]*" was not found in "[^"]*", client: ]] .. IP .. TAIL,
    HEAD .. [[user "[^"]*": password mismatch, client: ]] .. IP .. TAIL,
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "HTTP auth failure from {ip}",
}
