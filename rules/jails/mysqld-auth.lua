-- MariaDB / MySQL login failures (Debian 12: MariaDB 10.11). Debian's
-- mariadb.service runs /usr/sbin/mariadbd with no log_error (it is commented
-- out in /etc/mysql/mariadb.conf.d/50-server.cnf), so the error log is
-- mariadbd's stderr: the journal, identifier mariadbd (mysqld for older
-- packages and MySQL's own); with `log_error = /var/log/mysql/error.log` the
-- same lines go to that file, followed here too. Written from MariaDB's
-- sql/sql_acl.cc (login_failed_error: sql_print_warning of
-- ER_ACCESS_DENIED_ERROR when log_warnings > 1, the default since 10.2.4),
-- sql/share/errmsg-utf8.txt ("Access denied for user '%s'@'%s' (using
-- password: %s)"), sql/log.cc (the error log's "YYYY-MM-DD HH:MM:SS THREAD
-- [Warning] " prefix, the hour padded with a space) and sql/sql_connect.cc /
-- sql/mysqld.cc ("Aborted connection N to db: 'unconnected' user:
-- 'unauthenticated' host: 'H' (...)", a client that went away before logging
-- in: port scans and protocol probes, logged when log_warnings > 2); MySQL
-- 8's form ("... [Note] [MY-010926] [Server] Access denied ...") too.
--
-- The host is the client's address unless the server resolves names
-- (skip-name-resolve off and a reverse name that resolves back): a host name
-- counts nobody. The user name is the client's to choose and comes before
-- the host: the address is anchored at the line's end, so a name holding
-- "'@'10.0.0.1' (using password: YES)" counts nobody else. An IPv4 address
-- seen on an IPv6 socket (::ffff:203.0.113.9) counts as the IPv4 address.
local L = require "luruse"

-- an address, not a host name that happens to be made of hex digits ("cafe.be")
local IP = [[(?:::ffff:)?(?<ip>\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)]]
local HEAD = [[^(?:\d{4}-\d\d-\d\d(?:T| +)\d{1,2}:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)? +)?(?:\d+ )?]]
  .. [[\[(?:Warning|Note)\] (?:\[MY-\d+\] \[Server\] )?]]

L.jail "mysqld-auth" {
  identifier = { "mariadbd", "mysqld" },
  file = { "/var/log/mysql/error.log", identifier = "mariadbd" },
  failures = {
    HEAD .. [[Access denied for user '.*'@']] .. IP .. [[' \(using password: (?:YES|NO)\)$]],
    HEAD .. [[Aborted connection \d+ to db: 'unconnected' user: 'unauthenticated' host: ']] .. IP
      .. [[' \((?:This connection closed normally without authentication|Got an error reading communication packets|Got timeout reading communication packets|Got an error writing communication packets)\)$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "database login failure from {ip}",
}
