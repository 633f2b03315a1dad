#define _GNU_SOURCE
#include "util/command_path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

/* 0 when path is an executable regular file, else -1 with why */
static int runnable(const char *path, char *why, size_t whylen)
{
  struct stat st;
  if (stat(path, &st) < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      snprintf(why, whylen, "%s does not exist", path);
    else
      snprintf(why, whylen, "%s: %s", path, strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    snprintf(why, whylen, "%s is a directory, not a program", path);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(why, whylen, "%s is not a regular file", path);
    return -1;
  }
  if (access(path, X_OK) < 0) {
    if (errno == EACCES)
      snprintf(why, whylen, "%s is not executable", path);
    else
      snprintf(why, whylen, "%s: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

int lr_command_find(const char *prog, struct lr_buf *path, char *why, size_t whylen)
{
  lr_buf_clear(path);
  if (!prog || !*prog) {
    snprintf(why, whylen, "no program named");
    return -1;
  }
  if (strchr(prog, '/')) {
    if (runnable(prog, why, whylen) < 0)
      return -1;
    lr_buf_add(path, prog, strlen(prog));
    return 0;
  }
  char *search = NULL;
  const char *env = getenv("PATH");
  if (env) {
    search = lr_xstrdup(env);
  } else {
    size_t n = confstr(_CS_PATH, NULL, 0);
    search = lr_xcalloc(n + 1, 1);
    if (n)
      confstr(_CS_PATH, search, n);
  }
  /* as execvp: the first executable one wins; else the first that is there
   * but cannot run says why */
  char first_why[512] = "";
  int rc = -1;
  for (const char *dir = search;;) {
    const char *end = strchrnul(dir, ':');
    lr_buf_clear(path);
    if (end == dir)
      lr_buf_add(path, ".", 1);
    else
      lr_buf_add(path, dir, (size_t)(end - dir));
    lr_buf_printf(path, "/%s", prog);
    char w[512];
    if (runnable(path->data, w, sizeof(w)) == 0) {
      rc = 0;
      break;
    }
    if (!first_why[0] && access(path->data, F_OK) == 0)
      snprintf(first_why, sizeof(first_why), "%s", w);
    if (!*end)
      break;
    dir = end + 1;
  }
  if (rc < 0) {
    if (first_why[0])
      snprintf(why, whylen, "%s", first_why);
    else
      snprintf(why, whylen, "'%s' is not in PATH (%s)", prog, search);
    lr_buf_clear(path);
  }
  free(search);
  return rc;
}
