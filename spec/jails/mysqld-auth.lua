-- MariaDB 10.11 (Debian 12) error-log lines as the journal holds them
-- (identifier mariadbd), the same in /var/log/mysql/error.log; MySQL 8's form.
local LOG = "/var/log/mysql/error.log"
return {
  jail = "mysqld-auth",
  ident = "mariadbd",
  failures = {
    { "2024-03-04  0:08:18 31 [Warning] Access denied for user 'root'@'203.0.113.9' (using password: YES)", ip = "203.0.113.9" },
    { "2024-03-04  0:08:19 32 [Warning] Access denied for user 'admin'@'2001:db8::7' (using password: NO)", ip = "2001:db8::7" },
    { "2024-03-04 10:08:20 33 [Warning] Access denied for user ''@'198.51.100.23' (using password: NO)", ip = "198.51.100.23" },
    { "2024-03-04 10:08:21 34 [Warning] Access denied for user 'wordpress'@'::ffff:192.0.2.44' (using password: YES)", ip = "192.0.2.44" },
    { "2024-03-04 10:08:22 35 [Warning] Aborted connection 35 to db: 'unconnected' user: 'unauthenticated' host: '203.0.113.77' (This connection closed normally without authentication)", ip = "203.0.113.77" },
    { "2024-03-04 10:08:23 36 [Warning] Aborted connection 36 to db: 'unconnected' user: 'unauthenticated' host: '2001:db8:1::15' (Got an error reading communication packets)", ip = "2001:db8:1::15" },
    { log = LOG, "2024-03-04 10:08:24 37 [Warning] Access denied for user 'sa'@'198.51.100.4' (using password: YES)", ip = "198.51.100.4" },
    { ident = "mysqld", "2024-03-04T10:08:25.123456Z 38 [Note] [MY-010926] [Server] Access denied for user 'root'@'203.0.113.5' (using password: YES)", ip = "203.0.113.5" },
    { ident = "mysqld", "2024-03-04 10:08:26 39 [Warning] Access denied for user 'test'@'2001:db8::9' (using password: YES)", ip = "2001:db8::9" },
    -- planted addresses in the user name: the host is the last quoted field
    { "2024-03-04 10:08:27 40 [Warning] Access denied for user 'x'@'10.0.0.1' (using password: YES)'@'203.0.113.30' (using password: YES)", ip = "203.0.113.30" },
    { "2024-03-04 10:08:28 41 [Warning] Access denied for user '10.0.0.1'@'198.51.100.31' (using password: NO)", ip = "198.51.100.31" },
  },
  harmless = {
    { "2024-03-04 10:09:00 0 [Note] /usr/sbin/mariadbd: ready for connections. Version: '10.11.6-MariaDB-0+deb12u1'  socket: '/run/mysqld/mysqld.sock'  port: 3306  Debian 12" },
    { "2024-03-04 10:09:01 0 [Note] InnoDB: Buffer pool(s) load completed at 240304 10:09:01" },
    { "2024-03-04 10:09:02 42 [Warning] Access denied for user 'alice'@'localhost' (using password: YES)" },
    { "2024-03-04 10:09:03 43 [Warning] Access denied for user 'alice'@'db-client.example.org' (using password: YES)" },
    { "2024-03-04 10:09:03 43 [Warning] Access denied for user 'bob'@'cafe.be' (using password: YES)" },
    { "2024-03-04 10:09:04 44 [Warning] Aborted connection 44 to db: 'shop' user: 'shop' host: '203.0.113.9' (Got timeout reading communication packets)" },
    { "2024-03-04 10:09:05 45 [Warning] IP address '203.0.113.9' could not be resolved: Name or service not known" },
    { ident = "mariadb-backup", "2024-03-04 10:09:06 46 [Warning] Access denied for user 'root'@'203.0.113.9' (using password: YES)" },
  },
}
