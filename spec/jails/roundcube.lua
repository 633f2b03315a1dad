-- Roundcube 1.6 (Debian 12) lines, as it writes them to /var/log/roundcube/.
local E, U = "/var/log/roundcube/errors.log", "/var/log/roundcube/userlogins.log"
return {
  jail = "roundcube",
  ident = "roundcube",
  failures = {
    { log = E, "[04-Mar-2024 00:08:18 +0000]: <8v5qk2o4> IMAP Error: Login failed for admin against localhost from 203.0.113.5. AUTHENTICATE PLAIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)", ip = "203.0.113.5" },
    { log = E, "[04-Mar-2024 00:08:19 +0100]: <kq1d0fah> IMAP Error: Login failed for info@example.org against mail.example.org from 2001:db8::25. LOGIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /roundcube/?_task=login&_action=login)", ip = "2001:db8::25" },
    { log = E, "[04-Mar-2024 00:08:20 +0000]: IMAP Error: Login failed for test against localhost from 198.51.100.7. AUTHENTICATE PLAIN: Authentication failed. (POST /?_task=login&_action=login)", ip = "198.51.100.7" },
    { log = E, "[04-Mar-2024 00:08:21 +0000]: <abc12345> IMAP Error: Login failed for a user with spaces against localhost from 192.0.2.44(X-Forwarded-For: 10.0.0.1). AUTHENTICATE PLAIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)", ip = "192.0.2.44" },
    { "IMAP Error: Login failed for root against localhost from 203.0.113.12. AUTHENTICATE PLAIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)", ip = "203.0.113.12" },
    { log = U, "[04-Mar-2024 00:08:22 +0000]: <8v5qk2o4> Failed login for admin from 203.0.113.30 in session 8v5qk2o4ju8r6mnp3g0tkk3f1b (error: 0)", ip = "203.0.113.30" },
    { log = U, "[04-Mar-2024 00:08:23 +0000]: Failed login for x@example.org from 2001:db8:5::3 (X-Real-IP: 10.0.0.1) in session kq1d0fahkq1d0fah (error: 0)", ip = "2001:db8:5::3" },
    -- planted addresses: in the user name, in the forwarded headers, in the URI
    { log = E, "[04-Mar-2024 00:08:24 +0000]: <abc12345> IMAP Error: Login failed for x against localhost from 10.0.0.1. LOGIN: y against localhost from 198.51.100.90. AUTHENTICATE PLAIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)", ip = "198.51.100.90" },
    { log = E, "[04-Mar-2024 00:08:25 +0000]: <abc12345> IMAP Error: Login failed for x against localhost from 203.0.113.91(X-Forwarded-For: a against b from 10.0.0.1. LOGIN: c in d on line 1). AUTHENTICATE PLAIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?from=10.0.0.1.)", ip = "203.0.113.91" },
    { log = U, "[04-Mar-2024 00:08:26 +0000]: Failed login for a from 10.0.0.1 in session x (error: 0) from 192.0.2.92 in session 8v5qk2o4 (error: 0)", ip = "192.0.2.92" },
  },
  harmless = {
    { log = U, "[04-Mar-2024 00:09:00 +0000]: <8v5qk2o4> Successful login for alice@example.org (ID: 3) from 203.0.113.5 in session 8v5qk2o4ju8r6mnp3g0tkk3f1b" },
    { log = E, "[04-Mar-2024 00:09:01 +0000]: <8v5qk2o4> PHP Error: Invalid response from IMAP server in /usr/share/roundcube/program/lib/Roundcube/rcube_imap_generic.php on line 1234 (GET /?_task=mail&_action=list)" },
    { log = E, "[04-Mar-2024 00:09:02 +0000]: <8v5qk2o4> IMAP Error: Login failed for alice against localhost from 203.0.113.9. Could not connect to localhost:143: Connection refused in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)" },
    { log = E, "[04-Mar-2024 00:09:03 +0000]: <8v5qk2o4> DB Error: SQLSTATE[HY000] [2002] No such file or directory (POST /?_task=login&_action=login)" },
    { log = E, "[04-Mar-2024 00:09:04 +0000]: <8v5qk2o4> SMTP Error: Authentication failure: SASL authentication failed (Code: 535) from 203.0.113.9 (POST /?_task=mail&_action=send)" },
  },
}
