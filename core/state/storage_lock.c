#include "state/storage_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "state/state.h"
#include "util/log.h"
#include "util/xalloc.h"

struct lr_storage_lock {
  int fd;
};

/* "luruse run, pid 123" from the holder's "123 run\n" (or less, when it has
 * not written it yet). */
static void describe_holder(int fd, char *out, size_t outlen)
{
  char text[96];
  ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
  text[n > 0 ? n : 0] = '\0';
  long pid = 0;
  char command[32] = "";
  if (sscanf(text, "%ld %31s", &pid, command) == 2 && pid > 0)
    snprintf(out, outlen, "luruse %s, pid %ld", command, pid);
  else
    snprintf(out, outlen, "another luruse, starting");
}

int lr_storage_lock(const char *dir, const char *command, struct lr_storage_lock **out,
                    char *err, size_t errlen)
{
  *out = NULL;
  if (lr_state_mkdirs(dir) < 0) {
    snprintf(err, errlen, "cannot create the storage directory %s: %s", dir, strerror(errno));
    return -1;
  }
  char *path = lr_xasprintf("%s/%s", dir, LR_STORAGE_LOCK_NAME);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    free(path);
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
    int e = errno;
    int rc = -1;
    if (e == EWOULDBLOCK) {
      char holder[128];
      describe_holder(fd, holder, sizeof(holder));
      snprintf(err, errlen, "the storage %s is in use by %s", dir, holder);
      rc = 1;
    } else {
      snprintf(err, errlen, "%s: cannot lock: %s", path, strerror(e));
    }
    close(fd);
    free(path);
    return rc;
  }
  /* who holds it, for the message of whoever is refused; the lock itself is
   * what counts, so a failed write changes nothing else */
  char text[64];
  int n = snprintf(text, sizeof(text), "%ld %s\n", (long)getpid(), command);
  if (ftruncate(fd, 0) < 0 || pwrite(fd, text, (size_t)n, 0) != n)
    lr_log(LOG_DEBUG, "%s: cannot write the holder's pid: %s", path, strerror(errno));
  free(path);
  struct lr_storage_lock *lk = lr_xmalloc(sizeof(*lk));
  lk->fd = fd;
  *out = lk;
  return 0;
}

void lr_storage_unlock(struct lr_storage_lock *lk)
{
  if (!lk)
    return;
  close(lk->fd); /* the last descriptor of the file: the lock goes with it */
  free(lk);
}
