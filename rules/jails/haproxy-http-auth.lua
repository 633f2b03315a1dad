-- HAProxy's own HTTP authentication (Debian 12: haproxy 2.6). Debian's
-- haproxy.cfg logs `log /dev/log local0` with `option httplog` in its
-- defaults; with no rsyslog (Debian 12's default) the lines are in the journal
-- as haproxy; with rsyslog installed, the package's rsyslog snippet also
-- writes them to /var/log/haproxy.log (syslog lines, followed here too; a
-- line that starts with rsyslog's RFC 3339 time, Debian 12's default file
-- format, keeps its header in MESSAGE: luruse splits only RFC 3164 and 5424
-- headers, so the pattern takes an optional "TIME HOST haproxy[PID]: "). Written from the HTTP log format of doc/configuration.txt
-- (section 8.2.3, "HTTP log format": `%ci:%cp [%tr] %ft %b/%s
-- %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs
-- %{+Q}r`; `option httpslog` appends TLS fields after the request) and from
-- `http-request auth` / `stats auth` (the 401 challenge, 407 in a proxy):
-- a request that no server saw, answered by HAProxy itself, has server
-- <NOSRV> (or <STATS> for the stats page). A server's own 401 is the
-- application's business (WebDAV and API clients get one on each first
-- request): not counted.
--
-- The client address is the line's first field, anchored at ^: the captured
-- headers and the request line (after it) never count.
local L = require "luruse"

L.jail "haproxy-http-auth" {
  identifier = "haproxy",
  file = { "/var/log/haproxy.log", identifier = "haproxy" },
  failures = {
    [=[^(?:\d{4}-\d\d-\d\dT\S+ \S+ haproxy\[\d+\]: )?(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+):\d+ \[[^\]]+\] \S+ \S+/<(?:NOSRV|STATS)> \S+ 40[17] ]=],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "HTTP auth failure from {ip}",
}
