/* Email messages for the mail action: headers, RFC 2047 encoded-words,
 * quoted-printable bodies, multipart/alternative.
 *
 * Everything that reaches a header (subject, from, to) may come from a log
 * line, so header values are sanitised first: invalid UTF-8 becomes U+FFFD and
 * every control character (C0, DEL, C1; CR and LF included) becomes a space.
 * No value can therefore start a new header line. The result is 7-bit text
 * with "\n" line ends, as `sendmail -t` expects on its standard input.
 *
 *   struct lr_mail_header_info h = {.from = "luruse@host", .to = rcpt, .nto = 1,
 *                                   .subject = subject, .date_usec = now_usec};
 *   struct lr_buf msg = {0};
 *   lr_mail_compose_text(&msg, &h, body.data, body.len);
 *   write(sendmail_stdin, msg.data, msg.len);
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct lr_buf;

struct lr_mail_header_info {
  const char *from;            /* "luruse@host" or "Name <a@b>"; a non-ASCII name is encoded */
  const char *const *to;       /* one mailbox each; no To header when nto is 0 */
  size_t nto;
  const char *subject;         /* UTF-8 or not, anything: sanitised, encoded, folded */
  int64_t date_usec;           /* Date header, in local time with a numeric zone */
  const char *message_id_host; /* right-hand side of Message-ID; NULL: gethostname() */
};

/* Appends a whole message (headers, blank line, body): one text/plain part in
 * UTF-8, quoted-printable. The body is UTF-8-sanitised first. */
void lr_mail_compose_text(struct lr_buf *out, const struct lr_mail_header_info *h,
                          const char *body, size_t len);
/* multipart/alternative: text/plain first, then text/html, both as above. */
void lr_mail_compose_alternative(struct lr_buf *out, const struct lr_mail_header_info *h,
                                 const char *text, size_t tlen, const char *html, size_t hlen);

/* Building blocks, public for tests. */

/* RFC 2045 quoted-printable of raw bytes: "\n" and "\r\n" are line breaks
 * (written "\n"), lines stay within 76 characters, a UTF-8 character is never
 * cut by a soft break, and "." or "From " at a line start is encoded. */
void lr_mail_qp_encode(struct lr_buf *out, const char *s, size_t len);
/* "Name: value\n" for an unstructured header: sanitised, RFC 2047 encoded when
 * plain text would not survive (non-ASCII, "=?", edge spaces, unfoldable
 * words), folded to 78 columns. */
void lr_mail_header(struct lr_buf *out, const char *name, const char *value);
/* The same for a value with a length, which may hold NUL bytes. */
void lr_mail_header_len(struct lr_buf *out, const char *name, const char *value, size_t len);
/* "Name: a, b\n" for mailboxes: ASCII kept as given (sanitised); a non-ASCII
 * display name before "<addr>" becomes encoded-words, the address is kept,
 * except that each non-ASCII character in it becomes "?" (no SMTPUTF8: the
 * header stays 7-bit; the settings check refuses such addresses), and one
 * longer than 254 bytes (RFC 5321's limit, also refused there) is cut to 254,
 * so that no header line exceeds RFC 5322's 998 bytes. Lines fold between
 * words; blank mailboxes are left out. */
void lr_mail_address_header(struct lr_buf *out, const char *name,
                            const char *const *addrs, size_t n);
/* A copy where each ill-formed UTF-8 sequence (maximal subpart, as Python's
 * errors="replace" counts them) becomes U+FFFD. */
void lr_mail_utf8_sanitize(struct lr_buf *out, const char *s, size_t len);
/* RFC 5322 date in local time: "Tue, 24 Nov 2026 20:34:19 +0100". */
void lr_mail_date(struct lr_buf *out, int64_t usec);
/* "<time.pid.counter.random@host>", unique across calls and processes. */
void lr_mail_message_id(struct lr_buf *out, const char *host);
