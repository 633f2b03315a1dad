/* The daily report's lines packed in chunks (the state database's
 * report_chunk rows, report_store.h): one blob insert per commit instead of
 * one row per line, and about 30 bytes a jail's line instead of 50.
 *
 * Format 1, varints (util/varint.h); a chunk is read from its start, each line
 * depending on those before it in the chunk:
 *   level | details << 3
 *   zigzag(time_usec - the previous line's, 0 at the chunk's start)
 *   message length, the message's bytes
 *   host: its index among the hosts named earlier in the chunk, or that count
 *     (a new one), then its length and bytes
 * Messages and hosts are any bytes (the report escapes them when it renders).
 *
 *   struct lr_report_packer p = {0};
 *   lr_report_packer_start(&p, &chunk);          // at the start of each chunk
 *   lr_report_pack(&p, &line);
 *   lr_report_packer_free(&p);
 *   size_t used = lr_report_unpack(1, blob, len, on_line, ctx, &n);
 *   if (used < len) ... cut short or malformed: the rest of the chunk is lost ...
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "notify/report.h"
#include "util/buf.h"

#define LR_REPORT_PACK_FORMAT 1

struct lr_report_packer {
  struct lr_buf *out;
  struct { size_t at, len; } *hosts; /* where each host's bytes are in out */
  size_t nhosts, hostcap, last;
  int64_t prev_usec;
};

/* A new chunk (p zeroed before its first): out is appended to from its
 * current length, the chunk's hosts and times forgotten. */
void lr_report_packer_start(struct lr_report_packer *p, struct lr_buf *out);
void lr_report_pack(struct lr_report_packer *p, const struct lr_report_line *l);
void lr_report_packer_free(struct lr_report_packer *p);

/* l's message and host point into the chunk; valid for the call. */
typedef void lr_report_line_fn(void *ctx, const struct lr_report_line *l);

/* Calls fn for each line of a chunk of the given format and counts them in
 * *lines. Returns the bytes read: len when whole, less where a line is cut
 * short or malformed, or the format unknown. */
size_t lr_report_unpack(int format, const unsigned char *b, size_t len, lr_report_line_fn *fn,
                        void *ctx, size_t *lines);
