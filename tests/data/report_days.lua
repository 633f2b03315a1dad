-- Daily report lines for tests/test_report_days.sh: every daytest entry is
-- recorded in the report (and in $LRTEST_OUT when set); $LRTEST_SLOW_MS of CPU
-- per entry makes a catch-up last several timer ticks.
-- @SENDMAIL@ is replaced by the test's stand-in sendmail.
local L = require "luruse"
L.config {
  email = {
    from = "luruse-test@test.invalid",
    to = { "admin@test.invalid" },
    sendmail = { "@SENDMAIL@", "-t" },
  },
}
local slow = (tonumber(os.getenv("LRTEST_SLOW_MS") or "") or 0) / 1000
local out = os.getenv("LRTEST_OUT")
L.chain "Days" {
  L.equals("SYSLOG_IDENTIFIER", "daytest"),
  L.action(function(e)
    if out then
      local f = assert(io.open(out, "a"))
      f:write(e.MESSAGE, "\n")
      f:close()
    end
    local stop = os.clock() + slow
    while os.clock() < stop do end
  end),
  L.report("INFO", "{MESSAGE}"),
}
