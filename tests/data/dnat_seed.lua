-- The seed document's example (same as dnat_seed.json): a DNAT log line on the
-- proxy, sshd lines on two hosts, an email per attack with the real client.
local L = require "luruse"
L.config { email = { from = "luruse-test@test.invalid", to = { "admin@test.invalid" },
                     sendmail = { "@SENDMAIL@", "-t" } } }
L.chain "DNAT capture" {
  L.equals("SYSLOG_IDENTIFIER", "kernel"),
  L.pcre("MESSAGE", [[^DNAT/ssh:.* SRC=([^ ]+) DST=([^ ]+) .* SPT=([^ ]+) DPT=([^ ]+) ]],
    { "dnatSaddr", "dnatAddr", "dnatPort", "dnatDport" }),
  L.dnat_capture { saddr = "dnatSaddr", addr = "dnatAddr", addrValue = "",
                   port = "dnatPort", dport = "dnatDport", dportValue = "22" },
}
L.chain "SSH" {
  L.equals("SYSLOG_IDENTIFIER", "sshd"),
  L.pcre("MESSAGE", [[^Failed password for (.*) from ([^ ]+) port ([^ ]+) ssh2$]],
    { "sshUser", "clientIP", "clientPort" }),
  L.dnat_replace { addr = "clientIP", port = "clientPort", saddrInto = "clientIP" },
  L.email("SSH attack from {clientIP} on {sshUser}@{_HOSTNAME}."),
}
