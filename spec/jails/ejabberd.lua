-- ejabberd 23.01 (Debian 12, Erlang/OTP 25) lines of /var/log/ejabberd/ejabberd.log,
-- as ejabberd_logger's file template writes them.
local F = "/var/log/ejabberd/ejabberd.log"
local T = "2024-03-04 00:08:18.123456+00:00 "
return {
  jail = "ejabberd",
  ident = "ejabberd",
  failures = {
    { log = F, T .. "[warning] <0.1234.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.1234.0>) Failed c2s PLAIN authentication for admin@example.org from ::FFFF:203.0.113.9: Invalid username or password", ip = "203.0.113.9" },
    { log = F, T .. "[warning] <0.1301.0>@ejabberd_c2s:process_auth_result/3:272 (tcp|<0.1301.0>) Failed c2s SCRAM-SHA-1 authentication for test@example.org from 198.51.100.23: Invalid username or password", ip = "198.51.100.23" },
    { log = F, T .. "[warning] <0.1402.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.1402.0>) Failed c2s DIGEST-MD5 authentication for root@example.org from 2001:DB8::7: Invalid username or password", ip = "2001:DB8::7" },
    { log = F, T .. "[warning] <0.1503.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.1503.0>) Failed c2s X-FOO authentication from ::FFFF:192.0.2.44: Unsupported mechanism", ip = "192.0.2.44" },
    { log = F, T .. "[warning] <0.1604.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.1604.0>) Failed c2s PLAIN authentication from 203.0.113.77: Aborted", ip = "203.0.113.77" },
    { log = F, T .. "[warning] <0.1705.0>@ejabberd_c2s:process_auth_result/3:272 (http_bind|<0.1700.0>) Failed c2s PLAIN authentication for bob@example.org from 2001:db8:1::15: Invalid username or password", ip = "2001:db8:1::15" },
    { log = F, T .. "[warning] <0.1806.0>@ejabberd_c2s:process_auth_result/3:272 (websocket|<0.1806.0>) Failed c2s PLAIN authentication for a b@example.org from ::FFFF:198.51.100.4: Nodeprep failed", ip = "198.51.100.4" },
    -- older releases: logged by handle_auth_failure/4, at info level
    { log = F, "2024-03-04 00:08:19.000042+01:00 [info] <0.1907.0>@ejabberd_c2s:handle_auth_failure/4:428 (tls|<0.1907.0>) Failed c2s PLAIN authentication for info@example.org from 203.0.113.5: Invalid username or password", ip = "203.0.113.5" },
    -- the web admin's HTTP basic login
    { log = F, T .. "[warning] <0.2008.0>@ejabberd_web_admin:process/2:230 Access of <<\"admin@example.org\">> from <<\"203.0.113.12\">> failed with error: <<\"bad-password\">>", ip = "203.0.113.12" },
    { log = F, T .. "[warning] <0.2109.0>@ejabberd_web_admin:process/2:230 Access of <<\"x@example.org\">> from <<\"::FFFF:192.0.2.200\">> failed with error: <<\"inexistent-account\">>", ip = "192.0.2.200" },
    -- planted addresses in the user name: the real client is the last one
    { log = F, T .. "[warning] <0.2210.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.2210.0>) Failed c2s PLAIN authentication for x from 10.0.0.1: Invalid username or password@example.org from 203.0.113.30: Invalid username or password", ip = "203.0.113.30" },
    { log = F, T .. "[warning] <0.2311.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.2311.0>) Failed c2s PLAIN authentication for y from 10.0.0.1: Aborted@example.org from ::FFFF:198.51.100.31: Invalid username or password", ip = "198.51.100.31" },
    { log = F, T .. "[warning] <0.2412.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.2412.0>) Failed c2s x from 10.0.0.1: Aborted authentication from 192.0.2.32: Unsupported mechanism", ip = "192.0.2.32" },
    { log = F, T .. "[warning] <0.2513.0>@ejabberd_web_admin:process/2:230 Access of <<\"x\\\">> from <<\\\"10.0.0.1\\\">> failed with error: <<\\\"bad-password\">> from <<\"2001:db8::33\">> failed with error: <<\"bad-password\">>", ip = "2001:db8::33" },
  },
  harmless = {
    { log = F, T .. "[info] <0.110.0>@ejabberd_app:start/2:63 ejabberd 23.01 is started in the node ejabberd@localhost in 3.12s" },
    { log = F, T .. "[info] <0.1234.0>@ejabberd_c2s:process_auth_result/3:264 (tls|<0.1234.0>) Accepted c2s SCRAM-SHA-1 authentication for alice@example.org by sql backend from ::FFFF:203.0.113.9" },
    { log = F, T .. "[info] <0.1234.0>@ejabberd_c2s:bind/2:452 (tls|<0.1234.0>) Opened c2s session for alice@example.org/gajim.X1Y2" },
    { log = F, T .. "[info] <0.1234.0>@ejabberd_c2s:process_terminated/2:296 (tls|<0.1234.0>) Closing c2s session for alice@example.org/gajim.X1Y2: Connection failed: connection closed" },
    { log = F, T .. "[info] <0.1234.0>@ejabberd_c2s:process_auth_result/3:264 (tls|<0.1234.0>) Accepted c2s PLAIN authentication for x from 10.0.0.1: Invalid username or password@example.org by sql backend from 203.0.113.9" },
    { log = F, T .. "[warning] <0.1234.0>@ejabberd_c2s:process_terminated/2:307 (tls|<0.1234.0>) Failed to secure c2s connection: TLS failed: unexpected message" },
    { log = F, T .. "[warning] <0.1234.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.1234.0>) Failed c2s PLAIN authentication for alice@example.org from hidden: Invalid username or password" },
  },
}
