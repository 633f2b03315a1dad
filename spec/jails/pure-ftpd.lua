-- Pure-FTPd 1.0.50 (Debian 12) lines, as they reach the journal (identifier pure-ftpd).
return {
  jail = "pure-ftpd",
  ident = "pure-ftpd",
  failures = {
    { "(?@203.0.113.9) [WARNING] Authentication failed for user [x]", ip = "203.0.113.9" },
    { "(?@198.51.100.23) [WARNING] Authentication failed for user [admin]", ip = "198.51.100.23" },
    { "(?@2001:db8::7) [WARNING] Authentication failed for user [www-data]", ip = "2001:db8::7" },
    { "(?@::ffff:192.0.2.44) [WARNING] Authentication failed for user [test]", ip = "192.0.2.44" },
    { "(?@203.0.113.77) [WARNING] Authentication failed for user []", ip = "203.0.113.77" },
    { "(?@2001:db8:1::15) [WARNING] Can't login as [root]: account disabled", ip = "2001:db8:1::15" },
    { "(?@198.51.100.4) [WARNING] Can't login as [bin]: account disabled (uid < 1000)", ip = "198.51.100.4" },
    { "(?@203.0.113.5) [ERROR] Too many authentication failures", ip = "203.0.113.5" },
    -- planted addresses in the user name
    { "(?@203.0.113.30) [WARNING] Authentication failed for user [x] (?@10.0.0.1) [WARNING] Authentication failed for user [y]", ip = "203.0.113.30" },
    { "(?@198.51.100.31) [WARNING] Authentication failed for user [(?@10.0.0.1)]", ip = "198.51.100.31" },
  },
  harmless = {
    { "(?@203.0.113.9) [INFO] New connection from 203.0.113.9" },
    { "(?@203.0.113.9) [INFO] alice is now logged in" },
    { "(alice@203.0.113.9) [INFO] Logout." },
    { "(alice@2001:db8::7) [NOTICE] /home/alice//upload.bin uploaded  (1024 bytes, 512.00KB/sec)" },
    { "(?@2001:db8::7) [INFO] Logout." },
    { "(?@203.0.113.9) [INFO] x (?@10.0.0.1) [WARNING] Authentication failed for user [y] is now logged in" },
    { "(?@scanner.example.net) [WARNING] Authentication failed for user [root]" },
    { ident = "proftpd", "(?@203.0.113.9) [WARNING] Authentication failed for user [x]" },
  },
}
