/* The daily report: whole text output per details mode, grouping and sorting,
 * escaping (text and HTML), the HTML per-hour chart, time zones, and a
 * million-line attack day. */
#define _GNU_SOURCE /* strcasestr, memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "check.h"
#include "notify/report.h"

#define W LR_REPORT_WARN
#define I LR_REPORT_INFO
#define O LR_REPORT_OTHER

static void set_tz(const char *tz)
{
  setenv("TZ", tz, 1);
  tzset();
}

/* 2024-03-<day> hh:mm:ss.us UTC, in microseconds. */
static int64_t at(int day, int h, int m, int s, int us)
{
  struct tm t = {.tm_year = 124, .tm_mon = 2, .tm_mday = day, .tm_hour = h, .tm_min = m,
                 .tm_sec = s};
  return (int64_t)timegm(&t) * 1000000 + us;
}

static struct lr_report_line L(enum lr_report_level level, int64_t t, const char *msg)
{
  return (struct lr_report_line){level, LR_DETAILS_ALL, t, msg, strlen(msg)};
}

static size_t count_occ(const char *hay, const char *needle)
{
  /* memmem on the rest: ASan's strstr re-measures the whole haystack per call */
  size_t n = 0, len = strlen(needle);
  const char *end = hay + strlen(hay);
  for (const char *p = hay; (p = memmem(p, (size_t)(end - p), needle, len)); p += len)
    n++;
  return n;
}

/* The chart row labelled `label` (from the label to the end of its <tr>), in a static buffer. */
static const char *chart_row(const char *html, const char *label)
{
  static char row[4096];
  char key[64];
  snprintf(key, sizeof(key), "nowrap\">%s</td>", label);
  const char *p = strstr(html, key);
  if (!p)
    return "(no such row)";
  const char *e = strstr(p, "</tr>\n"); /* not the bar's nested row */
  size_t len = e ? (size_t)(e - p) : strlen(p);
  if (len >= sizeof(row))
    len = sizeof(row) - 1;
  memcpy(row, p, len);
  row[len] = '\0';
  return row;
}

#define CHART_ROW_START "<tr><td style=\"padding-right:8px;white-space:nowrap\">"

static const char *text_of(struct lr_buf *b, const struct lr_report_line *lines, size_t n)
{
  lr_buf_clear(b);
  lr_report_render_text(b, "Pyruse Report", lines, n);
  return b->data ? b->data : "";
}

static const char *html_of(struct lr_buf *b, const struct lr_report_line *lines, size_t n)
{
  lr_buf_clear(b);
  lr_report_render_html(b, "Pyruse Report", lines, n);
  return b->data ? b->data : "";
}

/* ---- names ---- */

static void test_names(void)
{
  static const char *const levels[] = {"WARN", "INFO", "OTHER"};
  static const char *const details[] = {"ALL", "NONE", "FIRST", "LAST", "FIRSTLAST"};
  for (int i = 0; i < 3; i++) {
    CHECK_INT(lr_report_level_parse(levels[i]), i);
    CHECK_STR(lr_report_level_name((enum lr_report_level)i), levels[i]);
  }
  for (int i = 0; i < 5; i++) {
    CHECK_INT(lr_report_details_parse(details[i]), i);
    CHECK_STR(lr_report_details_name((enum lr_report_details)i), details[i]);
  }
  static const char *const bad[] = {"warn", "WARNING", "", "ERROR", "FIRST ", "all", NULL};
  for (int i = 0; bad[i]; i++) {
    CHECK_INT(lr_report_level_parse(bad[i]), -1);
    CHECK_INT(lr_report_details_parse(bad[i]), -1);
  }
  CHECK_INT(lr_report_level_parse(NULL), -1);
}

/* ---- whole text per details mode ---- */

static size_t day_lines(struct lr_report_line *l, enum lr_report_details d)
{
  size_t n = 0;
  l[n++] = L(W, at(10, 8, 15, 0, 1), "Ban 10.0.0.2");
  l[n++] = L(I, at(10, 8, 15, 30, 500000), "SSH login: alice");
  l[n++] = L(O, at(10, 9, 0, 0, 0), "cron started");
  l[n++] = L(W, at(10, 9, 5, 0, 0), "Ban 10.0.0.1");
  l[n++] = L(W, at(10, 10, 0, 0, 0), "Ban 10.0.0.2");
  l[n++] = L(I, at(10, 10, 30, 0, 0), "SSH login: alice");
  l[n++] = L(O, at(10, 11, 0, 0, 0), "disk check");
  l[n++] = L(W, at(10, 12, 0, 0, 0), "Ban 10.0.0.2");
  l[n++] = L(I, at(10, 13, 0, 0, 0), "SSH login: bob");
  for (size_t i = 0; i < n; i++)
    l[i].details = d;
  return n;
}

#define DELIM "|===============================================================================\n"
#define HEADER "|Count|Message                                    |Date+time for each occurrence\n"
#define TOP \
  "= Pyruse Report\n\n" \
  "From 2024-03-10 08:15:00.000001 to 2024-03-10 13:00:00.000000, 9 lines.\n\n" \
  "== WARNING Messages\n\n" DELIM HEADER
#define MID DELIM "\n== Information Messages\n\n" DELIM HEADER
#define BOTTOM \
  DELIM "\n== Other log events\n\n" \
  "----------\n" \
  "2024-03-10 09:00:00.000000: cron started\n" \
  "2024-03-10 11:00:00.000000: disk check\n" \
  "----------\n"

static const struct {
  enum lr_report_details mode;
  const char *want;
} text_cases[] = {
  {LR_DETAILS_ALL,
   TOP "\n|  1  |Ban 10.0.0.1\n"
       "      |2024-03-10 09:05:00.000000\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |2024-03-10 08:15:00.000001 +\n"
       "       2024-03-10 10:00:00.000000 +\n"
       "       2024-03-10 12:00:00.000000\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |2024-03-10 08:15:30.500000 +\n"
       "       2024-03-10 10:30:00.000000\n"
       "\n|  1  |SSH login: bob\n"
       "      |2024-03-10 13:00:00.000000\n"
   BOTTOM},
  {LR_DETAILS_NONE,
   TOP "\n|  1  |Ban 10.0.0.1\n"
       "      |\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |\n"
       "\n|  1  |SSH login: bob\n"
       "      |\n"
   BOTTOM},
  {LR_DETAILS_FIRST,
   TOP "\n|  1  |Ban 10.0.0.1\n"
       "      |From : 2024-03-10 09:05:00.000000\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |From : 2024-03-10 08:15:00.000001\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |From : 2024-03-10 08:15:30.500000\n"
       "\n|  1  |SSH login: bob\n"
       "      |From : 2024-03-10 13:00:00.000000\n"
   BOTTOM},
  {LR_DETAILS_LAST,
   TOP "\n|  1  |Ban 10.0.0.1\n"
       "      |Until: 2024-03-10 09:05:00.000000\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |Until: 2024-03-10 12:00:00.000000\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |Until: 2024-03-10 10:30:00.000000\n"
       "\n|  1  |SSH login: bob\n"
       "      |Until: 2024-03-10 13:00:00.000000\n"
   BOTTOM},
  {LR_DETAILS_FIRSTLAST, /* a single occurrence shows as ALL */
   TOP "\n|  1  |Ban 10.0.0.1\n"
       "      |2024-03-10 09:05:00.000000\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |From : 2024-03-10 08:15:00.000001 +\n"
       "       Until: 2024-03-10 12:00:00.000000\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |From : 2024-03-10 08:15:30.500000 +\n"
       "       Until: 2024-03-10 10:30:00.000000\n"
       "\n|  1  |SSH login: bob\n"
       "      |2024-03-10 13:00:00.000000\n"
   BOTTOM},
};

static void test_text_modes(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[16];
  for (size_t k = 0; k < sizeof(text_cases) / sizeof(*text_cases); k++) {
    size_t n = day_lines(l, text_cases[k].mode);
    CHECK_STR(text_of(&b, l, n), text_cases[k].want);
  }
  /* the two-part entry point gives the same text */
  struct lr_buf html = {0};
  size_t n = day_lines(l, LR_DETAILS_ALL);
  lr_buf_clear(&b);
  lr_report_render(&b, &html, "Pyruse Report", l, n);
  CHECK_STR(b.data, text_cases[0].want);
  CHECK(html.data && strncmp(html.data, "<!DOCTYPE html>", 15) == 0);
  lr_buf_free(&html);
  lr_buf_free(&b);
}

/* ---- grouping, sorting, counting ---- */

static void test_grouping(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(W, at(10, 1, 0, 0, 0), "abc"),
    L(W, at(10, 1, 0, 1, 0), "\xc3\xa9t\xc3\xa9"), /* é sorts after ASCII (byte order) */
    L(W, at(10, 1, 0, 2, 0), "ab"),                /* prefix before longer */
    L(W, at(10, 1, 0, 3, 0), "B"),                 /* upper case before lower */
    L(I, at(10, 1, 0, 4, 0), "abc"),               /* other level: its own group */
    L(W, at(10, 1, 0, 5, 0), "abc"),
    L(W, at(10, 1, 0, 6, 0), "ab"),
    L(W, at(10, 1, 0, 7, 0), "abc"),
    L(W, at(10, 1, 0, 8, 0), ""),                  /* empty message sorts first */
  };
  const char *t = text_of(&b, l, sizeof(l) / sizeof(*l));
  const char *want_warn =
    DELIM HEADER
    "\n|  1  |\n      |2024-03-10 01:00:08.000000\n"
    "\n|  1  |B\n      |2024-03-10 01:00:03.000000\n"
    "\n|  2  |ab\n      |2024-03-10 01:00:02.000000 +\n       2024-03-10 01:00:06.000000\n"
    "\n|  3  |abc\n      |2024-03-10 01:00:00.000000 +\n       2024-03-10 01:00:05.000000 +\n"
    "       2024-03-10 01:00:07.000000\n"
    "\n|  1  |\xc3\xa9t\xc3\xa9\n      |2024-03-10 01:00:01.000000\n" DELIM;
  CHECK(strstr(t, want_warn) != NULL);
  CHECK(strstr(t, "== Information Messages\n\n" DELIM HEADER
                  "\n|  1  |abc\n      |2024-03-10 01:00:04.000000\n" DELIM) != NULL);
  CHECK(strstr(t, "== Other log events\n\n(none)\n") != NULL);

  /* counts are centred in 5 columns like Python's {:^5d}; wider ones are not cut */
  static struct lr_report_line many[123456];
  for (size_t i = 0; i < 123456; i++)
    many[i] = (struct lr_report_line){W, LR_DETAILS_NONE, at(10, 2, 0, 0, 0) + (int64_t)i,
                                      i < 10 ? "ten" : i < 110 ? "hundred" : "lots",
                                      i < 10 ? 3 : i < 110 ? 7 : 4};
  t = text_of(&b, many, 123456);
  CHECK(strstr(t, "\n|123346|lots\n      |\n") != NULL);
  CHECK(strstr(t, "\n| 100 |hundred\n      |\n") != NULL);
  CHECK(strstr(t, "\n| 10  |ten\n      |\n") != NULL);
  lr_buf_free(&b);
}

/* The details mode of a message's most recent line wins. */
static void test_latest_mode_wins(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(W, at(10, 1, 0, 0, 0), "x"), L(W, at(10, 2, 0, 0, 0), "y"),
    L(W, at(10, 3, 0, 0, 0), "x"), L(W, at(10, 4, 0, 0, 0), "y"),
    L(W, at(10, 5, 0, 0, 0), "x"), L(W, at(10, 6, 0, 0, 0), "y"),
  };
  l[0].details = LR_DETAILS_NONE;
  l[2].details = LR_DETAILS_NONE;
  l[4].details = LR_DETAILS_LAST;  /* x: LAST */
  l[1].details = LR_DETAILS_LAST;
  l[3].details = LR_DETAILS_FIRST;
  l[5].details = LR_DETAILS_NONE;  /* y: NONE */
  const char *t = text_of(&b, l, 6);
  CHECK(strstr(t, "\n|  3  |x\n      |Until: 2024-03-10 05:00:00.000000\n"
                  "\n|  3  |y\n      |\n" DELIM) != NULL);
  l[5].details = LR_DETAILS_FIRSTLAST;
  t = text_of(&b, l, 6);
  CHECK(strstr(t, "\n|  3  |y\n      |From : 2024-03-10 02:00:00.000000 +\n"
                  "       Until: 2024-03-10 06:00:00.000000\n" DELIM) != NULL);
  lr_buf_free(&b);
}

/* OTHER: sorted by time, stable for equal times, even when recorded out of order. */
static void test_other_chronological(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(O, at(10, 5, 0, 0, 0), "e"), L(O, at(10, 3, 0, 0, 0), "c1"),
    L(W, at(10, 4, 0, 0, 0), "w"), L(O, at(10, 3, 0, 0, 0), "c2"),
    L(O, at(10, 1, 0, 0, 0), "a"), L(O, at(10, 3, 0, 0, 0), "c3"),
    L(O, at(10, 5, 0, 0, 0), "e"),
  };
  const char *t = text_of(&b, l, sizeof(l) / sizeof(*l));
  CHECK(strstr(t, "From 2024-03-10 01:00:00.000000 to 2024-03-10 05:00:00.000000, 7 lines.\n")
        != NULL);
  CHECK(strstr(t, "== Other log events\n\n----------\n"
                  "2024-03-10 01:00:00.000000: a\n"
                  "2024-03-10 03:00:00.000000: c1\n"
                  "2024-03-10 03:00:00.000000: c2\n"
                  "2024-03-10 03:00:00.000000: c3\n"
                  "2024-03-10 05:00:00.000000: e\n"
                  "2024-03-10 05:00:00.000000: e\n"
                  "----------\n") != NULL);
  lr_buf_free(&b);
}

/* ---- escaping ---- */

static void test_text_escaping(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(W, at(10, 1, 0, 0, 0), "a|b||c"),
    L(I, at(10, 1, 0, 1, 0), "line1\nline2\r\nline3\rline4\n|==="),
    L(O, at(10, 1, 0, 2, 0), "first\nsecond|x\r\n----------"),
    {W, LR_DETAILS_ALL, at(10, 1, 0, 3, 0), "nul\0byte", 8},
  };
  const char *t = text_of(&b, l, 4);
  CHECK(strstr(t, "\n|  1  |a\\|b\\|\\|c\n") != NULL);
  CHECK(strstr(t, "\n|  1  |line1 line2 line3 line4 \\|===\n      |") != NULL);
  CHECK(strstr(t, "\n|  1  |nul\xef\xbf\xbd" "byte\n") != NULL);
  CHECK(strstr(t, "----------\n2024-03-10 01:00:02.000000: first\n"
                  "                            second|x\n"
                  "                            ----------\n"
                  "----------\n") != NULL);
  /* no message line can pass for a table delimiter */
  CHECK_INT(count_occ(t, DELIM), 4);
  lr_buf_free(&b);
}

static void test_html_escaping(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(W, at(10, 1, 0, 0, 0), "<script>alert(1)</script>"),
    L(I, at(10, 1, 0, 1, 0), "Tom & \"Jerry\" 'x' <b>"),
    L(O, at(10, 1, 0, 2, 0), "<SCRIPT src=x>\nnext<script>"),
    L(O, at(10, 1, 0, 3, 0), "a\r\nb"),
  };
  lr_buf_clear(&b);
  lr_report_render_html(&b, "Report <script>&", l, 4);
  const char *h = b.data;
  static const char head[] = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
                             "Report &lt;script&gt;&amp;</title></head>";
  CHECK(strncmp(h, head, sizeof(head) - 1) == 0);
  CHECK(strstr(h, "<h1>Report &lt;script&gt;&amp;</h1>") != NULL);
  CHECK(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
  CHECK(strstr(h, "Tom &amp; &quot;Jerry&quot; &#39;x&#39; &lt;b&gt;") != NULL);
  CHECK(strstr(h, "&lt;SCRIPT src=x&gt;<br>next&lt;script&gt;") != NULL);
  CHECK(strstr(h, "<td>a<br>b</td>") != NULL);
  CHECK(strcasestr(h, "<script") == NULL);
  CHECK(strcasestr(h, "<style") == NULL);
  CHECK(strcasestr(h, "<svg") == NULL);
  CHECK(strcasestr(h, "<img") == NULL);
  CHECK(strstr(h, "<b>") == NULL);
  CHECK(strstr(h, "\"Jerry\"") == NULL);
  size_t len = strlen(h);
  CHECK(len > 16 && strcmp(h + len - 16, "</body>\n</html>\n") == 0);
  lr_buf_free(&b);
}

/* ---- HTML sections and chart ---- */

static void test_html_day(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[16];
  size_t n = day_lines(l, LR_DETAILS_ALL);
  const char *h = html_of(&b, l, n);
  CHECK(strstr(h, "<p>From 2024-03-10 08:15:00.000001 to 2024-03-10 13:00:00.000000, 9 lines.</p>")
        != NULL);
  CHECK(strstr(h, "<h2>Activity per hour</h2>") != NULL);
  /* sections in Pyruse's order, after the chart */
  const char *chart = strstr(h, "Activity per hour");
  const char *warn = strstr(h, "<h2>WARNING Messages</h2>");
  const char *info = strstr(h, "<h2>Information Messages</h2>");
  const char *other = strstr(h, "<h2>Other log events</h2>");
  CHECK(chart && warn && info && other && chart < warn && warn < info && info < other);
  CHECK(strstr(h, "<tr><td align=\"right\" valign=\"top\">3</td><td valign=\"top\">Ban 10.0.0.2"
                  "</td><td valign=\"top\" nowrap>2024-03-10 08:15:00.000001<br>"
                  "2024-03-10 10:00:00.000000<br>2024-03-10 12:00:00.000000</td></tr>")
        != NULL);
  CHECK(strstr(h, "<tr><td valign=\"top\" nowrap>2024-03-10 09:00:00.000000</td>"
                  "<td>cron started</td></tr>\n<tr><td valign=\"top\" nowrap>"
                  "2024-03-10 11:00:00.000000</td><td>disk check</td></tr>")
        != NULL);
  /* 24 rows, one per hour of the day, "HH:00" labels */
  CHECK_INT(count_occ(h, CHART_ROW_START), 24);
  CHECK(strstr(chart_row(h, "00:00"), "0 / 0 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "08:00"), "1 / 1 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "09:00"), "1 / 0 / 1</td>") != NULL);
  CHECK(strstr(chart_row(h, "10:00"), "1 / 1 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "13:00"), "0 / 1 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "23:00"), "0 / 0 / 0</td>") != NULL);
  /* busiest hour has 2 lines: one line is half of the 400px bar */
  CHECK(strstr(chart_row(h, "09:00"), "<td width=\"200\" height=\"12\" bgcolor=\"#d9534f\"") != NULL);
  CHECK(strstr(chart_row(h, "09:00"), "<td width=\"200\" height=\"12\" bgcolor=\"#9e9e9e\"") != NULL);
  CHECK(strstr(chart_row(h, "09:00"), "background-color:#9e9e9e") != NULL);
  CHECK(strstr(chart_row(h, "09:00"), "#337ab7") == NULL);
  CHECK(strstr(chart_row(h, "00:00"), "bgcolor") == NULL);
  CHECK(strstr(h, "Numbers: WARN / INFO / OTHER") != NULL); /* legend */

  /* a tiny count next to a huge one keeps a visible bar */
  static struct lr_report_line big[1001];
  for (size_t i = 0; i < 1000; i++)
    big[i] = L(O, at(10, 5, 0, 0, 0) + (int64_t)i, "o");
  big[1000] = L(W, at(10, 5, 30, 0, 0), "w");
  h = html_of(&b, big, 1001);
  CHECK(strstr(chart_row(h, "05:00"), "<td width=\"2\" height=\"12\" bgcolor=\"#d9534f\"") != NULL);
  CHECK(strstr(chart_row(h, "05:00"), "<td width=\"400\" height=\"12\" bgcolor=\"#9e9e9e\"") != NULL);
  CHECK(strstr(chart_row(h, "05:00"), "1 / 0 / 1000</td>") != NULL);
  lr_buf_free(&b);
}

static void test_chart_multi_day(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(W, at(10, 23, 30, 0, 0), "late"),
    L(I, at(11, 0, 30, 0, 0), "early"),
    L(I, at(11, 0, 45, 0, 0), "early"),
  };
  const char *h = html_of(&b, l, 3);
  CHECK_INT(count_occ(h, CHART_ROW_START), 48);
  CHECK(strstr(h, CHART_ROW_START "2024-03-10 00:00</td>") != NULL);
  CHECK(strstr(h, CHART_ROW_START "2024-03-11 23:00</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-03-10 23:00"), "1 / 0 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-03-11 00:00"), "0 / 2 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-03-11 01:00"), "0 / 0 / 0</td>") != NULL);

  /* exactly 7 days: still hourly (168 rows) */
  struct lr_report_line week[] = {L(O, at(1, 0, 0, 0, 0), "a"), L(O, at(7, 23, 59, 59, 0), "b")};
  h = html_of(&b, week, 2);
  CHECK_INT(count_occ(h, CHART_ROW_START), 168);
  CHECK(strstr(chart_row(h, "2024-03-07 23:00"), "0 / 0 / 1</td>") != NULL);

  /* more than 7 days: one row per day */
  struct lr_report_line span[] = {
    L(W, at(1, 12, 0, 0, 0), "a"), L(O, at(5, 1, 0, 0, 0), "b"),
    L(O, at(5, 23, 0, 0, 0), "c"), L(I, at(10, 0, 0, 0, 0), "d"),
  };
  h = html_of(&b, span, 4);
  CHECK(strstr(h, "<h2>Activity per day</h2>") != NULL);
  CHECK_INT(count_occ(h, CHART_ROW_START), 10);
  CHECK(strstr(chart_row(h, "2024-03-01"), "1 / 0 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-03-02"), "0 / 0 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-03-05"), "0 / 0 / 2</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-03-10"), "0 / 1 / 0</td>") != NULL);

  /* month and year boundaries in the labels */
  struct lr_report_line ny[] = {
    {O, LR_DETAILS_ALL, (int64_t)1703980800 * 1000000, "dec 31", 6}, /* 2023-12-31 00:00 */
    {O, LR_DETAILS_ALL, (int64_t)1704067200 * 1000000, "jan 1", 5},  /* 2024-01-01 00:00 */
  };
  h = html_of(&b, ny, 2);
  CHECK(strstr(chart_row(h, "2023-12-31 00:00"), "0 / 0 / 1</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-01-01 00:00"), "0 / 0 / 1</td>") != NULL);

  /* absurd spans (a bogus timestamp) give no chart rather than a huge one */
  struct lr_report_line bogus[] = {L(O, 0, "epoch"), L(O, at(10, 0, 0, 0, 0), "now")};
  h = html_of(&b, bogus, 2);
  CHECK(strstr(h, "(no chart: the lines span") != NULL);
  CHECK_INT(count_occ(h, CHART_ROW_START), 0);
  CHECK(strstr(h, "1970-01-01 00:00:00.000000") != NULL);
  lr_buf_free(&b);
}

static void test_empty(void)
{
  struct lr_buf b = {0};
  CHECK_STR(text_of(&b, NULL, 0),
            "= Pyruse Report\n\nNo lines.\n\n"
            "== WARNING Messages\n\n(none)\n"
            "\n== Information Messages\n\n(none)\n"
            "\n== Other log events\n\n(none)\n");
  const char *h = html_of(&b, NULL, 0);
  CHECK(strstr(h, "<p>No lines.</p>") != NULL);
  CHECK(strstr(h, "Activity per") == NULL);
  CHECK_INT(count_occ(h, "<p>(none)</p>"), 3);
  CHECK(strstr(h, "</html>") != NULL);
  lr_buf_free(&b);
}

/* Local time: Europe/Paris is UTC+1 on 2024-03-10; 23:30 UTC is the next day. */
static void test_paris(void)
{
  set_tz("Europe/Paris");
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(W, at(10, 8, 0, 0, 42), "w"),
    L(O, at(10, 23, 30, 0, 0), "o"),
  };
  CHECK_STR(text_of(&b, l, 2),
            "= Pyruse Report\n\n"
            "From 2024-03-10 09:00:00.000042 to 2024-03-11 00:30:00.000000, 2 lines.\n\n"
            "== WARNING Messages\n\n" DELIM HEADER
            "\n|  1  |w\n      |2024-03-10 09:00:00.000042\n" DELIM
            "\n== Information Messages\n\n(none)\n"
            "\n== Other log events\n\n----------\n2024-03-11 00:30:00.000000: o\n----------\n");
  const char *h = html_of(&b, l, 2);
  CHECK_INT(count_occ(h, CHART_ROW_START), 48);
  CHECK(strstr(chart_row(h, "2024-03-10 09:00"), "1 / 0 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-03-11 00:00"), "0 / 0 / 1</td>") != NULL);

  /* spring forward (2024-03-31 02:00 -> 03:00): no line lands in the missing hour */
  struct lr_report_line dst[] = {
    L(O, at(31, 0, 59, 0, 0), "01:59 CET"),
    L(O, at(31, 1, 0, 0, 0), "03:00 CEST"),
  };
  h = html_of(&b, dst, 2);
  CHECK_INT(count_occ(h, CHART_ROW_START), 24);
  CHECK(strstr(chart_row(h, "01:00"), "0 / 0 / 1</td>") != NULL);
  CHECK(strstr(chart_row(h, "02:00"), "0 / 0 / 0</td>") != NULL);
  CHECK(strstr(chart_row(h, "03:00"), "0 / 0 / 1</td>") != NULL);
  lr_buf_free(&b);
  set_tz("UTC");
}

/* Negative times (before 1970) keep a positive fraction. */
static void test_negative_time(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {L(O, -1, "just before")};
  CHECK(strstr(text_of(&b, l, 1), "1969-12-31 23:59:59.999999: just before\n") != NULL);
  lr_buf_free(&b);
}

/* ---- an attack day: a million lines, a thousand distinct messages ---- */

static void test_million(void)
{
  enum { N = 1000000, DISTINCT = 1000 };
  struct lr_report_line *l = malloc(N * sizeof(*l));
  char(*msgs)[32] = malloc(DISTINCT * sizeof(*msgs));
  CHECK(l && msgs);
  if (!l || !msgs)
    return;
  for (int k = 0; k < DISTINCT; k++)
    snprintf(msgs[k], sizeof(msgs[k]), "Ban 10.0.%d.%d", k / 256, k % 256);
  int64_t day0 = at(10, 0, 0, 0, 0);
  size_t want_hour[24][3] = {{0}};
  for (size_t i = 0; i < N; i++) {
    int k = (int)(i % DISTINCT);
    enum lr_report_level lv = k < 600 ? W : k < 900 ? I : O;
    int64_t t = day0 + (int64_t)i * 86400; /* spread over the day */
    l[i] = (struct lr_report_line){lv, LR_DETAILS_ALL, t, msgs[k], strlen(msgs[k])};
    want_hour[(t - day0) / 3600000000][lv]++;
  }
  struct lr_buf text = {0}, html = {0};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  lr_report_render(&text, &html, "Pyruse Report", l, N);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  printf("1M lines: text %zu bytes, html %zu bytes, rendered in %.0f ms\n", text.len, html.len, ms);

  CHECK(strstr(text.data, ", 1000000 lines.\n") != NULL);
  CHECK_INT(count_occ(text.data, "\n|1000 |Ban 10.0."), 900); /* WARN + INFO groups */
  CHECK(strstr(text.data, "\n|1000 |Ban 10.0.0.0\n") != NULL);
  CHECK(strstr(text.data, "\n|1000 |Ban 10.0.2.87\n") != NULL); /* k = 599 */
  CHECK(strstr(text.data, "\n|1000 |Ban 10.0.3.131\n") != NULL); /* k = 899, INFO */
  const char *other = strstr(text.data, "== Other log events");
  CHECK(other && count_occ(other, ": Ban 10.0.") == 100000);
  CHECK(count_occ(html.data, "<tr><td align=\"right\" valign=\"top\">1000</td>") == 900);
  CHECK_INT(count_occ(html.data, CHART_ROW_START), 24);
  static const char *const hours[] = {"00:00", "07:00", "23:00"};
  for (int k = 0; k < 3; k++) {
    int hr = atoi(hours[k]);
    char want[64];
    snprintf(want, sizeof(want), "%zu / %zu / %zu</td>", want_hour[hr][0], want_hour[hr][1],
             want_hour[hr][2]);
    CHECK(strstr(chart_row(html.data, hours[k]), want) != NULL);
  }
  lr_buf_free(&text);
  lr_buf_free(&html);
  free(msgs);
  free(l);
}

int main(void)
{
  set_tz("UTC");
  test_names();
  test_text_modes();
  test_grouping();
  test_latest_mode_wins();
  test_other_chronological();
  test_text_escaping();
  test_html_escaping();
  test_html_day();
  test_chart_multi_day();
  test_empty();
  test_paris();
  test_negative_time();
  test_million();
  return check_done();
}
