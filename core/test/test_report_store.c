/* Report lines and transactions: a rolled-back flush (disk full, simulated by a
 * trigger) loses no line and a retried one duplicates none; snapshots before a
 * deadline take and forget only the older lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/log.h"
#include "notify/report_store.h"
#include "state/state.h"

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
  CHECK_INT(lr_state_exec(st, "CREATE TEMP TRIGGER full BEFORE INSERT ON report_line "
                              "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"), 0);
  add(rs, 300, "c");
  add(rs, 50, "d");
  CHECK_INT(commit(st, rs), -1);
  CHECK_INT(commit(st, rs), -1);
  CHECK_INT(lr_report_store_buffered(rs), 2);
  CHECK_INT(lr_report_store_oldest(rs), 50);
  CHECK_INT(lr_state_exec(st, "DROP TRIGGER full"), 0);
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
