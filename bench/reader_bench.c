/* How much reading one journal entry costs: libsystemd (sd_journal_next and one
 * sd_journal_enumerate_available_data pass, as luruse's journal source reads
 * an entry) against luruse's direct reader (input/journal_tail.c: next, then
 * every field by name, then by field id as the daemon offers them), over
 * every entry of each journal file given. Best of BENCH_RUNS (3) passes; the
 * files should be in the page cache (a first pass puts them there).
 *
 *   build-release/bench/reader_bench FILE.journal...
 *
 * Make a file: python3 bench/gen_journal.py --entries 100000 --seed 1 |
 *   /lib/systemd/systemd-journal-remote --split-mode=none -o /tmp/x.journal -
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "input/fields.h"
#include "input/journal_tail.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t sink;

static void by_name(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  (void)arg;
  sink += nlen + vlen + (size_t)(lr_fields_find(name, nlen) >= 0) + (vlen ? (uint8_t)val[0] : 0);
}

static int field_id(void *arg, const char *name, size_t nlen)
{
  (void)arg;
  return lr_fields_find(name, nlen);
}

static void by_id(void *arg, int id, const char *val, size_t vlen)
{
  (void)arg;
  sink += (size_t)id + vlen + (vlen ? (uint8_t)val[0] : 0);
}

static size_t pass_libsystemd(const char *path)
{
  sd_journal *j;
  const char *paths[] = {path, NULL};
  if (sd_journal_open_files(&j, paths, 0) < 0)
    return 0;
  sd_journal_set_data_threshold(j, 1 << 20);
  size_t n = 0;
  while (sd_journal_next(j) > 0) {
    const void *d;
    size_t len;
    sd_journal_restart_data(j);
    while (sd_journal_enumerate_available_data(j, &d, &len) > 0) {
      const char *eq = memchr(d, '=', len);
      if (eq)
        by_name(NULL, d, (size_t)(eq - (const char *)d), eq + 1,
                len - (size_t)(eq - (const char *)d) - 1);
    }
    n++;
  }
  sd_journal_close(j);
  return n;
}

static size_t pass_direct(const char *path, const uint8_t sid[16], uint64_t head, bool ids)
{
  const char *paths[] = {path};
  struct lr_journal_tail *t = lr_journal_tail_new_files(paths, 1);
  size_t n = 0;
  if (lr_journal_tail_start(t, sid, head - 1) == 0)
    while (lr_journal_tail_next(t) > 0) {
      if (ids)
        lr_journal_tail_each_id(t, field_id, by_id, NULL, (uint32_t)lr_fields_count());
      else
        lr_journal_tail_each(t, by_name, NULL);
      n++;
    }
  else
    fprintf(stderr, "%s: %s\n", path, lr_journal_tail_why(t));
  lr_journal_tail_free(t);
  return n;
}

int main(int argc, char **argv)
{
  int runs = getenv("BENCH_RUNS") ? atoi(getenv("BENCH_RUNS")) : 3;
  /* the fields a rule set reads (bench/rules.lua's) */
  const char *names[] = {"SYSLOG_IDENTIFIER", "PRIORITY", "MESSAGE", "_HOSTNAME"};
  for (size_t i = 0; i < 4; i++)
    lr_fields_intern(names[i], strlen(names[i]));
  for (int a = 1; a < argc; a++) {
    uint8_t h[176];
    FILE *f = fopen(argv[a], "rb");
    if (!f || fread(h, 1, sizeof(h), f) != sizeof(h)) {
      fprintf(stderr, "%s: cannot read its header\n", argv[a]);
      return 2;
    }
    fclose(f);
    uint64_t head = 0;
    for (int i = 7; i >= 0; i--)
      head = head << 8 | h[168 + i];
    double best[3] = {1e9, 1e9, 1e9};
    size_t n[3] = {0};
    for (int r = 0; r < runs; r++)
      for (int m = 0; m < 3; m++) {
        double t0 = now();
        n[m] = m == 0 ? pass_libsystemd(argv[a]) : pass_direct(argv[a], h + 72, head, m == 2);
        double dt = now() - t0;
        if (dt < best[m])
          best[m] = dt;
      }
    printf("%s: %zu entries\n", argv[a], n[0]);
    printf("  libsystemd (next + enumerate_available_data): %.3f us an entry\n",
           best[0] * 1e6 / (double)(n[0] ? n[0] : 1));
    printf("  direct reader, fields by name:                %.3f us an entry (%zu entries)\n",
           best[1] * 1e6 / (double)(n[1] ? n[1] : 1), n[1]);
    printf("  direct reader, fields by id (the daemon's):   %.3f us an entry (%zu entries)\n",
           best[2] * 1e6 / (double)(n[2] ? n[2] : 1), n[2]);
  }
  return sink == 1; /* keeps the reads */
}
