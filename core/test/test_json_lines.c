/* `journalctl -o json` reader: table of lines and their fields, recovery after
 * bad lines, and a round trip through systemd's own tools. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "check.h"
#include "input/export_parser.h"
#include "journal_fixture.h"
#include "input/json_lines.h"

#define S(lit) lit, sizeof(lit) - 1

static FILE *mem_stream(const char *data, size_t len)
{
  FILE *f = tmpfile();
  if (f && (fwrite(data, 1, len, f) != len || fseek(f, 0, SEEK_SET) != 0)) {
    fclose(f);
    f = NULL;
  }
  return f;
}

static void escape(struct lr_buf *out, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n')
      lr_buf_add(out, "\\n", 2);
    else if (c == '\\')
      lr_buf_add(out, "\\\\", 2);
    else if (c < 0x20 || c >= 0x7f)
      lr_buf_printf(out, "\\x%02x", c);
    else
      lr_buf_addc(out, (char)c);
  }
}

/* Whole stream as "N=v N=v|ERR|N=v|"; errors are rendered and the reading goes on.
 * The error messages are joined in *errs, one per line. */
static void render(const char *in, size_t len, struct lr_buf *out, struct lr_buf *errs)
{
  FILE *f = mem_stream(in, len);
  struct lr_json_lines *p = lr_json_lines_open(f, "t.json");
  lr_buf_clear(out);
  lr_buf_clear(errs);
  lr_buf_add(out, "", 0);
  lr_buf_add(errs, "", 0);
  int rc, guard = 0;
  while ((rc = lr_json_lines_next(p)) != 0 && guard++ < 100) {
    if (rc < 0) {
      lr_buf_add(out, "ERR|", 4);
      lr_buf_printf(errs, "%s\n", lr_json_lines_error(p));
      continue;
    }
    CHECK_STR(lr_json_lines_error(p), "");
    for (size_t i = 0; i < lr_json_lines_count(p); i++) {
      const char *n, *v;
      size_t nl, vl;
      lr_json_lines_field(p, i, &n, &nl, &v, &vl);
      CHECK(v[vl] == '\0' && n[nl] == '\0');
      if (i)
        lr_buf_addc(out, ' ');
      escape(out, n, nl);
      lr_buf_addc(out, '=');
      escape(out, v, vl);
    }
    lr_buf_addc(out, '|');
  }
  lr_json_lines_close(p);
  fclose(f);
}

struct tcase {
  const char *what;
  const char *in;
  size_t len;
  const char *want;
  const char *err; /* substring of the joined error messages, or NULL */
};

static const struct tcase cases[] = {
  {"strings", S("{\"A\":\"x\",\"B\":\"h\\u00e9llo w\"}\n"), "A=x B=h\\xc3\\xa9llo w|", NULL},
  {"escapes", S("{\"A\":\"a\\nb\\\\c\\\"d\"}\n"), "A=a\\nb\\\\c\"d|", NULL},
  {"NUL inside a string", S("{\"A\":\"a\\u0000b\"}\n"), "A=a\\x00b|", NULL},
  {"numbers", S("{\"N\":42,\"M\":-7,\"R\":1.5,\"T\":0.1,\"E\":1e300}\n"),
   "N=42 M=-7 R=1.5 T=0.1 E=1e+300|", NULL},
  {"booleans", S("{\"Y\":true,\"N\":false}\n"), "Y=true N=false|", NULL},
  {"null skips the field", S("{\"A\":null,\"B\":\"x\",\"C\":null}\n"), "B=x|", NULL},
  {"only nulls", S("{\"A\":null}\n"), "|", NULL},
  {"empty object", S("{}\n"), "|", NULL},
  {"byte array", S("{\"A\":[104,105,0,10]}\n"), "A=hi\\x00\\n|", NULL},
  {"non-UTF-8 byte array", S("{\"M\":[99,97,102,233,195,40,255]}\n"),
   "M=caf\\xe9\\xc3(\\xff|", NULL},
  {"empty byte array", S("{\"A\":[]}\n"), "A=|", NULL},
  {"repeated strings", S("{\"A\":[\"first\",\"second\"],\"B\":\"z\"}\n"), "A=first B=z|", NULL},
  {"repeated byte arrays", S("{\"A\":[[1,2],[3]]}\n"), "A=\\x01\\x02|", NULL},
  {"repeated, mixed", S("{\"A\":[[233],\"x\"]}\n"), "A=\\xe9|", NULL},
  {"repeated, null first", S("{\"A\":[null,\"x\"],\"B\":\"y\"}\n"), "B=y|", NULL},
  {"several lines", S("{\"A\":\"1\"}\n{\"A\":\"2\",\"B\":\"3\"}\n"), "A=1|A=2 B=3|", NULL},
  {"empty and blank lines", S("\n{\"A\":\"1\"}\n\n  \r\n{\"A\":\"2\"}\n\n"), "A=1|A=2|", NULL},
  {"no final newline", S("{\"A\":\"1\"}"), "A=1|", NULL},
  {"CRLF line ending", S("{\"A\":\"1\"}\r\n"), "A=1|", NULL},
  {"empty stream", S(""), "", NULL},
  {"bad line, then continue", S("{\"A\":\"1\"}\nnot json\n{\"A\":\"2\"}\n"), "A=1|ERR|A=2|",
   "t.json:2: "},
  {"line numbers count blank lines", S("\n\n{\"A\":\n{\"A\":\"2\"}\n"), "ERR|A=2|",
   "t.json:3: "},
  {"array line", S("[1,2]\n{\"A\":\"1\"}\n"), "ERR|A=1|", "t.json:1: not a JSON object"},
  {"string line", S("\"text\"\n"), "ERR|", "t.json:1: "},
  {"number line", S("42\n"), "ERR|", "t.json:1: "},
  {"trailing garbage", S("{\"A\":\"1\"} x\n"), "ERR|", "t.json:1: "},
  {"byte out of range", S("{\"A\":[1,256]}\n"), "ERR|", "t.json:1: field A: byte array"},
  {"negative byte", S("{\"A\":[-1]}\n"), "ERR|", "field A: byte array"},
  {"string inside a byte array", S("{\"A\":[1,\"x\"]}\n"), "ERR|", "field A: byte array"},
  {"object value", S("{\"A\":{\"b\":1}}\n{\"B\":\"ok\"}\n"), "ERR|B=ok|",
   "t.json:1: field A: an object"},
  /* names journald refuses: the field is skipped, not the line */
  {"empty name", S("{\"\":\"x\",\"B\":\"1\"}\n"), "B=1|", NULL},
  {"lowercase and spaced names", S("{\"message\":\"x\",\"MY F\":\"y\",\"B\":\"1\"}\n"), "B=1|", NULL},
  /* jansson itself refuses the line: reported, and the next line is read */
  {"NUL in a name", S("{\"A\\u0000B\":\"x\"}\n{\"C\":\"1\"}\n"), "ERR|C=1|", "NUL byte in object key"},
  {"raw non-UTF-8 in a string", S("{\"A\":\"caf\xe9\"}\n{\"A\":\"b\"}\n"), "ERR|A=b|",
   "t.json:1: "},
};

static void test_table(void)
{
  struct lr_buf out = {0}, errs = {0};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct tcase *c = &cases[i];
    render(c->in, c->len, &out, &errs);
    int ok = strcmp(out.data, c->want) == 0 &&
             (c->err ? strstr(errs.data, c->err) != NULL : errs.len == 0);
    if (!ok)
      fprintf(stderr, "case \"%s\": got \"%s\" errors \"%s\"\n", c->what, out.data, errs.data);
    CHECK(ok);
  }
  lr_buf_free(&out);
  lr_buf_free(&errs);
}

/* Values from one line stay valid while the accessors are used, and the buffers
 * are reused by the next line (a long line then a short one). */
static void test_reuse(void)
{
  struct lr_buf in = {0};
  lr_buf_add(&in, "{\"BIG\":\"", 8);
  lr_buf_fill(&in, 'x', 1 << 20);
  static const char tail[] = "\",\"B\":[1,2,3]}\n{\"S\":\"short\"}\n";
  lr_buf_add(&in, tail, sizeof(tail) - 1);
  FILE *f = mem_stream(in.data, in.len);
  struct lr_json_lines *p = lr_json_lines_open(f, "big.json");
  const char *n, *v;
  size_t nl, vl;
  CHECK_INT(lr_json_lines_next(p), 1);
  CHECK_INT(lr_json_lines_count(p), 2);
  lr_json_lines_field(p, 0, &n, &nl, &v, &vl);
  CHECK_INT(vl, 1 << 20);
  CHECK(v[0] == 'x' && v[vl - 1] == 'x' && v[vl] == '\0');
  lr_json_lines_field(p, 1, &n, &nl, &v, &vl);
  CHECK(vl == 3 && memcmp(v, "\1\2\3", 3) == 0);
  CHECK_INT(lr_json_lines_next(p), 1);
  CHECK_INT(lr_json_lines_count(p), 1);
  lr_json_lines_field(p, 0, &n, &nl, &v, &vl);
  CHECK_STR(v, "short");
  CHECK_INT(lr_json_lines_next(p), 0);
  CHECK_INT(lr_json_lines_next(p), 0);
  lr_json_lines_close(p);
  fclose(f);
  lr_buf_free(&in);
}

/* The same journal file read as `-o export` and as `-o json` gives the same
 * fields and values (repeated fields: JSON keeps one of them). */
static void test_systemd_round_trip(void)
{
  struct lr_buf in = {0};
  for (int i = 0; i < 4; i++) {
    fixture_entry_head(&in, i);
    lr_buf_add(&in, "EQ=a=b\nTAG=one\nTAG=two\n", 23);
    put_binary(&in, "TRACE", "line1\nline2", 11);
    put_binary(&in, "LATIN", "caf\xe9", 4);
    put_binary(&in, "CTRL", "a\x01" "b", 3);
    lr_buf_add(&in, "\n", 1);
  }
  struct journal_fixture jf;
  char cmd[512];
  if (journal_fixture_write(&jf, "lr-json-rt", &in) != 0)
    goto out;
  snprintf(cmd, sizeof(cmd), "journalctl --file %s -o export --no-pager", jf.journal);
  FILE *fe = popen(cmd, "r");
  snprintf(cmd, sizeof(cmd), "journalctl --file %s -o json --no-pager", jf.journal);
  FILE *fj = popen(cmd, "r");
  struct lr_export_parser *pe = lr_export_open(fe, "export");
  struct lr_json_lines *pj = lr_json_lines_open(fj, "json");
  int entries = 0, matched = 0, missing = 0, tags = 0;
  while (lr_export_next(pe) > 0) {
    CHECK_INT(lr_json_lines_next(pj), 1);
    for (size_t k = 0; k < lr_export_count(pe); k++) {
      const char *en, *ev;
      size_t enl, evl;
      lr_export_field(pe, k, &en, &enl, &ev, &evl);
      int found = 0;
      for (size_t j = 0; j < lr_json_lines_count(pj) && !found; j++) {
        const char *jn, *jv;
        size_t jnl, jvl;
        lr_json_lines_field(pj, j, &jn, &jnl, &jv, &jvl);
        if (jnl != enl || memcmp(jn, en, enl) != 0)
          continue;
        found = 1;
        if (jvl == evl && memcmp(jv, ev, evl) == 0)
          matched++;
        else if (enl == 3 && memcmp(en, "TAG", 3) == 0)
          tags++; /* the other of the two values */
      }
      missing += !found;
    }
    entries++;
  }
  CHECK_STR(lr_export_error(pe), "");
  CHECK_INT(lr_json_lines_next(pj), 0);
  CHECK_INT(entries, 4);
  CHECK_INT(missing, 0);
  /* 11 fields (with __CURSOR, both TAGs) per entry; one TAG differs from JSON's */
  CHECK_INT(matched + tags, 4 * 11);
  CHECK_INT(tags, 4);
  lr_export_close(pe);
  lr_json_lines_close(pj);
  pclose(fe);
  pclose(fj);
out:
  journal_fixture_remove(&jf);
  lr_buf_free(&in);
}

int main(void)
{
  test_table();
  test_reuse();
  test_systemd_round_trip();
  return check_done();
}
