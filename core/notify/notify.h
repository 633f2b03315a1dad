/* Telling the administrator: immediate emails (throttled) and the daily
 * report. A process-wide service that outlives rule reloads; steps reach it
 * through the exec context (x->svc->notify).
 *
 * Time is the caller's clock: the entries' own time when replaying, the
 * later of entry time and wall time when running live, so that a replay
 * sends the same emails and reports as the live run did.
 *
 *   struct lr_notify *n = lr_notify_open(state, loop, err, sizeof(err));
 *   lr_notify_configure(n, &ruleset->settings.mail); // again after each reload
 *   lr_notify_email(n, "Ban", 3, body, len, entry_usec);
 *   lr_notify_report(n, LR_REPORT_WARN, LR_DETAILS_ALL, entry_usec, msg, len, host, hlen);
 *   lr_notify_count(n, LR_COUNT_ENTRIES, host, hlen, ident, ilen, entry_usec);
 *   lr_notify_tick(n, now_usec);       // coalesced alerts; marks the report due
 *   lr_state_begin(st); ...cursor...; lr_notify_flush(n);
 *   if (lr_state_commit(st) == 0) lr_notify_committed(n);   // sends a due report
 *   lr_notify_close(n);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "util/buf.h"
#include "notify/mail_config.h"
#include "notify/report.h"

struct lr_state;
struct lr_notify;
struct lr_outbox;

/* loop may be NULL: nothing is sent, emails stay in the outbox. */
struct lr_notify *lr_notify_open(struct lr_state *st, uv_loop_t *loop, char *err, size_t errlen);
/* Sends pending coalesced alerts, waits for a running sendmail, frees. */
void lr_notify_close(struct lr_notify *n);
/* Borrowed until the next call; NULL before the first ruleset. */
void lr_notify_configure(struct lr_notify *n, const struct lr_mail_config *cfg);

/* An alert: queued into the outbox with the next commit (lr_notify_flush), so
 * that entries read again after a crash do not queue it twice, and sent then;
 * unless an identical one (same subject and body) went out less than
 * throttleSeconds ago: those are counted and summed up in one email when the
 * window ends. */
void lr_notify_email(struct lr_notify *n, const char *subject, size_t slen, const char *body,
                     size_t blen, int64_t now_usec);
/* A line for the daily report (kept in memory until lr_notify_flush); host:
 * the entry's _HOSTNAME (NULL: none), for the report's host sections. */
void lr_notify_report(struct lr_notify *n, enum lr_report_level level,
                      enum lr_report_details details, int64_t time_usec, const char *msg,
                      size_t len, const char *host, size_t host_len);
/* One more of the report's figures (report.h, enum lr_report_count_kind), in
 * the local day of time_usec; no allocation (notify/report_tally.h). */
void lr_notify_count(struct lr_notify *n, enum lr_report_count_kind kind, const char *a,
                     size_t alen, const char *b, size_t blen, int64_t time_usec);
/* The same at the time of the latest tick: for what the loop tells later. */
void lr_notify_count_now(struct lr_notify *n, enum lr_report_count_kind kind, const char *a,
                         size_t alen, const char *b, size_t blen);
/* Cheap when nothing is due: call it before each entry and from a timer. */
void lr_notify_tick(struct lr_notify *n, int64_t now_usec);
/* Writes buffered report lines and alerts: call inside the cursor's transaction, then
 * lr_notify_committed() once it committed; a report that came due is sent
 * from there, with only committed lines in it. */
int lr_notify_flush(struct lr_notify *n);
void lr_notify_committed(struct lr_notify *n);
/* Many lines, or an alert, are buffered: commit soon rather than at the next second. */
bool lr_notify_wants_flush(const struct lr_notify *n);
/* Replay: wait until every queued email had one attempt. */
void lr_notify_settle(struct lr_notify *n);
/* The pending report as it would be sent now (text, or the HTML part). */
int lr_notify_render_report(struct lr_notify *n, bool html, struct lr_buf *out);
/* The stored lines of the pending report, one per line, tab-separated: time
 * (unix microseconds), level, details, host, message (\\, \t, \n and other
 * control bytes escaped). -1 on a database error. */
int lr_notify_list_report(struct lr_notify *n, struct lr_buf *out);

/* Counters for `luruse status` and tests. */
struct lr_notify_stats {
  uint64_t emails_queued, emails_coalesced, reports_queued;
  size_t report_lines_pending, outbox_size;
};
void lr_notify_stats(struct lr_notify *n, struct lr_notify_stats *out);
/* Its outbox, for `luruse outbox` through the daemon (notify/outbox.h). */
struct lr_outbox *lr_notify_outbox(struct lr_notify *n);
