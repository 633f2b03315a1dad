-- An unchanged pyruse.json through the same Workflow API as Lua rules: Pyruse's
-- linking checked through the path wf:run returns ("SSH[1] filter_pcre: pass"),
-- and the same rules written in Lua giving the same paths and fields.
local L = require "luruse"

local function tmpdir()
  local path = os.tmpname()
  os.remove(path)
  assert(os.execute("mkdir -p '" .. path .. "'"))
  return path
end

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

local function contains(s, sub)
  return type(s) == "string" and s:find(sub, 1, true) ~= nil
end

local dir = tmpdir()
teardown(function()
  os.execute("rm -rf '" .. dir .. "'")
end)

local n = 0
local function load_json(text)
  n = n + 1
  local path = ("%s/pyruse%d.json"):format(dir, n)
  write(path, text)
  local wf, err = L.load_rules(path)
  return wf, err, path
end

-- "Ban" and "DoBan" and "Priority" are jump chains (declared below their first
-- use); "Priority" has a loose end, tied to the main chain after the one that
-- jumped to it ("Levels"), skipping "Priority" itself.
local PYRUSE_JSON = [[
{
  "8bit-message-encoding": "cp1252",
  "debug": true,
  "actions": {
    "DiscardCron": [
      {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "CRON"}},
      {"action": "action_noop"}
    ],
    "SSH": [
      {"filter": "filter_equals", "args": {"field": "SYSLOG_IDENTIFIER", "value": "sshd"}},
      {"filter": "filter_pcre", "args": {"field": "MESSAGE",
        "re": "^Failed password for (?:invalid user )?(\\S+) from (?P<thatIP>\\S+) port (?P<port>\\d+)",
        "save": ["thatUser"]}, "then": "Ban"},
      {"action": "action_log", "args": {"message": "never linked: after an explicit then"}}
    ],
    "InvalidUsers": [
      {"filter": "filter_pcreAny", "args": {"field": "MESSAGE", "re": [
        "^Invalid user (?P<thatUser>\\S*) from (?P<thatIP>\\S+)",
        "^Connection closed by invalid user (?P<thatUser>\\S*) (?P<thatIP>\\S+)"]},
       "else": "Priority"},
      {"filter": "filter_userExists", "args": {"field": "thatUser"}, "else": "Ban"},
      {"action": "action_log", "args": {"message": "{thatUser} exists", "level": "NOTICE"}}
    ],
    "Priority": [
      {"filter": "filter_lowerOrEquals", "args": {"field": "PRIORITY", "value": 2}},
      {"action": "action_log", "args": {"message": "critical: {MESSAGE}", "level": "CRIT"}}
    ],
    "Levels": [
      {"filter": "filter_in", "args": {"field": "PRIORITY", "values": [3, 4]}},
      {"filter": "filter_greaterOrEquals", "args": {"field": "_PID", "value": 1000}}
    ],
    "Euro": [
      {"filter": "filter_equals", "args": {"field": "MESSAGE", "value": "\u20ac"}},
      {"action": "action_noop"}
    ],
    "Rest": [
      {"action": "action_noop"}
    ],
    "Ban": [
      {"filter": "filter_inNetworks", "args": {"field": "thatIP", "nets": ["10.0.0.0/8", "fd00::/8"]},
       "else": "DoBan"},
      {"action": "action_noop"}
    ],
    "DoBan": [
      {"action": "action_log", "args": {"message": "ban {thatIP}", "level": "WARNING"}}
    ]
  }
}
]]

local LUA_RULES = [==[
local L = require "luruse"
L.config { ["8bit-message-encoding"] = "cp1252", debug = true }
L.chain "DiscardCron" { L.equals("SYSLOG_IDENTIFIER", "CRON"), L.noop() }
L.chain "SSH" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE",
    [[^Failed password for (?:invalid user )?(\S+) from (?P<thatIP>\S+) port (?P<port>\d+)]],
    { "thatUser" }):pass_to("Ban"),
  L.log("never linked: after an explicit then"),
}
L.chain "InvalidUsers" {
  L.pcre_any("MESSAGE", {
    [[^Invalid user (?P<thatUser>\S*) from (?P<thatIP>\S+)]],
    [[^Connection closed by invalid user (?P<thatUser>\S*) (?P<thatIP>\S+)]],
  }):fail_to("Priority"),
  L.user_exists("thatUser"):fail_to("Ban"),
  L.log("{thatUser} exists", "NOTICE"),
}
L.chain "Priority" { L.le("PRIORITY", 2), L.log("critical: {MESSAGE}", "CRIT") }
L.chain "Levels" { L.one_of("PRIORITY", { 3, 4 }), L.ge("_PID", 1000) }
L.chain "Euro" { L.equals("MESSAGE", "\u{20ac}"), L.noop() }
L.chain "Rest" { L.noop() }
L.chain "Ban" { L.field_in_networks("thatIP", { "10.0.0.0/8", "fd00::/8" }):fail_to("DoBan"), L.noop() }
L.chain "DoBan" { L.log("ban {thatIP}", "WARNING") }
]==]

local NOT_SSH = { "DiscardCron[0] filter_equals: fail", "SSH[0] filter_equals: fail" }
local function after(prefix, rest)
  local out = {}
  for _, p in ipairs(prefix) do
    out[#out + 1] = p
  end
  for _, p in ipairs(rest) do
    out[#out + 1] = p
  end
  return out
end

-- entry, expected path, expected fields (a subset)
local CASES = {
  { { SYSLOG_IDENTIFIER = "CRON", MESSAGE = "job" },
    { "DiscardCron[0] filter_equals: pass", "DiscardCron[1] action_noop: done" } },
  { { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "Failed password for invalid user admin from 10.1.2.3 port 22 ssh2" },
    { "DiscardCron[0] filter_equals: fail", "SSH[0] filter_equals: pass", "SSH[1] filter_pcre: pass",
      "Ban[0] filter_inNetworks: pass", "Ban[1] action_noop: done" },
    { thatUser = "admin", thatIP = "10.1.2.3", port = "22" } },
  { { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "Failed password for root from 2001:db8::7 port 2222 ssh2" },
    { "DiscardCron[0] filter_equals: fail", "SSH[0] filter_equals: pass", "SSH[1] filter_pcre: pass",
      "Ban[0] filter_inNetworks: fail", "DoBan[0] action_log: done" },
    { thatUser = "root", thatIP = "2001:db8::7", port = "2222" } },
  -- SSH's loose ends (SSH[0] and SSH[1] failing) go to InvalidUsers
  { { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "Invalid user bob-luruse-spec from 192.0.2.9 port 4" },
    { "DiscardCron[0] filter_equals: fail", "SSH[0] filter_equals: pass", "SSH[1] filter_pcre: fail",
      "InvalidUsers[0] filter_pcreAny: pass", "InvalidUsers[1] filter_userExists: fail",
      "Ban[0] filter_inNetworks: fail", "DoBan[0] action_log: done" },
    { thatUser = "bob-luruse-spec", thatIP = "192.0.2.9" } },
  { { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "Connection closed by invalid user root fd00::1 port 5" },
    { "DiscardCron[0] filter_equals: fail", "SSH[0] filter_equals: pass", "SSH[1] filter_pcre: fail",
      "InvalidUsers[0] filter_pcreAny: pass", "InvalidUsers[1] filter_userExists: pass",
      "InvalidUsers[2] action_log: done" },
    { thatUser = "root", thatIP = "fd00::1" } },
  -- the jump chain Priority: pass, or its loose end to Levels (not to Priority again)
  { { SYSLOG_IDENTIFIER = "kernel", MESSAGE = "oops", PRIORITY = 2 },
    after(NOT_SSH, { "InvalidUsers[0] filter_pcreAny: fail", "Priority[0] filter_lowerOrEquals: pass",
      "Priority[1] action_log: done" }),
    { PRIORITY = 2 } },
  { { SYSLOG_IDENTIFIER = "app", MESSAGE = "hm", PRIORITY = "3", _PID = "1234" },
    after(NOT_SSH, { "InvalidUsers[0] filter_pcreAny: fail", "Priority[0] filter_lowerOrEquals: fail",
      "Levels[0] filter_in: pass", "Levels[1] filter_greaterOrEquals: pass", "Euro[0] filter_equals: fail",
      "Rest[0] action_noop: done" }),
    { PRIORITY = 3, _PID = 1234 } },
  { { SYSLOG_IDENTIFIER = "app", MESSAGE = "hm", PRIORITY = 4, _PID = 999 },
    after(NOT_SSH, { "InvalidUsers[0] filter_pcreAny: fail", "Priority[0] filter_lowerOrEquals: fail",
      "Levels[0] filter_in: pass", "Levels[1] filter_greaterOrEquals: fail", "Euro[0] filter_equals: fail",
      "Rest[0] action_noop: done" }) },
  { { SYSLOG_IDENTIFIER = "app", MESSAGE = "\x80", PRIORITY = 6 },
    after(NOT_SSH, { "InvalidUsers[0] filter_pcreAny: fail", "Priority[0] filter_lowerOrEquals: fail",
      "Levels[0] filter_in: fail", "Euro[0] filter_equals: pass", "Euro[1] action_noop: done" }),
    { MESSAGE = "\u{20ac}" } },
}

describe("pyruse.json", function()
  local wf

  it("loads", function()
    local err
    wf, err = load_json(PYRUSE_JSON)
    assert(wf, err)
  end)

  it("is linked as Pyruse links it", function()
    assert(wf, "not loaded")
    for i, c in ipairs(CASES) do
      local out, path = wf:run(c[1])
      assert.same(c[2], path, "case " .. i)
      for k, v in pairs(c[3] or {}) do
        assert.same(v, out[k], ("case %d, field %s"):format(i, k))
      end
    end
  end)

  it("errors in filters go to the else", function()
    -- PRIORITY "x" is a string: lowerOrEquals against 2 is an error, counted as a failure
    local _, path = wf:run { SYSLOG_IDENTIFIER = "app", MESSAGE = "m", PRIORITY = "x" }
    assert(contains(path[4], "Priority[0] filter_lowerOrEquals: error: "), path[4])
    assert.same("Levels[0] filter_in: fail", path[5])
    assert.same("Rest[0] action_noop: done", path[#path])
  end)

  it("has the expected graph", function()
    local graph = wf:graph()
    -- 17 steps; SSH[2] never linked; Ban shared by SSH and InvalidUsers
    assert(contains(graph, "workflow: 17 nodes, entry at DiscardCron[0]"), graph)
    assert(not contains(graph, "SSH[2]"), graph)
    local _, bans = graph:gsub("Ban%[0%] filter_inNetworks", "")
    assert.same(1, bans)
    local hits = wf:hits()
    assert.is_nil(hits["SSH[2]"])
    assert.same(#CASES + 1, hits["DiscardCron[0]"])
  end)

  it("gives the same paths and fields as the same rules in Lua", function()
    local lua_path = dir .. "/equivalent.lua"
    write(lua_path, LUA_RULES)
    local lw = assert(L.load_rules(lua_path))
    local jw = assert(load_json(PYRUSE_JSON))
    local extra = {
      { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "Failed password for x from fd00::2 port 1" },
      { SYSLOG_IDENTIFIER = "sshd" },
      {},
      { PRIORITY = "abc" },
      { MESSAGE = "caf\xe9" },
    }
    for _, c in ipairs(CASES) do
      extra[#extra + 1] = c[1]
    end
    for i, entry in ipairs(extra) do
      local jout, jpath = jw:run(entry)
      local lout, lpath = lw:run(entry)
      assert.same(jpath, lpath, "entry " .. i)
      assert.same(jout, lout, "entry " .. i)
    end
    -- same graph, origins aside
    local function strip(g)
      return (g:gsub(" %b()", ""))
    end
    assert.same(strip(jw:graph()), strip(lw:graph()))
    assert.same(jw:hits(), lw:hits())
  end)
end)

describe("pyruse.json errors", function()
  it("syntax errors name file:line:column", function()
    local wf, err, path = load_json('{\n  "actions": {\n    "A": [ {"action": "action_noop"} }\n}\n')
    assert.is_nil(wf)
    assert.same(path .. ":3:", err:sub(1, #path + 3))
    assert(err:sub(#path + 4):find("^%d+: "), err)
  end)

  it("a malformed step names label[index]", function()
    local _, err = load_json('{"actions": {"SSH": [{"action": "action_noop"}, {"args": {}}]}}')
    assert(contains(err, "SSH[1]: a step needs exactly one of"), err)
    _, err = load_json('{"actions": {"SSH": [{"action": "action_noop", "then": 3}]}}')
    assert(contains(err, 'SSH[0]: "then" and "else" must name a chain'), err)
  end)

  it("unknown steps are named label[index] by the compiler", function()
    local _, err = load_json([[{"actions": {"SSH": [
      {"filter": "filter_equals", "args": {"field": "X", "value": 1}},
      {"filter": "filter_nope", "args": {}}]}}]])
    assert(contains(err, "SSH[1]: unknown step 'filter_nope'"), err)
  end)

  it("an unknown step argument is refused, naming label[index]", function()
    local _, err = load_json([[{"actions": {"SSH": [
      {"filter": "filter_equals", "args": {"field": "X", "value": 1}},
      {"action": "action_counterRaise", "args": {"counter": "c", "for": "X", "keepSecond": 5}}]}}]])
    assert(contains(err, "SSH[1]: action_counterRaise: unknown argument 'keepSecond' "
      .. "(takes: counter, for, keepSeconds, save)"), err)
    _, err = load_json([[{"actions": {"SSH": [
      {"filter": "filter_pcre", "args": {"field": "X", "re": "x", "save": "ip"}}]}}]])
    assert(contains(err, "SSH[0]: filter_pcre: argument 'save' must be an array"), err)
  end)

  it("an unknown top-level key loads, with a warning naming it", function()
    local bin = assert(os.getenv("LURUSE_BIN"), "LURUSE_BIN is set by ctest")
    local _, _, path = load_json([[{"storgae": "/var/lib/pyruse", "debug": false,
      "actions": {"A": [{"action": "action_noop"}]}}]])
    local p = io.popen(("'%s' check -c '%s' 2>&1"):format(bin, path))
    local out = p:read("a")
    local ok = p:close()
    assert(ok, out)
    assert(contains(out, path .. ": unknown top-level key 'storgae' ignored"), out)
    assert(not contains(out, "'debug'"), out)
    assert(not contains(out, "'actions'"), out)
  end)

  it("email.subject is the report's, never an alert's: alerts default to Pyruse Notification", function()
    local wf, err = load_json([[{"email": {"to": ["admin@example.org"], "subject": "Daily digest"},
      "actions": {"Mail": [
        {"action": "action_email", "args": {"message": "plain"}, "then": "Named"}],
        "Named": [{"action": "action_email", "args": {"message": "named", "subject": "Own {X}"}}]}}]])
    assert(wf, err)
    local _, _, sent = wf:run { X = "subject" }
    assert.same({
      { action = "action_email", subject = "Pyruse Notification", message = "plain" },
      { action = "action_email", subject = "Own subject", message = "named" },
    }, sent)
  end)

  it("email: luruse's Lua names are not Pyruse settings", function()
    local _, err = load_json('{"email": {"to": ["a@example.org"], "alertSubject": "x"}, "actions": {}}')
    assert(contains(err, "unknown setting 'email.alertSubject'"), err)
  end)

  it("action_email without email.to is refused, naming the step", function()
    local _, err = load_json('{"actions": {"Mail": [{"action": "action_email", "args": {"message": "x"}}]}}')
    assert(contains(err, "Mail[0]: action_email: no recipient"), err)
    assert(not contains(err, "unknown"), err)
  end)

  it("loops and unknown labels", function()
    local _, err = load_json([[{"actions": {
      "A": [{"filter": "filter_equals", "args": {"field": "X", "value": 1}, "then": "B"}],
      "B": [{"action": "action_noop", "then": "A"}]}}]])
    assert(contains(err, "loop"), err)
    _, err = load_json([[{"actions": {
      "A": [{"filter": "filter_equals", "args": {"field": "X", "value": 1}, "else": "Nope"}]}}]])
    assert(contains(err, "'Nope'"), err)
  end)

  it("a bad 8bit-message-encoding", function()
    local _, err = load_json('{"8bit-message-encoding": "klingon", "actions": {"A": [{"action": "action_noop"}]}}')
    assert(contains(err, "klingon"), err)
  end)
end)
