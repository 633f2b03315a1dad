-- Pure-FTPd (Debian 12: pure-ftpd 1.0.50). It logs only through syslog(3)
-- (openlog "pure-ftpd"), so on a stock Debian 12 its lines are
-- in the journal with the identifier pure-ftpd (pure-ftpd-mysql,
-- pure-ftpd-postgresql and pure-ftpd-ldap run the same daemon, whose
-- identifier is still pure-ftpd). Each line is "(ACCOUNT@HOST) [LEVEL] TEXT"
-- (ftpd.c logfile()), ACCOUNT being "?" until the login succeeded and HOST
-- the client's address (Debian's DontResolve) or its name. Written from
-- ftpd.c (dopass(): MSG_AUTH_FAILED_LOG, MSG_ACCOUNT_DISABLED,
-- MSG_AUTH_TOOMANY) and messages_en.h. The user name comes after the
-- address, inside the text: the address taken is the prefix's, so a name
-- holding "(?@10.0.0.1)" counts nobody else. A HOST that is a name (without
-- DontResolve) is not an address and is not counted.
local L = require "luruse"

local PREFIX = [[^\((?:\?|[^@()\s]*)@(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)\) ]]

L.jail "pure-ftpd" {
  identifier = "pure-ftpd",
  failures = {
    PREFIX .. [[\[WARNING\] Authentication failed for user \[.*\]$]],
    -- a uid under MinUID (Debian: 1000), root's first of all
    PREFIX .. [[\[WARNING\] Can't login as \[.*\]: account disabled(?: \(uid < \d+\))?$]],
    PREFIX .. [[\[ERROR\] Too many authentication failures$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "FTP login failure from {ip}",
}
