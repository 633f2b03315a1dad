-- Emails and daily report lines for tests/test_notify.sh (same as notify_rules.json).
-- @SENDMAIL@ is replaced by the test's stand-in sendmail.
local L = require "luruse"
L.config {
  email = {
    from = "luruse-test@test.invalid",
    to = { "admin@test.invalid" },
    sendmail = { "@SENDMAIL@", "-t", "-oi" },
    throttleSeconds = 600,
    timeoutSeconds = 2,
  },
}
L.chain "Alerts" {
  L.equals("SYSLOG_IDENTIFIER", "alert"),
  L.email("{MESSAGE}", "Alert from {HOST}"),
}
for _, mode in ipairs { "ALL", "NONE", "FIRST", "LAST", "FIRSTLAST" } do
  L.chain("Warn" .. mode) {
    L.equals("KIND", "WARN_" .. mode),
    L.report("WARN", "{MESSAGE}", mode),
  }
end
L.chain "Info" {
  L.equals("KIND", "INFO_ALL"),
  L.report("INFO", "{MESSAGE}"),
}
L.chain "Other" {
  L.equals("KIND", "OTHER_ALL"),
  L.report("OTHER", "{MESSAGE}"),
}
