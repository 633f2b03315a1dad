#include "cli/inputs.h"

#include <stdlib.h>

void lr_inputs_add(const char ***list, size_t *n, const char *item)
{
  *list = realloc(*list, (*n + 1) * sizeof(**list));
  (*list)[(*n)++] = item;
}
