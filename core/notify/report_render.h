/* What the parts of the daily report's rendering share (report.c, the
 * sections; report_summary.c; report_chart.c): local times in the report's
 * format, cached per second, and escaping for text cells and HTML. Internal
 * to core/notify/report*.c.
 *
 *   struct lr_report_clock c;
 *   lr_report_clock_init(&c, "%Y-%m-%d %H:%M:%S");
 *   lr_report_put_time(out, &c, usec);
 *   lr_report_put_escaped(out, msg, len, LR_ESC_HTML);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "notify/report.h"

struct lr_buf;

#define LR_REPORT_FRAC_MARK '\x01' /* where %f goes in a rendered time */

enum lr_report_esc { LR_ESC_TEXT_CELL, LR_ESC_HTML };

struct lr_report_clock {
  bool valid;
  int64_t sec;
  struct tm tm;
  char text[128]; /* the time in the format, %f as LR_REPORT_FRAC_MARK */
  size_t textlen;
  int64_t day;    /* days since the epoch of the local calendar date */
  char fmt[96];   /* the format, %f as LR_REPORT_FRAC_MARK */
  bool frac;      /* it has %f */
  /* how times are escaped: the format's own text ("%H:%M <%Z>", "%n") is
   * the rules', and must not break a text cell or the HTML */
  enum lr_report_esc esc;
};

/* format NULL: LR_REPORT_TIME_FORMAT; one that does not fit: the default. */
void lr_report_clock_init(struct lr_report_clock *c, const char *format);
void lr_report_clock_load(struct lr_report_clock *c, int64_t sec);
void lr_report_put_time(struct lr_buf *out, struct lr_report_clock *c, int64_t usec);
int64_t lr_report_floor_div(int64_t a, int64_t b);
static inline int64_t lr_report_usec_sec(int64_t usec) { return lr_report_floor_div(usec, 1000000); }

/* Text cells: newlines as spaces, | as \|; HTML: & < > " ' as entities,
 * newlines as <br>; both: NUL as U+FFFD. */
void lr_report_put_escaped(struct lr_buf *out, const char *s, size_t len, enum lr_report_esc mode);
/* UTF-8 characters (lead bytes) of s: the width of a text column. */
size_t lr_report_text_width(const char *s, size_t len);

#define LR_REPORT_ADD_LIT(b, lit) lr_buf_add((b), (lit), sizeof(lit) - 1)

/* report_summary.c: "== Summary" (text) or its HTML, from the counts. */
void lr_report_summary_text(struct lr_buf *out, const struct lr_report_count *counts, size_t n);
void lr_report_summary_html(struct lr_buf *out, const struct lr_report_count *counts, size_t n);
/* A host section's line: "9000 entries read: uwsgi 4000, gitea 2000, ..." */
void lr_report_host_entries(struct lr_buf *out, const struct lr_report_count *counts, size_t n,
                            const char *host, size_t host_len, enum lr_report_esc mode);
/* Distinct hosts of the entry counts, at most 2 (enough to decide on sections). */
size_t lr_report_count_hosts(const struct lr_report_count *counts, size_t n);

/* report_chart.c: the HTML activity chart (lines per hour, or per day beyond a week). */
void lr_report_html_chart(struct lr_buf *out, struct lr_report_clock *c,
                          const struct lr_report_line *lines, size_t n, int64_t tmin,
                          int64_t tmax);
