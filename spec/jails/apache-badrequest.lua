-- Apache 2.4.57 (Debian 12) error.log lines, as Apache writes them; the
-- journal form is the one of `ErrorLog syslog:local1`.
local LOG = "/var/log/apache2/error.log"
return {
  jail = "apache-badrequest",
  ident = "apache2",
  failures = {
    { log = LOG, [=[[Mon Mar 04 00:08:18.123456 2024] [core:error] [pid 1234:tid 140234567890123] [client 203.0.113.9:52311] AH00126: Invalid URI in request GET http://198.51.100.200/proxy.php HTTP/1.1]=], ip = "203.0.113.9" },
    { log = LOG, [=[[Mon Mar 04 00:08:19.000000 2024] [core:error] [pid 1234:tid 140234567890123] [client 2001:db8::7:40022] AH00126: Invalid URI in request CONNECT www.example.com:443 HTTP/1.1]=], ip = "2001:db8::7" },
    { log = LOG, [=[[Mon Mar 04 00:08:20.000000 2024] [core:error] [pid 1235:tid 140234567890124] [client 198.51.100.23:60122] AH10244: invalid URI path (/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh)]=], ip = "198.51.100.23" },
    { log = LOG, [=[[Mon Mar 04 00:08:21.000000 2024] [cgid:error] [pid 1235:tid 140234567890124] [client 192.0.2.44:2222] AH01264: script not found or unable to stat: /usr/lib/cgi-bin/luci]=], ip = "192.0.2.44" },
    { log = LOG, [=[[Mon Mar 04 00:08:22.000000 2024] [cgi:error] [pid 990] [client 2001:db8:1::15:50000] AH01264: script not found or unable to stat: /usr/lib/cgi-bin/test.cgi]=], ip = "2001:db8:1::15" },
    { log = LOG, [=[[Mon Mar 04 00:08:23.000000 2024] [proxy_fcgi:error] [pid 1234:tid 140234567890125] [client 203.0.113.77:33211] AH01071: Got error 'Primary script unknown']=], ip = "203.0.113.77" },
    { log = "/var/log/apache2/example.org_error.log", [=[[Mon Mar 04 00:08:24.000000 2024] [proxy_fcgi:error] [pid 1234:tid 140234567890125] [client 198.51.100.4:41234] AH01071: Got error 'Primary script unknown', referer: http://example.org/wp-login.php]=], ip = "198.51.100.4" },
    { "[core:error] [pid 1234:tid 140234567890123] [client 203.0.113.10:1022] AH10244: invalid URI path (/icons/.%2e/%2e%2e/%2e%2e/etc/passwd)", ip = "203.0.113.10" },
    { ident = "httpd", "[cgid:error] [pid 1234:tid 140234567890123] [client 2001:db8::9:40400] AH01264: script not found or unable to stat: /usr/lib/cgi-bin/php", ip = "2001:db8::9" },
    -- planted addresses in the request, after the real one
    { log = LOG, [=[[Mon Mar 04 00:08:25.000000 2024] [core:error] [pid 1234:tid 140234567890123] [client 203.0.113.30:5001] AH00126: Invalid URI in request GET [client 10.0.0.1:1] AH00126: x HTTP/1.1]=], ip = "203.0.113.30" },
    { log = LOG, [=[[Mon Mar 04 00:08:26.000000 2024] [core:error] [pid 1234:tid 140234567890123] [client 198.51.100.31:5002] AH10244: invalid URI path (/cgi-bin/.%2e/[client 10.0.0.1:1] AH10244: invalid URI path (/x)]=], ip = "198.51.100.31" },
  },
  harmless = {
    { log = LOG, [=[[Mon Mar 04 00:09:00.000000 2024] [mpm_event:notice] [pid 1230:tid 140234567890000] AH00489: Apache/2.4.57 (Debian) OpenSSL/3.0.11 configured -- resuming normal operations]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:01.000000 2024] [proxy_fcgi:error] [pid 1234:tid 140234567890123] [client 203.0.113.9:52311] AH01071: Got error 'PHP message: PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3', referer: https://example.org/]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:02.000000 2024] [core:error] [pid 1234:tid 140234567890123] [client 203.0.113.9:52311] AH00037: Symbolic link not allowed or link target not accessible: /var/www/html/favicon.ico]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:03.000000 2024] [autoindex:error] [pid 1234:tid 140234567890123] [client 198.51.100.23:60122] AH01276: Cannot serve directory /var/www/html/files/: No matching DirectoryIndex (index.html,index.php) found, and server-generated directory index forbidden by Options directive]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:04.000000 2024] [proxy_fcgi:error] [pid 1234:tid 140234567890123] [client 192.0.2.44:2222] AH01071: Got error 'PHP message: [client 10.0.0.1:1] AH01071: Got error 'Primary script unknown'']=] },
  },
}
