#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

void lr_buf_reserve(struct lr_buf *b, size_t extra)
{
  if (b->len + extra + 1 <= b->cap)
    return;
  LR_GROW(b->data, b->len + extra + 1, b->cap, 256);
}

void lr_buf_add(struct lr_buf *b, const char *s, size_t len)
{
  lr_buf_reserve(b, len);
  memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void lr_buf_addc(struct lr_buf *b, char c) { lr_buf_add(b, &c, 1); }

void lr_buf_fill(struct lr_buf *b, char c, size_t count)
{
  lr_buf_reserve(b, count);
  memset(b->data + b->len, c, count);
  b->len += count;
  b->data[b->len] = '\0';
}

void lr_buf_printf(struct lr_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof(small), fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof(small)) {
    lr_buf_add(b, small, (size_t)n);
    return;
  }
  lr_buf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void lr_buf_clear(struct lr_buf *b)
{
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

void lr_buf_free(struct lr_buf *b)
{
  free(b->data);
  *b = (struct lr_buf){0};
}
