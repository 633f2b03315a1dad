/* Hands one message to an SMTP server (the local MTA on localhost:25), the
 * way `sendmail` would queue it, for `luruse sendmail`: inside the service's
 * sandbox (NoNewPrivileges) the setuid/setgid sendmail of exim4 or postfix
 * cannot write its spool, but the MTA's own daemon accepts the message over
 * loopback. Blocking, with a timeout per reply: it runs in a child process of
 * the outbox (lr_spawn), never in the daemon's loop.
 *
 *   int rc = lr_smtp_submit(&(struct lr_smtp_server){"localhost", "25", 30}, &env,
 *                           msg, len, err, sizeof(err));
 *   // 0 sent; LR_SMTP_TEMPORARY (try later: refused connection, 4xx, timeout);
 *   // LR_SMTP_PERMANENT (5xx: the same message would be refused again)
 *
 * No STARTTLS and no AUTH: the server is meant to be the local MTA, which
 * relays for localhost (Debian's exim4 and postfix do by default).
 */
#pragma once
#include <stddef.h>

struct lr_mail_envelope;

struct lr_smtp_server {
  const char *host, *port;
  unsigned timeout_s; /* per connect, per reply */
};

#define LR_SMTP_TEMPORARY (-1)
#define LR_SMTP_PERMANENT (-2)

int lr_smtp_submit(const struct lr_smtp_server *srv, const struct lr_mail_envelope *env,
                   const char *msg, size_t len, char *err, size_t errlen);

/* One reply at the start of what the server sent (buf, len: untrusted), its
 * continuation lines ("250-...") included: the code (200 to 599), and its
 * lines' texts joined by " / " in text (cut to fit, NUL-terminated, control
 * bytes turned to '?'). Returns the bytes the reply took, 0 when it is not
 * complete yet, or -1 when it is no SMTP reply (why in text). */
struct lr_smtp_reply {
  int code;
  char text[512];
};
long lr_smtp_reply_take(const char *buf, size_t len, struct lr_smtp_reply *out);
