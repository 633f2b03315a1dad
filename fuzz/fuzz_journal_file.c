/* The direct journal reader (input/journal_tail.c) on any bytes as a journal
 * file: written to a memfd padded to whole pages (a read past the file's end
 * then faults where the sanitizers see it), read from the start of the
 * sequence the header names. Invariants: every entry given is the next
 * sequence number, its cursor names it and parses back, its fields are
 * enumerated without a crash; the reader ends (0) or hands back (-1) with a
 * reason. */
#define _GNU_SOURCE /* memfd_create */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "input/journal_tail.h"

#define MAX_ENTRIES 100000

static void count_field(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  size_t *bytes = arg;
  FUZZ_CHECK(memchr(name, '=', nlen) == NULL, "a field name with '=': %.*s", (int)nlen, name);
  *bytes += nlen + vlen + (vlen && val[vlen - 1] == '\0'); /* touches the value's end */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  if (size < 88 || size > (1u << 22))
    return 0;
  int fd = memfd_create("fuzz-journal", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0, "%s", "no memfd");
  size_t pages = (size + 4095) & ~(size_t)4095;
  FUZZ_CHECK(write(fd, data, size) == (ssize_t)size && ftruncate(fd, (off_t)pages) == 0, "%s",
             "cannot write the memfd");
  char path[64];
  snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
  const char *paths[] = {path};
  struct lr_journal_tail *t = lr_journal_tail_new_files(paths, 1);
  uint8_t seqnum_id[16];
  memcpy(seqnum_id, data + 72, 16); /* the header's, so that the file is read */
  if (lr_journal_tail_start(t, seqnum_id, 0) == 0) {
    int rc;
    uint64_t want = 1;
    size_t n = 0;
    while (n < MAX_ENTRIES && (rc = lr_journal_tail_next(t)) > 0) {
      char c[LR_JOURNAL_CURSOR_MAX];
      uint8_t sid[16];
      uint64_t seq;
      lr_journal_tail_cursor(t, c, sizeof(c));
      FUZZ_CHECK(lr_journal_cursor_seqnum(c, sid, &seq), "cursor %s does not parse", c);
      FUZZ_CHECK(seq == want, "entry %llu given after %llu", (unsigned long long)seq,
                 (unsigned long long)(want - 1));
      FUZZ_CHECK(!memcmp(sid, seqnum_id, 16), "cursor %s of another sequence", c);
      size_t bytes = 0;
      lr_journal_tail_each(t, count_field, &bytes);
      uint64_t mono;
      uint8_t boot[16];
      lr_journal_tail_boot_time(t, &mono, boot);
      want++;
      n++;
    }
    if (n < MAX_ENTRIES)
      FUZZ_CHECK(rc == 0 || lr_journal_tail_why(t)[0], "hand-back %d without a reason", rc);
  } else {
    FUZZ_CHECK(lr_journal_tail_why(t)[0], "%s", "refused without a reason");
  }
  lr_journal_tail_free(t);
  close(fd);
  return 0;
}
