/* The HTML part's activity chart: WARN / INFO / OTHER lines per hour (per
 * day beyond a week), as nested tables with proportional widths, bgcolor for
 * old clients and inline styles for the others; the numbers are printed too,
 * for clients that strip colours. */
#include <stdlib.h>
#include <string.h>

#include "notify/report_render.h"
#include "util/buf.h"
#include "util/xalloc.h"

static const char *const level_names[] = {"WARN", "INFO", "OTHER"};
static const char *const level_colours[] = {"#d9534f", "#337ab7", "#9e9e9e"};

#define BAR_MAX_PX 400      /* bar of the busiest chart row */
#define BAR_MIN_PX 2        /* a non-zero count stays visible */
#define CHART_HOURLY_DAYS 7 /* beyond that, one chart row per day */
#define CHART_MAX_DAYS 400  /* beyond that (bogus timestamps), no chart */

static unsigned level_of(const struct lr_report_line *l)
{
  return (unsigned)l->level <= LR_REPORT_OTHER ? (unsigned)l->level : LR_REPORT_OTHER;
}

static void html_swatch(struct lr_buf *out, unsigned level, unsigned width)
{
  const char *colour = level_colours[level];
  lr_buf_printf(out,
                "<td width=\"%u\" height=\"12\" bgcolor=\"%s\" style=\"width:%upx;height:12px;"
                "background-color:%s;font-size:1px;line-height:1px\">&nbsp;</td>",
                width, colour, width, colour);
}

static void html_legend(struct lr_buf *out)
{
  LR_REPORT_ADD_LIT(out, "<table cellpadding=\"2\" cellspacing=\"0\" border=\"0\"><tr>");
  for (unsigned level = 0; level < 3; level++) {
    html_swatch(out, level, 12);
    lr_buf_printf(out, "<td style=\"padding-right:12px\">%s</td>", level_names[level]);
  }
  LR_REPORT_ADD_LIT(out, "<td>Numbers: WARN / INFO / OTHER</td></tr></table>\n");
}

/* "YYYY-MM-DD" of the day `days` after the first line's local date. */
static void put_chart_date(struct lr_buf *out, const struct tm *first, int64_t days)
{
  struct tm t = {.tm_year = first->tm_year, .tm_mon = first->tm_mon,
                 .tm_mday = first->tm_mday + (int)days, .tm_hour = 12};
  timegm(&t); /* normalises the fields */
  lr_buf_printf(out, "%04lld-%02d-%02d", (long long)t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
}

static void html_chart_row(struct lr_buf *out, const size_t count[3], size_t busiest)
{
  LR_REPORT_ADD_LIT(out, "<td width=\"410\" style=\"width:410px\">");
  if (count[0] + count[1] + count[2] == 0) {
    LR_REPORT_ADD_LIT(out, "&nbsp;");
  } else {
    LR_REPORT_ADD_LIT(out, "<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr>");
    for (unsigned level = 0; level < 3; level++) {
      if (!count[level])
        continue;
      uint64_t px = ((uint64_t)count[level] * BAR_MAX_PX + busiest / 2) / busiest;
      html_swatch(out, level, px < BAR_MIN_PX ? BAR_MIN_PX : (unsigned)px);
    }
    LR_REPORT_ADD_LIT(out, "</tr></table>");
  }
  lr_buf_printf(out,
                "</td><td style=\"padding-left:8px;white-space:nowrap\">%zu / %zu / %zu</td>"
                "</tr>\n",
                count[0], count[1], count[2]);
}

/* From 00:00 of the first local day to the end of the last one. */
void lr_report_html_chart(struct lr_buf *out, struct lr_report_clock *c,
                          const struct lr_report_line *lines, size_t n, int64_t tmin,
                          int64_t tmax)
{
  if (n == 0)
    return;
  lr_report_clock_load(c, lr_report_usec_sec(tmin));
  struct tm first = c->tm;
  int64_t day0 = c->day;
  lr_report_clock_load(c, lr_report_usec_sec(tmax));
  int64_t days = c->day >= day0 ? c->day - day0 + 1 : 1;
  bool hourly = days <= CHART_HOURLY_DAYS;
  lr_buf_printf(out, "<h2>Activity per %s</h2>\n", hourly ? "hour" : "day");
  if (days > CHART_MAX_DAYS) {
    lr_buf_printf(out, "<p>(no chart: the lines span %lld days)</p>\n", (long long)days);
    return;
  }
  size_t rows = hourly ? (size_t)days * 24 : (size_t)days;
  size_t(*count)[3] = lr_xcalloc(rows, sizeof(*count));
  for (size_t i = 0; i < n; i++) { /* input order: chronological, cache-friendly */
    lr_report_clock_load(c, lr_report_usec_sec(lines[i].time_usec));
    int64_t row = c->day - day0;
    if (hourly)
      row = row * 24 + c->tm.tm_hour;
    /* A DST change at midnight can move a later line to an earlier date. */
    row = row < 0 ? 0 : row >= (int64_t)rows ? (int64_t)rows - 1 : row;
    count[row][level_of(&lines[i])]++;
  }
  size_t busiest = 1;
  for (size_t k = 0; k < rows; k++) {
    size_t total = count[k][0] + count[k][1] + count[k][2];
    busiest = total > busiest ? total : busiest;
  }
  html_legend(out);
  LR_REPORT_ADD_LIT(out, "<table cellpadding=\"1\" cellspacing=\"0\" border=\"0\" "
                         "style=\"font-family:monospace;font-size:12px\">\n");
  for (size_t k = 0; k < rows; k++) {
    LR_REPORT_ADD_LIT(out, "<tr><td style=\"padding-right:8px;white-space:nowrap\">");
    if (!hourly || days > 1)
      put_chart_date(out, &first, hourly ? (int64_t)k / 24 : (int64_t)k);
    if (hourly)
      lr_buf_printf(out, "%s%02zu:00", days > 1 ? " " : "", k % 24);
    LR_REPORT_ADD_LIT(out, "</td>");
    html_chart_row(out, count[k], busiest);
  }
  LR_REPORT_ADD_LIT(out, "</table>\n");
  free(count);
}
