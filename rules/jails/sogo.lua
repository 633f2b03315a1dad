-- SOGo (Debian 12: sogo 5.8.x). sogod writes its own log, /var/log/sogo/sogo.log
-- (Debian's unit: -WOLogFile /var/log/sogo/sogo.log), lines such as
-- "Mar 04 00:08:18 sogod [1234]: SOGoRootPage Login from '<addr>' for user
-- '<user>' might not have worked - password policy: 65535  grace: -1  expire:
-- -1  bound: 0", written by -[SOGoRootPage connectAction]
-- (UI/MainUI/SOGoRootPage.m); the address is the x-webobjects-remote-host
-- header that the front web server sets (the peer's address by default).
-- luruse's line parser takes "sogod" for a host name there and keeps
-- "[1234]: SOGoRootPage ..." as MESSAGE; a "plain" reading keeps the whole
-- line: both forms are matched. The address comes before the user name,
-- right after fixed text.
local L = require "luruse"

L.jail "sogo" {
  file = { "/var/log/sogo/sogo.log", identifier = "sogo" },
  failures = {
    [[^(?:\w{3} [ \d]\d \d\d:\d\d:\d\d sogod )?\[\d+\]: SOGoRootPage Login from '(?:::ffff:)?(?<ip>[0-9A-Fa-f:.]+)' for user '.*' might not have worked - password policy: \d+ ]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "webmail login failure from {ip}",
}
