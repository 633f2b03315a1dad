#define _GNU_SOURCE /* memrchr */
#include "notify/mail_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notify/report.h"
#include "util/argv.h"
#include "util/buf.h"
#include "util/xalloc.h"

void lr_mail_config_init(struct lr_mail_config *c, const char *product)
{
  memset(c, 0, sizeof(*c));
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  c->from = lr_xasprintf("luruse@%s", host);
  c->pyruse = strcmp(product, "Pyruse") == 0;
  c->alert_subject = lr_xasprintf("%s Notification", product);
  c->report_title = lr_xasprintf("%s Report", product);
  if (c->pyruse)
    c->report_subject = lr_xstrdup(c->report_title);
  static const char *const sendmail[] = {"/usr/sbin/sendmail", "-t", NULL};
  c->sendmail = lr_argv_dup(sendmail);
  c->throttle_s = LR_MAIL_DEFAULT_THROTTLE;
  c->timeout_s = LR_MAIL_DEFAULT_TIMEOUT;
  c->report_rows = LR_REPORT_DEFAULT_ROWS;
}

void lr_mail_config_free(struct lr_mail_config *c)
{
  free(c->from);
  for (size_t i = 0; i < c->nto; i++)
    free(c->to[i]);
  free(c->to);
  free(c->alert_subject);
  free(c->report_subject);
  free(c->report_title);
  free(c->report_time_format);
  lr_argv_free(c->sendmail);
  memset(c, 0, sizeof(*c));
}

/* Addresses come from the administrator, but a stray newline would still
 * become a header: refuse control characters here rather than at send time. */
static int plain_string(const json_t *v, const char *what, char **out, char *err, size_t errlen)
{
  if (!json_is_string(v) || json_string_length(v) == 0) {
    snprintf(err, errlen, "setting 'email.%s' must be a non-empty string", what);
    return -1;
  }
  const char *s = json_string_value(v);
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      snprintf(err, errlen, "setting 'email.%s' contains a control character", what);
      return -1;
    }
  if (strlen(s) != json_string_length(v)) {
    snprintf(err, errlen, "setting 'email.%s' contains a NUL byte", what);
    return -1;
  }
  free(*out);
  *out = lr_xstrdup(s);
  return 0;
}

/* A mailbox ("a@b" or "Name <a@b>"): not blank, and its address ASCII. A
 * display name may be anything (it is encoded); the address cannot be, and
 * luruse does not promise SMTPUTF8. */
static int address(const json_t *v, const char *what, char **out, char *err, size_t errlen)
{
  if (plain_string(v, what, out, err, errlen) < 0)
    return -1;
  const char *s = *out;
  size_t len = strlen(s);
  while (len && s[len - 1] == ' ')
    len--;
  const char *a = s, *end = s + len;
  if (len && s[len - 1] == '>') {
    const char *lt = memrchr(s, '<', len);
    if (lt) {
      a = lt + 1;
      end = s + len - 1;
    }
  }
  while (a < end && *a == ' ')
    a++;
  while (end > a && end[-1] == ' ')
    end--;
  if (a == end) {
    snprintf(err, errlen, "setting 'email.%s' has no address (\"%s\" is blank): "
                          "give one such as admin@example.org", what, s);
    goto bad;
  }
  if (end - a > 254) {
    snprintf(err, errlen, "setting 'email.%s': the address \"%.40s...\" is %td bytes long; "
                          "SMTP allows at most 254", what, a, end - a);
    goto bad;
  }
  for (const char *p = a; p < end; p++)
    if ((unsigned char)*p >= 0x80) {
      snprintf(err, errlen, "setting 'email.%s': the address \"%.*s\" is not ASCII; luruse "
                            "sends 7-bit mail without SMTPUTF8: write the domain in its "
                            "xn-- form (only a display name, as in \"Name <a@b>\", may be "
                            "non-ASCII)", what, (int)(end - a), a);
      goto bad;
    }
  return 0;
bad:
  free(*out);
  *out = NULL;
  return -1;
}

static int seconds(const json_t *v, const char *what, unsigned *out, char *err, size_t errlen)
{
  if (!v)
    return 0;
  if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 86400 * 7) {
    snprintf(err, errlen, "setting 'email.%s' must be a number of seconds (0 to 604800)", what);
    return -1;
  }
  *out = (unsigned)json_integer_value(v);
  return 0;
}

static int parse_rows(const json_t *v, unsigned *out, char *err, size_t errlen)
{
  if (!json_is_integer(v) || json_integer_value(v) < 1 ||
      json_integer_value(v) > LR_REPORT_MAX_ROWS) {
    snprintf(err, errlen, "setting 'email.reportRows' must be a number of rows (1 to %d)",
             LR_REPORT_MAX_ROWS);
    return -1;
  }
  *out = (unsigned)json_integer_value(v);
  return 0;
}

static int parse_time_format(struct lr_mail_config *c, const json_t *v, char *err, size_t errlen)
{
  if (plain_string(v, "reportTimeFormat", &c->report_time_format, err, errlen) < 0)
    return -1;
  char why[128];
  if (lr_report_time_format_check(c->report_time_format, why, sizeof(why)) < 0) {
    snprintf(err, errlen, "setting 'email.reportTimeFormat': %s", why);
    return -1;
  }
  return 0;
}

static int parse_to(struct lr_mail_config *c, const json_t *v, char *err, size_t errlen)
{
  json_t *single = NULL;
  if (json_is_string(v))
    v = single = json_pack("[O]", v);
  if (!json_is_array(v) || json_array_size(v) == 0) {
    snprintf(err, errlen, "setting 'email.to' must be a list of addresses");
    return -1;
  }
  int rc = 0;
  size_t i;
  json_t *item;
  c->to = lr_xcalloc(json_array_size(v), sizeof(*c->to));
  json_array_foreach(v, i, item) {
    if ((rc = address(item, "to", &c->to[c->nto], err, errlen)) < 0)
      break;
    c->nto++;
  }
  json_decref(single);
  return rc;
}

static int parse_sendmail(struct lr_mail_config *c, const json_t *v, char *err, size_t errlen)
{
  if (!json_is_array(v) || json_array_size(v) == 0) {
    snprintf(err, errlen, "setting 'email.sendmail' must be a command as a list of strings");
    return -1;
  }
  size_t n = json_array_size(v);
  char **argv = lr_xcalloc(n + 1, sizeof(*argv));
  for (size_t i = 0; i < n; i++) {
    const json_t *a = json_array_get(v, i);
    if (!json_is_string(a) || strlen(json_string_value(a)) != json_string_length(a)) {
      snprintf(err, errlen, "setting 'email.sendmail' item %zu must be a string", i + 1);
      lr_argv_free(argv);
      return -1;
    }
    argv[i] = lr_xstrdup(json_string_value(a));
  }
  lr_argv_free(c->sendmail);
  c->sendmail = argv;
  return 0;
}

int lr_mail_config_parse(struct lr_mail_config *c, const json_t *settings, char *err,
                         size_t errlen)
{
  const json_t *email = json_object_get(settings, "email");
  if (!email)
    return 0;
  if (!json_is_object(email)) {
    snprintf(err, errlen, "setting 'email' must be an object");
    return -1;
  }
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)email, key, v) {
    int rc;
    if (!strcmp(key, "from"))
      rc = address(v, "from", &c->from, err, errlen);
    else if (!strcmp(key, "to"))
      rc = parse_to(c, v, err, errlen);
    else if (!strcmp(key, "subject") && c->pyruse) /* Pyruse: the daily report's */
      rc = plain_string(v, "subject", &c->report_subject, err, errlen);
    else if (!strcmp(key, "subject")) {
      snprintf(err, errlen, "setting 'email.subject' is ambiguous in Lua rules: set "
                            "'email.alertSubject' (default subject of L.email) or "
                            "'email.reportSubject' (subject of the daily report)");
      rc = -1;
    } else if (!strcmp(key, "alertSubject") && !c->pyruse)
      rc = plain_string(v, "alertSubject", &c->alert_subject, err, errlen);
    else if (!strcmp(key, "reportSubject") && !c->pyruse)
      rc = plain_string(v, "reportSubject", &c->report_subject, err, errlen);
    else if (!strcmp(key, "reportTitle"))
      rc = plain_string(v, "reportTitle", &c->report_title, err, errlen);
    else if (!strcmp(key, "reportRows"))
      rc = parse_rows(v, &c->report_rows, err, errlen);
    else if (!strcmp(key, "reportTimeFormat"))
      rc = parse_time_format(c, v, err, errlen);
    else if (!strcmp(key, "sendmail"))
      rc = parse_sendmail(c, v, err, errlen);
    else if (!strcmp(key, "throttleSeconds"))
      rc = seconds(v, key, &c->throttle_s, err, errlen);
    else if (!strcmp(key, "timeoutSeconds"))
      rc = seconds(v, key, &c->timeout_s, err, errlen);
    else {
      snprintf(err, errlen, "unknown setting 'email.%s' (from, to, %s, reportTitle, "
                            "reportRows, reportTimeFormat, sendmail, throttleSeconds, "
                            "timeoutSeconds)", key,
               c->pyruse ? "subject" : "alertSubject, reportSubject");
      rc = -1;
    }
    if (rc < 0)
      return -1;
  }
  if (c->timeout_s == 0)
    c->timeout_s = LR_MAIL_DEFAULT_TIMEOUT;
  return 0;
}

void lr_mail_config_report_subject(const struct lr_mail_config *c, const char *day,
                                   struct lr_buf *out)
{
  if (c->pyruse)
    lr_buf_printf(out, "%s", c->report_subject);
  else
    lr_buf_printf(out, "%s %s", c->report_subject ? c->report_subject : c->report_title, day);
}
