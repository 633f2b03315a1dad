-- Prosody (Debian 12: prosody 0.12.3). Debian's /etc/prosody/prosody.cfg.lua
-- logs "info" and above to /var/log/prosody/prosody.log (and errors to
-- prosody.err); with "*syslog" the lines go to the journal with the
-- identifier prosody instead. A file line is "Mar 04 00:08:18 SOURCE<spaces
-- or tab>LEVEL<tab>TEXT" (core/loggingmanager.lua's file sink); a syslog one
-- is "SOURCE: TEXT". The file is read with format = "plain": its lines are no
-- syslog lines, and the tabs after SOURCE would be taken for a host name.
-- Prosody's own mod_saslauth logs no address on a failure: the lines come from
-- mod_log_auth (Debian's prosody-modules, the documented way to have the
-- addresses of failed logins; log_auth_ips = "failure" by default), which
-- logs "Failed authentication attempt (CONDITION) for user USER from IP:
-- ADDR" (older copies: without "for user USER"), through the session's
-- logger (SOURCE is the session's id, "c2s55d0c6a1f2a0"). USER is the
-- client's: the address is the last one, at the line's end. An IPv4 client
-- of a dual-stack listener is "::ffff:203.0.113.9": the IPv4 address counts.
-- Source: hg.prosody.im/prosody-modules, mod_log_auth/mod_log_auth.lua;
-- prosody 0.12's core/loggingmanager.lua (the file and syslog sinks).
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local HEAD = [[^(?:\w{3} [ \d]\d \d\d:\d\d:\d\d \S+\s+info\t|\S+: )?]]

L.jail "prosody" {
  identifier = "prosody",
  file = { "/var/log/prosody/prosody.log", identifier = "prosody", format = "plain" },
  failures = {
    HEAD .. [[Failed authentication attempt \([^()]*\) (?:for user .* )?from IP: ]] .. IP .. [[$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "XMPP login failure from {ip}",
}
