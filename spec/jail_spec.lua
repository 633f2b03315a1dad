-- L.jail: what it compiles to, counting per address, the ban at maxretry with
-- escalation, the allowlist (spared, said so), and load errors with file:line.
local R = require "rule_files"
local must_load, load_error = R.must_load, R.load_error
teardown(R.cleanup)

local SSHD = [[
  L.jail "sshd" {
    identifier = "sshd",
    failures = { [=[^Failed \S+ for (?:invalid user )?(?<user>.*) from (?<ip>\S+) port \d+]=],
                 [=[^Invalid user .* from (?<ip>\S+) port \d+$]=] },
    maxretry = 3, findtime = "10m", bantime = "1h",
    increment = { factor = 2, max = "3h" },
    ignore = { "198.51.100.0/24" },
  }
  L.chain "Rest" { L.noop() }
]]

local function fail(ip, t)
  return { SYSLOG_IDENTIFIER = "sshd", __REALTIME_TIMESTAMP = t or 1700000000000000,
    MESSAGE = "Failed password for invalid user admin from " .. ip .. " port 4242 ssh2" }
end

local function bans_of(sent)
  local out = {}
  for _, a in ipairs(sent) do
    if a.action == "action_nftBan" then
      out[#out + 1] = a
    end
  end
  return out
end

describe("L.jail", function()
  it("compiles to a source filter, the failure regexes and action_jail", function()
    local wf = must_load(SSHD)
    local _, path = wf:run(fail("203.0.113.9"))
    assert.same({ "jail sshd[0] filter_equals: pass", "jail sshd[1] filter_pcreAny: pass",
      "jail sshd[2] action_jail: done" }, path)
    _, path = wf:run({ SYSLOG_IDENTIFIER = "sshd", MESSAGE = "Accepted publickey for root from 203.0.113.9 port 1 ssh2" })
    assert.same("jail sshd[1] filter_pcreAny: fail", path[2])
    assert.same("Rest[0] action_noop: done", path[3])
  end)

  it("bans at maxretry, in luruse's own sets, each ban of an address longer, capped", function()
    local wf = must_load(SSHD)
    local t = 1700000000000000
    local seconds = {}
    for round = 1, 4 do
      for i = 1, 3 do
        local _, _, sent = wf:run(fail("203.0.113.9", t))
        local b = bans_of(sent)
        if i < 3 then
          assert.same({}, b)
        else
          assert.same(1, #b)
          assert.same("inet luruse ban4", b[1].set)
          assert.same("203.0.113.9", b[1].ip)
          assert.same("sshd", b[1].jail)
          seconds[round] = b[1].seconds
        end
        t = t + 1000000
      end
    end
    assert.same({ 3600, 7200, 10800, 10800 }, seconds)
    -- IPv6, canonical, its own count
    local sent
    for _ = 1, 3 do
      _, _, sent = wf:run(fail("2001:DB8::0:1", t))
    end
    assert.same("inet luruse ban6", bans_of(sent)[1].set)
    assert.same("2001:db8::1", bans_of(sent)[1].ip)
  end)

  it("counts within findtime only", function()
    local wf = must_load(SSHD)
    local t = 1700000000000000
    for _ = 1, 2 do
      wf:run(fail("192.0.2.1", t))
    end
    local _, _, sent = wf:run(fail("192.0.2.1", t + 601 * 1000000))
    assert.same({}, bans_of(sent))
  end)

  it("never counts an allowlisted address, and says so", function()
    local wf = must_load(SSHD)
    for _, ip in ipairs({ "127.0.0.1", "::1", "198.51.100.7" }) do
      local sent
      for _ = 1, 5 do
        _, _, sent = wf:run(fail(ip))
      end
      assert.same({ { action = "allowlisted", jail = "sshd", ip = ip } }, sent)
    end
    local wf2 = must_load([[L.config { allow = { "192.0.2.0/28" } }
    ]] .. SSHD)
    local _, _, sent = wf2:run(fail("192.0.2.5"))
    assert.same("allowlisted", sent[1].action)
  end)

  it("refuses an address that is none, before any count", function()
    local wf = must_load(SSHD)
    local _, path, sent = wf:run(fail("10.0.0.1;reboot"))
    assert.same({}, sent)
    assert(path[3]:find([[action_jail: error: jail sshd: "10.0.0.1;reboot" (field ip) is no address]], 1, true), path[3])
  end)

  it("names the line of a broken jail", function()
    load_error([[
      L.jail "x" { identifier = "x", failures = { "^no group here" } }
    ]], "FILE:2:", "has no (?<ip>...) group")
    load_error([[
      L.jail "x" { identifier = "x", failures = { "^(?<ip>\\S+)" }, maxretyr = 3 }
    ]], "FILE:2:", "unknown option 'maxretyr'")
    load_error([[
      L.jail "x" { identifier = "x", failures = { "^(?<ip>\\S+)" }, bantime = "1 hour" }
    ]], "FILE:2:", "bantime must be seconds or a duration")
    load_error([[
      L.jail "x" { failures = { "^(?<ip>\\S+)" } }
    ]], "FILE:2:", "say whose lines it reads")
  end)
end)

describe("L.jails_off", function()
  it("turns a jail off before it is declared", function()
    local wf = must_load([[
      L.jails_off { "sshd" }
    ]] .. SSHD)
    local _, path = wf:run(fail("203.0.113.9"))
    assert.same({ "Rest[0] action_noop: done" }, path)
  end)
end)

describe("L.jail sessions", function()
  local MTA = [[
    L.jail "mta" {
      identifier = "mta",
      sessions = { [=[^(?<session>[0-9A-Za-z]+): from=<[^>]*>, relay=\S* \[(?<ip>[0-9A-Fa-f:.]+)\]$]=] },
      failures = { [=[^(?<session>[0-9A-Za-z]+): <[^>]*>\.\.\. User unknown$]=],
                   [=[^AUTH failure from \[(?<ip>[0-9A-Fa-f:.]+)\]$]=] },
      maxretry = 3, session_time = "5m",
    }
    L.chain "Rest" { L.noop() }
  ]]
  local T = 1700000000000000
  local function mta(msg, dt)
    return { SYSLOG_IDENTIFIER = "mta", MESSAGE = msg, __REALTIME_TIMESTAMP = T + (dt or 0) * 1000000 }
  end

  it("counts a failure that names its session only for the session's address", function()
    local wf = must_load(MTA)
    wf:run(mta("Q1: from=<a@b>, relay=x [203.0.113.9]"))
    local sent
    for i = 1, 3 do
      _, _, sent = wf:run(mta("Q1: <u" .. i .. "@here>... User unknown", i))
    end
    assert.same("203.0.113.9", bans_of(sent)[1].ip)
  end)

  it("counts failures seen before the line that names the address", function()
    local wf = must_load(MTA)
    for i = 1, 3 do
      wf:run(mta("Q2: <u" .. i .. "@here>... User unknown", i))
    end
    local _, path, sent = wf:run(mta("Q2: from=<a@b>, relay=y [2001:db8::2]", 4))
    assert.same("jail mta sessions[2] action_jail: done", path[#path])
    assert.same("2001:db8::2", bans_of(sent)[1].ip)
  end)

  it("forgets a session after session_time, and never counts an unknown one", function()
    local wf = must_load(MTA)
    wf:run(mta("Q3: from=<a@b>, relay=x [198.51.100.3]"))
    local sent
    for i = 1, 3 do
      _, _, sent = wf:run(mta("Q3: <u@here>... User unknown", 301 + i))
    end
    assert.same({}, bans_of(sent))
    -- and a later session line of that id is a new session: the 3 count now
    _, _, sent = wf:run(mta("Q3: from=<c@d>, relay=z [198.51.100.4]", 310))
    assert.same("198.51.100.4", bans_of(sent)[1].ip)
    for _ = 1, 5 do
      _, _, sent = wf:run(mta("ZZ: <u@here>... User unknown", 400))
    end
    assert.same({}, bans_of(sent))
  end)

  it("needs both groups in a session regex", function()
    load_error([[
      L.jail "m" { identifier = "m", sessions = { "^(?<session>\\w+):" }, failures = { "^(?<session>\\w+): x" } }
    ]], "FILE:2:", "session 1 needs a (?<session>...) and a (?<ip>...) group")
  end)
end)

describe("the shipped sendmail jail's sessions", function()
  it("counts 'User unknown' lines for the client that the session's from= line names", function()
    local src = os.getenv("LURUSE_SRC") or "."
    local wf = must_load([[L.config { email = { to = { "root@localhost" } } }
      L.include "]] .. src .. [[/rules/jails/sendmail.lua"
      L.chain "Rest" { L.noop() }
    ]])
    local T = 1700000000000000
    local function sm(msg, dt)
      return { SYSLOG_IDENTIFIER = "sm-mta", MESSAGE = msg, __REALTIME_TIMESTAMP = T + dt * 1000000 }
    end
    for i = 1, 5 do
      wf:run(sm("42D1Ab0c012345: <user" .. i .. "@example.org>... User unknown", i))
    end
    local _, _, sent = wf:run(sm("42D1Ab0c012345: from=<spam@x.example, relay=[10.0.0.1]>, size=0, "
      .. "class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=[IPv6:2001:db8::77]", 6))
    local b = bans_of(sent)
    assert.same(1, #b)
    assert.same("2001:db8::77", b[1].ip)
  end)
end)

describe("L.jail identifier patterns", function()
  it("match identifiers that vary, anchored", function()
    local wf = must_load([[
      L.jail "p" { identifier = { pattern = "^p(?:-\\w+)?/smtpd$" }, failures = { "^bad from (?<ip>\\S+)$" } }
      L.chain "Rest" { L.noop() }
    ]])
    for _, id in ipairs({ "p/smtpd", "p-out/smtpd" }) do
      local out = wf:run({ SYSLOG_IDENTIFIER = id, MESSAGE = "bad from 203.0.113.1" })
      assert.same("203.0.113.1", out.ip)
    end
    local _, path = wf:run({ SYSLOG_IDENTIFIER = "xp/smtpd", MESSAGE = "bad from 203.0.113.1" })
    assert.same("Rest[0] action_noop: done", path[#path])
    load_error([[
      L.jail "q" { identifier = { pattern = "p/smtpd" }, failures = { "^(?<ip>\\S+)" } }
    ]], "FILE:2:", "anchored with ^ and $")
  end)
end)
