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
/* Makes room for extra more bytes (and the NUL); see lr_buf_room. */
void lr_buf_reserve(struct lr_buf *b, size_t extra);
/* Where up to extra bytes may be written in place (the hot paths' packed
 * records); lr_buf_wrote then says how many were. */
static inline char *lr_buf_room(struct lr_buf *b, size_t extra)
{
  if (b->len + extra + 1 > b->cap)
    lr_buf_reserve(b, extra);
  return b->data + b->len;
}
static inline void lr_buf_wrote(struct lr_buf *b, size_t n)
{
  b->len += n;
  b->data[b->len] = '\0';
}
void lr_buf_addc(struct lr_buf *b, char c);
void lr_buf_fill(struct lr_buf *b, char c, size_t count);
__attribute__((format(printf, 2, 3)))
void lr_buf_printf(struct lr_buf *b, const char *fmt, ...);
void lr_buf_clear(struct lr_buf *b);
void lr_buf_free(struct lr_buf *b);
