/* Lua rule loading: a rule file is trusted, but a typo must give an error,
 * never a crash. The input is a rule file run in an environment of the rule
 * API and Lua's harmless functions only (no os, io, debug, package, load,
 * no include of other files, string.rep bounded), so that mutated code can
 * neither touch the machine nor eat its memory. The prologue stays on line
 * 1, so that the file's own line numbers are kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lua/lr_lua.h"
#include "rules/ruleset.h"
#include "util/buf.h"

static const char prologue[] =
  "local L = require 'luruse' L.include = nil "
  "local rep = string.rep string.rep = function(s, n, sep) "
  "if type(n) == 'number' and n * (#tostring(s) + #tostring(sep or '')) > 100000 then "
  "error('fuzz: string.rep too big') end return rep(s, n, sep) end "
  "local safe = {assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, "
  "pcall = pcall, select = select, setmetatable = setmetatable, getmetatable = getmetatable, "
  "tonumber = tonumber, tostring = tostring, type = type, rawget = rawget, rawlen = rawlen, "
  "rawequal = rawequal, xpcall = xpcall, string = string, table = table, math = math, "
  "utf8 = utf8, require = function(n) if n == 'luruse' then return L end "
  "error('fuzz: only luruse can be required') end} "
  "local _ENV = safe ";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  static char path[128];
  if (!path[0])
    snprintf(path, sizeof(path), "%s/rules.lua", fuzz_tmpdir());
  /* a shebang or a binary chunk would not survive the prologue */
  if (size && (data[0] == '#' || data[0] == 0x1b))
    return 0;
  struct lr_buf file = {0};
  lr_buf_add(&file, prologue, sizeof(prologue) - 1);
  lr_buf_add(&file, (const char *)data, size);
  fuzz_write_file(path, (const uint8_t *)file.data, file.len);
  lr_buf_free(&file);
  char err[1024] = "";
  struct lr_ruleset *rs = lr_ruleset_load(path, NULL, err, sizeof(err));
  if (!rs)
    FUZZ_CHECK(err[0] != '\0', "%s", "refused without a reason");
  lr_ruleset_free(rs);
  return 0;
}
