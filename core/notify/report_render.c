#include "notify/report_render.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

static const char UTF8_REPLACEMENT[] = "\xEF\xBF\xBD";

/* The administrator's format (email.reportTimeFormat), checked at load time. */
static size_t format_time(char *out, size_t size, const char *fmt, const struct tm *tm)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return strftime(out, size, fmt, tm);
#pragma GCC diagnostic pop
}

int64_t lr_report_floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }

/* The format with each %f as the mark (%% kept for strftime); -1 when it
 * does not fit. */
static int prepare(char *out, size_t size, const char *fmt, bool *frac)
{
  size_t o = 0;
  *frac = false;
  for (const char *p = fmt; *p; p++) {
    if (o + 3 > size)
      return -1;
    if (p[0] == '%' && p[1] == 'f') {
      out[o++] = LR_REPORT_FRAC_MARK;
      *frac = true;
      p++;
    } else if (p[0] == '%' && p[1] == '%') {
      out[o++] = *p++;
      out[o++] = *p;
    } else {
      out[o++] = *p;
    }
  }
  out[o] = '\0';
  return 0;
}

void lr_report_clock_init(struct lr_report_clock *c, const char *format)
{
  memset(c, 0, sizeof(*c));
  if (!format || prepare(c->fmt, sizeof(c->fmt), format, &c->frac) < 0)
    prepare(c->fmt, sizeof(c->fmt), LR_REPORT_TIME_FORMAT, &c->frac);
}

int lr_report_time_format_check(const char *fmt, char *why, size_t whylen)
{
  struct lr_report_clock c;
  memset(&c, 0, sizeof(c));
  if (!fmt || !*fmt || strlen(fmt) > 64 || prepare(c.fmt, sizeof(c.fmt), fmt, &c.frac) < 0) {
    snprintf(why, whylen, "give a strftime format of 1 to 64 characters (%%f: microseconds)");
    return -1;
  }
  for (const char *p = fmt; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      snprintf(why, whylen, "a control character in the format");
      return -1;
    }
  struct tm tm = {.tm_year = 126, .tm_mon = 11, .tm_mday = 31, .tm_hour = 23, .tm_min = 59,
                  .tm_sec = 59, .tm_wday = 4, .tm_yday = 364};
  if (format_time(c.text, sizeof(c.text), c.fmt, &tm) == 0) {
    snprintf(why, whylen, "\"%s\" gives an empty or too long time", fmt);
    return -1;
  }
  return 0;
}

void lr_report_clock_load(struct lr_report_clock *c, int64_t sec)
{
  if (c->valid && c->sec == sec)
    return;
  c->valid = true;
  c->sec = sec;
  time_t t = (time_t)sec;
  if (!localtime_r(&t, &c->tm)) /* year out of int range: not a real log time */
    c->tm = (struct tm){.tm_mday = 1, .tm_year = 70};
  const struct tm *tm = &c->tm;
  size_t len = format_time(c->text, sizeof(c->text), c->fmt, tm);
  if (len == 0) { /* absurd years do not fit a format: the plain layout */
    int n = snprintf(c->text, sizeof(c->text), "%04lld-%02d-%02d %02d:%02d:%02d",
                     (long long)tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
                     tm->tm_min, tm->tm_sec);
    len = n < 0 ? 0 : (size_t)n < sizeof(c->text) ? (size_t)n : sizeof(c->text) - 1;
  }
  c->textlen = len;
  /* The calendar date as a day number: timegm of its midnight, exact in UTC. */
  struct tm midnight = {.tm_year = tm->tm_year, .tm_mon = tm->tm_mon, .tm_mday = tm->tm_mday};
  c->day = lr_report_floor_div((int64_t)timegm(&midnight), 86400);
}

void lr_report_put_time(struct lr_buf *out, struct lr_report_clock *c, int64_t usec)
{
  int64_t sec = lr_report_usec_sec(usec);
  lr_report_clock_load(c, sec);
  if (!c->frac) {
    lr_report_put_escaped(out, c->text, c->textlen, c->esc);
    return;
  }
  int64_t frac = usec - sec * 1000000;
  char digits[6];
  for (int i = 5; i >= 0; i--, frac /= 10)
    digits[i] = (char)('0' + frac % 10);
  const char *p = c->text, *end = c->text + c->textlen, *m;
  while ((m = memchr(p, LR_REPORT_FRAC_MARK, (size_t)(end - p)))) {
    lr_report_put_escaped(out, p, (size_t)(m - p), c->esc);
    lr_buf_add(out, digits, 6);
    p = m + 1;
  }
  lr_report_put_escaped(out, p, (size_t)(end - p), c->esc);
}

/* What replaces s[i], or NULL to keep the byte. */
static const char *escape_byte(enum lr_report_esc mode, const char *s, size_t len, size_t i)
{
  switch (s[i]) {
  case '\0':
    return UTF8_REPLACEMENT;
  case '\r':
    if (i + 1 < len && s[i + 1] == '\n')
      return ""; /* CRLF is one newline */
    /* fall through */
  case '\n':
    return mode == LR_ESC_TEXT_CELL ? " " : "<br>";
  case '|':
    return mode == LR_ESC_TEXT_CELL ? "\\|" : NULL;
  case '&':
    return mode == LR_ESC_HTML ? "&amp;" : NULL;
  case '<':
    return mode == LR_ESC_HTML ? "&lt;" : NULL;
  case '>':
    return mode == LR_ESC_HTML ? "&gt;" : NULL;
  case '"':
    return mode == LR_ESC_HTML ? "&quot;" : NULL;
  case '\'':
    return mode == LR_ESC_HTML ? "&#39;" : NULL;
  default:
    return NULL;
  }
}

void lr_report_put_escaped(struct lr_buf *out, const char *s, size_t len, enum lr_report_esc mode)
{
  if (len == 0) /* s may then be NULL */
    return;
  size_t plain = 0; /* start of the bytes kept as they are */
  for (size_t i = 0; i < len; i++) {
    const char *rep = escape_byte(mode, s, len, i);
    if (!rep)
      continue;
    lr_buf_add(out, s + plain, i - plain);
    lr_buf_add(out, rep, strlen(rep));
    plain = i + 1;
  }
  lr_buf_add(out, s + plain, len - plain);
}

size_t lr_report_text_width(const char *s, size_t len)
{
  size_t w = 0;
  for (size_t i = 0; i < len; i++)
    w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}
