/* Templates (str.format): input = template text, NUL, then bytes that give
 * the entry's values: S a string (the bytes), N an integer and T a time (from
 * their first 8 bytes). A template compiles or says why; a compiled one
 * renders or says why, the same way twice; with valid UTF-8 in, what comes
 * out is valid UTF-8 (precision and padding never cut a character). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "input/entry.h"
#include "input/fields.h"
#include "rules/template.h"
#include "util/buf.h"
#include "util/charset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  static lr_field_id S, N, T, E;
  static struct lr_entry e;
  if (!S) {
    S = lr_fields_intern("S", 1);
    N = lr_fields_intern("N", 1);
    T = lr_fields_intern("T", 1);
    E = lr_fields_intern("E", 1);
    lr_entry_init(&e);
  }
  const uint8_t *tpl;
  size_t tlen;
  fuzz_split(&data, &size, '\0', &tpl, &tlen);
  int64_t num = 0;
  memcpy(&num, data, size < 8 ? size : 8);

  lr_entry_begin(&e, 1704164645000123, NULL, NULL);
  lr_entry_set_str(&e, S, (const char *)data, size);
  lr_entry_set_int(&e, N, num);
  lr_entry_set_value(&e, T, &(struct lr_value){.type = LR_VAL_TIME, .num = num % (INT64_C(1) << 52)});
  lr_entry_set_str(&e, E, "", 0);

  char *text = fuzz_strndup(tpl, tlen);
  char err[256] = "";
  struct lr_template *t = lr_template_compile(text, err, sizeof(err));
  if (!t) {
    FUZZ_CHECK(err[0] != '\0', "template \"%s\" refused without a reason", text);
    free(text);
    return 0;
  }
  const lr_field_id *ids;
  size_t nids = lr_template_fields(t, &ids);
  for (size_t i = 0; i < nids; i++)
    FUZZ_CHECK(ids[i] < lr_fields_count(), "field id %u of %zu", ids[i], lr_fields_count());

  struct lr_buf a = {0}, b = {0};
  char err2[256] = "";
  err[0] = '\0';
  int rc = lr_template_render(t, &e, &a, err, sizeof(err));
  int rc2 = lr_template_render(t, &e, &b, err2, sizeof(err2));
  FUZZ_CHECK(rc == 0 || (rc == -1 && err[0]), "rc %d, error \"%s\"", rc, err);
  FUZZ_CHECK(rc == rc2 && a.len == b.len && (!a.len || !memcmp(a.data, b.data, a.len)) &&
             !strcmp(err, err2), "two renders of \"%s\" differ", text);
  if (rc == 0 && lr_utf8_valid(text, tlen) && lr_utf8_valid((const char *)data, size))
    FUZZ_CHECK(lr_utf8_valid(a.data ? a.data : "", a.len),
               "\"%s\" rendered invalid UTF-8 from valid UTF-8", text);
  lr_buf_free(&a);
  lr_buf_free(&b);
  lr_template_free(t);
  free(text);
  return 0;
}
