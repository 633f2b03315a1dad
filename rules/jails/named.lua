-- BIND (Debian 12: bind9 9.18). named logs to syslog (Debian's named.conf
-- has no logging section: the default channels, category security at info),
-- so its lines are in the journal with the identifier named. Written from
-- lib/ns/client.c (ns_client_logv: every client line starts "client @%p
-- ADDR#PORT", then "/key NAME" for a TSIG-signed request, " (QNAME)", ": view
-- NAME" outside the default view, ": " and the text; ns_client_aclmsg's
-- "OP 'NAME/TYPE/CLASS'"; ns_client_checkacl's "%s denied"),
-- lib/ns/query.c (query_checkcacheaccess, query_validatezonedb: "query
-- (cache) 'NAME/TYPE/CLASS' denied", "query 'NAME/TYPE/CLASS' denied", later
-- 9.18 releases adding " (allow-query-cache did not match)" or the like),
-- lib/ns/xfrout.c ("zone transfer 'NAME/AXFR/CLASS' denied", some builds
-- without the type; FAILC's "bad zone transfer request: 'NAME/CLASS':
-- non-authoritative zone (NOTAUTH)") and
-- lib/ns/update.c (checkupdateacl and checkqueryacl: "update 'ZONE/CLASS'
-- denied", "update forwarding 'ZONE/CLASS' denied", "update 'ZONE/CLASS'
-- denied due to allow-query"). From memory, not read here: lib/dns/zone.c's
-- "zone ZONE/CLASS: refused notify from non-primary: ADDR#PORT" ("non-master"
-- before 9.18). With print-category / print-severity on the syslog channel a
-- "security: " and an "info: " come first. ADDR is isc_sockaddr_format's:
-- IPv6 without brackets, in lower case. Before 9.10 there was no "@0x...".
-- Source: gitlab.isc.org/isc-projects/bind9, branch bind-9.18.
--
-- The query name, in the parentheses and in the quotes, is the client's (and
-- dns_name_format writes a space as \032): the address is taken from the
-- fixed "client @0x... ADDR#PORT" at the line's start, never after it, so a
-- name holding "10.0.0.1#53" counts nobody else. Not counted: rate-limit
-- lines (RRL names the network it limits, and over UDP its source is whoever
-- the spoofer chose), cookie lines (debug level). A denied query over UDP may
-- come from a spoofed source too: maxretry is high, and so is the threshold
-- for a resolver that was simply left out of allow-query.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local OPT = [[^(?:[a-z-]+: )?(?:(?:info|notice|warning|error): )?]]
local CLIENT = OPT .. [[client (?:@0x[0-9a-f]+ )?]] .. IP .. [[#\d+(?:/key \S+)?(?: \(\S+\))?(?:: view [^:]+)?: ]]

L.jail "named" {
  identifier = "named",
  failures = {
    CLIENT .. [[query (?:\(cache\) )?'.*/\w+/\w+' denied(?: \([\w -]+\))?$]],
    CLIENT .. [[zone transfer '.*/\w+' denied$]],
    -- xfrout.c FAILC: a transfer asked of a zone this server is no authority for
    CLIENT .. [[bad zone transfer request: '.*/\w+': non-authoritative zone \(NOTAUTH\)$]],
    CLIENT .. [[update (?:forwarding )?'.*/\w+' denied(?: due to allow-query)?$]],
    OPT .. [[zone \S+: refused notify from non-(?:primary|master): ]] .. IP .. [[#\d+$]],
  },
  maxretry = 20, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "DNS request refused from {ip}",
}
