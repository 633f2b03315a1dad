/* The daily report's figures (report_tally.h) in the state database, table
 * report_count: one row per kind, day, and pair of keys, with its count and
 * first and last time. Written in the cursor's transaction, so a restart loses
 * none of the day's figures and a replayed entry counts once. Each kind keeps
 * at most LR_TALLY_KEYS_PER_DAY keys a day (LR_TALLY_BAN_KEYS_PER_DAY for
 * bans); the others add up in the day's "(others)" row (empty keys).
 *
 *   struct lr_report_tally_store *ts = lr_report_tally_store_open(state, err, sizeof(err));
 *   lr_state_begin(state); lr_report_tally_store_flush(ts, tally); commit ...
 *   struct lr_report_counts c; lr_report_tally_store_load(ts, midnight, &c);
 *   ... render c.rows ...; lr_report_tally_store_forget(ts, midnight); // with the report
 *   lr_report_counts_free(&c);
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "notify/report.h"

#define LR_TALLY_KEYS_PER_DAY 1000
#define LR_TALLY_BAN_KEYS_PER_DAY 100000
#define LR_TALLY_KEEP_DAYS 40 /* unreported figures kept before the oldest report line */

struct lr_state;
struct lr_report_tally;
struct lr_report_tally_store;

struct lr_report_counts {
  struct lr_report_count *rows; /* summed over the days loaded */
  size_t n;
  struct lr_buf text;           /* their strings */
};

struct lr_report_tally_store *lr_report_tally_store_open(struct lr_state *st, char *err,
                                                         size_t errlen);
void lr_report_tally_store_close(struct lr_report_tally_store *ts);
/* Adds the table's rows (inside the caller's transaction); -1 logged. */
int lr_report_tally_store_flush(struct lr_report_tally_store *ts,
                                const struct lr_report_tally *t);
/* Deletes the days before before_usec (figures no report took: rules
 * without report lines), at most once a day; in a transaction. */
int lr_report_tally_store_prune(struct lr_report_tally_store *ts, int64_t before_usec);
/* The rows of the days before before_usec (a local midnight; INT64_MAX:
 * all), keys made valid UTF-8 without control characters. -1 logged. */
int lr_report_tally_store_load(struct lr_report_tally_store *ts, int64_t before_usec,
                               struct lr_report_counts *out);
/* Deletes the days before before_usec (in the report's transaction). */
int lr_report_tally_store_forget(struct lr_report_tally_store *ts, int64_t before_usec);
void lr_report_counts_free(struct lr_report_counts *c);
