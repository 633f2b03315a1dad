/* The benchmark's floor: the least a journal reader must do to serve the rule
 * set of bench/rules.lua -- step through every entry with sd_journal_next and
 * fetch, with sd_journal_get_data, the four fields those rules read:
 * SYSLOG_IDENTIFIER, PRIORITY, MESSAGE and _HOSTNAME. No rule is run.
 *
 *   cc -O2 -o floor bench/floor.c $(pkg-config --cflags --libs libsystemd)
 *   ./floor /tmp/luruse-bench/journal-1000000 [--enumerate]
 *
 * With --enumerate, the four fields are picked from one
 * sd_journal_enumerate_available_data pass over the entry instead (what
 * luruse's journal source does): a second, informative figure -- the pass/fail
 * floor of bench/run.sh is the sd_journal_get_data one.
 *
 * Prints one line: "<entries> entries in <seconds> s: <entries/s> entries/s
 * (checksum <n>)". The checksum (bytes and first characters of the values)
 * keeps the reads from being optimised away and is the same from run to run.
 * The clock covers opening the directory to the last entry, as the wall time of
 * a `luruse replay` run does. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <time.h>

static const char *const fields[] = {"SYSLOG_IDENTIFIER", "PRIORITY", "MESSAGE", "_HOSTNAME"};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  bool enumerate = argc == 3 && strcmp(argv[2], "--enumerate") == 0;
  if (argc != 2 && !enumerate) {
    fprintf(stderr, "usage: %s JOURNAL_DIR [--enumerate]\n", argv[0]);
    return 2;
  }
  double t0 = now();
  sd_journal *j;
  int rc = sd_journal_open_directory(&j, argv[1], 0);
  if (rc < 0) {
    fprintf(stderr, "floor: cannot open %s: %s\n", argv[1], strerror(-rc));
    return 1;
  }
  /* the same threshold as luruse's journal source */
  sd_journal_set_data_threshold(j, 1 << 20);
  rc = sd_journal_seek_head(j);
  if (rc < 0) {
    fprintf(stderr, "floor: seek_head: %s\n", strerror(-rc));
    return 1;
  }
  size_t nlen[NFIELDS];
  for (size_t f = 0; f < NFIELDS; f++)
    nlen[f] = strlen(fields[f]);

  uint64_t entries = 0, checksum = 0, missing = 0;
  while ((rc = sd_journal_next(j)) > 0) {
    entries++;
    if (enumerate) {
      const void *data;
      size_t len;
      unsigned seen = 0;
      sd_journal_restart_data(j);
      while (seen != (1u << NFIELDS) - 1 && sd_journal_enumerate_available_data(j, &data, &len) > 0) {
        for (size_t f = 0; f < NFIELDS; f++) {
          if (len > nlen[f] && ((const char *)data)[nlen[f]] == '=' &&
              memcmp(data, fields[f], nlen[f]) == 0 && !(seen & (1u << f))) {
            seen |= 1u << f;
            const unsigned char *v = (const unsigned char *)data + nlen[f] + 1;
            size_t vlen = len - nlen[f] - 1;
            checksum += vlen + (vlen ? v[0] : 0);
            break;
          }
        }
      }
      for (size_t f = 0; f < NFIELDS; f++)
        missing += !(seen & (1u << f));
      continue;
    }
    for (size_t f = 0; f < NFIELDS; f++) {
      const void *data;
      size_t len;
      if (sd_journal_get_data(j, fields[f], &data, &len) < 0) {
        missing++;
        continue;
      }
      /* data is "NAME=value" */
      const unsigned char *v = (const unsigned char *)data + nlen[f] + 1;
      size_t vlen = len - nlen[f] - 1;
      checksum += vlen + (vlen ? v[0] : 0);
    }
  }
  if (rc < 0) {
    fprintf(stderr, "floor: sd_journal_next: %s\n", strerror(-rc));
    return 1;
  }
  sd_journal_close(j);
  double dt = now() - t0;
  printf("%llu entries in %.3f s: %.0f entries/s (checksum %llu, %llu absent fields)\n",
         (unsigned long long)entries, dt, dt > 0 ? (double)entries / dt : 0.0,
         (unsigned long long)checksum, (unsigned long long)missing);
  return 0;
}
