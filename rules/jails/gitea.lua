-- Gitea login failures (Debian 12 packages no Gitea: its users run the
-- upstream binary, 1.20 to 1.22, under a systemd unit like the one in
-- contrib/systemd/gitea.service). With [log] MODE=console, the default, the
-- lines are the journal's, identifier gitea (journald takes off the "<N>"
-- priority that Gitea's journald flags put first); with MODE=file they go to
-- ROOT_PATH/gitea.log, /var/lib/gitea/log/gitea.log with the documented
-- layout. Written from routers/web/auth/auth.go (SignInPost: "Failed
-- authentication attempt for %s from %s: %v", user name as typed, the
-- client's address:port, the error), routers/web/auth/oauth.go,
-- routers/web/auth/webauthn.go and services/context (a signed-in user that is
-- inactive or prohibited: "... for %s from %s"), services/auth/
-- httpsign.go and modules/ssh/ssh.go ("Failed authentication attempt from
-- %s", a key that is not known), and modules/log (the line's prefix:
-- "YYYY/MM/DD HH:MM:SS file.go:N:Func() [L] ").
--
-- ctx.RemoteAddr() is "ADDR:PORT", "[IPv6]:PORT", or a bare address taken
-- from X-Forwarded-For behind a trusted proxy. The user name is the client's
-- to choose and Gitea repeats it in the error: only its first word is read
-- (a Gitea user name or an e-mail address has no space), and the text after
-- the address must hold no other " from ": a name such as
-- "x from 10.0.0.1:1: y" counts nobody.
local L = require "luruse"

local PREFIX = [[^(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? )?(?:\S+ )?\[[TDIWEFC]\] ]]
local ADDR = [[\[?(?<ip>(?<=\[)[0-9A-Fa-f:.]+(?=\])|\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)\]?(?::\d+)?]]

L.jail "gitea" {
  identifier = "gitea",
  file = { "/var/lib/gitea/log/gitea.log", identifier = "gitea" },
  failures = {
    PREFIX .. [[Failed authentication attempt (?:for \S* )?from ]] .. ADDR .. [[(?:: (?:(?! from ).)*)?$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "Gitea login failure from {ip}",
}
