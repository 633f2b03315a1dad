-- ProFTPD 1.3.8 (Debian 12) lines: /var/log/proftpd/proftpd.log (Debian's
-- SystemLog) and, without SystemLog, the journal (identifier proftpd).
local F = "/var/log/proftpd/proftpd.log"
return {
  jail = "proftpd",
  ident = "proftpd",
  failures = {
    { log = F, "2024-03-04 00:08:18,123 ftp proftpd[4242] ftp.example.com (::ffff:203.0.113.9[::ffff:203.0.113.9]): USER admin (Login failed): Incorrect password", ip = "203.0.113.9" },
    { log = F, "2024-03-04 00:08:19,004 ftp proftpd[4243] ftp.example.com (scan.example.net[198.51.100.23]): USER test: no such user found from scan.example.net [198.51.100.23] to ::ffff:192.0.2.1:21", ip = "198.51.100.23" },
    { log = F, "2024-03-04 00:08:20,500 ftp proftpd[4243] ftp.example.com (2001:db8::7[2001:db8::7]): Maximum login attempts (3) exceeded, connection refused", ip = "2001:db8::7" },
    { log = F, "2024-03-04 00:08:21,010 ftp proftpd[4244] ftp.example.com (::ffff:192.0.2.44[::ffff:192.0.2.44]): SECURITY VIOLATION: Root login attempted", ip = "192.0.2.44" },
    { log = F, "2024-03-04 00:08:22,777 ftp proftpd[4245] ftp.example.com (::ffff:203.0.113.77[::ffff:203.0.113.77]): USER nobody (Login failed): Invalid shell: '/usr/sbin/nologin'", ip = "203.0.113.77" },
    { "ftp.example.com (::ffff:203.0.113.12[::ffff:203.0.113.12]) - USER root (Login failed): Incorrect password", ip = "203.0.113.12" },
    { "ftp.example.com (2001:db8:1::15[2001:db8:1::15]) - USER oracle: no such user found from 2001:db8:1::15 [2001:db8:1::15] to 2001:db8::1:21", ip = "2001:db8:1::15" },
    { "ftp.example.com (198.51.100.4[198.51.100.4]) - Maximum login attempts (3) exceeded, connection refused", ip = "198.51.100.4" },
    { "ftp.example.com (203.0.113.5[203.0.113.5]) - USER ftp (Login failed): User in /etc/ftpusers", ip = "203.0.113.5" },
    { log = F, "Mar 04 00:08:24 ftp proftpd[4247] ftp.example.com (dsl.example.org[::ffff:192.0.2.50]): USER www (Login failed): Limit access denies login", ip = "192.0.2.50" },
    { "ftp.example.com (192.0.2.51[192.0.2.51]) - ANON anonymous (Login failed): Limit access denies login", ip = "192.0.2.51" },
    -- planted addresses in the user name
    { log = F, "2024-03-04 00:08:23,001 ftp proftpd[4246] ftp.example.com (::ffff:203.0.113.30[::ffff:203.0.113.30]): USER x (10.0.0.1[10.0.0.1]): USER y (Login failed): Incorrect password", ip = "203.0.113.30" },
    { "ftp.example.com (198.51.100.31[198.51.100.31]) - USER a from 10.0.0.1 [10.0.0.1] to 1.2.3.4:21: no such user found from 198.51.100.31 [198.51.100.31] to 192.0.2.1:21", ip = "198.51.100.31" },
  },
  harmless = {
    { log = F, "2024-03-04 00:00:01,000 ftp proftpd[1000] ftp.example.com: ProFTPD 1.3.8 (stable) (built Thu Feb 2 2023 10:12:21 UTC) standalone mode STARTUP" },
    { log = F, "2024-03-04 00:08:30,123 ftp proftpd[4250] ftp.example.com (::ffff:203.0.113.9[::ffff:203.0.113.9]): FTP session opened." },
    { log = F, "2024-03-04 00:08:31,456 ftp proftpd[4250] ftp.example.com (::ffff:203.0.113.9[::ffff:203.0.113.9]): USER alice: Login successful." },
    { log = F, "2024-03-04 00:08:40,000 ftp proftpd[4250] ftp.example.com (::ffff:203.0.113.9[::ffff:203.0.113.9]): FTP session closed." },
    { "ftp.example.com (2001:db8::7[2001:db8::7]) - ANON anonymous: Login successful." },
    { "ftp.example.com (2001:db8::7[2001:db8::7]) - USER x (Login failed): Incorrect password: Login successful." },
    { "ftp.example.com (203.0.113.9[203.0.113.9]) - USER bob (10.0.0.1[10.0.0.1]) - Login failed: Login successful." },
    { ident = "vsftpd", "ftp.example.com (203.0.113.9[203.0.113.9]) - USER root (Login failed): Incorrect password" },
  },
}
