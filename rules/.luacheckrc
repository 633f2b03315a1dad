-- luacheck configuration for luruse rule files (luruse.lua, rules.d/*.lua):
--   luacheck --config /usr/local/share/luruse/.luacheckrc /etc/luruse/
-- A rule file reaches the API through `local L = require "luruse"`, so it needs
-- no global beyond Lua 5.4's own: any other global it reads or writes is a typo
-- or a missing `local`, and is reported.
std = "lua54"
-- Long regexes are common in rules.
max_line_length = false
-- Rule files are run once at load; a global they set would leak into the next
-- reload's state.
allow_defined = false
allow_defined_top = false
