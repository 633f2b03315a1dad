-- The same rules as replay_rules.json, written with the Lua API.
local L = require "luruse"
L.config { storage = "/nonexistent/luruse-tests-must-pass-storage" }
L.chain "Main" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"):fail_to("Prio"),
  L.pcre("MESSAGE", [[^Accepted (?<method>\w+) for (?<user>\S+) from (?<ip>\S+) port]]),
  L.field_in_networks("ip", { "192.168.1.0/24", "fd00::/8" }),
  L.noop(),
}
L.chain "Prio" {
  L.le("PRIORITY", 4),
  L.one_of("SYSLOG_IDENTIFIER", { "dovecot", "exim", "nginx" }),
  L.noop(),
}
L.chain "Web" {
  L.pcre_any("MESSAGE", { [[GET (?<path>/\S*)]], [[POST (?<path>/\S*)]] }),
  L.noop(),
}
