#include "input/line_parse.h"

#include <errno.h>
#include <string.h>
#include <time.h>

int lr_line_read(FILE *f, char *buf, size_t cap, size_t *len, bool *cut)
{
  size_t n = 0;
  bool any = false;
  int c;
  *cut = false;
  errno = 0;
  flockfile(f);
  while ((c = getc_unlocked(f)) != EOF) {
    any = true;
    if (c == '\n')
      break;
    if (n < cap)
      buf[n++] = (char)c;
    else
      *cut = true;
  }
  bool failed = c == EOF && ferror(f);
  funlockfile(f);
  if (failed)
    return -1;
  if (!any)
    return 0;
  if (!*cut && n && buf[n - 1] == '\r')
    n--;
  *len = n;
  return 1;
}

/* A cursor over the line: p moves, e is the end. */
struct cur {
  const char *p, *e;
};

static bool num(struct cur *c, int ndigits, int *out)
{
  if (c->e - c->p < ndigits)
    return false;
  int v = 0;
  for (int i = 0; i < ndigits; i++) {
    if (c->p[i] < '0' || c->p[i] > '9')
      return false;
    v = v * 10 + (c->p[i] - '0');
  }
  c->p += ndigits;
  *out = v;
  return true;
}

static bool lit(struct cur *c, char ch)
{
  if (c->p < c->e && *c->p == ch) {
    c->p++;
    return true;
  }
  return false;
}

static bool at_end_or_space(const struct cur *c) { return c->p == c->e || *c->p == ' '; }

static const char MONTHS[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static bool month(struct cur *c, int *mon)
{
  if (c->e - c->p < 3)
    return false;
  for (int i = 0; i < 12; i++)
    if (memcmp(c->p, MONTHS + 3 * i, 3) == 0) {
      c->p += 3;
      *mon = i + 1;
      return true;
    }
  return false;
}

struct stamp {
  int year, mon, day, hour, min, sec;
  long usec;
  bool zoned;
  long offset; /* seconds east of UTC */
};

static bool valid(const struct stamp *s)
{
  static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (s->mon < 1 || s->mon > 12 || s->day < 1 || s->day > mdays[s->mon - 1] || s->hour > 23 ||
      s->min > 59 || s->sec > 60)
    return false;
  bool leap = (s->year % 4 == 0 && s->year % 100 != 0) || s->year % 400 == 0;
  return !(s->mon == 2 && s->day == 29 && !leap);
}

static int64_t to_usec(const struct stamp *s)
{
  struct tm tm = {.tm_year = s->year - 1900, .tm_mon = s->mon - 1, .tm_mday = s->day,
                  .tm_hour = s->hour, .tm_min = s->min, .tm_sec = s->sec, .tm_isdst = -1};
  time_t t = s->zoned ? timegm(&tm) - s->offset : mktime(&tm);
  return (int64_t)t * 1000000 + s->usec;
}

/* HH:MM:SS */
static bool clock_part(struct cur *c, struct stamp *s)
{
  return num(c, 2, &s->hour) && lit(c, ':') && num(c, 2, &s->min) && lit(c, ':') &&
         num(c, 2, &s->sec);
}

/* .d+ : microseconds from the first six digits */
static bool fraction(struct cur *c, struct stamp *s)
{
  if (!lit(c, '.'))
    return true;
  int n = 0;
  long us = 0;
  while (c->p < c->e && *c->p >= '0' && *c->p <= '9') {
    if (n < 6)
      us = us * 10 + (*c->p - '0');
    n++;
    c->p++;
  }
  for (int i = n; i < 6; i++)
    us *= 10;
  s->usec = us;
  return n > 0;
}

/* +HHMM or +HH:MM */
static bool zone(struct cur *c, struct stamp *s, bool colon)
{
  if (c->p == c->e || (*c->p != '+' && *c->p != '-'))
    return false;
  long sign = *c->p++ == '-' ? -1 : 1;
  int h, m;
  if (!num(c, 2, &h) || (colon && !lit(c, ':')) || !num(c, 2, &m) || h > 23 || m > 59)
    return false;
  s->zoned = true;
  s->offset = sign * (h * 3600L + m * 60L);
  return true;
}

/* 2024-03-04T00:08:18[.123456](Z|+01:00) */
static bool rfc3339(struct cur *c, struct stamp *s)
{
  struct cur k = *c;
  if (!(num(&k, 4, &s->year) && lit(&k, '-') && num(&k, 2, &s->mon) && lit(&k, '-') &&
        num(&k, 2, &s->day) && (lit(&k, 'T') || lit(&k, 't')) && clock_part(&k, s) &&
        fraction(&k, s)))
    return false;
  if (lit(&k, 'Z') || lit(&k, 'z')) {
    s->zoned = true;
    s->offset = 0;
  } else if (!zone(&k, s, true)) {
    return false;
  }
  if (!at_end_or_space(&k) || !valid(s))
    return false;
  *c = k;
  return true;
}

/* exim: 2024-03-04 00:08:18[.123][ +0100] */
static bool exim(struct cur *c, struct stamp *s)
{
  struct cur k = *c;
  if (!(num(&k, 4, &s->year) && lit(&k, '-') && num(&k, 2, &s->mon) && lit(&k, '-') &&
        num(&k, 2, &s->day) && lit(&k, ' ') && clock_part(&k, s) && fraction(&k, s)))
    return false;
  struct cur z = k;
  if (lit(&z, ' ') && zone(&z, s, false) && at_end_or_space(&z))
    k = z;
  if (!at_end_or_space(&k) || !valid(s))
    return false;
  *c = k;
  return true;
}

/* nginx error log: 2024/03/04 00:08:18 */
static bool nginx_error(struct cur *c, struct stamp *s)
{
  struct cur k = *c;
  if (!(num(&k, 4, &s->year) && lit(&k, '/') && num(&k, 2, &s->mon) && lit(&k, '/') &&
        num(&k, 2, &s->day) && lit(&k, ' ') && clock_part(&k, s) && at_end_or_space(&k) &&
        valid(s)))
    return false;
  *c = k;
  return true;
}

/* RFC 3164: "Mar  4 00:08:18" (or "Mar 04"); the year is found later. */
static bool bsd(struct cur *c, struct stamp *s)
{
  struct cur k = *c;
  if (!(month(&k, &s->mon) && lit(&k, ' ')))
    return false;
  if (!(lit(&k, ' ') ? num(&k, 1, &s->day) : (num(&k, 2, &s->day) || num(&k, 1, &s->day))))
    return false;
  if (!(lit(&k, ' ') && clock_part(&k, s) && at_end_or_space(&k)))
    return false;
  s->year = 2000; /* leap: Feb 29 passes; checked again with the real year */
  if (!valid(s))
    return false;
  *c = k;
  return true;
}

static int64_t bsd_time(struct stamp *s, int64_t now_usec)
{
  time_t now = (time_t)(now_usec / 1000000);
  struct tm tm;
  localtime_r(&now, &tm);
  s->year = tm.tm_year + 1900;
  if (valid(s)) {
    int64_t t = to_usec(s);
    if (t <= now_usec + (int64_t)86400 * 1000000)
      return t;
  }
  s->year--;
  return valid(s) ? to_usec(s) : -1;
}

/* nginx/apache access: [10/Oct/2000:13:55:36 -0700] */
static bool access_at(struct cur *c, struct stamp *s)
{
  struct cur k = *c;
  return lit(&k, '[') && num(&k, 2, &s->day) && lit(&k, '/') && month(&k, &s->mon) &&
         lit(&k, '/') && num(&k, 4, &s->year) && lit(&k, ':') && clock_part(&k, s) &&
         lit(&k, ' ') && zone(&k, s, false) && lit(&k, ']') && valid(s);
}

static const char *word(struct cur *c, size_t *len)
{
  const char *w = c->p;
  while (c->p < c->e && *c->p != ' ')
    c->p++;
  *len = (size_t)(c->p - w);
  return w;
}

/* "tag[pid]: " or "tag: " as journald takes it: the first word, ending in ':'. */
static void tag(struct cur *c, struct lr_line *out)
{
  struct cur k = *c;
  size_t l;
  const char *w = word(&k, &l);
  if (l < 2 || w[l - 1] != ':')
    return;
  size_t id = l - 1;
  if (w[id - 1] == ']') {
    for (size_t i = id - 1; i-- > 0;)
      if (w[i] == '[') {
        out->pid = w + i + 1;
        out->pid_len = id - 1 - (i + 1);
        id = i;
        break;
      }
  }
  if (id == 0) {
    out->pid = NULL;
    return;
  }
  out->ident = w;
  out->ident_len = id;
  lit(&k, ' ');
  *c = k;
}

static const char *nil_or(const char *w, size_t *len)
{
  return *len == 1 && *w == '-' ? NULL : w;
}

/* After a syslog date: "HOST TAG: text" only when a tag follows a host
 * without control characters; else the line is a program's own with a
 * syslog-like date (SOGo's "sogod [pid]:", prosody's tab-separated fields),
 * and MESSAGE stays as it was. */
static void host_and_tag(struct cur c, struct lr_line *out)
{
  struct cur hk = c;
  if (!lit(&hk, ' '))
    return;
  size_t hl;
  const char *h = word(&hk, &hl);
  bool plain = hl > 0;
  for (size_t i = 0; i < hl && plain; i++)
    plain = (unsigned char)h[i] > ' ' && h[i] != 0x7f;
  lit(&hk, ' ');
  if (!plain)
    return;
  tag(&hk, out);
  if (out->ident) {
    out->host = h;
    out->host_len = hl;
    out->msg = hk.p;
    out->msg_len = (size_t)(hk.e - hk.p);
  }
}

/* RFC 5424 after "<PRI>": "1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]" */
static bool rfc5424(struct cur *c, struct lr_line *out)
{
  struct cur k = *c;
  if (!(lit(&k, '1') && lit(&k, ' ')))
    return false;
  struct stamp s = {0};
  int64_t t = -1;
  if (lit(&k, '-')) {
    if (!at_end_or_space(&k))
      return false;
  } else if (rfc3339(&k, &s)) {
    t = to_usec(&s);
  } else {
    return false;
  }
  const char *w[4];
  size_t l[4];
  for (int i = 0; i < 4; i++) {
    if (!lit(&k, ' '))
      return false;
    w[i] = word(&k, &l[i]);
    if (!l[i])
      return false;
  }
  if (!lit(&k, ' '))
    return false;
  if (!lit(&k, '-')) { /* structured data: [id k="v" ...]... */
    if (k.p == k.e || *k.p != '[')
      return false;
    while (k.p < k.e && *k.p == '[') {
      bool quoted = false;
      k.p++;
      while (k.p < k.e && (quoted || *k.p != ']')) {
        if (quoted && *k.p == '\\' && k.p + 1 < k.e)
          k.p++;
        else if (*k.p == '"')
          quoted = !quoted;
        k.p++;
      }
      if (!lit(&k, ']'))
        return false;
    }
  }
  if (!at_end_or_space(&k))
    return false;
  lit(&k, ' ');
  if (k.e - k.p >= 3 && memcmp(k.p, "\xEF\xBB\xBF", 3) == 0)
    k.p += 3;
  out->time_usec = t;
  out->host = nil_or(w[0], &l[0]);
  out->host_len = out->host ? l[0] : 0;
  out->ident = nil_or(w[1], &l[1]);
  out->ident_len = out->ident ? l[1] : 0;
  out->pid = nil_or(w[2], &l[2]);
  out->pid_len = out->pid ? l[2] : 0;
  *c = k;
  return true;
}

void lr_line_parse(const char *line, size_t len, int64_t now_usec, struct lr_line *out)
{
  *out = (struct lr_line){.time_usec = -1, .msg = line, .msg_len = len, .priority = -1,
                          .facility = -1};
  struct cur c = {line, line + len};
  struct stamp s = {0};

  /* <PRI>: 0..191, as journald takes it */
  struct cur k = c;
  int pri = -1;
  if (lit(&k, '<')) {
    int v = 0, n = 0;
    while (n < 3 && k.p < k.e && *k.p >= '0' && *k.p <= '9') {
      v = v * 10 + (*k.p++ - '0');
      n++;
    }
    if (n > 0 && lit(&k, '>') && v <= 191) {
      pri = v;
      c = k;
    }
  }
  if (pri >= 0) {
    out->priority = pri & 7;
    out->facility = pri >> 3;
    out->msg = c.p;
    out->msg_len = (size_t)(c.e - c.p);
    if (rfc5424(&c, out)) {
      out->msg = c.p;
      out->msg_len = (size_t)(c.e - c.p);
      return;
    }
  }
  if (bsd(&c, &s)) {
    out->time_usec = bsd_time(&s, now_usec);
    host_and_tag(c, out);
    return; /* no tag: MESSAGE stays the whole line */
  }
  if (pri >= 0)
    return; /* "<PRI>text": the text is the message */
  bool (*const at_start[])(struct cur *, struct stamp *) = {rfc3339, exim, nginx_error};
  for (size_t i = 0; i < sizeof(at_start) / sizeof(*at_start); i++) {
    s = (struct stamp){0};
    if (at_start[i](&c, &s)) {
      out->time_usec = to_usec(&s);
      if (i == 0) /* rsyslog's file format on Debian 12: RFC 3339, host, tag */
        host_and_tag(c, out);
      return;
    }
  }
  for (const char *p = memchr(line, '[', len); p; p = memchr(p + 1, '[', (size_t)(line + len - p - 1))) {
    struct cur a = {p, line + len};
    s = (struct stamp){0};
    if (access_at(&a, &s)) {
      out->time_usec = to_usec(&s);
      return;
    }
  }
}
