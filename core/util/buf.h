/* A growable byte buffer, reused across entries (rendered templates, trace lines).
 *
 *   struct lr_buf b = {0};
 *   lr_buf_add(&b, "x", 1); lr_buf_printf(&b, "%d", 3);
 *   use(b.data, b.len); lr_buf_clear(&b);   // keeps the memory
 */
#pragma once
#include <stddef.h>

struct lr_buf {
  char *data; /* always NUL-terminated once anything was added */
  size_t len, cap;
};

void lr_buf_add(struct lr_buf *b, const char *s, size_t len);
void lr_buf_addc(struct lr_buf *b, char c);
void lr_buf_fill(struct lr_buf *b, char c, size_t count);
__attribute__((format(printf, 2, 3)))
void lr_buf_printf(struct lr_buf *b, const char *fmt, ...);
void lr_buf_clear(struct lr_buf *b);
void lr_buf_free(struct lr_buf *b);
