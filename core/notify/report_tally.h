/* The daily report's figures as they happen: entries read per host and
 * service, bans per address and jail, emails sent, luruse's own errors, each
 * counted in the local day of its time. A bounded table of fixed slots (no
 * allocation after creation, so counting an entry costs a hash and a compare),
 * holding what changed since the last flush: report_tally_store.h adds it to
 * the state database with the cursor's transaction, then it is cleared.
 *
 *   struct lr_report_tally *t = lr_report_tally_new();
 *   lr_report_tally_add(t, LR_COUNT_ENTRIES, "web1", 4, "nginx", 5, entry_usec);
 *   if (lr_report_tally_wants_flush(t)) ... commit soon ...
 *   lr_report_tally_store_flush(store, t);   // in the transaction
 *   lr_report_tally_clear(t);                // once it committed
 *
 * Strings are cut at LR_TALLY_TEXT bytes (on a UTF-8 boundary). Keys are
 * hashed with the keyed SipHash (util/hash.h): log values choose them. When
 * the table is full, further new keys count in their kind's "(others)" row
 * (empty strings) of that day. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify/report.h"

#define LR_TALLY_TEXT 64
#define LR_TALLY_SLOTS 1024 /* a power of two */

struct lr_report_tally;

struct lr_report_tally_row {
  enum lr_report_count_kind kind;
  int64_t day; /* local midnight starting the day, unix microseconds */
  const char *a, *b; /* not NUL-terminated; raw log bytes */
  size_t alen, blen;
  uint64_t n;
  int64_t first_usec, last_usec;
};

struct lr_report_tally *lr_report_tally_new(void);
void lr_report_tally_free(struct lr_report_tally *t);
void lr_report_tally_add(struct lr_report_tally *t, enum lr_report_count_kind kind,
                         const char *a, size_t alen, const char *b, size_t blen,
                         int64_t time_usec);
/* Three quarters full: flush now rather than at the next second. */
bool lr_report_tally_wants_flush(const struct lr_report_tally *t);
/* Rows held, and a visit of each (in no order). */
size_t lr_report_tally_size(const struct lr_report_tally *t);
void lr_report_tally_each(const struct lr_report_tally *t,
                          void (*cb)(void *ctx, const struct lr_report_tally_row *r), void *ctx);
void lr_report_tally_clear(struct lr_report_tally *t);
/* Events that found no slot at all (a full table and a full overflow). */
uint64_t lr_report_tally_lost(const struct lr_report_tally *t);

/* The local midnight that starts the day of usec (mktime: DST-aware). */
int64_t lr_report_day_start(int64_t usec);
