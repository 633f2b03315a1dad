-- Every shipped jail (rules/jails/*.lua) against its lines (spec/jails/*.lua):
-- each failure line counts for its address, in every form it reaches luruse
-- (journal, the service's log file), and no harmless line counts. At least 8
-- failure lines and 4 harmless ones per jail.
local R = require "rule_files"
local J = require "jail_lines"
teardown(R.cleanup)

local SRC = os.getenv("LURUSE_SRC") or "."
local tmp = R.tmpdir()

for _, jail in ipairs(J.names(SRC .. "/spec/jails")) do
  describe("jail " .. jail, function()
    local data = J.data(SRC, jail)
    local wf, err = J.load(SRC, jail, tmp)

    it("loads", function()
      assert(wf, err)
      assert.same(jail, data.jail)
    end)

    it("has at least 8 failure lines and 4 harmless ones", function()
      assert(#data.failures >= 8, #data.failures .. " failure lines")
      assert(#data.harmless >= 4, #data.harmless .. " harmless lines")
    end)

    it("counts each failure line for its address", function()
      for i, line in ipairs(data.failures) do
        local got, path = J.counted(wf, data, line)
        assert(got == line.ip, ("failure %d (%s): counted for %s, want %s; path: %s"):format(i,
          line[1], tostring(got), line.ip, table.concat(path, " / ")))
      end
    end)

    it("counts no harmless line", function()
      for i, line in ipairs(data.harmless) do
        local got, path = J.counted(wf, data, line)
        assert(got == nil, ("harmless %d (%s) counted for %s; path: %s"):format(i, line[1],
          tostring(got), table.concat(path, " / ")))
      end
    end)
  end)
end
