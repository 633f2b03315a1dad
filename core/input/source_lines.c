/* Plain text lines as entries: each line of a file or stdin is one entry,
 * MESSAGE and what its syslog header or timestamp tells (see line_parse.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/entry.h"
#include "input/line_entry.h"
#include "input/source.h"
#include "util/log.h"
#include "util/clock.h"
#include "util/xalloc.h"

struct lines_source {
  struct lr_source base;
  FILE *f;
  bool owns_file;
  const char *shown; /* in messages */
  char *buf;         /* LR_LINE_MAX and a NUL */
  unsigned long lineno;
  uint64_t cut;
  struct lr_line_entry le;
};

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
  s->buf[len] = '\0';
  lr_line_entry_begin(&s->le, e, s->buf, len, lr_wall_usec(), true);
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
  s->le.path = path;
  s->le.identifier = identifier;
  s->buf = lr_xmalloc(LR_LINE_MAX + 1);
  return &s->base;
}
