-- ProFTPD (Debian 12: proftpd-core 1.3.8). Debian's /etc/proftpd/proftpd.conf
-- sets "SystemLog /var/log/proftpd/proftpd.log": its lines then go to that
-- file, "2024-03-04 00:08:18,123 HOST proftpd[PID] SERVER (NAME[ADDR]): TEXT";
-- without SystemLog they go to syslog, i.e. the journal with the identifier
-- proftpd: "SERVER (NAME[ADDR]) - TEXT". Written from ProFTPD's src/log.c
-- (log_write: the "(%s[%s])" of the session's remote name and address, then
-- ": " in the SystemLog file, " - " through syslog) and modules/mod_auth.c
-- (auth_pass, auth_user, setup_env: "USER %s (Login failed): ...", "USER %s:
-- no such user found from ...", "Maximum login attempts (%u) exceeded",
-- "SECURITY VIOLATION: Root login attempted"); mod_sftp logs the same lines.
-- The address is taken from the session prefix, which comes before any text
-- of the client's (the user name): a name holding "[10.0.0.1])" counts
-- nobody else. NAME is a DNS name (UseReverseDNS) or the address, checked by
-- pr_netaddr_validate_dns_str, so it holds no brackets or spaces. IPv4
-- clients of an IPv6 socket (Debian: UseIPv6 on) are "::ffff:a.b.c.d" (the
-- IPv4 address is counted, as in every jail).
-- The PAM module's "PAM(user): Authentication failure." repeats the
-- "Incorrect password" line and is left out.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
-- the file's date: 1.3.8's "2024-03-04 00:08:18,123", older ones' "Mar 04 00:08:18"
local PREFIX = [=[^(?:(?:(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) \S+ )?proftpd\[\d+\] )?\S+ \([^\s\[\]]*\[]=] .. IP
  .. [=[\]\)(?::| -) ]=]
-- mod_auth.c's reasons after "(Login failed): " (and auth.c's for the
-- PR_AUTH_* codes); the line ends there, so a user name holding one of them
-- does not make "USER ...: Login successful." a failure
local REASON = [[(?:Incorrect password|No such user found|Password expired|Account disabled|]]
  .. [[Insufficient credentials|Unavailable credentials|Failure setting credentials|]]
  .. [[Unavailable authentication service|Max authentication service attempts reached|]]
  .. [[Failed initializing authentication service|New authentication token required|]]
  .. [[Invalid shell: '[^']*'|User in \S+|Limit access denies login|Not a UserAlias|]]
  .. [[Limit (?:configuration|LOGIN) denies login|Login denied)\.?]]

L.jail "proftpd" {
  identifier = "proftpd",
  file = { "/var/log/proftpd/proftpd.log", identifier = "proftpd" },
  failures = {
    PREFIX .. [[(?:USER|ANON) .* \(Login failed\): ]] .. REASON .. [[\s*$]],
    PREFIX .. [[USER .*: no such user found from \S* \[[0-9A-Fa-f:.]+\] to [0-9A-Fa-f:.]+[:#]\d+\s*$]],
    PREFIX .. [[Maximum login attempts \(\d+\) exceeded, connection refused\s*$]],
    PREFIX .. [[SECURITY VIOLATION: Root login attempted\.?\s*$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "FTP login failure from {ip}",
}
