/* Plain text lines as entries: each line of a file or stdin is one entry,
 * MESSAGE and what its syslog header or timestamp tells (see line_parse.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/entry.h"
#include "input/line_parse.h"
#include "input/source.h"
#include "util/log.h"
#include "util/clock.h"
#include "util/xalloc.h"

struct lines_source {
  struct lr_source base;
  FILE *f;
  bool owns_file;
  const char *path;  /* LURUSE_FILE */
  const char *shown; /* in messages */
  const char *identifier;
  char *buf;
  unsigned long lineno;
  uint64_t cut;
  struct lr_line l;
  char realtime[24], priority[12], facility[12];
};

static void lines_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                       void *arg)
{
  struct lines_source *s = ctx;
  const struct lr_line *l = &s->l;
  cb(arg, "MESSAGE", 7, l->msg, l->msg_len);
  if (l->ident)
    cb(arg, "SYSLOG_IDENTIFIER", 17, l->ident, l->ident_len);
  else if (s->identifier)
    cb(arg, "SYSLOG_IDENTIFIER", 17, s->identifier, strlen(s->identifier));
  if (l->host)
    cb(arg, "_HOSTNAME", 9, l->host, l->host_len);
  if (l->pid)
    cb(arg, "SYSLOG_PID", 10, l->pid, l->pid_len);
  if (l->priority >= 0) {
    cb(arg, "PRIORITY", 8, s->priority, strlen(s->priority));
    cb(arg, "SYSLOG_FACILITY", 15, s->facility, strlen(s->facility));
  }
  cb(arg, "_TRANSPORT", 10, "file", 4);
  cb(arg, "LURUSE_FILE", 11, s->path, strlen(s->path));
  cb(arg, "__REALTIME_TIMESTAMP", 20, s->realtime, strlen(s->realtime));
}

/* The values live in s until the next line: no copy. */
static void offer_stable(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  lr_entry_offer(arg, name, nlen, val, vlen, true);
}

static void lines_fill(void *ctx, struct lr_entry *e) { lines_each(ctx, offer_stable, e); }

static const struct lr_source_hooks lines_hooks = {lines_fill, lines_each, NULL};

static int lines_next(struct lr_source *base, struct lr_entry *e)
{
  struct lines_source *s = (struct lines_source *)base;
  size_t len;
  bool cut;
  int rc = lr_line_read(s->f, s->buf, LR_LINE_MAX, &len, &cut);
  if (rc < 0) {
    lr_log(LOG_ERR, "%s: read error: %s", s->shown, strerror(errno));
    return -1;
  }
  if (rc == 0)
    return 0;
  s->lineno++;
  if (cut && s->cut++ == 0)
    lr_log(LOG_WARNING, "%s:%lu: line longer than %zu bytes: cut there, the rest skipped",
           s->shown, s->lineno, LR_LINE_MAX);
  int64_t now = lr_wall_usec();
  lr_line_parse(s->buf, len, now, &s->l);
  int64_t t = s->l.time_usec >= 0 ? s->l.time_usec : now;
  snprintf(s->realtime, sizeof(s->realtime), "%lld", (long long)t);
  if (s->l.priority >= 0) {
    snprintf(s->priority, sizeof(s->priority), "%d", s->l.priority);
    snprintf(s->facility, sizeof(s->facility), "%d", s->l.facility);
  }
  lr_entry_begin(e, t, &lines_hooks, s);
  return 1;
}

static void lines_close(struct lr_source *base)
{
  struct lines_source *s = (struct lines_source *)base;
  if (s->cut > 1)
    lr_log(LOG_WARNING, "%s: %llu line(s) longer than %zu bytes cut in all", s->shown,
           (unsigned long long)s->cut, LR_LINE_MAX);
  if (s->owns_file)
    fclose(s->f);
  free(s->buf);
  free(s);
}

struct lr_source *lr_source_lines_open(const char *path, const char *identifier, char *err,
                                       size_t errlen)
{
  struct lines_source *s = lr_xcalloc(1, sizeof(*s));
  s->base = (struct lr_source){"lines", lines_next, lines_close};
  if (!(s->f = lr_source_open_path(path, &s->owns_file, err, errlen))) {
    free(s);
    return NULL;
  }
  s->shown = s->owns_file ? path : "<stdin>";
  s->path = path;
  s->identifier = identifier;
  s->buf = lr_xmalloc(LR_LINE_MAX);
  return &s->base;
}
