/* The "email" settings: subjects as Pyruse has them for a pyruse.json, named
 * for what they set in Lua rules; addresses checked at load time. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "check.h"
#include "notify/mail_config.h"

/* Parses the JSON settings for product; returns 0 or -1, error text in err. */
static int parse(struct lr_mail_config *c, const char *product, const char *json, char *err,
                 size_t errlen)
{
  lr_mail_config_init(c, product);
  json_error_t je;
  json_t *settings = json_loads(json, 0, &je);
  if (!settings) {
    fprintf(stderr, "bad test JSON %s: %s\n", json, je.text);
    err[0] = '\0';
    return -2;
  }
  err[0] = '\0';
  int rc = lr_mail_config_parse(c, settings, err, errlen);
  json_decref(settings);
  return rc;
}

static char subject_buf[512];

static const char *report_subject(const struct lr_mail_config *c)
{
  struct lr_buf b = {0};
  lr_mail_config_report_subject(c, "2026-03-10", &b);
  snprintf(subject_buf, sizeof(subject_buf), "%s", b.data ? b.data : "");
  lr_buf_free(&b);
  return subject_buf;
}

static void test_subjects(void)
{
  struct lr_mail_config c;
  char err[512];

  /* pyruse.json: Pyruse's defaults; email.subject is the report's, as written */
  CHECK_INT(parse(&c, "Pyruse", "{}", err, sizeof(err)), 0);
  CHECK_STR(report_subject(&c), "Pyruse Report");
  CHECK_STR(c.alert_subject, "Pyruse Notification");
  lr_mail_config_free(&c);
  CHECK_INT(parse(&c, "Pyruse", "{\"email\": {\"subject\": \"Daily digest\"}}", err,
                  sizeof(err)), 0);
  CHECK_STR(report_subject(&c), "Daily digest");
  CHECK_STR(c.alert_subject, "Pyruse Notification"); /* never email.subject */
  CHECK_STR(c.report_title, "Pyruse Report");
  lr_mail_config_free(&c);
  /* Lua names are not Pyruse's */
  CHECK_INT(parse(&c, "Pyruse", "{\"email\": {\"alertSubject\": \"x\"}}", err, sizeof(err)), -1);
  CHECK(strstr(err, "unknown setting 'email.alertSubject'") != NULL);
  lr_mail_config_free(&c);

  /* Lua rules: the day follows the title; names say what they set */
  CHECK_INT(parse(&c, "luruse", "{}", err, sizeof(err)), 0);
  CHECK_STR(report_subject(&c), "luruse Report 2026-03-10");
  CHECK_STR(c.alert_subject, "luruse Notification");
  lr_mail_config_free(&c);
  CHECK_INT(parse(&c, "luruse", "{\"email\": {\"reportTitle\": \"Mail server\"}}", err,
                  sizeof(err)), 0);
  CHECK_STR(report_subject(&c), "Mail server 2026-03-10");
  lr_mail_config_free(&c);
  CHECK_INT(parse(&c, "luruse",
                  "{\"email\": {\"alertSubject\": \"Alert\", \"reportSubject\": \"Digest\"}}",
                  err, sizeof(err)), 0);
  CHECK_STR(report_subject(&c), "Digest 2026-03-10");
  CHECK_STR(c.alert_subject, "Alert");
  lr_mail_config_free(&c);
  CHECK_INT(parse(&c, "luruse", "{\"email\": {\"subject\": \"Which?\"}}", err, sizeof(err)), -1);
  CHECK(strstr(err, "'email.subject' is ambiguous") != NULL);
  CHECK(strstr(err, "email.alertSubject") != NULL && strstr(err, "email.reportSubject") != NULL);
  lr_mail_config_free(&c);
}

static void test_addresses(void)
{
  struct lr_mail_config c;
  char err[512];
  static const struct {
    const char *email, *error; /* error NULL: accepted */
  } cases[] = {
    {"{\"to\": [\"admin@example.org\"]}", NULL},
    {"{\"to\": \"admin@example.org\"}", NULL},
    {"{\"to\": [\"J\u00e9r\u00f4me <j@example.org>\"], \"from\": \"Lur\u00fbse <l@x.org>\"}",
     NULL},
    {"{\"to\": [\"ops@xn--bcher-kva.example\"]}", NULL},
    {"{\"to\": [\"a@example.org\", \"   \"]}", "setting 'email.to' has no address"},
    {"{\"to\": [\" \"]}", "setting 'email.to' has no address"},
    {"{\"to\": [\"Ops <  >\"]}", "setting 'email.to' has no address"},
    {"{\"to\": [\"<>\"]}", "setting 'email.to' has no address"},
    {"{\"to\": [\"\"]}", "setting 'email.to' must be a non-empty string"},
    {"{\"from\": \"    \"}", "setting 'email.from' has no address"},
    {"{\"to\": [\"j\u00e9r\u00f4me@example.org\"]}",
     "setting 'email.to': the address \"j\xc3\xa9r\xc3\xb4me@example.org\" is not ASCII"},
    {"{\"to\": [\"ops@b\u00fccher.example\"]}", "xn-- form"},
    {"{\"to\": [\"J\u00e9r\u00f4me <j\u00e9@example.org>\"]}", "is not ASCII"},
    {"{\"from\": \"l\u00fbruse@example.org\"}", "setting 'email.from': the address"},
    {"{\"to\": [\"a@example.org\\nBcc: x@y\"]}", "control character"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char json[512];
    snprintf(json, sizeof(json), "{\"email\": %s}", cases[i].email);
    int rc = parse(&c, "luruse", json, err, sizeof(err));
    if (cases[i].error) {
      CHECK_INT(rc, -1);
      if (!strstr(err, cases[i].error))
        fprintf(stderr, "case %zu: error \"%s\" lacks \"%s\"\n", i, err, cases[i].error);
      CHECK(strstr(err, cases[i].error) != NULL);
    } else {
      if (rc != 0)
        fprintf(stderr, "case %zu: %s\n", i, err);
      CHECK_INT(rc, 0);
    }
    lr_mail_config_free(&c);
  }

  /* RFC 5321: at most 254 bytes between the brackets (a longer address
   * would also make a header line longer than 998 bytes) */
  char addr[300], json[400];
  memset(addr, 'a', 254);
  addr[64] = '@';
  addr[254] = '\0';
  snprintf(json, sizeof(json), "{\"email\": {\"to\": [\"Ops <%s>\"]}}", addr);
  CHECK_INT(parse(&c, "luruse", json, err, sizeof(err)), 0);
  lr_mail_config_free(&c);
  strcpy(addr + 254, "a");
  snprintf(json, sizeof(json), "{\"email\": {\"from\": \"%s\"}}", addr);
  CHECK_INT(parse(&c, "luruse", json, err, sizeof(err)), -1);
  CHECK(strstr(err, "setting 'email.from': the address \"aaaa") != NULL);
  CHECK(strstr(err, "is 255 bytes long; SMTP allows at most 254") != NULL);
  lr_mail_config_free(&c);
}

/* The report's rows and time format: checked at load time, misspelt = error. */
static void test_report_settings(void)
{
  struct lr_mail_config c;
  char err[512];
  CHECK_INT(parse(&c, "luruse", "{}", err, sizeof(err)), 0);
  CHECK_INT(c.report_rows, 200);
  CHECK(c.report_time_format == NULL);
  lr_mail_config_free(&c);
  CHECK_INT(parse(&c, "luruse", "{\"email\": {\"reportRows\": 30, \"reportTimeFormat\": "
                  "\"%d/%m %H:%M:%S.%f\"}}", err, sizeof(err)), 0);
  CHECK_INT(c.report_rows, 30);
  CHECK_STR(c.report_time_format, "%d/%m %H:%M:%S.%f");
  lr_mail_config_free(&c);
  CHECK_INT(parse(&c, "Pyruse", "{\"email\": {\"reportRows\": 5}}", err, sizeof(err)), 0);
  lr_mail_config_free(&c);
  static const struct {
    const char *json, *err;
  } bad[] = {
    {"{\"email\": {\"reportRows\": 0}}", "'email.reportRows' must be a number of rows (1 to 100000)"},
    {"{\"email\": {\"reportRows\": \"20\"}}", "'email.reportRows' must be"},
    {"{\"email\": {\"reportRows\": 100001}}", "'email.reportRows' must be"},
    {"{\"email\": {\"reportRow\": 20}}", "unknown setting 'email.reportRow'"},
    {"{\"email\": {\"reportTimeFormat\": \"\"}}", "'email.reportTimeFormat' must be a non-empty"},
    {"{\"email\": {\"reportTimeFormat\": 3}}", "'email.reportTimeFormat' must be a non-empty"},
    {"{\"email\": {\"reportTimeFormat\": \"%H\\n\"}}", "control character"},
    {"{\"email\": {\"reportTimeFormat\": \"%c %c %c %c %c %c\"}}", "gives an empty or too long time"},
    {"{\"email\": {\"reportTimeFormat\": \"%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y\"}}",
     "1 to 64 characters"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
    CHECK_INT(parse(&c, "luruse", bad[i].json, err, sizeof(err)), -1);
    if (!strstr(err, bad[i].err))
      fprintf(stderr, "case %zu: %s\n", i, err);
    CHECK(strstr(err, bad[i].err) != NULL);
    lr_mail_config_free(&c);
  }
}

int main(void)
{
  test_subjects();
  test_report_settings();
  test_addresses();
  return check_done();
}
