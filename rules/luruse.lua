-- luruse's shipped rules: a starting point for a mail, web, XMPP and SSH server.
-- Installed as /etc/luruse/luruse.lua; local additions go in /etc/luruse/rules.d/*.lua.
-- Chains run in this order; a chain that ends with an action consumes the entry,
-- a failing filter hands the entry to the next chain.
local L = require "luruse"

L.config {
  storage = "/var/lib/luruse",
  ["8bit-message-encoding"] = "iso-8859-1",
  -- Alerts and the daily report (sent after local midnight) go to the local root
  -- mailbox; change `to` to an address that is read. `luruse sendmail` hands
  -- them to the local MTA (exim4, postfix) over SMTP on localhost: inside the
  -- service's sandbox, the MTA's own sendmail cannot write its spool.
  email = {
    to = { "root@localhost" },
    alertSubject = "luruse Notification", -- of alerts whose L.email names no subject
    reportSubject = "luruse Report",      -- of the daily report, followed by its day
    sendmail = { "/usr/sbin/luruse", "sendmail", "-t" },
    throttleSeconds = 300,
  },
}

-- Noise first: services whose lines never need attention here.
for _, ident in ipairs { "uwsgi", "postgres", "mandb", "CRON", "systemd-logind" } do
  L.chain("Discard " .. ident) { L.equals("SYSLOG_IDENTIFIER", ident), L.noop() }
end
L.chain "Discard debug" { L.ge("PRIORITY", 7), L.noop() }

-- Protection: the jails (jails/*.lua, one per service), fail2ban's model in
-- C steps. Each counts its service's failures per address and bans an
-- address at its threshold in luruse's own nftables table (inet luruse),
-- each new ban of an address longer; loopback, this host's addresses and
-- `allow` are never banned. A jail for a service that is not installed costs
-- nothing. To turn jails off, name them here, before the include:
--   L.jails_off { "dropbear", "named" }
-- and networks never to ban:
--   L.config { allow = { "192.0.2.0/24" } }
L.include "jails/*.lua"

-- SSH: who logged in, for the daily report.
L.chain "SSH logins" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Accepted (?<sshMethod>\S+) for (?<sshUser>\S+) from (?<clientIP>\S+) port]]),
  L.report("INFO", "SSH login of {sshUser} from {clientIP} ({sshMethod})", "FIRSTLAST"),
}

-- Anything at error level or worse that no chain above took is worth a line.
L.chain "Errors" {
  L.le("PRIORITY", 3),
  L.report("OTHER", "{SYSLOG_IDENTIFIER}: {MESSAGE}"),
}

-- Local rules, if any: before "Rest", which takes every entry left.
L.include "rules.d/*.lua"

-- Everything else is fine as it is.
L.chain "Rest" { L.noop() }
