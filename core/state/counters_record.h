/* The byte formats of the counters in the state database (counters_store.h
 * stores them): the packed runs of schema v3-v7's `counter` rows, and the
 * records of `counter_log`'s rows, in two formats (the row's `format` column).
 *
 * Runs, LR_COUNTERS_RUN_BYTES each (`counter` rows and format-1 records):
 *   bytes 0-7   expiry, int64 little-endian (entries' clock, seconds; 0: never)
 *   bytes 8-11  count, uint32 little-endian
 *
 * Format 1 (schema v8), little-endian throughout:
 *   u16 category length, the category's bytes, u16 key length, the key's bytes,
 *   i64 grace_until (0: none), u32 number of runs, the runs as above
 *
 * Format 2 (schema v9 on), varints (util/varint.h); a row is read from its
 * start, each record depending on those before it in the row:
 *   category: its index among the categories named earlier in the row, or that
 *     count (a new one), then its length and bytes
 *   key length, the key's bytes, zigzag(grace_until), number of runs, then per
 *   run zigzag(expiry - the previous expiry in the row, 0 at its start), count
 * A flood of new addresses writes about 20 bytes a record instead of 48.
 *
 * A record with no run and no grace deletes its key.
 *
 *   struct lr_counters_packer p = {0};
 *   lr_counters_packer_start(&p, &buf);            // at the start of each row
 *   lr_counters_pack(&p, "jail:sshd", key, len, runs, nruns, 0);
 *   lr_counters_packer_free(&p);
 *
 *   size_t used = lr_counters_records_read(2, blob, len, on_record, ctx, &n);
 *   if (used < len) ... a record cut short: the rest of the row is lost ...
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "state/counters.h"
#include "util/buf.h"

#define LR_COUNTERS_RUN_BYTES 12
#define LR_COUNTERS_FORMAT 2 /* what lr_counters_pack writes */

/* Unpacks len / LR_COUNTERS_RUN_BYTES runs of b into runs (room for that many);
 * returns how many. */
size_t lr_counters_runs_unpack(const unsigned char *b, size_t len, struct lr_counter_run *runs);

struct lr_counters_packer {
  struct lr_buf *out;
  const char **cats; /* the categories named so far in the row */
  size_t ncats, catcap, last;
  int64_t prev_expiry;
};

/* A new row (p zeroed before its first): out is appended to, the row's
 * categories and expiries forgotten. */
void lr_counters_packer_start(struct lr_counters_packer *p, struct lr_buf *out);
/* Appends one format-2 record. category must stay valid until the next start. */
void lr_counters_pack(struct lr_counters_packer *p, const char *category, const char *key,
                      size_t len, const struct lr_counter_run *runs, size_t nruns,
                      int64_t grace_until);
void lr_counters_packer_free(struct lr_counters_packer *p);

/* category is NUL-terminated, key len bytes (NULs allowed), runs aligned; all
 * valid for the call only. */
typedef void lr_counters_record_fn(void *ctx, const char *category, const char *key, size_t len,
                                   const struct lr_counter_run *runs, size_t nruns,
                                   int64_t grace_until);

/* Calls fn for each record of a row of the given format (1 or 2) and counts
 * them in *records. Returns the bytes read: len when the row is whole, less
 * where a record is cut short, malformed or of an unknown format (the rest of
 * the row cannot be read). */
size_t lr_counters_records_read(int format, const unsigned char *b, size_t len,
                                lr_counters_record_fn *fn, void *ctx, size_t *records);
