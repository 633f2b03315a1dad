-- Prosody 0.12 (Debian 12) lines with mod_log_auth: /var/log/prosody/prosody.log
-- (read as plain lines) and, with "*syslog", the journal (identifier prosody).
local F = "/var/log/prosody/prosody.log"
return {
  jail = "prosody",
  ident = "prosody",
  failures = {
    { log = F, format = "plain", "Mar 04 00:08:18 c2s55d0c6a1f2a0\tinfo\tFailed authentication attempt (not-authorized) for user x from IP: 203.0.113.9", ip = "203.0.113.9" },
    { log = F, format = "plain", "Mar 04 00:08:19 c2s55d0c6b03c10                                   info\tFailed authentication attempt (not-authorized) for user admin from IP: ::ffff:198.51.100.23", ip = "198.51.100.23" },
    { log = F, format = "plain", "Mar  4 00:08:20 c2s55d0c6b11e40\tinfo\tFailed authentication attempt (not-authorized) for user ? from IP: 2001:db8::7", ip = "2001:db8::7" },
    { log = F, format = "plain", "Mar 04 00:08:21 example.org:log_auth\tinfo\tFailed authentication attempt (not-authorized) from IP: 192.0.2.44", ip = "192.0.2.44" },
    { log = F, format = "plain", "Mar 04 00:08:22 c2s55d0c6b2a5f0\tinfo\tFailed authentication attempt (malformed-request) for user test from IP: 203.0.113.77", ip = "203.0.113.77" },
    { "c2s55d0c6a1f2a0: Failed authentication attempt (not-authorized) for user root from IP: 2001:db8:1::15", ip = "2001:db8:1::15" },
    { "example.org:log_auth: Failed authentication attempt (not-authorized) from IP: 198.51.100.4", ip = "198.51.100.4" },
    { "c2s55d0c6b3b620: Failed authentication attempt (temporary-auth-failure) for user bob from IP: 203.0.113.5", ip = "203.0.113.5" },
    -- planted addresses in the user name
    { log = F, format = "plain", "Mar 04 00:08:23 c2s55d0c6b4c710\tinfo\tFailed authentication attempt (not-authorized) for user x from IP: 10.0.0.1 from IP: 203.0.113.30", ip = "203.0.113.30" },
    { "c2s55d0c6b5d800: Failed authentication attempt (not-authorized) for user a from IP: 10.0.0.1 for user b from IP: 198.51.100.31", ip = "198.51.100.31" },
  },
  harmless = {
    { log = F, format = "plain", "Mar 04 00:00:01 general                                           info\tHello and welcome to Prosody version 0.12.3" },
    { log = F, format = "plain", "Mar 04 00:08:30 c2s55d0c6a1f2a0\tinfo\tClient connected" },
    { log = F, format = "plain", "Mar 04 00:08:31 c2s55d0c6a1f2a0\tinfo\tAuthenticated as alice@example.org" },
    { log = F, format = "plain", "Mar 04 00:08:40 c2s55d0c6a1f2a0\tinfo\tClient disconnected: connection closed" },
    { "c2s55d0c6a1f2a0: Successful authentication as alice from IP: 203.0.113.9" },
    { "c2s55d0c6a1f2a0: Successful authentication as x from IP: 10.0.0.1 from IP: 203.0.113.9" },
    { ident = "ejabberd", "c2s55d0c6a1f2a0: Failed authentication attempt (not-authorized) for user x from IP: 203.0.113.9" },
  },
}
