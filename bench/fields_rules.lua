-- Between bench/noop_rules.lua and bench/report_rules.lua: every entry's
-- fields read (one test of MESSAGE, which never matches), nothing recorded.
local L = require "luruse"
L.chain "All" { L.equals("MESSAGE", "(a message no entry has)"), L.noop() }
