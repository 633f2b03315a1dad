-- nginx 1.22.1 (Debian 12) error.log lines at `error_log ... info;`, as nginx
-- writes them.
local LOG = "/var/log/nginx/error.log"
return {
  jail = "nginx-bad-request",
  failures = {
    { log = LOG, [[2024/03/04 00:08:18 [info] 1234#1234: *101 client sent invalid method while reading client request line, client: 203.0.113.9, server: example.org, request: "\x16\x03\x01\x00\xF7\x01\x00\x00\xF3\x03\x03"]], ip = "203.0.113.9" },
    { log = LOG, [[2024/03/04 00:08:19 [info] 1234#1234: *102 client sent invalid request while reading client request line, client: 2001:db8::7, server: _, request: "GET /cgi-bin/../../../../bin/sh"]], ip = "2001:db8::7" },
    { log = LOG, [[2024/03/04 00:08:20 [info] 1235#1235: *103 client sent invalid method while reading client request line, client: 198.51.100.23, server: example.org, request: "MGLNDD_203.0.113.1_80"]], ip = "198.51.100.23" },
    { log = LOG, [[2024/03/04 00:08:21 [info] 1235#1235: *104 client sent invalid host header while reading client request headers, client: 2001:db8:1::15, server: example.org, request: "GET / HTTP/1.1"]], ip = "2001:db8:1::15" },
    { log = LOG, [[2024/03/04 00:08:22 [info] 1235#1235: *105 client sent plain HTTP request to HTTPS port while reading client request headers, client: 192.0.2.44, server: example.org, request: "GET / HTTP/1.1", host: "198.51.100.200:443"]], ip = "192.0.2.44" },
    { log = LOG, [[2024/03/04 00:08:23 [info] 1234#1234: *106 client sent too long URI while reading client request line, client: 203.0.113.77, server: example.org, request: "GET /AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]], ip = "203.0.113.77" },
    { log = "/var/log/nginx/example.org.error.log", [[2024/03/04 00:08:24 [info] 990#990: *3 client sent invalid version while reading client request line, client: 198.51.100.4, server: example.org, request: "GET / HTTP/9.9"]], ip = "198.51.100.4" },
    { log = LOG, [[2024/03/04 00:08:25 [info] 1234#1234: *107 client sent invalid request while reading client request line, client: 203.0.113.5, server: example.org, request: "CONNECT example.com:443"]], ip = "203.0.113.5" },
    -- planted addresses in the request line
    { log = LOG, [[2024/03/04 00:08:26 [info] 1234#1234: *108 client sent invalid method while reading client request line, client: 203.0.113.30, server: example.org, request: "X, client: 10.0.0.1, server: a"]], ip = "203.0.113.30" },
    { log = LOG, [[2024/03/04 00:08:27 [info] 1234#1234: *109 client sent invalid request while reading client request line, client: 198.51.100.31, server: example.org, request: "GET /x client sent invalid request while reading client request line, client: 10.0.0.1, server: a"]], ip = "198.51.100.31" },
  },
  harmless = {
    { log = LOG, [[2024/03/04 00:09:00 [info] 1234#1234: *120 client closed connection while waiting for request, client: 203.0.113.9, server: 0.0.0.0:443]] },
    { log = LOG, [[2024/03/04 00:09:01 [info] 1234#1234: *121 client timed out (110: Connection timed out) while waiting for request, client: 203.0.113.9, server: 0.0.0.0:80]] },
    { log = LOG, [[2024/03/04 00:09:02 [info] 1234#1234: *122 client sent invalid header line: "X_Forwarded: client sent invalid method while reading client request line, client: 10.0.0.1, server: a" while reading client request headers, client: 203.0.113.9, server: example.org, request: "GET / HTTP/1.1"]] },
    { log = LOG, [[2024/03/04 00:09:03 [error] 1234#1234: *123 open() "/var/www/html/favicon.ico" failed (2: No such file or directory), client: 203.0.113.9, server: example.org, request: "GET /favicon.ico HTTP/1.1", host: "example.org"]] },
    { log = LOG, [[2024/03/04 00:09:04 [notice] 1230#1230: start worker processes]] },
  },
}
