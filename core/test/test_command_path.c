/* lr_command_find against a real directory tree: programs found as execvp
 * finds them (a path as written, a bare name through PATH, the first
 * executable one winning), and why one cannot run. */
#define _GNU_SOURCE /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "util/command_path.h"
#include "util/errmsg.h"

static char dir[256];

static void make(const char *rel, mode_t mode)
{
  char p[512];
  snprintf(p, sizeof(p), "%s/%s", dir, rel);
  FILE *f = fopen(p, "w");
  REQUIRE(f != NULL);
  fputs("#!/bin/sh\n", f);
  fclose(f);
  REQUIRE(chmod(p, mode) == 0);
}

static char *at(const char *rel)
{
  static char p[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(p[k], sizeof(p[k]), "%s%s%s", dir, *rel ? "/" : "", rel);
  return p[k];
}

/* found: the path; not: "!" and the reason */
static const char *find(const char *prog)
{
  static char out[LR_ERR_MAX + 2];
  struct lr_buf path = {0};
  char why[LR_ERR_MAX];
  if (lr_command_find(prog, &path, why, sizeof(why)) == 0)
    snprintf(out, sizeof(out), "%s", path.data);
  else
    snprintf(out, sizeof(out), "!%s", why);
  lr_buf_free(&path);
  return out;
}

int main(void)
{
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof(dir), "%s/lr-cmdpath.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  REQUIRE(mkdtemp(dir) != NULL);
  REQUIRE(mkdir(at("a"), 0755) == 0);
  REQUIRE(mkdir(at("b"), 0755) == 0);
  REQUIRE(mkdir(at("b/sub"), 0755) == 0);
  make("a/tool", 0644);   /* there, not executable: execvp goes on */
  make("b/tool", 0755);
  make("a/only", 0600);
  make("b/run", 0700);
  char msg[2048];

  /* a path is taken as written */
  CHECK_STR(find(at("b/run")), at("b/run"));
  snprintf(msg, sizeof(msg), "!%s does not exist", at("b/none"));
  CHECK_STR(find(at("b/none")), msg);
  snprintf(msg, sizeof(msg), "!%s does not exist", at("b/run/x"));
  CHECK_STR(find(at("b/run/x")), msg);
  snprintf(msg, sizeof(msg), "!%s is a directory, not a program", at("b/sub"));
  CHECK_STR(find(at("b/sub")), msg);
  snprintf(msg, sizeof(msg), "!%s is not executable", at("a/only"));
  CHECK_STR(find(at("a/only")), msg);
  CHECK_STR(find("/dev/null"), "!/dev/null is not a regular file");

  /* a bare name: the first executable one in PATH */
  char path[1100];
  snprintf(path, sizeof(path), "%s:%s", at("a"), at("b"));
  REQUIRE(setenv("PATH", path, 1) == 0);
  CHECK_STR(find("tool"), at("b/tool"));
  CHECK_STR(find("run"), at("b/run"));
  snprintf(msg, sizeof(msg), "!%s is not executable", at("a/only"));
  CHECK_STR(find("only"), msg);
  snprintf(msg, sizeof(msg), "!'nothing' is not in PATH (%s)", path);
  CHECK_STR(find("nothing"), msg);
  snprintf(msg, sizeof(msg), "!%s is a directory, not a program", at("b/sub"));
  CHECK_STR(find("sub"), msg); /* there, but no program: said so, as execvp's EACCES */
  /* an empty element is the current directory; a relative path is from it */
  snprintf(path, sizeof(path), "%s:", at("a"));
  REQUIRE(setenv("PATH", path, 1) == 0);
  REQUIRE(chdir(at("b")) == 0);
  CHECK_STR(find("run"), "./run");
  CHECK_STR(find("./run"), "./run");
  CHECK_STR(find("sub/run"), "!sub/run does not exist");
  /* without PATH: the system's default (confstr), where sh lives */
  REQUIRE(unsetenv("PATH") == 0);
  const char *sh = find("sh");
  CHECK(!strcmp(sh, "/bin/sh") || !strcmp(sh, "/usr/bin/sh"));
  CHECK_STR(find(""), "!no program named");
  CHECK_STR(find(NULL), "!no program named");

  REQUIRE(chdir("/") == 0);
  const char *rm[] = {"a/tool", "b/tool", "a/only", "b/run", "b/sub", "a", "b", ""};
  for (size_t i = 0; i < sizeof(rm) / sizeof(rm[0]); i++)
    if (remove(at(rm[i])) < 0)
      perror(at(rm[i]));
  return check_done();
}
