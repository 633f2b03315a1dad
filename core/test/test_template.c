/* Templates against what Python's str.format(**entry) gives (expected values
 * checked with CPython 3.11), plus luruse's deviations: missing fields render
 * empty, and a standard spec on a time value pads its str(). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "check.h"
#include "input/entry.h"
#include "input/fields.h"
#include "rules/template.h"

#define T_USEC INT64_C(1704164645000123) /* 2024-01-02 03:04:05.000123 UTC */

static lr_field_id fid(const char *name) { return lr_fields_intern(name, strlen(name)); }

static void setup_entry(struct lr_entry *e)
{
  static const char *const names[] = {"S", "U", "E", "BIN", "N", "NEG", "ZERO", "BIG", "MIN",
                                      "C", "CP", "T", "T0", "TNEG", "SURR", "HUGE", NULL};
  for (size_t i = 0; names[i]; i++)
    fid(names[i]);
  lr_entry_init(e);
  lr_entry_begin(e, T_USEC - 123, NULL, NULL); /* __REALTIME_TIMESTAMP */
  lr_entry_set_str(e, fid("S"), "abc", 3);
  lr_entry_set_str(e, fid("U"), "h\xc3\xa9llo", 6);
  lr_entry_set_str(e, fid("E"), "", 0);
  lr_entry_set_str(e, fid("BIN"), "a\0b", 3);
  lr_entry_set_int(e, fid("N"), 1234);
  lr_entry_set_int(e, fid("NEG"), -42);
  lr_entry_set_int(e, fid("ZERO"), 0);
  lr_entry_set_int(e, fid("BIG"), 0x12345678);
  lr_entry_set_int(e, fid("MIN"), INT64_MIN);
  lr_entry_set_int(e, fid("C"), 65);
  lr_entry_set_int(e, fid("CP"), 0xe9);
  lr_entry_set_int(e, fid("SURR"), 0xd800);
  lr_entry_set_int(e, fid("HUGE"), 0x110000);
  struct lr_value tv = {.type = LR_VAL_TIME, .num = T_USEC};
  lr_entry_set_value(e, fid("T"), &tv);
  tv.num = T_USEC - 123;
  lr_entry_set_value(e, fid("T0"), &tv);
  tv.num = -1;
  lr_entry_set_value(e, fid("TNEG"), &tv);
}

/* Renders into a fresh buffer; NULL on a compile or render error. */
static const char *render(const char *tpl, struct lr_entry *e, struct lr_buf *b, char *err,
                          size_t errlen)
{
  lr_buf_clear(b);
  err[0] = '\0';
  struct lr_template *t = lr_template_compile(tpl, err, errlen);
  if (!t)
    return NULL;
  int rc = lr_template_render(t, e, b, err, errlen);
  lr_template_free(t);
  return rc < 0 ? NULL : b->data ? b->data : "";
}

static const struct { const char *tpl, *want; } ok_cases[] = {
  /* plain fields and braces */
  {"{S}", "abc"},
  {"x{S}y{N}z", "xabcy1234z"},
  {"{U}", "h\xc3\xa9llo"},
  {"{E}|", "|"},
  {"no fields", "no fields"},
  {"", ""},
  {"{{}}", "{}"},
  {"{{{S}}}", "{abc}"},
  {"a}}b{{c", "a}b{c"},
  {"{ S }", ""}, /* Python keeps the spaces: another (missing) name */
  /* missing fields: empty, padded as a string, numeric codes ignored */
  {"[{nope}]", "[]"},
  {"[{nope:>4}]", "[    ]"},
  {"[{nope:*^5d}]", "[*****]"},
  {"[{nope:d}]", "[]"},
  {"[{nope:+#x}]", "[]"},
  {"[{nope:%Y}]", "[]"},
  /* strings: width, alignment, fill, precision */
  {"{S:>6}", "   abc"},
  {"{S:<6}|", "abc   |"},
  {"{S:^6}|", " abc  |"},
  {"{S:^7}|", "  abc  |"},
  {"{S:*^7}", "**abc**"},
  {"{S:\xc3\xa9>5}", "\xc3\xa9\xc3\xa9" "abc"},
  {"{S:6}|", "abc   |"},
  {"{S:06}", "abc000"},
  {"{S:0>6}", "000abc"},
  {"{S:2}", "abc"},
  {"{S:.2}", "ab"},
  {"{S:*<6.2}|", "ab****|"},
  {"{S:s}", "abc"},
  {"{S:5s}|", "abc  |"},
  {"{S:}", "abc"},
  /* UTF-8: width and precision count characters */
  {"{U:.2}", "h\xc3\xa9"},
  {"{U:>7}", "  h\xc3\xa9llo"},
  {"{U:*^9.3}", "***h\xc3\xa9l***"},
  {"{U:.0}|", "|"},
  /* integers: alignment, sign, zero padding */
  {"{N}", "1234"},
  {"{N:6}", "  1234"},
  {"{N:<6}|", "1234  |"},
  {"{N:^9d}", "  1234   "},
  {"{NEG:^9d}", "   -42   "},
  {"{N:*^9}", "**1234***"},
  {"{N:=^9}", "==1234==="},
  {"{NEG:06}", "-00042"},
  {"{N:+06}", "+01234"},
  {"{N:+}", "+1234"},
  {"{N: }", " 1234"},
  {"{NEG: }", "-42"},
  {"{NEG:=6}", "-   42"},
  {"{NEG:*=6}", "-***42"},
  {"{N:-}", "1234"},
  {"{N:00}", "1234"},
  {"{N:<05}", "12340"},
  {"{N:n}", "1234"},
  {"{MIN}", "-9223372036854775808"},
  /* grouping, with zero padding grouped too */
  {"{N:,}", "1,234"},
  {"{N:_}", "1_234"},
  {"{BIG:_}", "305_419_896"},
  {"{MIN:,}", "-9,223,372,036,854,775,808"},
  {"{N:010,}", "00,001,234"},
  {"{N:08,}", "0,001,234"},
  {"{NEG:010,}", "-0,000,042"},
  {"{ZERO:010,}", "00,000,000"},
  {"{N:0>10,}", "000001,234"},
  {"{N:0=10,}", "00,001,234"},
  {"{N:x<010,}", "1,234xxxxx"},
  {"{N:=10,}", "     1,234"},
  /* bases and the # prefixes */
  {"{N:x}", "4d2"},
  {"{N:X}", "4D2"},
  {"{N:o}", "2322"},
  {"{N:b}", "10011010010"},
  {"{N:#x}", "0x4d2"},
  {"{N:#X}", "0X4D2"},
  {"{N:#o}", "0o2322"},
  {"{N:#b}", "0b10011010010"},
  {"{N:#d}", "1234"},
  {"{ZERO:#x}", "0x0"},
  {"{NEG:#x}", "-0x2a"},
  {"{NEG:#010x}", "-0x000002a"},
  {"{BIG:_x}", "1234_5678"},
  {"{BIG:#_o}", "0o22_1505_3170"},
  {"{BIG:#_b}", "0b1_0010_0011_0100_0101_0110_0111_1000"},
  {"{BIG:#012_x}", "0x0_1234_5678"},
  /* characters */
  {"{C:c}", "A"},
  {"{C:^5c}", "  A  "},
  {"{CP:c}", "\xc3\xa9"},
  {"{CP:*>3c}", "**\xc3\xa9"},
  /* !s */
  {"{N!s:>6}", "  1234"},
  {"{N!s:.2}", "12"},
  {"{S!s}", "abc"},
  {"{nope!s:>2}", "  "},
  /* times: str(datetime) in local time (TZ=UTC here) */
  {"{T}", "2024-01-02 03:04:05.000123"},
  {"{T0}", "2024-01-02 03:04:05"},
  {"{TNEG}", "1969-12-31 23:59:59.999999"},
  {"{__REALTIME_TIMESTAMP}", "2024-01-02 03:04:05"},
  {"{T!s}", "2024-01-02 03:04:05.000123"},
  /* a standard spec pads the rendered string (Python would strftime it) */
  {"{T:>30}", "    2024-01-02 03:04:05.000123"},
  {"{T0:*^21}", "*2024-01-02 03:04:05*"},
  {"{T:.10}", "2024-01-02"},
  /* a strftime spec, as datetime.__format__ does; naive: empty %z %Z */
  {"{T:%Y/%m/%d %H:%M:%S.%f%z%Z}", "2024/01/02 03:04:05.000123"},
  {"{T0:%d %%}", "02 %"},
  {"{T:%-d}", "2"},
  {"{T0:at %H:%M}", "at 03:04"},
};

static const struct { const char *tpl, *why; } render_errors[] = {
  {"{S:d}", "Unknown format code 'd' for a string value in {S:d}"},
  {"{S:x}", "Unknown format code 'x' for a string value in {S:x}"},
  {"{S:+}", "Sign not allowed in string format specifier in {S:+}"},
  {"{S:#}", "Alternate form (#) not allowed in string format specifier in {S:#}"},
  {"{S:=5}", "'=' alignment not allowed in string format specifier in {S:=5}"},
  {"{S:,}", "Cannot specify ',' with 's'. in {S:,}"},
  {"{N:s}", "Unknown format code 's' for an integer value in {N:s}"},
  {"{N:.2}", "Precision not allowed in integer format specifier in {N:.2}"},
  {"{T:d}", "Unknown format code 'd' for a time value in {T:d}"},
  {"{T:+}", "Sign not allowed in string format specifier in {T:+}"},
  {"{HUGE:c}", "%c arg not in range(0x110000) in {HUGE:c}"},
  {"{NEG:c}", "%c arg not in range(0x110000) in {NEG:c}"},
  {"{SURR:c}", "%c arg is a surrogate in {SURR:c}"},
  {"{S:%Y}", "a strftime format applies only to time values, not to a string value in {S:%Y}"},
  {"{N:%Y}", "a strftime format applies only to time values, not to an integer value in {N:%Y}"},
};

static const struct { const char *tpl, *why; } compile_errors[] = {
  {"abc{", "unclosed '{' at position 4"},
  {"{S", "unclosed '{' at position 1"},
  {"{S!s", "unclosed '{' at position 1"},
  {"\xc3\xa9}", "single '}' at position 2"},
  {"a}b", "single '}' at position 2"},
  {"{S}}", "single '}' at position 4"},
  {"x{}", "empty field name at position 2"},
  {"{:>5}", "empty field name at position 1"},
  {"{0}", "field '0' at position 1 is positional"},
  {"{S:{N}}", "'{' at position 4 inside a field"},
  {"{S.upper}", "'.' at position 3 in a field name"},
  {"{S[0]}", "'[' at position 3 in a field name"},
  {"{A=B}", "invalid field name 'A=B'"},
  {"{S!r}", "conversion '!r' at position 3 is not supported"},
  {"{S!a}", "conversion '!a' at position 3 is not supported"},
  {"{S!}", "missing conversion after '!' at position 3"},
  {"{S!sx}", "expected ':' or '}' after the conversion at position 5"},
  {"{S:10001}", "width exceeds the limit of 10000 in {S:10001}"},
  {"{S:99999999999999999999999}", "width exceeds the limit"},
  {"{S:.10001}", "precision exceeds the limit of 10000"},
  {"{S:.}", "Format specifier missing precision in {S:.}"},
  {"{N:,_}", "Cannot specify both ',' and '_'. in {N:,_}"},
  {"{N:__}", "Cannot specify '_' with '_'."},
  {"{N:,x}", "Cannot specify ',' with 'x'."},
  {"{N:_c}", "Cannot specify '_' with 'c'."},
  {"{N:,n}", "Cannot specify ',' with 'n'."},
  {"{S:,s}", "Cannot specify ',' with 's'."},
  {"{N:5q}", "Unknown format code 'q' in {N:5q}"},
  {"{N:xx}", "Invalid format specifier 'xx' in {N:xx}"},
  {"{N:.2f}", "float presentation type 'f' is not supported"},
  {"{N:.2d}", "Precision not allowed in integer format specifier in {N:.2d}"},
  {"{N:+c}", "Sign not allowed with integer format specifier 'c'"},
  {"{N:#c}", "Alternate form (#) not allowed with integer format specifier 'c'"},
  {"{S:+s}", "Sign not allowed in string format specifier in {S:+s}"},
  {"{S:+.3}", "Sign not allowed in string format specifier"}, /* fits no type */
  {"{S!s:+}", "Sign not allowed in string format specifier"},
  {"{S!s:%Y}", "Invalid format specifier '%Y'"},
  {"{T:%Q}", "Invalid format specifier '%Q'"},
  {"{T:%}", "float presentation type '%' is not supported"},
  {"{T:%-f}", "Invalid format specifier '%-f'"},
};

static void test_ok_cases(struct lr_entry *e)
{
  struct lr_buf b = {0};
  char err[256];
  for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
    const char *got = render(ok_cases[i].tpl, e, &b, err, sizeof(err));
    if (!got)
      fprintf(stderr, "%s: %s\n", ok_cases[i].tpl, err);
    CHECK_STR(got, ok_cases[i].want);
  }
  lr_buf_free(&b);
}

static void test_errors(struct lr_entry *e)
{
  struct lr_buf b = {0};
  char err[256];
  for (size_t i = 0; i < sizeof(render_errors) / sizeof(render_errors[0]); i++) {
    struct lr_template *t = lr_template_compile(render_errors[i].tpl, err, sizeof(err));
    CHECK(t != NULL);
    if (!t) {
      fprintf(stderr, "%s: %s\n", render_errors[i].tpl, err);
      continue;
    }
    err[0] = '\0';
    CHECK_INT(lr_template_render(t, e, &b, err, sizeof(err)), -1);
    CHECK_STR(err, render_errors[i].why);
    lr_template_free(t);
  }
  for (size_t i = 0; i < sizeof(compile_errors) / sizeof(compile_errors[0]); i++) {
    err[0] = '\0';
    struct lr_template *t = lr_template_compile(compile_errors[i].tpl, err, sizeof(err));
    CHECK(t == NULL);
    lr_template_free(t);
    if (!strstr(err, compile_errors[i].why))
      fprintf(stderr, "%s: got \"%s\"\n", compile_errors[i].tpl, err);
    CHECK(strstr(err, compile_errors[i].why) != NULL);
  }
  lr_buf_free(&b);
}

/* Appends to what the buffer holds; an error leaves it as it was. */
static void test_append_and_rollback(struct lr_entry *e)
{
  struct lr_buf b = {0};
  char err[128];
  lr_buf_add(&b, "pre:", 4);
  struct lr_template *ok = lr_template_compile("{S}-{N}", err, sizeof(err));
  struct lr_template *bad = lr_template_compile("{S} then {S:d}", err, sizeof(err));
  CHECK(ok && bad);
  CHECK_INT(lr_template_render(ok, e, &b, err, sizeof(err)), 0);
  CHECK_STR(b.data, "pre:abc-1234");
  CHECK_INT(lr_template_render(bad, e, &b, err, sizeof(err)), -1);
  CHECK_STR(b.data, "pre:abc-1234");
  CHECK_INT(b.len, 12);
  lr_template_free(ok);
  lr_template_free(bad);
  lr_buf_free(&b);
}

/* Binary values keep their bytes, NUL included. */
static void test_binary(struct lr_entry *e)
{
  struct lr_buf b = {0};
  char err[128];
  struct lr_template *t = lr_template_compile("<{BIN:>5}>", err, sizeof(err));
  REQUIRE(t != NULL);
  CHECK_INT(lr_template_render(t, e, &b, err, sizeof(err)), 0);
  CHECK_INT(b.len, 7);
  CHECK(memcmp(b.data, "<  a\0b>", 7) == 0);
  lr_template_free(t);
  lr_buf_free(&b);
}

static void test_fields(void)
{
  char err[128];
  struct lr_template *t = lr_template_compile("{S} {N:>4} {S!s} {{X}} {__REALTIME_TIMESTAMP}",
                                              err, sizeof(err));
  REQUIRE(t != NULL);
  const lr_field_id *ids;
  CHECK_INT(lr_template_fields(t, &ids), 3);
  CHECK_INT(ids[0], fid("S"));
  CHECK_INT(ids[1], fid("N"));
  CHECK_INT(ids[2], LR_F_REALTIME);
  lr_template_free(t);

  t = lr_template_compile("plain {{text}}", err, sizeof(err));
  REQUIRE(t != NULL);
  CHECK_INT(lr_template_fields(t, &ids), 0);
  lr_template_free(t);
  lr_template_free(NULL);
}

/* Widths up to the bound work and pad by characters, with a multi-byte fill. */
static void test_wide(struct lr_entry *e)
{
  struct lr_buf b = {0};
  char err[128];
  struct lr_template *t = lr_template_compile("{S:\xc3\xa9<10000}{N:010000,}", err, sizeof(err));
  REQUIRE(t != NULL);
  CHECK_INT(lr_template_render(t, e, &b, err, sizeof(err)), 0);
  CHECK_INT(b.len, 3 + 2 * 9997 + 10001); /* 10000 zero-padded: a leading 0 before a ',' */
  CHECK(memcmp(b.data + 3, "\xc3\xa9", 2) == 0);
  CHECK(memcmp(b.data + b.len - 8, ",001,234", 8) == 0);
  CHECK(b.data[3 + 2 * 9997] == '0');
  lr_template_free(t);
  lr_buf_free(&b);
}

int main(void)
{
  setenv("TZ", "UTC", 1);
  tzset();
  struct lr_entry e;
  setup_entry(&e);
  test_ok_cases(&e);
  test_errors(&e);
  test_append_and_rollback(&e);
  test_binary(&e);
  test_fields();
  test_wide(&e);
  lr_entry_free(&e);
  return check_done();
}
