-- Emails and the daily report: every email setting, an alert and report lines.
-- Check it with `luruse check -c email-report.lua`; see what it would send
-- with `luruse explain -c email-report.lua --identifier sshd --line '...'`,
-- and the pending report with `luruse report -c email-report.lua`.
local L = require "luruse"

L.config {
  storage = "/var/lib/luruse",
  email = {
    from = "luruse <luruse@mail.example.org>", -- default: luruse@<hostname>
    to = { "admin@example.org", "Backup Admin <backup@example.org>" },
    alertSubject = "luruse alert",   -- of an L.email that names no subject
    reportSubject = "Daily report",  -- the report's, followed by its day
    reportTitle = "luruse Report",   -- the report's "= title" heading
    sendmail = { "/usr/sbin/sendmail", "-t" }, -- no shell; the message on stdin
    throttleSeconds = 300,           -- identical alerts within 5 min: one email
    timeoutSeconds = 60,             -- a sendmail running longer is killed
  },
}

-- An alert at once (with alertSubject), and a line of the report.
L.chain "Root logins" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Accepted (?<method>\S+) for root from (?<ip>\S+) port]]),
  L.email("root logged in from {ip} ({method}) on {_HOSTNAME}"),
  L.report("WARN", "root login from {ip}", "ALL"),
}

-- Report lines: WARN and INFO grouped per message with their times, OTHER in
-- time order.
L.chain "Logins" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Accepted \S+ for (?<user>\S+) from (?<ip>\S+) port]]),
  L.report("INFO", "login of {user} from {ip}", "FIRSTLAST"),
}
L.chain "Errors" {
  L.le("PRIORITY", 3),
  L.report("OTHER", "{SYSLOG_IDENTIFIER}: {MESSAGE}"),
}
L.chain "Rest" { L.noop() }
