-- OpenSSH (Debian 12: 9.2p1; sshd logs to the journal as "sshd", later
-- releases as "sshd-session"). Written from sshd's messages in auth2.c,
-- auth.c, sshd.c, packet.c and kex.c. Each failure is counted once: the PAM
-- lines that repeat a "Failed ..." line are left out. A user name is the
-- client's to choose: the address is always the last one, anchored at the
-- line's end, so a name holding "from 10.0.0.1 port 1" counts nobody else.
local L = require "luruse"

local IP = [[(?<ip>[0-9A-Fa-f:.]+)]]

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
    [[^(?:Connection closed by|Disconnected from) (?:invalid|authenticating) user .* ]] .. IP .. [[ port \d+ \[preauth\]$]],
    [[^Received disconnect from ]] .. IP .. [[ port \d+:(?:3|14): .* \[preauth\]$]],
    -- probes: no SSH, or nothing in common to negotiate
    [[^banner exchange: Connection from ]] .. IP .. [[ port \d+: (?:invalid format|could not read protocol version|Connection timed out|Connection reset by peer|Broken pipe)$]],
    [[^Unable to negotiate with ]] .. IP .. [[ port \d+: no matching (?:key exchange method|host key type|cipher|MAC) found\.]],
    [[^ssh_dispatch_run_fatal: Connection from (?:(?:invalid|authenticating) user .* )?]] .. IP .. [[ port \d+: (?:invalid format|message authentication code incorrect|Connection corrupted|incomplete message|unknown or unsupported key type|error in libcrypto) \[preauth\]$]],
    [[^Timeout before authentication for ]] .. IP .. [[ port \d+$]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "SSH failure from {ip}",
}
