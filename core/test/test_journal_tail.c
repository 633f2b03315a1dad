/* input/journal_tail.c against libsystemd on the same real journal file
 * (written by systemd-journal-remote): the same entries in the same order, the
 * same fields byte for byte (zstd-compressed and binary ones included), the
 * same cursors; a start after any entry lands on the next one; corrupted copies
 * of the file end in entries or a hand-back, never a crash (ASan in CI). */
#include <fcntl.h>
#include <stdint.h>
#include <systemd/sd-journal.h>
#include <sys/stat.h>

#include "input/journal_tail.h"
#include "util/xalloc.h"
#include "journal_fixture.h"

#define N 4000


static void add_field(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  struct lr_buf *b = arg;
  lr_buf_printf(b, "%zu:", nlen + 1 + vlen);
  lr_buf_add(b, name, nlen);
  lr_buf_addc(b, '=');
  lr_buf_add(b, val, vlen);
  lr_buf_addc(b, '\n');
}

/* libsystemd's view: per entry, its cursor, realtime and fields. */
static size_t sd_dump(const char *path, struct lr_buf *out, char **cursors)
{
  sd_journal *j;
  const char *paths[] = {path, NULL};
  REQUIRE(sd_journal_open_files(&j, paths, 0) >= 0);
  sd_journal_set_data_threshold(j, 1 << 20);
  size_t n = 0;
  while (sd_journal_next(j) > 0 && n < N + 10) {
    const void *d;
    size_t len;
    uint64_t rt;
    REQUIRE(sd_journal_get_cursor(j, &cursors[n]) >= 0);
    REQUIRE(sd_journal_get_realtime_usec(j, &rt) >= 0);
    lr_buf_printf(out, "%s t=%llu\n", cursors[n], (unsigned long long)rt);
    SD_JOURNAL_FOREACH_DATA(j, d, len)
    {
      const char *eq = memchr(d, '=', len);
      if (eq)
        add_field(out, d, (size_t)(eq - (const char *)d), eq + 1,
                  len - (size_t)(eq - (const char *)d) - 1);
    }
    n++;
  }
  sd_journal_close(j);
  return n;
}

static size_t tail_dump(struct lr_journal_tail *t, struct lr_buf *out, size_t max, int *last_rc)
{
  size_t n = 0;
  int rc;
  while (n < max && (rc = lr_journal_tail_next(t)) > 0) {
    char c[LR_JOURNAL_CURSOR_MAX];
    lr_journal_tail_cursor(t, c, sizeof(c));
    lr_buf_printf(out, "%s t=%llu\n", c, (unsigned long long)lr_journal_tail_realtime(t));
    lr_journal_tail_each(t, add_field, out);
    n++;
  }
  *last_rc = n < max ? rc : 1;
  return n;
}

/* each_id: ids resolved once per data object and kept; names outside the
 * list are skipped. The list grows with its generation (as a reload interns
 * names), and the kept ids must follow. */
static const char *id_names[] = {"MESSAGE", "BIG", "TRACE", "_HOSTNAME", "PRIORITY"};
static size_t id_count = 4;
static int resolve(void *arg, const char *name, size_t nlen)
{
  (void)arg;
  for (size_t i = 0; i < id_count; i++)
    if (strlen(id_names[i]) == nlen && !memcmp(id_names[i], name, nlen))
      return (int)i;
  return -1;
}

static void add_by_id(void *arg, int id, const char *val, size_t vlen)
{
  add_field(arg, id_names[id], strlen(id_names[id]), val, vlen);
}

static void add_if_named(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  if (resolve(NULL, name, nlen) >= 0)
    add_field(arg, name, nlen, val, vlen);
}

/* Every entry from after `after`, fields by each_id (ids) or by each (names). */
static void dump_fields(struct lr_journal_tail *t, const uint8_t sid[16], uint64_t after,
                        bool ids, struct lr_buf *out)
{
  REQUIRE(lr_journal_tail_start(t, sid, after) == 0);
  while (lr_journal_tail_next(t) > 0) {
    if (ids)
      lr_journal_tail_each_id(t, resolve, add_by_id, out, (uint32_t)id_count);
    else
      lr_journal_tail_each(t, add_if_named, out);
    lr_buf_addc(out, '|');
  }
}

static void ids_kept(const char *path, char **cursors)
{
  uint8_t sid[16];
  uint64_t first;
  REQUIRE(lr_journal_cursor_seqnum(cursors[0], sid, &first));
  const char *paths[] = {path};
  struct lr_journal_tail *t = lr_journal_tail_new_files(paths, 1);
  for (int round = 0; round < 2; round++) { /* 4 names, then 5 */
    struct lr_buf want = {0}, got = {0}, again = {0};
    dump_fields(t, sid, first - 1, false, &want);
    dump_fields(t, sid, first - 1, true, &got);
    /* without a start in between: every data object already in the cache */
    REQUIRE(lr_journal_tail_start(t, sid, first - 1) == 0);
    while (lr_journal_tail_next(t) > 0) {
      lr_journal_tail_each_id(t, resolve, add_by_id, &again, (uint32_t)id_count);
      lr_journal_tail_each_id(t, resolve, add_by_id, &again, (uint32_t)id_count);
      lr_buf_addc(&again, '|');
    }
    CHECK(want.len > 0 && got.len == want.len && !memcmp(got.data, want.data, got.len));
    struct lr_buf twice = {0}; /* each entry's fields twice over */
    for (size_t at = 0; at < want.len;) {
      const char *bar = memchr(want.data + at, '|', want.len - at);
      size_t seg = bar ? (size_t)(bar - (want.data + at)) : want.len - at;
      lr_buf_add(&twice, want.data + at, seg);
      lr_buf_add(&twice, want.data + at, seg);
      lr_buf_addc(&twice, '|');
      at += seg + 1;
    }
    CHECK(again.len == twice.len && !memcmp(again.data, twice.data, again.len));
    lr_buf_free(&twice);
    lr_buf_free(&want);
    lr_buf_free(&got);
    lr_buf_free(&again);
    id_count = 5;
  }
  id_count = 4;
  lr_journal_tail_free(t);
}

static void make_stream(struct lr_buf *in)
{
  char big[3000];
  for (size_t i = 0; i < sizeof(big); i++)
    big[i] = (char)('a' + (i * 7 + i / 13) % 26);
  for (int i = 1; i <= N; i++) {
    fixture_entry_head(in, i);
    lr_buf_printf(in, "SYSLOG_IDENTIFIER=sshd\nPRIORITY=6\n_HOSTNAME=h%d\n", i % 4);
    if (i % 50 == 0) { /* above journald's 512-byte threshold: stored compressed */
      lr_buf_add(in, "BIG=", 4);
      lr_buf_add(in, big, sizeof(big) - (size_t)(i % 7));
      lr_buf_addc(in, '\n');
    }
    if (i % 70 == 0)
      put_binary(in, "TRACE", "a\nb\0c=d", 7);
    lr_buf_addc(in, '\n');
  }
}

static uint32_t incompatible_flags(const char *path)
{
  uint8_t h[16] = {0};
  FILE *f = fopen(path, "rb");
  if (f) {
    CHECK(fread(h, 1, sizeof(h), f) == sizeof(h));
    fclose(f);
  }
  return (uint32_t)h[12] | (uint32_t)h[13] << 8 | (uint32_t)h[14] << 16 | (uint32_t)h[15] << 24;
}

/* A reader of the file `path`, started before its first entry (cursors[0]);
 * the sequence's id and first number in sid and *first. */
static struct lr_journal_tail *tail_at_start(const char *path, char **cursors, uint8_t sid[16],
                                             uint64_t *first)
{
  REQUIRE(lr_journal_cursor_seqnum(cursors[0], sid, first));
  const char *paths[] = {path};
  struct lr_journal_tail *t = lr_journal_tail_new_files(paths, 1);
  REQUIRE(lr_journal_tail_start(t, sid, *first - 1) == 0);
  return t;
}

/* The whole file, then starts after entries all along it. */
static void same_as_libsystemd(const char *path, char **cursors, const struct lr_buf *want,
                               size_t n)
{
  uint8_t sid[16];
  uint64_t first;
  struct lr_journal_tail *t = tail_at_start(path, cursors, sid, &first);
  struct lr_buf got = {0};
  int rc;
  CHECK_INT(tail_dump(t, &got, N + 10, &rc), n);
  CHECK_INT(rc, 0); /* the end of a file not archived: none yet */
  CHECK(got.len == want->len && memcmp(got.data, want->data, got.len) == 0);
  lr_buf_free(&got);

  for (size_t k = 0; k < n; k += 97) {
    uint64_t seq;
    REQUIRE(lr_journal_cursor_seqnum(cursors[k], sid, &seq));
    CHECK(lr_journal_tail_start(t, sid, seq) == 0);
    struct lr_buf one = {0};
    size_t got_n = tail_dump(t, &one, 1, &rc);
    if (k + 1 < n) {
      char c[LR_JOURNAL_CURSOR_MAX];
      CHECK_INT(got_n, 1);
      lr_journal_tail_cursor(t, c, sizeof(c));
      CHECK_STR(c, cursors[k + 1]);
    } else {
      CHECK_INT(got_n, 0);
    }
    lr_buf_free(&one);
  }
  /* another sequence's cursor: refused, with a reason */
  sid[0] ^= 1;
  CHECK(lr_journal_tail_start(t, sid, first) < 0);
  CHECK(strstr(lr_journal_tail_why(t), "seqnum id") != NULL);
  lr_journal_tail_free(t);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* Bytes changed at random in copies of the file: whatever is read, nothing
 * outside the file is touched and every run ends. */
static void corrupted_copies(const char *path, const char *dir, char **cursors)
{
  FILE *f = fopen(path, "rb");
  REQUIRE(f != NULL);
  struct stat st;
  REQUIRE(fstat(fileno(f), &st) == 0);
  size_t len = (size_t)st.st_size;
  char *orig = lr_xmalloc(len);
  REQUIRE(fread(orig, 1, len, f) == len);
  fclose(f);
  uint8_t sid[16];
  uint64_t first, tail_object = 0;
  REQUIRE(lr_journal_cursor_seqnum(cursors[0], sid, &first));
  /* flips where the objects are, not in the file's preallocated rest */
  for (int i = 7; i >= 0; i--)
    tail_object = tail_object << 8 | (uint8_t)orig[136 + i];
  size_t used = tail_object + 4096 < len ? (size_t)tail_object + 4096 : len;
  char copy[128];
  snprintf(copy, sizeof(copy), "%s/corrupt.journal", dir);
  int ended = 0, handed_back = 0;
  for (int round = 0; round < 150; round++) {
    char *b = lr_xmalloc(len);
    memcpy(b, orig, len);
    int flips = 1 + (int)(next_rand() % 8);
    for (int i = 0; i < flips; i++) {
      size_t at = (size_t)(next_rand() % used);
      if (round % 3 == 0) /* an 8-byte field: a plausible offset or size */
        at &= ~(size_t)7;
      b[at] = (char)next_rand();
    }
    FILE *w = fopen(copy, "wb");
    REQUIRE(w && fwrite(b, 1, len, w) == len);
    fclose(w);
    free(b);
    const char *paths[] = {copy};
    struct lr_journal_tail *t = lr_journal_tail_new_files(paths, 1);
    if (lr_journal_tail_start(t, sid, first - 1 + (next_rand() % 2 ? 0 : N / 2)) == 0) {
      struct lr_buf out = {0};
      int rc;
      tail_dump(t, &out, N + 10, &rc);
      lr_buf_free(&out);
      if (rc < 0)
        handed_back++;
      else
        ended++;
    } else {
      handed_back++;
    }
    lr_journal_tail_free(t);
  }
  printf("corrupted copies: %d read to their end, %d handed back or refused\n", ended,
         handed_back);
  CHECK(ended + handed_back == 150);
  free(orig);
}

/* The file cut short while the reader has it mapped: the pages past the new
 * end fault (SIGBUS), read as zeros, and the reader hands back, with
 * libsystemd's own SIGBUS handler installed beneath (an open sd_journal). */
static void shrunk_under_the_reader(const char *path, const char *dir, char **cursors)
{
  char copy[128], cmd[320];
  snprintf(copy, sizeof(copy), "%s/shrink.journal", dir);
  snprintf(cmd, sizeof(cmd), "cp %s %s", path, copy);
  REQUIRE(system(cmd) == 0);
  sd_journal *j;
  const char *sd_paths[] = {path, NULL};
  REQUIRE(sd_journal_open_files(&j, sd_paths, 0) >= 0);
  CHECK(sd_journal_next(j) > 0);
  uint8_t sid[16];
  uint64_t first;
  struct lr_journal_tail *t = tail_at_start(copy, cursors, sid, &first);
  int rc = 0;
  for (int i = 0; i < 10; i++)
    CHECK((rc = lr_journal_tail_next(t)) == 1);
  REQUIRE(truncate(copy, 64 << 10) == 0);
  size_t more = 0;
  while ((rc = lr_journal_tail_next(t)) > 0 && more < N)
    more++;
  printf("cut to 64 KiB after 10 entries: %zu more, then %d: %s\n", more, rc,
         lr_journal_tail_why(t));
  CHECK_INT(rc, -1);
  CHECK(lr_journal_tail_broken(t));
  CHECK(more < N - 10);
  /* the fault itself was counted: the reader says so at once */
  CHECK_INT(lr_journal_tail_next(t), -1);
  CHECK(strstr(lr_journal_tail_why(t), "SIGBUS") != NULL);
  /* the next start maps the file as it is now (what lies past its end is
   * never mapped): refused, or read to where it stops, without a fault */
  if (lr_journal_tail_start(t, sid, first - 1) == 0)
    while ((rc = lr_journal_tail_next(t)) > 0)
      ;
  printf("started again on the cut file: %s\n", lr_journal_tail_why(t));
  CHECK(lr_journal_tail_why(t)[0] != '\0');
  CHECK(strstr(lr_journal_tail_why(t), "SIGBUS") == NULL);
  lr_journal_tail_free(t);
  sd_journal_close(j);
}

static void cursor_parsing(void)
{
  uint8_t sid[16];
  uint64_t seq;
  CHECK(lr_journal_cursor_seqnum("s=0123456789abcdef0123456789abcdef;i=1a2;b=00;m=1;t=2;x=3",
                                 sid, &seq));
  CHECK_INT(seq, 0x1a2);
  CHECK_INT(sid[0], 0x01);
  CHECK_INT(sid[15], 0xef);
  CHECK(!lr_journal_cursor_seqnum("s=0123456789abcdef0123456789abcdef", sid, &seq));
  CHECK(!lr_journal_cursor_seqnum("s=0123456789ABCDEF0123456789abcdef;i=1", sid, &seq));
  CHECK(!lr_journal_cursor_seqnum("s=0123456789abcdef0123456789abcdef;i=zz", sid, &seq));
  CHECK(!lr_journal_cursor_seqnum("", sid, &seq));
}

/* compact: journald's format since systemd 252; regular: older files, and
 * SYSTEMD_JOURNAL_COMPACT=0 */
static void one_format(const struct lr_buf *in, bool compact)
{
  struct journal_fixture jf;
  setenv("SYSTEMD_JOURNAL_COMPACT", compact ? "1" : "0", 1);
  if (journal_fixture_write(&jf, "lr-tail", in) == 0) {
    uint32_t flags = incompatible_flags(jf.journal);
    printf("journal file flags: %s%s%s\n", flags & 16 ? "compact " : "regular ",
           flags & 8 ? "zstd " : "", flags & 4 ? "keyed-hash" : "");
    CHECK(!(flags & 16) == !compact);
    CHECK(flags & 8); /* BIG= is compressed: the zstd path is read */
    char **cursors = lr_xcalloc(N + 10, sizeof(*cursors));
    struct lr_buf want = {0};
    size_t n = sd_dump(jf.journal, &want, cursors);
    CHECK_INT(n, N);
    if (n == N) {
      same_as_libsystemd(jf.journal, cursors, &want, n);
      corrupted_copies(jf.journal, jf.dir, cursors);
      ids_kept(jf.journal, cursors);
      shrunk_under_the_reader(jf.journal, jf.dir, cursors);
    }
    for (size_t i = 0; i < N + 10; i++)
      free(cursors[i]);
    free(cursors);
    lr_buf_free(&want);
  }
  journal_fixture_remove(&jf);
}

int main(void)
{
  cursor_parsing();
  struct lr_buf in = {0};
  make_stream(&in);
  one_format(&in, true);
  one_format(&in, false);
  lr_buf_free(&in);
  return check_done();
}
