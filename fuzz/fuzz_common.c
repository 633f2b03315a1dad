#define _GNU_SOURCE /* mkdtemp */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "util/log.h"

void fuzz_fail(const char *what, const char *file, int line, const char *fmt, ...)
{
  fprintf(stderr, "fuzz invariant broken at %s:%d: %s: ", file, line, what);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

void fuzz_init(void)
{
  static bool done;
  if (done)
    return;
  done = true;
  lr_log_to_stderr(true);
  lr_log_set_level(LOG_CRIT);
  setenv("TZ", "UTC", 1);
  tzset();
}

void fuzz_split(const uint8_t **data, size_t *size, uint8_t sep, const uint8_t **part,
                size_t *plen)
{
  const uint8_t *end = *size ? memchr(*data, sep, *size) : NULL;
  *part = *data;
  *plen = end ? (size_t)(end - *data) : *size;
  size_t skip = end ? *plen + 1 : *plen;
  *data += skip;
  *size -= skip;
}

char *fuzz_strndup(const uint8_t *s, size_t n)
{
  char *c = malloc(n + 1);
  if (!c)
    abort();
  if (n)
    memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

static char tmpdir[64];

static void remove_tmpdir(void)
{
  DIR *d = opendir(tmpdir);
  if (d) {
    char path[sizeof(tmpdir) + 260];
    for (struct dirent *de; (de = readdir(d));)
      if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
        snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
        unlink(path);
      }
    closedir(d);
  }
  rmdir(tmpdir);
}

const char *fuzz_tmpdir(void)
{
  if (!tmpdir[0]) {
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(tmpdir, sizeof(tmpdir), "%s/luruse-fuzz-XXXXXX", base);
    if (!mkdtemp(tmpdir)) {
      perror("mkdtemp");
      abort();
    }
    atexit(remove_tmpdir);
  }
  return tmpdir;
}

void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
  FILE *f = fopen(path, "w");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
    perror(path);
    abort();
  }
}
