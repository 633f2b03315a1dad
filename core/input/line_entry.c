#include "input/line_entry.h"

#include <string.h>

#include "input/entry.h"

static void line_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                      void *arg)
{
  struct lr_line_entry *le = ctx;
  const struct lr_line *l = &le->l;
  cb(arg, "MESSAGE", 7, l->msg, l->msg_len);
  if (l->ident)
    cb(arg, "SYSLOG_IDENTIFIER", 17, l->ident, l->ident_len);
  else if (le->identifier)
    cb(arg, "SYSLOG_IDENTIFIER", 17, le->identifier, strlen(le->identifier));
  if (l->host)
    cb(arg, "_HOSTNAME", 9, l->host, l->host_len);
  if (l->pid)
    cb(arg, "SYSLOG_PID", 10, l->pid, l->pid_len);
  if (l->priority >= 0) {
    cb(arg, "PRIORITY", 8, le->priority, strlen(le->priority));
    cb(arg, "SYSLOG_FACILITY", 15, le->facility, strlen(le->facility));
  }
  cb(arg, "_TRANSPORT", 10, "file", 4);
  cb(arg, "LURUSE_FILE", 11, le->path, strlen(le->path));
  cb(arg, "__REALTIME_TIMESTAMP", 20, le->realtime, strlen(le->realtime));
}

/* Values are NUL-terminated strings for the rules: MESSAGE ends the line (the
 * NUL after it) and the other strings end themselves, so they are offered in
 * place; the header's parts sit inside the line and are copied. */
static void offer(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  lr_entry_offer(arg, name, nlen, val, vlen, val[vlen] == '\0');
}

static void line_fill(void *ctx, struct lr_entry *e) { line_each(ctx, offer, e); }

static const struct lr_source_hooks line_hooks = {line_fill, line_each, NULL};

/* v in decimal into out (at least 21 bytes), without snprintf: every line
 * of a followed file gets its __REALTIME_TIMESTAMP written. */
static void put_decimal(char *out, int64_t v)
{
  char digits[20];
  size_t n = 0;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    digits[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    *out++ = '-';
  while (n)
    *out++ = digits[--n];
  *out = '\0';
}

void lr_line_entry_begin(struct lr_line_entry *le, struct lr_entry *e, const char *line,
                         size_t len, int64_t now_usec, bool parse)
{
  if (parse) {
    lr_line_parse(line, len, now_usec, &le->l);
  } else {
    le->l = (struct lr_line){.time_usec = -1, .msg = line, .msg_len = len, .priority = -1,
                             .facility = -1};
  }
  int64_t t = le->l.time_usec >= 0 ? le->l.time_usec : now_usec;
  put_decimal(le->realtime, t);
  if (le->l.priority >= 0) {
    put_decimal(le->priority, le->l.priority);
    put_decimal(le->facility, le->l.facility);
  }
  lr_entry_begin(e, t, &line_hooks, le);
}
