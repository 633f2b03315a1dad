-- SOGo 5.8 (Debian 12) lines, as sogod writes them to /var/log/sogo/sogo.log.
local F = "/var/log/sogo/sogo.log"
return {
  jail = "sogo",
  ident = "sogo",
  failures = {
    { log = F, "Mar 04 00:08:18 sogod [26818]: SOGoRootPage Login from '203.0.113.5' for user 'admin' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0", ip = "203.0.113.5" },
    { log = F, "Mar 04 00:08:19 sogod [26818]: SOGoRootPage Login from '2001:db8::25' for user 'info@example.org' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0", ip = "2001:db8::25" },
    { log = F, "Mar  4 00:08:20 sogod [26819]: SOGoRootPage Login from '198.51.100.7' for user 'test' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0", ip = "198.51.100.7" },
    { log = F, "Mar 04 00:08:21 sogod [26818]: SOGoRootPage Login from '192.0.2.44' for user 'bob' might not have worked - password policy: 0  grace: -1  expire: -1  bound: 0", ip = "192.0.2.44" },
    { log = F, "Mar 04 00:08:22 sogod [26818]: SOGoRootPage Login from '::ffff:203.0.113.12' for user 'root' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0", ip = "203.0.113.12" },
    { log = F, "Mar 04 00:08:23 sogod [26820]: SOGoRootPage Login from '2001:db8:5::3' for user '' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0", ip = "2001:db8:5::3" },
    { log = F, "Mar 04 00:08:24 sogod [26820]: SOGoRootPage Login from '198.51.100.30' for user 'a user' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 1", ip = "198.51.100.30" },
    { log = F, "Mar 04 00:08:25 sogod [26820]: SOGoRootPage Login from '192.0.2.61' for user 'postmaster' might not have worked - password policy: 2  grace: -1  expire: -1  bound: 1", ip = "192.0.2.61" },
    -- planted addresses in the user name
    { log = F, "Mar 04 00:08:26 sogod [26818]: SOGoRootPage Login from '203.0.113.90' for user 'x' might not have worked - password policy: 1 SOGoRootPage Login from '10.0.0.1' for user 'y' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0", ip = "203.0.113.90" },
    { log = F, "Mar 04 00:08:27 sogod [26818]: SOGoRootPage Login from '198.51.100.91' for user 'Login from '10.0.0.1'' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0", ip = "198.51.100.91" },
  },
  harmless = {
    { log = F, "Mar 04 00:09:00 sogod [26818]: SOGoRootPage successful login from '203.0.113.5' for user 'alice' - expire = -1  grace = -1" },
    { log = F, "Mar 04 00:09:01 sogod [26817]: [WARN] <0x0x55d5c1a2b3c0[WOWatchDogChild]> pid 26818 has been hanging in the same request for 1 minutes" },
    { log = F, "Mar 04 00:09:02 sogod [26816]: <0x0x55d5c1a2b3c0[WOWatchDog]> listening on 127.0.0.1:20000" },
    { log = F, "Mar 04 00:09:03 sogod [26818]: 203.0.113.5 \"POST /SOGo/connect HTTP/1.1\" 200 64/62 0.012 - - 0 - 9" },
    { log = F, "Mar 04 00:09:04 sogod [26818]: SOGoRootPage successful login from '203.0.113.5' for user 'Login from '10.0.0.1' for user 'x' might not have worked - password policy: 1' - expire = -1  grace = -1" },
  },
}
