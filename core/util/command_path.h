/* Where a command's program is, found as execvp will find it: a name with a
 * '/' as written (relative to the current directory), a bare name in each
 * directory of PATH in turn (confstr(_CS_PATH) when PATH is unset; an empty
 * element is the current directory). Only an executable regular file counts.
 * For `luruse check`: will the commands the rules name run at all?
 *
 *   struct lr_buf path = {0};
 *   char why[LR_ERR_MAX];
 *   if (lr_command_find("sendmail", &path, why, sizeof(why)) < 0)
 *     printf("cannot run: %s\n", why);   // "'sendmail' is not in PATH (/usr/bin:/bin)"
 *   else
 *     printf("runs %s\n", path.data);    // "/usr/sbin/sendmail"
 *   lr_buf_free(&path);
 */
#pragma once
#include <stddef.h>

#include "util/buf.h"

/* 0 with the program's path in path (replaced), or -1 with why: "/x does not
 * exist", "/x is a directory, not a program", "/x is not executable",
 * "'x' is not in PATH (/usr/bin:/bin)", "/x/y: permission denied"... */
int lr_command_find(const char *prog, struct lr_buf *path, char *why, size_t whylen);
