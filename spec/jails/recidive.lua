-- luruse's own ban lines (core/steps/jail.c), as the journal holds them.
return {
  jail = "recidive",
  ident = "luruse-jail",
  failures = {
    { "jail sshd: banned 203.0.113.9 for 3600s (ban 1 within 2419200s, after 5 failures within 600s)", ip = "203.0.113.9" },
    { "jail sshd: banned 203.0.113.9 for 7200s (ban 2 within 2419200s, after 5 failures within 600s)", ip = "203.0.113.9" },
    { "jail dovecot: banned 2001:db8::5 for 3600s (ban 1 within 2419200s, after 5 failures within 600s)", ip = "2001:db8::5" },
    { "jail postfix-sasl: banned 198.51.100.7 for 3600s (ban 1 within 604800s, after 5 failures within 600s)", ip = "198.51.100.7" },
    { "jail nginx-http-auth: banned 192.0.2.33 for 14400s (ban 3 within 2419200s, after 5 failures within 600s)", ip = "192.0.2.33" },
    { "jail named: banned 2001:db8:44::1 for 3600s (ban 1 within 604800s, after 20 failures within 600s)", ip = "2001:db8:44::1" },
    { "jail perm: banned 203.0.113.60 for ever: 0s (ban 1 within 604800s, after 3 failures within 600s)", ip = "203.0.113.60" },
    { "jail prosody: banned 198.51.100.8 for 3600s (ban 1 within 2419200s, after 5 failures within 600s)", ip = "198.51.100.8" },
  },
  harmless = {
    -- its own bans: never counted again
    { "jail recidive: banned 203.0.113.9 for 604800s (ban 1 within 4838400s, after 3 failures within 86400s)" },
    { "luruse running: rules /etc/luruse/luruse.lua (120 steps), state /var/lib/luruse/luruse.db" },
    { "rules reloaded from /etc/luruse/luruse.lua (120 steps)" },
    -- a rule's L.log quoting an attacker's text: "luruse", not "luruse-jail"
    { ident = "luruse", "jail sshd: banned 198.51.100.9 for 3600s (ban 1 within 2419200s, after 5 failures within 600s)" },
    { ident = "sshd", "jail sshd: banned 203.0.113.9 for 3600s (ban 1 within 2419200s, after 5 failures within 600s)" },
    { "unban 203.0.113.9: removed from inet luruse ban4" },
  },
}
