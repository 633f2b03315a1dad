/* Journal Export Format reader: table of well-formed and malformed streams, each
 * read three ways (memory, regular file, pipe), then large values, buffer
 * boundaries, pipe latency, and a round trip through systemd's own tools. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"
#include "check.h"
#include "input/export_parser.h"
#include "journal_fixture.h"

/* Literal with embedded NULs: S("a\0b") keeps its length. */
#define S(lit) lit, sizeof(lit) - 1
/* Little-endian 64-bit lengths, each its own literal so that a following
 * digit cannot extend the escape. */
#define LE0 "\0\0\0\0\0\0\0\0"
#define LE1 "\x01\0\0\0\0\0\0\0"
#define LE3 "\x03\0\0\0\0\0\0\0"
#define LE5 "\x05\0\0\0\0\0\0\0"
#define LE10 "\x0a\0\0\0\0\0\0\0"
#define LE11 "\x0b\0\0\0\0\0\0\0"

enum mode { MODE_MEMORY, MODE_FILE, MODE_PIPE, MODE_COUNT };
static const char *mode_names[] = {"memory", "file", "pipe"};

/* Writes data into a pipe from a child process (so that it may exceed the
 * pipe's capacity) and returns the read end. */
static FILE *pipe_stream(const char *data, size_t len)
{
  int fds[2];
  if (pipe(fds) != 0)
    return NULL;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    size_t done = 0;
    while (done < len) {
      ssize_t n = write(fds[1], data + done, len - done);
      if (n <= 0)
        _exit(1);
      done += (size_t)n;
    }
    _exit(0);
  }
  close(fds[1]);
  return fdopen(fds[0], "r");
}

static FILE *open_stream(enum mode m, const char *data, size_t len)
{
  FILE *f = NULL;
  switch (m) {
  case MODE_MEMORY:
    /* fmemopen of a zero-sized buffer is refused by older glibc */
    f = len ? fmemopen((void *)data, len, "r") : tmpfile();
    break;
  case MODE_FILE:
    f = tmpfile();
    if (f && (fwrite(data, 1, len, f) != len || fseek(f, 0, SEEK_SET) != 0)) {
      fclose(f);
      f = NULL;
    }
    break;
  default:
    f = pipe_stream(data, len);
  }
  return f;
}

static void close_stream(enum mode m, FILE *f)
{
  fclose(f);
  if (m == MODE_PIPE)
    while (wait(NULL) > 0) {}
}

static void escape(struct lr_buf *out, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n')
      lr_buf_add(out, "\\n", 2);
    else if (c == '\r')
      lr_buf_add(out, "\\r", 2);
    else if (c == '\\')
      lr_buf_add(out, "\\\\", 2);
    else if (c < 0x20 || c >= 0x7f)
      lr_buf_printf(out, "\\x%02x", c);
    else
      lr_buf_addc(out, (char)c);
  }
}

/* Reads the whole stream into "N=v N=v|N=v|", "ERR" on failure; *err gets the message. */
static int render(FILE *f, const char *name, size_t max_field, struct lr_buf *out,
                  struct lr_buf *err)
{
  struct lr_export_parser *p = lr_export_open(f, name);
  if (max_field)
    lr_export_set_max_field(p, max_field);
  int rc;
  lr_buf_clear(out);
  lr_buf_clear(err);
  lr_buf_add(out, "", 0);
  while ((rc = lr_export_next(p)) > 0) {
    for (size_t i = 0; i < lr_export_count(p); i++) {
      const char *n, *v;
      size_t nl, vl;
      lr_export_field(p, i, &n, &nl, &v, &vl);
      CHECK(v[vl] == '\0');
      if (i)
        lr_buf_addc(out, ' ');
      escape(out, n, nl);
      lr_buf_addc(out, '=');
      escape(out, v, vl);
    }
    lr_buf_addc(out, '|');
  }
  if (rc < 0) {
    lr_buf_add(out, "ERR", 3);
    const char *e = lr_export_error(p);
    lr_buf_add(err, e, strlen(e));
    CHECK(lr_export_next(p) == -1); /* stays failed */
  }
  lr_export_close(p);
  return rc;
}

struct tcase {
  const char *what;
  const char *in;
  size_t len;
  size_t max_field; /* 0: default */
  const char *want;
  const char *err;  /* substring of the error message, or NULL */
};

static const struct tcase cases[] = {
  {"text fields", S("A=1\nB=hello world\n\n"), 0, "A=1 B=hello world|", NULL},
  {"'=' in value", S("A=b=c\n\n"), 0, "A=b=c|", NULL},
  {"empty value", S("A=\n\n"), 0, "A=|", NULL},
  {"binary with NUL and newline", S("A=1\nDATA\n" LE5 "a\0b\nc\nZ=2\n\n"), 0,
   "A=1 DATA=a\\x00b\\nc Z=2|", NULL},
  {"binary empty", S("DATA\n" LE0 "\n\n"), 0, "DATA=|", NULL},
  {"binary holding '='", S("DATA\n" LE3 "a=b\n\n"), 0, "DATA=a=b|", NULL},
  {"binary at the maximum", S("DATA\n" LE3 "abc\n\n"), 3, "DATA=abc|", NULL},
  {"multiple entries", S("A=1\n\nA=2\nB=3\n\nC=4\n\n"), 0, "A=1|A=2 B=3|C=4|", NULL},
  {"no final blank line", S("A=1\n\nA=2\n"), 0, "A=1|A=2|", NULL},
  {"binary last, no blank line", S("DATA\n" LE1 "x\n"), 0, "DATA=x|", NULL},
  {"extra blank lines", S("\n\nA=1\n\n\n\nA=2\n\n\n"), 0, "A=1|A=2|", NULL},
  {"empty stream", S(""), 0, "", NULL},
  {"only blank lines", S("\n\n\n"), 0, "", NULL},
  {"CR kept in value", S("A=b\r\nB=c\n\n"), 0, "A=b\\r B=c|", NULL},
  {"CRLF blank line is not a separator", S("A=b\r\n\r\n"), 0, "ERR", "t: byte 5: "},
  {"truncated binary data", S("A=1\n\nDATA\n" LE10 "abc"), 0, "A=1|ERR",
   "t: byte 5: stream ends inside binary field DATA"},
  {"truncated binary length", S("DATA\n\x05\0"), 0, "ERR", "inside the length"},
  {"name line at the end", S("A=1\nDATA\n"), 0, "ERR", "line without '='"},
  {"length over a small maximum", S("DATA\n" LE11 "0123456789a\n\n"), 10, "ERR",
   "t: byte 5: field DATA: binary length 11 exceeds the maximum 10"},
  {"length over the default maximum", S("DATA\n\0\0\0\0\1\0\0\0xyz\n\n"), 0, "ERR",
   "binary length 4294967296 exceeds"},
  {"line without '=' then garbage", S("A=1\nGARBAGE\nthis is not a length at all\n\n"), 0,
   "ERR", "t: byte 12: field GARBAGE: binary length"},
  {"a name in an error is escaped", S("A=1\n\x1b[31mEVIL\rFAKE\nthis is not a length at all\n\n"), 0,
   "ERR", "field \\x1b[31mEVIL\\x0dFAKE: binary length"},
  {"no newline after binary data", S("DATA\n" LE3 "abcX\n\n"), 0, "ERR",
   "t: byte 16: field DATA: no newline after 3 bytes"},
  /* names journald refuses: the field is skipped, the stream goes on */
  {"empty name", S("A=1\n=x\nB=2\n\nC=3\n\n"), 0, "A=1 B=2|C=3|", NULL},
  {"entry of one bad field", S("A=1\n\n=x\n\nC=3\n\n"), 0, "A=1|C=3|", NULL},
  {"lowercase name", S("a=1\nB=2\n\n"), 0, "B=2|", NULL},
  {"space in name", S("MY FIELD=1\nB=2\n\n"), 0, "B=2|", NULL},
  {"leading digit", S("1A=x\nB=2\n\n"), 0, "B=2|", NULL},
  {"non-ASCII name", S("\xc3\x89T\xc3\x89=1\nB=2\n\n"), 0, "B=2|", NULL},
  {"binary with a bad name", S("data\n" LE3 "abc\nB=2\n\n"), 0, "B=2|", NULL},
  {"underscores are journald's own", S("_PID=1\n__CURSOR=s=x\nA_1=2\n\n"), 0,
   "_PID=1 __CURSOR=s=x A_1=2|", NULL},
  {"64-byte name kept", S("A234567890123456789012345678901234567890123456789012345678901234=1\n\n"), 0,
   "A234567890123456789012345678901234567890123456789012345678901234=1|", NULL},
  {"65-byte name skipped", S("A2345678901234567890123456789012345678901234567890123456789012345=1\nB=2\n\n"), 0,
   "B=2|", NULL},
  {"text line cut by the end", S("A=1\nB=2"), 0, "ERR", "t: byte 4: stream ends inside"},
  {"text value over the maximum", S("A=12345\n\n"), 4, "ERR", "value of 5 bytes exceeds"},
  {"text value at the maximum", S("A=1234\n\n"), 4, "A=1234|", NULL},
};

static void test_table(void)
{
  struct lr_buf out = {0}, err = {0};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct tcase *c = &cases[i];
    for (int m = 0; m < MODE_COUNT; m++) {
      FILE *f = open_stream((enum mode)m, c->in, c->len);
      CHECK(f != NULL);
      if (!f)
        continue;
      render(f, "t", c->max_field, &out, &err);
      close_stream((enum mode)m, f);
      int ok = strcmp(out.data, c->want) == 0 &&
               (c->err ? err.data && strstr(err.data, c->err) != NULL : err.len == 0);
      if (!ok)
        fprintf(stderr, "case \"%s\" (%s): got \"%s\" error \"%s\"\n", c->what,
                mode_names[m], out.data, err.data ? err.data : "");
      CHECK(ok);
    }
  }
  lr_buf_free(&out);
  lr_buf_free(&err);
}

/* A 70,000-byte name is skipped, counted, and told escaped and cut. */
static void test_skipped_names(void)
{
  struct lr_buf in = {0};
  lr_buf_add(&in, "A=1\n", 4);
  for (int i = 0; i < 70000; i++)
    lr_buf_addc(&in, 'N');
  lr_buf_add(&in, "=v\n=x\nB=2\n\n", 11);
  FILE *f = fmemopen(in.data, in.len, "r");
  struct lr_export_parser *p = lr_export_open(f, "hostile");
  CHECK_INT(lr_export_next(p), 1);
  CHECK_INT(lr_export_count(p), 2);
  CHECK_INT(lr_export_skipped(p), 2);
  const char *note = lr_export_skip_note(p);
  CHECK(strstr(note, "hostile: byte 70007: field name '' (0 bytes)") != NULL);
  CHECK_INT(lr_export_next(p), 0);
  lr_export_close(p);
  fclose(f);
  f = fmemopen(in.data, 70007, "r"); /* up to the end of the long name's line */
  p = lr_export_open(f, "hostile");
  CHECK_INT(lr_export_next(p), 1);
  CHECK_INT(lr_export_skipped(p), 1);
  note = lr_export_skip_note(p);
  CHECK(strstr(note, "hostile: byte 4: field name 'NNNNNNNN") != NULL);
  CHECK(strstr(note, "N...' (70000 bytes) is not a journal field name") != NULL);
  lr_export_close(p);
  fclose(f);
  lr_buf_free(&in);
}

/* A 1 MB value, text and binary, in every mode (bigger than the initial buffer). */
static void test_big_values(void)
{
  size_t n = 1 << 20;
  char *big = malloc(n);
  for (size_t i = 0; i < n; i++)
    big[i] = (char)('a' + i % 26);
  struct lr_buf in = {0};
  lr_buf_add(&in, "A=x\nBIG=", 8);
  lr_buf_add(&in, big, n);
  lr_buf_add(&in, "\nZ=1\n\n", 6);
  big[100] = '\0';
  big[200] = '\n';
  put_binary(&in, "BIN", big, n);
  lr_buf_add(&in, "\n", 1);
  for (int m = 0; m < MODE_COUNT; m++) {
    FILE *f = open_stream((enum mode)m, in.data, in.len);
    struct lr_export_parser *p = lr_export_open(f, "big");
    const char *nm, *v;
    size_t nl, vl;
    CHECK_INT(lr_export_next(p), 1);
    CHECK_INT(lr_export_count(p), 3);
    lr_export_field(p, 1, &nm, &nl, &v, &vl);
    CHECK_INT(vl, n);
    CHECK(nl == 3 && memcmp(nm, "BIG", 3) == 0);
    CHECK(v[0] == 'a' && v[100] == 'w' && v[200] == 's' && v[n] == '\0');
    CHECK_INT(lr_export_next(p), 1);
    CHECK_INT(lr_export_count(p), 1);
    lr_export_field(p, 0, &nm, &nl, &v, &vl);
    CHECK(vl == n && memcmp(v, big, n) == 0 && v[n] == '\0');
    CHECK_INT(lr_export_next(p), 0);
    lr_export_close(p);
    close_stream((enum mode)m, f);
  }
  /* The same binary field refused under a smaller maximum. */
  FILE *f = open_stream(MODE_MEMORY, in.data, in.len);
  struct lr_export_parser *p = lr_export_open(f, "big");
  lr_export_set_max_field(p, n - 1);
  CHECK_INT(lr_export_next(p), -1);
  CHECK(strstr(lr_export_error(p), "exceeds the maximum") != NULL);
  lr_export_close(p);
  fclose(f);
  free(big);
  lr_buf_free(&in);
}

static uint32_t rnd(uint32_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* Many entries of varied sizes, so that fields straddle every buffer refill and
 * compaction; each entry is rebuilt from the seed and compared. */
static void gen_entry(uint32_t *seed, unsigned idx, struct lr_buf *b, int raw)
{
  unsigned nf = 1 + rnd(seed) % 30;
  for (unsigned j = 0; j < nf; j++) {
    size_t len = rnd(seed) % 4 == 0 ? rnd(seed) % 20000 : rnd(seed) % 200;
    char name[32];
    snprintf(name, sizeof(name), "F%u_%u", idx, j);
    if (raw) {
      lr_buf_printf(b, "%s=", name);
      for (size_t k = 0; k < len; k++)
        lr_buf_addc(b, (char)('0' + (idx + j + k) % 40));
      lr_buf_addc(b, ';');
      continue;
    }
    if (j % 3 == 2) { /* binary, holding newlines */
      lr_buf_printf(b, "%s\n", name);
      put_le64(b, len);
      for (size_t k = 0; k < len; k++)
        lr_buf_addc(b, k % 50 == 7 ? '\n' : (char)('0' + (idx + j + k) % 40));
      lr_buf_addc(b, '\n');
    } else {
      lr_buf_printf(b, "%s=", name);
      for (size_t k = 0; k < len; k++)
        lr_buf_addc(b, (char)('0' + (idx + j + k) % 40));
      lr_buf_addc(b, '\n');
    }
  }
  if (!raw)
    lr_buf_addc(b, '\n');
}

static void test_boundaries(void)
{
  const unsigned count = 300;
  struct lr_buf in = {0}, want = {0}, got = {0};
  uint32_t seed = 12345;
  for (unsigned i = 0; i < count; i++)
    gen_entry(&seed, i, &in, 0);
  for (int m = 0; m < MODE_COUNT; m++) {
    FILE *f = open_stream((enum mode)m, in.data, in.len);
    struct lr_export_parser *p = lr_export_open(f, "many");
    uint32_t s2 = 12345;
    unsigned i = 0, bad = 0;
    while (lr_export_next(p) > 0) {
      lr_buf_clear(&want);
      lr_buf_clear(&got);
      gen_entry(&s2, i, &want, 1);
      for (size_t k = 0; k < lr_export_count(p); k++) {
        const char *nm, *v;
        size_t nl, vl;
        lr_export_field(p, k, &nm, &nl, &v, &vl);
        lr_buf_add(&got, nm, nl);
        lr_buf_addc(&got, '=');
        for (size_t q = 0; q < vl; q++) /* binary newlines stand in for digits */
          lr_buf_addc(&got, v[q] == '\n' ? (char)('0' + (i + k + q) % 40) : v[q]);
        lr_buf_addc(&got, ';');
      }
      if (got.len != want.len || memcmp(got.data, want.data, got.len) != 0)
        bad++;
      i++;
    }
    CHECK(lr_export_error(p)[0] == '\0');
    CHECK_INT(i, count);
    CHECK_INT(bad, 0);
    lr_export_close(p);
    close_stream((enum mode)m, f);
  }
  lr_buf_free(&in);
  lr_buf_free(&want);
  lr_buf_free(&got);
}

static void on_alarm(int sig)
{
  (void)sig;
  static const char msg[] = "FAIL: lr_export_next waited for more than one entry\n";
  (void)!write(2, msg, sizeof(msg) - 1);
  _exit(1);
}

/* A live pipe: an entry whose blank line has arrived is handed over at once,
 * without waiting for a buffer's worth of data or for the end of the stream. */
static void test_pipe_latency(void)
{
  int fds[2];
  CHECK(pipe(fds) == 0);
  FILE *f = fdopen(fds[0], "r");
  struct lr_export_parser *p = lr_export_open(f, "live");
  signal(SIGALRM, on_alarm);
  alarm(10);
  static const char e1[] = "A=1\nDATA\n\x01\0\0\0\0\0\0\0x\n\n";
  CHECK(write(fds[1], e1, sizeof(e1) - 1) == (ssize_t)(sizeof(e1) - 1));
  CHECK_INT(lr_export_next(p), 1);
  CHECK_INT(lr_export_count(p), 2);
  CHECK(write(fds[1], "B=2\n\n", 5) == 5);
  CHECK_INT(lr_export_next(p), 1);
  alarm(0);
  close(fds[1]);
  CHECK_INT(lr_export_next(p), 0);
  lr_export_close(p);
  fclose(f);
}

/* Export stream -> systemd-journal-remote -> journal file -> journalctl -o export. */
static void test_systemd_round_trip(void)
{
  struct lr_buf in = {0};
  for (int i = 0; i < 3; i++) {
    fixture_entry_head(&in, i);
    put_binary(&in, "TRACE", "line1\nline2", 11);
    put_binary(&in, "LATIN", "caf\xe9", 4);
    lr_buf_add(&in, "\n", 1);
  }
  struct journal_fixture jf;
  if (journal_fixture_write(&jf, "lr-export-rt", &in) == 0) {
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "journalctl --file %s -o export --no-pager", jf.journal);
    FILE *f = popen(cmd, "r");
    struct lr_export_parser *p = lr_export_open(f, "journalctl");
    int entries = 0, seen = 0;
    while (lr_export_next(p) > 0) {
      char msg[32];
      snprintf(msg, sizeof(msg), "hello %d", entries);
      for (size_t k = 0; k < lr_export_count(p); k++) {
        const char *nm, *v;
        size_t nl, vl;
        lr_export_field(p, k, &nm, &nl, &v, &vl);
        if (nl == 7 && memcmp(nm, "MESSAGE", 7) == 0)
          seen += vl == strlen(msg) && memcmp(v, msg, vl) == 0;
        else if (nl == 5 && memcmp(nm, "TRACE", 5) == 0)
          seen += vl == 11 && memcmp(v, "line1\nline2", 11) == 0;
        else if (nl == 5 && memcmp(nm, "LATIN", 5) == 0)
          seen += vl == 4 && memcmp(v, "caf\xe9", 4) == 0;
      }
      entries++;
    }
    CHECK_STR(lr_export_error(p), "");
    CHECK_INT(entries, 3);
    CHECK_INT(seen, 9);
    lr_export_close(p);
    pclose(f);
  }
  journal_fixture_remove(&jf);
  lr_buf_free(&in);
}

int main(void)
{
  test_table();
  test_big_values();
  test_skipped_names();
  test_boundaries();
  test_pipe_latency();
  test_systemd_round_trip();
  return check_done();
}
