-- ejabberd (Debian 12: ejabberd 23.01, on Erlang/OTP 25). ejabberd writes its
-- own log, /var/log/ejabberd/ejabberd.log (Debian's ejabberd.service starts
-- it with `ejabberdctl start`: nothing of it reaches the journal). A line is
-- logger_formatter's, with ejabberd_logger.erl's file template: "TIME [LEVEL]
-- PID@MODULE:FUNCTION/ARITY:LINE TEXT", TIME being RFC 3339 with a space
-- ("2024-03-04 00:08:18.123456+00:00").
--
-- Written from src/ejabberd_c2s.erl (process_auth_result/3, the
-- c2s_auth_result hook that handle_auth_failure/4 runs; older releases log
-- from handle_auth_failure/4 itself, at info level): "(SOCKET) Failed c2s MECH
-- authentication [for USER@HOST ]from ADDR: TEXT", SOCKET being
-- xmpp_socket:pp/1's "TRANSPORT|PID" (tcp, tls, http_bind for BOSH,
-- websocket...: BOSH and WebSocket logins are c2s logins too), "for ..." left
-- out when the client gave no user name (ANONYMOUS, an aborted or an
-- unsupported mechanism), and TEXT cyrsasl/xmpp_sasl_*'s fixed
-- format_error text ("Invalid username or password", "Nodeprep failed",
-- "Unsupported mechanism", "Aborted"...); from src/ejabberd_web_admin.erl:
-- "Access of USER from ADDR failed with error: ERROR" (~p: binaries print as
-- <<"...">>), a failed HTTP basic login to the web admin. ADDR is
-- misc:ip_to_list/1, inet_parse:ntoa/1: OTP 25 writes an IPv4 client of a
-- dual-stack listener as "::FFFF:203.0.113.9" and IPv6 in upper case
-- ("2001:DB8::7"; later OTP releases in lower case): the IPv4 address of a
-- mapped one is counted, as in the other jails; an IPv6 one as written. With
-- hide_sensitive_log_data, ADDR is "hidden": nobody counts.
-- Source: github.com/processone/ejabberd, tag 23.01 (src/ejabberd_c2s.erl
-- process_auth_result/3: ?WARNING_MSG("(~ts) Failed c2s ~ts authentication
-- ~tsfrom ~ts: ~ts", ...); src/ejabberd_web_admin.erl).
--
-- MECH and USER are the client's (a SASL PLAIN user name is logged as sent,
-- even one nodeprep refused); the address is the last one, followed by the
-- server's own text to the line's end, with no ':', '.', digit or '@' in it:
-- a user name holding "from 10.0.0.1: Invalid username or password" is
-- followed by "@HOST from ADDR: ...", and counts nobody else. A user name
-- holding a newline cannot be told from a line of ejabberd's own (the file
-- template does not escape it): such a name may write a whole line.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local TIME = [[^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[-+]\d\d:\d\d)? ]]
local PID = [[<\d+\.\d+\.\d+>]]

L.jail "ejabberd" {
  file = { "/var/log/ejabberd/ejabberd.log", identifier = "ejabberd" },
  failures = {
    TIME .. [[\[(?:warning|info)\] ]] .. PID .. [[@ejabberd_c2s:\w+/\d+:\d+ \([\w-]+\|]] .. PID
      .. [[\) Failed c2s .+ authentication (?:for .* )?from ]] .. IP .. [[: [A-Za-z][A-Za-z' -]*$]],
    TIME .. [[\[warning\] ]] .. PID .. [[@ejabberd_web_admin:\w+/\d+:\d+ Access of .* from (?:<<)?"]] .. IP
      .. [["(?:>>)? failed with error: (?:<<)?"[a-z-]+"(?:>>)?$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "XMPP login failure from {ip}",
}
