-- The Lua rule API (lua/luruse.lua over the C module): rule files loaded with
-- L.load_rules, compiled as the daemon compiles them, and run on entries given
-- as tables. wf:run returns the entry's fields afterwards and the path, one
-- string per step: "Chain[index] step_type: pass|fail|done|error: why".
local L = require "luruse"

local R = require "rule_files"
local tmpdir, write, read, contains = R.tmpdir, R.write, R.read, R.contains
local load, must_load, load_error = R.load, R.must_load, R.load_error
teardown(R.cleanup)

-- The step lines of a path, whatever else a multi-line message added.
local function steps_only(path)
  local out = {}
  for _, line in ipairs(path) do
    if line:find("^[^%s]+%[%d+%] ") then
      out[#out + 1] = line
    end
  end
  return out
end

describe("filters", function()
  it("equals: typed like python-systemd", function()
    local wf = must_load [[
      L.chain "Eq" { L.equals("SYSLOG_IDENTIFIER", "sshd"), L.noop() }
      L.chain "Prio" { L.equals("PRIORITY", 3), L.noop() }
      L.chain "PrioStr" { L.equals("PRIORITY", "3"), L.noop() }
      L.chain "Rest" { L.noop() }
    ]]
    local _, path = wf:run { SYSLOG_IDENTIFIER = "sshd" }
    assert.same({ "Eq[0] filter_equals: pass", "Eq[1] action_noop: done" }, path)
    _, path = wf:run { SYSLOG_IDENTIFIER = "cron", PRIORITY = 3 }
    assert.same({ "Eq[0] filter_equals: fail", "Prio[0] filter_equals: pass",
      "Prio[1] action_noop: done" }, path)
    -- a journal source gives text: PRIORITY is still an integer
    _, path = wf:run { PRIORITY = "3" }
    assert.same("Prio[0] filter_equals: pass", path[2])
    -- the string "3" never equals the integer PRIORITY; "abc" is a string
    _, path = wf:run { PRIORITY = "abc" }
    assert.same({ "Eq[0] filter_equals: fail", "Prio[0] filter_equals: fail",
      "PrioStr[0] filter_equals: fail", "Rest[0] action_noop: done" }, path)
    -- an absent field fails
    _, path = wf:run {}
    assert.same(4, #path)
  end)

  it("le and ge, and an error counting as a failure", function()
    local wf = must_load [[
      L.chain "Le" { L.le("PRIORITY", 3), L.noop() }
      L.chain "Ge" { L.ge("MESSAGE", "m"), L.noop() }
      L.chain "Rest" { L.noop() }
    ]]
    for prio, want in pairs { [0] = "pass", [2] = "pass", [3] = "pass", [4] = "fail", [7] = "fail" } do
      local _, path = wf:run { PRIORITY = prio }
      assert.same("Le[0] filter_lowerOrEquals: " .. want, path[1])
    end
    local _, path = wf:run { PRIORITY = "abc", MESSAGE = "zebra" }
    assert(path[1]:find("^Le%[0%] filter_lowerOrEquals: error: "), path[1])
    assert(contains(path[1], "PRIORITY"))
    assert.same({ "Ge[0] filter_greaterOrEquals: pass", "Ge[1] action_noop: done" },
      { path[2], path[3] })
    _, path = wf:run { MESSAGE = "apple" }
    assert.same({ "Le[0] filter_lowerOrEquals: fail", "Ge[0] filter_greaterOrEquals: fail",
      "Rest[0] action_noop: done" }, path)
    assert.same("Ge[0] filter_greaterOrEquals: pass", select(2, wf:run { MESSAGE = "m" })[2])
    local hits = wf:hits()
    assert.same(8, hits["Le[0]"])
    assert.same(3, hits["Le[1]"])
  end)

  it("empty lists are lists", function()
    -- Lua's {} has no list/object distinction: an empty list argument must
    -- still be taken as Pyruse's [] (never matches / saves nothing)
    local wf, err = load [[
      L.chain "In" { L.one_of("SYSLOG_IDENTIFIER", {}), L.noop() }
      L.chain "Nets" { L.field_in_networks("ip", {}), L.noop() }
      L.chain "Re" { L.pcre("MESSAGE", "^x", {}), L.noop() }
    ]]
    assert(wf, err)
    local _, path = wf:run { SYSLOG_IDENTIFIER = "x", ip = "1.2.3.4", MESSAGE = "x" }
    assert.same({ "In[0] filter_in: fail", "Nets[0] filter_inNetworks: fail", "Re[0] filter_pcre: pass",
      "Re[1] action_noop: done" }, path)
  end)

  it("le and ge need a value", function()
    load_error([[
      L.chain "Le" { L.le("PRIORITY") }
    ]], "FILE:2:", "value")
  end)

  it("one_of", function()
    local wf = must_load [[
      L.chain "In" { L.one_of("SYSLOG_IDENTIFIER", { "sshd", "sshd-session" }), L.noop() }
      L.chain "InPrio" { L.one_of("PRIORITY", { 0, 1, 2 }), L.noop() }
      L.chain "Rest" { L.noop() }
    ]]
    assert.same("In[0] filter_in: pass", select(2, wf:run { SYSLOG_IDENTIFIER = "sshd-session" })[1])
    assert.same("In[0] filter_in: fail", select(2, wf:run { SYSLOG_IDENTIFIER = "ssh" })[1])
    assert.same("InPrio[0] filter_in: pass", select(2, wf:run { PRIORITY = 1 })[2])
    assert.same("InPrio[0] filter_in: fail", select(2, wf:run { PRIORITY = 5 })[2])
  end)

  it("field_in_networks, IPv4 and IPv6", function()
    local wf = must_load [[
      L.chain "Nets" {
        L.field_in_networks("clientIP", { "10.0.0.0/8", "192.168.1.1", "2001:db8::/32", "::1" }),
        L.noop(),
      }
      L.chain "Rest" { L.noop() }
    ]]
    local cases = {
      ["10.1.2.3"] = "pass", ["10.255.255.255"] = "pass", ["11.0.0.1"] = "fail",
      ["192.168.1.1"] = "pass", ["192.168.1.2"] = "fail",
      ["2001:db8::5"] = "pass", ["2001:DB8:ffff::1"] = "pass", ["2001:db9::1"] = "fail",
      ["::1"] = "pass", ["::2"] = "fail",
      ["::ffff:10.0.0.1"] = "fail", -- any ':' means IPv6, as in Pyruse
    }
    for ip, want in pairs(cases) do
      local _, path = wf:run { clientIP = ip }
      assert.same("Nets[0] filter_inNetworks: " .. want, path[1], ip)
    end
    local _, path = wf:run {}
    assert.same("Nets[0] filter_inNetworks: fail", path[1])
    _, path = wf:run { clientIP = "not an address" }
    assert(path[1]:find("^Nets%[0%] filter_inNetworks: error"), path[1])
    assert.same("Rest[0] action_noop: done", path[#path])
  end)

  it("field_in_networks refuses a bad network at load", function()
    load_error([[
      L.chain "Nets" { L.field_in_networks("ip", { "10.0.0.0/33" }) }
    ]], "FILE:2:", "nets[0]")
  end)

  it("pcre with named (?<n>), Python (?P<n>) groups and save", function()
    local wf = must_load [==[
      L.chain "SSH" {
        L.pcre("MESSAGE", [[^Failed password for (\S+) from (?P<clientIP>\S+) port (?<port>\d+)( ssh2)?]],
          { "user" }),
        L.noop(),
      }
      L.chain "Empty" { L.pcre("NOT_THERE", "^$"), L.noop() }
    ]==]
    local out, path = wf:run { MESSAGE = "Failed password for root from 192.0.2.7 port 2222" }
    assert.same({ "SSH[0] filter_pcre: pass", "SSH[1] action_noop: done" }, path)
    assert.same("root", out.user)
    assert.same("192.0.2.7", out.clientIP)
    assert.same("2222", out.port)
    -- search, not match: anywhere in the field; an absent field is searched as ""
    out, path = wf:run { MESSAGE = "sshd: Failed password for x from y port 1" }
    assert.same({ "SSH[0] filter_pcre: fail", "Empty[0] filter_pcre: pass", "Empty[1] action_noop: done" },
      path)
    assert.is_nil(out.user)
    assert.is_nil(out.clientIP)
  end)

  it("pcre: search anywhere, and save does not reach named groups", function()
    local wf = must_load [==[
      L.chain "P" { L.pcre("MESSAGE", [[user=(\w+) (?P<rest>.*)]], { "who" }), L.noop() }
    ]==]
    local out, path = wf:run { MESSAGE = "login: user=bob ok then" }
    assert.same("P[0] filter_pcre: pass", path[1])
    assert.same("bob", out.who)
    assert.same("ok then", out.rest)
  end)

  it("pcre refuses more save names than groups, and bad regexes", function()
    load_error([[
      L.chain "P" { L.pcre("MESSAGE", "(a)", { "x", "y" }) }
    ]], "FILE:2:", "save")
    load_error([[
      L.chain "P" { L.pcre("MESSAGE", "(unclosed") }
    ]], "FILE:2:", "(unclosed")
  end)

  it("pcre_any: first match wins, only named groups are stored", function()
    local wf = must_load [==[
      L.chain "Any" {
        L.pcre_any("MESSAGE", {
          [[^Invalid user (?<user>\S*) from (?<ip>\S+)]],
          [[^Failed password for (?:invalid user )?(?P<user>\S+) from (?P<ip>\S+)]],
          [[from (?<ip>\S+) (\w+)]],
        }),
        L.noop(),
      }
      L.chain "Rest" { L.noop() }
    ]==]
    local out, path = wf:run { MESSAGE = "Failed password for invalid user admin from 2001:db8::9 port 1" }
    assert.same("Any[0] filter_pcreAny: pass", path[1])
    assert.same("admin", out.user)
    assert.same("2001:db8::9", out.ip)
    out = wf:run { MESSAGE = "Invalid user  from 192.0.2.1 port 5" }
    assert.same("", out.user)
    assert.same("192.0.2.1", out.ip)
    out = wf:run { MESSAGE = "connection from 192.0.2.2 closed" }
    assert.same("192.0.2.2", out.ip)
    assert.is_nil(out.user)
    assert.same("Any[0] filter_pcreAny: fail", select(2, wf:run { MESSAGE = "nothing" })[1])
  end)

  it("user_exists", function()
    local wf = must_load [[
      L.chain "User" { L.user_exists("sshUser"), L.noop() }
      L.chain "Rest" { L.noop() }
    ]]
    assert.same("User[0] filter_userExists: pass", select(2, wf:run { sshUser = "root" })[1])
    assert.same("User[0] filter_userExists: fail",
      select(2, wf:run { sshUser = "no-such-user-luruse-spec" })[1])
    assert.same("User[0] filter_userExists: fail", select(2, wf:run {})[1])
    assert.same("User[0] filter_userExists: fail", select(2, wf:run { sshUser = "" })[1])
    -- the cache answers the same
    assert.same("User[0] filter_userExists: pass", select(2, wf:run { sshUser = "root" })[1])
  end)
end)

describe("actions", function()
  it("noop consumes the entry; log renders its template", function()
    local wf = must_load [[
      L.chain "Log" { L.equals("SYSLOG_IDENTIFIER", "x"), L.log("seen {MESSAGE} at {PRIORITY:>3}", "WARNING") }
      L.chain "Rest" { L.noop() }
    ]]
    local _, path = wf:run { SYSLOG_IDENTIFIER = "x", MESSAGE = "hello", PRIORITY = 4 }
    assert.same({ "Log[0] filter_equals: pass", "Log[1] action_log: done" }, path)
    _, path = wf:run { SYSLOG_IDENTIFIER = "y" }
    assert.same({ "Log[0] filter_equals: fail", "Rest[0] action_noop: done" }, path)
  end)

  it("log: an error stops the entry", function()
    local wf = must_load [[
      L.chain "Log" { L.log("{MESSAGE:d}"), L.noop() }
      L.chain "Rest" { L.noop() }
    ]]
    local _, path = wf:run { MESSAGE = "not a number" }
    assert.same(1, #path)
    assert(path[1]:find("^Log%[0%] action_log: error: "), path[1])
  end)

  it("email and report: run returns what would be sent, rendered", function()
    local wf = must_load [=[
      L.config { email = { to = { "admin@example.org" }, alertSubject = "Default subject" } }
      L.chain "Ban" {
        L.pcre("MESSAGE", [[^fail (?<ip>\S+)$]]),
        L.email("Banned {ip}", "Ban of {ip}"),
        L.email("plain"),
        L.report("WARN", "Banned {ip}", "FIRSTLAST"),
        L.report("OTHER", "{MESSAGE}"),
      }
    ]=]
    local _, path, sent = wf:run { MESSAGE = "fail 192.0.2.1" }
    assert.same(5, #path)
    assert.same({
      { action = "action_email", subject = "Ban of 192.0.2.1", message = "Banned 192.0.2.1" },
      { action = "action_email", subject = "Default subject", message = "plain" },
      { action = "action_dailyReport", level = "WARN", details = "FIRSTLAST", message = "Banned 192.0.2.1" },
      { action = "action_dailyReport", level = "OTHER", details = "ALL", message = "fail 192.0.2.1" },
    }, sent)
    _, _, sent = wf:run { MESSAGE = "nothing" }
    assert.same({}, sent)
  end)

  it("email subjects: luruse Notification by default; email.subject is refused as ambiguous", function()
    local wf = must_load [[
      L.config { email = { to = { "admin@example.org" }, reportSubject = "Digest" } }
      L.chain "A" { L.email("plain") }
    ]]
    local _, _, sent = wf:run {}
    assert.same({ { action = "action_email", subject = "luruse Notification", message = "plain" } }, sent)
    load_error([[
      L.config { email = { to = { "admin@example.org" }, subject = "Which one?" } }
      L.chain "A" { L.email("plain") }
    ]], "'email.subject' is ambiguous", "email.alertSubject", "email.reportSubject")
  end)

  it("email and report texts are valid UTF-8 without NUL, whatever the fields hold", function()
    local wf = must_load [[
      L.config { email = { to = { "a@example.org" } } }
      L.chain "A" { L.email("{X}", "s{X}"), L.report("INFO", "{X}") }
    ]]
    local _, _, sent = wf:run { X = "a\0b\255c" }
    assert.same("a b\u{FFFD}c", sent[1].message)
    assert.same("sa b\u{FFFD}c", sent[1].subject)
    assert.same("a b\u{FFFD}c", sent[2].message)
  end)

  it("email and report refuse bad arguments at load, naming file:line", function()
    load_error([[
      L.config { email = { to = { "a@example.org" } } }
      L.chain "A" { L.report("LOUD", "x") }
    ]], "FILE:3:", "WARN, INFO or OTHER")
    load_error([[
      L.config { email = { to = { "a@example.org" } } }
      L.chain "A" { L.report("WARN", "x", "SOME") }
    ]], "FILE:3:", "ALL, NONE, FIRST, LAST or FIRSTLAST")
    load_error([[
      L.config { email = { to = { "a@example.org" } } }
      L.chain "A" { L.email() }
    ]], "FILE:3:", "email: a message template is required")
    load_error([[
      L.config { email = { to = { "a@example.org" } } }
      L.chain "A" { L.email("{unclosed") }
    ]], "FILE:3:", "action_email: message:")
    load_error([[
      L.config { email = { to = { "a@example.org" }, throttleSecond = 3 } }
      L.chain "A" { L.email("x") }
    ]], "unknown setting 'email.throttleSecond'")
    load_error([[
      L.config { email = { to = { "a@example.org\nBcc: x@y" } } }
      L.chain "A" { L.email("x") }
    ]], "'email.to' contains a control character")
  end)

  it("log refuses an unknown level and a missing message", function()
    load_error([[
      L.chain "Log" { L.log("x", "LOUD") }
    ]], "FILE:2:", "LOUD")
    load_error([[
      L.chain "Log" {
        L.log(),
      }
    ]], "FILE:3:", "log: a message template is required")
  end)
end)

describe("counters", function()
  local T0 = 1773136800 * 1000000 -- entries' own clock, microseconds

  it("a gap of hours between entries: each entry's counter is dated by its own time", function()
    local wf = must_load [[
      L.chain "Raise" { L.counter_raise("recidive", "ip", { keep = 7200, save = "n" }) }
    ]]
    local function raise(t)
      return (wf:run { ip = "a", __REALTIME_TIMESTAMP = T0 + t * 1000000 }).n
    end
    assert.same(1, raise(0))
    assert.same(1, raise(7201))        -- two hours later: the first tick is gone
    assert.same(2, raise(7202))
    assert.same(1, raise(3 * 86400))   -- days later, a lone entry
  end)

  it("entries dated after today's wall clock keep their dates in a spec", function()
    local wf = must_load [[
      L.chain "Raise" { L.counter_raise("c", "ip", { keep = 60, save = "n" }) }
    ]]
    local future = (os.time() + 10 * 365 * 86400) * 1000000
    local function raise(t)
      return (wf:run { ip = "a", __REALTIME_TIMESTAMP = future + t * 1000000 }).n
    end
    assert.same(1, raise(0))
    assert.same(2, raise(30))
    assert.same(1, raise(90))          -- expired by the entries' own clock
  end)

  it("raise counts per key, ticks expire after keep seconds, reset with grace, lower", function()
    local wf = must_load [[
      L.chain "Raise" { L.equals("OP", "raise"), L.counter_raise("ssh", "ip", { keep = 60, save = "n" }) }
      L.chain "Reset" { L.equals("OP", "reset"), L.counter_reset("ssh", "ip", { grace = 30, save = "n" }) }
      L.chain "Lower" { L.equals("OP", "lower"), L.counter_lower("ssh", "ip", { save = "n" }) }
      L.chain "Other" { L.equals("OP", "other"), L.counter_raise("web", "ip", { save = "n" }) }
    ]]
    local function op(o, ip, t)
      local out = wf:run { OP = o, ip = ip, __REALTIME_TIMESTAMP = T0 + t * 1000000 }
      return out.n
    end
    assert.same(1, op("raise", "a", 0))
    assert.same(2, op("raise", "a", 10))
    assert.same(1, op("raise", "b", 11))     -- keys are independent
    assert.same(1, op("other", "a", 12))     -- so are categories
    assert.same(3, op("raise", "a", 59))
    assert.same(3, op("raise", "a", 60))     -- the tick of t=0 expired at 60
    assert.same(2, op("lower", "a", 61))     -- the oldest live tick goes
    assert.same(0, op("reset", "a", 62))
    assert.same(0, op("raise", "a", 63))     -- ignored during the grace
    assert.same(0, op("raise", "a", 91))
    assert.same(1, op("raise", "a", 92))     -- grace over (62 + 30)
  end)

  it("counters survive in the workflow across runs, typed keys work", function()
    local wf = must_load [[
      L.chain "C" { L.counter_raise("uids", "_UID", { save = "n" }) }
    ]]
    assert.same(1, (wf:run { _UID = 1000 }).n)
    assert.same(2, (wf:run { _UID = "1000" }).n)
    assert.same(1, (wf:run { _UID = 0 }).n)
  end)

  it("an absent key field is an action error, and pyruse.json names work", function()
    local wf = must_load [[
      L.chain "C" { L.step("action_counterRaise", { counter = "c", ["for"] = "k", save = "n" }), L.noop() }
    ]]
    local out, path = wf:run { OTHER = "x" }
    assert.is_nil(out.n)
    assert(path[1]:find("error: field 'k' is absent", 1, true), path[1])
  end)

  it("load errors name file:line", function()
    load_error([[
      L.chain "C" { L.counter_raise("", "ip") }
    ]], "FILE:2:", "a counter name is required")
    load_error([[
      L.chain "C" { L.counter_raise("c", nil) }
    ]], "FILE:2:", "a field name is required")
    load_error([[
      L.chain "C" { L.step("action_counterReset", { counter = "c", ["for"] = "k", graceSeconds = -1 }) }
    ]], "FILE:2:", "'graceSeconds' must not be negative")
    load_error([[
      L.chain "C" { L.counter_raise(string.rep("c", 256), "ip") }
    ]], "FILE:2:", "'counter' is longer than 255 bytes")
  end)

  it("a misspelt option is a load error, not a counter that never expires", function()
    load_error([[
      L.chain "C" {
        L.counter_raise("ssh", "ip", { keeps = 600, save = "n" }),
      }
    ]], "FILE:3:", "counter_raise: unknown option 'keeps' (takes: keep, save)")
    load_error([[
      L.chain "C" { L.counter_lower("ssh", "ip", { keep = 600 }) }
    ]], "FILE:2:", "counter_lower: unknown option 'keep' (takes: save)")
    load_error([[
      L.chain "C" { L.counter_raise("ssh", "ip", { keep = "600" }) }
    ]], "FILE:2:", "counter_raise: keep must be a whole number of seconds")
    -- the Pyruse names through L.step are checked by the compiler
    load_error([[
      L.chain "C" {
        L.noop():pass_to "D",
      }
      L.chain "D" { L.step("action_counterRaise", { counter = "c", ["for"] = "k", keep = 600 }) }
    ]], "FILE:5:", "action_counterRaise: unknown argument 'keep' (takes: counter, for, keepSeconds, save)")
    load_error([[
      L.chain "C" { L.step("action_counterRaise", { counter = "c", ["for"] = "k", keepSeconds = "6" }) }
    ]], "FILE:2:", "argument 'keepSeconds' must be an integer")
    load_error([[
      L.chain "C" { L.step("action_counterRaise", { counter = "c" }) }
    ]], "FILE:2:", "action_counterRaise: missing argument 'for'")
  end)

  it("{ grace = 5 } is a reset's grace, and no option of a raise", function()
    load_error([[
      L.chain "C" { L.counter_raise("ssh", "ip", { grace = 5 }) }
    ]], "FILE:2:", "counter_raise: unknown option 'grace' (takes: keep, save)")
    load_error([[
      L.chain "C" { L.counter_reset("ssh", "ip", { keep = 5 }) }
    ]], "FILE:2:", "counter_reset: unknown option 'keep' (takes: grace, save)")
    local wf = must_load [[
      L.chain "Raise" { L.equals("OP", "raise"), L.counter_raise("ssh", "ip", { save = "n" }) }
      L.chain "Reset" { L.equals("OP", "reset"), L.counter_reset("ssh", "ip", { grace = 5, save = "n" }) }
    ]]
    local function op(o, t)
      return (wf:run { OP = o, ip = "a", __REALTIME_TIMESTAMP = T0 + t * 1000000 }).n
    end
    assert.same(1, op("raise", 0))
    assert.same(0, op("reset", 10))
    assert.same(0, op("raise", 14))  -- within the 5 s grace
    assert.same(1, op("raise", 15))  -- grace over, and the raise keeps no expiry
    assert.same(2, op("raise", 1000))
  end)
end)

describe("custom steps", function()
  it("a bare function is a filter", function()
    local wf = must_load [[
      L.chain "C" { function(e) return e.SYSLOG_IDENTIFIER == "x" end, L.noop() }
      L.chain "Rest" { L.noop() }
    ]]
    assert.same({ "C[0] custom filter: pass", "C[1] action_noop: done" },
      select(2, wf:run { SYSLOG_IDENTIFIER = "x" }))
    assert.same({ "C[0] custom filter: fail", "Rest[0] action_noop: done" },
      select(2, wf:run { SYSLOG_IDENTIFIER = "y" }))
  end)

  it("L.filter, with typed fields and fields no rule interned", function()
    local wf = must_load [[
      L.chain "C" {
        L.filter(function(e)
          return math.type(e.PRIORITY) == "integer" and e.PRIORITY <= 3
            and e.UNINTERNED_FIELD_SPEC == "here" and e.ABSENT_FIELD_SPEC == nil
        end),
        L.noop(),
      }
      L.chain "Rest" { L.noop() }
    ]]
    assert.same("C[0] custom filter: pass",
      select(2, wf:run { PRIORITY = "2", UNINTERNED_FIELD_SPEC = "here" })[1])
    assert.same("C[0] custom filter: fail",
      select(2, wf:run { PRIORITY = "5", UNINTERNED_FIELD_SPEC = "here" })[1])
  end)

  it("a custom action sets fields, seen by later steps and in the result", function()
    local wf = must_load [[
      L.chain "C" {
        L.action(function(e)
          e.added = "v"
          e.count = 5
          e.flag = true
          e.ratio = 1.5
          e.SYSLOG_IDENTIFIER = e.SYSLOG_IDENTIFIER .. "!"
        end),
        L.equals("added", "v"),
        L.equals("count", 5),
        L.noop(),
      }
    ]]
    local out, path = wf:run { SYSLOG_IDENTIFIER = "app", KEPT = "k" }
    assert.same({ "C[0] custom action: done", "C[1] filter_equals: pass",
      "C[2] filter_equals: pass", "C[3] action_noop: done" }, path)
    assert.same("v", out.added)
    assert.same(5, out.count)
    assert.same(1, out.flag)
    assert.same("1.5", out.ratio)
    assert.same("app!", out.SYSLOG_IDENTIFIER)
    assert.same("k", out.KEPT)
  end)

  it("a field unset by a custom action is absent from the result", function()
    local wf = must_load [[
      L.chain "C" {
        L.action(function(e)
          e.MESSAGE = nil
          e.SYSLOG_IDENTIFIER = nil
          e.UNINTERNED_UNSET_SPEC = nil
        end),
        L.filter(function(e) return e.MESSAGE == nil and e.UNINTERNED_UNSET_SPEC == nil end),
        L.noop(),
      }
    ]]
    local out, path = wf:run { MESSAGE = "gone", SYSLOG_IDENTIFIER = "app",
      UNINTERNED_UNSET_SPEC = "x", KEPT = "k" }
    assert.same("C[1] custom filter: pass", path[2]) -- the steps see them unset...
    assert.same("k", out.KEPT)
    assert.is_nil(out.MESSAGE) -- ...and so must the result
    assert.is_nil(out.SYSLOG_IDENTIFIER)
    assert.is_nil(out.UNINTERNED_UNSET_SPEC)
  end)

  it("a runaway step is stopped by the instruction limit", function()
    local wf = must_load [[
      L.chain "Loop" { L.filter(function(e) while true do end end), L.noop() }
      L.chain "ActLoop" { L.action(function(e) local n = 0 while true do n = n + 1 end end), L.noop() }
    ]]
    local _, path = wf:run { MESSAGE = "x" }
    path = steps_only(path)
    assert(path[1]:find("^Loop%[0%] custom filter: error: "), path[1])
    assert(contains(path[1], "instruction limit"), path[1])
    -- a filter's error counts as a failure: on to the next chain, where the
    -- action's error stops the entry
    assert(path[2] and path[2]:find("^ActLoop%[0%] custom action: error: "), path[2])
    assert(contains(path[2], "instruction limit"), path[2])
    assert.same(2, #path)
    assert.same({ ["Loop[0]"] = 1, ["Loop[1]"] = 0, ["ActLoop[0]"] = 1, ["ActLoop[1]"] = 0 }, wf:hits())
    -- and the state is usable for the next entry
    _, path = wf:run { MESSAGE = "y" }
    assert(path[1]:find("^Loop%[0%] custom filter: error: "), path[1])
  end)

  it("a runaway coroutine inside a step is stopped too", function()
    local wf = must_load [[
      L.chain "Co" { L.filter(function(e) return coroutine.wrap(function() while true do end end)() end) }
      L.chain "Rest" { L.noop() }
    ]]
    local _, path = wf:run {}
    path = steps_only(path)
    assert(contains(path[1], "instruction limit"), path[1])
    assert.same("Rest[0] action_noop: done", path[2])
  end)

  it("a runaway rule file is stopped at load", function()
    load_error([[
      while true do end
    ]], "instruction limit")
  end)

  local errors_rules = [[
      L.chain "Boom" { L.filter(function(e) error("boom") end), L.noop() }
      L.chain "Table" { L.filter(function(e) error({ code = 1 }) end), L.noop() }
      L.chain "Rest" { L.noop() }
    ]]

  it("an error in a custom filter goes to the else", function()
    local wf = must_load(errors_rules)
    local _, path = wf:run {}
    path = steps_only(path)
    assert(contains(path[1], "Boom[0] custom filter: error: "), path[1])
    assert(contains(path[1], "rules.lua:2: boom"), path[1])
    assert(path[2] and contains(path[2], "Table[0] custom filter: error: "), path[2])
    assert(contains(path[2], "(error object is a table value)"), path[2])
    assert.same("Rest[0] action_noop: done", path[3])
    assert.same(3, #path)
  end)

  it("an error in a custom step makes one path line, without the traceback", function()
    local wf = must_load(errors_rules)
    local _, path = wf:run {}
    assert(contains(path[1], "Boom[0] custom filter: error: "), path[1])
    assert(contains(path[1], "boom"), path[1])
    assert(path[2] and contains(path[2], "Table[0] custom filter: error: "), path[2])
    assert(contains(path[2], "table"), path[2])
    assert.same("Rest[0] action_noop: done", path[3])
    assert.same(3, #path)
  end)

  it("an entry kept in a global after its step raised", function()
    local out_file = tmpdir() .. "/after-close.txt"
    local wf = must_load(([[
      local kept
      -- at lua_close, outside any step: the kept entry must raise, not read freed memory
      KEEP_ALIVE_UNTIL_CLOSE = setmetatable({}, { __gc = function()
        local ok, err = pcall(function() return kept.SYSLOG_IDENTIFIER end)
        local f = io.open(%q, "w")
        f:write(tostring(ok), "\n", tostring(err), "\n", tostring(kept), "\n")
        f:close()
      end })
      L.chain "Keep" { L.filter(function(e) kept = e; error("kept and failed") end), L.noop() }
      L.chain "Use" {
        L.action(function(e)
          -- the one borrowed entry, bound again for this step: the current entry
          e.seen = kept.SYSLOG_IDENTIFIER
          e.same = tostring(rawequal(kept, e))
        end),
        L.noop(),
      }
    ]]):format(out_file))
    local out, path = wf:run { SYSLOG_IDENTIFIER = "first" }
    assert(contains(path[1], "kept and failed"), path[1])
    assert.same("first", out.seen)
    assert.same("true", out.same)
    out = wf:run { SYSLOG_IDENTIFIER = "second" }
    assert.same("second", out.seen)
    wf = nil -- luacheck: ignore 311 (dropping the last reference closes the rule state)
    collectgarbage()
    collectgarbage()
    local text = read(out_file)
    assert.is_string(text)
    local ok, err, str = text:match("^(.-)\n(.-)\n(.-)\n$")
    assert.same("false", ok)
    assert(contains(err, "no longer valid"), err)
    assert.same("luruse.Entry (expired)", str)
  end)

  it("field names a custom action cannot set", function()
    local wf = must_load [[
      L.chain "C" {
        L.action(function(e)
          local r = {}
          r[1] = pcall(function() e["A=B"] = "x" end)
          r[2] = pcall(function() e[string.rep("N", 300)] = "x" end)
          r[3] = pcall(function() e[""] = "x" end)
          r[4] = pcall(function() e.OK = {} end)
          r[5] = pcall(function() e.OK = print end)
          for i = 1, #r do r[i] = tostring(r[i]) end
          e.results = table.concat(r, " ")
        end),
        L.action(function(e) e["bad=name"] = 1 end),
        L.noop(),
      }
    ]]
    local out, path = wf:run {}
    assert.same("false false false false false", out.results)
    path = steps_only(path)
    assert(path[2]:find("^C%[1%] custom action: error: "), path[2])
    assert.same(2, #path) -- an action's error stops the entry
  end)

  it("custom steps with the wrong argument types are load errors", function()
    load_error([[
      L.chain "C" { L.filter("not a function") }
    ]], "FILE:2:", "filter needs a function")
    load_error([[
      L.chain "C" { 42 }
    ]], "FILE:2:", "not a step")
  end)
end)

describe("jumps", function()
  it(":pass_to and :fail_to", function()
    local wf = must_load [[
      L.chain "SSH" {
        L.equals("SYSLOG_IDENTIFIER", "sshd"),
        L.pcre("MESSAGE", [=[from (?<ip>\S+)]=]):pass_to("Ban"):fail_to("Other"),
        L.log("never reached: after an explicit then"),
      }
      L.chain "Rest" { L.noop() }
      L.chain "Ban" { L.field_in_networks("ip", { "10.0.0.0/8" }):fail_to("Log"), L.noop() }
      L.chain "Other" { L.equals("MESSAGE", "special"), L.noop() }
      L.chain "Log" { L.log("ban {ip}") }
    ]]
    local out, path = wf:run { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "from 10.1.1.1" }
    assert.same({ "SSH[0] filter_equals: pass", "SSH[1] filter_pcre: pass",
      "Ban[0] filter_inNetworks: pass", "Ban[1] action_noop: done" }, path)
    assert.same("10.1.1.1", out.ip)
    out, path = wf:run { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "from 192.0.2.1" }
    assert.same({ "SSH[0] filter_equals: pass", "SSH[1] filter_pcre: pass",
      "Ban[0] filter_inNetworks: fail", "Log[0] action_log: done" }, path)
    assert.same("192.0.2.1", out.ip)
    -- fail_to Other; Other's loose ends go to the main chain after SSH: Rest
    out, path = wf:run { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "nothing" }
    assert.same({ "SSH[0] filter_equals: pass", "SSH[1] filter_pcre: fail",
      "Other[0] filter_equals: fail", "Rest[0] action_noop: done" }, path)
    assert.is_nil(out.ip)
    out, path = wf:run { SYSLOG_IDENTIFIER = "sshd", MESSAGE = "special" }
    assert.same("Other[1] action_noop: done", path[#path])
    assert.is_nil(out.ip)
    -- jump chains are left out of default linking
    out, path = wf:run { SYSLOG_IDENTIFIER = "cron" }
    assert.same({ "SSH[0] filter_equals: fail", "Rest[0] action_noop: done" }, path)
    assert.is_nil(out.ip)
    local graph = wf:graph()
    assert(not contains(graph, "SSH[2]"), graph)
    assert(contains(graph, "entry at SSH[0]"), graph)
  end)

  it("a jump chain with loose ends is linked once per use", function()
    local wf = must_load [[
      L.chain "A" { L.equals("SYSLOG_IDENTIFIER", "a"):pass_to("J") }
      L.chain "B" { L.equals("SYSLOG_IDENTIFIER", "b"):pass_to("J") }
      L.chain "C" { L.noop() }
      L.chain "J" { L.equals("MESSAGE", "hit"), L.noop() }
    ]]
    assert.same({ "A[0] filter_equals: pass", "J[0] filter_equals: fail", "B[0] filter_equals: fail",
      "C[0] action_noop: done" }, select(2, wf:run { SYSLOG_IDENTIFIER = "a" }))
    assert.same({ "A[0] filter_equals: fail", "B[0] filter_equals: pass", "J[0] filter_equals: fail",
      "C[0] action_noop: done" }, select(2, wf:run { SYSLOG_IDENTIFIER = "b" }))
    assert(contains(wf:graph(), "workflow: 7 nodes"), wf:graph())
    assert.same(2, wf:hits()["J[0]"])
  end)

  it("fail_to on an action is a load error", function()
    load_error([[
      L.chain "A" { L.noop():fail_to("B") }
      L.chain "B" { L.noop() }
    ]], "FILE:2:", "fail_to applies to filters only")
  end)
end)

describe("rule files", function()
  it("L.include takes a glob in name order, relative to the including file", function()
    local dir = tmpdir()
    assert(os.execute("mkdir -p '" .. dir .. "/rules.d'"))
    write(dir .. "/rules.d/20-b.lua", [[
      local L = require "luruse"
      L.chain "B" { L.equals("SYSLOG_IDENTIFIER", "b"), L.noop() }
    ]])
    write(dir .. "/rules.d/10-a.lua", [[
      local L = require "luruse"
      L.chain "A" { L.equals("SYSLOG_IDENTIFIER", "a"), L.noop() }
    ]])
    write(dir .. "/rules.d/30-c.lua.disabled", [[ error("not included") ]])
    write(dir .. "/rules.d/.hidden.lua", [[ error("not included") ]])
    write(dir .. "/main.lua", [[
      local L = require "luruse"
      L.chain "First" { L.equals("SYSLOG_IDENTIFIER", "first"), L.noop() }
      assert(L.include "rules.d/*.lua" == 2)
      L.chain "Last" { L.noop() }
    ]])
    local wf = assert(L.load_rules(dir .. "/main.lua"))
    local _, path = wf:run { SYSLOG_IDENTIFIER = "z" }
    assert.same({ "First[0] filter_equals: fail", "A[0] filter_equals: fail",
      "B[0] filter_equals: fail", "Last[0] action_noop: done" }, path)
  end)

  it("L.include of a missing file is a load error", function()
    load_error([[
      L.include "nothing-here.lua"
      L.chain "A" { L.noop() }
    ]], "nothing-here.lua")
  end)

  it("L.config: settings as in pyruse.json", function()
    local wf = must_load [[
      L.config { ["8bit-message-encoding"] = "cp1252", debug = true }
      L.chain "Msg" { L.equals("MESSAGE", "\u{20ac}5"), L.noop() }
      L.chain "Rest" { L.noop() }
    ]]
    local out, path = wf:run { MESSAGE = "\x805" }
    assert.same("\u{20ac}5", out.MESSAGE)
    assert.same("Msg[0] filter_equals: pass", path[1])
    load_error([[
      L.config { ["8bit-message-encoding"] = "no-such-charset" }
      L.chain "A" { L.noop() }
    ]], "no-such-charset")
    load_error([[
      L.config "debug"
    ]], "FILE:2:", "config needs a table")
  end)

  it("L.config: an unknown setting is a load error naming file:line", function()
    load_error([[
      L.chain "A" { L.noop() }
      L.config { debug = true, storgae = "/var/lib/luruse" }
    ]], "FILE:3:", "config: unknown setting 'storgae' (takes: storage, ")
  end)

  it("MESSAGE not in UTF-8 is decoded as ISO-8859-1 by default", function()
    local wf = must_load [[
      L.chain "A" { L.noop() }
    ]]
    local out = wf:run { MESSAGE = "caf\xe9", SYSLOG_IDENTIFIER = "caf\xe9" }
    assert.same("caf\u{e9}", out.MESSAGE)
    assert.same("caf\xe9", out.SYSLOG_IDENTIFIER) -- only MESSAGE is decoded
    out = wf:run { MESSAGE = "d\u{e9}j\u{e0}" } -- valid UTF-8 is kept
    assert.same("d\u{e9}j\u{e0}", out.MESSAGE)
  end)

  it("load errors name file:line", function()
    -- syntax error
    load_error("\n\nlocal x = = 1\n", "FILE:4:")
    -- bad argument to a constructor
    load_error([[
      L.chain "A" {
        L.equals("", 1),
      }
    ]], "FILE:3:", "equals: a field name is required")
    load_error([[
      L.chain "A" { L.pcre("MESSAGE", 5) }
    ]], "FILE:2:", "pcre: a regex string is required")
    load_error([[
      L.chain "A" { L.one_of("F", "x") }
    ]], "FILE:2:", "one_of")
    -- bad arguments found when compiling
    load_error([[
      L.chain "A" {
        L.noop(),
      }
      L.chain "B" {
        L.step("filter_equals", { field = "X" }),
      }
    ]], "FILE:6:", "value")
    -- unknown step
    load_error([[
      L.chain "A" {
        L.noop(),
        L.step("filter_nope"),
      }
    ]], "FILE:4:", "unknown step 'filter_nope'")
    -- an email action without a recipient is refused, naming the step
    load_error([[
      L.chain "A" { L.email("x") }
    ]], "FILE:2:", "action_email: no recipient: set email.to")
    -- a Pyruse step not available yet is refused by name
    load_error([[
      L.chain "A" { L.step("action_nftBan", { IP = "ip" }) }
    ]], "FILE:2:", "action_nftBan")
    -- duplicate and empty chains
    load_error([[
      L.chain "A" { L.noop() }
      L.chain "A" { L.noop() }
    ]], "FILE:3:", "declared twice")
    load_error([[
      L.chain "A" {}
    ]], "FILE:2:", "empty")
    load_error("-- nothing\n", "no chain declared")
    -- a runtime error in the file
    load_error([[
      local t = nil
      t.x = 1
    ]], "FILE:3:")
  end)

  it("a loop is a load error naming the rule file", function()
    -- the step that jumps back (B[0], line 4) is at fault
    load_error([[
      L.chain "A" { L.equals("X", "1"):pass_to("B") }
      L.chain "B" {
        L.noop():pass_to("A"),
      }
    ]], "FILE:4: ", "loop")
    load_error([[
      L.chain "A" {
        L.equals("X", "1"),
        L.equals("Y", "1"):fail_to("A"),
      }
    ]], "FILE:4: ", "loop")
  end)

  it("an unknown label is a load error naming the rule file", function()
    load_error([[
      L.chain "A" {
        L.equals("X", "1"):fail_to("Nowhere"),
      }
    ]], "FILE:3: ", "'Nowhere'")
  end)

  it("a missing rule file", function()
    local wf, err = L.load_rules(tmpdir() .. "/missing.lua")
    assert.is_nil(wf)
    assert(contains(err, "missing.lua"), err)
  end)
end)

describe("Workflow objects", function()
  it("the entry's time: __REALTIME_TIMESTAMP in microseconds", function()
    local wf = must_load [[
      L.chain "T" { L.action(function(e) e.seenTime = e.__REALTIME_TIMESTAMP or -1 end) }
    ]]
    local out = wf:run { __REALTIME_TIMESTAMP = 1700000000123456 }
    assert.same(1700000000123456, out.seenTime)
    assert.same(1700000000123456, out.__REALTIME_TIMESTAMP)
    out = wf:run { __REALTIME_TIMESTAMP = "1700000000000001" }
    assert.same(1700000000000001, out.seenTime)
    out = wf:run {}
    assert.same(-1, out.seenTime)
  end)

  it("a closed workflow refuses to run", function()
    local kept
    do
      local wf <close> = must_load [[ L.chain "A" { L.noop() } ]]
      kept = wf
      assert.same({ "A[0] action_noop: done" }, select(2, wf:run {}))
    end
    assert.has_error(function() kept:run {} end)
    assert.has_error(function() kept:graph() end)
    assert.has_error(function() kept:hits() end)
    kept = nil
    collectgarbage() -- __gc after __close: nothing freed twice
  end)

  it("run refuses bad entries", function()
    local wf = must_load [[ L.chain "A" { L.noop() } ]]
    assert.has_error(function() wf:run { MESSAGE = true } end)
    assert.has_error(function() wf:run { [1] = "x" } end)
    assert.has_error(function() wf:run "MESSAGE" end)
    assert.same({ "A[0] action_noop: done" }, select(2, wf:run { MESSAGE = "ok" }))
  end)
end)

describe("C primitives", function()
  it("L.regex(...):match", function()
    local re = L.regex [[from (?<ip>\S+) port (\d+)(x)?]]
    local m = re:match("sshd: from 192.0.2.1 port 22 end")
    assert.same("from 192.0.2.1 port 22", m[0])
    assert.same("192.0.2.1", m[1])
    assert.same("22", m[2])
    assert.is_nil(m[3])
    assert.same("192.0.2.1", m.ip)
    assert.is_nil(re:match("nothing"))
    local py = L.regex [[user (?P<user>\w+)]]
    assert.same("bob", py:match("invalid user bob").user)
    -- binary subjects
    assert.same("a\0b", L.regex("a.b"):match("xa\0by")[0])
    assert.has_error(function() L.regex "(unclosed" end)
    assert(contains(tostring(re), "luruse.Regex"))
    re:close()
    assert.has_error(function() re:match("x") end)
  end)

  it("L.networks{...}:contains", function()
    local lan = L.networks { "192.168.0.0/16", "fd00::/8", "10.1.2.3" }
    assert.is_true(lan:contains("192.168.44.1"))
    assert.is_true(lan:contains("fd12::1"))
    assert.is_true(lan:contains("10.1.2.3"))
    assert.is_false(lan:contains("10.1.2.4"))
    assert.is_false(lan:contains("fe80::1"))
    local ok, why = lan:contains("junk")
    assert.is_false(ok)
    assert.same("not an IP address", why)
    assert.is_false((lan:contains("192.168.0.1/32")))
    assert.has_error(function() L.networks { "300.1.1.1/8" } end)
    assert.has_error(function() L.networks { "10.0.0.0/8", 5 } end)
    assert.has_error(function() L.networks "10.0.0.0/8" end)
    assert(contains(tostring(lan), "3 networks"))
  end)

  it("L.ip: canonical form, hostile strings refused", function()
    assert.same({ "1.2.3.4", "inet" }, { L.ip("1.2.3.4") })
    assert.same({ "2001:db8::1", "inet6" }, { L.ip("2001:DB8:0:0:0::1") })
    assert.same({ "::ffff:1.2.3.4", "inet6" }, { L.ip("::ffff:1.2.3.4") })
    assert.same({ "::", "inet6" }, { L.ip("0::0") })
    for _, hostile in ipairs {
      "1.2.3.4} ; flush ruleset", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\n", "1.2.3.4\0", "1.2.3.4/32",
      "fe80::1%eth0", "1.2.3", "1.2.3.4.5", "256.1.1.1", "", "::g", "1.2.3.4; rm -rf /",
      string.rep("1", 100),
    } do
      local ip, why = L.ip(hostile)
      assert.is_nil(ip, hostile)
      assert.same("not an IP address", why)
    end
  end)

  it("L.in_networks", function()
    local nets = { "10.0.0.0/8", "2001:db8::/32" }
    assert.is_true(L.in_networks("10.9.9.9", nets))
    assert.is_true(L.in_networks("2001:db8::1", nets))
    assert.is_false(L.in_networks("11.0.0.1", nets))
    assert.is_false(L.in_networks("junk", nets))
    assert.is_false(L.in_networks(nil, nets))
  end)
end)
