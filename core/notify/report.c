#include "notify/report.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

static const char *const level_names[] = {"WARN", "INFO", "OTHER"};
static const char *const details_names[] = {"ALL", "NONE", "FIRST", "LAST", "FIRSTLAST"};
static const char *const section_titles[] = {"WARNING Messages", "Information Messages",
                                             "Other log events"};
/* Chart colours, per level; the numbers are printed too, for stripped colours. */
static const char *const level_colours[] = {"#d9534f", "#337ab7", "#9e9e9e"};

#define BAR_MAX_PX 400      /* bar of the busiest chart row */
#define BAR_MIN_PX 2        /* a non-zero count stays visible */
#define CHART_HOURLY_DAYS 7 /* beyond that, one chart row per day */
#define CHART_MAX_DAYS 400  /* beyond that (bogus timestamps), no chart */
#define LISTING_INDENT 28   /* "YYYY-MM-DD HH:MM:SS.ffffff: " */

static const char TXT_TABLE_DELIM[] =
  "|===============================================================================\n";
static const char TXT_TABLE_HEADER[] =
  "|Count|Message                                    |Date+time for each occurrence\n";
static const char TXT_LISTING_DELIM[] = "----------\n";
static const char TXT_TIMES_SEP[] = " +\n       ";
static const char UTF8_REPLACEMENT[] = "\xEF\xBF\xBD";

#define ADD_LIT(b, lit) lr_buf_add((b), (lit), sizeof(lit) - 1)
static void add_str(struct lr_buf *b, const char *s) { lr_buf_add(b, s, strlen(s)); }

/* ---- names ---- */

static int find_name(const char *const *names, size_t count, const char *name)
{
  for (size_t i = 0; name && i < count; i++)
    if (strcmp(names[i], name) == 0)
      return (int)i;
  return -1;
}

int lr_report_level_parse(const char *name)
{
  return find_name(level_names, sizeof(level_names) / sizeof(*level_names), name);
}

int lr_report_details_parse(const char *name)
{
  return find_name(details_names, sizeof(details_names) / sizeof(*details_names), name);
}

const char *lr_report_level_name(enum lr_report_level level)
{
  return (unsigned)level <= LR_REPORT_OTHER ? level_names[level] : "?";
}

const char *lr_report_details_name(enum lr_report_details details)
{
  return (unsigned)details <= LR_DETAILS_FIRSTLAST ? details_names[details] : "?";
}

/* Out-of-range values from a buggy caller fall back to OTHER and ALL. */
static unsigned level_of(const struct lr_report_line *l)
{
  return (unsigned)l->level <= LR_REPORT_OTHER ? (unsigned)l->level : LR_REPORT_OTHER;
}

static enum lr_report_details details_of(const struct lr_report_line *l)
{
  return (unsigned)l->details <= LR_DETAILS_FIRSTLAST ? l->details : LR_DETAILS_ALL;
}

/* ---- local time, cached per second (localtime_r is the hot spot) ---- */

struct clock {
  bool valid;
  int64_t sec;
  struct tm tm;
  char text[96]; /* "YYYY-MM-DD HH:MM:SS" (longer for absurd years) */
  size_t textlen;
  int64_t day;   /* days since the epoch of the local calendar date */
};

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }

static void clock_load(struct clock *c, int64_t sec)
{
  if (c->valid && c->sec == sec)
    return;
  c->valid = true;
  c->sec = sec;
  time_t t = (time_t)sec;
  if (!localtime_r(&t, &c->tm)) /* year out of int range: not a real log time */
    c->tm = (struct tm){.tm_mday = 1, .tm_year = 70};
  const struct tm *tm = &c->tm;
  int len = snprintf(c->text, sizeof(c->text), "%04lld-%02d-%02d %02d:%02d:%02d",
                     (long long)tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
                     tm->tm_min, tm->tm_sec);
  c->textlen = len < 0 ? 0 : (size_t)len < sizeof(c->text) ? (size_t)len : sizeof(c->text) - 1;
  /* The calendar date as a day number: timegm of its midnight, exact in UTC. */
  struct tm midnight = {.tm_year = tm->tm_year, .tm_mon = tm->tm_mon, .tm_mday = tm->tm_mday};
  c->day = floor_div((int64_t)timegm(&midnight), 86400);
}

static int64_t usec_sec(int64_t usec) { return floor_div(usec, 1000000); }

static void put_time(struct lr_buf *out, struct clock *c, int64_t usec)
{
  int64_t sec = usec_sec(usec);
  int64_t frac = usec - sec * 1000000;
  clock_load(c, sec);
  char tail[8] = ".000000";
  for (int i = 6; i >= 1; i--, frac /= 10)
    tail[i] = (char)('0' + frac % 10);
  lr_buf_add(out, c->text, c->textlen);
  lr_buf_add(out, tail, 7);
}

/* ---- message escaping ---- */

enum esc { ESC_TEXT_CELL, ESC_TEXT_LISTING, ESC_HTML };

/* What replaces s[i], or NULL to keep the byte. */
static const char *escape_byte(enum esc mode, const char *s, size_t len, size_t i)
{
  static const char listing_newline[] = "\n                            ";
  _Static_assert(sizeof(listing_newline) == LISTING_INDENT + 2, "indent");
  switch (s[i]) {
  case '\0':
    return UTF8_REPLACEMENT;
  case '\r':
    if (i + 1 < len && s[i + 1] == '\n')
      return ""; /* CRLF is one newline */
    /* fall through */
  case '\n':
    return mode == ESC_TEXT_CELL ? " " : mode == ESC_TEXT_LISTING ? listing_newline : "<br>";
  case '|':
    return mode == ESC_TEXT_CELL ? "\\|" : NULL;
  case '&':
    return mode == ESC_HTML ? "&amp;" : NULL;
  case '<':
    return mode == ESC_HTML ? "&lt;" : NULL;
  case '>':
    return mode == ESC_HTML ? "&gt;" : NULL;
  case '"':
    return mode == ESC_HTML ? "&quot;" : NULL;
  case '\'':
    return mode == ESC_HTML ? "&#39;" : NULL;
  default:
    return NULL;
  }
}

static void put_escaped(struct lr_buf *out, const char *s, size_t len, enum esc mode)
{
  if (len == 0) /* message may then be NULL */
    return;
  size_t plain = 0; /* start of the bytes kept as they are */
  for (size_t i = 0; i < len; i++) {
    const char *rep = escape_byte(mode, s, len, i);
    if (!rep)
      continue;
    lr_buf_add(out, s + plain, i - plain);
    add_str(out, rep);
    plain = i + 1;
  }
  lr_buf_add(out, s + plain, len - plain);
}

/* ---- grouping: one sort of line pointers ---- */

struct report {
  const struct lr_report_line *lines; /* as given, chronological */
  size_t n;
  /* By level; WARN/INFO by message then record order, OTHER by time then
   * record order. Section k is order[sect[k] .. sect[k + 1]). */
  const struct lr_report_line **order;
  size_t sect[4];
  int64_t tmin, tmax;
  struct clock clock;
};

static int cmp_message(const struct lr_report_line *x, const struct lr_report_line *y)
{
  size_t common = x->len < y->len ? x->len : y->len;
  int c = common ? memcmp(x->message, y->message, common) : 0;
  if (c)
    return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

static int cmp_lines(const void *a, const void *b)
{
  const struct lr_report_line *x = *(const struct lr_report_line *const *)a;
  const struct lr_report_line *y = *(const struct lr_report_line *const *)b;
  unsigned lx = level_of(x), ly = level_of(y);
  if (lx != ly)
    return lx < ly ? -1 : 1;
  if (lx != LR_REPORT_OTHER) {
    int c = cmp_message(x, y);
    if (c)
      return c;
  } else if (x->time_usec != y->time_usec) {
    return x->time_usec < y->time_usec ? -1 : 1;
  }
  /* Same array: address order is record order, which makes the sort stable. */
  return x < y ? -1 : x > y;
}

static void report_build(struct report *r, const struct lr_report_line *lines, size_t n)
{
  *r = (struct report){.lines = lines, .n = n};
  if (n == 0)
    return;
  r->order = lr_xreallocarray(NULL, n, sizeof(*r->order));
  r->tmin = r->tmax = lines[0].time_usec;
  size_t per_level[3] = {0};
  for (size_t i = 0; i < n; i++) {
    r->order[i] = &lines[i];
    per_level[level_of(&lines[i])]++;
    if (lines[i].time_usec < r->tmin)
      r->tmin = lines[i].time_usec;
    if (lines[i].time_usec > r->tmax)
      r->tmax = lines[i].time_usec;
  }
  qsort(r->order, n, sizeof(*r->order), cmp_lines);
  for (int k = 0; k < 3; k++)
    r->sect[k + 1] = r->sect[k] + per_level[k];
}

static void report_free(struct report *r) { free(r->order); }

/* End of the run of identical messages starting at order[i]. */
static size_t group_end(const struct report *r, size_t i, size_t end)
{
  size_t j = i + 1;
  while (j < end && cmp_message(r->order[i], r->order[j]) == 0)
    j++;
  return j;
}

/* The occurrence times of group [i, j) per the details mode of its last line. */
static void put_group_times(struct report *r, struct lr_buf *out, size_t i, size_t j,
                            const char *sep)
{
  int64_t first = r->order[i]->time_usec, last = r->order[j - 1]->time_usec;
  enum lr_report_details d = details_of(r->order[j - 1]);
  if (d == LR_DETAILS_FIRSTLAST && j - i < 2)
    d = LR_DETAILS_ALL;
  switch (d) {
  case LR_DETAILS_NONE:
    break;
  case LR_DETAILS_FIRST:
    ADD_LIT(out, "From : ");
    put_time(out, &r->clock, first);
    break;
  case LR_DETAILS_LAST:
    ADD_LIT(out, "Until: ");
    put_time(out, &r->clock, last);
    break;
  case LR_DETAILS_FIRSTLAST:
    ADD_LIT(out, "From : ");
    put_time(out, &r->clock, first);
    add_str(out, sep);
    ADD_LIT(out, "Until: ");
    put_time(out, &r->clock, last);
    break;
  case LR_DETAILS_ALL:
    for (size_t k = i; k < j; k++) {
      if (k > i)
        add_str(out, sep);
      put_time(out, &r->clock, r->order[k]->time_usec);
    }
    break;
  }
}

/* "From <t> to <t>, N lines." */
static void put_period(struct report *r, struct lr_buf *out)
{
  if (r->n == 0) {
    ADD_LIT(out, "No lines.");
    return;
  }
  ADD_LIT(out, "From ");
  put_time(out, &r->clock, r->tmin);
  ADD_LIT(out, " to ");
  put_time(out, &r->clock, r->tmax);
  lr_buf_printf(out, ", %zu line%s.", r->n, r->n == 1 ? "" : "s");
}

/* ---- text part (AsciiDoc, laid out as Pyruse did) ---- */

static void text_table(struct report *r, struct lr_buf *out, unsigned level)
{
  size_t i = r->sect[level], end = r->sect[level + 1];
  if (i == end) {
    ADD_LIT(out, "(none)\n");
    return;
  }
  ADD_LIT(out, TXT_TABLE_DELIM);
  ADD_LIT(out, TXT_TABLE_HEADER);
  while (i < end) {
    size_t j = group_end(r, i, end);
    char count[24];
    int len = snprintf(count, sizeof(count), "%zu", j - i);
    size_t pad = len < 5 ? 5 - (size_t)len : 0; /* centred as Python's {:^5d} */
    ADD_LIT(out, "\n|");
    lr_buf_fill(out, ' ', pad / 2);
    lr_buf_add(out, count, (size_t)len);
    lr_buf_fill(out, ' ', pad - pad / 2);
    lr_buf_addc(out, '|');
    put_escaped(out, r->order[i]->message, r->order[i]->len, ESC_TEXT_CELL);
    ADD_LIT(out, "\n      |");
    put_group_times(r, out, i, j, TXT_TIMES_SEP);
    lr_buf_addc(out, '\n');
    i = j;
  }
  ADD_LIT(out, TXT_TABLE_DELIM);
}

static void text_listing(struct report *r, struct lr_buf *out)
{
  size_t i = r->sect[LR_REPORT_OTHER], end = r->sect[LR_REPORT_OTHER + 1];
  if (i == end) {
    ADD_LIT(out, "(none)\n");
    return;
  }
  ADD_LIT(out, TXT_LISTING_DELIM);
  for (; i < end; i++) {
    put_time(out, &r->clock, r->order[i]->time_usec);
    ADD_LIT(out, ": ");
    put_escaped(out, r->order[i]->message, r->order[i]->len, ESC_TEXT_LISTING);
    lr_buf_addc(out, '\n');
  }
  ADD_LIT(out, TXT_LISTING_DELIM);
}

static void render_text(struct report *r, struct lr_buf *out, const char *title)
{
  ADD_LIT(out, "= ");
  add_str(out, title);
  ADD_LIT(out, "\n\n");
  put_period(r, out);
  ADD_LIT(out, "\n\n");
  for (unsigned level = LR_REPORT_WARN; level <= LR_REPORT_OTHER; level++) {
    lr_buf_printf(out, "%s== %s\n\n", level ? "\n" : "", section_titles[level]);
    if (level == LR_REPORT_OTHER)
      text_listing(r, out);
    else
      text_table(r, out, level);
  }
}

/* ---- HTML part ---- */

static const char HTML_TABLE_OPEN[] =
  "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" "
  "style=\"border-collapse:collapse;white-space:pre-wrap;font-size:13px\">\n";

/* A coloured block: bgcolor for old clients, inline style for the others. */
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
  ADD_LIT(out, "<table cellpadding=\"2\" cellspacing=\"0\" border=\"0\"><tr>");
  for (unsigned level = 0; level < 3; level++) {
    html_swatch(out, level, 12);
    lr_buf_printf(out, "<td style=\"padding-right:12px\">%s</td>", level_names[level]);
  }
  ADD_LIT(out, "<td>Numbers: WARN / INFO / OTHER</td></tr></table>\n");
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
  ADD_LIT(out, "<td width=\"410\" style=\"width:410px\">");
  if (count[0] + count[1] + count[2] == 0) {
    ADD_LIT(out, "&nbsp;");
  } else {
    ADD_LIT(out, "<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr>");
    for (unsigned level = 0; level < 3; level++) {
      if (!count[level])
        continue;
      uint64_t px = ((uint64_t)count[level] * BAR_MAX_PX + busiest / 2) / busiest;
      html_swatch(out, level, px < BAR_MIN_PX ? BAR_MIN_PX : (unsigned)px);
    }
    ADD_LIT(out, "</tr></table>");
  }
  lr_buf_printf(out,
                "</td><td style=\"padding-left:8px;white-space:nowrap\">%zu / %zu / %zu</td>"
                "</tr>\n",
                count[0], count[1], count[2]);
}

/* Lines per hour (per day beyond a week) from 00:00 of the first local day
 * to the end of the last one, as nested tables with proportional widths. */
static void html_chart(struct report *r, struct lr_buf *out)
{
  if (r->n == 0)
    return;
  struct clock *c = &r->clock;
  clock_load(c, usec_sec(r->tmin));
  struct tm first = c->tm;
  int64_t day0 = c->day;
  clock_load(c, usec_sec(r->tmax));
  int64_t days = c->day >= day0 ? c->day - day0 + 1 : 1;
  bool hourly = days <= CHART_HOURLY_DAYS;
  lr_buf_printf(out, "<h2>Activity per %s</h2>\n", hourly ? "hour" : "day");
  if (days > CHART_MAX_DAYS) {
    lr_buf_printf(out, "<p>(no chart: the lines span %lld days)</p>\n", (long long)days);
    return;
  }
  size_t rows = hourly ? (size_t)days * 24 : (size_t)days;
  size_t(*count)[3] = lr_xcalloc(rows, sizeof(*count));
  for (size_t i = 0; i < r->n; i++) { /* input order: chronological, cache-friendly */
    clock_load(c, usec_sec(r->lines[i].time_usec));
    int64_t row = c->day - day0;
    if (hourly)
      row = row * 24 + c->tm.tm_hour;
    /* A DST change at midnight can move a later line to an earlier date. */
    row = row < 0 ? 0 : row >= (int64_t)rows ? (int64_t)rows - 1 : row;
    count[row][level_of(&r->lines[i])]++;
  }
  size_t busiest = 1;
  for (size_t k = 0; k < rows; k++) {
    size_t total = count[k][0] + count[k][1] + count[k][2];
    busiest = total > busiest ? total : busiest;
  }
  html_legend(out);
  ADD_LIT(out, "<table cellpadding=\"1\" cellspacing=\"0\" border=\"0\" "
               "style=\"font-family:monospace;font-size:12px\">\n");
  for (size_t k = 0; k < rows; k++) {
    ADD_LIT(out, "<tr><td style=\"padding-right:8px;white-space:nowrap\">");
    if (!hourly || days > 1)
      put_chart_date(out, &first, hourly ? (int64_t)k / 24 : (int64_t)k);
    if (hourly)
      lr_buf_printf(out, "%s%02zu:00", days > 1 ? " " : "", k % 24);
    ADD_LIT(out, "</td>");
    html_chart_row(out, count[k], busiest);
  }
  ADD_LIT(out, "</table>\n");
  free(count);
}

static void html_table(struct report *r, struct lr_buf *out, unsigned level)
{
  size_t i = r->sect[level], end = r->sect[level + 1];
  if (i == end) {
    ADD_LIT(out, "<p>(none)</p>\n");
    return;
  }
  ADD_LIT(out, HTML_TABLE_OPEN);
  ADD_LIT(out, "<tr><th>Count</th><th>Message</th><th>Date+time for each occurrence</th></tr>\n");
  while (i < end) {
    size_t j = group_end(r, i, end);
    lr_buf_printf(out, "<tr><td align=\"right\" valign=\"top\">%zu</td><td valign=\"top\">", j - i);
    put_escaped(out, r->order[i]->message, r->order[i]->len, ESC_HTML);
    ADD_LIT(out, "</td><td valign=\"top\" nowrap>");
    put_group_times(r, out, i, j, "<br>");
    ADD_LIT(out, "</td></tr>\n");
    i = j;
  }
  ADD_LIT(out, "</table>\n");
}

static void html_listing(struct report *r, struct lr_buf *out)
{
  size_t i = r->sect[LR_REPORT_OTHER], end = r->sect[LR_REPORT_OTHER + 1];
  if (i == end) {
    ADD_LIT(out, "<p>(none)</p>\n");
    return;
  }
  ADD_LIT(out, HTML_TABLE_OPEN);
  ADD_LIT(out, "<tr><th>Date+time</th><th>Message</th></tr>\n");
  for (; i < end; i++) { /* kept terse: there may be a million of them */
    ADD_LIT(out, "<tr><td valign=\"top\" nowrap>");
    put_time(out, &r->clock, r->order[i]->time_usec);
    ADD_LIT(out, "</td><td>");
    put_escaped(out, r->order[i]->message, r->order[i]->len, ESC_HTML);
    ADD_LIT(out, "</td></tr>\n");
  }
  ADD_LIT(out, "</table>\n");
}

static void render_html(struct report *r, struct lr_buf *out, const char *title)
{
  ADD_LIT(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
  put_escaped(out, title, strlen(title), ESC_HTML);
  ADD_LIT(out, "</title></head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;"
               "font-size:14px;color:#222222\">\n<h1>");
  put_escaped(out, title, strlen(title), ESC_HTML);
  ADD_LIT(out, "</h1>\n<p>");
  put_period(r, out);
  ADD_LIT(out, "</p>\n");
  html_chart(r, out);
  for (unsigned level = LR_REPORT_WARN; level <= LR_REPORT_OTHER; level++) {
    lr_buf_printf(out, "<h2>%s</h2>\n", section_titles[level]);
    if (level == LR_REPORT_OTHER)
      html_listing(r, out);
    else
      html_table(r, out, level);
  }
  ADD_LIT(out, "</body>\n</html>\n");
}

/* ---- entry points ---- */

void lr_report_render(struct lr_buf *text, struct lr_buf *html, const char *title,
                      const struct lr_report_line *lines, size_t n)
{
  struct report r;
  report_build(&r, lines, n);
  if (!title)
    title = "";
  if (text)
    render_text(&r, text, title);
  if (html)
    render_html(&r, html, title);
  report_free(&r);
}

void lr_report_render_text(struct lr_buf *out, const char *title,
                           const struct lr_report_line *lines, size_t n)
{
  lr_report_render(out, NULL, title, lines, n);
}

void lr_report_render_html(struct lr_buf *out, const char *title,
                           const struct lr_report_line *lines, size_t n)
{
  lr_report_render(NULL, out, title, lines, n);
}
