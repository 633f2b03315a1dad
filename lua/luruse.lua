-- The Lua half of luruse's rule API. The C module passes its primitives
-- (regex, networks, ip, load_rules) as `...`; this file adds the declarative
-- part: chains are lists of steps, and steps are records that the C compiler
-- turns into the workflow. Nothing here runs per journal entry, except the
-- custom functions a rule file writes itself.
local core = ...

local M = {}
for name, fn in pairs(core) do
  if name ~= "list_dir" and name ~= "settings" then
    M[name] = fn
  end
end

-- What rule files declared, read back by the C loader (core/lua/lua_rules.c).
local declared
function M.reset()
  declared = { chains = {}, labels = {}, settings = {}, jails_off = {} }
  M._declared = declared
end
M.reset()

-- Where the rule author wrote the call: the first frame outside this file
-- (tail calls make fixed stack levels unreliable). Errors at load point there.
local function caller()
  for level = 2, 50 do
    local info = debug.getinfo(level, "Sl")
    if not info then
      break
    end
    if info.source ~= "=luruse.lua" and info.what ~= "C" then
      return info.short_src .. ":" .. (info.currentline or 0)
    end
  end
  return "?"
end

local Step = {}
Step.__index = Step

-- Argument errors name the rule file's line, whatever the call depth.
local function check(cond, _, fmt, ...)
  if not cond then
    error(caller() .. ": " .. string.format(fmt, ...), 0)
  end
end

local function whole(v, lo, hi)
  return math.type(v) == "integer" and v >= lo and (hi == nil or v <= hi)
end

-- Option tables are checked as the compiler checks step arguments: a misspelt
-- option is a load error naming the line, never a setting silently dropped.
-- `allowed` is a list, so that the message lists the options in order.
local function check_options(name, opts, allowed, what)
  what = what or "option"
  check(opts == nil or type(opts) == "table", 3, "%s: %ss are a table", name, what)
  for k in pairs(opts or {}) do
    local known = false
    for _, a in ipairs(allowed) do
      known = known or a == k
    end
    check(known, 3, "%s: unknown %s '%s' (takes: %s)", name, what, tostring(k),
      table.concat(allowed, ", "))
  end
end

--- Explicit jump after this step (Pyruse's "then"): the chain stops here.
function Step:pass_to(label)
  check(type(label) == "string", 2, "pass_to needs a chain label")
  self.then_label = label
  return self
end

--- Where a failing filter sends the entry (Pyruse's "else").
function Step:fail_to(label)
  check(type(label) == "string", 2, "fail_to needs a chain label")
  check(self.type:sub(1, 7) == "filter_" or self.type == "custom_filter", 2,
    "fail_to applies to filters only (%s is an action)", self.type)
  self.else_label = label
  return self
end

local function new_step(type_, args, level)
  return setmetatable({ type = type_, args = args, origin = caller() }, Step)
end

local function field_arg(name, value, level)
  check(type(value) == "string" and value ~= "", level + 1, "%s: a field name is required", name)
end

--- Any Pyruse step by its name, with Pyruse's arguments:
--- L.step("filter_equals", { field = "PRIORITY", value = 3 })
function M.step(name, args)
  check(type(name) == "string", 2, "step needs a Pyruse step name")
  check(args == nil or type(args) == "table", 2, "step arguments are a table")
  return new_step(name, args or {}, 2)
end

function M.equals(field, value)
  field_arg("equals", field, 2)
  check(value ~= nil, 2, "equals: a value is required")
  return new_step("filter_equals", { field = field, value = value }, 2)
end

function M.le(field, value)
  field_arg("le", field, 2)
  return new_step("filter_lowerOrEquals", { field = field, value = value }, 2)
end

function M.ge(field, value)
  field_arg("ge", field, 2)
  return new_step("filter_greaterOrEquals", { field = field, value = value }, 2)
end

--- The field equals one of the values (Pyruse's filter_in; `in` is a Lua keyword).
function M.one_of(field, values)
  field_arg("one_of", field, 2)
  check(type(values) == "table", 2, "one_of: a list of values is required")
  return new_step("filter_in", { field = field, values = values }, 2)
end

--- The field is an IP address inside one of the networks (Pyruse's filter_inNetworks).
function M.field_in_networks(field, nets)
  field_arg("field_in_networks", field, 2)
  check(type(nets) == "table", 2, "field_in_networks: a list of networks is required")
  return new_step("filter_inNetworks", { field = field, nets = nets }, 2)
end

--- Regex search; named groups become fields, and so do anonymous groups listed in save.
function M.pcre(field, re, save)
  field_arg("pcre", field, 2)
  check(type(re) == "string", 2, "pcre: a regex string is required")
  check(save == nil or type(save) == "table", 2, "pcre: save is a list of field names")
  return new_step("filter_pcre", { field = field, re = re, save = save }, 2)
end

function M.pcre_any(field, res)
  field_arg("pcre_any", field, 2)
  check(type(res) == "table" and #res > 0, 2, "pcre_any: a list of regexes is required")
  return new_step("filter_pcreAny", { field = field, re = res }, 2)
end

function M.user_exists(field)
  field_arg("user_exists", field, 2)
  return new_step("filter_userExists", { field = field }, 2)
end

--- Does nothing; a chain ending with it consumes (discards) the entry.
function M.noop()
  return new_step("action_noop", {}, 2)
end

--- Writes a line to the journal: L.log("Banned {ip}", "WARNING")
function M.log(message, level)
  check(type(message) == "string", 2, "log: a message template is required")
  return new_step("action_log", { message = message, level = level }, 2)
end

--- Emails email.to at once (identical alerts are throttled); without a
--- subject, email.alertSubject's ("luruse Notification" by default):
--- L.email("Banned {ip} after {count} failures", "Ban on {_HOSTNAME}")
function M.email(message, subject)
  check(type(message) == "string", 2, "email: a message template is required")
  check(subject == nil or type(subject) == "string", 2, "email: the subject is a string")
  return new_step("action_email", { message = message, subject = subject }, 2)
end

local report_levels = { WARN = true, INFO = true, OTHER = true }
local report_details = { ALL = true, NONE = true, FIRST = true, LAST = true, FIRSTLAST = true }

--- Records a line for the daily report: L.report("WARN", "Banned {ip}", "FIRSTLAST")
function M.report(level, message, details)
  check(report_levels[level], 2, "report: the level is WARN, INFO or OTHER (got %s)", tostring(level))
  check(type(message) == "string", 2, "report: a message template is required")
  check(details == nil or report_details[details], 2,
    "report: details is ALL, NONE, FIRST, LAST or FIRSTLAST (got %s)", tostring(details))
  return new_step("action_dailyReport", { level = level, message = message, details = details }, 2)
end

-- seconds_opt names the option holding the step's seconds (keep for a raise,
-- grace for a reset) and seconds_arg the Pyruse argument it becomes; each step
-- takes its own only, so { grace = 5 } is never read as a keep.
local function counter_step(type_, name, category, key_field, opts, seconds_opt, seconds_arg)
  check(type(category) == "string" and category ~= "", 3, "%s: a counter name is required", name)
  field_arg(name .. ": the key field", key_field, 3)
  check_options(name, opts, seconds_opt and { seconds_opt, "save" } or { "save" })
  opts = opts or {}
  local args = { counter = category, ["for"] = key_field, save = opts.save }
  if seconds_opt then
    local v = opts[seconds_opt]
    check(v == nil or whole(v, 0), 3, "%s: %s must be a whole number of seconds >= 0", name,
      seconds_opt)
    args[seconds_arg] = v
  end
  return new_step(type_, args, 3)
end

--- Adds a tick to counter[category][value of key_field], expiring after keep
--- seconds: L.counter_raise("ssh", "clientIP", { keep = 600, save = "sshFailures" })
function M.counter_raise(category, key_field, opts)
  return counter_step("action_counterRaise", "counter_raise", category, key_field, opts,
    "keep", "keepSeconds")
end

--- Forgets the key, ignoring raises for grace seconds:
--- L.counter_reset("ssh", "clientIP", { grace = 60 })
function M.counter_reset(category, key_field, opts)
  return counter_step("action_counterReset", "counter_reset", category, key_field, opts,
    "grace", "graceSeconds")
end

--- Removes the oldest tick: L.counter_lower("ssh", "clientIP", { save = "n" })
function M.counter_lower(category, key_field, opts)
  return counter_step("action_counterLower", "counter_lower", category, key_field, opts)
end

--- Remembers which client hid behind a proxy (the seed's action_dnatCapture):
--- L.dnat_capture { saddr = "srcIP", addr = "dstIP", port = "srcPort", keepSeconds = 63 }
function M.dnat_capture(args)
  check(type(args) == "table", 2, "dnat_capture needs a table of Pyruse arguments")
  return new_step("action_dnatCapture", args, 2)
end

--- Puts the real client back (the seed's action_dnatReplace):
--- L.dnat_replace { addr = "clientIP", port = "clientPort", saddrInto = "clientIP" }
function M.dnat_replace(args)
  check(type(args) == "table", 2, "dnat_replace needs a table of Pyruse arguments")
  return new_step("action_dnatReplace", args, 2)
end

local ban_options = { "ip", "nft", "ipset", "seconds", "prefix4", "prefix6" }

--- Bans the address held in a field, in the IPv4 or IPv6 set as its family says
--- (Pyruse's action_nftBan / action_ipsetBan); without seconds, for ever:
--- L.ban { ip = "clientIP", nft = { "ip I4 bans", "ip6 I6 bans" }, seconds = 3600 }
--- L.ban { ip = "clientIP", ipset = { "bans4", "bans6" }, prefix4 = 24, prefix6 = 64 }
function M.ban(args)
  check(type(args) == "table", 2,
    "ban needs a table: { ip = FIELD, nft = { SET4, SET6 } or ipset = { SET4, SET6 }, seconds = N }")
  check_options("ban", args, ban_options)
  field_arg("ban: ip", args.ip, 2)
  check((args.nft == nil) ~= (args.ipset == nil), 2, "ban: give either nft = {...} or ipset = {...}")
  local kind = args.nft and "nft" or "ipset"
  local sets = args[kind]
  check(type(sets) == "table" and type(sets[1]) == "string" and type(sets[2]) == "string"
    and sets[3] == nil, 2, "ban: %s needs two sets: { IPv4 set, IPv6 set }", kind)
  check(args.seconds == nil or whole(args.seconds, 0), 2,
    "ban: seconds must be a whole number >= 0 (absent or 0: a permanent ban)")
  check(args.prefix4 == nil or whole(args.prefix4, 1, 32), 2, "ban: prefix4 must be from 1 to 32")
  check(args.prefix6 == nil or whole(args.prefix6, 1, 128), 2, "ban: prefix6 must be from 1 to 128")
  local a = { IP = args.ip, banSeconds = args.seconds, prefixIPv4 = args.prefix4,
    prefixIPv6 = args.prefix6 }
  if kind == "nft" then
    a.nftSetIPv4, a.nftSetIPv6 = sets[1], sets[2]
    return new_step("action_nftBan", a, 2)
  end
  a.ipSetIPv4, a.ipSetIPv6 = sets[1], sets[2]
  return new_step("action_ipsetBan", a, 2)
end

--- Runs a command without a shell; arguments after the program are templates
--- rendered from the entry, each passed as one argument (empty ones too):
--- L.exec { "/usr/local/bin/notify", "{clientIP}", timeout = 10 }
function M.exec(args)
  check(type(args) == "table" and #args > 0, 2,
    "exec needs a command: { \"/path/to/program\", \"{field}\", ..., timeout = SECONDS }")
  local argv = {}
  for i, a in ipairs(args) do
    check(type(a) == "string", 2, "exec: argument %d must be a string (got a %s)", i, type(a))
    argv[i] = a
  end
  local options = {}
  for k, v in pairs(args) do
    if not (math.type(k) == "integer" and k >= 1 and k <= #argv) then
      options[k] = v
    end
  end
  check_options("exec", options, { "timeout" })
  check(args.timeout == nil or whole(args.timeout, 1, 3600), 2,
    "exec: timeout must be from 1 to 3600 seconds")
  return new_step("action_exec", { argv = argv, timeoutSeconds = args.timeout }, 2)
end

--- A custom filter: the function gets the entry and returns true or false.
function M.filter(fn)
  check(type(fn) == "function", 2, "filter needs a function")
  local step = new_step("custom_filter", nil, 2)
  step.fn = fn
  return step
end

--- A custom action: the function gets the entry and may read and set its fields.
function M.action(fn)
  check(type(fn) == "function", 2, "action needs a function")
  local step = new_step("custom_action", nil, 2)
  step.fn = fn
  return step
end

local function as_step(s, i, label)
  if type(s) == "function" then
    local info = debug.getinfo(s, "S")
    return setmetatable({ type = "custom_filter", fn = s,
      origin = info.short_src .. ":" .. info.linedefined }, Step)
  end
  check(getmetatable(s) == Step, 4,
    "chain '%s', step %d: not a step (got a %s); build steps with luruse functions", label, i, type(s))
  return s
end

--- Declares a chain: L.chain "SSH" { step, step, ... }. Chains run in the order
--- they are declared, linked as Pyruse links them.
function M.chain(label)
  check(type(label) == "string" and label ~= "", 2, "chain needs a label")
  check(not declared.labels[label], 2, "chain '%s' is declared twice", label)
  local origin = caller()
  return function(steps)
    check(type(steps) == "table", 2, "chain '%s' needs a list of steps", label)
    local record = { label = label, origin = origin, steps = {} }
    for i, s in ipairs(steps) do
      record.steps[i] = as_step(s, i, label)
    end
    check(#record.steps > 0, 2, "chain '%s' is empty", label)
    declared.labels[label] = true
    declared.chains[#declared.chains + 1] = record
  end
end

--- Settings, with pyruse.json's names: L.config { debug = true, storage = "/var/lib/luruse" }
--- A name luruse does not know is an error (pyruse.json only warns: Pyruse ignored them).
function M.config(settings)
  check(type(settings) == "table", 2, "config needs a table")
  check_options("config", settings, core.settings, "setting")
  for k, v in pairs(settings) do
    declared.settings[k] = v
  end
end

--- A text log file followed beside the journal by `luruse run`, its lines
--- entries with SYSLOG_IDENTIFIER = identifier (unless a syslog header names
--- one), _TRANSPORT = "file" and LURUSE_FILE = the path:
---   L.file { "/var/log/nginx/error.log", identifier = "nginx" }
---   L.file { "/var/log/nginx/*access.log", identifier = "nginx", format = "plain" }
--- format "auto" (the default) recognises syslog headers and the usual
--- timestamps; "plain" keeps the whole line as MESSAGE, timed when read.
function M.file(spec)
  if type(spec) == "string" then
    spec = { spec }
  end
  check(type(spec) == "table", 2, "file needs a path or a table { PATH, identifier = ... }")
  check_options("file", spec, { 1, "identifier", "format" })
  local path = spec[1]
  check(type(path) == "string" and path:sub(1, 1) == "/", 2,
    "file: the path (first item) must be an absolute path, got %s", tostring(path))
  check(not path:match("[%*%?%[].*/"), 2,
    "file %s: a glob ('*', '?', '[') may be in the file name only (the directory is watched)", path)
  check(spec.identifier == nil or (type(spec.identifier) == "string" and spec.identifier ~= ""), 2,
    "file %s: identifier must be a non-empty string", path)
  check(spec.format == nil or spec.format == "auto" or spec.format == "plain", 2,
    "file %s: format must be \"auto\" or \"plain\", got %s", path, tostring(spec.format))
  local files = declared.settings.files or {}
  files[#files + 1] = { path = path, identifier = spec.identifier, format = spec.format }
  declared.settings.files = files
end

-- "90", "90s", "10m", "1h", "1d", "4w", or a number of seconds; nil when not one.
local units = { s = 1, m = 60, h = 3600, d = 86400, w = 604800 }
local function seconds_of(v)
  if math.type(v) == "integer" and v >= 0 then
    return v
  end
  if type(v) ~= "string" then
    return nil
  end
  local total, rest = 0, v
  while rest ~= "" do
    local n, u, tail = rest:match("^(%d+)([smhdw]?)(.*)$")
    if not n then
      return nil
    end
    total = total + tonumber(n) * units[u ~= "" and u or "s"]
    rest = tail
  end
  return v ~= "" and total or nil
end

local jail_options = { "identifier", "unit", "file", "failures", "ip", "maxretry", "findtime",
  "bantime", "increment", "ignore", "ban", "report", "sessions", "session_time" }

local function list_of_strings(v)
  if type(v) == "string" then
    return { v }
  end
  if type(v) ~= "table" or #v == 0 then
    return nil
  end
  for _, s in ipairs(v) do
    if type(s) ~= "string" or s == "" then
      return nil
    end
  end
  return v
end

--- Turns shipped jails off: L.jails_off { "dropbear", "sendmail" }, before
--- the jails are included; L.jail of such a name then declares nothing.
function M.jails_off(names)
  check(type(names) == "table", 2, "jails_off needs a list of jail names")
  for _, n in ipairs(names) do
    check(type(n) == "string", 2, "jails_off: names are strings")
    declared.jails_off[n] = true
  end
end

--- fail2ban's jail, compiled to C steps (no Lua at run time): the entries of
--- its service (identifier, unit, or its log file), the failure regexes (a
--- named group `ip`), then action_jail: count per address for findtime, ban at
--- maxretry for bantime (each new ban of an address longer by increment.factor,
--- at most increment.max), never an allowlisted address.
---   L.jail "sshd" { identifier = "sshd", failures = { [[^Failed \S+ for .* from (?<ip>\S+) port \d+]] },
---                   maxretry = 5, findtime = "10m", bantime = "1h",
---                   increment = { factor = 2, max = "4w" }, ignore = { "192.168.0.0/16" },
---                   report = "SSH failure from {ip}" }   -- optional: a daily report line per failure
--- A service that names the client in one line of a session and the failure
--- in another (a queue id, then "User unknown") gives `sessions`: regexes
--- with (?<session>) and (?<ip>); a failure with (?<session>) and no address
--- counts for the session's address, remembered for session_time ("10m"),
--- whether its line comes before or after the failure.
function M.jail(name)
  check(type(name) == "string" and name:match("^[%w_.%-]+$") ~= nil, 2,
    "jail needs a name of letters, digits, '_', '.' or '-'")
  if declared.jails_off[name] then
    return function() end
  end
  return function(o)
    check(type(o) == "table", 2, "jail %s needs a table { identifier = ..., failures = {...} }", name)
    check_options("jail " .. name, o, jail_options)
    -- identifier = { pattern = [[^postfix(?:-\w+)?/smtpd$]] }: identifiers that vary
    local ident_re = type(o.identifier) == "table" and o.identifier.pattern
    if ident_re then
      check_options("jail " .. name .. ": identifier", o.identifier, { "pattern" })
      check(type(ident_re) == "string" and ident_re:sub(1, 1) == "^" and ident_re:sub(-1) == "$", 2,
        "jail %s: identifier.pattern is a regex anchored with ^ and $", name)
      local ok, err = pcall(core.regex, ident_re)
      check(ok, 2, "jail %s: identifier.pattern: %s", name, tostring(err))
    end
    local idents, units_, files = o.identifier and not ident_re and list_of_strings(o.identifier),
      o.unit and list_of_strings(o.unit), nil
    check(o.identifier == nil or ident_re or idents, 2,
      "jail %s: identifier is a name, a list of names or { pattern = REGEX }", name)
    check(o.unit == nil or units_, 2, "jail %s: unit is a unit name or a list of them", name)
    if o.file ~= nil then
      local f = type(o.file) == "string" and { o.file } or o.file
      check(type(f) == "table" and type(f[1]) == "string", 2,
        "jail %s: file is a path or { PATH, identifier = ..., format = ... }", name)
      files = f
    end
    check(idents or ident_re or units_ or files, 2,
      "jail %s: say whose lines it reads: identifier, unit or file", name)
    local failures = list_of_strings(o.failures)
    check(failures, 2, "jail %s: failures is a list of regexes", name)
    local ip = o.ip or "ip"
    field_arg("jail " .. name .. ": ip", ip, 2)
    local function has_group(re, g)
      return re:find("(?<" .. g .. ">", 1, true) or re:find("(?P<" .. g .. ">", 1, true)
    end
    local sessions = o.sessions ~= nil and list_of_strings(o.sessions)
    check(o.sessions == nil or sessions, 2, "jail %s: sessions is a list of regexes", name)
    for i, re in ipairs(sessions or {}) do
      check(has_group(re, "session") and has_group(re, ip), 2,
        "jail %s: session %d needs a (?<session>...) and a (?<%s>...) group", name, i, ip)
      local ok, err = pcall(core.regex, re)
      check(ok, 2, "jail %s: session %d: %s", name, i, tostring(err))
    end
    for i, re in ipairs(failures) do
      check(has_group(re, ip) or (sessions and has_group(re, "session")), 2,
        "jail %s: failure %d has no (?<%s>...) group for the address%s", name, i, ip,
        sessions and " (nor a (?<session>...) one)" or "")
      local ok, err = pcall(core.regex, re)
      check(ok, 2, "jail %s: failure %d: %s", name, i, tostring(err))
    end
    local args = { jail = name, IP = ip, maxRetry = o.maxretry or 5,
      session = sessions and "session" or nil }
    local function with(extra) -- args plus extra, a copy
      local t = {}
      for k, v in pairs(args) do
        t[k] = v
      end
      for k, v in pairs(extra) do
        t[k] = v
      end
      return t
    end
    check(whole(args.maxRetry, 1), 2, "jail %s: maxretry must be a whole number >= 1", name)
    local function duration(key, default)
      local v = o[key]
      if v == nil then
        return default
      end
      local s = seconds_of(v)
      check(s, 3, "jail %s: %s must be seconds or a duration such as \"90s\", \"10m\", \"1h\", "
        .. "\"1d\", \"4w\" (got %s)", name, key, tostring(v))
      return s
    end
    args.findSeconds = duration("findtime", 600)
    check(o.session_time == nil or sessions, 2, "jail %s: session_time without sessions", name)
    args.sessionSeconds = sessions and duration("session_time", 600) or nil
    args.banSeconds = duration("bantime", 3600)
    if o.increment ~= nil then
      check(type(o.increment) == "table", 2, "jail %s: increment is { factor = N, max = DURATION }", name)
      check_options("jail " .. name .. ": increment", o.increment, { "factor", "max", "forget" })
      args.banFactor = o.increment.factor or 2
      check(whole(args.banFactor, 1, 1000), 2, "jail %s: increment.factor must be a whole number from 1 to 1000", name)
      local inc = o.increment
      o = setmetatable({ max = inc.max, forget = inc.forget }, { __index = o })
      args.banMaxSeconds = o.max ~= nil and duration("max") or nil
      args.forgetSeconds = o.forget ~= nil and duration("forget") or nil
    end
    if o.ignore ~= nil then
      local nets = list_of_strings(o.ignore)
      check(nets, 2, "jail %s: ignore is a list of addresses or networks", name)
      for _, n in ipairs(nets) do
        local ok, err = pcall(core.networks, { n })
        check(ok, 2, "jail %s: ignore: %s", name, tostring(err))
      end
      args.ignore = nets
    end
    if o.ban ~= nil then
      check(type(o.ban) == "table", 2, "jail %s: ban is { nft = { SET4, SET6 } } or { ipset = { SET4, SET6 } }", name)
      check_options("jail " .. name .. ": ban", o.ban, { "nft", "ipset" })
      local kind = o.ban.nft and "nft" or "ipset"
      local sets = o.ban[kind]
      check(type(sets) == "table" and type(sets[1]) == "string" and type(sets[2]) == "string", 2,
        "jail %s: ban.%s needs two sets: { IPv4 set, IPv6 set }", name, kind)
      if kind == "nft" then
        args.nftSetIPv4, args.nftSetIPv6 = sets[1], sets[2]
      else
        args.ipSetIPv4, args.ipSetIPv6 = sets[1], sets[2]
      end
    end
    check(o.report == nil or (type(o.report) == "string" and o.report ~= ""), 2,
      "jail %s: report is a message template for the daily report, e.g. \"SSH failure from {ip}\"", name)
    -- one chain per source, the same counter: an entry reaches at most one
    local sources = {}
    if idents then
      sources[#sources + 1] = { "", #idents == 1 and M.equals("SYSLOG_IDENTIFIER", idents[1])
        or M.one_of("SYSLOG_IDENTIFIER", idents) }
    elseif ident_re then
      sources[#sources + 1] = { "", M.pcre("SYSLOG_IDENTIFIER", ident_re) }
    end
    if units_ then
      sources[#sources + 1] = { " (unit)", #units_ == 1 and M.equals("_SYSTEMD_UNIT", units_[1])
        or M.one_of("_SYSTEMD_UNIT", units_) }
    end
    if files then
      M.file(files)
      local path = files[1]
      local by_path = M.equals("LURUSE_FILE", path)
      if path:find("[%*%?%[]") then -- a glob: the same as a regex on the path
        local re = "^" .. path:gsub("[%^%$%(%)%.%+%{%}%|\\]", "\\%0"):gsub("%*", "[^/]*"):gsub("%?", "[^/]") .. "$"
        by_path = M.pcre("LURUSE_FILE", re)
      end
      sources[#sources + 1] = { " (file)", by_path }
    end
    for _, src in ipairs(sources) do
      local steps = {
        src[2],
        #failures == 1 and M.pcre("MESSAGE", failures[1]) or M.pcre_any("MESSAGE", failures),
        new_step("action_jail", args, 2),
      }
      if o.report then -- each failure a daily report line (counted, first and last time)
        steps[#steps + 1] = M.report("WARN", o.report, "FIRSTLAST")
      end
      M.chain("jail " .. name .. src[1])(steps)
      if sessions then -- after the failures: a line may be both, and then it counts
        M.chain("jail " .. name .. src[1] .. " sessions") {
          src[2],
          #sessions == 1 and M.pcre("MESSAGE", sessions[1]) or M.pcre_any("MESSAGE", sessions),
          new_step("action_jail", with { sessionLine = 1 }, 2),
        }
      end
    end
  end
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

--- Runs other rule files, relative to the including file; a "*" in the last
--- part of the path takes every matching file, in name order.
function M.include(pattern)
  check(type(pattern) == "string", 2, "include needs a path")
  local info = debug.getinfo(2, "S")
  local base = info.source:sub(1, 1) == "@" and dirname(info.source:sub(2)) or "."
  local path = pattern:sub(1, 1) == "/" and pattern or base .. "/" .. pattern
  local dir, leaf = path:match("^(.*)/([^/]*)$")
  local files = {}
  if leaf:find("*", 1, true) then
    local lua_pattern = "^" .. leaf:gsub("[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0"):gsub("%*", ".*") .. "$"
    local names, err = core.list_dir(dir)
    check(names, 2, "include: %s", err)
    for _, name in ipairs(names) do
      if name:match(lua_pattern) then
        files[#files + 1] = dir .. "/" .. name
      end
    end
    table.sort(files)
  else
    files[1] = path
  end
  for _, file in ipairs(files) do
    local chunk, err = loadfile(file)
    if not chunk then
      error(err, 0)
    end
    chunk()
  end
  return #files
end

-- IP-in-networks for custom steps; the list is parsed once per table.
local parsed = setmetatable({}, { __mode = "k" })
function M.in_networks(ip, nets)
  local n = parsed[nets]
  if not n then
    n = core.networks(nets)
    parsed[nets] = n
  end
  return (n:contains(ip))
end

return M
