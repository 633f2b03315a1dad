/* Text lines (--lines, followed files): lr_line_read over any bytes, in a
 * small buffer so that long lines are cut, then lr_line_parse and the entry
 * lr_line_entry_begin makes of each line. Every part the parser finds lies
 * inside its line, <PRI> stays in range, and the entry's fields are those
 * parts, NUL-terminated. */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "input/entry.h"
#include "input/fields.h"
#include "input/line_entry.h"
#include "input/line_parse.h"

#define CAP 300
#define NOW ((int64_t)1709510400 * 1000000) /* 2024-03-04 00:00:00 UTC */

static void inside(const char *line, size_t len, const char *p, size_t n, const char *what)
{
  if (!p)
    return;
  FUZZ_CHECK(p >= line && p <= line + len && n <= (size_t)(line + len - p),
             "%s at offset %td, %zu bytes, outside the line of %zu", what, p - line, n, len);
}

static void same_field(struct lr_entry *e, lr_field_id id, const char *p, size_t n)
{
  const struct lr_value *v = lr_entry_get(e, id);
  if (!p) {
    FUZZ_CHECK(v == NULL, "%s present", lr_fields_name(id));
    return;
  }
  FUZZ_CHECK(v != NULL, "%s absent", lr_fields_name(id));
  if (v->type == LR_VAL_INT) /* typed as python-systemd types it (SYSLOG_PID) */
    return;
  FUZZ_CHECK(v->type == LR_VAL_STR && v->len == n && !memcmp(v->str, p, n) && v->str[n] == '\0',
             "%s differs from the parsed part", lr_fields_name(id));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  static lr_field_id ident, host, pid, prio;
  static struct lr_entry e;
  if (!ident) {
    ident = lr_fields_intern("SYSLOG_IDENTIFIER", 17);
    host = lr_fields_intern("_HOSTNAME", 9);
    pid = lr_fields_intern("SYSLOG_PID", 10);
    prio = lr_fields_intern("PRIORITY", 8);
    lr_entry_init(&e);
  }
  FILE *f = size ? fmemopen((void *)data, size, "r") : tmpfile();
  FUZZ_CHECK(f != NULL, "%s", "no stream");
  char buf[CAP + 1];
  size_t len, lines = 0;
  bool cut;
  int rc;
  while ((rc = lr_line_read(f, buf, CAP, &len, &cut)) > 0) {
    FUZZ_CHECK(++lines <= size, "%zu lines from %zu bytes", lines, size);
    FUZZ_CHECK(len <= CAP && !memchr(buf, '\n', len), "a line of %zu bytes with a newline", len);
    buf[len] = '\0';
    struct lr_line l, again;
    lr_line_parse(buf, len, NOW, &l);
    lr_line_parse(buf, len, NOW, &again);
    FUZZ_CHECK(!memcmp(&l, &again, sizeof(l)), "%s", "two parses of one line differ");
    inside(buf, len, l.msg, l.msg_len, "MESSAGE");
    FUZZ_CHECK(l.msg != NULL, "%s", "no MESSAGE");
    inside(buf, len, l.host, l.host_len, "host");
    inside(buf, len, l.ident, l.ident_len, "identifier");
    inside(buf, len, l.pid, l.pid_len, "pid");
    FUZZ_CHECK(!l.ident || l.ident_len > 0, "%s", "empty identifier");
    FUZZ_CHECK((l.priority == -1 && l.facility == -1) ||
               (l.priority >= 0 && l.priority <= 7 && l.facility >= 0 && l.facility <= 23),
               "priority %d facility %d", l.priority, l.facility);
    /* any time may come out (a year 0224 is before 1970); a negative one
     * counts as none: the entry is read at NOW (checked below) */

    struct lr_line_entry le = {.path = "/var/log/fuzz.log", .identifier = "fuzz"};
    lr_line_entry_begin(&le, &e, buf, len, NOW, true);
    FUZZ_CHECK(!memcmp(&le.l, &l, sizeof(l)), "%s", "the entry parsed the line otherwise");
    same_field(&e, LR_F_MESSAGE, l.msg, l.msg_len);
    same_field(&e, ident, l.ident ? l.ident : "fuzz", l.ident ? l.ident_len : 4);
    same_field(&e, host, l.host, l.host_len);
    same_field(&e, pid, l.pid, l.pid_len);
    const struct lr_value *p = lr_entry_get(&e, prio);
    FUZZ_CHECK((p != NULL) == (l.priority >= 0), "%s", "PRIORITY present or not wrongly");
    FUZZ_CHECK(lr_entry_time_usec(&e) == (l.time_usec >= 0 ? l.time_usec : NOW),
               "entry time %lld", (long long)lr_entry_time_usec(&e));
  }
  FUZZ_CHECK(rc == 0, "read error %d on a memory stream", rc);
  fclose(f);
  return 0;
}
