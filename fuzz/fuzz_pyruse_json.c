/* pyruse.json loading: any bytes as a pyruse.json, read, its settings applied
 * and its workflow compiled without services, as `luruse check` does. A
 * file is loaded or refused with a reason; nothing else (no crash, no leak,
 * no hang). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lua/lr_lua.h"
#include "rules/ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  static char path[128];
  if (!path[0])
    snprintf(path, sizeof(path), "%s/pyruse.json", fuzz_tmpdir());
  fuzz_write_file(path, data, size);
  char err[1024] = "";
  struct lr_ruleset *rs = lr_ruleset_load(path, NULL, err, sizeof(err));
  if (!rs)
    FUZZ_CHECK(err[0] != '\0', "%s", "refused without a reason");
  lr_ruleset_free(rs);
  return 0;
}
