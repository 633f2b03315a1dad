/* One luruse per storage: the lock is exclusive, names its holder, dies with
 * it (even by SIGKILL), is not kept by the holder's children once it is gone,
 * and creates a missing storage directory. */
#define _GNU_SOURCE /* pipe2 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "state/storage_lock.h"

static char dir[] = "/tmp/luruse-lock.XXXXXX";

/* Tries the lock from another process: its lr_storage_lock's result. */
static int try_elsewhere(const char *storage)
{
  pid_t p = fork();
  if (p == 0) {
    struct lr_storage_lock *lk;
    char err[512];
    _exit(lr_storage_lock(storage, "replay", &lk, err, sizeof(err)) + 10);
  }
  int status;
  waitpid(p, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) - 10 : -99;
}

int main(void)
{
  REQUIRE(mkdtemp(dir) != NULL);
  char storage[256], err[512], want[512];
  snprintf(storage, sizeof(storage), "%s/new/state", dir);

  struct lr_storage_lock *lk, *again;
  CHECK_INT(lr_storage_lock(storage, "run", &lk, err, sizeof(err)), 0);
  REQUIRE(lk != NULL);
  struct stat sb;
  char path[300];
  snprintf(path, sizeof(path), "%s/%s", storage, LR_STORAGE_LOCK_NAME);
  CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
  /* another open file description is refused, even in this process */
  CHECK_INT(lr_storage_lock(storage, "outbox", &again, err, sizeof(err)), 1);
  CHECK(again == NULL);
  snprintf(want, sizeof(want), "the storage %s is in use by luruse run, pid %ld", storage,
           (long)getpid());
  CHECK_STR(err, want);
  CHECK_INT(try_elsewhere(storage), 1);
  lr_storage_unlock(lk);
  CHECK_INT(try_elsewhere(storage), 0);

  /* a holder killed by SIGKILL, whose child (a sendmail) lives on: free */
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  pid_t holder = fork();
  if (holder == 0) {
    struct lr_storage_lock *h;
    if (lr_storage_lock(storage, "run", &h, err, sizeof(err)) != 0)
      _exit(1);
    int execd[2]; /* close-on-exec: EOF once the child has exec'd */
    if (pipe2(execd, O_CLOEXEC) < 0)
      _exit(1);
    if (fork() == 0) { /* the child execs, as sendmail would */
      int null = open("/dev/null", O_WRONLY); /* ctest waits for whoever has the output */
      dup2(null, 1);
      dup2(null, 2);
      execl("/bin/sleep", "sleep", "3", (char *)NULL);
      _exit(1);
    }
    close(execd[1]);
    char x;
    if (read(execd[0], &x, 1) != 0 || write(ready[1], "x", 1) != 1)
      _exit(1);
    pause();
    _exit(0);
  }
  char c;
  CHECK_INT(read(ready[0], &c, 1), 1);
  CHECK_INT(try_elsewhere(storage), 1);
  kill(holder, SIGKILL);
  waitpid(holder, NULL, 0);
  CHECK_INT(try_elsewhere(storage), 0);
  close(ready[0]);
  close(ready[1]);

  /* a storage that cannot be created */
  CHECK_INT(lr_storage_lock("/proc/luruse-no/such", "run", &lk, err, sizeof(err)), -1);
  CHECK(strstr(err, "cannot create the storage directory /proc/luruse-no/such") != NULL);

  char cmd[300];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  CHECK_INT(system(cmd), 0);
  return check_done();
}
