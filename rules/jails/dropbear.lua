-- Dropbear SSH server (Debian 12: dropbear 2022.83). It logs through
-- syslog(3) (openlog "dropbear", LOG_AUTHPRIV), so on a stock Debian 12 its
-- lines are in the journal with SYSLOG_IDENTIFIER "dropbear". Written from
-- dropbear's sources: svr-auth.c (checkusername, send_msg_userauth_failure),
-- svr-authpasswd.c, svr-authpubkey.c and svr-session.c (svr_dropbear_exit,
-- which prefixes every exit of a session that never authenticated with
-- "Exit before auth from <ADDR>: "). ADDR is svr_ses.addrstring, "host:port"
-- as getnameinfo gives it, without brackets for IPv6 ("2001:db8::7:4242"):
-- the address is what comes before the last colon.
-- User names: "Bad password attempt for '%s'" prints the passwd entry's name,
-- "nonexistent user" prints none; the client's own text (a user name in
-- "Max auth tries reached - user '...'") only comes after "<ADDR>:", so the
-- address taken is always the one at a fixed place.
local L = require "luruse"

local ADDR = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+):\d+]]

L.jail "dropbear" {
  identifier = "dropbear",
  failures = {
    -- svr-authpasswd.c
    [[^(?:Bad|Too-long) password attempt for '.*' from ]] .. ADDR .. [[$]],
    -- svr-auth.c checkusername
    [[^Login attempt for nonexistent user from ]] .. ADDR .. [[$]],
    [[^Login attempt with wrong user .* from ]] .. ADDR .. [[$]],
    -- svr-authpubkey.c: a key of the user's, but a signature that does not verify
    [[^Pubkey auth bad signature for '.*' with key .+ from ]] .. ADDR .. [[$]],
    -- svr-session.c: any end of a session that never authenticated (max
    -- tries, timeouts, scanners that close, no common algorithm, several
    -- user names...)
    [[^(?:Exit before auth|Early exit) from <]] .. ADDR .. [[>: ]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "SSH failure from {ip}",
}
