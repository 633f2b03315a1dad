/* The folding key of OTHER report lines, table-driven: what is replaced (numbers,
 * addresses, ids, path tails) and what stays (words with digits, versions
 * glued to letters, short paths, UTF-8). */
#include <string.h>

#include "check.h"
#include "notify/report_fold.h"
#include "util/buf.h"

static const struct {
  const char *in, *want;
} cases[] = {
  {"", ""},
  {"plain words only", "plain words only"},
  {"Connection from 192.0.2.7 port 52311", "Connection from <ip> port <n>"},
  {"Connection from 2001:db8::1 port 40022", "Connection from <ip> port <n>"},
  {"relay=[IPv6:2001:db8::25], x", "relay=[IPv6:<ip>], x"},
  {"from ::1 and ::ffff:192.0.2.1.", "from <ip> and <ip>."},
  {"client 198.51.100.4:41234 said", "client <ip>:<n> said"},
  {"net 10.0.0.0/8 and 1.2.3.4.5", "net <ip>/<n> and <n>"},
  {"256.1.1.1 is no address", "<n> is no address"},
  {"at 12:34:56, took 1.5s", "at <n>:<n>:<n>, took <n>s"},
  {"sshd[1234]: pid=42 uid=0", "sshd[<n>]: pid=<n> uid=<n>"},
  {"sha256 eth0 ipv6 x86_64 http2", "sha256 eth0 ipv6 x86_64 http2"},
  {"job 0x1F3a done, 1,024 bytes", "job <n> done, <n> bytes"},
  {"session 5f1d6b0e2a3c4d5e opened", "session <id> opened"},
  {"uuid 123e4567-e89b-12d3-a456-426614174000 ok", "uuid <id> ok"},
  {"424A8IBx012345: AUTH failure", "<id>: AUTH failure"},
  {"exim 1sZk3A-000Abc-Qx <= a@b", "exim <id> <= a@b"},
  {"deadbeef and cafe and decaf", "deadbeef and cafe and decaf"},
  {"open() \"/srv/http/wp-login.php\" failed (2: No such file or directory)",
   "open() \"/srv/http/<path>\" failed (<n>: No such file or directory)"},
  {"GET /index.php/apps/files/ HTTP/1.1", "GET /index.php/apps/<path> HTTP/<n>"},
  {"read /etc/hosts, /proc/4242/status:3", "read /etc/hosts, /proc/<n>/<path>:<n>"},
  {"see https://example.org/a/b/c.html", "see https://example.org/a/<path>"},
  {"and/or 1/2", "and/or <n>/<n>"},
  {"caf\xc3\xa9" "42 r\xc3\xa9sum\xc3\xa9 42", "caf\xc3\xa9" "42 r\xc3\xa9sum\xc3\xa9 <n>"},
  {"2024-03-10T08:15:00", "<id>:<n>:<n>"},
};

int main(void)
{
  struct lr_buf b = {0};
  for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
    lr_buf_clear(&b);
    lr_report_fold(&b, cases[i].in, strlen(cases[i].in));
    lr_buf_addc(&b, '\0');
    CHECK_STR(b.data, cases[i].want);
  }
  /* appends; NUL bytes and lone bytes pass through */
  lr_buf_clear(&b);
  lr_buf_add(&b, "k:", 2);
  lr_report_fold(&b, "a\0b 7\xff", 6);
  CHECK_INT(b.len, 10);
  CHECK(memcmp(b.data, "k:a\0b <n>\xff", 10) == 0);
  lr_buf_free(&b);
  return check_done();
}
