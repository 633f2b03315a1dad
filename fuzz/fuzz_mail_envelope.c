/* The envelope `luruse sendmail -t` reads from a message. Whatever the
 * header holds, the sender and every recipient are addr-specs that can go
 * between SMTP's angle brackets as they are: no byte <= 0x20 or >= 0x7f, no
 * '<' '>', at most 254 bytes; recipients are distinct (case aside), at most
 * 1000; the Bcc: ranges left out on the wire are header lines, in order.
 * Then the input's lines are offered to add_rcpt and set_from, which keep
 * the same rules. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "notify/mail_envelope.h"

static void check_addr(const char *a, bool empty_ok, const char *what)
{
  size_t n = strlen(a);
  FUZZ_CHECK(n <= 254 && (n > 0 || empty_ok), "%s of %zu bytes", what, n);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)a[i];
    FUZZ_CHECK(c > 0x20 && c < 0x7f && c != '<' && c != '>', "%s \"%s\": byte 0x%02x", what,
               a, c);
  }
}

static void check_env(const struct lr_mail_envelope *env, const char *msg, size_t len)
{
  FUZZ_CHECK(env->from != NULL, "%s", "no sender");
  check_addr(env->from, true, "sender");
  FUZZ_CHECK(env->nrcpt <= 1000, "%zu recipients", env->nrcpt);
  for (size_t i = 0; i < env->nrcpt; i++) {
    check_addr(env->rcpt[i], false, "recipient");
    for (size_t j = 0; j < i; j++)
      FUZZ_CHECK(strcasecmp(env->rcpt[i], env->rcpt[j]), "\"%s\" twice", env->rcpt[i]);
  }
  FUZZ_CHECK(env->nskip <= 8, "%zu ranges", env->nskip);
  size_t last = 0;
  for (size_t i = 0; i < env->nskip; i++) {
    size_t s = env->skip[i][0], e = env->skip[i][1];
    FUZZ_CHECK(s >= last && s < e && e <= len, "range %zu..%zu after %zu", s, e, last);
    FUZZ_CHECK(!strncasecmp(msg + s, "Bcc:", 4) && (s == 0 || msg[s - 1] == '\n'),
               "range at %zu is no Bcc: line", s);
    last = e;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  const char *msg = (const char *)data;
  struct lr_mail_envelope env;
  char err[256] = "";
  if (lr_mail_envelope_parse(&env, msg, size, err, sizeof(err)) < 0) {
    FUZZ_CHECK(err[0] != '\0', "%s", "refused without a reason");
    FUZZ_CHECK(env.from == NULL && env.nrcpt == 0, "%s", "not emptied on failure");
    memset(&env, 0, sizeof(env));
  } else {
    check_env(&env, msg, size);
  }
  /* each line as a command-line recipient and sender */
  const uint8_t *rest = data, *line;
  size_t left = size, n;
  for (int k = 0; left && k < 64; k++) {
    fuzz_split(&rest, &left, '\n', &line, &n);
    char *a = fuzz_strndup(line, n);
    size_t before = env.nrcpt;
    err[0] = '\0';
    if (lr_mail_envelope_add_rcpt(&env, a, err, sizeof(err)) < 0)
      FUZZ_CHECK(err[0] && env.nrcpt == before, "\"%s\" refused oddly", a);
    if (lr_mail_envelope_set_from(&env, a, err, sizeof(err)) < 0 && !env.from)
      env.from = strdup("");
    free(a);
    check_env(&env, msg, size);
  }
  lr_mail_envelope_free(&env);
  return 0;
}
