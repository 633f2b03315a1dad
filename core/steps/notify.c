/* action_email and action_dailyReport: render the template on the hot path,
 * hand the text to the notify service, which throttles, stores and sends off
 * the entry loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "input/entry.h"
#include "input/fields.h"
#include "notify/mail.h"
#include "notify/notify.h"
#include "notify/report.h"
#include "rules/services.h"
#include "rules/settings.h"
#include "steps/builtin.h"
#include "rules/template.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

static int compile_template(const json_t *args, const char *key, struct lr_template **out,
                            char *err, size_t errlen)
{
  const char *text;
  if (lr_arg_string(args, key, &text, err, errlen) < 0)
    return -1;
  *out = NULL;
  if (!text)
    return 0;
  char why[LR_ERR_MAX];
  if (!(*out = lr_template_compile(text, why, sizeof(why)))) {
    snprintf(err, errlen, "%s: %s", key, why);
    return -1;
  }
  return 0;
}

/* Emails go to email.to: better a load error than alerts that go nowhere. */
static int need_recipient(const struct lr_compile_ctx *cc, char *err, size_t errlen)
{
  if (cc->settings && cc->settings->mail.nto == 0) {
    snprintf(err, errlen, "no recipient: set email.to in the settings "
                          "(Lua: L.config { email = { to = { \"root@localhost\" } } })");
    return -1;
  }
  return 0;
}

/* Log fields may hold anything: make the text valid UTF-8 without NULs. */
static void clean_text(struct lr_buf *out, const char *s, size_t len)
{
  size_t start = out->len;
  lr_mail_utf8_sanitize(out, s, len);
  for (size_t i = start; i < out->len; i++)
    if (out->data[i] == '\0')
      out->data[i] = ' ';
}

struct email_step {
  struct lr_template *message, *subject; /* NULL: the default subject */
  struct lr_buf rendered;
};

static void email_free(void *data)
{
  struct email_step *s = data;
  lr_template_free(s->message);
  lr_template_free(s->subject);
  lr_buf_free(&s->rendered);
  free(s);
}

static int email_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                         size_t errlen)
{
  struct email_step *s = lr_xcalloc(1, sizeof(*s));
  *data = s;
  if (need_recipient(cc, err, errlen) < 0 ||
      compile_template(args, "message", &s->message, err, errlen) < 0 ||
      compile_template(args, "subject", &s->subject, err, errlen) < 0) {
    email_free(s);
    *data = NULL;
    return -1;
  }
  return 0;
}

static enum lr_verdict email_run(void *data, struct lr_exec *x)
{
  struct email_step *s = data;
  struct lr_buf *raw = &x->scratch;
  lr_buf_clear(raw);
  lr_buf_clear(&s->rendered);
  if (lr_template_render(s->message, x->entry, raw, x->err, sizeof(x->err)) < 0)
    return LR_ERROR;
  clean_text(&s->rendered, raw->data, raw->len);
  size_t body_len = s->rendered.len;
  lr_buf_clear(raw);
  if (s->subject) {
    if (lr_template_render(s->subject, x->entry, raw, x->err, sizeof(x->err)) < 0)
      return LR_ERROR;
  } else {
    const char *d = x->settings ? x->settings->mail.alert_subject : "";
    lr_buf_add(raw, d, strlen(d));
  }
  clean_text(&s->rendered, raw->data, raw->len);
  const char *subject = s->rendered.data + body_len;
  size_t subject_len = s->rendered.len - body_len;
  if (x->svc && x->svc->notify)
    lr_notify_email(x->svc->notify, subject, subject_len, s->rendered.data, body_len,
                    x->now_usec); /* the throttle window, in the entries' time */
  else if (x->capture)
    x->capture(x->capture_opaque,
                   &(struct lr_captured){.action = "action_email", .subject = subject,
                                         .subject_len = subject_len,
                                         .message = s->rendered.data, .message_len = body_len});
  return LR_PASS;
}

static const struct lr_arg_decl email_args[] = {
  {"message", LR_ARG_STRING, true}, {"subject", LR_ARG_STRING, false}, {NULL}};

const struct lr_step_type lr_step_email = {"action_email", false, email_compile, email_run,
                                           email_free, email_args, NULL};

struct report_step {
  struct lr_template *message;
  lr_field_id hostname; /* _HOSTNAME: the report's host sections */
  enum lr_report_level level;
  enum lr_report_details details;
  struct lr_buf rendered;
};

static void report_free(void *data)
{
  struct report_step *s = data;
  lr_template_free(s->message);
  lr_buf_free(&s->rendered);
  free(s);
}

static int report_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                          size_t errlen)
{
  const char *level, *details;
  if (need_recipient(cc, err, errlen) < 0 ||
      lr_arg_string(args, "level", &level, err, errlen) < 0 ||
      lr_arg_string(args, "details", &details, err, errlen) < 0)
    return -1;
  int l = lr_report_level_parse(level), d = details ? lr_report_details_parse(details) : 0;
  if (l < 0) {
    snprintf(err, errlen, "unknown level '%s' (WARN, INFO, OTHER)", level);
    return -1;
  }
  if (d < 0) {
    snprintf(err, errlen, "unknown details '%s' (ALL, NONE, FIRST, LAST, FIRSTLAST)", details);
    return -1;
  }
  struct report_step *s = lr_xcalloc(1, sizeof(*s));
  s->level = (enum lr_report_level)l;
  s->details = details ? (enum lr_report_details)d : LR_DETAILS_ALL;
  s->hostname = lr_fields_intern("_HOSTNAME", 9);
  if (compile_template(args, "message", &s->message, err, errlen) < 0) {
    report_free(s);
    return -1;
  }
  *data = s;
  return 0;
}

static enum lr_verdict report_run(void *data, struct lr_exec *x)
{
  struct report_step *s = data;
  lr_buf_clear(&x->scratch);
  lr_buf_clear(&s->rendered);
  if (lr_template_render(s->message, x->entry, &x->scratch, x->err, sizeof(x->err)) < 0)
    return LR_ERROR;
  clean_text(&s->rendered, x->scratch.data, x->scratch.len);
  size_t len = s->rendered.len;
  const struct lr_value *host = lr_entry_get(x->entry, s->hostname);
  if (host && host->type == LR_VAL_STR)
    clean_text(&s->rendered, host->str, host->len);
  if (x->svc && x->svc->notify)
    /* the entry's own time, not "now": the report shows when each event
     * happened, and entries may come out of order */
    lr_notify_report(x->svc->notify, s->level, s->details, lr_entry_time_usec(x->entry),
                     s->rendered.data, len, s->rendered.data + len, s->rendered.len - len);
  else if (x->capture)
    x->capture(x->capture_opaque,
                   &(struct lr_captured){.action = "action_dailyReport",
                                         .level = lr_report_level_name(s->level),
                                         .details = lr_report_details_name(s->details),
                                         .message = s->rendered.data,
                                         .message_len = len});
  return LR_PASS;
}

static const struct lr_arg_decl report_args[] = {{"level", LR_ARG_STRING, true},
                                                 {"message", LR_ARG_STRING, true},
                                                 {"details", LR_ARG_STRING, false},
                                                 {NULL}};

const struct lr_step_type lr_step_daily_report = {"action_dailyReport", false, report_compile,
                                                  report_run, report_free, report_args, NULL};
