/* Counters' persistence: the packed run and record formats byte for byte, a
 * save/load round trip through the state database's log (dirty saves,
 * deletions, a full rewrite), the compaction that bounds the log, schema v7's
 * rows read before the log, and rows that cannot be restored being skipped. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "state/counters_record.h"
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

struct collected {
  char cats[8][16];
  char keys[8][16];
  size_t klen[8], nruns[8];
  struct lr_counter_run runs[8][4];
  int64_t grace[8];
  size_t n;
};

static void collect(void *ctx, const char *category, const char *key, size_t len,
                    const struct lr_counter_run *runs, size_t nruns, int64_t grace_until)
{
  struct collected *c = ctx;
  if (c->n >= 8 || len >= 16 || nruns > 4 || strlen(category) >= 16)
    return;
  snprintf(c->cats[c->n], 16, "%s", category);
  memcpy(c->keys[c->n], key, len);
  c->klen[c->n] = len;
  memcpy(c->runs[c->n], runs, nruns * sizeof(*runs));
  c->nruns[c->n] = nruns;
  c->grace[c->n++] = grace_until;
}

static void test_formats(void)
{
  /* schema v7's runs: little-endian expiry, then count; a partial run dropped */
  static const unsigned char packed[] = {8, 7, 6, 5, 4, 3, 2, 1, 0x0d, 0x0c, 0x0b, 0x0a,
                                         0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 'x', 'y', 'z'};
  struct lr_counter_run back[4];
  CHECK_INT(lr_counters_runs_unpack(packed, sizeof(packed), back), 2);
  CHECK_INT(back[0].expiry, 0x0102030405060708LL);
  CHECK_INT(back[0].count, 0x0a0b0c0d);
  CHECK_INT(back[1].expiry, -2);
  CHECK_INT(back[1].count, 0xffffffffu);
  CHECK_INT(lr_counters_runs_unpack(NULL, 0, back), 0);

  /* format 2, byte for byte: a new category (index = count so far), the key
   * (NULs allowed), zigzag grace, runs as zigzag deltas from the row's
   * previous expiry; then the same category by index */
  struct lr_counter_run runs[] = {{1000, 3}, {1300, 1}, {INT64_MIN, UINT32_MAX}, {INT64_MAX, 1}};
  struct lr_buf b = {0};
  struct lr_counters_packer p = {0};
  lr_counters_packer_start(&p, &b);
  lr_counters_pack(&p, "ab", "k\0", 2, runs, 2, -3);
  lr_counters_pack(&p, "ab", "z", 1, NULL, 0, 0); /* a deletion */
  static const unsigned char want[] = {0, 2, 'a', 'b', 2, 'k', 0, 5, 2,
                                       0xd0, 0x0f, 3,     /* zigzag(1000) = 2000 */
                                       0xd8, 0x04, 1,     /* zigzag(300) = 600 */
                                       0, 1, 'z', 0, 0};
  CHECK_INT(b.len, sizeof(want));
  CHECK(memcmp(b.data, want, sizeof(want)) == 0);
  /* another category, the first again, the extremes of expiry and count */
  lr_counters_pack(&p, "web", "w", 1, runs + 2, 2, INT64_MAX);
  lr_counters_pack(&p, "ab", "e", 1, runs + 3, 1, INT64_MIN);
  struct collected got = {0};
  size_t n = 0;
  CHECK_INT(lr_counters_records_read(2, (const unsigned char *)b.data, b.len, collect, &got, &n),
            b.len);
  CHECK_INT(n, 4);
  CHECK_INT(got.n, 4);
  CHECK_STR(got.cats[0], "ab");
  CHECK(got.klen[0] == 2 && memcmp(got.keys[0], "k\0", 2) == 0);
  CHECK_INT(got.grace[0], -3);
  CHECK_INT(got.nruns[0], 2);
  CHECK_INT(got.runs[0][1].expiry, 1300);
  CHECK_INT(got.runs[0][1].count, 1);
  CHECK_INT(got.nruns[1], 0);
  CHECK_STR(got.cats[2], "web");
  CHECK_INT(got.runs[2][0].expiry, INT64_MIN);
  CHECK_INT(got.runs[2][0].count, UINT32_MAX);
  CHECK_INT(got.runs[2][1].expiry, INT64_MAX);
  CHECK_INT(got.grace[2], INT64_MAX);
  CHECK_STR(got.cats[3], "ab");
  CHECK_INT(got.runs[3][0].expiry, INT64_MAX);
  CHECK_INT(got.grace[3], INT64_MIN);

  /* cut anywhere: the whole records before the cut, and no byte further */
  for (size_t cut = 0; cut < b.len; cut++) {
    struct collected part = {0};
    size_t m = 0, used = lr_counters_records_read(2, (const unsigned char *)b.data, cut, collect,
                                                  &part, &m);
    CHECK(used <= cut);
    CHECK_INT(m, part.n);
    CHECK(m < 4);
  }
  /* an index past the categories named so far, an unknown format */
  static const unsigned char bad_cat[] = {1, 1, 'k', 0, 0};
  n = 0;
  CHECK_INT(lr_counters_records_read(2, bad_cat, sizeof(bad_cat), collect, &got, &n), 0);
  CHECK_INT(lr_counters_records_read(3, (const unsigned char *)b.data, b.len, collect, &got, &n),
            0);
  CHECK_INT(n, 0);

  /* format 1 (schema v8): u16 lengths, i64 grace, u32 runs, 12-byte runs */
  static const unsigned char v1[] = {2, 0, 'a', 'b', 2, 0, 'k', 0,
                                     0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                     1, 0, 0, 0,
                                     8, 7, 6, 5, 4, 3, 2, 1, 0x0d, 0x0c, 0x0b, 0x0a};
  struct collected one = {0};
  n = 0;
  CHECK_INT(lr_counters_records_read(1, v1, sizeof(v1), collect, &one, &n), sizeof(v1));
  CHECK_INT(n, 1);
  CHECK_STR(one.cats[0], "ab");
  CHECK_INT(one.grace[0], -3);
  CHECK_INT(one.runs[0][0].expiry, 0x0102030405060708LL);
  CHECK_INT(lr_counters_records_read(1, v1, sizeof(v1) - 1, collect, &one, &n), 0);
  lr_counters_packer_free(&p);
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
  /* the same in format 2, and a row of a format this build does not know */
  CHECK_INT(lr_state_exec(st, "INSERT INTO counter_log (format, records) VALUES "
                              "(2, x'0003737368026c320001c80102'||x'0002'), (3, x'00')"), 0);
  struct lr_counters *d = lr_counters_new();
  size_t records;
  CHECK_INT(lr_counters_store_load(st, d, &records, err, sizeof(err)), 0);
  CHECK_INT(records, 3); /* the row of v7's table and the two records */
  CHECK_INT(lr_counters_get(lr_counters_category(d, "ssh"), K("lg"), 99), 3);
  CHECK_INT(lr_counters_get(lr_counters_category(d, "ssh"), K("l2"), 99), 2);
  CHECK_INT(lr_counters_keys(d), 3);
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
  test_formats();
  test_round_trip(st);
  test_compaction(st);
  test_unreadable(st);
  state_fixture_close(&f);
  return check_done();
}
