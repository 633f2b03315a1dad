#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

#define BLOCK_SIZE (64 * 1024)
/* A huge field gets a block of its own, freed at reset so it does not pin memory. */

struct lr_arena_block {
  struct lr_arena_block *next;
  size_t size, used;
  _Alignas(16) char data[]; /* values are 16-aligned, whatever they hold */
};

static struct lr_arena_block *block_new(size_t size)
{
  struct lr_arena_block *b = lr_xmalloc(sizeof(*b) + size);
  b->next = NULL;
  b->size = size;
  b->used = 0;
  return b;
}

void *lr_arena_alloc(struct lr_arena *a, size_t len)
{
  len = (len + 15) & ~(size_t)15;
  struct lr_arena_block *b = a->head;
  if (!b || b->size - b->used < len) {
    if (len > BLOCK_SIZE / 4) {
      b = block_new(len);
    } else if (a->spare) {
      b = a->spare;
      a->spare = b->next;
      b->used = 0;
    } else {
      b = block_new(BLOCK_SIZE);
    }
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += len;
  return p;
}

char *lr_arena_strndup(struct lr_arena *a, const char *s, size_t len)
{
  char *p = lr_arena_alloc(a, len + 1);
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void lr_arena_reset(struct lr_arena *a)
{
  struct lr_arena_block *b = a->head;
  while (b) {
    struct lr_arena_block *next = b->next;
    if (b->size == BLOCK_SIZE) {
      b->next = a->spare;
      a->spare = b;
    } else {
      free(b);
    }
    b = next;
  }
  a->head = NULL;
}

void lr_arena_free(struct lr_arena *a)
{
  lr_arena_reset(a);
  while (a->spare) {
    struct lr_arena_block *next = a->spare->next;
    free(a->spare);
    a->spare = next;
  }
}
