-- Run-time errors of steps, as the daemon logs them: each names the step's
-- chain, index and type, and the rule's file:line (Lua), whatever the debug
-- setting. `luruse replay` logs to stderr, so the specs read its output.
local R = require "rule_files"
teardown(R.cleanup)

local BIN = os.getenv("LURUSE_BIN")

-- Replays entries (tables of fields) through a rule file: what it logged.
local function replay(rules_path, entries)
  local dir = R.tmpdir()
  local lines = {}
  for i, e in ipairs(entries) do
    lines[#lines + 1] = ("__REALTIME_TIMESTAMP=%d"):format(1773136800000000 + i)
    for k, v in pairs(e) do
      lines[#lines + 1] = k .. "=" .. v
    end
    lines[#lines + 1] = ""
  end
  R.write(dir .. "/in.export", table.concat(lines, "\n") .. "\n")
  local p = assert(io.popen(("'%s' replay -c '%s' --storage '%s/st' --quiet --no-bans --no-email "
    .. "--export '%s/in.export' 2>&1"):format(BIN, rules_path, dir, dir)))
  local out = p:read("a")
  p:close()
  return out
end

local function lua_rules(body)
  local path = R.tmpdir() .. "/rules.lua"
  R.write(path, 'local L = require "luruse"\n' .. body)
  return path
end

local function count(s, sub)
  local n, at = 0, 1
  while true do
    local i = s:find(sub, at, true)
    if not i then
      return n
    end
    n, at = n + 1, i + #sub
  end
end

describe("run-time errors", function()
  setup(function()
    assert(BIN, "LURUSE_BIN is set by ctest")
  end)

  it("name chain, index, type and file:line, without debug", function()
    local path = lua_rules [[
L.chain "Prio" {
  L.le("PRIORITY", 3),
  L.noop(),
}
]]
    local out = replay(path, { { PRIORITY = "abc" } })
    local want = path .. ":3: Prio[0] filter_lowerOrEquals: cannot order a string field "
      .. "PRIORITY against an integer"
    assert(R.contains(out, want), out)
  end)

  it("in an action, a custom step and a pyruse.json", function()
    local path = lua_rules [[
L.chain "C" {
  L.equals("SYSLOG_IDENTIFIER", "x"),
  L.counter_raise("c", "clientIP"),
}
L.chain "Custom" {
  L.action(function(e) error("no luck") end),
}
]]
    local out = replay(path, { { SYSLOG_IDENTIFIER = "x" }, { SYSLOG_IDENTIFIER = "y" } })
    assert(R.contains(out, path .. ":4: C[1] action_counterRaise: field 'clientIP' is absent"), out)
    assert(R.contains(out, path .. ":7: Custom[0] custom action: "), out)
    assert(R.contains(out, "no luck"), out)
    local json = R.tmpdir() .. "/pyruse.json"
    R.write(json, [[{"actions": {"Prio": [
      {"filter": "filter_lowerOrEquals", "args": {"field": "PRIORITY", "value": 3}},
      {"action": "action_noop"}]}}]])
    out = replay(json, { { PRIORITY = "abc" } })
    assert(R.contains(out, "Prio[0] filter_lowerOrEquals: cannot order a string field PRIORITY"), out)
  end)

  it("a ban step's error is named once, by the runner", function()
    local path = lua_rules [==[
L.config { debug = true }
L.chain "SSH" {
  L.pcre("MESSAGE", [[^Failed password from (?<clientIP>\S+)$]]),
  L.ban { ip = "clientIP", nft = { "ip I4 bans", "ip6 I6 bans" } },
}
]==]
    local out = replay(path, { { MESSAGE = "Failed password from 01.2.3.4" } })
    assert(R.contains(out, path .. ':5: SSH[1] action_nftBan: refused to ban "01.2.3.4"'), out)
    assert.same(1, count(out, "SSH[1]"), out)
  end)
end)
