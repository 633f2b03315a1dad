/* pyruse.json front-end: an unchanged Pyruse configuration read into rules.h
 * form, and the errors a user sees for malformed files. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/log.h"
#include "rules/pyruse_json.h"
#include "rules/rules.h"
#include "rules/settings.h"
#include "rules/workflow.h"

static char dir[64];

/* Writes text to dir/name; returns the path (static buffer, one at a time). */
static const char *write_file(const char *name, const char *text)
{
  static char path[256];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
  return path;
}

static struct lr_rules *load(const char *name, const char *text, char *err, size_t errlen)
{
  err[0] = '\0';
  return lr_pyruse_json_load(write_file(name, text), err, errlen);
}

static bool starts_with(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_valid(void)
{
  char err[512];
  /* chain order is file order (not sorted); settings other than actions are kept */
  struct lr_rules *r = load("valid.json",
    "{\n"
    "  \"debug\": true,\n"
    "  \"storage\": \"/tmp/pyruse-test\",\n"
    "  \"8bit-message-encoding\": \"cp1252\",\n"
    "  \"email\": {\"from\": \"pyruse@example.org\", \"to\": [\"a@example.org\"],\n"
    "            \"subject\": \"Hi\", \"sendmail\": [\"/bin/true\"]},\n"
    "  \"actions\": {\n"
    "    \"Zulu\": [\n"
    "      {\"filter\": \"filter_equals\", \"args\": {\"field\": \"SYSLOG_IDENTIFIER\", \"value\": \"sshd\"},\n"
    "       \"then\": \"Mike\", \"else\": \"Alpha\"}\n"
    "    ],\n"
    "    \"Alpha\": [\n"
    "      {\"filter\": \"filter_pcre\", \"args\": {\"field\": \"MESSAGE\", \"re\": \"^x(y)\", \"save\": [\"why\"]}},\n"
    "      {\"action\": \"action_noop\", \"then\": \"Mike\"},\n"
    "      {\"action\": \"action_log\", \"args\": {\"message\": \"never\"}}\n"
    "    ],\n"
    "    \"Mike\": [\n"
    "      {\"filter\": \"filter_in\", \"args\": {\"field\": \"PRIORITY\", \"values\": [1, 2, \"3\"]}},\n"
    "      {\"action\": \"action_noop\"}\n"
    "    ],\n"
    "    \"Bravo\": []\n"
    "  },\n"
    "  \"nftBan\": {\"nft\": [\"/usr/sbin/nft\"]}\n"
    "}\n",
    err, sizeof(err));
  CHECK_STR(err, "");
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK(strstr(r->source, "valid.json") != NULL);
  CHECK_INT(r->nchains, 4);
  if (r->nchains == 4) {
    CHECK_STR(r->chains[0].label, "Zulu");
    CHECK_STR(r->chains[1].label, "Alpha");
    CHECK_STR(r->chains[2].label, "Mike");
    CHECK_STR(r->chains[3].label, "Bravo");
    CHECK_INT(r->chains[0].nsteps, 1);
    CHECK_INT(r->chains[1].nsteps, 3);
    CHECK_INT(r->chains[2].nsteps, 2);
    CHECK_INT(r->chains[3].nsteps, 0);

    const struct lr_rule_step *s = &r->chains[0].steps[0];
    CHECK_STR(s->type, "filter_equals");
    CHECK(lr_rule_step_is_filter(s));
    CHECK_STR(s->then_label, "Mike");
    CHECK_STR(s->else_label, "Alpha");
    CHECK_STR(s->origin, "Zulu[0]");
    json_t *want = json_pack("{s:s, s:s}", "field", "SYSLOG_IDENTIFIER", "value", "sshd");
    CHECK(json_equal(s->args, want));
    json_decref(want);

    s = &r->chains[1].steps[0];
    CHECK_STR(s->type, "filter_pcre");
    CHECK(s->then_label == NULL && s->else_label == NULL);
    want = json_pack("{s:s, s:s, s:[s]}", "field", "MESSAGE", "re", "^x(y)", "save", "why");
    CHECK(json_equal(s->args, want));
    json_decref(want);
    s = &r->chains[1].steps[1];
    CHECK_STR(s->type, "action_noop");
    CHECK(!lr_rule_step_is_filter(s));
    CHECK_STR(s->then_label, "Mike");
    CHECK(json_is_object(s->args) && json_object_size(s->args) == 0); /* no args: {} */
    CHECK_STR(s->origin, "Alpha[1]");
    CHECK_STR(r->chains[1].steps[2].origin, "Alpha[2]");

    s = &r->chains[2].steps[0];
    want = json_pack("{s:s, s:[i, i, s]}", "field", "PRIORITY", "values", 1, 2, "3");
    CHECK(json_equal(s->args, want));
    json_decref(want);
  }
  /* settings: everything but "actions", values as written */
  CHECK(json_object_get(r->settings, "actions") == NULL);
  CHECK(json_is_true(json_object_get(r->settings, "debug")));
  CHECK_STR(json_string_value(json_object_get(r->settings, "storage")), "/tmp/pyruse-test");
  CHECK_STR(json_string_value(json_object_get(r->settings, "8bit-message-encoding")), "cp1252");
  json_t *email = json_object_get(r->settings, "email");
  CHECK_STR(json_string_value(json_object_get(email, "from")), "pyruse@example.org");
  CHECK_STR(json_string_value(json_array_get(json_object_get(email, "to"), 0)), "a@example.org");
  CHECK(json_is_object(json_object_get(r->settings, "nftBan")));
  CHECK_INT(json_object_size(r->settings), 5);

  /* the settings take the charset from these settings ("debug" has no effect:
   * step errors always name the step), and, as for any pyruse.json, Pyruse's
   * email names: subject is the report's */
  struct lr_settings rt;
  lr_settings_init(&rt, "Pyruse");
  CHECK_INT(lr_settings_configure(&rt, r->settings, err, sizeof(err)), 0);
  CHECK(rt.msg_charset != NULL);
  CHECK_STR(rt.mail.report_subject, "Hi");
  CHECK_STR(rt.mail.alert_subject, "Pyruse Notification");

  /* the empty chain is refused when linking */
  struct lr_compile_ctx cc = {.settings = &rt};
  err[0] = '\0';
  struct lr_workflow *wf = lr_workflow_build(r, &cc, err, sizeof(err));
  CHECK(wf == NULL);
  CHECK(strstr(err, "'Bravo'") != NULL && strstr(err, "empty") != NULL);
  lr_workflow_free(wf);
  lr_settings_free(&rt);
  lr_rules_free(r);
}

static void test_builds(void)
{
  char err[512];
  struct lr_rules *r = load("builds.json",
    "{\"actions\": {\n"
    "  \"SSH\": [\n"
    "    {\"filter\": \"filter_equals\", \"args\": {\"field\": \"SYSLOG_IDENTIFIER\", \"value\": \"sshd\"}},\n"
    "    {\"filter\": \"filter_pcre\", \"args\": {\"field\": \"MESSAGE\", \"re\": \"from (?P<ip>\\\\S+)\"},\n"
    "     \"then\": \"Ban\"}\n"
    "  ],\n"
    "  \"Rest\": [{\"action\": \"action_noop\"}],\n"
    "  \"Ban\": [{\"action\": \"action_noop\"}]\n"
    "}}\n",
    err, sizeof(err));
  CHECK_STR(err, "");
  if (!r)
    return;
  struct lr_settings rt;
  lr_settings_init(&rt, "luruse");
  struct lr_compile_ctx cc = {.settings = &rt};
  struct lr_workflow *wf = lr_workflow_build(r, &cc, err, sizeof(err));
  CHECK_STR(err, "");
  CHECK(wf != NULL);
  if (wf) {
    CHECK_INT(wf->nnodes, 4);
    CHECK_STR(wf->first->step->chain, "SSH");
    /* SSH[1] passes to Ban, fails to Rest; SSH[0] fails to Rest */
    const struct lr_node *ssh1 = wf->first->on_pass;
    CHECK_STR(ssh1->step->chain, "SSH");
    CHECK_STR(ssh1->on_pass->step->chain, "Ban");
    CHECK_STR(ssh1->on_fail->step->chain, "Rest");
    CHECK_STR(wf->first->on_fail->step->chain, "Rest");
    CHECK(ssh1->on_pass->on_pass == NULL);
  }
  lr_workflow_free(wf);
  lr_settings_free(&rt);
  lr_rules_free(r);
}

struct bad_case {
  const char *name, *text;
  const char *err_prefix; /* after "DIR/name" */
  const char *err_has;
};

static const struct bad_case bad[] = {
  /* syntax errors: file:line:column */
  {"syntax1.json", "{\n  \"actions\": {\n    \"A\": [ {\"action\": \"action_noop\"} }\n  }\n}\n",
   ":3:", NULL},
  {"syntax2.json", "{\"actions\": {\"A\": []},}", ":1:", NULL},
  {"syntax3.json", "{\n\n\n  \"actions\": {\"A\": [\n    {\"action\": 'action_noop'}\n]}}\n", ":5:",
   NULL},
  {"empty.json", "", ":", NULL},
  {"utf8.json", "{\"actions\": {\"caf\xe9\": []}}", ":1:", NULL},
  /* structure */
  {"array.json", "[1, 2]", ": ", "\"actions\""},
  {"noactions.json", "{\"debug\": true}", ": ", "\"actions\""},
  {"actionslist.json", "{\"actions\": [1]}", ": ", "\"actions\""},
  {"chainobj.json", "{\"actions\": {\"A\": {\"action\": \"action_noop\"}}}", ": ", "chain 'A'"},
  /* steps: label[index] */
  {"nostep.json", "{\"actions\": {\"A\": [{\"action\": \"action_noop\"}, {\"args\": {}}]}}", NULL,
   "A[1]: a step needs exactly one of \"filter\" or \"action\""},
  {"both.json",
   "{\"actions\": {\"A\": [{\"filter\": \"filter_equals\", \"action\": \"action_noop\"}]}}", NULL,
   "A[0]: a step needs exactly one of"},
  {"notstring.json", "{\"actions\": {\"A\": [{\"filter\": 3}]}}", NULL, "A[0]: a step needs"},
  {"notobject.json", "{\"actions\": {\"B\": [{\"action\": \"action_noop\"}, \"action_noop\"]}}", NULL,
   "B[1]: a step must be an object"},
  {"kind.json", "{\"actions\": {\"A\": [{\"filter\": \"action_noop\"}]}}", NULL,
   "A[0]: 'action_noop' is not a filter"},
  {"kind2.json", "{\"actions\": {\"A\": [{\"action\": \"filter_equals\"}]}}", NULL,
   "A[0]: 'filter_equals' is not an action"},
  {"args.json", "{\"actions\": {\"A\": [{\"action\": \"action_noop\", \"args\": [1]}]}}", NULL,
   "A[0]: \"args\" must be an object"},
  {"then.json",
   "{\"actions\": {\"A\": [{\"action\": \"action_noop\"}, {\"action\": \"action_noop\", \"then\": 3}]}}",
   NULL, "A[1]: \"then\" and \"else\" must name a chain"},
  {"then2.json", "{\"actions\": {\"A\": [{\"action\": \"action_noop\", \"then\": [\"B\"]}]}}", NULL,
   "A[0]: \"then\""},
  {"else.json", "{\"actions\": {\"A\": [{\"filter\": \"filter_equals\", \"else\": null}]}}", NULL,
   "A[0]: \"then\" and \"else\" must name a chain"},
};

static void test_bad(void)
{
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    const struct bad_case *c = &bad[i];
    char err[512], prefix[300];
    struct lr_rules *r = load(c->name, c->text, err, sizeof(err));
    bool ok = r == NULL;
    if (c->err_prefix) {
      snprintf(prefix, sizeof(prefix), "%s/%s%s", dir, c->name, c->err_prefix);
      ok = ok && starts_with(err, prefix);
    }
    if (c->err_has)
      ok = ok && strstr(err, c->err_has) != NULL;
    if (!ok)
      fprintf(stderr, "bad case %s: got \"%s\"\n", c->name, err);
    CHECK(ok);
    lr_rules_free(r);
  }

  /* the column is given too: line 3, column of the stray '}' (jansson counts from 1) */
  char err[512];
  struct lr_rules *r = load("col.json", "{\n\"actions\": {\n\"A\": [}\n}}\n", err, sizeof(err));
  char want[300];
  snprintf(want, sizeof(want), "%s/col.json:3:7:", dir);
  CHECK(r == NULL && starts_with(err, want));
  if (!starts_with(err, want))
    fprintf(stderr, "col.json: got \"%s\"\n", err);

  /* a missing file names the path */
  r = lr_pyruse_json_load("/nonexistent/pyruse.json", err, sizeof(err));
  CHECK(r == NULL && strstr(err, "/nonexistent/pyruse.json") != NULL);
}

/* Steps that load but cannot be compiled: reported by lr_workflow_build with
 * the chain label and index. */
static void test_build_errors(void)
{
  struct {
    const char *name, *text, *want_prefix, *not_has;
  } cases[] = {
    {"unknown.json",
     "{\"actions\": {\"SSH\": [{\"filter\": \"filter_equals\", \"args\": {\"field\": \"A\", \"value\": 1}},\n"
     " {\"filter\": \"filter_nope\", \"args\": {}}]}}",
     "SSH[1]: unknown step 'filter_nope'", NULL},
    {"unknownaction.json", "{\"actions\": {\"A\": [{\"action\": \"action_teleport\"}]}}",
     "A[0]: unknown step 'action_teleport'", NULL},
    {"email.json",
     "{\"actions\": {\"Mail\": [{\"action\": \"action_noop\", \"then\": \"Send\"}],\n"
     " \"Send\": [{\"action\": \"action_email\", \"args\": {\"message\": \"hi\"}}]}}",
     "Send[0]: action_email: no recipient: set email.to", "unknown"},
    {"nft.json", "{\"actions\": {\"Ban\": [{\"action\": \"action_nftBan\", \"args\": {}}]}}",
     "Ban[0]: action_nftBan", "unknown"},
    {"badargs.json",
     "{\"actions\": {\"A\": [{\"action\": \"action_noop\"}], \"B\": [{\"filter\": \"filter_pcre\", "
     "\"args\": {\"field\": \"MESSAGE\", \"re\": \"(\"}}]}}",
     "B[0]: ", NULL},
    {"loop.json",
     "{\"actions\": {\"A\": [{\"filter\": \"filter_equals\", \"args\": {\"field\": \"X\", \"value\": 1}, "
     "\"then\": \"B\"}], \"B\": [{\"action\": \"action_noop\", \"then\": \"A\"}]}}",
     "chain '", NULL},
    {"nolabel.json",
     "{\"actions\": {\"A\": [{\"filter\": \"filter_equals\", \"args\": {\"field\": \"X\", \"value\": 1}, "
     "\"else\": \"Nope\"}]}}",
     "chain 'A' step 0: jump to unknown chain 'Nope'", NULL},
    /* found by fuzz_pyruse_json: a whole number beyond int64 was cast (undefined) */
    {"huge.json",
     "{\"actions\": {\"A\": [{\"filter\": \"filter_lowerOrEquals\", \"args\": {\"field\": "
     "\"PRIORITY\", \"value\": 66666666666666666666666666666666666666666666.6}}]}}",
     "A[0]: filter_lowerOrEquals: a number must be an integer between -2^63 and 2^63-1", NULL},
    {"huge2.json",
     "{\"actions\": {\"A\": [{\"filter\": \"filter_equals\", \"args\": {\"field\": "
     "\"PRIORITY\", \"value\": -9.3e18}}]}}",
     "A[0]: filter_equals: a number must be an integer between -2^63 and 2^63-1", NULL},
  };
  struct lr_settings rt;
  lr_settings_init(&rt, "luruse");
  struct lr_compile_ctx cc = {.settings = &rt};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char err[512];
    struct lr_rules *r = load(cases[i].name, cases[i].text, err, sizeof(err));
    CHECK(r != NULL);
    if (!r) {
      fprintf(stderr, "%s: %s\n", cases[i].name, err);
      continue;
    }
    err[0] = '\0';
    struct lr_workflow *wf = lr_workflow_build(r, &cc, err, sizeof(err));
    bool ok = wf == NULL && starts_with(err, cases[i].want_prefix) &&
              (!cases[i].not_has || !strstr(err, cases[i].not_has));
    if (!ok)
      fprintf(stderr, "build case %s: got \"%s\"\n", cases[i].name, err);
    CHECK(ok);
    lr_workflow_free(wf);
    lr_rules_free(r);
  }
  lr_settings_free(&rt);
}

/* JSON details Pyruse (Python's json) accepts. */
static void test_json_details(void)
{
  char err[512];
  /* a duplicate chain key: Python keeps the last value at the first key's place */
  struct lr_rules *r = load("dup.json",
    "{\"actions\": {\"A\": [{\"action\": \"action_noop\"}], \"B\": [{\"action\": \"action_noop\"}],\n"
    " \"A\": [{\"action\": \"action_log\", \"args\": {\"message\": \"second\"}}]}}",
    err, sizeof(err));
  CHECK(r != NULL);
  if (r) {
    CHECK_INT(r->nchains, 2);
    CHECK_STR(r->chains[0].label, "A");
    CHECK_STR(r->chains[0].steps[0].type, "action_log");
    lr_rules_free(r);
  }
  /* \u escapes, NUL included, in values and labels */
  r = load("escapes.json",
    "{\"actions\": {\"caf\\u00e9\": [{\"filter\": \"filter_equals\", "
    "\"args\": {\"field\": \"F\", \"value\": \"a\\u0000b\"}, \"then\": \"\\u00e9\"}], "
    "\"\\u00e9\": [{\"action\": \"action_noop\"}]}}",
    err, sizeof(err));
  CHECK(r != NULL);
  if (r) {
    CHECK_STR(r->chains[0].label, "caf\xc3\xa9");
    CHECK_STR(r->chains[0].steps[0].then_label, "\xc3\xa9");
    CHECK_INT(json_string_length(json_object_get(r->chains[0].steps[0].args, "value")), 3);
    lr_rules_free(r);
  }
}

int main(void)
{
  lr_log_to_stderr(true);
  snprintf(dir, sizeof(dir), "/tmp/luruse-test-pyruse-XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 2;
  }
  test_valid();
  test_builds();
  test_bad();
  test_build_errors();
  test_json_details();
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", dir);
  return check_done();
}
