-- Dovecot 2.3.19.1 (Debian 12) lines, as they reach the journal ("dovecot").
return {
  jail = "dovecot",
  ident = "dovecot",
  failures = {
    { "imap-login: Disconnected: Connection closed (auth failed, 1 attempts in 2 secs): user=<admin@example.org>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.1, TLS, session=<Gm8Ao2kP4tzLAAAB>", ip = "203.0.113.5" },
    { "imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<info>, method=LOGIN, rip=2001:db8::15, lip=2001:db8::1, session=<Q2RhoH5JLq4gAQ24>", ip = "2001:db8::15" },
    { "pop3-login: Aborted login (auth failed, 1 attempts in 3 secs): user=<test>, method=PLAIN, rip=198.51.100.23, lip=192.0.2.1, session=<aQ7c5ZkPPNTGM2Qx>", ip = "198.51.100.23" },
    { "pop3-login: Disconnected: Too many invalid commands. (auth failed, 2 attempts in 8 secs): user=<sales>, method=PLAIN, rip=::ffff:192.0.2.77, lip=::ffff:192.0.2.1, TLS, session=<xQ7c5ZkPaBcGM2Qx>", ip = "192.0.2.77" },
    { "submission-login: Disconnected: Inactivity during authentication (auth failed, 1 attempts in 180 secs): user=<postmaster@example.org>, method=LOGIN, rip=203.0.113.40, lip=192.0.2.1, TLS, session=<r9+K5ZkPyNTGM2Qx>", ip = "203.0.113.40" },
    { "managesieve-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<root>, method=PLAIN, rip=203.0.113.41, lip=192.0.2.1, session=<sQ7c5ZkP1NTGM2Qx>", ip = "203.0.113.41" },
    { "imap-login: Disconnected (tried to use disallowed plaintext auth): user=<>, rip=198.51.100.50, lip=192.0.2.1, session=<aB7c5ZkPKNTGM2Qx>", ip = "198.51.100.50" },
    { "imap-login: Login aborted: Connection closed (auth failed, 1 attempts in 2 secs) (auth_failed): user=<bob>, method=PLAIN, rip=2001:db8:3::9, lip=2001:db8::1, TLS, session=<c9k3ZZkPoNTGM2Qx>", ip = "2001:db8:3::9" },
    { "imap-login: Disconnected (auth failed, 1 attempts in 2 secs): method=PLAIN, rip=192.0.2.88, lip=192.0.2.1, TLS, session=<d9k3ZZkPoNTGM2Qx>", ip = "192.0.2.88" },
    { "auth-worker(4711): pam(alice,203.0.113.60,<Gm8Ao2kP4tzLAAAB>): pam_authenticate() failed: Authentication failure (Password mismatch?)", ip = "203.0.113.60" },
    { "auth: passwd-file(nobody@example.org,2001:db8::61,<Q2RhoH5JLq4gAQ24>): unknown user", ip = "2001:db8::61" },
    { "auth-worker(4711): sql(carol@example.org,198.51.100.62,<x2RhoH5JLq4gAQ24>): Password mismatch", ip = "198.51.100.62" },
    -- planted addresses in the user name: the real client is the last one
    { "imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x>, method=PLAIN, rip=10.0.0.1, lip=10.0.0.1, session=<x>, method=PLAIN, rip=203.0.113.70, lip=192.0.2.1, TLS, session=<e9k3ZZkPoNTGM2Qx>", ip = "203.0.113.70" },
    { "auth: pam(a,10.0.0.1): unknown user,198.51.100.71): unknown user", ip = "198.51.100.71" },
  },
  harmless = {
    { "imap-login: Login: user=<alice@example.org>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.1, mpid=2345, TLS, session=<Gm8Ao2kP4tzLAAAB>" },
    { "imap(alice@example.org)<2345><Gm8Ao2kP4tzLAAAB>: Disconnected: Logged out in=120 out=2048 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0" },
    { "imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=198.51.100.23, lip=192.0.2.1, TLS handshaking: Connection closed, session=<aQ7c5ZkPPNTGM2Qx>" },
    { "master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp (core dumps disabled)" },
    { "pop3-login: Login: user=<x (auth failed, 1 attempts in 2 secs): rip=10.0.0.1>, method=PLAIN, rip=203.0.113.9, lip=192.0.2.1, session=<f9k3ZZkPoNTGM2Qx>" },
    { "lmtp(bob@example.org)<9876><kLmNOp>: msgid=<20240304.1@example.org>: saved mail to INBOX" },
    { ident = "postfix/smtpd", "imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<a>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.1, session=<x>" },
  },
}
