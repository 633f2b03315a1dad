-- Records the MESSAGE of every lrtest entry, one per line, in $LRTEST_OUT:
-- what the live scenarios compare to what they logged.
local L = require "luruse"
L.chain "Record" {
  L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.action(function(e)
    local f = assert(io.open(os.getenv("LRTEST_OUT"), "a"))
    f:write(e.MESSAGE, "\n")
    f:close()
  end),
}
