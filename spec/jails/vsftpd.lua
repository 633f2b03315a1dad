-- vsftpd 3.0.3 (Debian 12) lines: its own /var/log/vsftpd.log, the same
-- lines through syslog (syslog_enable=YES) and PAM's lines in the journal.
local F = "/var/log/vsftpd.log"
return {
  jail = "vsftpd",
  ident = "vsftpd",
  failures = {
    { log = F, [[Sat Mar  2 12:34:56 2024 [pid 4242] [admin] FAIL LOGIN: Client "::ffff:203.0.113.9"]], ip = "203.0.113.9" },
    { log = F, [[Mon Mar 04 00:08:18 2024 [pid 17] [root] FAIL LOGIN: Client "198.51.100.23"]], ip = "198.51.100.23" },
    { log = F, [[Mon Mar  4 00:08:19 2024 [pid 18] [test] FAIL LOGIN: Client "2001:db8::7"]], ip = "2001:db8::7" },
    { log = F, [[Mon Mar  4 00:08:20 2024 [pid 19] [anonymous] FAIL LOGIN: Client "::ffff:192.0.2.44", anon password "mozilla@example.com"]], ip = "192.0.2.44" },
    { "[www-data] FAIL LOGIN: Client \"::ffff:203.0.113.77\"", ip = "203.0.113.77" },
    { "[user] FAIL LOGIN: Client \"2001:db8:1::15\"", ip = "2001:db8:1::15" },
    -- logging.c writes the pid in the syslog form too
    { "[pid 2345] [admin] FAIL LOGIN: Client \"::ffff:203.0.113.78\"", ip = "203.0.113.78" },
    { "[pid 2346] [anonymous] FAIL LOGIN: Client \"198.51.100.79\", anon password \"guest\"", ip = "198.51.100.79" },
    { "pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=root rhost=::ffff:198.51.100.4  user=root", ip = "198.51.100.4" },
    { "pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=oracle rhost=203.0.113.5", ip = "203.0.113.5" },
    { "pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=ftpuser rhost=2001:db8::9  user=ftpuser", ip = "2001:db8::9" },
    -- planted addresses in the user name or the anonymous password
    { log = F, [[Mon Mar  4 00:08:21 2024 [pid 20] [x] FAIL LOGIN: Client "10.0.0.1"] FAIL LOGIN: Client "::ffff:203.0.113.30"]], ip = "203.0.113.30" },
    { log = F, [[Mon Mar  4 00:08:22 2024 [pid 21] [anonymous] FAIL LOGIN: Client "198.51.100.31", anon password "a"] FAIL LOGIN: Client "10.0.0.1""]], ip = "198.51.100.31" },
    { "[a Client \"10.0.0.1\"] FAIL LOGIN: Client \"192.0.2.32\"", ip = "192.0.2.32" },
  },
  harmless = {
    { log = F, [[Sat Mar  2 12:34:50 2024 [pid 4241] CONNECT: Client "::ffff:203.0.113.9"]] },
    { log = F, [[Sat Mar  2 12:34:58 2024 [pid 4242] [alice] OK LOGIN: Client "::ffff:203.0.113.9"]] },
    { log = F, [[Sat Mar  2 12:35:10 2024 [pid 4244] [alice] OK DOWNLOAD: Client "::ffff:203.0.113.9", "/home/alice/FAIL LOGIN: Client \"10.0.0.1\"", 1024 bytes, 512.00Kbyte/sec]] },
    { log = F, [[Sat Mar  2 12:35:11 2024 [pid 4244] [alice] FAIL UPLOAD: Client "2001:db8::7", "/home/alice/x.bin", 0.00Kbyte/sec]] },
    { "[alice] OK LOGIN: Client \"2001:db8::7\"" },
    { "[pid 2347] [alice] OK LOGIN: Client \"::ffff:203.0.113.9\"" },
    { "[pid 2348] CONNECT: Client \"::ffff:203.0.113.9\"" },
    { "pam_unix(vsftpd:session): session opened for user alice(uid=1000) by (uid=0)" },
    { "pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=a rhost=10.0.0.1 rhost=203.0.113.9  user=a rhost=10.0.0.1" },
    { ident = "proftpd", "[root] FAIL LOGIN: Client \"203.0.113.9\"" },
  },
}
