/* Export and JSON-lines streams as sources: each parsed entry's fields are
 * offered to the entry without copying (they live until the next entry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/entry.h"
#include "input/export_parser.h"
#include "input/json_lines.h"
#include "util/log.h"
#include "input/source.h"
#include "util/xalloc.h"

struct stream_source {
  struct lr_source base;
  FILE *f;
  bool owns_file;
  struct lr_export_parser *exp;
  struct lr_json_lines *json;
  uint64_t skipped_logged; /* fields with bad names already told in the log */
  const char *path;
};

#define SKIPS_LOGGED_ONE_BY_ONE 20

static uint64_t skipped(struct stream_source *s)
{
  return s->exp ? lr_export_skipped(s->exp) : lr_json_lines_skipped(s->json);
}

/* A hostile stream may hold a bad name in every entry: the first ones are
 * told one by one, the rest in a count at the end. */
static void log_skipped(struct stream_source *s)
{
  uint64_t n = skipped(s);
  if (n == s->skipped_logged || s->skipped_logged >= SKIPS_LOGGED_ONE_BY_ONE)
    return;
  const char *note = s->exp ? lr_export_skip_note(s->exp) : lr_json_lines_skip_note(s->json);
  if (n - s->skipped_logged > 1)
    lr_log(LOG_WARNING, "%s (the last of %llu in this entry)", note,
           (unsigned long long)(n - s->skipped_logged));
  else
    lr_log(LOG_WARNING, "%s", note);
  s->skipped_logged = n;
}

static size_t count(struct stream_source *s)
{
  return s->exp ? lr_export_count(s->exp) : lr_json_lines_count(s->json);
}

static void field(struct stream_source *s, size_t i, const char **n, size_t *nl, const char **v,
                  size_t *vl)
{
  if (s->exp)
    lr_export_field(s->exp, i, n, nl, v, vl);
  else
    lr_json_lines_field(s->json, i, n, nl, v, vl);
}

static void stream_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                        void *arg)
{
  struct stream_source *s = ctx;
  for (size_t i = 0, n = count(s); i < n; i++) {
    const char *name, *val;
    size_t nl, vl;
    field(s, i, &name, &nl, &val, &vl);
    cb(arg, name, nl, val, vl);
  }
}

/* Stream values live in the parser's buffer until the next entry: no copy. */
static void offer_stable(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  lr_entry_offer(arg, name, nlen, val, vlen, true);
}

static void stream_fill(void *ctx, struct lr_entry *e) { stream_each(ctx, offer_stable, e); }

static const struct lr_source_hooks stream_hooks = {stream_fill, stream_each, NULL};

static int64_t realtime_of(struct stream_source *s)
{
  for (size_t i = 0, n = count(s); i < n; i++) {
    const char *name, *val;
    size_t nl, vl;
    field(s, i, &name, &nl, &val, &vl);
    int64_t t;
    if (nl == 20 && memcmp(name, "__REALTIME_TIMESTAMP", 20) == 0 && lr_parse_int64(val, vl, &t))
      return t;
  }
  return -1;
}

static int stream_next(struct lr_source *base, struct lr_entry *e)
{
  struct stream_source *s = (struct stream_source *)base;
  int rc;
  if (s->exp) {
    rc = lr_export_next(s->exp);
    if (rc < 0)
      lr_log(LOG_ERR, "%s", lr_export_error(s->exp));
  } else {
    /* a bad line is logged and skipped: the rest of the stream is still good */
    while ((rc = lr_json_lines_next(s->json)) < 0)
      lr_log(LOG_WARNING, "%s", lr_json_lines_error(s->json));
  }
  log_skipped(s);
  if (rc <= 0)
    return rc;
  lr_entry_begin(e, realtime_of(s), &stream_hooks, s);
  return 1;
}

static void stream_close(struct lr_source *base)
{
  struct stream_source *s = (struct stream_source *)base;
  if (skipped(s) > s->skipped_logged)
    lr_log(LOG_WARNING, "%s: %llu field(s) with names that are not journal field names "
                        "skipped in all",
           s->path, (unsigned long long)skipped(s));
  if (s->exp)
    lr_export_close(s->exp);
  if (s->json)
    lr_json_lines_close(s->json);
  if (s->owns_file)
    fclose(s->f);
  free(s);
}

FILE *lr_source_open_path(const char *path, bool *owned, char *err, size_t errlen)
{
  *owned = strcmp(path, "-") != 0;
  if (!*owned)
    return stdin;
  FILE *f = fopen(path, "rb");
  if (!f)
    snprintf(err, errlen, "%s: %m", path);
  return f;
}

static struct stream_source *stream_open(const char *path, const char *kind, char *err,
                                         size_t errlen)
{
  struct stream_source *s = lr_xcalloc(1, sizeof(*s));
  s->base = (struct lr_source){kind, stream_next, stream_close};
  if (!(s->f = lr_source_open_path(path, &s->owns_file, err, errlen))) {
    free(s);
    return NULL;
  }
  return s;
}

struct lr_source *lr_source_export_open(const char *path, char *err, size_t errlen)
{
  struct stream_source *s = stream_open(path, "export", err, errlen);
  if (!s)
    return NULL;
  s->path = strcmp(path, "-") ? path : "<stdin>";
  s->exp = lr_export_open(s->f, s->path);
  return &s->base;
}

struct lr_source *lr_source_json_open(const char *path, char *err, size_t errlen)
{
  struct stream_source *s = stream_open(path, "json", err, errlen);
  if (!s)
    return NULL;
  s->path = strcmp(path, "-") ? path : "<stdin>";
  s->json = lr_json_lines_open(s->f, s->path);
  return &s->base;
}
