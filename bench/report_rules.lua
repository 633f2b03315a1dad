-- One daily-report line per entry: the cost of recording report lines
-- (bench/README.md, "Report lines"). Compare with bench/noop_rules.lua.
local L = require "luruse"
L.config { email = { to = { "root@localhost" }, sendmail = { "/bin/true" } } }
L.chain "All" { L.report("WARN", "{SYSLOG_IDENTIFIER}: {MESSAGE}", "FIRSTLAST") }
