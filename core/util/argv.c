#include "util/argv.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

char **lr_argv_dup(const char *const *src)
{
  if (!src)
    return NULL;
  size_t n = 0;
  while (src[n])
    n++;
  char **out = lr_xcalloc(n + 1, sizeof(*out));
  for (size_t i = 0; i < n; i++)
    out[i] = lr_xstrdup(src[i]);
  return out;
}

void lr_argv_free(char **argv)
{
  for (size_t i = 0; argv && argv[i]; i++)
    free(argv[i]);
  free(argv);
}
