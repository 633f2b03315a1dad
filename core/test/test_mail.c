/* Mail composition: quoted-printable, UTF-8 sanitising, header sanitising and
 * RFC 2047 encoding, Date and Message-ID, whole messages. Expected sanitising
 * results were checked against CPython 3.11's bytes.decode("utf-8", "replace").
 *
 * After the unit checks, sample messages are written to a temporary directory
 * and read back by tests/lib/mail_mime_check.py with Python's email package
 * (skipped when python3 is missing). `test_mail --write DIR` only writes them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/charset.h"
#include "check.h"
#include "notify/mail.h"

#define S(lit) lit, sizeof(lit) - 1

/* ---- test-side decoders, written independently of the encoder ---------- */

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1; /* RFC 2045 wants uppercase */
}

/* Quoted-printable to bytes; false on a malformed "=" escape. */
static bool qp_decode(const char *s, size_t len, struct lr_buf *out)
{
  lr_buf_add(out, "", 0);
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '=') {
      lr_buf_addc(out, s[i]);
      continue;
    }
    if (i + 1 < len && s[i + 1] == '\n') {
      i++;
      continue;
    }
    if (i + 2 >= len || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
      return false;
    lr_buf_addc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
    i += 2;
  }
  return true;
}

/* Line rules of the encoded text; prints the first broken one. */
static bool qp_lines_ok(const char *s, size_t len)
{
  size_t start = 0;
  bool after_soft = false;
  while (start < len) {
    const char *nl = memchr(s + start, '\n', len - start);
    size_t end = nl ? (size_t)(nl - s) : len;
    const char *line = s + start;
    size_t n = end - start;
    const char *why = NULL;
    if (n > 76)
      why = "longer than 76";
    else if (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
      why = "trailing whitespace";
    else if (n && line[0] == '.')
      why = "starts with a dot";
    else if (n >= 5 && !memcmp(line, "From ", 5))
      why = "starts with From";
    else if (after_soft && n >= 2 && line[0] == '=' && line[1] >= '8' && line[1] <= 'B')
      why = "a soft break cut a UTF-8 character";
    if (why) {
      fprintf(stderr, "QP line at %zu: %s: \"%.*s\"\n", start, why, (int)n, line);
      return false;
    }
    after_soft = n && line[n - 1] == '=';
    start = end + 1;
  }
  return true;
}

static void crlf_to_lf(struct lr_buf *out, const char *s, size_t len)
{
  lr_buf_add(out, "", 0);
  for (size_t i = 0; i < len; i++)
    if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
      lr_buf_addc(out, s[i]);
}

static int b64val(char c)
{
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

static bool b64_decode(const char *s, size_t len, struct lr_buf *out)
{
  if (len % 4)
    return false;
  for (size_t i = 0; i < len; i += 4) {
    int v[4];
    for (int k = 0; k < 4; k++)
      v[k] = s[i + k] == '=' && i + 4 == len && k >= 2 ? 0 : b64val(s[i + k]);
    if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
      return false;
    uint32_t w = (uint32_t)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    lr_buf_addc(out, (char)(w >> 16));
    if (s[i + 2] != '=') lr_buf_addc(out, (char)(w >> 8));
    if (s[i + 3] != '=') lr_buf_addc(out, (char)w);
  }
  return true;
}

static bool q_decode(const char *s, size_t len, struct lr_buf *out)
{
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '_') {
      lr_buf_addc(out, ' ');
    } else if (s[i] == '=') {
      if (i + 2 >= len || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
        return false;
      lr_buf_addc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
      i += 2;
    } else if (s[i] == '?' || s[i] == ' ') {
      return false;
    } else {
      lr_buf_addc(out, s[i]);
    }
  }
  return true;
}

/* One encoded-word: at most 75 characters, decoding to whole UTF-8 characters. */
static bool word_decode(const char *w, size_t n, struct lr_buf *out)
{
  if (n > 75 || n < 12 || memcmp(w, "=?UTF-8?", 8) || (w[8] != 'B' && w[8] != 'Q') ||
      w[9] != '?' || memcmp(w + n - 2, "?=", 2)) {
    fprintf(stderr, "bad encoded-word \"%.*s\"\n", (int)n, w);
    return false;
  }
  struct lr_buf one = {0};
  lr_buf_add(&one, "", 0);
  bool ok = w[8] == 'B' ? b64_decode(w + 10, n - 12, &one) : q_decode(w + 10, n - 12, &one);
  ok = ok && lr_utf8_valid(one.data, one.len);
  if (!ok)
    fprintf(stderr, "encoded-word \"%.*s\" does not decode alone\n", (int)n, w);
  lr_buf_add(out, one.data, one.len);
  lr_buf_free(&one);
  return ok;
}

/* Checks one header ("Name: ...\n", folded) and decodes its value: plain
 * text is unfolded; encoded-words are decoded, whitespace between them
 * dropped. Only the shapes lr_mail_header writes. */
static bool header_decode(const char *h, const char *name, struct lr_buf *val)
{
  size_t len = strlen(h), nlen = strlen(name);
  lr_buf_clear(val);
  lr_buf_add(val, "", 0);
  if (len < nlen + 2 || memcmp(h, name, nlen) || h[nlen] != ':' || h[len - 1] != '\n') {
    fprintf(stderr, "not a %s header: \"%s\"\n", name, h);
    return false;
  }
  struct lr_buf unfolded = {0};
  lr_buf_add(&unfolded, "", 0);
  bool ok = true;
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    if (h[i] != '\n')
      continue;
    if (i - start > 78) {
      fprintf(stderr, "header line longer than 78: \"%.*s\"\n", (int)(i - start), h + start);
      ok = false;
    }
    if (i + 1 < len && h[i + 1] != ' ') {
      fprintf(stderr, "a line of \"%s\" starts a new header\n", h);
      ok = false;
    }
    size_t next = i + 1;
    while (next < len && h[next] == ' ')
      next++;
    if (i + 1 < len && (next == len || h[next] == '\n')) {
      fprintf(stderr, "a continuation line of \"%s\" is blank\n", h);
      ok = false;
    }
    lr_buf_add(&unfolded, h + start, i - start);
    start = i + 1;
  }
  const char *v = unfolded.data + nlen + 1;
  if (*v == ' ')
    v++;
  if (strncmp(v, "=?UTF-8?", 8)) {
    lr_buf_add(val, v, strlen(v));
  } else {
    while (*v) {
      const char *sp = strchr(v, ' ');
      size_t n = sp ? (size_t)(sp - v) : strlen(v);
      ok &= word_decode(v, n, val);
      v += n;
      if (*v)
        v++;
    }
  }
  lr_buf_free(&unfolded);
  return ok;
}

/* ---- quoted-printable ----------------------------------------------------- */

struct qp_case {
  const char *in;
  size_t len;
  const char *want;
};

static const struct qp_case qp_cases[] = {
  {S(""), ""},
  {S("abc"), "abc"},
  {S("a=b"), "a=3Db"},
  {S("a  b"), "a  b"},
  {S("a "), "a=20"},
  {S("a \n"), "a=20\n"},
  {S("a\t\r\nb"), "a=09\nb"},
  {S("a\tb"), "a\tb"},
  {S("a \t \nb"), "a \t=20\nb"},
  {S("a\r\nb\nc"), "a\nb\nc"},
  {S("a\rb"), "a=0Db"},
  {S("a\r"), "a=0D"},
  {S("\r\r\n"), "=0D\n"},
  {S("\n\n"), "\n\n"},
  {S("\0\x01\x1b\x7f"), "=00=01=1B=7F"},
  {S("caf\xc3\xa9"), "caf=C3=A9"},
  {S("\xe2\x9c\x93 \xf0\x9f\x98\x80"), "=E2=9C=93 =F0=9F=98=80"},
  {S("\xff"), "=FF"},
  {S("~!\"#$%&'()*+,-./:;<>?@[\\]^_`{|}"), "~!\"#$%&'()*+,-./:;<>?@[\\]^_`{|}"},
  {S(".\n"), "=2E\n"},
  {S("."), "=2E"},
  {S("a\n.b"), "a\n=2Eb"},
  {S("x.\n"), "x.\n"},
  {S("From me\nFrom\n"), "=46rom me\nFrom\n"},
  {S("a\r\nFrom x"), "a\n=46rom x"},
  {S("Fromage"), "Fromage"},
  {S(" From x"), " From x"},
  {S("=_luruse_0123"), "=3D_luruse_0123"},
};

static void qp_check(const char *in, size_t len, const char *want, int line)
{
  struct lr_buf out = {0};
  lr_buf_add(&out, "", 0);
  lr_mail_qp_encode(&out, in, len);
  if (strcmp(out.data, want))
    fprintf(stderr, "line %d: QP of \"%.*s\"\n", line, (int)len, in);
  CHECK_STR(out.data, want);
  lr_buf_free(&out);
}

static char *rep(char c, size_t n, const char *suffix)
{
  size_t sl = strlen(suffix);
  char *s = malloc(n + sl + 1);
  memset(s, c, n);
  memcpy(s + n, suffix, sl + 1);
  return s;
}

/* Soft breaks at exactly 76 columns, never inside a triplet or a character. */
static void test_qp_lengths(void)
{
  struct { size_t n; const char *tail, *want_tail; size_t want_first; } cases[] = {
    {76, "", "", 76},             /* a full last line needs no break */
    {76, "\n", "\n", 76},
    {77, "", "", 75},             /* otherwise 75 + "=" */
    {75, " ", "=\n=20", 75},      /* the encoded trailing space does not fit */
    {74, "\xc3\xa9", "=\n=C3=A9", 74},
    {70, "\xc3\xa9", "=C3=A9", 70},
    {70, "\xc3\xa9" "b", "=\n=C3=A9b", 70},
    {69, "\xc3\xa9" "b", "=C3=A9b", 69},     /* the last unit may take column 76 */
    {69, "\xc3\xa9" "bc", "=C3=A9=\nbc", 69},
    {75, ".", ".", 75},
    {75, ".x", "=\n=2Ex", 75},     /* the dot lands at a line start */
    {75, "From x", "=\n=46rom x", 75},
    {73, "=", "=3D", 73},
    {74, "=", "=\n=3D", 74},
    {72, "\xf0\x9f\x98\x80", "=\n=F0=9F=98=80", 72},
    {64, "\xf0\x9f\x98\x80", "=F0=9F=98=80", 64},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *in = rep('a', cases[i].n, cases[i].tail);
    char *want = rep('a', cases[i].want_first, "");
    struct lr_buf w = {0};
    lr_buf_add(&w, want, strlen(want));
    if (cases[i].want_first < cases[i].n) {
      lr_buf_add(&w, "=\n", 2);
      lr_buf_fill(&w, 'a', cases[i].n - cases[i].want_first);
    }
    lr_buf_add(&w, cases[i].want_tail, strlen(cases[i].want_tail));
    qp_check(in, strlen(in), w.data, __LINE__);
    lr_buf_free(&w);
    free(in);
    free(want);
  }
  char *in = rep('a', 150, "");
  char *want = rep('a', 75, "=\n");
  struct lr_buf w = {0};
  lr_buf_add(&w, want, strlen(want));
  lr_buf_fill(&w, 'a', 75);
  qp_check(in, 150, w.data, __LINE__);
  lr_buf_free(&w);
  free(in);
  free(want);
}

/* A deterministic generator of awkward text: every byte class, line breaks,
 * edge spaces, dots and "From " at line starts, multibyte characters. */
static uint64_t rng_state = 0x1234567u;
static uint32_t rng(void)
{
  rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
  return (uint32_t)(rng_state >> 33);
}

static void gen_text(struct lr_buf *b, size_t n, bool newlines)
{
  static const char *const pieces[] = {"a", "b", " ", "\t", "=", ".", "From ", "\xc3\xa9",
                                       "\xe2\x9c\x93", "\xf0\x9f\x98\x80", "\xff", "\r",
                                       "\x01", "\x7f", "\xe6\x97\xa5", "  ", "xyz"};
  static const char *const breaks[] = {"\n", "\r\n", " \n", "\t\r\n", "\n.\n", "\nFrom "};
  while (b->len < n) {
    if (newlines && rng() % 40 == 0) {
      const char *p = breaks[rng() % (sizeof(breaks) / sizeof(breaks[0]))];
      lr_buf_add(b, p, strlen(p));
    } else {
      const char *p = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
      lr_buf_add(b, p, strlen(p));
    }
  }
}

static void qp_roundtrip(const char *in, size_t len)
{
  struct lr_buf enc = {0}, dec = {0}, want = {0};
  lr_buf_add(&enc, "", 0);
  lr_mail_qp_encode(&enc, in, len);
  CHECK(qp_lines_ok(enc.data, enc.len));
  CHECK(qp_decode(enc.data, enc.len, &dec));
  crlf_to_lf(&want, in, len);
  CHECK(dec.len == want.len && !memcmp(dec.data, want.data, want.len));
  for (size_t i = 0; i < enc.len; i++)
    if ((unsigned char)enc.data[i] >= 0x7f || (enc.data[i] < ' ' && enc.data[i] != '\n' &&
                                               enc.data[i] != '\t')) {
      fprintf(stderr, "raw byte 0x%02x in QP output\n", (unsigned char)enc.data[i]);
      CHECK(0);
      break;
    }
  lr_buf_free(&enc);
  lr_buf_free(&dec);
  lr_buf_free(&want);
}

/* Property: whatever the length of a line and its trailing whitespace, with
 * or without a final line break, no body line of a composed message exceeds
 * 76 characters (the closing soft break included), none ends with a space,
 * and the body decodes back to the text. */
static void test_qp_line_ends(void)
{
  static const char *const heads[] = {"x", "\xc3\xa9", "=", " "};
  static const char *const tails[] = {"", " ", "\t", "  ", " \t", "\t ", "   ", "=",
                                      "\xc3\xa9", "\xc3\xa9 ", ".", "\xf0\x9f\x98\x80\t"};
  static const char *const ends[] = {"", "\n", "\r\n", " \n", "\nnext line"};
  const char *to[] = {"ops@example.org"};
  struct lr_mail_header_info h = {.from = "luruse@host", .to = to, .nto = 1, .subject = "s",
                                  .date_usec = INT64_C(1795548859000000),
                                  .message_id_host = "host.example"};
  size_t cases = 0, bad = 0;
  struct lr_buf in = {0}, m = {0}, dec = {0}, want = {0};
  for (size_t hd = 0; hd < sizeof(heads) / sizeof(heads[0]); hd++)
    for (size_t n = 0; n <= 160; n++)
      for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++)
        for (size_t e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
          lr_buf_clear(&in);
          lr_buf_add(&in, "", 0);
          for (size_t k = 0; k < n; k++)
            lr_buf_add(&in, heads[hd], strlen(heads[hd]));
          lr_buf_add(&in, tails[t], strlen(tails[t]));
          lr_buf_add(&in, ends[e], strlen(ends[e]));
          cases++;
          qp_roundtrip(in.data, in.len);

          lr_buf_clear(&m);
          lr_mail_compose_text(&m, &h, in.data, in.len);
          const char *body = strstr(m.data, "\n\n");
          bool ok = body != NULL;
          if (ok) {
            body += 2;
            size_t blen = m.len - (size_t)(body - m.data);
            lr_buf_clear(&dec);
            lr_buf_clear(&want);
            crlf_to_lf(&want, in.data, in.len);
            ok = qp_lines_ok(body, blen) && qp_decode(body, blen, &dec) &&
                 dec.len == want.len && !memcmp(dec.data, want.data, want.len) &&
                 (blen == 0 || body[blen - 1] == '\n');
          }
          lr_buf_clear(&m);
          lr_mail_compose_alternative(&m, &h, in.data, in.len, in.data, in.len);
          const char *part = strstr(m.data, "quoted-printable\n\n");
          ok = ok && part && qp_lines_ok(part, m.len - (size_t)(part - m.data));
          if (!ok && bad++ < 5)
            fprintf(stderr, "QP property broken: %zu x \"%s\", tail \"%s\", end \"%s\"\n", n,
                    heads[hd], tails[t], ends[e]);
        }
  CHECK_INT(bad, 0);
  printf("QP line ends: %zu texts composed, %zu with a line over 76 characters or "
         "not decoding back\n", cases, bad);
  lr_buf_free(&in);
  lr_buf_free(&m);
  lr_buf_free(&dec);
  lr_buf_free(&want);
}

static void test_qp(void)
{
  for (size_t i = 0; i < sizeof(qp_cases) / sizeof(qp_cases[0]); i++)
    qp_check(qp_cases[i].in, qp_cases[i].len, qp_cases[i].want, (int)i);
  test_qp_lengths();
  test_qp_line_ends();
  for (size_t i = 0; i < sizeof(qp_cases) / sizeof(qp_cases[0]); i++)
    qp_roundtrip(qp_cases[i].in, qp_cases[i].len);

  struct lr_buf t = {0};
  for (int k = 0; k < 50; k++) {
    lr_buf_clear(&t);
    gen_text(&t, 50 + (size_t)k * 37, true);
    qp_roundtrip(t.data, t.len);
  }
  /* 100 KB without a line break */
  lr_buf_clear(&t);
  gen_text(&t, 100 * 1024, false);
  qp_roundtrip(t.data, t.len);
  lr_buf_clear(&t);
  lr_buf_fill(&t, 'x', 100 * 1024);
  qp_roundtrip(t.data, t.len);
  lr_buf_free(&t);
}

/* ---- UTF-8 sanitising ----------------------------------------------------- */

#define FFFD "\xef\xbf\xbd"

static const struct qp_case utf8_cases[] = {
  {S("abc"), "abc"},
  {S("caf\xc3\xa9 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xf0\x9f\x98\x80"},
  {S("\xff"), FFFD},
  {S("a\xc3"), "a" FFFD},
  {S("\xc3("), FFFD "("},
  {S("\xe2\x82"), FFFD},
  {S("\xe2\x82("), FFFD "("},
  {S("\xed\xa0\x80"), FFFD FFFD FFFD},          /* surrogate */
  {S("\xf0\x9f\x98"), FFFD},
  {S("\xc0\xaf"), FFFD FFFD},                   /* overlong */
  {S("\xe0\x80\xaf"), FFFD FFFD FFFD},
  {S("\xf4\x90\x80\x80"), FFFD FFFD FFFD FFFD}, /* above U+10FFFF */
  {S("\xf5\x80"), FFFD FFFD},
  {S("\x80\x80"), FFFD FFFD},
  {S("\xef\xbf\xbf"), "\xef\xbf\xbf"},
  {S("\xe1\x80\xe1\x80\x80"), FFFD "\xe1\x80\x80"},
  {S("x\xffy\xfez"), "x" FFFD "y" FFFD "z"},
};

static void test_utf8(void)
{
  for (size_t i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
    struct lr_buf out = {0};
    lr_buf_add(&out, "", 0);
    lr_mail_utf8_sanitize(&out, utf8_cases[i].in, utf8_cases[i].len);
    CHECK_STR(out.data, utf8_cases[i].want);
    CHECK(lr_utf8_valid(out.data, out.len));
    lr_buf_free(&out);
  }
  /* NUL bytes are valid UTF-8 and kept */
  struct lr_buf out = {0};
  lr_mail_utf8_sanitize(&out, "a\0\xff", 3);
  CHECK(out.len == 5 && !memcmp(out.data, "a\0" FFFD, 5));
  lr_buf_free(&out);
}

/* ---- headers -------------------------------------------------------------- */

struct header_case {
  const char *in;
  size_t len;
  const char *want;      /* the whole header, when exact */
  const char *decoded;   /* the value a reader must see */
};

static const struct header_case header_cases[] = {
  {S("hello"), "Subject: hello\n", "hello"},
  {S(""), "Subject:\n", ""},
  {S("hi\r\nBcc: x@y"), "Subject: hi  Bcc: x@y\n", "hi  Bcc: x@y"},
  {S("a\nb\rc\td\x7f" "e\x01" "f"), "Subject: a b c d e f\n", "a b c d e f"},
  {S("nul\0here"), "Subject: nul here\n", "nul here"},
  {S("a  b"), "Subject: a  b\n", "a  b"},
  {S("x\xc2\x85y"), "Subject: x y\n", "x y"},                 /* C1 NEL */
  {S("caf\xc3\xa9"), "Subject: =?UTF-8?Q?caf=C3=A9?=\n", "caf\xc3\xa9"},
  {S("a\xff"), NULL, "a" FFFD},
  {S("\r\nBcc: evil@x"), "Subject: =?UTF-8?Q?__Bcc=3A_evil=40x?=\n", "  Bcc: evil@x"},
  {S("end "), NULL, "end "},
  {S("a =?UTF-8?Q?x?= b"), NULL, "a =?UTF-8?Q?x?= b"},
  {S("   "), NULL, "   "},
  {S("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), "Subject: =?UTF-8?B?5pel5pys6Kqe?=\n",
   "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"},
};

static void header_check(const char *in, size_t len, const char *want, const char *decoded)
{
  struct lr_buf out = {0}, val = {0};
  lr_mail_header_len(&out, "Subject", in, len);
  if (want)
    CHECK_STR(out.data, want);
  CHECK(header_decode(out.data, "Subject", &val));
  if (decoded)
    CHECK_STR(val.data, decoded);
  lr_buf_free(&out);
  lr_buf_free(&val);
}

static void test_headers(void)
{
  for (size_t i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++)
    header_check(header_cases[i].in, header_cases[i].len, header_cases[i].want,
                 header_cases[i].decoded);

  struct lr_buf out = {0};
  lr_mail_header(&out, "Subject", NULL);
  CHECK_STR(out.data, "Subject:\n");
  lr_buf_free(&out);

  /* long values: folded, words at most 75, lines at most 78, read back whole */
  struct lr_buf v = {0}, want = {0};
  for (int k = 0; k < 40; k++)
    lr_buf_printf(&v, "word%d ", k);
  lr_buf_add(&v, "end", 3);
  header_check(v.data, v.len, NULL, v.data);
  lr_buf_clear(&out);
  lr_mail_header(&out, "Subject", v.data);
  CHECK(strncmp(out.data, "Subject: word0 word1", 20) == 0); /* plain, not encoded */
  lr_buf_free(&out);

  const char *samples[] = {
    "Attaque d\xc3\xa9tect\xc3\xa9" "e \xe2\x9c\x93 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac"
    "\xe8\xaa\x9e sur web-01 : 12 tentatives depuis 203.0.113.7 en moins d'une minute, "
    "bannissement pour 3600 secondes",
    "\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82\xf0\x9f\x98\x83\xf0\x9f\x98\x84"
    "\xf0\x9f\x98\x85\xf0\x9f\x98\x86\xf0\x9f\x98\x87\xf0\x9f\x98\x88\xf0\x9f\x98\x89"
    "\xf0\x9f\x98\x8a\xf0\x9f\x98\x8b\xf0\x9f\x98\x8c\xf0\x9f\x98\x8d\xf0\x9f\x98\x8e"
    "\xf0\x9f\x98\x8f\xf0\x9f\x98\x90\xf0\x9f\x98\x91\xf0\x9f\x98\x92\xf0\x9f\x98\x93",
    "a                                                                                  b",
    "http://example.org/a/very/long/path/without/any/space/that/cannot/be/folded/anywhere",
  };
  for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
    header_check(samples[i], strlen(samples[i]), NULL, samples[i]);
  /* every byte class, sanitised the same way as Python's reader must see it */
  for (int k = 0; k < 40; k++) {
    lr_buf_clear(&v);
    gen_text(&v, (size_t)k * 13, true);
    lr_buf_clear(&want);
    lr_mail_utf8_sanitize(&want, v.data, v.len);
    for (size_t i = 0; i < want.len; i++)
      if ((unsigned char)want.data[i] < 0x20 || want.data[i] == 0x7f)
        want.data[i] = ' ';
    header_check(v.data, v.len, NULL, want.data);
  }
  lr_buf_free(&v);
  lr_buf_free(&want);
}

static void test_addresses(void)
{
  struct lr_buf out = {0};
  const char *plain[] = {"luruse@host"};
  lr_mail_address_header(&out, "From", plain, 1);
  CHECK_STR(out.data, "From: luruse@host\n");

  lr_buf_clear(&out);
  const char *named[] = {"Luruse Alerts <alerts@example.org>", "ops@example.org"};
  lr_mail_address_header(&out, "To", named, 2);
  CHECK_STR(out.data, "To: Luruse Alerts <alerts@example.org>, ops@example.org\n");

  lr_buf_clear(&out);
  const char *utf8[] = {"J\xc3\xa9r\xc3\xb4me <j@example.org>"};
  lr_mail_address_header(&out, "To", utf8, 1);
  CHECK_STR(out.data, "To: =?UTF-8?Q?J=C3=A9r=C3=B4me?= <j@example.org>\n");

  lr_buf_clear(&out);
  const char *quoted[] = {"\"Dupont, J\xc3\xa9r\xc3\xb4me\" <j@example.org>"};
  lr_mail_address_header(&out, "To", quoted, 1);
  CHECK_STR(out.data, "To: =?UTF-8?Q?Dupont=2C_J=C3=A9r=C3=B4me?= <j@example.org>\n");

  /* no 8-bit in a header: a non-ASCII address (which the settings check
   * refuses) gets "?" for each character; the display name is encoded */
  lr_buf_clear(&out);
  const char *raw8[] = {"j\xc3\xa9r\xc3\xb4me@example.org",
                        "J\xc3\xa9r\xc3\xb4me <j\xc3\xa9@b\xc3\xbc\x63her.example>"};
  lr_mail_address_header(&out, "To", raw8, 2);
  CHECK_STR(out.data, "To: j?r?me@example.org, =?UTF-8?Q?J=C3=A9r=C3=B4me?= <j?@b?cher.example>\n");

  /* injection through a configured address stays on its line */
  lr_buf_clear(&out);
  const char *evil[] = {"a@example.org\r\nBcc: evil@x", "b@example.org\n"};
  lr_mail_address_header(&out, "To", evil, 2);
  CHECK_STR(out.data, "To: a@example.org  Bcc: evil@x, b@example.org\n");

  /* found by fuzzing: a blank mailbox where the line folds made a header
   * line of only a space; blank mailboxes are left out */
  lr_buf_clear(&out);
  const char *blank[] = {"a@example.org", " \t ", "b@example.org", ""};
  lr_mail_address_header(&out, "To", blank, 4);
  CHECK_STR(out.data, "To: a@example.org, b@example.org\n");
  lr_buf_clear(&out);
  const char *wide[] = {"a@example.org", "", "\x7f"};
  char long_addr[80];
  memset(long_addr, 'x', 60);
  strcpy(long_addr + 60, "@example.org");
  wide[0] = long_addr;
  lr_mail_address_header(&out, "To", wide, 3);
  CHECK_STR(out.data, "To: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.org\n");

  /* found by fuzzing: no header line over 998 bytes, whatever the mailbox:
   * a long display name folds between its words, a word no line can hold
   * is encoded, an address over 254 bytes (refused by the settings check)
   * is cut there */
  lr_buf_clear(&out);
  struct lr_buf big = {0};
  for (int i = 0; i < 30; i++)
    lr_buf_add(&big, "Security Team ", 14);
  lr_buf_add(&big, "<ops@example.org>", 17);
  const char *folded[] = {big.data};
  lr_mail_address_header(&out, "From", folded, 1);
  CHECK(strncmp(out.data, "From: Security Team Security Team", 33) == 0);
  CHECK(strstr(out.data, "Team\n Security") != NULL);
  CHECK(strstr(out.data, "\n <ops@example.org>\n") != NULL);
  lr_buf_clear(&out);
  lr_buf_clear(&big);
  lr_buf_fill(&big, 'N', 100);
  lr_buf_add(&big, " <ops@example.org>", 18);
  const char *word[] = {big.data};
  lr_mail_address_header(&out, "From", word, 1);
  CHECK(strncmp(out.data, "From: =?UTF-8?Q?NNNN", 20) == 0);
  CHECK(strstr(out.data, "?= <ops@example.org>\n") != NULL);
  lr_buf_clear(&out);
  lr_buf_clear(&big);
  lr_buf_add(&big, "<", 1);
  lr_buf_fill(&big, 'a', 2000);
  lr_buf_add(&big, "@example.org>", 13);
  const char *cut[] = {"ops@example.org", big.data + 1, big.data};
  big.data[2000 + 13] = '\0'; /* the bare address: no ">" */
  lr_mail_address_header(&out, "To", cut, 2);
  const char *second = strchr(out.data, '\n');
  CHECK(second && !strncmp(second, "\n aaaa", 6) && strlen(second) == 1 + 1 + 254 + 1);
  lr_buf_clear(&out);
  big.data[2000 + 13] = '>';
  lr_mail_address_header(&out, "To", cut + 2, 1);
  CHECK(strlen(out.data) == 4 + 256 + 1 && !strncmp(out.data, "To: <aaa", 8) &&
        !strcmp(out.data + 4 + 255, ">\n"));
  lr_buf_free(&big);

  /* many recipients fold between addresses */
  lr_buf_clear(&out);
  const char *many[12];
  char names[12][32];
  for (int i = 0; i < 12; i++) {
    snprintf(names[i], sizeof(names[i]), "recipient%02d@example.org", i);
    many[i] = names[i];
  }
  lr_mail_address_header(&out, "To", many, 12);
  size_t start = 0, lines = 0;
  for (size_t i = 0; i < out.len; i++)
    if (out.data[i] == '\n') {
      CHECK(i - start <= 78);
      lines++;
      start = i + 1;
    }
  CHECK(lines > 1);
  CHECK(strstr(out.data, "recipient11@example.org\n") != NULL);
  lr_buf_free(&out);
}

/* ---- Date and Message-ID -------------------------------------------------- */

static void test_date(void)
{
  setenv("TZ", "Europe/Paris", 1);
  tzset();
  struct { int64_t usec; const char *want; } cases[] = {
    {INT64_C(1795548859000000), "Tue, 24 Nov 2026 20:34:19 +0100"},
    {INT64_C(1795548859999999), "Tue, 24 Nov 2026 20:34:19 +0100"},
    {INT64_C(1782907200000000), "Wed, 01 Jul 2026 14:00:00 +0200"},
    {0, "Thu, 01 Jan 1970 01:00:00 +0100"},
    {-1, "Thu, 01 Jan 1970 00:59:59 +0100"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct lr_buf out = {0};
    lr_mail_date(&out, cases[i].usec);
    CHECK_STR(out.data, cases[i].want);
    lr_buf_free(&out);
  }
  setenv("TZ", "America/St_Johns", 1); /* a negative half-hour zone */
  tzset();
  struct lr_buf out = {0};
  lr_mail_date(&out, INT64_C(1795548859000000));
  CHECK_STR(out.data, "Tue, 24 Nov 2026 16:04:19 -0330");
  lr_buf_free(&out);
  setenv("TZ", "Europe/Paris", 1);
  tzset();
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_message_id(void)
{
  enum { N = 1000 };
  char **ids = calloc(N, sizeof(*ids));
  for (int i = 0; i < N; i++) {
    struct lr_buf out = {0};
    lr_mail_message_id(&out, "mail.example.org");
    ids[i] = strdup(out.data);
    lr_buf_free(&out);
  }
  CHECK(ids[0][0] == '<');
  CHECK(strlen(ids[0]) > 20 && !strcmp(ids[0] + strlen(ids[0]) - 18, "@mail.example.org>"));
  qsort(ids, N, sizeof(*ids), cmp_str);
  int dups = 0;
  for (int i = 1; i < N; i++)
    dups += !strcmp(ids[i - 1], ids[i]);
  CHECK_INT(dups, 0);
  for (int i = 0; i < N; i++)
    free(ids[i]);
  free(ids);

  struct { const char *host, *want; } hosts[] = {
    {"bad host!..x.", "@bad-host-.x>"},
    {".lead", "@lead>"},
    {"", "@localhost>"},
    {"...", "@localhost>"},
    {"h\r\nBcc: x", "@h--Bcc--x>"},
  };
  for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
    struct lr_buf out = {0};
    lr_mail_message_id(&out, hosts[i].host);
    const char *at = strchr(out.data, '@');
    CHECK_STR(at, hosts[i].want);
    lr_buf_free(&out);
  }
  struct lr_buf out = {0};
  lr_mail_message_id(&out, NULL); /* gethostname() */
  CHECK(strchr(out.data, '@') && out.data[out.len - 1] == '>' && out.data[out.len - 2] != '@');
  lr_buf_free(&out);
}

/* ---- whole messages ------------------------------------------------------- */

static size_t count_lines_starting(const char *msg, const char *prefix)
{
  size_t n = 0, pl = strlen(prefix);
  for (const char *p = msg; p; p = strchr(p, '\n')) {
    if (*p == '\n')
      p++;
    n += !strncmp(p, prefix, pl);
  }
  return n;
}

static size_t count_occurrences(const char *s, const char *needle)
{
  size_t n = 0;
  for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

static void test_compose(void)
{
  const char *to[] = {"ops@example.org", "x@example.org\r\nBcc: evil@x"};
  struct lr_mail_header_info h = {
    .from = "luruse@host\nBcc: evil@x", .to = to, .nto = 2,
    .subject = "hi\r\nBcc: x@y\r\n\r\nbody?", .date_usec = INT64_C(1795548859000000),
    .message_id_host = "host.example"};
  struct lr_buf m = {0};
  lr_mail_compose_text(&m, &h, S("line one\r\nFrom here\n.\nlast"));
  const char *headers[] = {"From: ", "To: ", "Subject: ", "Date: ", "Message-ID: <",
                           "MIME-Version: 1.0\n", "Auto-Submitted: auto-generated\n",
                           "Content-Type: text/plain; charset=utf-8\n",
                           "Content-Transfer-Encoding: quoted-printable\n"};
  for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
    CHECK_INT(count_lines_starting(m.data, headers[i]), 1);
  CHECK_INT(count_lines_starting(m.data, "Bcc"), 0);
  CHECK(strstr(m.data, "Subject: hi  Bcc: x@y    body?\n") != NULL);
  CHECK(strstr(m.data, "\nDate: Tue, 24 Nov 2026 20:34:19 +0100\n") != NULL);
  const char *body = strstr(m.data, "\n\n");
  CHECK(body && !strcmp(body, "\n\nline one\n=46rom here\n=2E\nlast=\n"));
  lr_buf_free(&m);

  /* found by fuzzing: 73 "x" and a space made a 77-character line with the
   * closing soft break; the space now moves to the next line */
  char *x73 = rep('x', 73, " ");
  lr_mail_compose_text(&m, &h, x73, 74);
  body = strstr(m.data, "\n\n");
  char *want73 = rep('x', 73, "=\n=20=\n");
  CHECK(body && !strcmp(body + 2, want73));
  free(x73);
  free(want73);
  lr_buf_free(&m);

  /* whatever from, to and subject hold, the headers are 7-bit */
  struct lr_buf f = {0}, t1 = {0}, t2 = {0}, subj = {0};
  size_t eight_bit = 0;
  for (int k = 0; k < 300; k++) {
    lr_buf_clear(&f);
    lr_buf_clear(&t1);
    lr_buf_clear(&t2);
    lr_buf_clear(&subj);
    gen_text(&f, 1 + (size_t)k % 40, true);
    gen_text(&t1, 1 + (size_t)k % 23, true);
    lr_buf_add(&t2, "N\xc3\xa9 <", 5);
    gen_text(&t2, 5 + (size_t)k % 17, false);
    lr_buf_addc(&t2, '>');
    gen_text(&subj, (size_t)k, true);
    const char *tos[] = {t1.data, t2.data};
    struct lr_mail_header_info g = {.from = f.data, .to = tos, .nto = 2, .subject = subj.data,
                                    .date_usec = h.date_usec, .message_id_host = "h"};
    lr_buf_clear(&m);
    lr_mail_compose_text(&m, &g, S("body"));
    const char *end = strstr(m.data, "\n\n");
    for (const char *p = m.data; end && p < end; p++)
      if ((unsigned char)*p >= 0x80 || *p == '\r' || *p == '\0')
        eight_bit++;
  }
  CHECK_INT(eight_bit, 0);
  lr_buf_free(&f);
  lr_buf_free(&t1);
  lr_buf_free(&t2);
  lr_buf_free(&subj);
  lr_buf_free(&m);

  /* multipart: the boundary appears exactly as delimiters, whatever the parts say */
  lr_mail_compose_alternative(&m, &h, S("text =_luruse_ --=_luruse_\n"),
                              S("<p>&lt;script&gt;</p>"));
  const char *b = strstr(m.data, "boundary=\"");
  REQUIRE(b != NULL);
  char boundary[64] = "";
  if (b) {
    b += 10;
    const char *q = strchr(b, '"');
    CHECK(q && q - b == 41 && !strncmp(b, "=_luruse_", 9));
    snprintf(boundary, sizeof(boundary), "%.*s", q ? (int)(q - b) : 0, b);
  }
  char delim[80], close[80];
  snprintf(delim, sizeof(delim), "--%s\n", boundary);
  snprintf(close, sizeof(close), "--%s--\n", boundary);
  CHECK_INT(count_occurrences(m.data, boundary), 4); /* parameter, 2 delimiters, close */
  CHECK_INT(count_lines_starting(m.data, delim), 2);
  CHECK_INT(count_lines_starting(m.data, close), 1);
  CHECK(strstr(m.data, "text =3D_luruse_ --=3D_luruse_\n\n--") != NULL);
  CHECK(strstr(m.data, "Content-Type: text/html; charset=utf-8\n") != NULL);
  CHECK(strstr(m.data, "<p>&lt;script&gt;</p>\n--") != NULL);
  CHECK_INT(count_lines_starting(m.data, "Bcc"), 0);
  lr_buf_free(&m);
}

/* ---- samples for Python's email package ----------------------------------- */

static bool write_file(const char *dir, const char *name, const char *data, size_t len)
{
  char path[4096];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return false;
  }
  bool ok = fwrite(data, 1, len, f) == len;
  ok &= fclose(f) == 0;
  return ok;
}

static void json_hex(struct lr_buf *j, const char *s, size_t len)
{
  lr_buf_addc(j, '"');
  for (size_t i = 0; i < len; i++)
    lr_buf_printf(j, "%02x", (unsigned char)s[i]);
  lr_buf_addc(j, '"');
}

struct sample {
  const char *file;
  const char *from;
  const char *from_name, *from_addr;      /* what a reader must see */
  const char *to[4];
  const char *to_names[4], *to_addrs[4];
  const char *subject;
  const char *text;
  size_t tlen;
  const char *html; /* NULL: text/plain only */
  size_t hlen;
  bool hostile_addresses; /* only "no extra header" is checked for From/To */
};

static void sample_json(struct lr_buf *j, const struct sample *s, int64_t date)
{
  lr_buf_printf(j, "{\"file\": \"%s\", \"kind\": \"%s\", \"date_usec\": %lld,\n  \"from\": ",
                s->file, s->html ? "alternative" : "text", (long long)date);
  json_hex(j, s->from_name, strlen(s->from_name));
  lr_buf_add(j, ", \"from_addr\": ", 15);
  json_hex(j, s->from_addr, strlen(s->from_addr));
  lr_buf_add(j, ",\n  \"to\": [", 11);
  for (int i = 0; s->to[i]; i++) {
    lr_buf_add(j, i ? ", [" : "[", i ? 3 : 1);
    json_hex(j, s->to_names[i], strlen(s->to_names[i]));
    lr_buf_add(j, ", ", 2);
    json_hex(j, s->to_addrs[i], strlen(s->to_addrs[i]));
    lr_buf_addc(j, ']');
  }
  lr_buf_add(j, "],\n  \"subject\": ", 16);
  json_hex(j, s->subject, strlen(s->subject));
  lr_buf_add(j, ",\n  \"text\": ", 12);
  json_hex(j, s->text, s->tlen);
  lr_buf_add(j, ",\n  \"html\": ", 12);
  if (s->html)
    json_hex(j, s->html, s->hlen);
  else
    lr_buf_add(j, "null", 4);
  lr_buf_printf(j, ",\n  \"hostile_addresses\": %s}", s->hostile_addresses ? "true" : "false");
}

/* Writes sample messages and expected.json (inputs in hex: the checker
 * derives what it must read back with Python's own UTF-8 decoder). */
static bool write_samples(const char *dir)
{
  static const char long_subject[] =
      "Attaque d\xc3\xa9tect\xc3\xa9" "e \xe2\x9c\x93 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac"
      "\xe8\xaa\x9e \xe2\x80\xa6 sur web-01.example.org : 12 tentatives depuis 203.0.113.7, "
      "ban pour 3600 s \xe2\x80\x94 \xe3\x83\xad\xe3\x82\xb0\xe3\x82\xa4\xe3\x83\xb3"
      "\xe5\xa4\xb1\xe6\x95\x97 \xf0\x9f\x94\x92";
  struct lr_buf body = {0}, html = {0};
  lr_buf_add(&body, S("Bonjour,\r\n\r\nLigne normale avec accents : \xc3\xa9\xc3\xa8\xc3\xa0 "
                      "\xe2\x82\xac \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x98\x80\n"
                      "Espaces en fin de ligne   \nTab en fin\t\r\n"
                      "From the start of a line\n.\n..\nEgal: a=b, 100%\n"
                      "Octets invalides: \xff\xfe \xc3( \xed\xa0\x80 \xf0\x9f\x98 fin\n"
                      "Controles: \x01\x1b[31m rouge\x1b[0m, retour\rchariot, nul \0 ici\n"
                      "=_luruse_ --=_luruse_0123\n"));
  for (int k = 0; k < 300; k++)
    lr_buf_printf(&body, "segment %d \xc3\xa9t\xc3\xa9 \xe2\x9c\x93 ", k);
  lr_buf_add(&body, S("\nfin sans saut de ligne "));
  lr_buf_add(&html, S("<html><body><p>Alerte : <code>&lt;script&gt;alert(1)&lt;/script&gt;"
                      "</code> depuis 203.0.113.7 \xe2\x80\x94 d\xc3\xa9tect\xc3\xa9" "e</p>\n<pre>"));
  for (int k = 0; k < 200; k++)
    lr_buf_printf(&html, "&lt;%d&gt; \xe6\x97\xa5\xe6\x9c\xac ", k);
  lr_buf_add(&html, S("</pre>\n</body></html>\n"));

  const struct sample samples[] = {
    {"text.eml", "\xc3\x89quipe S\xc3\xa9\x63urit\xc3\xa9 <luruse@example.org>",
     "\xc3\x89quipe S\xc3\xa9\x63urit\xc3\xa9", "luruse@example.org",
     {"admin@example.org", "\"J\xc3\xa9r\xc3\xb4me, l'admin\" <jerome@example.org>",
      "Ops Team <ops@example.org>", NULL},
     {"", "J\xc3\xa9r\xc3\xb4me, l'admin", "Ops Team"},
     {"admin@example.org", "jerome@example.org", "ops@example.org"},
     long_subject, body.data, body.len, NULL, 0, false},
    {"alternative.eml", "luruse@example.org", "", "luruse@example.org",
     {"admin@example.org", NULL}, {""}, {"admin@example.org"},
     long_subject, body.data, body.len, html.data, html.len, false},
    {"inject.eml", "luruse@example.org", "", "luruse@example.org",
     {"admin@example.org", NULL}, {""}, {"admin@example.org"},
     "Alert\r\nBcc: evil@x\nX-Injected: 1\r\n\r\nbody", S("short body\n"), NULL, 0, false},
    {"inject_addr.eml", "luruse@example.org\r\nBcc: evil@x", "", "",
     {"admin@example.org\nBcc: evil2@x", NULL}, {""}, {""},
     "\xff\xfe \xc2\x85 \xe2\x80\xa8 =?UTF-8?Q?not_decoded?= \t", S("x"), S("<b>x</b>"), true},
    {"empty.eml", "luruse@example.org", "", "luruse@example.org",
     {"admin@example.org", NULL}, {""}, {"admin@example.org"}, "", "", 0, NULL, 0, false},
  };
  int64_t date = INT64_C(1795548859000000);
  struct lr_buf j = {0}, m = {0};
  lr_buf_add(&j, "[\n", 2);
  bool ok = true;
  for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
    const struct sample *s = &samples[i];
    size_t nto = 0;
    while (s->to[nto])
      nto++;
    struct lr_mail_header_info h = {.from = s->from, .to = s->to, .nto = nto,
                                    .subject = s->subject, .date_usec = date};
    lr_buf_clear(&m);
    if (s->html)
      lr_mail_compose_alternative(&m, &h, s->text, s->tlen, s->html, s->hlen);
    else
      lr_mail_compose_text(&m, &h, s->text, s->tlen);
    ok &= write_file(dir, s->file, m.data, m.len);
    if (i)
      lr_buf_add(&j, ",\n", 2);
    sample_json(&j, s, date);
  }
  lr_buf_add(&j, "\n]\n", 3);
  ok &= write_file(dir, "expected.json", j.data, j.len);
  lr_buf_free(&j);
  lr_buf_free(&m);
  lr_buf_free(&body);
  lr_buf_free(&html);
  return ok;
}

/* The source tree from LURUSE_TEST_DATA (<src>/core/test/data, which need not
 * exist, so trimmed as text) or else from this file's path. */
static bool checker_path(char *buf, size_t len)
{
  const char *data = getenv("LURUSE_TEST_DATA");
  snprintf(buf, len, "%s", data && *data ? data : __FILE__);
  for (int up = 0; up < 3; up++) {
    char *slash = strrchr(buf, '/');
    if (!slash)
      return false;
    *slash = '\0';
  }
  size_t n = strlen(buf);
  snprintf(buf + n, len - n, "/tests/lib/mail_mime_check.py");
  return access(buf, R_OK) == 0;
}

static void remove_samples(const char *dir)
{
  static const char *const files[] = {"text.eml", "alternative.eml", "inject.eml",
                                      "inject_addr.eml", "empty.eml", "expected.json"};
  char path[4096];
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
    unlink(path);
  }
  rmdir(dir);
}

static void test_python_reader(void)
{
  char script[4096];
  if (!checker_path(script, sizeof(script))) {
    printf("SKIP: mail_mime_check.py not found\n");
    return;
  }
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof(dir), "%s/luruse_mail_XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
    CHECK(0);
    return;
  }
  CHECK(write_samples(dir));
  /* a plain fork and exec: the checker's exit status is all we need */
  char *args[] = {"python3", script, dir, NULL};
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    execvp(args[0], args);
    _exit(127);
  }
  int rc = pid < 0 ? errno : 0, status = -1;
  if (rc == 0)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
  if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    printf("SKIP: python3 not found, messages not checked with Python's email package\n");
    remove_samples(dir);
    return;
  }
  bool ok = rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok)
    fprintf(stderr, "mail_mime_check.py failed (fork %d, status %d); samples kept in %s\n",
            rc, status, dir);
  CHECK(ok);
  if (ok)
    remove_samples(dir);
}

int main(int argc, char **argv)
{
  setenv("TZ", "Europe/Paris", 1);
  tzset();
  if (argc == 3 && !strcmp(argv[1], "--write")) {
    mkdir(argv[2], 0755);
    return write_samples(argv[2]) ? 0 : 1;
  }
  test_qp();
  test_utf8();
  test_headers();
  test_addresses();
  test_date();
  test_message_id();
  test_compose();
  test_python_reader();
  return check_done();
}
