-- OpenSSH (Debian 12: 9.2p1; sshd logs to the journal as "sshd", later
-- releases as "sshd-session"). Written from sshd's messages in auth2.c
-- ("Invalid user"), auth.c (auth_log "Failed <method> for [invalid user]
-- <user> from <addr> port <port> ssh2[: <key>]", allowed_user, maximum
-- authentication attempts), packet.c (sshpkt_fatal's "Connection closed by",
-- "Connection reset by", "Disconnected from", "<tag>: Connection from ...:
-- <error>", "Unable to negotiate with"; the client's SSH2_MSG_DISCONNECT,
-- logged with "error: " unless its reason is 11, by-application), sshd.c
-- (banner exchange, grace_alarm_handler's timeout; 9.8 moved it to the
-- listener: "... for connection from <addr> to <addr>, pid = N"),
-- auth-pam.c ("error: PAM: <pam error> for [illegal user ]<user> from
-- <addr>", keyboard-interactive). log.c prefixes error-level lines with
-- "error: " and the privilege-separated child's with " [preauth]" at the end.
-- Source: github.com/openssh/openssh-portable, tag V_9_2_P1.
-- Linux-PAM's pam_unix (modules/pam_unix/support.c, Debian 12: 1.5.2) adds
-- "pam_unix(sshd:auth): authentication failure; logname= uid= euid=
-- tty=ssh ruser= rhost=<addr>[  user=<user>]" for each bad password and, at
-- the end of a session with several, "PAM N more authentication failures;
-- ..." (the same fields): they are counted too, so a bad password counts
-- twice (maxretry 5 is then three passwords).
-- A user name is the client's to choose: the address is always the last one,
-- anchored at the line's end, so a name holding "from 10.0.0.1 port 1" counts
-- nobody else; PAM's lines are anchored at their start, every field before
-- rhost= one word.
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]

L.jail "sshd" {
  identifier = { "sshd", "sshd-session" },
  failures = {
    -- auth.c auth_log: every method that failed, known user or not
    [[^Failed (?:password|publickey|keyboard-interactive/pam|none|hostbased|gssapi-with-mic) for (?:invalid user )?.* from ]] .. IP .. [[ port \d+ ssh2(?:: .+)?$]],
    -- auth2.c: a user that does not exist
    [[^Invalid user .* from ]] .. IP .. [[ port \d+$]],
    -- auth.c: AllowUsers / DenyUsers / groups
    [[^User .+ from ]] .. IP .. [[ not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups|account is locked|shell \S+ (?:does not exist|is not executable))$]],
    -- auth.c: MaxAuthTries reached
    [[^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?.* from ]] .. IP .. [[ port \d+ ssh2 \[preauth\]$]],
    [[^Disconnecting (?:invalid|authenticating) user .* ]] .. IP .. [[ port \d+: Too many authentication failures \[preauth\]$]],
    -- sshd.c / packet.c: a client that gave up, or was closed, before authenticating
    [[^(?:Connection closed by|Connection reset by|Disconnected from) (?:invalid|authenticating) user .* ]] .. IP .. [[ port \d+ \[preauth\]$]],
    [[^(?:error: )?Received disconnect from ]] .. IP .. [[ port \d+:(?:3|14): .* \[preauth\]$]],
    -- probes: no SSH, or nothing in common to negotiate
    [[^banner exchange: Connection from ]] .. IP .. [[ port \d+: (?:invalid format|could not read protocol version|Connection timed out|Connection reset by peer|Broken pipe)$]],
    [[^Unable to negotiate with ]] .. IP .. [[ port \d+: no matching (?:key exchange method|host key type|cipher|MAC) found\.]],
    [[^ssh_dispatch_run_fatal: Connection from (?:(?:invalid|authenticating) user .* )?]] .. IP .. [[ port \d+: (?:invalid format|message authentication code incorrect|Connection corrupted|incomplete message|unknown or unsupported key type|error in libcrypto) \[preauth\]$]],
    [[^(?:fatal: |error: )?Timeout before authentication for ]] .. IP .. [[ port \d+$]],
    [[^Timeout before authentication for connection from ]] .. IP .. [[ to [0-9A-Fa-f:.]+, pid = \d+$]],
    -- auth-pam.c, keyboard-interactive through PAM
    [[^error: PAM: (?:Authentication failure|User not known to the underlying authentication module|Permission denied) for (?:illegal user )?.* from ]] .. IP .. [[$]],
    -- pam_unix in sshd: each bad password, and the count at the session's end
    [[^(?:pam_unix\(sshd:auth\): authentication failure|PAM \d+ more authentication failures?); logname=\S* uid=\d+ euid=\d+ tty=ssh ruser=\S* rhost=]] .. IP .. [[(?: {1,2}user=\S*)? ?$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "SSH failure from {ip}",
}
