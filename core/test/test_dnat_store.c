/* DNAT mappings' persistence: a save/load round trip through the state
 * database (absent values stay absent, capture order is kept), a rolled-back
 * flush losing and duplicating nothing, the purge of dead rows, rows that
 * the map refuses being skipped, and the bound on what waits while commits
 * fail. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "state/dnat_store.h"
#include "util/log.h"
#include "state/state.h"
#include "state_fixture.h"

static int commit(struct lr_state *st, struct lr_dnat_store *ds, int64_t now)
{
  if (lr_state_begin(st) < 0)
    return -1;
  if (lr_dnat_store_flush(ds, now) < 0) {
    lr_state_rollback(st);
    return -1;
  }
  if (lr_state_commit(st) < 0)
    return -1;
  lr_dnat_store_committed(ds);
  return 0;
}

/* The client behind addr:port at now, "-" when none, "saddr:sport" else. */
static const char *who(struct lr_dnat *m, const char *addr, const char *port, int64_t now)
{
  static char out[128];
  struct lr_dnat_values q = {.addr = {addr, strlen(addr)}, .port = {port, strlen(port)}}, f;
  if (!lr_dnat_lookup(m, LR_DNAT_ADDR | LR_DNAT_PORT, &q, now, &f))
    return "-";
  snprintf(out, sizeof(out), "%s:%s", f.saddr.s, f.sport.s ? f.sport.s : "(none)");
  return out;
}

static void capture(struct lr_dnat_store *ds, const char *saddr, const char *sport,
                    const char *port, unsigned keep, int64_t t)
{
  struct lr_dnat_values v = {.saddr = {saddr, strlen(saddr)},
                             .sport = {sport, sport ? strlen(sport) : 0},
                             .addr = LR_DNAT_STR("192.168.1.1"), .port = {port, strlen(port)}};
  lr_dnat_store_add(ds, &v, lr_dnat_bits(keep), t);
}

int main(void)
{
  lr_log_to_stderr(true);
  struct state_fixture f;
  struct lr_state *st = state_fixture_open(&f, "dnat-store");
  char err[512] = "";
  if (!st)
    return check_done();

  /* dead from the first second past the bucket after its own */
  CHECK_INT(lr_dnat_store_dies_at(100, 6), 192);
  CHECK_INT(lr_dnat_store_dies_at(127, 6), 192);
  CHECK_INT(lr_dnat_store_dies_at(128, 6), 256);

  struct lr_dnat_store *ds = lr_dnat_store_open(st);
  capture(ds, "203.0.113.7", "40000", "1001", 63, 1000);
  capture(ds, "203.0.113.8", NULL, "1002", 63, 1000);  /* no sport */
  capture(ds, "203.0.113.9", "40001", "1001", 63, 1000); /* same key, later: wins */
  CHECK_INT(lr_dnat_store_buffered(ds), 3);
  /* a rolled-back flush keeps the buffer; the retry writes each row once */
  CHECK_INT(lr_state_begin(st), 0);
  CHECK_INT(lr_dnat_store_flush(ds, 1000), 0);
  lr_state_rollback(st);
  CHECK_INT(state_fixture_rows(st, "dnat"), 0);
  CHECK_INT(lr_dnat_store_buffered(ds), 3);
  CHECK_INT(commit(st, ds, 1000), 0);
  CHECK_INT(state_fixture_rows(st, "dnat"), 3);
  CHECK_INT(lr_dnat_store_buffered(ds), 0);
  CHECK_INT(commit(st, ds, 1001), 0); /* nothing buffered: nothing written */
  CHECK_INT(state_fixture_rows(st, "dnat"), 3);

  struct lr_dnat *m = lr_dnat_new();
  CHECK_INT(lr_dnat_store_load(ds, m, err, sizeof(err)), 0);
  CHECK_INT(lr_dnat_count(m), 3);
  CHECK_STR(who(m, "192.168.1.1", "1001", 1010), "203.0.113.9:40001");
  CHECK_STR(who(m, "192.168.1.1", "1002", 1010), "203.0.113.8:(none)");
  CHECK_STR(who(m, "192.168.1.1", "1002", lr_dnat_store_dies_at(1000, 6)), "-");
  lr_dnat_free(m);

  /* rows the map refuses: bits out of range, a value too long; the rest loads */
  CHECK_INT(lr_state_exec(st, "INSERT INTO dnat (t, bits, dies_at, saddr, addr, port) VALUES "
                              "(1000, 99, 5000, 'x', '192.168.1.1', '1003')"), 0);
  CHECK_INT(lr_state_exec(st, "INSERT INTO dnat (t, bits, dies_at, saddr, addr, port) VALUES "
                              "(1000, 6, 1088, zeroblob(70000), '192.168.1.1', '1004')"), 0);
  m = lr_dnat_new();
  CHECK_INT(lr_dnat_store_load(ds, m, err, sizeof(err)), 0);
  CHECK_INT(lr_dnat_count(m), 3);
  CHECK_STR(who(m, "192.168.1.1", "1003", 1010), "-");
  CHECK_STR(who(m, "192.168.1.1", "1001", 1010), "203.0.113.9:40001");
  lr_dnat_free(m);

  /* dead rows leave at a flush, once a minute at most (the first flush purged at 1000) */
  capture(ds, "203.0.113.10", "1", "1005", 1, 1200);
  CHECK_INT(commit(st, ds, 1059), 0);
  CHECK_INT(state_fixture_rows(st, "dnat"), 6);
  CHECK_INT(commit(st, ds, 1090), 0); /* 1088 and 1024-dead rows go, the bits-99 row stays */
  CHECK_INT(state_fixture_rows(st, "dnat"), 2);

  /* no table: an error, with the database's reason */
  lr_state_exec(st, "ALTER TABLE dnat RENAME TO dnat_away");
  m = lr_dnat_new();
  CHECK_INT(lr_dnat_store_load(ds, m, err, sizeof(err)), -1);
  CHECK(strstr(err, "reading DNAT mappings") != NULL);
  lr_dnat_free(m);
  lr_state_exec(st, "ALTER TABLE dnat_away RENAME TO dnat");

  /* commits failing for long: at most LR_DNAT_STORE_BUFFER_MAX bytes wait,
   * the captures beyond are counted, and a commit that succeeds writes those
   * that waited */
  CHECK_INT(lr_state_exec(st, "DELETE FROM dnat"), 0);
  state_fixture_refuse(st, "INSERT", "dnat");
  static char big[2000];
  memset(big, '7', sizeof(big) - 1);
  size_t fits = 0;
  for (int i = 0; i < 20000; i++) {
    size_t before = lr_dnat_store_buffered(ds);
    capture(ds, "203.0.113.20", big, "2000", 600, 3000);
    fits += lr_dnat_store_buffered(ds) > before;
    if (i % 2000 == 1999)
      CHECK_INT(commit(st, ds, 3000), -1);
  }
  CHECK(fits < 20000 && fits * (sizeof(big) - 1) <= LR_DNAT_STORE_BUFFER_MAX &&
        (fits + 1) * (sizeof(big) + 255) > LR_DNAT_STORE_BUFFER_MAX);
  CHECK_INT(lr_dnat_store_lost(ds), 20000 - fits);
  state_fixture_accept(st);
  CHECK_INT(commit(st, ds, 3000), 0);
  CHECK_INT(state_fixture_rows(st, "dnat"), fits);
  CHECK_INT(lr_dnat_store_lost(ds), 0);
  CHECK_INT(lr_dnat_store_buffered(ds), 0);
  capture(ds, "203.0.113.21", "1", "2001", 600, 3001); /* room again */
  CHECK_INT(lr_dnat_store_buffered(ds), 1);
  CHECK_INT(commit(st, ds, 3001), 0);

  lr_dnat_store_close(ds);
  state_fixture_close(&f);
  return check_done();
}
