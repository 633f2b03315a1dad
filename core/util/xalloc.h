/* Allocation that cannot fail: out of memory is fatal (lr_fatal), so callers
 * never test the result. See docs/ARCHITECTURE.md, "Errors".
 *
 *   struct thing *t = lr_xcalloc(1, sizeof(*t));
 *   char *name = lr_xstrdup(s);
 *   LR_GROW(v, n + 1, cap, 8);   // v[0 .. n] usable, cap updated
 *   v[n++] = x;
 *
 * lr_grow/LR_GROW keep a growing array: when need > *cap they double the
 * capacity (at least min, at least need) and realloc; the elements already
 * there are kept, the new ones are not initialised. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

__attribute__((malloc, returns_nonnull)) void *lr_xmalloc(size_t n);
__attribute__((malloc, returns_nonnull)) void *lr_xcalloc(size_t n, size_t size);
__attribute__((returns_nonnull)) void *lr_xrealloc(void *p, size_t n);
/* realloc to n elements of size bytes, checking the product for overflow. */
__attribute__((returns_nonnull)) void *lr_xreallocarray(void *p, size_t n, size_t size);
__attribute__((malloc, returns_nonnull)) char *lr_xstrdup(const char *s);
__attribute__((malloc, returns_nonnull)) char *lr_xstrndup(const char *s, size_t n);
__attribute__((malloc, returns_nonnull, format(printf, 1, 2))) char *lr_xasprintf(const char *fmt, ...);

/* Makes room for need elements of elem bytes in *p (capacity *cap). */
void lr_grow(void **p, size_t *cap, size_t need, size_t elem, size_t min);

#define LR_GROW(ptr, need, cap, min)                                                   \
  do {                                                                               \
    if ((size_t)(need) > (size_t)(cap)) {                                            \
      size_t lr_grow_cap_ = (size_t)(cap);                                           \
      void *lr_grow_p_ = (ptr);                                                      \
      lr_grow(&lr_grow_p_, &lr_grow_cap_, (size_t)(need), sizeof(*(ptr)), (min));    \
      (ptr) = lr_grow_p_;                                                            \
      (cap) = lr_grow_cap_;                                                          \
    }                                                                                \
  } while (0)
