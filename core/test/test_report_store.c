/* Report lines and transactions: a rolled-back flush (disk full, simulated by a
 * trigger) loses no line and a retried one duplicates none; snapshots before a
 * deadline take and forget only the older lines (a chunk across the deadline
 * is rewritten); schema v2-v9's one-row lines are read and forgotten too; a
 * large flush spans several chunks; while commits fail, the lines waiting are
 * bounded and the lost ones counted in a line of their own. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/log.h"
#include "notify/report_store.h"
#include "state/state.h"
#include "state_fixture.h"

static void add(struct lr_report_store *rs, int64_t t, const char *msg)
{
  lr_report_store_add(rs, LR_REPORT_WARN, LR_DETAILS_ALL, t, msg, strlen(msg), "h", 1);
}

/* The messages of a snapshot, joined with ',' */
static const char *messages(struct lr_report_store *rs, int64_t before)
{
  static char out[1024];
  struct lr_report_snapshot snap;
  out[0] = '\0';
  if (lr_report_store_load(rs, before, &snap) < 0)
    return "(error)";
  for (size_t i = 0; i < snap.n; i++) /* messages are (pointer, length), not strings */
    snprintf(out + strlen(out), sizeof(out) - strlen(out), "%.*s,", (int)snap.lines[i].len,
             snap.lines[i].message);
  lr_report_snapshot_free(&snap);
  return out;
}

static int commit(struct lr_state *st, struct lr_report_store *rs)
{
  if (lr_state_begin(st) < 0)
    return -1;
  if (lr_report_store_flush(rs) < 0) {
    lr_state_rollback(st);
    return -1;
  }
  if (lr_state_commit(st) < 0)
    return -1;
  lr_report_store_committed(rs);
  return 0;
}

int main(void)
{
  lr_log_to_stderr(true);
  char dir[] = "/tmp/luruse-report-store.XXXXXX", err[512];
  CHECK(mkdtemp(dir) != NULL);
  struct lr_state *st = lr_state_open(dir, err, sizeof(err));
  struct lr_report_store *rs = st ? lr_report_store_open(st, err, sizeof(err)) : NULL;
  CHECK(rs != NULL);
  if (!rs)
    return check_done();

  add(rs, 100, "a");
  add(rs, 200, "b");
  CHECK_INT(lr_report_store_buffered(rs), 2);
  CHECK_INT(lr_report_store_oldest(rs), 100);
  /* a rolled-back flush keeps the lines */
  CHECK_INT(lr_state_begin(st), 0);
  CHECK_INT(lr_report_store_flush(rs), 0);
  lr_state_rollback(st);
  CHECK_INT(lr_report_store_buffered(rs), 2);
  CHECK_STR(messages(rs, INT64_MAX), "");
  CHECK_INT(commit(st, rs), 0);
  CHECK_INT(lr_report_store_buffered(rs), 0);
  CHECK_INT(lr_report_store_pending(rs), 2);
  CHECK_STR(messages(rs, INT64_MAX), "a,b,");
  struct lr_report_snapshot hs; /* each line keeps its host */
  CHECK_INT(lr_report_store_load(rs, INT64_MAX, &hs), 0);
  CHECK(hs.n == 2 && hs.lines[1].host_len == 1 && hs.lines[1].host[0] == 'h');
  lr_report_snapshot_free(&hs);

  /* a failing insert (as on a full disk): nothing lost, nothing twice */
  state_fixture_refuse(st, "INSERT", "report_chunk");
  add(rs, 300, "c");
  add(rs, 50, "d");
  CHECK_INT(commit(st, rs), -1);
  CHECK_INT(commit(st, rs), -1);
  CHECK_INT(lr_report_store_buffered(rs), 2);
  CHECK_INT(lr_report_store_oldest(rs), 50);
  state_fixture_accept(st);
  CHECK_INT(commit(st, rs), 0);
  CHECK_STR(messages(rs, INT64_MAX), "a,b,c,d,");
  CHECK_INT(lr_report_store_pending(rs), 4);

  /* a snapshot before a deadline, and forgetting it, leave the later lines */
  add(rs, 400, "e"); /* buffered: not in any snapshot yet */
  struct lr_report_snapshot snap;
  CHECK_INT(lr_report_store_load(rs, 250, &snap), 0);
  CHECK_INT(snap.n, 3); /* a, b, d */
  CHECK_INT(lr_state_begin(st), 0);
  CHECK_INT(lr_report_store_forget(rs, &snap), 0);
  CHECK_INT(lr_state_commit(st), 0);
  lr_report_snapshot_free(&snap);
  CHECK_INT(lr_report_store_recount(rs), 0);
  CHECK_STR(messages(rs, INT64_MAX), "c,");
  CHECK_INT(lr_report_store_oldest(rs), 300);
  CHECK_INT(commit(st, rs), 0);
  CHECK_STR(messages(rs, INT64_MAX), "c,e,");

  /* schema v2-v9's rows, one per line: read first (they are older), counted,
   * and forgotten like the chunks' lines */
  CHECK_INT(lr_state_exec(st, "INSERT INTO report_line (level, details, time_usec, message, host)"
                              " VALUES (0, 0, 10, 'old', 'h'), (1, 9, 600, 'old2', '')"), 0);
  CHECK_INT(lr_report_store_recount(rs), 0);
  CHECK_INT(lr_report_store_pending(rs), 4);
  CHECK_INT(lr_report_store_oldest(rs), 10);
  CHECK_STR(messages(rs, INT64_MAX), "old,old2,c,e,");
  CHECK_INT(lr_report_store_load(rs, 350, &snap), 0);
  CHECK_INT(snap.n, 2); /* old, c */
  CHECK_INT(snap.lines[0].details, LR_DETAILS_ALL); /* within range, as in a chunk */
  CHECK_INT(lr_state_begin(st), 0);
  CHECK_INT(lr_report_store_forget(rs, &snap), 0);
  CHECK_INT(lr_state_commit(st), 0);
  lr_report_snapshot_free(&snap);
  CHECK_INT(lr_report_store_recount(rs), 0);
  CHECK_STR(messages(rs, INT64_MAX), "old2,e,");
  CHECK_INT(lr_report_store_oldest(rs), 400);
  CHECK_INT(lr_state_exec(st, "DELETE FROM report_line"), 0);
  CHECK_INT(lr_report_store_recount(rs), 0);

  /* a flush of more than a chunk's worth: several rows, every line once, in order */
  CHECK_INT(lr_state_exec(st, "DELETE FROM report_chunk"), 0);
  CHECK_INT(lr_report_store_recount(rs), 0);
  char msg[64];
  for (int i = 0; i < 40000; i++) {
    snprintf(msg, sizeof(msg), "SSH failure from 10.%d.%d.%d padding", i >> 16, i >> 8 & 255,
             i & 255);
    add(rs, 1000 + i, msg);
  }
  CHECK_INT(commit(st, rs), 0);
  CHECK_INT(state_fixture_rows(st, "report_chunk"), 2);
  CHECK_INT(lr_report_store_pending(rs), 40000);
  CHECK_INT(lr_report_store_load(rs, INT64_MAX, &snap), 0);
  CHECK_INT(snap.n, 40000);
  bool ordered = true;
  for (size_t i = 0; i < snap.n && ordered; i++) {
    snprintf(msg, sizeof(msg), "SSH failure from 10.%zu.%zu.%zu padding", i >> 16, i >> 8 & 255,
             i & 255);
    ordered = snap.lines[i].time_usec == 1000 + (int64_t)i && snap.lines[i].len == strlen(msg) &&
              memcmp(snap.lines[i].message, msg, snap.lines[i].len) == 0 &&
              snap.lines[i].host_len == 1;
  }
  CHECK(ordered);
  lr_report_snapshot_free(&snap);
  /* most of them reported: the first chunk goes, the second (across the
   * deadline) keeps its later lines */
  CHECK_INT(lr_report_store_load(rs, 35000, &snap), 0);
  CHECK_INT(snap.n, 34000);
  CHECK_INT(lr_state_begin(st), 0);
  CHECK_INT(lr_report_store_forget(rs, &snap), 0);
  CHECK_INT(lr_state_commit(st), 0);
  lr_report_snapshot_free(&snap);
  CHECK_INT(lr_report_store_recount(rs), 0);
  CHECK_INT(state_fixture_rows(st, "report_chunk"), 1);
  CHECK_INT(lr_report_store_pending(rs), 6000);
  CHECK_INT(lr_report_store_oldest(rs), 35000);
  CHECK_INT(lr_report_store_load(rs, INT64_MAX, &snap), 0);
  CHECK(snap.n == 6000 && snap.lines[0].time_usec == 35000 &&
        snap.lines[5999].time_usec == 40999);
  lr_report_snapshot_free(&snap);
  /* commits failing for long (a full disk under attack): at most
   * LR_REPORT_BUFFER_MAX bytes of lines wait, the rest are counted, and one
   * line says how many once a commit goes through */
  CHECK_INT(lr_state_exec(st, "DELETE FROM report_chunk"), 0);
  CHECK_INT(lr_report_store_recount(rs), 0);
  state_fixture_refuse(st, "INSERT", "report_chunk");
  static char big[4000];
  memset(big, 'x', sizeof(big) - 1);
  size_t fits = 0;
  for (int i = 0; i < 10000; i++) {
    size_t before = lr_report_store_buffered(rs);
    add(rs, 1000000 + i, big);
    fits += lr_report_store_buffered(rs) > before;
    if (i % 1000 == 999) /* the daemon's commits, refused */
      CHECK_INT(commit(st, rs), -1);
  }
  size_t per_line = sizeof(big) - 1 + 1; /* message and host; the index too */
  CHECK(fits < 10000 && fits * per_line <= LR_REPORT_BUFFER_MAX &&
        (fits + 2) * (per_line + 64) > LR_REPORT_BUFFER_MAX);
  CHECK_INT(lr_report_store_buffered(rs), fits);
  CHECK_INT(commit(st, rs), -1); /* still full: the count waits with the lines */
  state_fixture_accept(st);
  CHECK_INT(commit(st, rs), 0);
  CHECK_INT(lr_report_store_buffered(rs), 0);
  CHECK_INT(lr_report_store_pending(rs), fits + 1);
  CHECK_INT(lr_report_store_oldest(rs), 1000000);
  CHECK_INT(lr_report_store_load(rs, INT64_MAX, &snap), 0);
  char want[200];
  snprintf(want, sizeof(want), "%zu report line(s) lost: the state database refused its "
           "writes, and the lines waiting for it had filled their 32 MiB", 10000 - fits);
  CHECK(snap.n == fits + 1);
  if (snap.n == fits + 1) {
    const struct lr_report_line *l = &snap.lines[fits];
    CHECK(l->len == strlen(want) && memcmp(l->message, want, l->len) == 0);
    CHECK(l->level == LR_REPORT_WARN && l->time_usec == 1000000 + (int64_t)fits &&
          l->host_len == 0);
    CHECK(snap.lines[fits - 1].len == sizeof(big) - 1);
  }
  lr_report_snapshot_free(&snap);
  add(rs, 2000000, "after"); /* room again, and the count said once */
  CHECK_INT(commit(st, rs), 0);
  CHECK_INT(lr_report_store_pending(rs), fits + 2);
  CHECK_INT(lr_state_exec(st, "DELETE FROM report_chunk"), 0);
  CHECK_INT(lr_report_store_recount(rs), 0);
  add(rs, 300, "c");
  add(rs, 400, "e");
  CHECK_INT(commit(st, rs), 0);

  /* what was committed is there after a reopen */
  lr_report_store_close(rs);
  lr_state_close(st);
  st = lr_state_open(dir, err, sizeof(err));
  rs = lr_report_store_open(st, err, sizeof(err));
  CHECK_INT(lr_report_store_pending(rs), 2);
  CHECK_INT(lr_report_store_oldest(rs), 300);
  CHECK_STR(messages(rs, INT64_MAX), "c,e,");
  lr_report_store_close(rs);
  lr_state_close(st);
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  CHECK_INT(system(cmd), 0);
  return check_done();
}
