/* The replies `luruse sendmail` reads from an SMTP server (untrusted bytes):
 * taken one after another from the input, each complete one has a code from
 * 200 to 599, took at most what was left and ended with a line feed; its
 * text fits, is NUL-terminated and holds no control byte (it goes into a log
 * line). A refusal says why; an incomplete tail asks for more. */
#include <string.h>

#include "fuzz.h"
#include "notify/smtp_submit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  const char *buf = (const char *)data;
  size_t pos = 0;
  while (pos < size) {
    struct lr_smtp_reply r;
    long took = lr_smtp_reply_take(buf + pos, size - pos, &r);
    size_t tl = strnlen(r.text, sizeof(r.text));
    FUZZ_CHECK(tl < sizeof(r.text), "%s", "text not NUL-terminated");
    for (size_t i = 0; i < tl; i++)
      FUZZ_CHECK((unsigned char)r.text[i] >= 0x20 && r.text[i] != 0x7f, "control byte 0x%02x",
                 (unsigned char)r.text[i]);
    if (took < 0) {
      FUZZ_CHECK(tl > 0, "%s", "refused without a reason");
      break;
    }
    if (took == 0) /* more is needed: the last line read is a continuation, or none ended */
      break;
    FUZZ_CHECK((size_t)took <= size - pos, "took %ld of %zu", took, size - pos);
    FUZZ_CHECK(buf[pos + (size_t)took - 1] == '\n', "%s", "a reply not ending its line");
    FUZZ_CHECK(r.code >= 200 && r.code <= 599, "code %d", r.code);
    pos += (size_t)took;
  }
  return 0;
}
