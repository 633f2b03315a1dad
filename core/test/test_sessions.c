/* Sessions: put and get per jail, expiry, the oldest forgotten at the bound,
 * ids too long refused, a re-put updating in place. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "state/sessions.h"

int main(void)
{
  struct lr_sessions *s = lr_sessions_new(4);
  lr_sessions_put(s, "sendmail", "q1", 2, "203.0.113.9", 100);
  lr_sessions_put(s, "postfix", "q1", 2, "198.51.100.1", 100);
  CHECK_STR(lr_sessions_get(s, "sendmail", "q1", 2, 50), "203.0.113.9");
  CHECK_STR(lr_sessions_get(s, "postfix", "q1", 2, 50), "198.51.100.1");
  CHECK(lr_sessions_get(s, "sendmail", "q1", 2, 100) == NULL); /* expired */
  CHECK(lr_sessions_get(s, "sendmail", "q2", 2, 50) == NULL);
  CHECK(lr_sessions_put(s, "sendmail", "q1", 2, "2001:db8::1", 200) == 0); /* in place */
  /* failures before the address: pending, told when it comes */
  lr_sessions_pend(s, "postfix", "p9", 2, 0, 300);
  lr_sessions_pend(s, "postfix", "p9", 2, 0, 300);
  CHECK(lr_sessions_get(s, "postfix", "p9", 2, 0) == NULL);
  CHECK(lr_sessions_put(s, "postfix", "p9", 2, "192.0.2.9", 300) == 2);
  CHECK(lr_sessions_put(s, "postfix", "p9", 2, "192.0.2.9", 300) == 0);
  /* a failure after the session ended: not counted for the old address */
  lr_sessions_pend(s, "postfix", "p9", 2, 400, 700);
  CHECK(lr_sessions_get(s, "postfix", "p9", 2, 500) == NULL);
  CHECK_STR(lr_sessions_get(s, "sendmail", "q1", 2, 150), "2001:db8::1");
  CHECK(lr_sessions_count(s) == 3);
  char id[8];
  for (int i = 0; i < 10; i++) { /* 4 slots: the oldest go first */
    snprintf(id, sizeof(id), "n%d", i);
    lr_sessions_put(s, "x", id, strlen(id), "192.0.2.1", 1000);
  }
  CHECK(lr_sessions_count(s) == 4);
  CHECK(lr_sessions_get(s, "x", "n5", 2, 0) == NULL);
  CHECK_STR(lr_sessions_get(s, "x", "n6", 2, 0), "192.0.2.1");
  CHECK_STR(lr_sessions_get(s, "x", "n9", 2, 0), "192.0.2.1");
  CHECK(lr_sessions_get(s, "sendmail", "q1", 2, 0) == NULL);
  char big[100];
  memset(big, 'a', sizeof(big));
  lr_sessions_put(s, "x", big, sizeof(big), "192.0.2.1", 1000); /* not remembered */
  CHECK(lr_sessions_get(s, "x", big, sizeof(big), 0) == NULL);
  lr_sessions_put(s, "x", "", 0, "192.0.2.1", 1000);
  CHECK(lr_sessions_get(s, "x", "", 0, 0) == NULL);
  lr_sessions_free(s);
  return check_done();
}
