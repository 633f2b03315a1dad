#define _GNU_SOURCE /* vasprintf */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static void oom(size_t n) { lr_fatal("out of memory (%zu bytes)", n); }

void *lr_xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p)
    oom(n);
  return p;
}

void *lr_xcalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    oom(n * size);
  return p;
}

void *lr_xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (!q)
    oom(n);
  return q;
}

void *lr_xreallocarray(void *p, size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size)
    lr_fatal("allocation overflow (%zu x %zu bytes)", n, size);
  return lr_xrealloc(p, n * size);
}

char *lr_xstrdup(const char *s)
{
  char *d = strdup(s);
  if (!d)
    oom(strlen(s) + 1);
  return d;
}

char *lr_xstrndup(const char *s, size_t n)
{
  char *d = strndup(s, n);
  if (!d)
    oom(n + 1);
  return d;
}

char *lr_xasprintf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *out;
  int n = vasprintf(&out, fmt, ap);
  va_end(ap);
  if (n < 0)
    lr_fatal("out of memory (formatting '%s')", fmt);
  return out;
}

void lr_grow(void **p, size_t *cap, size_t need, size_t elem, size_t min)
{
  if (need <= *cap)
    return;
  size_t c = *cap ? *cap : (min ? min : 1);
  while (c < need) {
    if (c > SIZE_MAX / 2)
      lr_fatal("allocation overflow (%zu elements)", need);
    c *= 2;
  }
  *p = lr_xreallocarray(*p, c, elem);
  *cap = c;
}
