/* The engine with rules built in C: the "now" it hands to steps, a reload that
 * keeps the services, and expiry driven by that now. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "state/counters.h"
#include "state/dnat.h"
#include "rules/engine.h"
#include "input/fields.h"
#include "util/log.h"
#include "rules/rules.h"
#include "rules/ruleset.h"
#include "rules/services.h"
#include "rules/workflow.h"

#define S ((int64_t)1000000)
static const int64_t T0 = 1773136800 * S; /* 2026-03-10 10:00:00 UTC */

static int64_t fake_wall;
static int64_t wall(void) { return fake_wall; }

static lr_field_id fid(const char *name) { return lr_fields_intern(name, strlen(name)); }

/* A C custom action that remembers the now it was given. */
static int64_t seen_now;
static enum lr_verdict remember_now(void *data, struct lr_exec *x)
{
  (void)data;
  seen_now = x->now_usec;
  return LR_PASS;
}

static int c_compile(void *opaque, int ref, bool is_filter, void **data,
                     enum lr_verdict (**run)(void *, struct lr_exec *),
                     void (**free_data)(void *), char *err, size_t errlen)
{
  (void)opaque, (void)ref, (void)is_filter, (void)err, (void)errlen;
  *data = NULL;
  *run = remember_now;
  *free_data = NULL;
  return 0;
}

/* Counters and mappings only, as luruse.so's workflow has them. */
static void services_init(struct lr_services *svc)
{
  memset(svc, 0, sizeof(*svc));
  svc->dnat = lr_dnat_new();
  svc->counters = lr_counters_new();
}

static void services_free(struct lr_services *svc)
{
  lr_dnat_free(svc->dnat);
  lr_counters_free(svc->counters);
}

/* One chain: counterRaise("c", for k, keepSeconds, save n), then the C step. */
static struct lr_ruleset *ruleset(struct lr_services *svc, long long keep)
{
  struct lr_rules *r = lr_rules_new("test");
  struct lr_rule_chain *c = lr_rules_add_chain(r, "C", NULL);
  lr_rules_add_step(c, "action_counterRaise",
                    json_pack("{s:s, s:s, s:I, s:s}", "counter", "c", "for", "k", "keepSeconds",
                              (json_int_t)keep, "save", "n"),
                    NULL, NULL, NULL);
  struct lr_rule_step *s = lr_rules_add_step(c, LR_STEP_CUSTOM_ACTION, NULL, NULL, NULL, NULL);
  s->custom_ref = 1;
  char err[512] = "";
  struct lr_ruleset *rs = lr_ruleset_new("test.c", r, NULL, NULL, "luruse", err, sizeof(err));
  CHECK_STR(err, "");
  if (!rs)
    return NULL;
  rs->custom.custom_compile = c_compile;
  CHECK_INT(lr_ruleset_compile(rs, svc, err, sizeof(err)), 0);
  CHECK_STR(err, "");
  return rs;
}

/* Runs one entry (realtime -1: none) with k = key; returns the count saved in n. */
static long long run(struct lr_engine *eng, int64_t realtime, const char *key)
{
  lr_entry_begin(&eng->entry, realtime, NULL, NULL);
  lr_entry_set_str(&eng->entry, fid("k"), key, strlen(key));
  lr_engine_process(eng);
  const struct lr_value *n = lr_entry_get(&eng->entry, fid("n"));
  return n && n->type == LR_VAL_INT ? n->num : -1;
}

static void test_now_given_to_steps(void)
{
  struct lr_services svc;
  services_init(&svc);
  struct lr_engine eng;
  lr_engine_init(&eng, &svc, NULL, true);
  eng.clock.wall_usec = wall;
  fake_wall = T0 + 3600 * S;
  struct lr_ruleset *rs = ruleset(&svc, 0);
  CHECK(lr_engine_swap(&eng, rs) == NULL);

  run(&eng, T0, "a");
  CHECK_INT(seen_now, T0);
  run(&eng, T0 + 10 * S, "a");
  CHECK_INT(seen_now, T0 + 10 * S);
  run(&eng, T0 + 2 * S, "a"); /* an older entry: the clock does not go back */
  CHECK_INT(seen_now, T0 + 10 * S);
  run(&eng, -1, "a");         /* no timestamp: the wall clock */
  CHECK_INT(seen_now, fake_wall);
  /* far ahead of the wall: clamped, and a leap not believed yet; the clock
   * stays, but the entry's own steps run at its (clamped) time */
  run(&eng, fake_wall + 3600 * S, "a");
  CHECK_INT(seen_now, fake_wall + LR_CLOCK_FUTURE_ALLOWANCE_USEC);
  CHECK_INT(eng.clock.now_usec, T0 + 10 * S);
  run(&eng, T0 + 11 * S, "a"); /* the stream goes on where it was */
  CHECK_INT(seen_now, T0 + 11 * S);
  CHECK_INT(eng.entries, 6);

  lr_engine_free(&eng);
  lr_ruleset_free(rs);
  services_free(&svc);
}

static void test_reload_keeps_services(void)
{
  struct lr_services svc;
  services_init(&svc);
  struct lr_engine eng;
  lr_engine_init(&eng, &svc, NULL, true);
  struct lr_ruleset *a = ruleset(&svc, 0);
  lr_engine_swap(&eng, a);
  CHECK_INT(run(&eng, T0, "x"), 1);
  CHECK_INT(run(&eng, T0 + S, "x"), 2);

  struct lr_ruleset *b = ruleset(&svc, 0); /* a reload: the same services */
  CHECK(lr_engine_swap(&eng, b) == a);
  lr_ruleset_free(a);
  CHECK(eng.svc == &svc && eng.exec.svc == &svc);
  CHECK(eng.exec.settings == &b->settings);
  CHECK_INT(run(&eng, T0 + 2 * S, "x"), 3); /* the count went on */
  CHECK_INT(run(&eng, T0 + 3 * S, "y"), 1);

  lr_engine_free(&eng);
  lr_ruleset_free(b);
  services_free(&svc);
}

static void test_expiry_follows_now(void)
{
  struct lr_services svc;
  services_init(&svc);
  struct lr_engine eng;
  lr_engine_init(&eng, &svc, NULL, true);
  struct lr_ruleset *rs = ruleset(&svc, 10);
  lr_engine_swap(&eng, rs);
  CHECK_INT(run(&eng, T0, "a"), 1);
  CHECK_INT(run(&eng, T0 + 5 * S, "a"), 2);
  CHECK_INT(run(&eng, T0 + 11 * S, "a"), 2); /* the tick of T0 expired at T0 + 10 */
  /* an entry stamped T0 + 1 after the clock reached T0 + 11 counts at the
   * clock's now: its tick is alive, not expired on arrival */
  CHECK_INT(run(&eng, T0 + 1 * S, "a"), 3);
  CHECK_INT(run(&eng, T0 + 16 * S, "a"), 3); /* T0 + 5's tick expired, three live */
  CHECK_INT(run(&eng, T0 + 30 * S, "a"), 1); /* all ticks expired */
  lr_engine_free(&eng);
  lr_ruleset_free(rs);
  services_free(&svc);
}

/* Steps compiled against the services: mappings live and die by the engine's now. */
static void test_dnat_by_now(void)
{
  struct lr_services svc;
  services_init(&svc);
  struct lr_rules *r = lr_rules_new("test");
  struct lr_rule_chain *c = lr_rules_add_chain(r, "D", NULL);
  lr_rules_add_step(c, "action_dnatCapture",
                    json_pack("{s:s, s:s, s:I}", "saddr", "client", "addr", "proxy",
                              "keepSeconds", (json_int_t)60),
                    NULL, NULL, NULL);
  lr_rules_add_step(c, "action_dnatReplace",
                    json_pack("{s:s, s:s}", "addr", "seen", "saddrInto", "real"), NULL, NULL,
                    NULL);
  char err[512] = "";
  struct lr_ruleset *rs = lr_ruleset_new("dnat.c", r, NULL, NULL, "luruse", err, sizeof(err));
  CHECK(rs != NULL);
  if (!rs)
    return;
  CHECK_INT(lr_ruleset_compile(rs, &svc, err, sizeof(err)), 0);
  CHECK_STR(err, "");
  struct lr_engine eng;
  lr_engine_init(&eng, &svc, NULL, true);
  lr_engine_swap(&eng, rs);
  const char *real = NULL;
  for (int i = 0; i < 3; i++) {
    static const int64_t at[] = {0, 30, 400}; /* capture, lookup, lookup once dead */
    lr_entry_begin(&eng.entry, T0 + at[i] * S, NULL, NULL);
    if (i == 0) {
      lr_entry_set_str(&eng.entry, fid("client"), "192.0.2.7", 9);
      lr_entry_set_str(&eng.entry, fid("proxy"), "10.0.0.1", 8);
    }
    lr_entry_set_str(&eng.entry, fid("seen"), "10.0.0.1", 8);
    lr_engine_process(&eng);
    const struct lr_value *v = lr_entry_get(&eng.entry, fid("real"));
    real = v ? v->str : NULL;
    if (i == 1)
      CHECK_STR(real, "192.0.2.7");
  }
  CHECK(real == NULL);
  lr_engine_free(&eng);
  lr_ruleset_free(rs);
  services_free(&svc);
}

static void test_path_recorded(void)
{
  struct lr_engine eng;
  lr_engine_init(&eng, NULL, NULL, true); /* no services: counters change nothing */
  struct lr_ruleset *rs = ruleset(NULL, 0);
  lr_engine_swap(&eng, rs);
  struct lr_path path = {0};
  eng.exec.path = &path;
  for (int i = 0; i < 2; i++) { /* reused: the second run replaces the first */
    lr_path_clear(&path);
    CHECK_INT(run(&eng, T0, "a"), -1);
    CHECK_INT(path.n, 2);
  }
  struct lr_buf line = {0};
  lr_path_format(&path, 0, &line);
  CHECK_STR(line.data, "C[0] action_counterRaise: done");
  lr_buf_clear(&line);
  lr_path_format(&path, 1, &line);
  CHECK_STR(line.data, "C[1] custom action: done");
  lr_buf_free(&line);
  lr_path_free(&path);
  lr_engine_free(&eng);
  lr_ruleset_free(rs);
}

/* A rule file that fails to compile half-way changes no service: the counter
 * category and the DNAT index of its good steps are made only once the whole
 * file compiled (lr_step_type.activate). */
static void test_failed_compile_touches_nothing(void)
{
  struct lr_services svc;
  services_init(&svc);
  /* mappings held, so that indexing a new mask costs memory */
  for (int i = 0; i < 1000; i++) {
    char a[32], pt[16];
    snprintf(a, sizeof(a), "10.0.%d.%d", i / 250, i % 250);
    snprintf(pt, sizeof(pt), "%d", 1000 + i);
    struct lr_dnat_values v = {.saddr = {a, strlen(a)}, .addr = {a, strlen(a)},
                               .port = {pt, strlen(pt)}};
    CHECK(lr_dnat_capture(svc.dnat, &v, 3600, T0));
  }
  size_t counters_before = lr_counters_memory(svc.counters);
  size_t dnat_before = lr_dnat_memory(svc.dnat);
  for (int good = 0; good < 2; good++) {
    struct lr_rules *r = lr_rules_new("test");
    struct lr_rule_chain *c = lr_rules_add_chain(r, "C", NULL);
    lr_rules_add_step(c, "action_counterRaise",
                      json_pack("{s:s, s:s}", "counter", "fresh", "for", "k"), NULL, NULL, NULL);
    lr_rules_add_step(c, "action_dnatReplace",
                      json_pack("{s:s, s:s, s:s}", "addr", "a", "port", "p", "saddrInto", "s"),
                      NULL, NULL, NULL);
    if (!good)
      lr_rules_add_step(c, "action_nope", json_object(), NULL, NULL, NULL);
    char err[512] = "";
    struct lr_ruleset *rs = lr_ruleset_new("test.c", r, NULL, NULL, "luruse", err, sizeof(err));
    REQUIRE(rs != NULL);
    int rc = lr_ruleset_compile(rs, &svc, err, sizeof(err));
    if (!good) {
      CHECK_INT(rc, -1);
      CHECK(strstr(err, "action_nope") != NULL);
      CHECK_INT(lr_counters_memory(svc.counters), counters_before);
      CHECK_INT(lr_dnat_memory(svc.dnat), dnat_before);
    } else {
      CHECK_INT(rc, 0);
      CHECK(lr_counters_memory(svc.counters) > counters_before); /* the category exists now */
      CHECK(lr_dnat_memory(svc.dnat) > dnat_before);             /* and the index */
    }
    lr_ruleset_free(rs);
  }
  services_free(&svc);
}

int main(void)
{
  lr_log_to_stderr(true);
  test_now_given_to_steps();
  test_reload_keeps_services();
  test_expiry_follows_now();
  test_dnat_by_now();
  test_path_recorded();
  test_failed_compile_touches_nothing();
  return check_done();
}
