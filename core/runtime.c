#include "runtime.h"

#include <string.h>

#include "charset.h"

void lr_runtime_init(struct lr_runtime *rt)
{
  memset(rt, 0, sizeof(*rt));
}

void lr_runtime_free(struct lr_runtime *rt)
{
  lr_charset_close(rt->msg_charset);
  rt->msg_charset = NULL;
}
