#include "cli/storage_of.h"

#include "lua/lr_lua.h"
#include "rules/ruleset.h"
#include "util/xalloc.h"

char *lr_storage_of(const char *storage, const char *rules, char *err, size_t errlen)
{
  if (storage)
    return lr_xstrdup(storage);
  struct lr_ruleset *rs = lr_ruleset_read(rules, err, errlen);
  if (!rs)
    return NULL;
  char *dir = lr_xstrdup(lr_ruleset_storage(rs, NULL));
  lr_ruleset_free(rs);
  return dir;
}
