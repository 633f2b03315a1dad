/* The daily report's figures: the bounded table (days, cut keys, the
 * "(others)" row when full) and its store (a rolled-back flush counts once,
 * the per-day key bound, days before a midnight loaded and forgotten, keys
 * made printable, figures kept across a reopen). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "notify/report_tally.h"
#include "notify/report_tally_store.h"
#include "state/state.h"
#include "state_fixture.h"
#include "util/log.h"

static int64_t at(int day, int h)
{
  struct tm t = {.tm_year = 124, .tm_mon = 2, .tm_mday = day, .tm_hour = h};
  return (int64_t)timegm(&t) * 1000000;
}

static void add(struct lr_report_tally *t, enum lr_report_count_kind k, const char *a,
                const char *b, int64_t usec)
{
  lr_report_tally_add(t, k, a, strlen(a), b, strlen(b), usec);
}

struct seen {
  size_t rows;
  uint64_t n, others;
  size_t longest;
};

static void visit(void *ctx, const struct lr_report_tally_row *r)
{
  struct seen *s = ctx;
  s->rows++;
  s->n += r->n;
  if (!r->alen && !r->blen)
    s->others += r->n;
  if (r->alen > s->longest)
    s->longest = r->alen;
}

static void test_table(void)
{
  struct lr_report_tally *t = lr_report_tally_new();
  for (int i = 0; i < 5; i++)
    add(t, LR_COUNT_ENTRIES, "web1", "nginx", at(10, 8 + i));
  add(t, LR_COUNT_ENTRIES, "web1", "nginx", at(11, 1)); /* the next day: its own row */
  add(t, LR_COUNT_BAN, "web1", "nginx", at(10, 9));     /* another kind */
  CHECK_INT(lr_report_tally_size(t), 3);
  struct seen s = {0};
  lr_report_tally_each(t, visit, &s);
  CHECK_INT(s.rows, 3);
  CHECK_INT(s.n, 7);
  CHECK_INT(lr_report_day_start(at(10, 13)), at(10, 0));
  /* a long UTF-8 key is cut on a character boundary */
  char longkey[200];
  memset(longkey, 'x', 63);
  strcpy(longkey + 63, "\xc3\xa9\xc3\xa9 and more");
  add(t, LR_COUNT_ENTRIES, longkey, "s", at(10, 1));
  add(t, LR_COUNT_ENTRIES, longkey, "s", at(10, 2)); /* the same cut key */
  s = (struct seen){0};
  lr_report_tally_each(t, visit, &s);
  CHECK_INT(s.rows, 4);
  CHECK_INT(s.longest, 63);
  /* full: new keys count in the day's "(others)" row, and a flush is wanted */
  CHECK(!lr_report_tally_wants_flush(t));
  char key[32];
  for (int i = 0; i < 2000; i++) {
    snprintf(key, sizeof(key), "svc%d", i);
    add(t, LR_COUNT_ENTRIES, "web1", key, at(10, 3));
  }
  CHECK(lr_report_tally_wants_flush(t));
  s = (struct seen){0};
  lr_report_tally_each(t, visit, &s);
  CHECK_INT(s.n, 7 + 2 + 2000);
  CHECK_INT(s.others, 2000 - (LR_TALLY_SLOTS / 4 * 3 - 4));
  CHECK_INT(lr_report_tally_lost(t), 0);
  lr_report_tally_clear(t);
  CHECK_INT(lr_report_tally_size(t), 0);
  CHECK(!lr_report_tally_wants_flush(t));
  lr_report_tally_free(t);
}

static int commit(struct lr_state *st, struct lr_report_tally_store *ts,
                  struct lr_report_tally *t)
{
  if (lr_state_begin(st) < 0)
    return -1;
  if (lr_report_tally_store_flush(ts, t) < 0) {
    lr_state_rollback(st);
    return -1;
  }
  if (lr_state_commit(st) < 0)
    return -1;
  lr_report_tally_clear(t);
  return 0;
}

/* n of the loaded row (kind, a, b), 0 when absent. */
static uint64_t loaded(const struct lr_report_counts *c, enum lr_report_count_kind k,
                       const char *a, const char *b)
{
  for (size_t i = 0; i < c->n; i++)
    if (c->rows[i].kind == k && !strcmp(c->rows[i].a, a) && !strcmp(c->rows[i].b, b))
      return c->rows[i].n;
  return 0;
}

static void test_store(void)
{
  struct state_fixture f;
  struct lr_state *st = state_fixture_open(&f, "report-tally");
  REQUIRE(st != NULL);
  char err[256];
  struct lr_report_tally_store *ts = lr_report_tally_store_open(st, err, sizeof(err));
  REQUIRE(ts != NULL);
  struct lr_report_tally *t = lr_report_tally_new();

  add(t, LR_COUNT_ENTRIES, "web1", "nginx", at(10, 8));
  add(t, LR_COUNT_ENTRIES, "web1", "nginx", at(10, 9));
  add(t, LR_COUNT_ENTRIES, "db\n1", "x\xff", at(10, 9)); /* raw log bytes */
  add(t, LR_COUNT_BAN, "192.0.2.7", "sshd", at(10, 10));
  add(t, LR_COUNT_EMAIL_SENT, "", "", at(11, 1));
  /* a rolled-back flush: the table keeps its figures, the next one counts them once */
  CHECK_INT(lr_state_begin(st), 0);
  CHECK_INT(lr_report_tally_store_flush(ts, t), 0);
  lr_state_rollback(st);
  CHECK_INT(state_fixture_rows(st, "report_count"), 0);
  CHECK_INT(commit(st, ts, t), 0);
  add(t, LR_COUNT_ENTRIES, "web1", "nginx", at(10, 23)); /* added to the stored row */
  CHECK_INT(commit(st, ts, t), 0);
  CHECK_INT(state_fixture_rows(st, "report_count"), 4);

  struct lr_report_counts c;
  CHECK_INT(lr_report_tally_store_load(ts, at(11, 0), &c), 0); /* day 10 only */
  CHECK_INT(c.n, 3);
  CHECK_INT(loaded(&c, LR_COUNT_ENTRIES, "web1", "nginx"), 3);
  CHECK_INT(loaded(&c, LR_COUNT_ENTRIES, "db 1", "x\xef\xbf\xbd"), 1); /* printable UTF-8 */
  CHECK_INT(loaded(&c, LR_COUNT_BAN, "192.0.2.7", "sshd"), 1);
  for (size_t i = 0; i < c.n; i++)
    if (c.rows[i].kind == LR_COUNT_ENTRIES && !strcmp(c.rows[i].a, "web1")) {
      CHECK_INT(c.rows[i].first_usec, at(10, 8));
      CHECK_INT(c.rows[i].last_usec, at(10, 23));
    }
  lr_report_counts_free(&c);
  CHECK_INT(lr_report_tally_store_load(ts, INT64_MAX, &c), 0);
  CHECK_INT(loaded(&c, LR_COUNT_EMAIL_SENT, "", ""), 1);
  lr_report_counts_free(&c);

  /* at most LR_TALLY_KEYS_PER_DAY keys a day: the rest in "(others)" */
  char key[32];
  for (int i = 0; i < LR_TALLY_KEYS_PER_DAY + 50; i++) {
    snprintf(key, sizeof(key), "svc%d", i);
    add(t, LR_COUNT_ENTRIES, "web2", key, at(12, 5));
    if (lr_report_tally_wants_flush(t))
      CHECK_INT(commit(st, ts, t), 0);
  }
  CHECK_INT(commit(st, ts, t), 0);
  CHECK_INT(lr_report_tally_store_load(ts, INT64_MAX, &c), 0);
  size_t day12 = 0;
  for (size_t i = 0; i < c.n; i++)
    day12 += c.rows[i].kind == LR_COUNT_ENTRIES && !strcmp(c.rows[i].a, "web2");
  CHECK_INT(day12, LR_TALLY_KEYS_PER_DAY);
  CHECK_INT(loaded(&c, LR_COUNT_ENTRIES, "", ""), 50);
  lr_report_counts_free(&c);

  /* the report forgets the days it took; a reopen finds the rest */
  CHECK_INT(lr_state_begin(st), 0);
  CHECK_INT(lr_report_tally_store_forget(ts, at(11, 0)), 0);
  CHECK_INT(lr_state_commit(st), 0);
  lr_report_tally_store_close(ts);
  lr_state_close(f.st);
  f.st = st = lr_state_open(f.dir, err, sizeof(err));
  REQUIRE(st != NULL);
  ts = lr_report_tally_store_open(st, err, sizeof(err));
  REQUIRE(ts != NULL);
  CHECK_INT(lr_report_tally_store_load(ts, INT64_MAX, &c), 0);
  CHECK_INT(loaded(&c, LR_COUNT_ENTRIES, "web1", "nginx"), 0);
  CHECK_INT(loaded(&c, LR_COUNT_EMAIL_SENT, "", ""), 1);
  CHECK_INT(c.n, LR_TALLY_KEYS_PER_DAY + 2);
  lr_report_counts_free(&c);
  lr_report_tally_free(t);
  lr_report_tally_store_close(ts);
  state_fixture_close(&f);
}

int main(void)
{
  setenv("TZ", "UTC", 1);
  tzset();
  lr_log_to_stderr(true);
  test_table();
  test_store();
  return check_done();
}
