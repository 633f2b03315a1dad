-- Jail coverage: every line of the jails' specs (spec/jails/*.lua), and of
-- any gathered corpus in the same format (bench/coverage/corpus/*.lua), run
-- through the SHIPPED rules as a whole (rules/luruse.lua: every jail, in
-- order, as the daemon runs them). Per service: lines, attacks caught with
-- the right address, missed, and harmless lines counted (false positives).
--   lua5.4 bench/coverage/coverage.lua SRC [--floor]
-- With --floor it exits 1 unless every attack is caught and no harmless line
-- counts (the ctest test bench.coverage).
local SRC, floor = arg[1] or ".", arg[2] == "--floor"
package.path = SRC .. "/spec/?.lua;" .. package.path
local L = require "luruse"
local J = require "jail_lines"

local wf = assert(L.load_rules(SRC .. "/rules/luruse.lua"))

-- Which jail counted the entry, and for which address (nil: none).
local function run(data, line)
  local out, path, sent = wf:run(J.entry(data, line))
  for _, p in ipairs(path) do
    local jail = p:match("^jail (%S+).-action_jail: done")
    if jail and not p:find("^jail %S+.- sessions%[") then
      for _, a in ipairs(sent) do
        if a.action == "allowlisted" then
          return nil -- spared, not counted
        end
      end
      return jail, out[data.ip_field or "ip"]
    end
  end
  return nil
end

local rows, total = {}, { lines = 0, attacks = 0, caught = 0, missed = 0, fp = 0 }
local function measure(dir)
  local ok, names = pcall(J.names, dir)
  if not ok then
    return
  end
  for _, name in ipairs(names) do
    local data = dofile(dir .. "/" .. name .. ".lua")
    local r = rows[data.jail] or { jail = data.jail, lines = 0, attacks = 0, caught = 0, missed = 0, fp = 0, notes = {} }
    rows[data.jail] = r
    for _, line in ipairs(data.failures or {}) do
      local jail, ip = run(data, line)
      r.lines, r.attacks = r.lines + 1, r.attacks + 1
      if jail and ip == line.ip then
        r.caught = r.caught + 1
      else
        r.missed = r.missed + 1
        r.notes[#r.notes + 1] = ("missed: %s (counted %s by %s)"):format(line[1], tostring(ip), tostring(jail))
      end
    end
    for _, line in ipairs(data.harmless or {}) do
      local jail, ip = run(data, line)
      r.lines = r.lines + 1
      if jail then
        r.fp = r.fp + 1
        r.notes[#r.notes + 1] = ("false positive: %s (counted %s by %s)"):format(line[1], tostring(ip), jail)
      end
    end
  end
end
measure(SRC .. "/spec/jails")
measure(SRC .. "/bench/coverage/corpus")

local order = {}
for k in pairs(rows) do
  order[#order + 1] = k
end
table.sort(order)
print(("| %-20s | %5s | %7s | %6s | %6s | %15s |"):format("jail", "lines", "attacks", "caught", "missed", "false positives"))
print("|" .. ("-"):rep(22) .. "|------:|--------:|-------:|-------:|----------------:|")
for _, k in ipairs(order) do
  local r = rows[k]
  print(("| %-20s | %5d | %7d | %6d | %6d | %15d |"):format(k, r.lines, r.attacks, r.caught, r.missed, r.fp))
  for key in pairs(total) do
    total[key] = total[key] + r[key]
  end
end
print(("| %-20s | %5d | %7d | %6d | %6d | %15d |"):format("all", total.lines, total.attacks, total.caught, total.missed, total.fp))
print(("caught %.1f%% of %d attacks with the right address; %d harmless lines counted"):format(
  total.attacks > 0 and 100 * total.caught / total.attacks or 0, total.attacks, total.fp))
for _, k in ipairs(order) do
  for _, n in ipairs(rows[k].notes) do
    print(k .. ": " .. n)
  end
end
if floor and (total.missed > 0 or total.fp > 0 or total.attacks == 0) then
  os.exit(1)
end
