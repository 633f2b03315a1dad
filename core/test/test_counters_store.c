/* Counters' persistence: the packed run and record formats byte for byte, a
 * save/load round trip through the state database's log (dirty saves,
 * deletions, a full rewrite), the compaction that bounds the log, schema v7's
 * rows read before the log, and rows that cannot be restored being skipped. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "state/counters_store.h"
#include "util/log.h"
#include "state/state.h"
#include "state_fixture.h"

#define K(s) (s), strlen(s)

static size_t logged; /* the log's records, as the daemon's services keep it */

static int save(struct lr_state *st, struct lr_counters *c, bool all)
{
  if (lr_state_begin(st) < 0)
    return -1;
  if (lr_counters_store_save(st, c, all, &logged) < 0) {
    lr_state_rollback(st);
    return -1;
  }
  return lr_state_commit(st);
}

static void test_pack(void)
{
  struct lr_counter_run runs[] = {{0x0102030405060708LL, 0x0a0b0c0d}, {0, 1}, {-2, 0xffffffffu}};
  struct lr_buf b = {0};
  lr_counters_runs_pack(&b, runs, 3);
  CHECK_INT(b.len, 3 * LR_COUNTERS_RUN_BYTES);
  static const unsigned char want0[LR_COUNTERS_RUN_BYTES] = {8, 7, 6, 5, 4, 3, 2, 1,
                                                             0x0d, 0x0c, 0x0b, 0x0a};
  CHECK(memcmp(b.data, want0, sizeof(want0)) == 0); /* little-endian expiry, then count */
  struct lr_counter_run back[4];
  /* a trailing partial run is dropped */
  lr_buf_add(&b, "xyz", 3);
  CHECK_INT(lr_counters_runs_unpack((const unsigned char *)b.data, b.len, back), 3);
  for (int i = 0; i < 3; i++) {
    CHECK_INT(back[i].expiry, runs[i].expiry);
    CHECK_INT(back[i].count, runs[i].count);
  }
  CHECK_INT(lr_counters_runs_unpack(NULL, 0, back), 0);

  /* a record: category, key (NULs allowed), grace, runs */
  lr_buf_clear(&b);
  lr_counters_record_pack(&b, "ab", "k\0", 2, runs, 1, -3);
  static const unsigned char want1[] = {2, 0, 'a', 'b', 2, 0, 'k', 0,
                                        0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        1, 0, 0, 0,
                                        8, 7, 6, 5, 4, 3, 2, 1, 0x0d, 0x0c, 0x0b, 0x0a};
  CHECK_INT(b.len, sizeof(want1));
  CHECK(memcmp(b.data, want1, sizeof(want1)) == 0);
  lr_buf_free(&b);
}

static long count_log_records(struct lr_state *st)
{
  struct lr_counters *d = lr_counters_new();
  char err[512];
  size_t n = 0;
  if (lr_counters_store_load(st, d, &n, err, sizeof(err)) < 0)
    n = (size_t)-1;
  lr_counters_free(d);
  return (long)n;
}

static void test_round_trip(struct lr_state *st)
{
  char err[512] = "";
  struct lr_counters *c = lr_counters_new();
  lr_counters_track_dirty(c, true);
  struct lr_counter_cat *ssh = lr_counters_category(c, "ssh"), *web = lr_counters_category(c, "web");
  lr_counters_raise(ssh, K("192.0.2.7"), 600, 100);
  lr_counters_raise(ssh, K("192.0.2.7"), 600, 100);
  lr_counters_raise(ssh, K("192.0.2.7"), 600, 130);
  lr_counters_raise(ssh, "n\0l", 3, 0, 100); /* never expires; a NUL in the key */
  lr_counters_raise(web, K("gone"), 600, 100);
  lr_counters_reset(web, K("graced"), 50, 100); /* only a grace */
  CHECK_INT(save(st, c, false), 0);
  CHECK_INT(state_fixture_rows(st, "counter_log"), 1); /* one row per commit */
  CHECK_INT(logged, 4);
  lr_counters_reset(web, K("gone"), 0, 110); /* a deleted key: a deleting record */
  CHECK_INT(save(st, c, false), 0);
  CHECK_INT(state_fixture_rows(st, "counter_log"), 2);
  CHECK_INT(logged, 5);
  CHECK_INT(save(st, c, false), 0); /* nothing dirty: nothing written */
  CHECK_INT(state_fixture_rows(st, "counter_log"), 2);
  CHECK_INT(count_log_records(st), 5);

  struct lr_counters *d = lr_counters_new();
  size_t n;
  CHECK_INT(lr_counters_store_load(st, d, &n, err, sizeof(err)), 0);
  CHECK_INT(n, 5);
  CHECK_INT(lr_counters_keys(d), 3);
  struct lr_counter_cat *dssh = lr_counters_category(d, "ssh"), *dweb = lr_counters_category(d, "web");
  CHECK_INT(lr_counters_get(dssh, K("192.0.2.7"), 699), 3);
  CHECK_INT(lr_counters_get(dssh, K("192.0.2.7"), 700), 1);
  CHECK_INT(lr_counters_get(dssh, "n\0l", 3, 100000), 1);
  CHECK_INT(lr_counters_get(dweb, K("gone"), 120), 0);
  CHECK_INT(lr_counters_raise(dweb, K("graced"), 600, 149), 0); /* the grace came back */
  CHECK_INT(lr_counters_raise(dweb, K("graced"), 600, 150), 1);
  lr_counters_free(d);

  /* a full rewrite (after a rolled-back save) leaves exactly the live keys,
   * and empties schema v7's table */
  lr_state_exec(st, "INSERT INTO counter VALUES ('stale', x'00', x'', 1)");
  CHECK_INT(save(st, c, true), 0);
  CHECK_INT(state_fixture_rows(st, "counter"), 0);
  CHECK_INT(state_fixture_rows(st, "counter_log"), 1);
  CHECK_INT(logged, 3);
  CHECK_INT(count_log_records(st), 3);
  lr_counters_free(c);
}

/* A flood of new keys through a full category writes a record per new key and
 * one per evicted key; the log stays under twice the live keys plus the slack,
 * and what it holds restores the live keys exactly. */
static void test_compaction(struct lr_state *st)
{
  lr_state_exec(st, "DELETE FROM counter_log");
  logged = 0;
  struct lr_counters *c = lr_counters_new();
  lr_counters_track_dirty(c, true);
  struct lr_counter_cat *k = lr_counters_category(c, "flood");
  lr_counters_set_limit(k, 1000);
  size_t most = 0;
  char key[32];
  for (int i = 0; i < 200000; i++) {
    int len = snprintf(key, sizeof(key), "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
    lr_counters_raise(k, key, (size_t)len, 600, 100);
    if (i % 1000 == 999) {
      CHECK_INT(save(st, c, false), 0);
      most = logged > most ? logged : most;
    }
  }
  CHECK(most <= 2 * 1000 + 65536);
  CHECK(logged < most); /* it was compacted */
  CHECK_INT((long)logged, count_log_records(st));
  struct lr_counters *d = lr_counters_new();
  char err[512];
  size_t n;
  CHECK_INT(lr_counters_store_load(st, d, &n, err, sizeof(err)), 0);
  struct lr_counter_cat *dk = lr_counters_category(d, "flood");
  CHECK_INT(lr_counters_cat_keys(dk), 1000);
  CHECK_INT(lr_counters_get(dk, K("10.3.13.63"), 101), 1);  /* the last key raised */
  CHECK_INT(lr_counters_get(dk, K("10.3.9.88"), 101), 1);   /* the oldest kept (199000) */
  CHECK_INT(lr_counters_get(dk, K("10.3.9.87"), 101), 0);   /* evicted */
  lr_counters_free(d);
  lr_counters_free(c);
}

static void test_unreadable(struct lr_state *st)
{
  char err[512] = "";
  lr_state_exec(st, "DELETE FROM counter");
  /* a key longer than the counters take, and a runs blob with 5 stray bytes */
  char sql[4096];
  int n = snprintf(sql, sizeof(sql), "INSERT INTO counter VALUES ('ssh', x'");
  for (int i = 0; i <= LR_COUNTERS_MAX_KEY; i++)
    n += snprintf(sql + n, sizeof(sql) - (size_t)n, "41");
  snprintf(sql + n, sizeof(sql) - (size_t)n, "', x'', 500)");
  CHECK_INT(lr_state_exec(st, sql), 0);
  CHECK_INT(lr_state_exec(st, "INSERT INTO counter VALUES ('ssh', 'ok', "
                              "x'6400000000000000020000000102030405', 0)"), 0);
  /* a log row whose second record is cut short: the first still counts */
  lr_state_exec(st, "DELETE FROM counter_log");
  CHECK_INT(lr_state_exec(st, "INSERT INTO counter_log (records) VALUES ("
                              "x'0300737368'||x'02006c67'||x'0000000000000000'||x'01000000'"
                              "||x'640000000000000003000000'"
                              "||x'0300737368'||x'0200')"), 0);
  struct lr_counters *d = lr_counters_new();
  size_t records;
  CHECK_INT(lr_counters_store_load(st, d, &records, err, sizeof(err)), 0);
  CHECK_INT(records, 2); /* the row of v7's table and the record */
  CHECK_INT(lr_counters_get(lr_counters_category(d, "ssh"), K("lg"), 99), 3);
  CHECK_INT(lr_counters_keys(d), 2);
  CHECK_INT(lr_counters_get(lr_counters_category(d, "ssh"), K("ok"), 99), 2);
  CHECK_INT(lr_counters_get(lr_counters_category(d, "ssh"), K("ok"), 100), 0);
  lr_counters_free(d);

  /* no table: an error, with the database's reason */
  lr_state_exec(st, "ALTER TABLE counter RENAME TO counter_away");
  d = lr_counters_new();
  CHECK_INT(lr_counters_store_load(st, d, &records, err, sizeof(err)), -1);
  CHECK(strstr(err, "reading counters") != NULL);
  lr_counters_free(d);
  lr_state_exec(st, "ALTER TABLE counter_away RENAME TO counter");
}

int main(void)
{
  lr_log_to_stderr(true);
  struct state_fixture f;
  struct lr_state *st = state_fixture_open(&f, "counters-store");
  if (!st)
    return check_done();
  test_pack();
  test_round_trip(st);
  test_compaction(st);
  test_unreadable(st);
  state_fixture_close(&f);
  return check_done();
}
