-- Sendmail 8.17.1 (Debian 12) lines, as sm-mta writes them to the journal.
return {
  jail = "sendmail",
  ident = "sm-mta",
  failures = {
    { "424A8IBx012345: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=admin, relay=[203.0.113.5]", ip = "203.0.113.5" },
    { "424A8IBx012346: AUTH failure (PLAIN): user not found (-20) SASL(-13): user not found: unable to canonify user and get auxprops, relay=host.example.com [198.51.100.7] (may be forged)", ip = "198.51.100.7" },
    { "424A8IBx012347: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=info, relay=[IPv6:2001:db8::25]", ip = "2001:db8::25" },
    { "424A8IBx012348: ruleset=check_rcpt, arg1=<victim@example.net>, relay=[192.0.2.44], reject=550 5.7.1 <victim@example.net>... Relaying denied. IP name lookup failed [192.0.2.44]", ip = "192.0.2.44" },
    { "424A8IBx012349: ruleset=check_rcpt, arg1=<victim@example.net>, relay=mail.example.com [2001:db8:5::3] (may be forged), reject=550 5.7.1 <victim@example.net>... Relaying denied", ip = "2001:db8:5::3" },
    { "424A8IBx012350: ruleset=check_mail, arg1=<x@nonexistent.invalid>, relay=[198.51.100.30], reject=553 5.1.8 <x@nonexistent.invalid>... Domain of sender address x@nonexistent.invalid does not exist", ip = "198.51.100.30" },
    { "ruleset=check_relay, arg1=[203.0.113.12], arg2=127.0.0.2, relay=[203.0.113.12], reject=554 5.7.1 Rejected 203.0.113.12 found in zen.spamhaus.org", ip = "203.0.113.12" },
    { "424A8IBx012351: [203.0.113.80]: possible SMTP attack: command=AUTH, count=5", ip = "203.0.113.80" },
    { "rejecting commands from scanner.example.com [198.51.100.81] due to pre-greeting traffic after 0 seconds", ip = "198.51.100.81" },
    { "424A8IBx012352: host.example.com [192.0.2.82]: Possible SMTP RCPT flood, throttling.", ip = "192.0.2.82" },
    { ident = "sendmail", "424A8IBx012353: AUTH failure (CRAM-MD5): authentication failure (-13) SASL(-13): authentication failure: incorrect digest response, relay=[192.0.2.83]", ip = "192.0.2.83" },
    -- planted addresses: the user name, the recipient
    { "424A8IBx012354: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=x, relay=[10.0.0.1], relay=[203.0.113.90]", ip = "203.0.113.90" },
    { "424A8IBx012355: ruleset=check_rcpt, arg1=<a, relay=[10.0.0.1], reject=550 5.7.1 x@example.net>, relay=[198.51.100.91], reject=550 5.7.1 <a, relay=[10.0.0.1], reject=550 5.7.1 x@example.net>... Relaying denied", ip = "198.51.100.91" },
  },
  harmless = {
    { "424A8IBx012345: from=<alice@example.org>, size=1234, class=0, nrcpts=1, msgid=<x@example.org>, proto=ESMTPSA, daemon=MTA, tls_verify=NO, auth=LOGIN, relay=mail.example.net [203.0.113.5]" },
    { "AUTH=server, relay=mail.example.net [203.0.113.5], authid=alice, mech=LOGIN, bits=0" },
    { "424A8IBx012346: ruleset=check_rcpt, arg1=<bob@example.org>, relay=mail.example.net [198.51.100.5], reject=451 4.1.8 Domain of sender address a@example.net does not resolve" },
    { "starting daemon (8.17.1.9): SMTP+queueing@00:10:00" },
    { "424A8IBx012347: to=<bob@example.org>, delay=00:00:01, xdelay=00:00:01, mailer=local, pri=30000, dsn=2.0.0, stat=Sent" },
    { "424A8IBx012348: [203.0.113.9] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA" },
    -- a forged arg1 holding '<' '>': not counted, for no one
    { "424A8IBx012349: ruleset=check_rcpt, arg1=<a>, relay=[10.0.0.1], reject=550 5.7.1 <a>, relay=[203.0.113.9], reject=550 5.7.1 <a>, relay=[10.0.0.1], reject=550 5.7.1 <a>... Relaying denied" },
  },
}
