/* Will this sendmail work with no_new_privs set (systemd's NoNewPrivileges=,
 * implied by most of the unit's sandbox)? exim4's sendmail is setuid root and
 * postfix's runs the setgid postdrop: without the privilege they cannot write
 * their spools, and every email would wait in the outbox. Said once, at
 * start and on reload, with what to use instead (luruse sendmail). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* true, with why, when argv[0] needs a privilege this process cannot get. */
bool lr_sendmail_needs_privilege(const char *const *argv, char *why, size_t whylen);
