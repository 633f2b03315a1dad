#include "cli/inputs.h"

#include <stdlib.h>

#include "util/xalloc.h"

void lr_inputs_add(const char ***list, size_t *n, const char *item)
{
  *list = lr_xreallocarray(*list, *n + 1, sizeof(**list));
  (*list)[(*n)++] = item;
}
