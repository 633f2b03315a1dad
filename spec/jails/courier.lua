-- Courier (Debian 12) lines, as courierlogger writes them to the journal.
return {
  jail = "courier",
  ident = "imapd",
  failures = {
    { "LOGIN FAILED, user=admin, ip=[::ffff:203.0.113.5]", ip = "203.0.113.5" },
    { "LOGIN FAILED, method=PLAIN, user=info@example.org, ip=[2001:db8::25]", ip = "2001:db8::25" },
    { ident = "imapd-ssl", "LOGIN FAILED, method=LOGIN, user=test, ip=[::ffff:198.51.100.7]", ip = "198.51.100.7" },
    { ident = "pop3d", "LOGIN FAILED, user=root, ip=[::ffff:192.0.2.44]", ip = "192.0.2.44" },
    { ident = "pop3d-ssl", "LOGIN FAILED, method=USER/PASS, user=bob, ip=[::ffff:203.0.113.12], port=[40000]", ip = "203.0.113.12" },
    { ident = "courieresmtpd", "error,relay=::ffff:198.51.100.30,port=52000,msg=\"535 Authentication failed.\",cmd: AUTH LOGIN", ip = "198.51.100.30" },
    { ident = "courieresmtpd", "error,relay=::ffff:192.0.2.61,from=<a@example.com>,to=<victim@example.net>: 513 Relaying denied.", ip = "192.0.2.61" },
    { ident = "courieresmtpd", "error,relay=2001:db8:5::3,from=<a@example.com>,to=<nobody@example.org>: 550 User unknown.", ip = "2001:db8:5::3" },
    { ident = "courierpop3login", "LOGIN FAILED, user=sales, ip=[::ffff:203.0.113.64]", ip = "203.0.113.64" },
    { ident = "courieresmtpd", "error,relay=::ffff:203.0.113.65,from=<a@example.com>,to=<x@example.org>: 550 User <x@example.org> unknown", ip = "203.0.113.65" },
    { ident = "courieresmtpd", "error,relay=2001:db8::66,port=43000,msg=\"535 Authentication failed.\",cmd: AUTH PLAIN", ip = "2001:db8::66" },
    { ident = "imapd-ssl", "LOGIN FAILED, user=postmaster@example.org, ip=[::ffff:198.51.100.67]", ip = "198.51.100.67" },
    { ident = "pop3d", "LOGIN FAILED, method=USER/PASS, user=admin, ip=[2001:db8:7::68], port=[50110]", ip = "2001:db8:7::68" },
    -- planted addresses in the user name and the envelope
    { "LOGIN FAILED, user=x, ip=[10.0.0.1], ip=[::ffff:203.0.113.90]", ip = "203.0.113.90" },
    { ident = "courieresmtpd", "error,relay=::ffff:198.51.100.91,from=<error,relay=10.0.0.1,@x>,to=<a@example.net>: 513 Relaying denied.", ip = "198.51.100.91" },
  },
  harmless = {
    { "LOGIN, user=alice, ip=[::ffff:203.0.113.5], port=[40000], protocol=IMAP" },
    { "LOGOUT, user=alice, ip=[::ffff:203.0.113.5], headers=0, body=0, rcvd=100, sent=2000, time=10" },
    { "Connection, ip=[::ffff:203.0.113.5]" },
    { "DISCONNECTED, ip=[::ffff:203.0.113.5], headers=0, body=0, rcvd=0, sent=50, time=1" },
    { ident = "courieresmtpd", "error,relay=::ffff:198.51.100.5,from=<a@example.net>,to=<b@example.org>: 451 Service temporarily unavailable." },
    { ident = "pop3d", "LOGIN, user=bob, ip=[::ffff:198.51.100.5], port=[40110]" },
    { ident = "courieresmtpd", "started,ip=[::ffff:203.0.113.5]" },
    { "LOGIN, user=x, ip=[10.0.0.1], LOGIN FAILED, user=y, ip=[::ffff:203.0.113.9], port=[1], protocol=IMAP" },
  },
}
