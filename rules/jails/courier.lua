-- Courier (Debian 12: courier-mta 1.0.16, courier-imap 5.0.x, courier-pop).
-- Courier's daemons log through courierlogger to syslog (facility mail):
-- without rsyslog their lines are in the journal under courierlogger's
-- -name: "imapd", "imapd-ssl", "pop3d", "pop3d-ssl", "courieresmtpd",
-- "courier-imapd"/"courierpop3login"/"courier-pop3d" in some builds.
-- Written from courier-imap's imap/imapd.c and imap/pop3dserver.c
-- ("LOGIN FAILED, [method=<m>, ]user=<user>, ip=[<addr>]") and courier's
-- courier/module.esmtp/courieresmtpd.c ("error,relay=<addr>,[port=<n>,]...
-- : <code> <text>" for refused AUTH, relaying and recipients). Courier
-- listens on IPv6 sockets: IPv4 clients appear as ::ffff:203.0.113.5, counted
-- as 203.0.113.5. The user name comes before ip=: the address is the last
-- ip=[...], which ends the line. In courieresmtpd's line the address comes
-- first, right after fixed text. courierlogger (courier-unicode's
-- liblog/courierlogger.c) strips the "INFO: "/"ERR: " level prefix the
-- daemons write ("INFO: LOGIN FAILED, user=%s, ip=[%s]" in courier-imap's
-- imap/imapd.c, courier_safe_printf).
local L = require "luruse"

local IP = [[(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)]]

L.jail "courier" {
  identifier = { "imapd", "imapd-ssl", "pop3d", "pop3d-ssl", "courieresmtpd", "courier-imapd",
    "courier-imapd-ssl", "courier-pop3d", "courier-pop3d-ssl", "courierpop3login", "courierpop3d" },
  failures = {
    [[^LOGIN FAILED, (?:method=[-\w/]+, )?user=.*, ip=\[]] .. IP .. [[\](?:, port=\[\d+\])?$]],
    [[^error,relay=]] .. IP .. [[,(?:port=\d+,)?(?:ident=[^,]*,)?.*(?:: |msg=")(?:535 Authentication failed|5\d\d [^:]*(?:[Rr]elaying denied|[Uu]nknown user|User (?:<[^<>]*> )?unknown|No such user|Invalid user|[Rr]elay access denied))]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "mail login failure from {ip}",
}
