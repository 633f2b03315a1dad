/* The envelope `luruse sendmail -t` reads from a message's header. */
#include <string.h>

#include "check.h"
#include "notify/mail_envelope.h"
#include "util/errmsg.h"

static char err[LR_ERR_MAX];

static struct lr_mail_envelope parse_ok(const char *msg)
{
  struct lr_mail_envelope env;
  int rc = lr_mail_envelope_parse(&env, msg, strlen(msg), err, sizeof(err));
  if (rc < 0)
    fprintf(stderr, "unexpected error: %s\n", err);
  REQUIRE(rc == 0);
  return env;
}

static void check_fails(const char *msg, const char *why)
{
  struct lr_mail_envelope env;
  err[0] = '\0';
  CHECK(lr_mail_envelope_parse(&env, msg, strlen(msg), err, sizeof(err)) < 0);
  CHECK(strstr(err, why) != NULL);
  if (!strstr(err, why))
    fprintf(stderr, "  for '%s', error was: %s\n", msg, err);
}

int main(void)
{
  /* what luruse's own composer writes */
  struct lr_mail_envelope e = parse_ok("From: luruse <luruse@host.example>\r\n"
                                       "To: admin@example.org, \"Doe, Jane\" <jane@example.org>\r\n"
                                       "Subject: x\r\n\r\nbody\r\nTo: not@header.example\r\n");
  CHECK_STR(e.from, "luruse@host.example");
  CHECK_INT(e.nrcpt, 2);
  CHECK_STR(e.rcpt[0], "admin@example.org");
  CHECK_STR(e.rcpt[1], "jane@example.org");
  CHECK_INT(e.nskip, 0);
  lr_mail_envelope_free(&e);

  /* folded lines, comments, groups, Cc and Bcc (left out on the wire), duplicates */
  const char *m = "from: root (the admin)\n"
                  "To: team: a@x.example,\n"
                  "\t b@y.example (bee);, root\n"
                  "Cc: undisclosed-recipients:;\n"
                  "Bcc: <secret@z.example>,\n"
                  "  A@X.example\n"
                  "Subject: hi\n\nbody\n";
  e = parse_ok(m);
  CHECK_STR(e.from, "root");
  CHECK_INT(e.nrcpt, 4);
  CHECK_STR(e.rcpt[0], "a@x.example");
  CHECK_STR(e.rcpt[1], "b@y.example");
  CHECK_STR(e.rcpt[2], "root");
  CHECK_STR(e.rcpt[3], "secret@z.example");
  CHECK_INT(e.nskip, 1);
  CHECK(!strncmp(m + e.skip[0][0], "Bcc:", 4));
  CHECK(!strncmp(m + e.skip[0][1], "Subject:", 8));
  lr_mail_envelope_free(&e);

  /* a source route, an empty sender, no From */
  e = parse_ok("To: <@relay.example:user@host.example>\nFrom: <>\n\n");
  CHECK_STR(e.rcpt[0], "user@host.example");
  CHECK_STR(e.from, "");
  lr_mail_envelope_free(&e);
  e = parse_ok("To: a@b.example\n\n");
  CHECK_STR(e.from, "");
  lr_mail_envelope_free(&e);

  /* text beside an angle address is a name, never part of the address */
  e = parse_ok("To: x@y\nFrom: <evil@x.example>\r\n SIZE=1\n\n");
  CHECK_STR(e.from, "evil@x.example");
  lr_mail_envelope_free(&e);

  /* what cannot go into MAIL FROM/RCPT TO as it is, and what is not a header */
  check_fails("To: a b@c.example\n\n", "not an address");
  check_fails("To: <a@b.example\n\n", "'<' without '>'");
  check_fails("To: <caf\xc3\xa9@x.example>\n\n", "not an address");
  check_fails("To: a@@b\n\n", "not an address");
  check_fails("To: evil@x.example\n RCPT TO:<v@x.example>\n\n", "neither an address nor a group");
  check_fails(" To: a@b\n\n", "does not start with header lines");
  check_fails("hello world\n\n", "does not start with header lines");

  /* command-line recipients and -f are checked too */
  e = parse_ok("Subject: s\n\n");
  CHECK(lr_mail_envelope_add_rcpt(&e, "ok@x.example", err, sizeof(err)) == 0);
  CHECK(lr_mail_envelope_add_rcpt(&e, "bad>\r\nDATA", err, sizeof(err)) < 0);
  CHECK(lr_mail_envelope_set_from(&e, "x@y.example\r\nRCPT TO:<z>", err, sizeof(err)) < 0);
  CHECK(lr_mail_envelope_set_from(&e, "bounce@x.example", err, sizeof(err)) == 0);
  CHECK_STR(e.from, "bounce@x.example");
  CHECK_INT(e.nrcpt, 1);
  lr_mail_envelope_free(&e);
  return check_done();
}
