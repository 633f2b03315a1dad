/* The "email" settings of a rule file, checked at load time.
 *
 *   "email": {"from": "luruse@example.org", "to": ["admin@example.org"],
 *             "alertSubject": "Alert", "reportSubject": "Daily report",
 *             "sendmail": ["/usr/sbin/sendmail", "-t"],
 *             "throttleSeconds": 300, "timeoutSeconds": 60,
 *             "reportRows": 200, "reportTimeFormat": "%Y-%m-%d %H:%M:%S"}
 *
 * Subjects differ between the two kinds of rule file:
 *  - pyruse.json, as Pyruse: "subject" is the daily report's subject, as
 *    written (default "Pyruse Report"); an alert's subject is its step's own
 *    `subject` argument (default "Pyruse Notification"), never email.subject.
 *  - Lua rules: "alertSubject" is the default subject of `L.email` (default
 *    "luruse Notification"); "reportSubject" is the daily report's, followed
 *    by its day ("luruse Report 2026-03-10"; default: reportTitle). "subject"
 *    alone is refused there, as it would be ambiguous.
 *
 *   struct lr_mail_config c; lr_mail_config_init(&c, "luruse");
 *   if (lr_mail_config_parse(&c, settings, err, sizeof(err)) < 0) ...
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct lr_buf;

struct lr_mail_config {
  char *from;
  char **to;
  size_t nto;
  bool pyruse;          /* pyruse.json: Pyruse's setting names and subjects */
  char *alert_subject;  /* default subject of `email` actions */
  char *report_subject; /* of the daily report; NULL: report_title (Lua rules) */
  char *report_title;   /* "= <title>" of the daily report */
  unsigned report_rows; /* OTHER rows of the report at most (LR_REPORT_DEFAULT_ROWS) */
  char *report_time_format; /* strftime with %f; NULL: LR_REPORT_TIME_FORMAT */
  char **sendmail;      /* argv, NULL-terminated */
  unsigned throttle_s;  /* identical alerts within this window are coalesced; 0: never */
  unsigned timeout_s;   /* a sendmail running longer is killed, and the email retried */
};

#define LR_MAIL_DEFAULT_THROTTLE 300
#define LR_MAIL_DEFAULT_TIMEOUT 60

/* product: "luruse" for Lua rules, "Pyruse" for pyruse.json (default subjects). */
void lr_mail_config_init(struct lr_mail_config *c, const char *product);
int lr_mail_config_parse(struct lr_mail_config *c, const json_t *settings, char *err,
                         size_t errlen);
void lr_mail_config_free(struct lr_mail_config *c);
/* Appends the daily report's subject: pyruse.json, email.subject as written;
 * Lua rules, reportSubject (or reportTitle) and day ("2026-03-10"). */
void lr_mail_config_report_subject(const struct lr_mail_config *c, const char *day,
                                   struct lr_buf *out);
