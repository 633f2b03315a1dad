#define _GNU_SOURCE
#include "notify/sendmail_sandbox.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/command_path.h"
#include "util/errmsg.h"

#define POSTDROP "/usr/sbin/postdrop"

static bool set_id_file(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0 && (sb.st_mode & (S_ISUID | S_ISGID));
}

bool lr_sendmail_needs_privilege(const char *const *argv, char *why, size_t whylen)
{
  if (!argv || !argv[0] || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
    return false;
  struct lr_buf path = {0};
  char err[LR_ERR_MAX], real[PATH_MAX];
  bool needs = false;
  if (lr_command_find(argv[0], &path, err, sizeof(err)) == 0 && realpath(path.data, real)) {
    const char *base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
    if (set_id_file(real)) {
      snprintf(why, whylen, "%s is set-user-ID or set-group-ID (%s)", argv[0], real);
      needs = true;
    } else if (!strcmp(base, "sendmail") && set_id_file(POSTDROP)) {
      snprintf(why, whylen, "%s is postfix's, which hands mail to the set-group-ID %s",
               argv[0], POSTDROP);
      needs = true;
    }
  }
  lr_buf_free(&path);
  return needs;
}
