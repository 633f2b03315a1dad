-- Recidive: an address banned 3 times within a day, by any jail, is banned for
-- a week (fail2ban's recidive, sshguard's blocklist). It reads luruse's own
-- journal lines: each ban of a jail logs
--   jail sshd: banned 203.0.113.9 for 3600s (ban 1 within 604800s, after 5 failures within 600s)
-- (core/steps/jail.c) with SYSLOG_IDENTIFIER=luruse-jail, which a rule's
-- L.log (always "luruse") cannot imitate; its own bans are not counted again. Each further recidive ban of the address lasts twice as long.
local L = require "luruse"

L.jail "recidive" {
  identifier = "luruse-jail",
  failures = {
    [[^jail (?!recidive:)[A-Za-z0-9_.-]+: banned (?<ip>[0-9A-Fa-f:.]+) for (?:ever: )?\d+s \(ban \d+ within \d+s, after \d+ failures within \d+s\)$]],
  },
  maxretry = 3, findtime = "1d", bantime = "1w",
  increment = { factor = 2, max = "8w" },
}
