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
  return (struct lr_report_line){level, LR_DETAILS_ALL, t, msg, strlen(msg), NULL, 0};
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
  "From 2024-03-10 08:15:00 to 2024-03-10 13:00:00, 9 lines.\n\n" \
  "== WARNING Messages\n\n" DELIM HEADER
#define MID DELIM "\n== Information Messages\n\n" DELIM HEADER
#define OTHER_HEADER "|Count|Message                                    |First and last date+time\n"
#define BOTTOM \
  DELIM "\n== Other log events\n\n" DELIM OTHER_HEADER \
  "\n|  1  |cron started\n      |2024-03-10 09:00:00\n" \
  "\n|  1  |disk check\n      |2024-03-10 11:00:00\n" DELIM

static const struct {
  enum lr_report_details mode;
  const char *want;
} text_cases[] = {
  {LR_DETAILS_ALL,
   TOP "\n|  1  |Ban 10.0.0.1\n"
       "      |2024-03-10 09:05:00\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |2024-03-10 08:15:00 +\n"
       "       2024-03-10 10:00:00 +\n"
       "       2024-03-10 12:00:00\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |2024-03-10 08:15:30 +\n"
       "       2024-03-10 10:30:00\n"
       "\n|  1  |SSH login: bob\n"
       "      |2024-03-10 13:00:00\n"
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
       "      |From : 2024-03-10 09:05:00\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |From : 2024-03-10 08:15:00\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |From : 2024-03-10 08:15:30\n"
       "\n|  1  |SSH login: bob\n"
       "      |From : 2024-03-10 13:00:00\n"
   BOTTOM},
  {LR_DETAILS_LAST,
   TOP "\n|  1  |Ban 10.0.0.1\n"
       "      |Until: 2024-03-10 09:05:00\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |Until: 2024-03-10 12:00:00\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |Until: 2024-03-10 10:30:00\n"
       "\n|  1  |SSH login: bob\n"
       "      |Until: 2024-03-10 13:00:00\n"
   BOTTOM},
  {LR_DETAILS_FIRSTLAST, /* a single occurrence shows as ALL */
   TOP "\n|  1  |Ban 10.0.0.1\n"
       "      |2024-03-10 09:05:00\n"
       "\n|  3  |Ban 10.0.0.2\n"
       "      |From : 2024-03-10 08:15:00 +\n"
       "       Until: 2024-03-10 12:00:00\n"
   MID "\n|  2  |SSH login: alice\n"
       "      |From : 2024-03-10 08:15:30 +\n"
       "       Until: 2024-03-10 10:30:00\n"
       "\n|  1  |SSH login: bob\n"
       "      |2024-03-10 13:00:00\n"
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
  struct lr_report_options o = {.title = "Pyruse Report"};
  lr_report_render(&b, &html, &o, l, n);
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
    "\n|  1  |\n      |2024-03-10 01:00:08\n"
    "\n|  1  |B\n      |2024-03-10 01:00:03\n"
    "\n|  2  |ab\n      |2024-03-10 01:00:02 +\n       2024-03-10 01:00:06\n"
    "\n|  3  |abc\n      |2024-03-10 01:00:00 +\n       2024-03-10 01:00:05 +\n"
    "       2024-03-10 01:00:07\n"
    "\n|  1  |\xc3\xa9t\xc3\xa9\n      |2024-03-10 01:00:01\n" DELIM;
  CHECK(strstr(t, want_warn) != NULL);
  CHECK(strstr(t, "== Information Messages\n\n" DELIM HEADER
                  "\n|  1  |abc\n      |2024-03-10 01:00:04\n" DELIM) != NULL);
  CHECK(strstr(t, "== Other log events\n\n(none)\n") != NULL);

  /* counts are centred in 5 columns like Python's {:^5d}; wider ones are not cut */
  static struct lr_report_line many[123456];
  for (size_t i = 0; i < 123456; i++)
    many[i] = (struct lr_report_line){W, LR_DETAILS_NONE, at(10, 2, 0, 0, 0) + (int64_t)i,
                                      i < 10 ? "ten" : i < 110 ? "hundred" : "lots",
                                      i < 10 ? 3 : i < 110 ? 7 : 4, NULL, 0};
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
  CHECK(strstr(t, "\n|  3  |x\n      |Until: 2024-03-10 05:00:00\n"
                  "\n|  3  |y\n      |\n" DELIM) != NULL);
  l[5].details = LR_DETAILS_FIRSTLAST;
  t = text_of(&b, l, 6);
  CHECK(strstr(t, "\n|  3  |y\n      |From : 2024-03-10 02:00:00 +\n"
                  "       Until: 2024-03-10 06:00:00\n" DELIM) != NULL);
  lr_buf_free(&b);
}

/* OTHER: lines that differ in numbers and addresses fold into one row (the
 * key as its text), identical ones keep their text; rows by first time; the
 * most frequent kept within the bound, and the others counted. */
static void test_other_folded(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(O, at(10, 5, 0, 0, 0), "Connection from 192.0.2.7 port 52311"),
    L(O, at(10, 3, 0, 0, 0), "cron started"),
    L(W, at(10, 4, 0, 0, 0), "w"),
    L(O, at(10, 1, 0, 0, 0), "Connection from 2001:db8::1 port 40022"),
    L(O, at(10, 4, 0, 0, 0), "cron started"),
    L(O, at(10, 6, 0, 0, 0), "Connection from 198.51.100.9 port 22"),
    L(O, at(10, 2, 0, 0, 0), "disk | check"),
  };
  size_t n = sizeof(l) / sizeof(*l);
  const char *t = text_of(&b, l, n);
  CHECK(strstr(t, "From 2024-03-10 01:00:00 to 2024-03-10 06:00:00, 7 lines.\n") != NULL);
  CHECK(strstr(t, "== Other log events\n\n" DELIM OTHER_HEADER
                  "\n|  3  |Connection from <ip> port <n>\n"
                  "      |From : 2024-03-10 01:00:00 +\n"
                  "       Until: 2024-03-10 06:00:00\n"
                  "\n|  1  |disk \\| check\n"
                  "      |2024-03-10 02:00:00\n"
                  "\n|  2  |cron started\n"
                  "      |From : 2024-03-10 03:00:00 +\n"
                  "       Until: 2024-03-10 04:00:00\n" DELIM) != NULL);
  CHECK(strstr(t, "left out") == NULL);

  /* at most 1 row: the most frequent */
  struct lr_report_options o = {.title = "Pyruse Report", .other_rows = 1};
  lr_buf_clear(&b);
  lr_report_render(&b, NULL, &o, l, n);
  lr_buf_addc(&b, '\0');
  CHECK(strstr(b.data, DELIM OTHER_HEADER "\n|  3  |Connection from <ip> port <n>\n"
                       "      |From : 2024-03-10 01:00:00 +\n"
                       "       Until: 2024-03-10 06:00:00\n" DELIM
                       "2 more rows left out (3 lines).\n") != NULL);
  struct lr_buf h = {0};
  o.other_rows = 2;
  lr_report_render(NULL, &h, &o, l, n);
  lr_buf_addc(&h, '\0');
  /* a tie of counts keeps the earlier row */
  CHECK(strstr(h.data, "<td valign=\"top\">Connection from &lt;ip&gt; port &lt;n&gt;</td>"
                       "<td valign=\"top\" nowrap>From : 2024-03-10 01:00:00<br>"
                       "Until: 2024-03-10 06:00:00</td></tr>\n") != NULL);
  CHECK(strstr(h.data, ">cron started<") != NULL);
  CHECK(strstr(h.data, "disk | check") == NULL);
  CHECK(strstr(h.data, "<p>1 more row left out (1 line).</p>") != NULL);
  lr_buf_free(&h);
  lr_buf_free(&b);
}

/* ---- summary and host sections ---- */

static struct lr_report_line H(enum lr_report_level level, int64_t t, const char *msg,
                               const char *host)
{
  struct lr_report_line l = L(level, t, msg);
  l.host = host;
  l.host_len = strlen(host);
  return l;
}

static const struct lr_report_count day_counts[] = {
  {LR_COUNT_ENTRIES, "web1", "nginx", 30, 0, 0},
  {LR_COUNT_ENTRIES, "web1", "sshd", 10, 0, 0},
  {LR_COUNT_ENTRIES, "db1", "postgres", 5, 0, 0},
  {LR_COUNT_ENTRIES, "db1", "sshd", 2, 0, 0},
  {LR_COUNT_ENTRIES, "", "", 1, 0, 0},
  {LR_COUNT_BAN, "192.0.2.7", "sshd", 3, 0, 0},
  {LR_COUNT_BAN, "192.0.2.8", "sshd", 1, 0, 0},
  {LR_COUNT_BAN, "192.0.2.7", "nginx|x", 1, 0, 0},
  {LR_COUNT_EMAIL_SENT, "", "", 2, 0, 0},
  {LR_COUNT_SENDMAIL_FAILED, "", "", 1, 0, 0},
  {LR_COUNT_BAN_REFUSED, "sshd", "", 1, 0, 0},
};

static void test_summary_and_hosts(void)
{
  struct lr_report_count c[sizeof(day_counts) / sizeof(*day_counts)];
  memcpy(c, day_counts, sizeof(c));
  for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
    c[i].first_usec = at(10, 0, 0, 5, 0);
    c[i].last_usec = at(10, 23, 59, 58, 0);
  }
  struct lr_report_line l[] = {
    H(W, at(10, 8, 0, 0, 0), "Ban 10.0.0.1", "web1"),
    H(O, at(10, 9, 0, 0, 0), "Connection from 192.0.2.7 port 1", "web1"),
    H(I, at(10, 11, 0, 0, 0), "login alice", "db1"),
    H(O, at(10, 10, 0, 0, 0), "Connection from 192.0.2.8 port 2", "web1"),
  };
  struct lr_report_options o = {.title = "luruse Report", .summary = true, .counts = c,
                                .ncounts = sizeof(c) / sizeof(*c)};
  struct lr_buf t = {0}, h = {0};
  lr_report_render(&t, &h, &o, l, 4);
  lr_buf_addc(&t, '\0');
  lr_buf_addc(&h, '\0');
  CHECK_STR(t.data,
    "= luruse Report\n\n"
    "From 2024-03-10 00:00:05 to 2024-03-10 23:59:58, 4 lines.\n\n"
    "== Summary\n\n"
    "Entries read: 48, from 3 hosts.\n\n"
    "|===\n"
    "|Host    |Entries\n"
    "|web1    |     40\n"
    "|db1     |      7\n"
    "|(others)|      1\n"
    "|===\n\n"
    "|===\n"
    "|Service |Entries\n"
    "|nginx   |     30\n"
    "|sshd    |     12\n"
    "|postgres|      5\n"
    "|(others)|      1\n"
    "|===\n\n"
    "Bans: 5, of 2 addresses:\n\n"
    "|===\n"
    "|Address  |Jail    |Bans\n"
    "|192.0.2.7|sshd    |   3\n"
    "|192.0.2.7|nginx\\|x|   1\n"
    "|192.0.2.8|sshd    |   1\n"
    "|===\n\n"
    "Emails sent: 2.\n"
    "Errors of luruse: 1 ban refused (the value was no address), 1 sendmail run failed.\n"
    "\n== Host db1\n\n"
    "Entries read: 7 (postgres 5, sshd 2).\n"
    "\n=== WARNING Messages\n\n(none)\n"
    "\n=== Information Messages\n\n" DELIM HEADER
    "\n|  1  |login alice\n      |2024-03-10 11:00:00\n" DELIM
    "\n=== Other log events\n\n(none)\n"
    "\n== Host web1\n\n"
    "Entries read: 40 (nginx 30, sshd 10).\n"
    "\n=== WARNING Messages\n\n" DELIM HEADER
    "\n|  1  |Ban 10.0.0.1\n      |2024-03-10 08:00:00\n" DELIM
    "\n=== Information Messages\n\n(none)\n"
    "\n=== Other log events\n\n" DELIM OTHER_HEADER
    "\n|  2  |Connection from <ip> port <n>\n"
    "      |From : 2024-03-10 09:00:00 +\n"
    "       Until: 2024-03-10 10:00:00\n" DELIM);
  const char *summary = strstr(h.data, "<h2>Summary</h2>");
  const char *chart = strstr(h.data, "<h2>Activity per hour</h2>");
  const char *db1 = strstr(h.data, "<h2>Host db1</h2>\n<p>Entries read: 7 (postgres 5, sshd 2).</p>\n"
                                   "<h3>WARNING Messages</h3>");
  const char *web1 = strstr(h.data, "<h2>Host web1</h2>");
  CHECK(summary && chart && db1 && web1 && summary < chart && chart < db1 && db1 < web1);
  CHECK(strstr(h.data, "<tr><td align=\"left\" valign=\"top\">192.0.2.7</td><td align=\"left\" "
                       "valign=\"top\">nginx|x</td><td align=\"right\" valign=\"top\">1</td></tr>")
        != NULL);
  CHECK(strstr(h.data, "<p>Emails sent: 2.<br>Errors of luruse: 1 ban refused") != NULL);
  CHECK_INT(count_occ(h.data, "<h3>Other log events</h3>"), 2);

  /* one host in the lines, but entries from two: the section is named */
  lr_buf_clear(&t);
  lr_report_render(&t, NULL, &o, l, 2);
  lr_buf_addc(&t, '\0');
  CHECK(strstr(t.data, "\n== Host web1\n\n") != NULL);
  CHECK(strstr(t.data, "== Host db1") == NULL);
  /* one host everywhere: Pyruse's sections, no host heading */
  struct lr_report_count one[] = {{LR_COUNT_ENTRIES, "web1", "nginx", 3, at(10, 1, 0, 0, 0),
                                   at(10, 2, 0, 0, 0)}};
  o.counts = one;
  o.ncounts = 1;
  lr_buf_clear(&t);
  lr_report_render(&t, NULL, &o, l, 2);
  lr_buf_addc(&t, '\0');
  CHECK(strstr(t.data, "== Host") == NULL);
  CHECK(strstr(t.data, "Entries read: 3.\n\n|===\n|Host|Entries\n|web1|      3\n|===\n") != NULL);
  CHECK(strstr(t.data, "\nBans: 0.\n\nEmails sent: 0.\nErrors of luruse: none.\n"
                       "\n== WARNING Messages\n") != NULL);
  /* no counts at all: the summary says so */
  o.ncounts = 0;
  lr_buf_clear(&t);
  lr_report_render(&t, NULL, &o, NULL, 0);
  lr_buf_addc(&t, '\0');
  CHECK(strstr(t.data, "No lines.\n\n== Summary\n\nEntries read: 0.\n\nBans: 0.\n") != NULL);
  lr_buf_free(&t);
  lr_buf_free(&h);
}

/* ---- escaping ---- */

static void test_text_escaping(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[] = {
    L(W, at(10, 1, 0, 0, 0), "a|b||c"),
    L(I, at(10, 1, 0, 1, 0), "line1\nline2\r\nline3\rline4\n|==="),
    L(O, at(10, 1, 0, 2, 0), "first\nsecond|x\r\n----------"),
    {W, LR_DETAILS_ALL, at(10, 1, 0, 3, 0), "nul\0byte", 8, NULL, 0},
  };
  const char *t = text_of(&b, l, 4);
  CHECK(strstr(t, "\n|  1  |a\\|b\\|\\|c\n") != NULL);
  CHECK(strstr(t, "\n|  1  |line1 line2 line3 line4 \\|===\n      |") != NULL);
  CHECK(strstr(t, "\n|  1  |nul\xef\xbf\xbd" "byte\n") != NULL);
  CHECK(strstr(t, "\n|  1  |first second\\|x ----------\n      |2024-03-10 01:00:02\n") != NULL);
  /* no message line can pass for a table delimiter */
  CHECK_INT(count_occ(t, DELIM), 6);
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
  CHECK(strstr(h, "<td valign=\"top\">a<br>b</td>") != NULL);
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

/* Found by fuzzing: the time format is the rules' text, and went into the
 * HTML and the text cells as it was. */
static void test_time_format_escaping(void)
{
  struct lr_report_line l[] = {L(W, at(10, 1, 0, 0, 0), "x"), L(W, at(10, 1, 0, 5, 0), "x")};
  struct lr_report_options o = {.title = "t", .time_format = "%H:%M:%S <b>&|%f"};
  struct lr_buf t = {0}, h = {0};
  lr_report_render(&t, &h, &o, l, 2);
  CHECK(strstr(h.data, "From 01:00:00 &lt;b&gt;&amp;|000000 to "
                       "01:00:05 &lt;b&gt;&amp;|000000") != NULL);
  CHECK(strstr(h.data, "<b>") == NULL);
  CHECK(strstr(t.data, "01:00:00 <b>&\\|000000") != NULL);
  lr_buf_free(&t);
  lr_buf_free(&h);
}

/* ---- HTML sections and chart ---- */

static void test_html_day(void)
{
  struct lr_buf b = {0};
  struct lr_report_line l[16];
  size_t n = day_lines(l, LR_DETAILS_ALL);
  const char *h = html_of(&b, l, n);
  CHECK(strstr(h, "<p>From 2024-03-10 08:15:00 to 2024-03-10 13:00:00, 9 lines.</p>")
        != NULL);
  CHECK(strstr(h, "<h2>Activity per hour</h2>") != NULL);
  /* sections in Pyruse's order, after the chart */
  const char *chart = strstr(h, "Activity per hour");
  const char *warn = strstr(h, "<h2>WARNING Messages</h2>");
  const char *info = strstr(h, "<h2>Information Messages</h2>");
  const char *other = strstr(h, "<h2>Other log events</h2>");
  CHECK(chart && warn && info && other && chart < warn && warn < info && info < other);
  CHECK(strstr(h, "<tr><td align=\"right\" valign=\"top\">3</td><td valign=\"top\">Ban 10.0.0.2"
                  "</td><td valign=\"top\" nowrap>2024-03-10 08:15:00<br>"
                  "2024-03-10 10:00:00<br>2024-03-10 12:00:00</td></tr>")
        != NULL);
  CHECK(strstr(h, "<tr><th>Count</th><th>Message</th><th>First and last date+time</th></tr>\n"
                  "<tr><td align=\"right\" valign=\"top\">1</td><td valign=\"top\">cron started"
                  "</td><td valign=\"top\" nowrap>2024-03-10 09:00:00</td></tr>\n"
                  "<tr><td align=\"right\" valign=\"top\">1</td><td valign=\"top\">disk check"
                  "</td><td valign=\"top\" nowrap>2024-03-10 11:00:00</td></tr>\n")
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
    {O, LR_DETAILS_ALL, (int64_t)1703980800 * 1000000, "dec 31", 6, NULL, 0}, /* 2023-12-31 */
    {O, LR_DETAILS_ALL, (int64_t)1704067200 * 1000000, "jan 1", 5, NULL, 0},  /* 2024-01-01 */
  };
  h = html_of(&b, ny, 2);
  CHECK(strstr(chart_row(h, "2023-12-31 00:00"), "0 / 0 / 1</td>") != NULL);
  CHECK(strstr(chart_row(h, "2024-01-01 00:00"), "0 / 0 / 1</td>") != NULL);

  /* absurd spans (a bogus timestamp) give no chart rather than a huge one */
  struct lr_report_line bogus[] = {L(O, 0, "epoch"), L(O, at(10, 0, 0, 0, 0), "now")};
  h = html_of(&b, bogus, 2);
  CHECK(strstr(h, "(no chart: the lines span") != NULL);
  CHECK_INT(count_occ(h, CHART_ROW_START), 0);
  CHECK(strstr(h, "1970-01-01 00:00:00") != NULL);
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
            "From 2024-03-10 09:00:00 to 2024-03-11 00:30:00, 2 lines.\n\n"
            "== WARNING Messages\n\n" DELIM HEADER
            "\n|  1  |w\n      |2024-03-10 09:00:00\n" DELIM
            "\n== Information Messages\n\n(none)\n"
            "\n== Other log events\n\n" DELIM OTHER_HEADER
            "\n|  1  |o\n      |2024-03-11 00:30:00\n" DELIM);
  /* the time format of email.reportTimeFormat, %f the microseconds */
  struct lr_report_options o = {.title = "T", .time_format = "%d/%m %Hh%M %f%%"};
  lr_buf_clear(&b);
  lr_report_render(&b, NULL, &o, l, 2);
  lr_buf_addc(&b, '\0');
  CHECK(strstr(b.data, "\n|  1  |w\n      |10/03 09h00 000042%\n") != NULL);
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
  struct lr_report_options o = {.title = "T", .time_format = "%Y-%m-%d %H:%M:%S.%f"};
  lr_report_render(&b, NULL, &o, l, 1);
  lr_buf_addc(&b, '\0');
  CHECK(strstr(b.data, "|just before\n      |1969-12-31 23:59:59.999999\n") != NULL);
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
    l[i] = (struct lr_report_line){lv, LR_DETAILS_ALL, t, msgs[k], strlen(msgs[k]), NULL, 0};
    want_hour[(t - day0) / 3600000000][lv]++;
  }
  struct lr_buf text = {0}, html = {0};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct lr_report_options o = {.title = "Pyruse Report"};
  lr_report_render(&text, &html, &o, l, N);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  printf("1M lines: text %zu bytes, html %zu bytes, rendered in %.0f ms\n", text.len, html.len, ms);

  CHECK(strstr(text.data, ", 1000000 lines.\n") != NULL);
  CHECK_INT(count_occ(text.data, "\n|1000 |Ban 10.0."), 900); /* WARN + INFO groups */
  CHECK(strstr(text.data, "\n|1000 |Ban 10.0.0.0\n") != NULL);
  CHECK(strstr(text.data, "\n|1000 |Ban 10.0.2.87\n") != NULL); /* k = 599 */
  CHECK(strstr(text.data, "\n|1000 |Ban 10.0.3.131\n") != NULL); /* k = 899, INFO */
  const char *other = strstr(text.data, "== Other log events");
  /* the 100 OTHER messages (k 900..999) differ only in their address: one row */
  CHECK(other && strstr(other, "\n|100000|Ban <ip>\n      |From : 2024-03-10 00:01:17 +\n") != NULL);
  CHECK(other && count_occ(other, "Ban ") == 1);
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
  test_other_folded();
  test_summary_and_hosts();
  test_text_escaping();
  test_html_escaping();
  test_time_format_escaping();
  test_html_day();
  test_chart_multi_day();
  test_empty();
  test_paris();
  test_negative_time();
  test_million();
  return check_done();
}
