-- vsftpd (Debian 12: vsftpd 3.0.3). Debian's /etc/vsftpd.conf sets
-- xferlog_enable=YES (and not xferlog_std_format), so vsftpd writes its own
-- log, vsftpd_log_file = /var/log/vsftpd.log, a line per login:
--   Sat Mar  2 12:34:56 2024 [pid 1234] [USER] FAIL LOGIN: Client "ADDR"
-- With syslog_enable=YES the same line goes to syslog (the journal,
-- identifier vsftpd) without the date ("[pid N] [USER] FAIL LOGIN: ...").
-- Source: vsftpd-3.0.3 logging.c vsf_log_do_log_vsftpd_format
-- (security.appspot.com/vsftpd.html; Debian's vsftpd 3.0.3-13). Debian's conf also sets
-- listen_ipv6=YES: IPv4 clients are written "::ffff:a.b.c.d" (the IPv4
-- address is counted, as in every jail).
-- Authentication goes through PAM (/etc/pam.d/vsftpd, common-auth):
-- pam_unix's "authentication failure" line lands in the journal under the
-- identifier vsftpd too, with ruser = the FTP user name and rhost = ADDR.
-- Written from vsftpd's logging.c (vsf_log_do_log_vsftpd_format), sysutil.c
-- (vsf_sysutil_inet_ntop), sysdeputil.c (PAM_RHOST, PAM_RUSER, PAM_TTY "ftp")
-- and Linux-PAM's pam_unix (support.c _unix_verify_password).
-- One wrong password thus gives two lines (FAIL LOGIN, PAM): maxretry is 10
-- for five attempts; with virtual users (pam_userdb) only FAIL LOGIN counts.
-- The user name is the client's: the address taken is the one before the
-- fixed tail of the line ("Client \"ADDR\"" at the end; for PAM, the address
-- after the first " rhost=", the user name being repeated after it; a PAM
-- line whose user name holds " rhost=" is not counted at all, its FAIL
-- LOGIN line still is).
local L = require "luruse"

local IP = [[(?:::[Ff]{4}:(?=\d+\.))?(?<ip>[0-9A-Fa-f:.]+)]]
local LOGIN = [[(?:\[.*\] )?FAIL LOGIN: Client "]] .. IP .. [["$]]
local ANON = [[\[(?:anonymous|ftp)\] FAIL LOGIN: Client "]] .. IP .. [[", anon password ".*"$]]

local failures = {
  -- logging.c: the file form (date, pid) and the syslog form (pid only)
  [[^(?:\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} )?(?:\[pid \d+\] )?]] .. LOGIN,
  [[^(?:\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} )?(?:\[pid \d+\] )?]] .. ANON,
  -- pam_unix: a wrong password (user=...) or an unknown user (no user=)
  [[^pam_unix\(vsftpd:auth\): authentication failure; logname=\S* uid=\d+ euid=\d+ tty=\S* ruser=(?<u>(?:(?! rhost=).)*) rhost=]] .. IP .. [[(?:  user=\k<u>)?$]],
}

L.jail "vsftpd" {
  identifier = "vsftpd",
  file = { "/var/log/vsftpd.log", identifier = "vsftpd" },
  failures = failures,
  maxretry = 10, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
  report = "FTP login failure from {ip}",
}
