-- BIND 9.18 (Debian 12) lines, as named writes them to syslog (the journal).
return {
  jail = "named",
  ident = "named",
  failures = {
    { "client @0x7f3a1c0a1b68 203.0.113.9#53211 (example.com): query (cache) 'example.com/A/IN' denied", ip = "203.0.113.9" },
    { "client @0x7f3a1c0a2c70 198.51.100.23#40022 (example.net): query (cache) 'example.net/ANY/IN' denied (allow-query-cache did not match)", ip = "198.51.100.23" },
    { "client @0x7f3a1c0a3d78 2001:db8::7#5353 (www.example.org): query 'www.example.org/AAAA/IN' denied", ip = "2001:db8::7" },
    { "client @0x7f3a1c0a4e80 192.0.2.44#33211 (example.com): query 'example.com/TXT/IN' denied (allow-query did not match)", ip = "192.0.2.44" },
    { "client @0x7f3a1c0a5f88 203.0.113.77#5353 (example.com): zone transfer 'example.com/AXFR/IN' denied", ip = "203.0.113.77" },
    { "client @0x7f3a1c0a6090 2001:db8:1::15#41234 (example.com): zone transfer 'example.com/IXFR/IN' denied", ip = "2001:db8:1::15" },
    { "client @0x7f3a1c0a7198 198.51.100.4#2222 (example.com): update 'example.com/IN' denied", ip = "198.51.100.4" },
    { "client @0x7f3a1c0a82a0 203.0.113.5#6000/key ddns-key: view internal: update forwarding 'example.com/IN' denied", ip = "203.0.113.5" },
    { "client @0x7f3a1c0a93a8 192.0.2.200#7000 (host.example.com): update 'example.com/IN' denied due to allow-query", ip = "192.0.2.200" },
    { "client @0x7f3a1c0aa4b0 198.51.100.8#53 (example.com): view external: query (cache) 'example.com/MX/IN' denied", ip = "198.51.100.8" },
    { "security: info: client @0x7f3a1c0ab5b8 203.0.113.66#48000 (example.com): query (cache) 'example.com/A/IN' denied", ip = "203.0.113.66" },
    { "zone example.com/IN: refused notify from non-primary: 192.0.2.9#51515", ip = "192.0.2.9" },
    -- planted addresses in the query name: the client is the one at the start
    { "client @0x7f3a1c0ac6c0 203.0.113.30#41000 (10.0.0.1#53): query (cache) '10.0.0.1#53/A/IN' denied", ip = "203.0.113.30" },
    { "client @0x7f3a1c0ad7c8 198.51.100.31#5002 (x\\032client\\032\\@0x1\\03210.0.0.1#53): query 'x\\032client\\032\\@0x1\\03210.0.0.1#53/A/IN' denied", ip = "198.51.100.31" },
    { "client @0x7f3a1c0ae8d0 2001:db8::32#5003 (a'\\032denied.10.0.0.1#53): zone transfer 'a'\\032denied.10.0.0.1#53/AXFR/IN' denied", ip = "2001:db8::32" },
  },
  harmless = {
    { "starting BIND 9.18.24-1-Debian (Extended Support Version) <id:>" },
    { "zone example.com/IN: loaded serial 2024030401" },
    { "client @0x7f3a1c0a1b68 203.0.113.9#53211 (example.com): query: example.com IN A +E(0)K (192.0.2.1)" },
    { "client @0x7f3a1c0a1b68 203.0.113.9#53211 (example.com): transfer of 'example.com/IN': AXFR started (serial 2024030401)" },
    { "client @0x7f3a1c0a1b68 203.0.113.9#53211 (example.com): rate limit drop response to 203.0.113.0/24 for example.com IN A  (00800000)" },
    { "client @0x7f3a1c0a1b68 203.0.113.9#53211 (10.0.0.1#53\\032denied): query: 10.0.0.1#53\\032denied IN A +E(0)K (192.0.2.1)" },
    { "client @0x7f3a1c0a1b68 203.0.113.9#53211 (example.com): update 'example.com/IN' approved" },
    { ident = "unbound", "client @0x7f3a1c0a1b68 203.0.113.9#53211 (example.com): query (cache) 'example.com/A/IN' denied" },
  },
}
