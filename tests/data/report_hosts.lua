-- The daily report of a multi-host journal (tests/test_report_hosts.sh and
-- test_report_html.sh): SSH failures as WARN lines of a jail that bans through
-- the stand-in ipset, su sessions as INFO, the noisy services as OTHER lines
-- to fold, two emailed alerts, and ban values that are no address.
-- @SENDMAIL@ and @IPSET@ are replaced by the tests' stand-ins.
local L = require "luruse"
L.config {
  email = {
    from = "luruse-test@test.invalid",
    to = { "admin@test.invalid" },
    sendmail = { "@SENDMAIL@", "-t" },
    throttleSeconds = 0,
    reportRows = @ROWS@,
  },
  ipsetBan = { ipset = { "@IPSET@" } },
}
L.jail "sshd" {
  identifier = "sshd",
  failures = { [[^Failed \S+ for .* from (?<ip>\S+) port \d+]] },
  maxretry = 2,
  ban = { ipset = { "ban4", "ban6" } },
  report = "SSH failure from {ip}",
}
L.chain "Alerts" { L.equals("SYSLOG_IDENTIFIER", "alertme"), L.email("{MESSAGE}", "Alert on {_HOSTNAME}") }
L.chain "No address" { L.equals("SYSLOG_IDENTIFIER", "mandb"), L.ban { ip = "MESSAGE", ipset = { "ban4", "ban6" } } }
L.chain "Sessions" { L.equals("SYSLOG_IDENTIFIER", "su"), L.report("INFO", "su: {MESSAGE}") }
L.chain "Noise" {
  L.one_of("SYSLOG_IDENTIFIER", { "nginx", "haproxy", "systemd", "kernel" }),
  L.report("OTHER", "{SYSLOG_IDENTIFIER}: {MESSAGE}"),
}
