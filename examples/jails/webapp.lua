-- A jail for a web application that logs its failed logins both to the
-- journal (as "webapp") and to its own file. Copy it to /etc/luruse/rules.d/
-- (or /etc/luruse/jails/), then `luruse check` and `luruse reload`. Try it
-- first, acting on nothing:
--   luruse explain -c webapp.lua --identifier webapp \
--     --line 'login failed for user bob from 203.0.113.9'
local L = require "luruse"

L.jail "webapp" {
  identifier = "webapp",
  file = { "/var/log/webapp/auth.log", identifier = "webapp" },
  -- the address last and anchored: the user name is the client's to choose
  failures = {
    [[^login failed for user .* from (?<ip>[0-9A-Fa-f:.]+)$]],
    [[^too many requests from (?<ip>[0-9A-Fa-f:.]+)$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" }, -- 1 h, 2 h, 4 h... at most 4 weeks
  ignore = { "192.0.2.0/24" },            -- the office: never counted
  -- A daily report line per failure; it needs email.to, which the shipped
  -- /etc/luruse/luruse.lua sets:
  -- report = "webapp login failure from {ip}",
}
