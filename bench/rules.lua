-- Benchmark rule set: what the administrator of a mail/web/XMPP server (the one
-- bench/gen_journal.py imitates) would write. 35 chains, in the order
-- such a file is usually written: cheap discards of the noisy services first,
-- then one group of chains per watched service (regexes with named captures),
-- a PRIORITY discard, and a catch-all last chain.
--
-- Fields read: SYSLOG_IDENTIFIER, PRIORITY, MESSAGE, _HOSTNAME (bench/floor.c
-- reads exactly these four).
--
-- Actions: L.log only where an attacker is caught (about 1 % of the entries of
-- the corpus are attack lines), L.noop everywhere else, so that writing log
-- lines does not dominate the measure. bench/run.sh counts the log lines.
local L = require "luruse"

L.config { storage = os.getenv("LURUSE_BENCH_STATE") or "/tmp/luruse-bench-state" }

local LAN = { "192.168.1.0/24", "127.0.0.0/8", "::1/128" }
local DMZ_DNAT = { "192.168.1.10/32" } -- what sshserv sees for connections DNAT'ed by dmz

-- 1-4: discards by identifier and priority -----------------------------------
L.chain "Discard debug" { L.ge("PRIORITY", 7), L.noop() }
L.chain "Discard uwsgi" { L.equals("SYSLOG_IDENTIFIER", "uwsgi"), L.noop() }
L.chain "Discard haproxy" { L.equals("SYSLOG_IDENTIFIER", "haproxy"), L.noop() }
L.chain "Discard noisy services" {
  L.one_of("SYSLOG_IDENTIFIER", {
    "mandb", "spamd", "msmtp", "CRON", "systemd-logind", "ddclient", "php-fpm", "minidlnad",
    "dehydrated", "rpc.mountd", "sa-update", "loolwsd", "nslcd", "systemd-nspawn",
  }),
  L.noop(),
}

-- 5-6: gitea ------------------------------------------------------------------
L.chain "Gitea unauthorized" {
  L.equals("SYSLOG_IDENTIFIER", "gitea"),
  L.pcre("MESSAGE", [=[\[W\] Unauthorized access from (?<ip>\S+) for repo (?<repo>\S+)$]=]),
  L.noop(),
}
L.chain "Discard gitea" { L.equals("SYSLOG_IDENTIFIER", "gitea"), L.noop() }

-- 7-10: prosody ---------------------------------------------------------------
L.chain "Prosody s2s without TLS" {
  L.equals("SYSLOG_IDENTIFIER", "prosody"),
  L.pcre("MESSAGE", [=[^(?<conn>s2sin[0-9a-f]+) info \S+->(?<domain>\S+) closed: Encrypted server-to-server communication is required]=]),
  L.noop(),
}
L.chain "Prosody legacy TLS" {
  L.equals("SYSLOG_IDENTIFIER", "prosody"),
  L.pcre("MESSAGE", [=[^(?<conn>c2s[0-9a-f]+) warn Client is using legacy SSL/TLS]=]),
  L.noop(),
}
L.chain "Prosody tracebacks" {
  L.equals("SYSLOG_IDENTIFIER", "prosody"),
  L.le("PRIORITY", 3),
  L.pcre("MESSAGE", [=[^Traceback\[(?<session>\w+)\]: (?<file>[^:\n]+):(?<line>\d+): (?<error>[^\n]*)]=]),
  L.noop(),
}
L.chain "Discard prosody" { L.equals("SYSLOG_IDENTIFIER", "prosody"), L.noop() }

-- 11-12: postgres -------------------------------------------------------------
L.chain "Postgres password failures" {
  L.equals("SYSLOG_IDENTIFIER", "postgres"),
  L.pcre("MESSAGE", [=[^\[\d+-\d+\] FATAL:  password authentication failed for user "(?<user>[^"]*)"]=]),
  L.noop(),
}
L.chain "Discard postgres" { L.equals("SYSLOG_IDENTIFIER", "postgres"), L.noop() }

-- 13-17: nginx ----------------------------------------------------------------
L.chain "Nginx probes" {
  L.equals("SYSLOG_IDENTIFIER", "nginx"),
  L.pcre_any("MESSAGE", {
    [=[\[error\] \d+#\d+: \*\d+ open\(\) "[^"]*\.(?:php|cgi|pl|py|sh)" failed \(2: No such file or directory\), client: (?<ip>[^,]+), server: [^,]*, request: "(?<method>[A-Z]+) (?<url>\S+)]=],
    [=[\[error\] \d+#\d+: \*\d+ FastCGI sent in stderr: "Unable to open primary script: [^"]*" while reading response header from upstream, client: (?<ip>[^,]+), server: [^,]*, request: "(?<method>[A-Z]+) (?<url>\S+)]=],
  }),
  L.log("web probe of {url} from {ip}", "WARNING"),
}
L.chain "Nginx basic auth" {
  L.equals("SYSLOG_IDENTIFIER", "nginx"),
  L.pcre("MESSAGE", [=[\[error\] \d+#\d+: \*\d+ user "(?<user>[^"]*)"(?: was not found in "[^"]*"|: password mismatch), client: (?<ip>[^,]+), server: (?<vhost>[^,]*)]=]),
  L.log("nginx authentication failure for {user} from {ip} on {vhost}", "WARNING"),
}
L.chain "Nginx SSO redirects" {
  L.equals("SYSLOG_IDENTIFIER", "nginx"),
  L.pcre("MESSAGE", [=[\[notice\] \d+#\d+: \*\d+ \[lua\] access\.lua:\d+: Redirect to: \S+, client: (?<ip>[^,]+), server: [^,]*, request: "POST ]=]),
  L.field_in_networks("ip", LAN):fail_to("Nginx SSO abuse"),
  L.noop(),
}
L.chain "Nginx SSO abuse" { L.log("SSO POST without session from {ip}", "NOTICE") }
L.chain "Discard nginx" { L.equals("SYSLOG_IDENTIFIER", "nginx"), L.noop() }

-- 18-21: dovecot --------------------------------------------------------------
L.chain "Dovecot auth failures" {
  L.equals("SYSLOG_IDENTIFIER", "dovecot"),
  L.pcre("MESSAGE", [=[^imap-login: Disconnected \(auth failed, \d+ attempts in \d+ secs\): user=<(?<user>[^>]*)>, method=\S+, rip=(?<ip>[^,]+), lip=]=]),
  L.log("IMAP authentication failure for {user} from {ip}", "WARNING"),
}
L.chain "Dovecot abuse" {
  L.equals("SYSLOG_IDENTIFIER", "dovecot"),
  L.pcre_any("MESSAGE", {
    [=[^imap-login: Disconnected: Too many invalid commands\. \(no auth attempts in \d+ secs\): user=<>, rip=(?<ip>[^,]+), lip=]=],
    [=[^imap-login: Disconnected \(no auth attempts in \d+ secs\): user=<>, rip=(?<ip>[^,]+), lip=[^,]+, TLS handshaking: SSL_accept\(\) failed]=],
  }),
  L.log("IMAP abuse from {ip}", "WARNING"),
}
L.chain "Dovecot logins" {
  L.equals("SYSLOG_IDENTIFIER", "dovecot"),
  L.pcre_any("MESSAGE", {
    [=[^imap-login: Login: user=<(?<user>[^>]+)>, method=(?<method>\S+), rip=(?<ip>[^,]+), lip=]=],
    [=[^auth-worker\(\d+\): pam\((?<user>[^,]+),(?<ip>[^,]+),<[^>]*>\): pam_authenticate\(\) failed]=],
  }),
  L.noop(),
}
L.chain "Discard dovecot" { L.equals("SYSLOG_IDENTIFIER", "dovecot"), L.noop() }

-- 22-25: exim -----------------------------------------------------------------
L.chain "Exim auth failures" {
  L.equals("SYSLOG_IDENTIFIER", "exim"),
  L.pcre("MESSAGE", [=[^\S+ \S+ \w+ authenticator failed for (?:\S+ )?\((?<helo>[^)]*)\) \[(?<ip>[^\]]+)\](?::\d+)?: 535 Incorrect authentication data \(set_id=(?<user>[^)]*)\)]=]),
  L.log("SMTP authentication failure for {user} from {ip}", "WARNING"),
}
L.chain "Exim protocol abuse" {
  L.equals("SYSLOG_IDENTIFIER", "exim"),
  L.pcre_any("MESSAGE", {
    [=[^\S+ \S+ H=\((?<helo>[^)]*)\) \[(?<ip>[^\]]+)\] F=<[^>]*> rejected RCPT <[^>]*>: relay not permitted]=],
    [=[^\S+ \S+ rejected EHLO from \[(?<ip>[^\]]+)\]: syntactically invalid argument]=],
    [=[^\S+ \S+ SMTP command timeout on connection from (?:\((?<helo>[^)]*)\) )?\[(?<ip>[^\]]+)\]]=],
    [=[^\S+ \S+ SMTP protocol synchronization error \([^)]*\): rejected connection from H=\[(?<ip>[^\]]+)\]]=],
    [=[^\S+ \S+ SMTP call from (?:\((?<helo>[^)]*)\) )?\[(?<ip>[^\]]+)\] dropped: too many nonmail commands]=],
    [=[^\S+ \S+ SMTP syntax error in ".*" H=\[(?<ip>[^\]]+)\] NULL character]=],
    [=[^\S+ \S+ H=\((?<helo>[^)]*)\) \[(?<ip>[^\]]+)\] AUTH command used when not advertised]=],
  }),
  L.log("SMTP abuse from {ip}", "WARNING"),
}
L.chain "Exim deliveries" {
  L.equals("SYSLOG_IDENTIFIER", "exim"),
  L.pcre("MESSAGE", [=[^\S+ \S+ (?<msgid>\w{6}-\w{6}-\w{2}) (?<dir><=|=>|==) (?<addr>\S+)]=]),
  L.noop(),
}
L.chain "Discard exim" { L.equals("SYSLOG_IDENTIFIER", "exim"), L.noop() }

-- 26: postfix -----------------------------------------------------------------
L.chain "Postfix abuse" {
  L.equals("SYSLOG_IDENTIFIER", "postfix/smtpd"),
  L.pcre_any("MESSAGE", {
    [=[^warning: [^\[]*\[(?<ip>[^\]]+)\]: SASL \w+ authentication failed]=],
    [=[^NOQUEUE: reject: RCPT from [^\[]*\[(?<ip>[^\]]+)\]: 554 5\.7\.1 .*Relay access denied]=],
  }),
  L.log("postfix abuse from {ip}", "WARNING"),
}

-- 27-30: sshd and the DMZ's DNAT ----------------------------------------------
L.chain "SSH failures" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre_any("MESSAGE", {
    [=[^Failed password for (?:invalid user )?(?<user>\S+) from (?<ip>\S+) port (?<port>\d+)]=],
    [=[^Invalid user (?<user>\S*) from (?<ip>\S+) port (?<port>\d+)]=],
    [=[^User (?<user>\S+) from (?<ip>\S+) not allowed because]=],
    [=[^Unable to negotiate with (?<ip>\S+) port (?<port>\d+): no matching]=],
    [=[^error: maximum authentication attempts exceeded for (?:invalid user )?(?<user>\S+) from (?<ip>\S+) port (?<port>\d+)]=],
    [=[^Connection closed by (?<ip>\S+) port (?<port>\d+)$]=],
  }),
  -- behind the DMZ's DNAT sshserv only sees the DMZ: the ban must go to dmz
  L.equals("_HOSTNAME", "sshserv"):fail_to("SSH ban"),
  L.field_in_networks("ip", DMZ_DNAT):fail_to("SSH ban"),
  L.noop(),
}
L.chain "SSH ban" { L.log("SSH failure for {user} from {ip} port {port}", "WARNING") }
L.chain "SSH sessions" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [=[^Accepted (?<method>\w+) for (?<user>\S+) from (?<ip>\S+) port (?<port>\d+)]=]),
  L.noop(),
}
L.chain "DMZ DNAT" {
  L.equals("SYSLOG_IDENTIFIER", "kernel"),
  L.equals("_HOSTNAME", "dmz"),
  L.pcre("MESSAGE", [=[^DNAT/(?<service>\w+): .* SRC=(?<src>\S+) DST=\S+ .* PROTO=TCP SPT=(?<sport>\d+) DPT=(?<dport>\d+)]=]),
  L.noop(),
}

-- 31-32: web application and local logins ------------------------------------
L.chain "Nextcloud login failures" {
  L.equals("SYSLOG_IDENTIFIER", "ownCloud"),
  L.pcre("MESSAGE", [=[^\{core\} Login failed: '(?<user>[^']*)' \(Remote IP: '(?<ip>[^']+)'\)]=]),
  L.field_in_networks("ip", LAN):fail_to("Nextcloud ban"),
  L.noop(),
}
L.chain "Nextcloud ban" { L.log("Nextcloud login failure for {user} from {ip}", "WARNING") }
L.chain "Local auth failures" {
  L.one_of("SYSLOG_IDENTIFIER", { "su", "sudo", "login" }),
  L.pcre_any("MESSAGE", {
    [=[^FAILED SU \(to (?<target>\S+)\) (?<user>\S+) on (?<tty>\S+)]=],
    [=[^\s*(?<user>\S+) : user NOT in sudoers ; TTY=(?<tty>\S+)]=],
    [=[^FAILED LOGIN \d+ FROM (?<tty>\S+) FOR (?<user>\S+),]=],
  }),
  L.noop(),
}

-- 33-35: priorities, then catch-all -------------------------------------------
L.chain "Discard info and notice" { L.ge("PRIORITY", 5), L.noop() }
L.chain "Critical" {
  L.le("PRIORITY", 2),
  L.pcre("MESSAGE", [=[^(?<first>[^\n]{0,200})]=]),
  L.noop(),
}
L.chain "Catch-all" { L.noop() }
