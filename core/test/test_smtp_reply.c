/* The SMTP replies `luruse sendmail` reads (notify/smtp_submit.c). */
#include <string.h>

#include "check.h"
#include "notify/smtp_submit.h"

#define S(lit) lit, sizeof(lit) - 1

int main(void)
{
  struct lr_smtp_reply r;
  CHECK_INT(lr_smtp_reply_take(S("220 mail.example.org ESMTP\r\n"), &r), 28);
  CHECK_INT(r.code, 220);
  CHECK_STR(r.text, "mail.example.org ESMTP");

  /* continuation lines, joined; what follows is left for the next reply */
  const char ehlo[] = "250-vm Hello\r\n250-8BITMIME\r\n250 HELP\r\n354 go\r\n";
  CHECK_INT(lr_smtp_reply_take(ehlo, sizeof(ehlo) - 1, &r), 38);
  CHECK_INT(r.code, 250);
  CHECK_STR(r.text, "vm Hello / 8BITMIME / HELP");
  CHECK_INT(lr_smtp_reply_take(ehlo + 38, sizeof(ehlo) - 1 - 38, &r), 8);
  CHECK_INT(r.code, 354);

  /* not yet complete: nothing taken */
  CHECK_INT(lr_smtp_reply_take(S("250-first\r\n250-sec"), &r), 0);
  CHECK_INT(lr_smtp_reply_take(S("250 no line end"), &r), 0);
  /* bare codes, LF alone */
  CHECK_INT(lr_smtp_reply_take(S("221\n"), &r), 4);
  CHECK_INT(r.code, 221);
  CHECK_STR(r.text, "");

  /* what is no SMTP reply */
  CHECK(lr_smtp_reply_take(S("HTTP/1.1 400 Bad\r\n"), &r) < 0);
  CHECK(strstr(r.text, "not an SMTP reply") != NULL);
  CHECK(lr_smtp_reply_take(S("150 below 200\r\n"), &r) < 0);
  CHECK(lr_smtp_reply_take(S("25\r\n"), &r) < 0);
  CHECK(lr_smtp_reply_take(S("250x\r\n"), &r) < 0);
  CHECK(lr_smtp_reply_take(S("250-ok\r\n\r\n"), &r) < 0);

  /* the server's text goes into a log line: no control byte survives */
  CHECK_INT(lr_smtp_reply_take(S("550 a\x1b[31mb\x7f\r\n"), &r) > 0, 1);
  CHECK_STR(r.text, "a?[31mb?");
  /* a long text is cut, NUL-terminated */
  char big[2000];
  memset(big, 'x', sizeof(big));
  memcpy(big, "250 ", 4);
  big[sizeof(big) - 1] = '\n';
  CHECK_INT(lr_smtp_reply_take(big, sizeof(big), &r), (long)sizeof(big));
  CHECK(strlen(r.text) < sizeof(r.text));
  return check_done();
}
