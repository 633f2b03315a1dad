/* The envelope of a message given whole, as `sendmail -t` reads it: the
 * sender from From:, the recipients from To:, Cc: and Bcc: (folded header
 * lines joined, comments, quoted names and groups understood), and the
 * message as it goes on the wire, without its Bcc: header.
 *
 *   struct lr_mail_envelope env;
 *   if (lr_mail_envelope_parse(&env, msg, len, err, sizeof(err)) < 0) ...
 *   submit(env.from, env.rcpt, env.nrcpt, msg + env.body_skip...)
 *   lr_mail_envelope_free(&env);
 */
#pragma once
#include <stddef.h>

struct lr_mail_envelope {
  char *from;        /* addr-spec, "" when the message has no From: */
  char **rcpt;       /* addr-specs, in header order, duplicates removed */
  size_t nrcpt;
  /* the header lines to leave out on the wire (Bcc: and its continuations):
   * byte ranges [start, end) of the message, in order */
  size_t skip[8][2];
  size_t nskip;
};

/* Reads the header (up to the first empty line). Fails on a header that is
 * not one (no blank line within 1 MiB, a line without a colon), an address
 * that cannot be read, or more than 1000 recipients. */
int lr_mail_envelope_parse(struct lr_mail_envelope *env, const char *msg, size_t len, char *err,
                           size_t errlen);
/* Adds a recipient (e.g. from the command line); refuses what is not an
 * addr-spec (local@domain or a bare local part, no space, no control). */
int lr_mail_envelope_add_rcpt(struct lr_mail_envelope *env, const char *addr, char *err,
                              size_t errlen);
/* Replaces the sender (sendmail's -f); "" is the null sender. */
int lr_mail_envelope_set_from(struct lr_mail_envelope *env, const char *addr, char *err,
                              size_t errlen);
void lr_mail_envelope_free(struct lr_mail_envelope *env);
