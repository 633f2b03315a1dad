-- The baseline for bench/report_rules.lua: every entry read, nothing done.
local L = require "luruse"
L.chain "All" { L.noop() }
