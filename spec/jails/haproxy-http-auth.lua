-- HAProxy 2.6 (Debian 12) lines as the journal holds them (identifier haproxy).
return {
  jail = "haproxy-http-auth",
  ident = "haproxy",
  failures = {
    { [[203.0.113.9:52311 [04/Mar/2024:00:08:18.123] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"]], ip = "203.0.113.9" },
    { [[198.51.100.23:60122 [04/Mar/2024:00:08:19.001] fe_https~ be_admin/<NOSRV> 0/-1/-1/-1/1 401 248 - - LR-- 2/2/0/0/0 0/0 "GET /admin HTTP/1.1"]], ip = "198.51.100.23" },
    { [[2001:db8::7:40022 [04/Mar/2024:00:08:20.314] fe_https~ be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 "GET https://example.org/ HTTP/2.0"]], ip = "2001:db8::7" },
    { [[2001:db8:1::15:50000 [04/Mar/2024:00:08:21.000] stats stats/<STATS> 0/-1/-1/-1/0 401 263 - - PR-- 1/1/0/0/0 0/0 "GET /haproxy?stats HTTP/1.1"]], ip = "2001:db8:1::15" },
    { [[192.0.2.44:2222 [04/Mar/2024:00:08:22.500] fe_proxy be_out/<NOSRV> 0/-1/-1/-1/0 407 296 - - LR-- 1/1/0/0/0 0/0 "CONNECT example.com:443 HTTP/1.1"]], ip = "192.0.2.44" },
    { [[203.0.113.77:33211 [04/Mar/2024:00:08:23.750] fe_https~ be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 "POST /api/login HTTP/1.1" 0/0000000000000000/0/0/0 fe_https/1/1 TLSv1.3/TLS_AES_256_GCM_SHA384]], ip = "203.0.113.77" },
    { [[198.51.100.4:41234 [04/Mar/2024:00:08:24.100] fe_http be_app/<NOSRV> 0/-1/-1/-1/+0 401 248 - - LR-- 1/1/0/0/0 0/0 {Mozilla/5.0|} "GET /private HTTP/1.1"]], ip = "198.51.100.4" },
    { [[203.0.113.5:41235 [04/Mar/2024:00:08:25.900] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 "GET / HTTP/1.0"]], ip = "203.0.113.5" },
    -- rsyslog's /var/log/haproxy.log
    { log = "/var/log/haproxy.log", [[2024-03-04T00:08:25.912345+00:00 lb1 haproxy[1234]: 203.0.113.12:41236 [04/Mar/2024:00:08:25.910] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"]], ip = "203.0.113.12" },
    { log = "/var/log/haproxy.log", [[Mar  4 00:08:25 lb1 haproxy[1234]: 2001:db8::9:41237 [04/Mar/2024:00:08:25.911] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"]], ip = "2001:db8::9" },
    -- planted addresses in the captured headers and the request line
    { [[203.0.113.30:5001 [04/Mar/2024:00:08:26.000] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 {10.0.0.1:1 [04/Mar/2024:00:08:26.000] fe be/<NOSRV> 0 401 |} "GET /10.0.0.1:1 HTTP/1.1"]], ip = "203.0.113.30" },
    { [[198.51.100.31:5002 [04/Mar/2024:00:08:27.000] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 "GET /?10.0.0.1:1%20[x]%20f%20b/<NOSRV>%200%20401 HTTP/1.1"]], ip = "198.51.100.31" },
  },
  harmless = {
    { [[203.0.113.9:52311 [04/Mar/2024:00:09:00.123] fe_http be_app/app1 0/0/1/12/13 200 5120 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"]] },
    { [[203.0.113.9:52312 [04/Mar/2024:00:09:01.123] fe_http be_app/app1 0/0/1/3/4 401 512 - - ---- 1/1/0/0/0 0/0 "PROPFIND /remote.php/dav/files/alice/ HTTP/1.1"]] },
    { [[198.51.100.23:60122 [04/Mar/2024:00:09:02.000] fe_http be_app/app1 0/0/0/2/2 404 180 - - ---- 1/1/0/0/0 0/0 "GET /favicon.ico HTTP/1.1"]] },
    { [[Proxy fe_http started.]] },
    { [[Server be_app/app1 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.]] },
    { [[203.0.113.9:52313 [04/Mar/2024:00:09:03.000] fe_http be_app/app1 0/0/1/3/4 200 512 - - ---- 1/1/0/0/0 0/0 {10.0.0.1:1 [x] f b/<NOSRV> 0 401 } "GET / HTTP/1.1"]] },
    { ident = "haproxy-exporter", [[203.0.113.9:52311 [04/Mar/2024:00:08:18.123] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 401 248 - - LR-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"]] },
  },
}
