-- L.ban and L.exec (and Pyruse's action_nftBan / action_ipsetBan in a
-- pyruse.json): load-time checks that name file:line, and what wf:run reports.
-- No firewall is touched here: without the daemon's services a ban step only
-- validates the address and reports what it would do (tests/test_bans_netns.sh
-- drives the real nft and ipset in a private network namespace).
local L = require "luruse"

local R = require "rule_files"
local must_load, load_error = R.must_load, R.load_error
local function rule_file(name, text)
  local path = R.tmpdir() .. "/" .. name
  R.write(path, text)
  return path
end
teardown(R.cleanup)

local SSH = [[
  L.pcre("MESSAGE", [=[^Failed password for \S+ from (?<clientIP>.*) port \d+]=]),
]]

local function fail_from(ip)
  return { MESSAGE = "Failed password for root from " .. ip .. " port 22 ssh2" }
end

describe("L.ban", function()
  it("reports the canonical address, the set of its family and the statement", function()
    local wf = must_load([[
      L.chain "SSH" {
      ]] .. SSH .. [[
        L.ban { ip = "clientIP", nft = { "ip I4 bans", "ip6 I6 bans" }, seconds = 3600 },
      }
    ]])
    local _, path, sent = wf:run(fail_from("2001:DB8:0:0::1"))
    assert.same({ "SSH[0] filter_pcre: pass", "SSH[1] action_nftBan: done" }, path)
    assert.same({ { action = "action_nftBan", set = "ip6 I6 bans", ip = "2001:db8::1",
      seconds = 3600, message = "add element ip6 I6 bans {2001:db8::1 timeout 3600s}" } }, sent)
    -- an IPv4-mapped address is the IPv4 client: the IPv4 set
    _, _, sent = wf:run(fail_from("::ffff:192.0.2.7"))
    assert.same("ip I4 bans", sent[1].set)
    assert.same("192.0.2.7", sent[1].ip)
  end)

  it("ipset, permanent, and prefix bans", function()
    local wf = must_load([[
      L.chain "SSH" {
      ]] .. SSH .. [[
        L.ban { ip = "clientIP", ipset = { "bans4", "bans6" }, prefix4 = 24, prefix6 = 64 },
      }
    ]])
    local _, _, sent = wf:run(fail_from("192.0.2.77"))
    assert.same({ { action = "action_ipsetBan", set = "bans4", ip = "192.0.2.0/24", seconds = 0,
      message = "add bans4 192.0.2.0/24" } }, sent)
    _, _, sent = wf:run(fail_from("2001:db8:1:2:3:4:5:6"))
    assert.same("2001:db8:1:2::/64", sent[1].ip)
    assert.same("bans6", sent[1].set)
  end)

  it("refuses anything that is not an address, before any statement", function()
    local wf = must_load([[
      L.chain "SSH" {
      ]] .. SSH .. [[
        L.ban { ip = "clientIP", nft = { "ip I4 bans", "ip6 I6 bans" }, seconds = 60 },
      }
    ]])
    for _, hostile in ipairs { "1.2.3.4} ; flush ruleset", "$(reboot)", "1.2.3.4 ", "01.2.3.4",
      "fe80::1%eth0", "[::1]", "224.0.0.1", "0.0.0.0", ("9"):rep(300), "1.2.3.4\0" } do
      local _, path, sent = wf:run(fail_from(hostile))
      assert.same({}, sent)
      assert(path[2]:find("SSH[1] action_nftBan: error: refused to ban", 1, true), path[2])
    end
    local _, path = wf:run(fail_from("$(reboot)"))
    assert(path[2]:find([["$(reboot)" (field clientIP): not an IPv4 or IPv6 address]], 1, true), path[2])
    -- a field that is not there is an error too
    local w2 = must_load [[
      L.chain "B" { L.ban { ip = "clientIP", ipset = { "a", "b" } } }
    ]]
    _, path = w2:run { MESSAGE = "x" }
    assert(path[1]:find("the entry has no field 'clientIP' to ban", 1, true), path[1])
  end)

  it("load errors name file:line", function()
    load_error([[
      L.chain "B" { L.ban { ip = "clientIP" } }
    ]], "FILE:2:", "ban: give either nft = {...} or ipset = {...}")
    load_error([[
      L.chain "B" { L.ban { ip = "clientIP", nft = { "ip I4 bans" } } }
    ]], "FILE:2:", "ban: nft needs two sets")
    load_error([[
      L.chain "B" { L.ban { ip = "clientIP", nft = { "ip I4 bans; flush ruleset", "ip6 I6 bans" } } }
    ]], "FILE:2:", "argument 'nftSetIPv4': nft set spec")
    load_error([[
      L.chain "B" { L.ban { ip = "clientIP", nft = { "ip6 I6 bans", "ip6 I6 bans" } } }
    ]], "FILE:2:", "cannot hold IPv4 addresses")
    load_error([[
      L.chain "B" { L.ban { ip = "clientIP", ipset = { "-exist", "b6" } } }
    ]], "FILE:2:", "argument 'ipSetIPv4': ipset set name: must not start with '-'")
    load_error([[
      L.chain "B" { L.ban { ip = "clientIP", ipset = { "b4", "b6" }, seconds = 3000000 } }
    ]], "FILE:2:", "'banSeconds' must be from 0 to 2147483 seconds")
    load_error([[
      L.chain "B" { L.ban { ip = "clientIP", ipset = { "b4", "b6" }, secs = 3 } }
    ]], "FILE:2:", "ban: unknown option 'secs'")
    load_error([[
      L.chain "B" { L.ban { ip = "clientIP", ipset = { "b4", "b6" }, prefix4 = 33 } }
    ]], "FILE:2:", "prefix4 must be from 1 to 32")
    load_error([[
      L.chain "B" { L.step("action_nftBan", { IP = "ip", nftSetIPv4 = "ip I4 b",
        nftSetIPv6 = "ip6 I6 b", bansSeconds = 3 }) }
    ]], "FILE:2:", "unknown argument 'bansSeconds'")
    load_error([[
      L.config { nftBan = { nft = "/usr/sbin/nft" } }
      L.chain "B" { L.noop() }
    ]], "setting 'nftBan.nft' must be a command")
    load_error([[
      L.config { bans = { timeoutSeconds = 0 } }
      L.chain "B" { L.noop() }
    ]], "setting 'bans.timeoutSeconds'")
  end)

  it("pyruse.json names work", function()
    local path = rule_file("pyruse.json", [[
{
  "nftBan": { "nft": [ "/usr/sbin/nft" ] },
  "actions": {
    "SSH": [
      { "filter": "filter_pcre", "args": { "field": "MESSAGE",
        "re": "^Failed password for \\S+ from (\\S+) port", "save": [ "thatIP" ] } },
      { "action": "action_nftBan", "args": { "IP": "thatIP", "nftSetIPv4": "ip I4 bans",
        "nftSetIPv6": "ip6 I6 bans", "banSeconds": 86400 } },
      { "action": "action_ipsetBan", "args": { "IP": "thatIP", "ipSetIPv4": "bans4",
        "ipSetIPv6": "bans6" } }
    ]
  }
}
]])
    local wf = assert(L.load_rules(path))
    local _, _, sent = wf:run(fail_from("192.0.2.1"))
    assert.same("add element ip I4 bans {192.0.2.1 timeout 86400s}", sent[1].message)
    assert.same("add bans4 192.0.2.1", sent[2].message)
  end)
end)

describe("L.exec", function()
  it("reports each rendered argument as one, empty ones included", function()
    local wf = must_load([[
      L.chain "SSH" {
      ]] .. SSH .. [[
        L.exec { "/usr/local/bin/notify", "--ip={clientIP}", "{missing}", "{clientIP}", timeout = 5 },
      }
    ]])
    local _, path, sent = wf:run(fail_from("1.2.3.4} ; $(reboot) `x` 'y'"))
    assert.same("SSH[1] action_exec: done", path[2])
    assert.same({ { action = "action_exec", argv = { "/usr/local/bin/notify",
      "--ip=1.2.3.4} ; $(reboot) `x` 'y'", "", "1.2.3.4} ; $(reboot) `x` 'y'" } } }, sent)
  end)

  it("an argument holding a NUL byte is an error: the command would see less", function()
    local wf = must_load [[
      L.chain "X" { L.exec { "/bin/true", "{V}" } }
    ]]
    local _, path, sent = wf:run { V = "a\0b" }
    assert.same({}, sent)
    assert(path[1]:find("argument 2 holds a NUL byte", 1, true), path[1])
  end)

  it("load errors name file:line", function()
    load_error([[
      L.chain "X" { L.exec {} }
    ]], "FILE:2:", "exec needs a command")
    load_error([[
      L.chain "X" { L.exec { "/bin/echo", 3 } }
    ]], "FILE:2:", "exec: argument 2 must be a string")
    load_error([[
      L.chain "X" { L.exec { "/bin/echo", shell = true } }
    ]], "FILE:2:", "exec: unknown option 'shell'")
    load_error([[
      L.chain "X" { L.exec { "/bin/echo", timeout = 0 } }
    ]], "FILE:2:", "exec: timeout must be from 1 to 3600 seconds")
    load_error([[
      L.chain "X" { L.exec { "{prog}", "x" } }
    ]], "FILE:2:", "item 1 is the program: a fixed, non-empty path")
    load_error([[
      L.chain "X" { L.exec { "/bin/echo", "{unclosed" } }
    ]], "FILE:2:", "argument 'argv' item 2:")
  end)
end)
