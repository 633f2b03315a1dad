-- The baseline for bench/report_rules.lua: every entry read, none of its
-- fields fetched (they are read lazily), nothing done.
local L = require "luruse"
L.chain "All" { L.noop() }
