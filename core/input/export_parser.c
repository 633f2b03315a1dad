#include "input/export_parser.h"

#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/fields.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

#define EXPORT_DEFAULT_MAX ((size_t)64 << 20)
/* A text line may be this much longer than max_field: room for its name. */
#define EXPORT_NAME_SLACK 4096
#define EXPORT_INITIAL_CAP ((size_t)256 << 10)
/* Smallest read into the buffer in file mode, so that reads stay large. */
#define EXPORT_MIN_READ ((size_t)64 << 10)

/* Offsets from the entry's start: the entry may move when the buffer is compacted. */
struct export_field {
  size_t noff, nlen, voff, vlen;
};

struct lr_export_parser {
  FILE *f;
  char *name;
  /* A pipe, socket or tty: a bulk fread would wait for a whole chunk and hold
   * back entries that are already complete, so lines are taken byte by byte. */
  bool stream;
  bool eof, failed;
  size_t max_field;
  char *buf;
  size_t cap;
  size_t start, pos, end; /* current entry, parse position, end of data */
  uint64_t base;          /* stream offset of buf[0], for error messages */
  struct export_field *fields;
  size_t nfields, fcap;
  uint64_t skipped;    /* fields with names journald refuses, in all */
  char err[LR_ERR_MAX];
  char skip_note[768]; /* the last of them */
  char shown[300];     /* a name escaped for a message */
};

/* Names come from the stream: escaped (and cut) before any message shows them. */
static const char *show(struct lr_export_parser *p, const char *name, size_t nlen)
{
  lr_field_name_escape(p->shown, sizeof(p->shown), name, nlen);
  return p->shown;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct lr_export_parser *p, uint64_t offset, const char *fmt, ...)
{
  int n = snprintf(p->err, sizeof(p->err), "%s: byte %llu: ", p->name,
                   (unsigned long long)offset);
  if (n < 0 || (size_t)n >= sizeof(p->err))
    n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err + n, sizeof(p->err) - (size_t)n, fmt, ap);
  va_end(ap);
  p->failed = true;
  return -1;
}

struct lr_export_parser *lr_export_open(FILE *f, const char *name)
{
  struct lr_export_parser *p = lr_xcalloc(1, sizeof(*p));
  p->f = f;
  p->name = lr_xstrdup(name ? name : "<stream>");
  p->buf = lr_xmalloc(EXPORT_INITIAL_CAP);
  p->cap = EXPORT_INITIAL_CAP;
  p->max_field = EXPORT_DEFAULT_MAX;
  struct stat st;
  int fd = fileno(f); /* -1 for fmemopen: memory, never blocks */
  p->stream = fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode);
  return p;
}

void lr_export_close(struct lr_export_parser *p)
{
  if (!p)
    return;
  free(p->name);
  free(p->buf);
  free(p->fields);
  free(p);
}

void lr_export_set_max_field(struct lr_export_parser *p, size_t max)
{
  /* Bounded so that header + name + data + newline sums cannot overflow. */
  p->max_field = max > SIZE_MAX / 4 ? SIZE_MAX / 4 : max;
}

/* Makes at least `need` bytes of free space after p->end, keeping the current
 * entry (which pointers handed out before this call no longer need). */
static int make_room(struct lr_export_parser *p, size_t need)
{
  if (p->cap - p->end >= need)
    return 0;
  if (p->start > 0) {
    size_t keep = p->end - p->start;
    memmove(p->buf, p->buf + p->start, keep);
    p->base += p->start;
    p->pos -= p->start;
    p->end = keep;
    p->start = 0;
    if (p->cap - p->end >= need)
      return 0;
  }
  size_t cap = p->cap;
  while (cap - p->end < need)
    cap *= 2;
  p->buf = lr_xrealloc(p->buf, cap);
  p->cap = cap;
  return 0;
}

/* Stream mode, line wanted: copies bytes until a newline once `want` bytes are
 * there, so that it never waits for data past the line being completed. */
static size_t read_line_bytes(struct lr_export_parser *p, size_t want)
{
  char *dst = p->buf + p->end, *lim = p->buf + p->cap;
  const char *enough = p->buf + p->pos + want;
  int c;
  while (dst < lim && (c = getc_unlocked(p->f)) != EOF) {
    *dst++ = (char)c;
    if (c == '\n' && dst >= enough)
      break;
  }
  return (size_t)(dst - (p->buf + p->end));
}

/* Ensures `want` bytes from p->pos. exact: the caller knows how many bytes
 * follow (binary field), so stream mode may read exactly that many at once.
 * 1: there; 0: the stream ended first; -1: read error. */
static int fill(struct lr_export_parser *p, size_t want, bool exact)
{
  while (p->end - p->pos < want) {
    if (p->eof)
      return 0;
    size_t missing = want - (p->end - p->pos);
    if (make_room(p, p->stream || missing > EXPORT_MIN_READ ? missing : EXPORT_MIN_READ) < 0)
      return -1;
    size_t ask, got;
    if (p->stream && !exact) {
      ask = 1; /* any byte counts as progress; EOF is got == 0 */
      got = read_line_bytes(p, want);
    } else {
      ask = p->stream ? missing : p->cap - p->end;
      got = fread(p->buf + p->end, 1, ask, p->f);
    }
    p->end += got;
    if (got < ask) {
      if (ferror(p->f))
        return fail(p, p->base + p->end, "read error: %s", strerror(errno));
      p->eof = true;
    }
  }
  return 1;
}

/* Finds the newline ending the line at p->pos. 1: *len is the line's length
 * without it; 0: the stream ended (*len bytes of a partial line); -1: error. */
static int next_line(struct lr_export_parser *p, size_t *len)
{
  size_t scanned = 0;
  for (;;) {
    const char *nl = memchr(p->buf + p->pos + scanned, '\n', p->end - p->pos - scanned);
    if (nl) {
      *len = (size_t)(nl - (p->buf + p->pos));
      return 1;
    }
    scanned = p->end - p->pos;
    if (scanned > p->max_field + EXPORT_NAME_SLACK)
      return fail(p, p->base + p->pos, "line longer than the maximum field size (%zu)",
                  p->max_field);
    int rc = fill(p, scanned + 1, false);
    if (rc <= 0) {
      *len = scanned;
      return rc;
    }
  }
}

static int add_field(struct lr_export_parser *p, size_t noff, size_t nlen, size_t voff,
                     size_t vlen)
{
  LR_GROW(p->fields, p->nfields + 1, p->fcap, 32);
  p->fields[p->nfields++] = (struct export_field){noff, nlen, voff, vlen};
  return 0;
}

/* A field journald would refuse is dropped, not the stream: the other fields
 * of the entry (and the entries after it) are still good. */
static void skip_field(struct lr_export_parser *p, uint64_t offset, const char *name,
                       size_t nlen)
{
  char shown[300];
  lr_field_name_escape(shown, sizeof(shown), name, nlen);
  snprintf(p->skip_note, sizeof(p->skip_note),
           "%s: byte %llu: field name '%s' (%zu bytes) is not a journal field name "
           "(A-Z, 0-9, _, at most 64, no leading digit): field skipped",
           p->name, (unsigned long long)offset, shown, nlen);
  p->skipped++;
}

/* NAME=value\n at p->pos, line length len, '=' at eq. */
static int text_field(struct lr_export_parser *p, size_t len, char *eq)
{
  char *line = p->buf + p->pos;
  size_t nlen = (size_t)(eq - line), vlen = len - nlen - 1;
  if (!lr_field_name_is_journal(line, nlen)) {
    skip_field(p, p->base + p->pos, line, nlen);
    p->pos += len + 1;
    return 0;
  }
  if (vlen > p->max_field)
    return fail(p, p->base + p->pos, "field %s: value of %zu bytes exceeds the maximum %zu",
                show(p, line, nlen), vlen, p->max_field);
  *eq = '\0';
  line[len] = '\0'; /* the newline becomes the value's terminator */
  size_t at = p->pos - p->start;
  p->pos += len + 1;
  return add_field(p, at, nlen, at + nlen + 1, vlen);
}

/* NAME\n <le64 length> data \n at p->pos, name length nlen. */
static int binary_field(struct lr_export_parser *p, size_t nlen)
{
  uint64_t at = p->base + p->pos; /* p->pos moves when fill() compacts */
  int rc = fill(p, nlen + 1 + 8, true);
  if (rc < 0)
    return -1;
  if (rc == 0) {
    if (p->end - p->pos == nlen + 1)
      return fail(p, at, "line without '=' at the end of the stream");
    return fail(p, at, "stream ends inside the length of binary field %s",
                show(p, p->buf + p->pos, nlen));
  }
  uint64_t n;
  memcpy(&n, p->buf + p->pos + nlen + 1, sizeof(n));
  n = le64toh(n);
  if (n > p->max_field)
    return fail(p, at + nlen + 1,
                "field %s: binary length %llu exceeds the maximum %zu (or a line lacks '=')",
                show(p, p->buf + p->pos, nlen), (unsigned long long)n,
                p->max_field);
  size_t total = nlen + 1 + 8 + (size_t)n + 1;
  rc = fill(p, total, true);
  if (rc < 0)
    return -1;
  if (rc == 0)
    return fail(p, at, "stream ends inside binary field %s (%llu bytes announced, %zu there)",
                show(p, p->buf + p->pos, nlen), (unsigned long long)n,
                p->end - p->pos - nlen - 9);
  char *name = p->buf + p->pos, *data = name + nlen + 1 + 8;
  if (data[n] != '\n')
    return fail(p, at + total - 1, "field %s: no newline after %llu bytes of binary data",
                show(p, name, nlen), (unsigned long long)n);
  if (!lr_field_name_is_journal(name, nlen)) {
    skip_field(p, at, name, nlen);
    p->pos += total;
    return 0;
  }
  name[nlen] = '\0';
  data[n] = '\0';
  size_t off = p->pos - p->start;
  p->pos += total;
  return add_field(p, off, nlen, off + nlen + 1 + 8, (size_t)n);
}

int lr_export_next(struct lr_export_parser *p)
{
  if (p->failed)
    return -1; /* the position inside the stream is lost */
  p->nfields = 0;
  p->start = p->pos; /* the previous entry may now be dropped */
  for (;;) {
    size_t len = 0;
    int rc = next_line(p, &len);
    if (rc < 0)
      return -1;
    if (rc == 0) {
      if (len > 0)
        return fail(p, p->base + p->pos, "stream ends inside a field line");
      return p->nfields > 0; /* a last entry without its blank line is complete */
    }
    if (len == 0) {
      p->pos++;
      if (p->nfields > 0)
        return 1;
      p->start = p->pos; /* blank lines between entries */
      continue;
    }
    char *eq = memchr(p->buf + p->pos, '=', len);
    rc = eq ? text_field(p, len, eq) : binary_field(p, len);
    if (rc < 0)
      return -1;
  }
}

size_t lr_export_count(const struct lr_export_parser *p) { return p->nfields; }

void lr_export_field(const struct lr_export_parser *p, size_t i, const char **name,
                     size_t *nlen, const char **val, size_t *vlen)
{
  const struct export_field *fl = &p->fields[i];
  const char *e = p->buf + p->start;
  *name = e + fl->noff;
  *nlen = fl->nlen;
  *val = e + fl->voff;
  *vlen = fl->vlen;
}

uint64_t lr_export_skipped(const struct lr_export_parser *p) { return p->skipped; }

const char *lr_export_skip_note(const struct lr_export_parser *p) { return p->skip_note; }

const char *lr_export_error(const struct lr_export_parser *p)
{
  return p->failed ? p->err : "";
}
