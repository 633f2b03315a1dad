/* LEB128 variable-length integers (7 bits a byte, low bits first, the high
 * bit set on every byte but the last), as the state database's packed records
 * use them: a small value costs one byte, a 64-bit one at most ten. Signed
 * values go through zigzag (0, -1, 1, -2 ... as 0, 1, 2, 3 ...), so that a
 * small negative delta stays small.
 *
 *   lr_varint_put(&buf, n);
 *   uint64_t v; if (!lr_varint_get(p, end, &p, &v)) ... cut short or overlong ...
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

#define LR_VARINT_MAX 10

static inline void lr_varint_put(struct lr_buf *b, uint64_t v)
{
  char *o = lr_buf_room(b, LR_VARINT_MAX);
  size_t n = 0;
  while (v >= 0x80) {
    o[n++] = (char)(v | 0x80);
    v >>= 7;
  }
  o[n++] = (char)v;
  lr_buf_wrote(b, n);
}

/* False when p..end ends inside the number or it does not fit 64 bits. */
static inline bool lr_varint_get(const unsigned char *p, const unsigned char *end,
                                 const unsigned char **next, uint64_t *v)
{
  uint64_t r = 0;
  for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
    unsigned char c = *p++;
    if (shift == 63 && c > 1)
      return false;
    r |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) {
      *v = r;
      *next = p;
      return true;
    }
  }
  return false;
}

static inline uint64_t lr_zigzag(int64_t v)
{
  return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t lr_unzigzag(uint64_t v)
{
  return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}
