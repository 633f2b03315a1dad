-- Records every lrtest MESSAGE into $LRTEST_OUT as "LENGTH:MESSAGE\n"
-- (only the last 4 bytes of a MESSAGE longer than 1000 bytes).
local L = require "luruse"
L.chain "Record" {
  L.equals("SYSLOG_IDENTIFIER", "lrtest"),
  L.action(function(e)
    local m = e.MESSAGE or ""
    local f = assert(io.open(os.getenv("LRTEST_OUT"), "ab"))
    f:write(#m, ":", #m > 1000 and m:sub(-4) or m, "\n")
    f:close()
  end),
}
