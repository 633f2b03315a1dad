/* A bump allocator reset once per journal entry: values copied from the journal
 * live here, so the hot path makes no malloc per entry once blocks are warm.
 *
 *   char *p = lr_arena_alloc(&a, len);   // valid until lr_arena_reset(&a)
 */
#pragma once
#include <stddef.h>

struct lr_arena_block;
struct lr_arena {
  struct lr_arena_block *head; /* current block first */
  struct lr_arena_block *spare;
};

void *lr_arena_alloc(struct lr_arena *a, size_t len);
char *lr_arena_strndup(struct lr_arena *a, const char *s, size_t len);
void lr_arena_reset(struct lr_arena *a);
void lr_arena_free(struct lr_arena *a);
