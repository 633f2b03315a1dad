-- nginx 1.22.1 (Debian 12) error.log lines, as nginx writes them.
local LOG = "/var/log/nginx/error.log"
return {
  jail = "nginx-limit-req",
  failures = {
    { log = LOG, [[2024/03/04 00:08:18 [error] 1234#1234: *1017 limiting requests, excess: 10.520 by zone "one", client: 203.0.113.9, server: example.org, request: "GET /search?q=a HTTP/1.1", host: "example.org"]], ip = "203.0.113.9" },
    { log = LOG, [[2024/03/04 00:08:18 [error] 1234#1234: *1018 limiting requests, excess: 5.000 by zone "login", client: 2001:db8::7, server: example.org, request: "POST /wp-login.php HTTP/2.0", host: "example.org", referrer: "https://example.org/wp-login.php"]], ip = "2001:db8::7" },
    { log = LOG, [[2024/03/04 00:08:19 [error] 1235#1235: *2201 limiting connections by zone "addr", client: 198.51.100.23, server: files.example.org, request: "GET /big.iso HTTP/1.1", host: "files.example.org"]], ip = "198.51.100.23" },
    { log = LOG, [[2024/03/04 00:08:19 [error] 1235#1235: *2202 limiting connections by zone "perip", client: 2001:db8:1::15, server: _, request: "GET / HTTP/1.1", host: "[2001:db8::1]"]], ip = "2001:db8:1::15" },
    { log = "/var/log/nginx/api.error.log", [[2024/03/04 00:08:20 [error] 990#990: *3 limiting requests, excess: 20.988 by zone "api", client: 192.0.2.44, server: api.example.org, request: "GET /v1/items HTTP/1.1", host: "api.example.org"]], ip = "192.0.2.44" },
    -- limit_req_log_level warn
    { log = LOG, [[2024/03/04 00:08:21 [warn] 1234#1234: *1020 limiting requests, excess: 1.002 by zone "one", client: 203.0.113.77, server: example.org, request: "HEAD / HTTP/1.0"]], ip = "203.0.113.77" },
    -- planted addresses after the real one
    { log = LOG, [[2024/03/04 00:08:22 [error] 1234#1234: *1021 limiting requests, excess: 3.410 by zone "one", client: 203.0.113.30, server: example.org, request: "GET /?x=, client: 10.0.0.1, server: a HTTP/1.1", host: "example.org"]], ip = "203.0.113.30" },
    { log = LOG, [[2024/03/04 00:08:23 [error] 1234#1234: *1022 limiting connections by zone "addr", client: 198.51.100.31, server: example.org, request: "GET / HTTP/1.1", host: "example.org", referrer: "limiting connections by zone "addr", client: 10.0.0.1, server: a"]], ip = "198.51.100.31" },
  },
  harmless = {
    { log = LOG, [[2024/03/04 00:09:00 [warn] 1234#1234: *1030 delaying request, excess: 0.420, by zone "one", client: 203.0.113.9, server: example.org, request: "GET / HTTP/1.1", host: "example.org"]] },
    { log = LOG, [[2024/03/04 00:09:01 [error] 1234#1234: *1031 limiting requests, dry run, excess: 2.100 by zone "one", client: 203.0.113.9, server: example.org, request: "GET / HTTP/1.1", host: "example.org"]] },
    { log = LOG, [[2024/03/04 00:09:02 [error] 1234#1234: *1032 open() "/var/www/html/favicon.ico" failed (2: No such file or directory), client: 198.51.100.23, server: example.org, request: "GET /favicon.ico HTTP/1.1", host: "example.org"]] },
    { log = LOG, [[2024/03/04 00:09:03 [notice] 1230#1230: using inherited sockets from "6;7;"]] },
    { log = LOG, [[2024/03/04 00:09:04 [error] 1234#1234: *1033 open() "/var/www/html/limiting requests, excess: 1.000 by zone "one", client: 10.0.0.1, server: a" failed (2: No such file or directory), client: 203.0.113.9, server: example.org, request: "GET /limiting%20requests HTTP/1.1", host: "example.org"]] },
  },
}
