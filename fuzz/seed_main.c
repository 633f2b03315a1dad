#define _GNU_SOURCE /* asprintf */
/* Replays files (or every file of directories) through the target, for
 * builds without libFuzzer: `fuzz_seeds_NAME fuzz/corpus/NAME [crash-file...]`.
 * Each input is in a buffer of its exact size, so that a sanitiser sees a read
 * past its end. Fails when no input was found: a replay of nothing proves nothing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap)
      buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (!buf)
    abort();
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact)
    abort();
  memcpy(exact, buf, n);
  free(buf);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  return 0;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Number of inputs replayed, -1 on an unreadable one. */
static long replay(const char *path)
{
  struct stat st;
  if (stat(path, &st) < 0) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return replay_file(path) < 0 ? -1 : 1;
  DIR *d = opendir(path);
  if (!d) {
    perror(path);
    return -1;
  }
  char **names = NULL;
  size_t n = 0;
  for (struct dirent *de; (de = readdir(d));) {
    if (de->d_name[0] == '.')
      continue;
    names = realloc(names, (n + 1) * sizeof(*names));
    if (!names || asprintf(&names[n], "%s/%s", path, de->d_name) < 0)
      abort();
    n++;
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof(*names), by_name);
  long count = 0;
  for (size_t i = 0; i < n; i++) {
    long r = count >= 0 ? replay(names[i]) : 0;
    count = r < 0 ? -1 : count + r;
    free(names[i]);
  }
  free(names);
  return count;
}

int main(int argc, char **argv)
{
  long total = 0;
  for (int i = 1; i < argc; i++) {
    long r = replay(argv[i]);
    if (r < 0)
      return 1;
    total += r;
  }
  if (total == 0) {
    fprintf(stderr, "%s: no input replayed\n", argv[0]);
    return 1;
  }
  printf("%ld inputs replayed, every invariant held\n", total);
  return 0;
}
