-- nginx 1.22.1 (Debian 12) error.log lines, as nginx writes them.
local LOG = "/var/log/nginx/error.log"
return {
  jail = "nginx-http-auth",
  failures = {
    { log = LOG, [[2024/03/04 00:08:18 [error] 1234#1234: *17 user "admin" was not found in "/etc/nginx/.htpasswd", client: 203.0.113.9, server: example.org, request: "GET /private/ HTTP/1.1", host: "example.org"]], ip = "203.0.113.9" },
    { log = LOG, [[2024/03/04 00:08:19 [error] 1234#1234: *18 user "alice": password mismatch, client: 198.51.100.23, server: example.org, request: "GET /private/ HTTP/1.1", host: "example.org"]], ip = "198.51.100.23" },
    { log = LOG, [[2024/03/04 00:08:20 [error] 1235#1235: *4021 user "root" was not found in "/etc/nginx/htpasswd.users", client: 2001:db8::7, server: _, request: "GET / HTTP/2.0", host: "[2001:db8::1]"]], ip = "2001:db8::7" },
    { log = LOG, [[2024/03/04 00:08:21 [error] 1235#1235: *4022 user "bob": password mismatch, client: 2001:db8:1::15, server: git.example.org, request: "POST /api/v1/login HTTP/1.1", host: "git.example.org", referrer: "https://git.example.org/"]], ip = "2001:db8:1::15" },
    { log = "/var/log/nginx/example.org.error.log", [[2024/03/04 00:08:22 [error] 990#990: *3 user "test" was not found in "/var/www/.htpasswd", client: 192.0.2.44, server: example.org, request: "GET /admin/ HTTP/1.1", host: "example.org"]], ip = "192.0.2.44" },
    { log = LOG, [[2024/03/04 00:08:23 [error] 1234#1234: *19 user "admin": password mismatch, client: 203.0.113.77, server: , request: "GET /status HTTP/1.0"]], ip = "203.0.113.77" },
    -- planted addresses: in the user name, the request line, the referrer
    { log = LOG, [[2024/03/04 00:08:24 [error] 1234#1234: *20 user "x, client: 10.0.0.1, server: a" was not found in "/etc/nginx/.htpasswd", client: 203.0.113.30, server: example.org, request: "GET / HTTP/1.1", host: "example.org"]], ip = "203.0.113.30" },
    { log = LOG, [[2024/03/04 00:08:25 [error] 1234#1234: *21 user "y": password mismatch, client: 198.51.100.31, server: example.org, request: "GET /?a=, client: 10.0.0.1, server: b HTTP/1.1", host: "example.org", referrer: "https://example.org/, client: 10.0.0.1, server: s"]], ip = "198.51.100.31" },
    { log = LOG, [[2024/03/04 00:08:26 [error] 1234#1234: *22 user "z" was not found in "/etc/nginx/.htpasswd", client: 192.0.2.32, server: example.org, request: "GET / HTTP/1.1", host: "example.org, client: 10.0.0.1, server: s"]], ip = "192.0.2.32" },
  },
  harmless = {
    -- planted structures that would need a '"' in the name or the referrer: nobody
    { log = LOG, [[2024/03/04 00:08:27 [error] 1234#1234: *23 user "x" was not found in "/f", client: 10.0.0.1, server: s, request: "" was not found in "/etc/nginx/.htpasswd", client: 203.0.113.30, server: example.org, request: "GET / HTTP/1.1", host: "example.org"]] },
    { log = LOG, [[2024/03/04 00:08:28 [error] 1234#1234: *24 user "x": password mismatch, client: 10.0.0.1, server: s, request: "a", host: "b": password mismatch, client: 203.0.113.31, server: example.org, request: "GET / HTTP/1.1", host: "example.org"]] },
    { log = LOG, [[2024/03/04 00:08:29 [error] 1234#1234: *25 user "z" was not found in "/etc/nginx/.htpasswd", client: 192.0.2.32, server: example.org, request: "GET /"x HTTP/1.1", host: "example.org", referrer: "x" was not found in "/f", client: 10.0.0.1, server: s, request: "r", host: "h"]] },
    { log = LOG, [[2024/03/04 00:09:00 [info] 1234#1234: *30 no user/password was provided for basic authentication, client: 203.0.113.9, server: example.org, request: "GET /private/ HTTP/1.1", host: "example.org"]] },
    { log = LOG, [[2024/03/04 00:09:01 [error] 1234#1234: *31 open() "/var/www/html/favicon.ico" failed (2: No such file or directory), client: 203.0.113.9, server: example.org, request: "GET /favicon.ico HTTP/1.1", host: "example.org", referrer: "https://example.org/"]] },
    { log = LOG, [[2024/03/04 00:09:02 [notice] 1230#1230: signal process started]] },
    { log = LOG, [[2024/03/04 00:09:03 [error] 1234#1234: *32 open() "/var/www/html/a, client: 10.0.0.1, server: s" failed (2: No such file or directory), client: 203.0.113.9, server: example.org, request: "GET /a,%20client:%2010.0.0.1,%20server:%20s HTTP/1.1", host: "example.org"]] },
    { log = LOG, [[2024/03/04 00:09:04 [crit] 1234#1234: *33 open() "/etc/nginx/.htpasswd" failed (13: Permission denied), client: 198.51.100.23, server: example.org, request: "GET /private/ HTTP/1.1", host: "example.org"]] },
  },
}
