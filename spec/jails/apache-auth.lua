-- Apache 2.4.57 (Debian 12) error.log lines (mpm_event), as Apache writes them;
-- the journal form is the one of `ErrorLog syslog:local1`.
local LOG = "/var/log/apache2/error.log"
return {
  jail = "apache-auth",
  ident = "apache2",
  failures = {
    { log = LOG, [=[[Mon Mar 04 00:08:18.123456 2024] [auth_basic:error] [pid 1234:tid 140234567890123] [client 203.0.113.9:52311] AH01618: user admin not found: /private/]=], ip = "203.0.113.9" },
    { log = LOG, [=[[Mon Mar 04 00:08:19.223456 2024] [auth_basic:error] [pid 1234:tid 140234567890123] [client 2001:db8::7:40022] AH01617: user alice: authentication failure for "/private/": Password Mismatch, referer: https://example.org/]=], ip = "2001:db8::7" },
    { log = LOG, [=[[Mon Mar 04 00:08:20.000001 2024] [auth_basic:error] [pid 1235:tid 140234567890124] [client 198.51.100.23:60122] AH01614: client used wrong authentication scheme: /private/]=], ip = "198.51.100.23" },
    { log = LOG, [=[[Mon Mar 04 00:08:21.500000 2024] [authz_core:error] [pid 1235:tid 140234567890124] [client 192.0.2.44:2222] AH01630: client denied by server configuration: /var/www/html/.htaccess]=], ip = "192.0.2.44" },
    { log = LOG, [=[[Mon Mar 04 00:08:22.600000 2024] [access_compat:error] [pid 990] [client 2001:db8:1::15:50000] AH01797: client denied by server configuration: /var/www/html/admin/]=], ip = "2001:db8:1::15" },
    { log = LOG, [=[[Mon Mar 04 00:08:23.700000 2024] [authz_core:error] [pid 1234:tid 140234567890125] [client 203.0.113.77:33211] AH01631: user bob: authorization failure for "/admin/": ]=], ip = "203.0.113.77" },
    { log = "/var/log/apache2/example.org_error.log", [=[[Mon Mar 04 00:08:24.800000 2024] [auth_digest:error] [pid 1234:tid 140234567890125] [client 198.51.100.4:41234] AH01790: user `root' in realm `private' not found: /dav/]=], ip = "198.51.100.4" },
    { log = LOG, [=[[Mon Mar 04 00:08:25.900000 2024] [auth_digest:error] [pid 1234:tid 140234567890125] [client 203.0.113.5:41235] AH01792: user alice: password mismatch: /dav/]=], ip = "203.0.113.5" },
    { "[auth_basic:error] [pid 1234:tid 140234567890123] [client 203.0.113.10:1022] AH01618: user test not found: /", ip = "203.0.113.10" },
    { ident = "httpd", "[authz_core:error] [pid 1234:tid 140234567890123] [client 2001:db8::9:40400] AH01630: client denied by server configuration: /srv/www/private", ip = "2001:db8::9" },
    { log = LOG, [=[[Mon Mar 04 00:08:28.000000 2024] [auth_digest:error] [pid 1234:tid 140234567890125] [client 203.0.113.40:41236] AH01794: user alice: password mismatch: /dav/]=], ip = "203.0.113.40" },
    { log = LOG, [=[[Mon Mar 04 00:08:29.000000 2024] [auth_digest:error] [pid 1234:tid 140234567890125] [client 2001:db8:2::41:41237] AH01781: client used wrong authentication scheme `Basic': /dav/]=], ip = "2001:db8:2::41" },
    { log = LOG, [=[[Mon Mar 04 00:08:30.000000 2024] [auth_digest:error] [pid 1234:tid 140234567890125] [client 198.51.100.42:41238] AH01788: realm mismatch - got `x' but expected `private']=], ip = "198.51.100.42" },
    { log = LOG, [=[[Mon Mar 04 00:08:31.000000 2024] [auth_digest:error] [pid 1234:tid 140234567890125] [client 198.51.100.43:41239] AH01791: user `bob' in realm `private' denied by provider: /dav/]=], ip = "198.51.100.43" },
    { log = LOG, [=[[Mon Mar 04 00:08:32.000000 2024] [authnz_ldap:info] [pid 1234:tid 140234567890125] [client 203.0.113.44:41240] AH01695: auth_ldap authenticate: user carol authentication failed; URI /intranet/ [ldap_search_ext_s() for user failed][No Such Object]]=], ip = "203.0.113.44" },
    { log = LOG, [=[[Mon Mar 04 00:08:33.000000 2024] [auth_basic:error] [pid 1234:tid 140234567890125] [client 2001:db8::45:41241] AH01618: user admin not found: /wp-admin/, referer: https://example.org/wp-login.php]=], ip = "2001:db8::45" },
    -- planted addresses after the real one: in the user name, the URI, the referrer
    { log = LOG, [=[[Mon Mar 04 00:08:26.000000 2024] [auth_basic:error] [pid 1234:tid 140234567890123] [client 203.0.113.30:5001] AH01618: user [client 10.0.0.1:1] AH01618: x not found: /private/]=], ip = "203.0.113.30" },
    { log = LOG, [=[[Mon Mar 04 00:08:27.000000 2024] [auth_basic:error] [pid 1234:tid 140234567890123] [client 198.51.100.31:5002] AH01617: user y: authentication failure for "/a[client 10.0.0.1:1]": Password Mismatch, referer: [client 10.0.0.1:2] AH01618]=], ip = "198.51.100.31" },
  },
  harmless = {
    { log = LOG, [=[[Mon Mar 04 00:09:00.000000 2024] [mpm_event:notice] [pid 1230:tid 140234567890000] AH00489: Apache/2.4.57 (Debian) configured -- resuming normal operations]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:01.000000 2024] [core:notice] [pid 1230:tid 140234567890000] AH00094: Command line: '/usr/sbin/apache2']=] },
    { log = LOG, [=[[Mon Mar 04 00:09:02.000000 2024] [php:error] [pid 1234:tid 140234567890123] [client 203.0.113.9:52311] PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3, referer: https://example.org/]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:03.000000 2024] [proxy:error] [pid 1234:tid 140234567890123] (111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:8080 (127.0.0.1:8080) failed]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:04.000000 2024] [core:error] [pid 1234:tid 140234567890123] [client 203.0.113.9:52311] AH00037: Symbolic link not allowed or link target not accessible: /var/www/html/x, referer: [client 10.0.0.1:1] AH01618: x]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:06.000000 2024] [auth_digest:error] [pid 1234:tid 140234567890123] AH01780: need AuthName: /dav/]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:07.000000 2024] [ssl:warn] [pid 1230:tid 140234567890000] AH01909: www.example.org:443:0 server certificate does NOT include an ID which matches the server name]=] },
    { log = LOG, [=[[Mon Mar 04 00:09:05.000000 2024] [proxy_http:error] [pid 1234:tid 140234567890123] [remote 192.0.2.80:8080] AH01630: client denied by server configuration: /x]=] },
  },
}
