/* Entries: lazy fill from the source, python-systemd typing, MESSAGE decoding,
 * binary values, UTF-8 validation, arena reuse. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/charset.h"
#include "check.h"
#include "input/entry.h"
#include "input/fields.h"
#include "input/line_entry.h"

static lr_field_id fid(const char *name) { return lr_fields_intern(name, strlen(name)); }

/* A fake source: one entry's fields, counting fill() calls. */
struct raw {
  const char *name, *val;
  size_t vlen; /* 0: strlen */
};
struct fake_source {
  const struct raw *fields;
  size_t n;
  int fills, eaches;
  bool stable;
};

static void fake_fill(void *ctx, struct lr_entry *e)
{
  struct fake_source *s = ctx;
  s->fills++;
  for (size_t i = 0; i < s->n; i++) {
    const struct raw *f = &s->fields[i];
    lr_entry_offer(e, f->name, strlen(f->name), f->val, f->vlen ? f->vlen : strlen(f->val),
                   s->stable);
  }
}

static void fake_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                      void *arg)
{
  struct fake_source *s = ctx;
  s->eaches++;
  for (size_t i = 0; i < s->n; i++) {
    const struct raw *f = &s->fields[i];
    cb(arg, f->name, strlen(f->name), f->val, f->vlen ? f->vlen : strlen(f->val));
  }
}

static const struct lr_source_hooks fake_hooks = {fake_fill, fake_each, NULL};

static bool value_is_str(const struct lr_value *v, const char *want, size_t len)
{
  return v && v->type == LR_VAL_STR && v->len == len && memcmp(v->str, want, len) == 0 &&
         v->str[len] == '\0';
}
#define CHECK_VSTR(v, want) CHECK(value_is_str(v, want, sizeof(want) - 1))
static bool value_is_int(const struct lr_value *v, int64_t want)
{
  return v && v->type == LR_VAL_INT && v->num == want;
}
#define CHECK_VINT(v, want) CHECK(value_is_int(v, want))

static void test_lazy_fill(void)
{
  lr_field_id ident = fid("SYSLOG_IDENTIFIER"), host = fid("_HOSTNAME"), ip = fid("test_ip");
  lr_field_id absent = fid("TEST_ABSENT");
  static const struct raw raw[] = {
    {"SYSLOG_IDENTIFIER", "sshd", 0}, {"_HOSTNAME", "box", 0}, {"MESSAGE", "hello", 0},
    {"test_ip", "from journal", 0}, {"NOT_INTERNED_X", "x", 0},
    {"SYSLOG_IDENTIFIER", "second copy", 0}, /* repeated field: the first one wins */
  };
  struct fake_source src = {raw, sizeof(raw) / sizeof(raw[0]), 0, 0, false};
  struct lr_entry e;
  lr_entry_init(&e);

  /* nothing read: nothing fetched */
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK_INT(src.fills, 0);
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK_INT(src.fills, 0);

  /* the first read fills once; later reads, even of absent fields, do not */
  CHECK_VSTR(lr_entry_get(&e, ident), "sshd");
  CHECK_INT(src.fills, 1);
  CHECK_VSTR(lr_entry_get(&e, host), "box");
  CHECK_VSTR(lr_entry_get(&e, LR_F_MESSAGE), "hello");
  CHECK(lr_entry_get(&e, absent) == NULL);
  CHECK(lr_entry_get(&e, absent) == NULL);
  CHECK_INT(src.fills, 1);
  CHECK_INT(src.eaches, 0);

  /* fields no rule interned are read by name through each() */
  CHECK_INT(lr_fields_find("NOT_INTERNED_X", 14), -1);
  CHECK_VSTR(lr_entry_get_name(&e, "NOT_INTERNED_X", 14), "x");
  CHECK_INT(src.eaches, 1);
  CHECK(lr_entry_get_name(&e, "NOT_THERE_EITHER", 16) == NULL);
  CHECK_VSTR(lr_entry_get_name(&e, "_HOSTNAME", 9), "box"); /* interned: from the slot */
  CHECK_INT(src.eaches, 2);
  CHECK_INT(src.fills, 1);

  /* a field set by a step is not overwritten by the fill: before any read... */
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  lr_entry_set_str(&e, ip, "1.2.3.4", 7);
  CHECK_VSTR(lr_entry_get(&e, ip), "1.2.3.4");
  CHECK_VSTR(lr_entry_get(&e, ident), "sshd");
  CHECK_VSTR(lr_entry_get(&e, ip), "1.2.3.4");
  CHECK_INT(src.fills, 2);
  /* ...or after it */
  lr_entry_set_str(&e, ident, "rewritten", 9);
  CHECK_VSTR(lr_entry_get(&e, ident), "rewritten");
  lr_entry_unset(&e, host);
  CHECK(lr_entry_get(&e, host) == NULL);
  CHECK_INT(src.fills, 2);
  /* set_int before any read, then an unset before any read on the next entry */
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  lr_entry_set_int(&e, ip, 42);
  CHECK_VINT(lr_entry_get(&e, ip), 42);
  CHECK_VSTR(lr_entry_get(&e, ident), "sshd");
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  lr_entry_unset(&e, ident);
  CHECK(lr_entry_get(&e, ident) == NULL);
  CHECK_VSTR(lr_entry_get(&e, host), "box");
  CHECK_INT(src.fills, 4);
  /* set_value copies a string; NONE unsets */
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  char text[] = "temporary";
  struct lr_value tv = {.type = LR_VAL_STR, .len = 9, .str = text};
  lr_entry_set_value(&e, ip, &tv);
  memcpy(text, "XXXXXXXXX", 9);
  CHECK_VSTR(lr_entry_get(&e, ip), "temporary");
  struct lr_value none = {.type = LR_VAL_NONE};
  lr_entry_set_value(&e, ident, &none);
  CHECK(lr_entry_get(&e, ident) == NULL);
  struct lr_value tm = {.type = LR_VAL_TIME, .num = 5};
  lr_entry_set_value(&e, host, &tm);
  CHECK(lr_entry_get(&e, host) && lr_entry_get(&e, host)->type == LR_VAL_TIME);

  /* a new entry forgets what steps wrote */
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK_VSTR(lr_entry_get(&e, ip), "from journal");
  lr_entry_begin(&e, -1, NULL, NULL);
  CHECK(lr_entry_get(&e, ip) == NULL);
  CHECK(lr_entry_get(&e, ident) == NULL);
  CHECK(lr_entry_get_name(&e, "NOT_INTERNED_X", 14) == NULL);

  /* stable values are not copied; others are */
  src.stable = true;
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK(lr_entry_get(&e, host) && lr_entry_get(&e, host)->str == raw[1].val);
  src.stable = false;
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK(lr_entry_get(&e, host) && lr_entry_get(&e, host)->str != raw[1].val);

  /* a field interned after the entry began (a Lua step naming a new field) */
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  char name[32];
  lr_field_id last = 0;
  for (int i = 0; i < 200; i++) {
    snprintf(name, sizeof(name), "TEST_LATE_%d", i);
    last = fid(name);
  }
  CHECK(last >= 200);
  CHECK(lr_entry_get(&e, last) == NULL);
  lr_entry_set_str(&e, last, "late", 4);
  CHECK_VSTR(lr_entry_get(&e, last), "late");
  CHECK_VSTR(lr_entry_get(&e, ident), "sshd");

  lr_entry_free(&e);
}

/* lr_entry_next_written: the fields steps wrote since a mark, not those read */
static void test_written(void)
{
  lr_field_id ident = fid("SYSLOG_IDENTIFIER"), host = fid("_HOSTNAME"), ip = fid("test_ip");
  static const struct raw raw[] = {{"SYSLOG_IDENTIFIER", "sshd", 0}, {"_HOSTNAME", "box", 0}};
  struct fake_source src = {raw, 2, 0, 0, false};
  struct lr_entry e;
  lr_entry_init(&e);
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK_VSTR(lr_entry_get(&e, ident), "sshd");
  int id = -1;
  const struct lr_value *v;
  CHECK(!lr_entry_next_written(&e, 0, &id, &v)); /* read, not written */
  lr_entry_set_str(&e, ip, "1.2.3.4", 7);
  uint32_t mark = lr_entry_mark(&e);
  lr_entry_set_str(&e, ident, "again", 5);
  lr_entry_set_str(&e, ident, "rewritten", 9);
  lr_entry_unset(&e, host);
  id = -1;
  int seen = 0;
  while (lr_entry_next_written(&e, mark, &id, &v)) {
    if ((lr_field_id)id == ident)
      CHECK_VSTR(v, "rewritten");
    else
      CHECK((lr_field_id)id == host && v == NULL);
    seen++;
  }
  CHECK_INT(seen, 2); /* ident once, though written twice; not ip (before the mark) */
  id = -1;
  seen = 0;
  while (lr_entry_next_written(&e, 0, &id, &v))
    seen++;
  CHECK_INT(seen, 3);
  /* a new entry: nothing written yet */
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  id = -1;
  CHECK(!lr_entry_next_written(&e, 0, &id, &v));
  CHECK_VSTR(lr_entry_get(&e, ident), "sshd");
  id = -1;
  CHECK(!lr_entry_next_written(&e, 0, &id, &v));
  lr_entry_free(&e);
}

static void test_generations(void)
{
  lr_field_id x = fid("TEST_GEN");
  struct lr_entry e;
  lr_entry_init(&e);
  lr_entry_begin(&e, -1, NULL, NULL);
  e.gen = UINT32_MAX - 1; /* close to the wrap */
  lr_entry_begin(&e, -1, NULL, NULL);
  lr_entry_set_str(&e, x, "old", 3);
  CHECK_VSTR(lr_entry_get(&e, x), "old");
  lr_entry_begin(&e, -1, NULL, NULL); /* gen wraps to 0: every slot must be cleared */
  CHECK(e.gen != 0);
  CHECK(lr_entry_get(&e, x) == NULL);
  lr_entry_begin(&e, -1, NULL, NULL);
  CHECK(lr_entry_get(&e, x) == NULL);
  lr_entry_free(&e);
}

/* python-systemd's typing, through the fill path. */
struct typed_case {
  const char *name, *raw;
  enum lr_val_type type;
  int64_t num;     /* INT and TIME */
  const char *str; /* STR */
};

static const struct typed_case typed[] = {
  {"PRIORITY", "3", LR_VAL_INT, 3, NULL},
  {"PRIORITY", "0", LR_VAL_INT, 0, NULL},
  {"_PID", "1234", LR_VAL_INT, 1234, NULL},
  {"_UID", "0", LR_VAL_INT, 0, NULL},
  {"SYSLOG_FACILITY", "10", LR_VAL_INT, 10, NULL},
  {"ERRNO", "-2", LR_VAL_INT, -2, NULL},
  {"SYSLOG_PID", "9223372036854775807", LR_VAL_INT, INT64_MAX, NULL},
  {"__REALTIME_TIMESTAMP", "1700000000123456", LR_VAL_TIME, 1700000000123456LL, NULL},
  {"_SOURCE_REALTIME_TIMESTAMP", "1", LR_VAL_TIME, 1, NULL},
  {"__MONOTONIC_TIMESTAMP", "987654321", LR_VAL_INT, 987654321, NULL},
  /* not a number: stays a string */
  {"PRIORITY", "abc", LR_VAL_STR, 0, "abc"},
  {"_PID", "12a", LR_VAL_STR, 0, "12a"},
  {"_PID", "", LR_VAL_STR, 0, ""},
  {"_PID", "-", LR_VAL_STR, 0, "-"},
  {"_PID", "0x10", LR_VAL_STR, 0, "0x10"},
  {"__REALTIME_TIMESTAMP", "yesterday", LR_VAL_STR, 0, "yesterday"},
  /* string fields stay strings, even when they look like numbers */
  {"MESSAGE", "42", LR_VAL_STR, 0, "42"},
  {"SYSLOG_IDENTIFIER", "7", LR_VAL_STR, 0, "7"},
  {"CODE_FILE", "-1", LR_VAL_STR, 0, "-1"},
};

static void test_typed(void)
{
  struct lr_entry e;
  lr_entry_init(&e);
  for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
    const struct typed_case *c = &typed[i];
    lr_field_id id = fid(c->name);
    struct raw raw[] = {{c->name, c->raw, 0}};
    struct fake_source src = {raw, 1, 0, 0, false};
    lr_entry_begin(&e, -1, &fake_hooks, &src);
    const struct lr_value *v = lr_entry_get(&e, id);
    bool ok = v && v->type == c->type;
    if (ok && c->type == LR_VAL_STR)
      ok = value_is_str(v, c->str, strlen(c->str));
    else if (ok)
      ok = v->num == c->num;
    if (!ok)
      fprintf(stderr, "typed case %s=\"%s\": got type %d\n", c->name, c->raw, v ? (int)v->type : -1);
    CHECK(ok);
  }

  /* the entry's own time when the source has no __REALTIME_TIMESTAMP field */
  lr_entry_begin(&e, 1600000000000001LL, NULL, NULL);
  const struct lr_value *t = lr_entry_get(&e, LR_F_REALTIME);
  CHECK(t && t->type == LR_VAL_TIME && t->num == 1600000000000001LL);
  CHECK_INT(e.realtime_usec, 1600000000000001LL);
  lr_entry_begin(&e, -1, NULL, NULL);
  CHECK(lr_entry_get(&e, LR_F_REALTIME) == NULL);

  /* the raw converter itself */
  struct lr_value v;
  lr_value_from_raw(&e, LR_KIND_INTEGER, false, "17", 2, false, &v);
  CHECK_VINT(&v, 17);
  lr_value_from_raw(&e, LR_KIND_STRING, false, "17", 2, false, &v);
  CHECK_VSTR(&v, "17");
  lr_value_from_raw(&e, LR_KIND_TIME, false, "17", 2, false, &v);
  CHECK(v.type == LR_VAL_TIME && v.num == 17);

  /* strict int64 parsing */
  int64_t n;
  CHECK(lr_parse_int64("0", 1, &n) && n == 0);
  CHECK(lr_parse_int64("-9223372036854775808", 20, &n) && n == INT64_MIN);
  CHECK(lr_parse_int64("9223372036854775807", 19, &n) && n == INT64_MAX);
  CHECK(!lr_parse_int64("9223372036854775808", 19, &n));
  CHECK(!lr_parse_int64("-9223372036854775809", 20, &n));
  CHECK(!lr_parse_int64("99999999999999999999", 20, &n));
  CHECK(!lr_parse_int64("", 0, &n));
  CHECK(!lr_parse_int64("+", 1, &n));
  CHECK(!lr_parse_int64(" 1", 2, &n));
  CHECK(!lr_parse_int64("1 ", 2, &n));
  CHECK(!lr_parse_int64("1.0", 3, &n));
  CHECK(lr_parse_int64("12345", 3, &n) && n == 123); /* length-bounded */
  lr_entry_free(&e);
}

static void test_message_charset(void)
{
  char err[200] = "";
  struct lr_charset *latin1 = lr_charset_open("iso-8859-1", err, sizeof(err));
  struct lr_charset *cp1252 = lr_charset_open("cp1252", err, sizeof(err));
  CHECK(latin1 != NULL);
  CHECK(cp1252 != NULL);
  CHECK(lr_charset_open("no-such-charset-at-all", err, sizeof(err)) == NULL);
  CHECK(strstr(err, "no-such-charset-at-all") != NULL);
  if (!latin1 || !cp1252)
    return;
  CHECK_STR(lr_charset_name(cp1252), "cp1252");
  lr_field_id ident = fid("SYSLOG_IDENTIFIER");

  struct lr_entry e;
  lr_entry_init(&e);
  static const struct raw latin[] = {
    {"MESSAGE", "caf\xe9 cr\xe8me \xff", 0},
    {"SYSLOG_IDENTIFIER", "caf\xe9", 0}, /* only MESSAGE is decoded */
  };
  struct fake_source src = {latin, 2, 0, 0, true};

  /* without a charset the bytes are kept as they are */
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK_VSTR(lr_entry_get(&e, LR_F_MESSAGE), "caf\xe9 cr\xe8me \xff");

  e.msg_charset = latin1;
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK_VSTR(lr_entry_get(&e, LR_F_MESSAGE), "caf\xc3\xa9 cr\xc3\xa8me \xc3\xbf");
  CHECK_VSTR(lr_entry_get(&e, ident), "caf\xe9");

  /* valid UTF-8 is never re-decoded */
  static const struct raw utf8[] = {{"MESSAGE", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0}};
  src = (struct fake_source){utf8, 1, 0, 0, true};
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK(lr_entry_get(&e, LR_F_MESSAGE) && lr_entry_get(&e, LR_F_MESSAGE)->str == utf8[0].val);

  /* cp1252 through iconv: 0x80 is the euro sign, 0x93/0x94 curly quotes;
   * 0x81 has no character there and becomes U+FFFD */
  static const struct raw win[] = {{"MESSAGE", "\x80 5 \x93ok\x94 \x81!", 0}};
  src = (struct fake_source){win, 1, 0, 0, false};
  e.msg_charset = cp1252;
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK_VSTR(lr_entry_get(&e, LR_F_MESSAGE),
             "\xe2\x82\xac 5 \xe2\x80\x9cok\xe2\x80\x9d \xef\xbf\xbd!");
  /* and the same bytes through Latin-1: C1 controls, nothing lost */
  e.msg_charset = latin1;
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  CHECK_VSTR(lr_entry_get(&e, LR_F_MESSAGE),
             "\xc2\x80 5 \xc2\x93ok\xc2\x94 \xc2\x81!");

  /* a long invalid message, decoded into the arena */
  size_t big = 100000;
  char *raw = malloc(big);
  for (size_t i = 0; i < big; i++)
    raw[i] = (char)(0xa0 + i % 32);
  struct raw bigraw[] = {{"MESSAGE", raw, big}};
  src = (struct fake_source){bigraw, 1, 0, 0, false};
  e.msg_charset = cp1252;
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  const struct lr_value *v = lr_entry_get(&e, LR_F_MESSAGE);
  CHECK(v && v->type == LR_VAL_STR && v->len == 2 * big && lr_utf8_valid(v->str, v->len));
  free(raw);

  /* direct conversion: never fails, NUL-terminated */
  struct lr_arena a = {0};
  size_t n;
  char *out = lr_charset_to_utf8(latin1, "\xe9t\xe9", 3, &a, &n);
  CHECK_INT(n, 5);
  CHECK_STR(out, "\xc3\xa9t\xc3\xa9");
  out = lr_charset_to_utf8(cp1252, "", 0, &a, &n);
  CHECK_INT(n, 0);
  CHECK_STR(out, "");
  lr_arena_free(&a);

  lr_entry_free(&e);
  lr_charset_close(latin1);
  lr_charset_close(cp1252);
}

static void test_binary(void)
{
  lr_field_id data = fid("TEST_BINARY"), pid = fid("_PID");
  static const char bin[] = "a\0b\0\xff\x01z";
  static const struct raw raw[] = {
    {"TEST_BINARY", bin, sizeof(bin) - 1},
    {"MESSAGE", "nul\0inside", 10},
    {"_PID", "12\0" "3", 4}, /* not a number */
  };
  struct fake_source src = {raw, 3, 0, 0, false};
  struct lr_entry e;
  lr_entry_init(&e);
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  const struct lr_value *v = lr_entry_get(&e, data);
  CHECK(v && v->type == LR_VAL_STR && v->len == sizeof(bin) - 1 &&
        memcmp(v->str, bin, v->len) == 0 && v->str[v->len] == '\0');
  v = lr_entry_get(&e, LR_F_MESSAGE);
  CHECK(v && v->len == 10 && memcmp(v->str, "nul\0inside", 10) == 0);
  v = lr_entry_get(&e, pid);
  CHECK(v && v->type == LR_VAL_STR && v->len == 4);
  /* NUL is valid UTF-8; with a charset, a binary MESSAGE with 8-bit bytes is decoded whole */
  char err[100];
  e.msg_charset = lr_charset_open("latin1", err, sizeof(err));
  static const struct raw raw2[] = {{"MESSAGE", "\0\xe9\0", 3}};
  src = (struct fake_source){raw2, 1, 0, 0, false};
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  v = lr_entry_get(&e, LR_F_MESSAGE);
  CHECK(v && v->len == 4 && memcmp(v->str, "\0\xc3\xa9\0", 4) == 0);
  /* set_str keeps NULs too */
  lr_entry_set_str(&e, data, "x\0y", 3);
  v = lr_entry_get(&e, data);
  CHECK(v && v->len == 3 && memcmp(v->str, "x\0y", 3) == 0);
  /* by name, through each() */
  static const struct raw raw3[] = {{"TEST_NOT_INTERNED_BIN", "p\0q", 3}};
  src = (struct fake_source){raw3, 1, 0, 0, false};
  lr_entry_begin(&e, -1, &fake_hooks, &src);
  v = lr_entry_get_name(&e, "TEST_NOT_INTERNED_BIN", 21);
  CHECK(v && v->type == LR_VAL_STR && v->len == 3 && memcmp(v->str, "p\0q", 3) == 0);
  lr_charset_close(e.msg_charset);
  lr_entry_free(&e);
}

struct utf8_case {
  const char *s;
  size_t len; /* 0: strlen */
  bool valid;
};

static const struct utf8_case utf8_cases[] = {
  {"", 0, true},
  {"plain ascii", 0, true},
  {"\0", 1, true},
  {"\xc3\xa9", 0, true},                 /* é */
  {"\xc2\x80", 0, true},                 /* U+0080, smallest 2-byte */
  {"\xdf\xbf", 0, true},                 /* U+07FF */
  {"\xe0\xa0\x80", 0, true},             /* U+0800, smallest 3-byte */
  {"\xe2\x82\xac", 0, true},             /* € */
  {"\xed\x9f\xbf", 0, true},             /* U+D7FF, just below the surrogates */
  {"\xee\x80\x80", 0, true},             /* U+E000, just above */
  {"\xef\xbf\xbd", 0, true},             /* U+FFFD */
  {"\xef\xbf\xbf", 0, true},             /* U+FFFF (a noncharacter, still UTF-8) */
  {"\xf0\x90\x80\x80", 0, true},         /* U+10000 */
  {"\xf4\x8f\xbf\xbf", 0, true},         /* U+10FFFF */
  {"a\xf0\x9f\x98\x80z", 0, true},
  /* overlongs */
  {"\xc0\x80", 0, false},
  {"\xc0\xaf", 0, false},
  {"\xc1\xbf", 0, false},
  {"\xe0\x80\x80", 0, false},
  {"\xe0\x9f\xbf", 0, false},
  {"\xf0\x80\x80\x80", 0, false},
  {"\xf0\x8f\xbf\xbf", 0, false},
  /* surrogates */
  {"\xed\xa0\x80", 0, false},
  {"\xed\xbf\xbf", 0, false},
  {"\xed\xa0\xbd\xed\xb8\x80", 0, false}, /* CESU-8 pair */
  /* beyond U+10FFFF and invalid lead bytes */
  {"\xf4\x90\x80\x80", 0, false},
  {"\xf5\x80\x80\x80", 0, false},
  {"\xf8\x88\x80\x80\x80", 0, false},
  {"\xfc\x84\x80\x80\x80\x80", 0, false},
  {"\xfe", 0, false},
  {"\xff", 0, false},
  /* stray continuation bytes */
  {"\x80", 0, false},
  {"a\xbfz", 0, false},
  /* truncated sequences, at the end and in the middle */
  {"\xc3", 0, false},
  {"\xe2\x82", 0, false},
  {"\xf0\x9f\x98", 0, false},
  {"\xe2\x82z", 0, false},
  {"\xf0\x9f\x98z", 0, false},
  {"\xc3 ", 0, false},
  {"\xe2\x82\xac", 2, false}, /* length-bounded */
  {"Latin-1 caf\xe9", 0, false},
};

static void test_utf8_valid(void)
{
  for (size_t i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
    const struct utf8_case *c = &utf8_cases[i];
    size_t len = c->len ? c->len : strlen(c->s);
    bool got = lr_utf8_valid(c->s, len);
    if (got != c->valid) {
      fprintf(stderr, "utf8 case %zu:", i);
      for (size_t k = 0; k < len; k++)
        fprintf(stderr, " %02x", (unsigned char)c->s[k]);
      fprintf(stderr, ": got %d, want %d\n", got, c->valid);
    }
    CHECK(got == c->valid);
  }
  /* every 2-byte lead with every continuation: valid exactly from C2 */
  int bad = 0;
  for (int lead = 0xc0; lead <= 0xdf; lead++)
    for (int cont = 0x80; cont <= 0xbf; cont++) {
      char s[2] = {(char)lead, (char)cont};
      bad += lr_utf8_valid(s, 2) != (lead >= 0xc2);
    }
  CHECK_INT(bad, 0);
}

/* The ASCII fast path reads 8 bytes at a time: a bad or multi-byte sequence at
 * every offset of strings of every length up to a few words. */
static void test_utf8_offsets(void)
{
  char buf[64];
  int bad = 0;
  for (size_t len = 1; len <= 40; len++) {
    for (size_t pos = 0; pos < len; pos++) {
      memset(buf, 'a', sizeof(buf));
      buf[pos] = (char)0xff; /* never valid */
      bad += lr_utf8_valid(buf, len);
      buf[pos] = (char)0xe9; /* Latin-1 é: a lead byte without its continuation */
      bad += lr_utf8_valid(buf, len);
      buf[pos] = (char)0x80; /* stray continuation */
      bad += lr_utf8_valid(buf, len);
      if (pos + 1 < len) {
        buf[pos] = (char)0xc3, buf[pos + 1] = (char)0xa9; /* é */
        bad += !lr_utf8_valid(buf, len);
        buf[pos] = (char)0xc0, buf[pos + 1] = (char)0xa9; /* overlong */
        bad += lr_utf8_valid(buf, len);
      }
      if (pos + 2 < len) {
        buf[pos] = (char)0xed, buf[pos + 1] = (char)0xa0, buf[pos + 2] = (char)0x80; /* surrogate */
        bad += lr_utf8_valid(buf, len);
      }
      memset(buf, 'a', sizeof(buf));
      buf[len - 1] = (char)0xc3; /* truncated at the very end */
      bad += lr_utf8_valid(buf, len);
      buf[len - 1] = 'a';
      bad += !lr_utf8_valid(buf, len);
      /* only the first len bytes count: a bad byte just past the end */
      buf[len] = (char)0xff;
      bad += !lr_utf8_valid(buf, len);
    }
  }
  CHECK_INT(bad, 0);
}

/* Interning: ids are stable, lookups find exactly the interned names (the
 * shape filter must not hide one), and the table is bounded. */
static void test_fields(void)
{
  CHECK_INT(lr_fields_find("__REALTIME_TIMESTAMP", 20), LR_F_REALTIME);
  CHECK_INT(lr_fields_find("MESSAGE", 7), LR_F_MESSAGE);
  CHECK_INT(lr_fields_find("__CURSOR", 8), LR_F_CURSOR);
  CHECK_INT(lr_fields_kind(fid("PRIORITY")), LR_KIND_INTEGER);
  CHECK_INT(lr_fields_kind(fid("_SOURCE_REALTIME_TIMESTAMP")), LR_KIND_TIME);
  CHECK_INT(lr_fields_kind(fid("SYSLOG_IDENTIFIER")), LR_KIND_STRING);
  CHECK_INT(lr_fields_kind(fid("priority")), LR_KIND_STRING); /* names are case-sensitive */
  CHECK_INT(lr_fields_intern("", 0), (lr_field_id)-1);
  CHECK_INT(lr_fields_intern("A=B", 3), (lr_field_id)-1);
  CHECK_INT(lr_fields_intern("A\0B", 3), (lr_field_id)-1);
  char big[300];
  memset(big, 'N', sizeof(big));
  CHECK_INT(lr_fields_intern(big, 256), (lr_field_id)-1);
  CHECK(lr_fields_intern(big, 255) != (lr_field_id)-1);
  CHECK_INT(lr_fields_find("", 0), -1);

  /* same length and first byte as interned names, but not interned */
  lr_field_id a = fid("SHAPE_AAAA"), b = fid("SHAPE_BBBB");
  CHECK_INT(lr_fields_find("SHAPE_AAAA", 10), (int)a);
  CHECK_INT(lr_fields_find("SHAPE_BBBB", 10), (int)b);
  CHECK_INT(lr_fields_find("SHAPE_CCCC", 10), -1);
  CHECK_INT(lr_fields_find("SHAPE_AAA", 9), -1);
  CHECK_INT(lr_fields_find("SHAPE_AAAA", 9), -1); /* length-bounded */
  CHECK_INT(fid("SHAPE_AAAA"), a);
  CHECK_STR(lr_fields_name(a), "SHAPE_AAAA");
  CHECK(lr_fields_name((lr_field_id)lr_fields_count()) == NULL);
  /* lengths 32 apart share a row of the filter */
  char n1[40], n2[40];
  memset(n1, 'Q', sizeof(n1));
  memcpy(n2, n1, sizeof(n2));
  lr_field_id q = lr_fields_intern(n1, 3);
  CHECK_INT(lr_fields_find(n2, 35), -1);
  CHECK_INT(lr_fields_find(n2, 3), (int)q);

  /* many names: all found again after the index grew */
  char name[32];
  size_t before = lr_fields_count();
  int lost = 0;
  for (int i = 0; i < 1000; i++) {
    snprintf(name, sizeof(name), "TEST_MANY_%d", i);
    lost += fid(name) != (lr_field_id)(before + (size_t)i);
  }
  for (int i = 0; i < 1000; i++) {
    snprintf(name, sizeof(name), "TEST_MANY_%d", i);
    lost += lr_fields_find(name, strlen(name)) != (int)(before + (size_t)i);
    snprintf(name, sizeof(name), "TEST_NONE_%d", i);
    lost += lr_fields_find(name, strlen(name)) != -1;
  }
  CHECK_INT(lost, 0);

  /* bounded: Lua code cannot invent names without end (last: it fills the table) */
  lr_field_id id = 0;
  for (int i = 0; i < LR_FIELDS_MAX + 10 && id != (lr_field_id)-1; i++) {
    snprintf(name, sizeof(name), "TEST_BOUND_%d", i);
    id = fid(name);
  }
  CHECK_INT(id, (lr_field_id)-1);
  CHECK_INT(lr_fields_count(), LR_FIELDS_MAX);
  CHECK_INT(fid("MESSAGE"), LR_F_MESSAGE); /* known names still resolve */
  CHECK_INT(lr_fields_find("TEST_MANY_999", 13), (int)(before + 999));
}

static void test_arena_reuse(void)
{
  lr_field_id a = fid("TEST_ARENA_A"), b = fid("TEST_ARENA_B");
  struct lr_entry e;
  lr_entry_init(&e);
  char value[2000];
  const char *first_ptr = NULL;
  bool ok = true, reused = true;
  for (int i = 0; i < 20000; i++) {
    lr_entry_begin(&e, i, NULL, NULL);
    int n = snprintf(value, sizeof(value), "entry %d ", i);
    memset(value + n, 'a' + i % 26, sizeof(value) - (size_t)n);
    /* ~100 KB per entry: several blocks, all handed back at the next begin */
    for (int k = 0; k < 50; k++)
      lr_entry_set_str(&e, k % 2 ? b : a, value, sizeof(value));
    const struct lr_value *v = lr_entry_get(&e, a);
    ok = ok && v && v->len == sizeof(value) && memcmp(v->str, value, sizeof(value)) == 0;
    /* the same allocations land where the previous entry's did */
    if (i == 1)
      first_ptr = lr_entry_get(&e, a)->str;
    else if (i > 1)
      reused = reused && lr_entry_get(&e, a)->str == first_ptr;
    /* a huge value gets a block of its own, freed at the next begin */
    if (i % 1000 == 0) {
      char *huge = malloc(1 << 20);
      memset(huge, 'h', 1 << 20);
      lr_entry_set_str(&e, b, huge, 1 << 20);
      free(huge);
      v = lr_entry_get(&e, b);
      ok = ok && v && v->len == 1 << 20 && v->str[(1 << 20) - 1] == 'h';
    }
  }
  CHECK(ok);
  CHECK(reused);
  lr_entry_begin(&e, 0, NULL, NULL);
  CHECK(e.arena.head == NULL);
  CHECK(e.arena.spare != NULL);
  lr_entry_free(&e);
  CHECK(e.arena.spare == NULL && e.arena.head == NULL);

  /* the arena alone */
  struct lr_arena ar = {0};
  char *p1 = lr_arena_alloc(&ar, 10), *p2 = lr_arena_alloc(&ar, 10);
  CHECK(p1 != p2);
  /* entries keep struct lr_value (int64_t, pointers) in the arena */
  CHECK((uintptr_t)p1 % _Alignof(struct lr_value) == 0);
  CHECK((uintptr_t)p2 % _Alignof(struct lr_value) == 0);
  CHECK(p2 - p1 == 16); /* sizes are rounded up to 16 */
  lr_arena_reset(&ar);
  CHECK(lr_arena_alloc(&ar, 10) == p1);
  char *s = lr_arena_strndup(&ar, "abc\0def", 7);
  CHECK(memcmp(s, "abc\0def", 8) == 0);
  lr_arena_free(&ar);
}

/* A text line's numbers (its time, and PRIORITY and SYSLOG_FACILITY from a
 * <PRI> header) are written in decimal by line_entry.c itself: every PRI from
 * 0 to 191, and times from 0 to INT64_MAX, read back as they were. */
static void test_line_entry_numbers(void)
{
  struct lr_entry e;
  lr_entry_init(&e);
  struct lr_line_entry le = {.path = "/var/log/x.log", .identifier = "x"};
  lr_field_id prio = fid("PRIORITY"), fac = fid("SYSLOG_FACILITY");
  int bad = 0;
  for (int pri = 0; pri < 192; pri++) {
    char line[64];
    int n = snprintf(line, sizeof(line), "<%d>Oct 11 22:14:15 box sshd[42]: hello", pri);
    lr_line_entry_begin(&le, &e, line, (size_t)n, 1700000000123456LL, true);
    const struct lr_value *p = lr_entry_get(&e, prio), *f = lr_entry_get(&e, fac);
    bad += !p || p->type != LR_VAL_INT || p->num != pri % 8 || !f || f->type != LR_VAL_INT ||
           f->num != pri / 8;
  }
  CHECK_INT(bad, 0);
  static const int64_t times[] = {0, 1, 9, 10, 1700000000123456LL, INT64_MAX};
  for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
    char line[] = "no header here";
    lr_line_entry_begin(&le, &e, line, strlen(line), times[i], false);
    const struct lr_value *t = lr_entry_get_name(&e, "__REALTIME_TIMESTAMP", 20);
    CHECK(t && t->type == LR_VAL_TIME && t->num == times[i]);
    CHECK(lr_entry_get(&e, prio) == NULL);
  }
  lr_entry_free(&e);
}

int main(void)
{
  test_lazy_fill();
  test_line_entry_numbers();
  test_written();
  test_generations();
  test_typed();
  test_message_charset();
  test_binary();
  test_utf8_valid();
  test_utf8_offsets();
  test_arena_reuse();
  test_fields(); /* last: it fills the process-wide field table */
  return check_done();
}
