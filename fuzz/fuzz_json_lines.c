/* `journalctl -o json` lines: any bytes give entries, errors that name their
 * line, and an end, with progress on every call (at most one result per line
 * plus the end); fields are named as journald names fields, values end with
 * a NUL; "" is the error after a good entry. */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "input/fields.h"
#include "input/json_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  FILE *f = size ? fmemopen((void *)data, size, "r") : tmpfile();
  FUZZ_CHECK(f != NULL, "%s", "no stream");
  size_t lines = 1;
  for (size_t i = 0; i < size; i++)
    lines += data[i] == '\n';
  struct lr_json_lines *p = lr_json_lines_open(f, "fuzz.json");
  size_t calls = 0;
  int rc;
  while ((rc = lr_json_lines_next(p)) != 0) {
    FUZZ_CHECK(++calls <= lines, "%zu results from %zu lines", calls, lines);
    const char *err = lr_json_lines_error(p);
    if (rc < 0) {
      FUZZ_CHECK(!strncmp(err, "fuzz.json:", 10), "error \"%s\"", err);
      continue;
    }
    FUZZ_CHECK(rc == 1 && err[0] == '\0', "rc %d, error \"%s\"", rc, err);
    for (size_t i = 0; i < lr_json_lines_count(p); i++) {
      const char *n, *v;
      size_t nl, vl;
      lr_json_lines_field(p, i, &n, &nl, &v, &vl);
      FUZZ_CHECK(lr_field_name_is_journal(n, nl), "field name '%.*s' kept", (int)nl, n);
      FUZZ_CHECK(v && v[vl] == '\0', "value of %.*s not NUL-terminated", (int)nl, n);
    }
  }
  FUZZ_CHECK(lr_json_lines_next(p) == 0, "%s", "more after the end");
  lr_json_lines_close(p);
  fclose(f);
  return 0;
}
