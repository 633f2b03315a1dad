-- Nextcloud login failures and probes (Debian 12 packages no Nextcloud: the
-- upstream archive, 25 to 28 on bookworm's PHP 8.2, is installed by hand).
-- Nextcloud writes its own log, `datadirectory`/nextcloud.log: the usual
-- /var/www/nextcloud/data/nextcloud.log (another data directory: copy this
-- jail and change the path); with `log_type` syslog or systemd the same JSON
-- reaches the journal as `syslog_tag`, "Nextcloud" by default (an "{app} "
-- before the object is allowed, as older syslog writers put it). Written from
-- the admin manual (configuration_server/logging_configuration.rst: one JSON
-- object a line, "reqId", "level", "time", "remoteAddr", "user", "app",
-- "method", "url", "message", "userAgent", "version", ...;
-- configuration_server/bruteforce_configuration.rst), lib/private/Log/
-- LogDetails.php (the entry) and the messages: "Login failed: USER (Remote
-- IP: ADDR)" (older: 'USER' and 'ADDR' quoted), "Two-factor challenge failed:
-- ...", lib/base.php's "Trusted domain error. \"ADDR\" tried to access using
-- \"HOST\" as host." (a request by a host name the instance does not serve:
-- scanners asking by IP address), lib/private/Security/Bruteforce/
-- Throttler.php's "Bruteforce attempt from \"ADDR\" detected for action
-- \"ACTION\"." and "IP address throttled/blocked because it reached the
-- attempts limit ..." (notice and info: logged only below the default
-- loglevel 2).
--
-- The address is the entry's own "remoteAddr" (Nextcloud's view of the
-- client, trusted_proxies applied), found by walking the JSON fields from the
-- line's start: every string field is taken whole, its escaped quotes (\")
-- with it, so a user name, URL or user agent holding
-- "remoteAddr":"10.0.0.1" or "(Remote IP: 10.0.0.1)" can neither end a field
-- early nor be taken for one.
local L = require "luruse"

local FIELD = [[(?:"\w+":(?:"(?:[^"\\]|\\.)*"|-?[\d.]+|true|false|null),)*?]]
local MESSAGES = [[(?:Login failed: |Two-factor challenge failed: |Trusted domain error\. |Bruteforce attempt from |IP address (?:throttled|blocked) because it reached the attempts limit)]]

L.jail "nextcloud" {
  identifier = { "Nextcloud", "nextcloud" },
  file = { "/var/www/nextcloud/data/nextcloud.log", identifier = "nextcloud", format = "plain" },
  failures = {
    [[^(?:\{[\w-]+\} )?\{]] .. FIELD .. [["remoteAddr":"(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)",]] .. FIELD .. [["message":"]] .. MESSAGES,
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "Nextcloud login failure from {ip}",
}
