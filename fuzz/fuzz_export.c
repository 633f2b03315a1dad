/* Journal Export Format parser: any bytes, read both ways the parser reads
 * (a memory stream in chunks, a pipe line by line), must give the same
 * entries and the same error, each field named as journald names fields and
 * each value NUL-terminated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "input/export_parser.h"
#include "input/fields.h"
#include "util/buf.h"

#define MAX_FIELD 4096 /* small, so that the bound itself is exercised */

/* Entries as "NAME=<len>value" records, then "|" per entry, then the end. */
static void read_all(FILE *f, struct lr_buf *out)
{
  struct lr_export_parser *p = lr_export_open(f, "fuzz");
  lr_export_set_max_field(p, MAX_FIELD);
  int rc;
  size_t entries = 0;
  while ((rc = lr_export_next(p)) > 0) {
    FUZZ_CHECK(lr_export_count(p) > 0, "entry %zu without fields", entries);
    for (size_t i = 0; i < lr_export_count(p); i++) {
      const char *n, *v;
      size_t nl, vl;
      lr_export_field(p, i, &n, &nl, &v, &vl);
      FUZZ_CHECK(lr_field_name_is_journal(n, nl), "field name '%.*s' kept", (int)nl, n);
      FUZZ_CHECK(v[vl] == '\0', "value of %.*s not NUL-terminated", (int)nl, n);
      FUZZ_CHECK(vl <= MAX_FIELD, "value of %zu bytes over the maximum", vl);
      lr_buf_printf(out, "%.*s=%zu:", (int)nl, n, vl);
      lr_buf_add(out, v, vl);
    }
    lr_buf_addc(out, '|');
    entries++;
  }
  const char *err = lr_export_error(p);
  FUZZ_CHECK((rc < 0) == (err[0] != '\0'), "rc %d with error \"%s\"", rc, err);
  FUZZ_CHECK(rc != 0 || lr_export_next(p) == 0, "more after the end");
  lr_buf_printf(out, "rc=%d err=%s skipped=%llu", rc, err,
                (unsigned long long)lr_export_skipped(p));
  lr_export_close(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  struct lr_buf mem = {0}, piped = {0};
  FILE *f = size ? fmemopen((void *)data, size, "r") : tmpfile();
  FUZZ_CHECK(f != NULL, "%s", "no stream");
  read_all(f, &mem);
  fclose(f);

  /* the same bytes through a pipe: they fit in its buffer (64 KiB) */
  int fds[2];
  if (size <= 65536 && pipe(fds) == 0) {
    FUZZ_CHECK(write(fds[1], data, size) == (ssize_t)size, "%s", "short write to the pipe");
    close(fds[1]);
    f = fdopen(fds[0], "r");
    read_all(f, &piped);
    fclose(f);
    FUZZ_CHECK(mem.len == piped.len && !memcmp(mem.data, piped.data, mem.len),
               "memory and pipe differ:\n%s\n%s", mem.data, piped.data);
  }
  lr_buf_free(&mem);
  lr_buf_free(&piped);
  return 0;
}
