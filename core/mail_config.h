/* The "email" settings of a rule file (Pyruse's names), checked at load time.
 *
 *   "email": {"from": "luruse@example.org", "to": ["admin@example.org"],
 *             "subject": "Alert", "sendmail": ["/usr/sbin/sendmail", "-t"],
 *             "throttleSeconds": 300, "timeoutSeconds": 60}
 *
 *   struct lr_mail_config c; lr_mail_config_init(&c, "luruse");
 *   if (lr_mail_config_parse(&c, settings, err, sizeof(err)) < 0) ...
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct lr_mail_config {
  char *from;
  char **to;
  size_t nto;
  char *subject;        /* default subject of `email` actions */
  char *report_title;   /* "= <title>" of the daily report, and its subject */
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
