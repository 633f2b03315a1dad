-- Helpers shared by the specs: rule files written to temporary directories,
-- loaded the way the daemon loads them, and load errors checked for file:line.
--   local R = require "rule_files"
--   local wf = R.must_load [[ L.chain "A" { L.noop() } ]]
--   R.load_error([[ L.chain "A" { L.log() } ]], "FILE:2:", "message template")
--   teardown(R.cleanup)
local L = require "luruse"

local R = {}
local dirs = {}

function R.tmpdir()
  local path = os.tmpname()
  os.remove(path)
  assert(os.execute("mkdir -p '" .. path .. "'"))
  dirs[#dirs + 1] = path
  return path
end

function R.write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

function R.read(path)
  local f = io.open(path, "r")
  if not f then
    return nil
  end
  local text = f:read("a")
  f:close()
  return text
end

function R.contains(s, sub)
  return type(s) == "string" and s:find(sub, 1, true) ~= nil
end

--- Writes a rule file (with the usual require line first) and loads it:
--- the workflow (or nil, err) and the file's path.
function R.load(body, name)
  local path = R.tmpdir() .. "/" .. (name or "rules.lua")
  R.write(path, 'local L = require "luruse"\n' .. body)
  local wf, err = L.load_rules(path)
  return wf, err, path
end

function R.must_load(body)
  local wf, err = R.load(body)
  if not wf then
    error(err, 2)
  end
  return wf
end

--- A load error that contains every given piece ("FILE" stands for the path).
function R.load_error(body, ...)
  local wf, err, path = R.load(body)
  if wf or type(err) ~= "string" then
    error("expected a load error, the rules loaded", 2)
  end
  for _, piece in ipairs { ... } do
    piece = piece:gsub("FILE", path)
    if not R.contains(err, piece) then
      error(("error %q does not contain %q"):format(err, piece), 2)
    end
  end
  return err, path
end

function R.cleanup()
  for _, d in ipairs(dirs) do
    os.execute("rm -rf '" .. d .. "'")
  end
  dirs = {}
end

return R
