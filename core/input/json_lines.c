#include "input/json_lines.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "input/fields.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

/* Offsets into p->data: it may move while a line's fields are copied. */
struct json_field {
  size_t noff, nlen, voff, vlen;
};

struct lr_json_lines {
  FILE *f;
  char *name;
  unsigned long line;
  char *linebuf; /* getline's, reused */
  size_t linecap;
  char *data; /* names and values of the current entry, each NUL-terminated */
  size_t len, cap;
  struct json_field *fields;
  size_t nfields, fcap;
  bool failed;
  uint64_t skipped;    /* fields with names journald refuses, in all */
  char err[LR_ERR_MAX];
  char skip_note[768]; /* the last of them */
};

__attribute__((format(printf, 2, 3)))
static int fail(struct lr_json_lines *p, const char *fmt, ...)
{
  int n = snprintf(p->err, sizeof(p->err), "%s:%lu: ", p->name, p->line);
  if (n < 0 || (size_t)n >= sizeof(p->err))
    n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err + n, sizeof(p->err) - (size_t)n, fmt, ap);
  va_end(ap);
  p->failed = true;
  p->nfields = 0;
  return -1;
}

struct lr_json_lines *lr_json_lines_open(FILE *f, const char *name)
{
  struct lr_json_lines *p = lr_xcalloc(1, sizeof(*p));
  p->f = f;
  p->name = lr_xstrdup(name ? name : "<stream>");
  return p;
}

void lr_json_lines_close(struct lr_json_lines *p)
{
  if (!p)
    return;
  free(p->name);
  free(p->linebuf);
  free(p->data);
  free(p->fields);
  free(p);
}

/* Reserves n bytes plus a terminating NUL; returns their offset. */
static long long reserve(struct lr_json_lines *p, size_t n)
{
  if (p->cap - p->len < n + 1) {
    size_t cap = p->cap ? p->cap : 4096;
    while (cap - p->len < n + 1)
      cap *= 2;
    p->data = lr_xrealloc(p->data, cap);
    p->cap = cap;
  }
  size_t off = p->len;
  p->len += n + 1;
  p->data[off + n] = '\0';
  return (long long)off;
}

static long long add_bytes(struct lr_json_lines *p, const char *s, size_t n)
{
  long long off = reserve(p, n);
  if (off >= 0 && n)
    memcpy(p->data + off, s, n);
  return off;
}

/* An array of numbers 0..255: a binary value (journalctl's form for data that
 * is not UTF-8 or holds control characters). */
static long long add_byte_array(struct lr_json_lines *p, const json_t *arr, const char **why)
{
  size_t n = json_array_size(arr);
  long long off = reserve(p, n);
  if (off < 0)
    return -1;
  for (size_t i = 0; i < n; i++) {
    const json_t *b = json_array_get(arr, i);
    json_int_t v = json_is_integer(b) ? json_integer_value(b) : -1;
    if (v < 0 || v > 255) {
      *why = "byte array holds something other than a number 0..255";
      return -1;
    }
    p->data[off + (long long)i] = (char)(unsigned char)v;
  }
  return off;
}

/* Shortest text that reads back as the same double. */
static long long add_real(struct lr_json_lines *p, double d)
{
  char tmp[40];
  int n = snprintf(tmp, sizeof(tmp), "%.15g", d);
  if (strtod(tmp, NULL) != d)
    n = snprintf(tmp, sizeof(tmp), "%.17g", d);
  return add_bytes(p, tmp, (size_t)n);
}

/* Copies one field's value; *vlen gets its length. -2: skip the field (null). */
static long long add_value(struct lr_json_lines *p, const json_t *v, size_t *vlen,
                           const char **why)
{
  long long off;
  size_t start = p->len;
  *why = NULL;
  if (json_is_array(v) && json_array_size(v) > 0 && !json_is_integer(json_array_get(v, 0)))
    v = json_array_get(v, 0); /* a repeated field: the first value stands for it */
  switch (json_typeof(v)) {
  case JSON_STRING:
    off = add_bytes(p, json_string_value(v), json_string_length(v));
    break;
  case JSON_INTEGER: {
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    off = add_bytes(p, tmp, (size_t)n);
    break;
  }
  case JSON_REAL:
    off = add_real(p, json_real_value(v));
    break;
  case JSON_TRUE:
    off = add_bytes(p, "true", 4);
    break;
  case JSON_FALSE:
    off = add_bytes(p, "false", 5);
    break;
  case JSON_NULL:
    return -2;
  case JSON_ARRAY:
    off = add_byte_array(p, v, why);
    break;
  default:
    *why = "an object is not a field value";
    return -1;
  }
  if (off < 0 && !*why)
    *why = "out of memory";
  *vlen = off < 0 ? 0 : p->len - start - 1;
  return off;
}

static int add_field(struct lr_json_lines *p, size_t noff, size_t nlen, size_t voff,
                     size_t vlen)
{
  LR_GROW(p->fields, p->nfields + 1, p->fcap, 32);
  p->fields[p->nfields++] = (struct json_field){noff, nlen, voff, vlen};
  return 0;
}

static int take_object(struct lr_json_lines *p, json_t *obj)
{
  for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
    const char *key = json_object_iter_key(it);
    json_t *v = json_object_iter_value(it);
    size_t nlen = json_object_iter_key_len(it), vlen;
    if (!lr_field_name_is_journal(key, nlen)) { /* the field goes, not the entry */
      char shown[300];
      lr_field_name_escape(shown, sizeof(shown), key, nlen);
      snprintf(p->skip_note, sizeof(p->skip_note),
               "%s:%lu: field name '%s' (%zu bytes) is not a journal field name "
               "(A-Z, 0-9, _, at most 64, no leading digit): field skipped",
               p->name, p->line, shown, nlen);
      p->skipped++;
      continue;
    }
    size_t mark = p->len;
    long long noff = add_bytes(p, key, nlen); /* never fails: out of memory aborts */
    const char *why;
    long long voff = add_value(p, v, &vlen, &why);
    if (voff == -2) {
      p->len = mark; /* null: the field is absent */
      continue;
    }
    if (voff < 0)
      return fail(p, "field %.64s: %s", key, why);
    if (add_field(p, (size_t)noff, nlen, (size_t)voff, vlen) < 0)
      return -1;
  }
  return 0;
}

static bool blank(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
      return false;
  return true;
}

int lr_json_lines_next(struct lr_json_lines *p)
{
  p->failed = false;
  p->nfields = 0;
  p->len = 0;
  ssize_t n;
  do {
    errno = 0;
    n = getline(&p->linebuf, &p->linecap, p->f);
    if (n < 0) {
      if (ferror(p->f))
        return fail(p, "read error: %s", strerror(errno));
      return 0;
    }
    p->line++;
  } while (blank(p->linebuf, (size_t)n));

  json_error_t je;
  json_t *root = json_loadb(p->linebuf, (size_t)n, JSON_ALLOW_NUL, &je);
  if (!root)
    return fail(p, "%s (column %d)", je.text, je.column);
  int rc = json_is_object(root) ? take_object(p, root) : fail(p, "not a JSON object");
  json_decref(root);
  return rc < 0 ? -1 : 1;
}

size_t lr_json_lines_count(const struct lr_json_lines *p) { return p->nfields; }

void lr_json_lines_field(const struct lr_json_lines *p, size_t i, const char **name,
                         size_t *nlen, const char **val, size_t *vlen)
{
  const struct json_field *fl = &p->fields[i];
  *name = p->data + fl->noff;
  *nlen = fl->nlen;
  *val = p->data + fl->voff;
  *vlen = fl->vlen;
}

uint64_t lr_json_lines_skipped(const struct lr_json_lines *p) { return p->skipped; }

const char *lr_json_lines_skip_note(const struct lr_json_lines *p) { return p->skip_note; }

const char *lr_json_lines_error(const struct lr_json_lines *p)
{
  return p->failed ? p->err : "";
}
