-- A drop-in for /etc/luruse/rules.d/: the shipped /etc/luruse/luruse.lua
-- includes every rules.d/*.lua in name order, after its own chains and before
-- its last one, "Rest", which takes every entry left. Its settings (email.to)
-- apply here too: check this file as installed, with the rules that include
-- it, `luruse check -c /etc/luruse/luruse.lua`.
local L = require "luruse"

-- Addresses that jails never count nor ban (besides loopback and this host's).
L.config { allow = { "192.0.2.0/24", "2001:db8::/32" } }

-- A noisy service: its lines need no attention.
L.chain "Discard backup" { L.equals("SYSLOG_IDENTIFIER", "restic"), L.noop() }

-- Who used sudo, once per user and command in the daily report.
L.chain "sudo" {
  L.equals("SYSLOG_IDENTIFIER", "sudo"),
  L.pcre("MESSAGE", [[^\s*(?<sudoUser>\S+) : .*COMMAND=(?<sudoCommand>.+)$]]),
  L.report("INFO", "sudo by {sudoUser}: {sudoCommand}", "FIRSTLAST"),
}

-- A disk error is worth an email at once.
L.chain "Disk errors" {
  L.equals("SYSLOG_IDENTIFIER", "kernel"),
  L.pcre("MESSAGE", [[I/O error, dev (?<disk>\w+)]]),
  L.email("I/O error on {disk}: {MESSAGE}", "Disk error on {_HOSTNAME}"),
}
