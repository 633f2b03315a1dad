/* Plain text lines: each built-in timestamp form in real lines, syslog headers
 * taken apart as journald would, near-misses, and hostile lines (long, NUL,
 * not UTF-8). TZ is UTC here, then CET for the local forms. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "input/line_parse.h"

#define S(lit) lit, sizeof(lit) - 1

static struct lr_line L;
static char got[512];

static const char *str(const char *p, size_t n)
{
  if (!p)
    return "(none)";
  snprintf(got, sizeof(got), "%.*s", (int)n, p);
  return got;
}

static const int64_t NOW = 1709510400LL * 1000000; /* 2024-03-04 00:00:00 UTC */
#define US(sec) ((int64_t)(sec) * 1000000)

static void parse(const char *s, size_t n) { lr_line_parse(s, n, NOW, &L); }

static void formats_utc(void)
{
  /* nginx/apache access: the first [dd/Mon/yyyy:HH:MM:SS zone] */
  const char acc[] = "203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.1\" 200 2326 "
                     "\"-\" \"[01/Jan/2001:00:00:00 +0000]\"";
  parse(S(acc));
  CHECK_INT(L.time_usec, US(971211336)); /* 2000-10-10 20:55:36 UTC */
  CHECK_STR(str(L.msg, L.msg_len), acc);
  CHECK(L.host == NULL && L.ident == NULL && L.priority == -1);
  parse(S("1.2.3.4 - - [xx] [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.0\" 404 0"));
  CHECK_INT(L.time_usec, US(971186136));

  /* nginx error log (local: UTC here) */
  parse(S("2024/03/04 00:08:18 [error] 1234#1234: *5 open() \"/x\" failed (2: No such file)"));
  CHECK_INT(L.time_usec, NOW + US(498));
  CHECK_STR(str(L.msg, L.msg_len), "2024/03/04 00:08:18 [error] 1234#1234: *5 open() \"/x\" "
                                   "failed (2: No such file)");

  /* exim mainlog: plain, with milliseconds, with a zone */
  parse(S("2024-03-04 00:08:18 1rh2Xk-0001ab-Cd <= a@b.example H=(x) [192.0.2.1] P=esmtp S=1"));
  CHECK_INT(L.time_usec, NOW + US(498));
  parse(S("2024-03-04 00:08:18.123 1rh2Xk-0001ab-Cd Completed"));
  CHECK_INT(L.time_usec, NOW + US(498) + 123000);
  parse(S("2024-03-04 00:08:18.123 +0100 1rh2Xk-0001ab-Cd Completed"));
  CHECK_INT(L.time_usec, NOW + US(498 - 3600) + 123000);
  parse(S("2024-03-04 00:08:18 -0230 H=x rejected"));
  CHECK_INT(L.time_usec, NOW + US(498 + 9000));

  /* RFC 3339 */
  /* rsyslog's file format on Debian 12: RFC 3339, host, tag, as journald splits it */
  parse(S("2024-03-04T00:08:18.123456+01:00 web01 haproxy[1234]: 203.0.113.9:4242 [04/Mar/2024:00:08:18.120] fe be/<NOSRV> 0/-1/-1/-1/0 401 0 - - PR-- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\""));
  CHECK_INT(L.time_usec, NOW + US(498 - 3600) + 123456);
  CHECK_STR(str(L.host, L.host_len), "web01");
  CHECK_STR(str(L.ident, L.ident_len), "haproxy");
  CHECK_STR(str(L.pid, L.pid_len), "1234");
  CHECK(strncmp(L.msg, "203.0.113.9:4242 [04/Mar", 24) == 0);
  parse(S("2024-03-04T00:08:18Z done"));
  CHECK_INT(L.time_usec, NOW + US(498));
  CHECK(L.host == NULL && L.ident == NULL);
  CHECK_STR(str(L.msg, L.msg_len), "2024-03-04T00:08:18Z done");

  /* RFC 3164, with the year guessed */
  parse(S("Mar  4 00:08:18 web01 sshd[4242]: Failed password for root from 192.0.2.7 port 22"));
  CHECK_INT(L.time_usec, NOW + US(498));
  CHECK_STR(str(L.host, L.host_len), "web01");
  CHECK_STR(str(L.ident, L.ident_len), "sshd");
  CHECK_STR(str(L.pid, L.pid_len), "4242");
  CHECK_STR(str(L.msg, L.msg_len), "Failed password for root from 192.0.2.7 port 22");
  parse(S("Mar 04 00:08:18 web01 kernel: [  1.23] usb 1-1: new device"));
  CHECK_INT(L.time_usec, NOW + US(498));
  CHECK_STR(str(L.ident, L.ident_len), "kernel");
  CHECK(L.pid == NULL);
  CHECK_STR(str(L.msg, L.msg_len), "[  1.23] usb 1-1: new device");
  /* Dec 31 seen on Mar 4: last year's */
  parse(S("Dec 31 23:59:59 web01 cron[1]: x"));
  CHECK_INT(L.time_usec, US(1704067199)); /* 2023-12-31 23:59:59 */
  /* tomorrow is still this year; the day after is last year's */
  parse(S("Mar  5 00:00:00 h t: x"));
  CHECK_INT(L.time_usec, NOW + US(86400));
  parse(S("Mar  5 00:00:01 h t: x"));
  CHECK_INT(L.time_usec, NOW + US(86401) - US(366 * 86400));
  /* no tag after the host: not a syslog header but a program's own line with
   * a syslog-like date (SOGo, prosody): kept whole, its time taken */
  parse(S("Mar  4 00:08:18 web01 -- MARK --"));
  CHECK(L.host == NULL && L.ident == NULL);
  CHECK_STR(str(L.msg, L.msg_len), "Mar  4 00:08:18 web01 -- MARK --");
  CHECK_INT(L.time_usec, NOW + US(8 * 60 + 18));
  parse(S("Mar 04 00:08:18 sogod [26818]: SOGoRootPage Login from '203.0.113.9' for user 'x'"));
  CHECK(L.host == NULL && L.ident == NULL);
  CHECK_STR(str(L.msg, L.msg_len), "Mar 04 00:08:18 sogod [26818]: SOGoRootPage Login from '203.0.113.9' for user 'x'");
  parse(S("Mar 04 00:08:18 c2s55d0c6a1f2a0\tinfo\tFailed authentication attempt"));
  CHECK(L.host == NULL && L.ident == NULL);
  CHECK_STR(str(L.msg, L.msg_len), "Mar 04 00:08:18 c2s55d0c6a1f2a0\tinfo\tFailed authentication attempt");

  /* <PRI> and RFC 3164 */
  parse(S("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8"));
  CHECK_INT(L.priority, 2);
  CHECK_INT(L.facility, 4);
  CHECK_STR(str(L.host, L.host_len), "mymachine");
  CHECK_STR(str(L.ident, L.ident_len), "su");
  CHECK_STR(str(L.msg, L.msg_len), "'su root' failed for lonvick on /dev/pts/8");
  CHECK_INT(L.time_usec, US(1697062455)); /* 2023-10-11 22:14:15 */

  /* RFC 5424 */
  parse(S("<165>1 2024-03-04T00:08:18.003Z mymachine.example.com evntslog 77 ID47 "
          "[exampleSDID@32473 iut=\"3\" eventSource=\"App]lication\"] \xEF\xBB\xBF" "An application event"));
  CHECK_INT(L.priority, 5);
  CHECK_INT(L.facility, 20);
  CHECK_INT(L.time_usec, NOW + US(498) + 3000);
  CHECK_STR(str(L.host, L.host_len), "mymachine.example.com");
  CHECK_STR(str(L.ident, L.ident_len), "evntslog");
  CHECK_STR(str(L.pid, L.pid_len), "77");
  CHECK_STR(str(L.msg, L.msg_len), "An application event");
  parse(S("<13>1 - - app - - - hello"));
  CHECK_INT(L.time_usec, -1);
  CHECK(L.host == NULL && L.pid == NULL);
  CHECK_STR(str(L.ident, L.ident_len), "app");
  CHECK_STR(str(L.msg, L.msg_len), "hello");
  parse(S("<13>just text"));
  CHECK_INT(L.priority, 5);
  CHECK_INT(L.facility, 1);
  CHECK_STR(str(L.msg, L.msg_len), "just text");
}

static void formats_local(void)
{
  setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
  tzset();
  parse(S("2024/03/04 00:08:18 [error] x"));
  CHECK_INT(L.time_usec, NOW + US(498 - 3600));
  parse(S("2024-07-04 00:08:18 exim summer"));
  CHECK_INT(L.time_usec, US(1720051200 + 498 - 7200));
  parse(S("2024-03-04 00:08:18 +0000 zoned wins"));
  CHECK_INT(L.time_usec, NOW + US(498));
  parse(S("Mar  4 00:08:18 h t[1]: x"));
  CHECK_INT(L.time_usec, NOW + US(498 - 3600));
  parse(S("[10/Oct/2000:13:55:36 -0700] zoned"));
  CHECK_INT(L.time_usec, US(971211336));
  setenv("TZ", "UTC", 1);
  tzset();
}

static void no_time(void)
{
  static const char *const lines[] = {
    "hello world",
    "",
    "2024-13-04 00:08:18 month 13",
    "2024-02-30 00:08:18 no such day",
    "2023-02-29 00:08:18 not a leap year",
    "2024-03-04 24:00:00 hour 24",
    "2024-03-04 00:08 no seconds",
    "2024-03-04T00:08:18 no zone in RFC 3339",
    "2024-03-04T00:08:18+0100x",
    "2024/03/04 00:08:18x glued",
    "Mar 32 00:08:18 host t: day 32",
    "Foo  4 00:08:18 host t: no such month",
    "Mar  4 0:08:18 host t: short hour",
    "x [10/Oct/2000:13:55:36] no zone",
    "x [10/Oct/2000:13:55:36 -0700 no bracket",
    "x [31/Feb/2000:13:55:36 -0700] no such day",
    "<192>1 2024-03-04T00:08:18Z h a p m - pri too high",
    "<1a>text",
  };
  for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
    parse(lines[i], strlen(lines[i]));
    if (L.time_usec != -1 || L.msg != lines[i] || L.msg_len != strlen(lines[i]) || L.host ||
        L.ident || L.priority != -1)
      fprintf(stderr, "FAIL: took a time or header in \"%s\"\n", lines[i]);
    CHECK(L.time_usec == -1 && L.msg == lines[i] && L.host == NULL && L.priority == -1);
  }
}

static void hostile(void)
{
  /* NUL and bytes that are not UTF-8 are kept */
  const char nul[] = "Mar  4 00:08:18 h t[9]: a\0b\xff\xfe";
  parse(nul, sizeof(nul) - 1);
  CHECK_INT(L.msg_len, 5);
  CHECK(memcmp(L.msg, "a\0b\xff\xfe", 5) == 0);
  const char nul2[] = "\0[10/Oct/2000:13:55:36 -0700]\0";
  parse(nul2, sizeof(nul2) - 1);
  CHECK_INT(L.time_usec, US(971211336));
  CHECK_INT(L.msg_len, sizeof(nul2) - 1);
  /* only len bytes are read */
  parse("2024-03-04 00:08:18", 12);
  CHECK_INT(L.time_usec, -1);
  parse("Mar  4 00:08:18 h t: x", 15);
  CHECK_INT(L.time_usec, NOW + US(498));
  CHECK(L.host == NULL);

  /* lr_line_read: a 100 KB line cut at 64 KiB, CR dropped, NUL kept, last line
   * without a newline */
  size_t big = 100 * 1000;
  char *data = malloc(big + 64);
  REQUIRE(data != NULL);
  memset(data, '[', big);
  size_t n = big;
  memcpy(data + n, "\nab\r\nc\0d\xff\ne", 11);
  n += 11;
  parse(data, big);
  CHECK_INT(L.time_usec, -1);
  FILE *f = fmemopen(data, n, "rb");
  REQUIRE(f != NULL);
  char *buf = malloc(LR_LINE_MAX);
  REQUIRE(buf != NULL);
  size_t len;
  bool cut;
  CHECK_INT(lr_line_read(f, buf, LR_LINE_MAX, &len, &cut), 1);
  CHECK_INT(len, LR_LINE_MAX);
  CHECK(cut);
  CHECK(buf[0] == '[' && buf[len - 1] == '[');
  CHECK_INT(lr_line_read(f, buf, LR_LINE_MAX, &len, &cut), 1);
  CHECK_INT(len, 2);
  CHECK(!cut && memcmp(buf, "ab", 2) == 0);
  CHECK_INT(lr_line_read(f, buf, LR_LINE_MAX, &len, &cut), 1);
  CHECK_INT(len, 4);
  CHECK(memcmp(buf, "c\0d\xff", 4) == 0);
  CHECK_INT(lr_line_read(f, buf, LR_LINE_MAX, &len, &cut), 1);
  CHECK_INT(len, 1);
  CHECK(buf[0] == 'e');
  CHECK_INT(lr_line_read(f, buf, LR_LINE_MAX, &len, &cut), 0);
  fclose(f);
  free(buf);
  free(data);
}

int main(void)
{
  setenv("TZ", "UTC", 1);
  tzset();
  formats_utc();
  formats_local();
  no_time();
  hostile();
  return check_done();
}
