-- The lines of the shipped jails' specs (spec/jails/<jail>.lua), as entries,
-- run through the jail's rule file (rules/jails/<jail>.lua); shared by
-- spec/jails_spec.lua and bench/coverage.
--
-- A data file returns:
--   { jail = "sshd", ident = "sshd",           -- the journal form's SYSLOG_IDENTIFIER
--     failures = {                             -- each must count, for ip
--       { "Failed password for root from 203.0.113.9 port 22 ssh2", ip = "203.0.113.9" },
--       { ident = "sshd-session", "...", ip = "..." },     -- another identifier
--       { log = "/var/log/nginx/error.log", "2024/03/04 00:08:18 [error] ...", ip = "..." },
--       { log = "/var/log/prosody/prosody.log", format = "plain", "...", ip = "..." },
--     },
--     harmless = { { "Accepted publickey for root from 203.0.113.9 port 22 ssh2" }, ... } }
-- A `log` line is parsed as `luruse run` parses a followed file's line
-- (L.parse_line; with format = "plain", the whole line is MESSAGE, as for a
-- file the jail declares plain) and gets LURUSE_FILE; the others are journal
-- entries.
local L = require "luruse"

local J = {}

function J.names(dir)
  local p = assert(io.popen("ls '" .. dir .. "' 2> /dev/null"))
  local out = {}
  for name in p:lines() do
    local jail = name:match("^(.+)%.lua$")
    if jail then
      out[#out + 1] = jail
    end
  end
  p:close()
  table.sort(out)
  return out
end

function J.data(src, jail)
  return dofile(src .. "/spec/jails/" .. jail .. ".lua")
end

-- The jail's file loaded alone, then a catch-all chain: the workflow.
function J.load(src, jail, tmp)
  local path = tmp .. "/" .. jail .. "-rules.lua"
  local f = assert(io.open(path, "w"))
  f:write('local L = require "luruse"\n',
    'L.config { email = { to = { "root@localhost" } } }\n', -- for jails that report
    'L.include "', src, "/rules/jails/", jail, '.lua"\n',
    'L.chain "Rest" { L.noop() }\n')
  f:close()
  return L.load_rules(path)
end

local T0 = 1709510400000000 -- 2024-03-04 00:00:00 UTC

function J.entry(data, line)
  if line.log then
    -- format = "plain" (as in the jail's file): the whole line is MESSAGE
    local e = line.format == "plain" and { MESSAGE = line[1] } or L.parse_line(line[1], T0)
    e.LURUSE_FILE = line.log
    e._TRANSPORT = "file"
    e.__REALTIME_TIMESTAMP = e.__REALTIME_TIMESTAMP or T0
    return e
  end
  return { SYSLOG_IDENTIFIER = line.ident or data.ident, MESSAGE = line[1], _TRANSPORT = "syslog",
    __REALTIME_TIMESTAMP = T0, _SYSTEMD_UNIT = line.unit }
end

-- What the jail made of one line: the address it counted (nil: not counted)
-- and the path, for messages. Each line in a fresh workflow: no threshold.
function J.counted(wf, data, line)
  local out, path = wf:run(J.entry(data, line))
  for _, p in ipairs(path) do
    -- a session line (chain "jail X sessions") only remembers an address
    if p:find("action_jail: done", 1, true) and not p:find("^jail %S+.- sessions%[") then
      return out[data.ip_field or "ip"], path
    end
  end
  return nil, path
end

return J
