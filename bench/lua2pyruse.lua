-- Writes the Pyruse pyruse.json equivalent of a luruse Lua rule file that uses
-- only Pyruse's built-in steps (no custom functions), so that both front-ends
-- can be benchmarked on the same rules. bench/pyruse.json was made with:
--
--   lua5.4 bench/lua2pyruse.lua bench/rules.lua /tmp/build-bench > bench/pyruse.json
--
-- (the second argument is the build directory holding luruse.so).
local rules, builddir = arg[1], arg[2]
if not rules or not builddir then
  io.stderr:write("usage: lua5.4 lua2pyruse.lua RULES.lua BUILD_DIR\n")
  os.exit(2)
end
package.cpath = builddir .. "/?.so;" .. package.cpath
local L = require "luruse"
dofile(rules)
local d = L._declared

local function str(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local map = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t" }
    return map[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function is_list(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n == #t
end

local encode
function encode(v, indent)
  local t = type(v)
  if t == "string" then return str(v) end
  if t == "number" then
    return math.type(v) == "integer" and tostring(v) or string.format("%.17g", v)
  end
  if t == "boolean" then return tostring(v) end
  assert(t == "table", "cannot encode a " .. t)
  local inner = indent .. "  "
  local parts = {}
  if is_list(v) then
    for _, x in ipairs(v) do parts[#parts + 1] = encode(x, inner) end
    if #parts == 0 then return "[]" end
    local one = "[" .. table.concat(parts, ", ") .. "]"
    if #one + #indent < 100 then return one end
    return "[\n" .. inner .. table.concat(parts, ",\n" .. inner) .. "\n" .. indent .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do parts[#parts + 1] = str(k) .. ": " .. encode(v[k], inner) end
  return "{" .. table.concat(parts, ", ") .. "}"
end

local out = { "{" }
local settings = {}
for k, v in pairs(d.settings) do settings[#settings + 1] = { k, v } end
table.sort(settings, function(a, b) return a[1] < b[1] end)
for _, kv in ipairs(settings) do
  local k, v = kv[1], kv[2]
  if k == "storage" then v = "/tmp/luruse-bench-state" end -- the Lua file reads it from the environment
  out[#out + 1] = "  " .. str(k) .. ": " .. encode(v, "  ") .. ","
end
out[#out + 1] = '  "actions": {'
for ci, chain in ipairs(d.chains) do
  out[#out + 1] = "    " .. str(chain.label) .. ": ["
  for si, step in ipairs(chain.steps) do
    assert(step.type ~= "custom_filter" and step.type ~= "custom_action",
      chain.label .. ": custom steps have no pyruse.json form")
    local kind = step.type:sub(1, 7) == "filter_" and "filter" or "action"
    local fields = { str(kind) .. ": " .. str(step.type) }
    if step.args and next(step.args) then
      fields[#fields + 1] = '"args": ' .. encode(step.args, "        ")
    end
    if step.then_label then fields[#fields + 1] = '"then": ' .. str(step.then_label) end
    if step.else_label then fields[#fields + 1] = '"else": ' .. str(step.else_label) end
    out[#out + 1] = "      {" .. table.concat(fields, ", ") .. "}" .. (si < #chain.steps and "," or "")
  end
  out[#out + 1] = "    ]" .. (ci < #d.chains and "," or "")
end
out[#out + 1] = "  }"
out[#out + 1] = "}"
print(table.concat(out, "\n"))
