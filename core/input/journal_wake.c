#define _GNU_SOURCE /* recvmmsg */
#include "input/journal_wake.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "util/log.h"
#include "util/xalloc.h"

#define BATCH 64                   /* datagrams per recvmmsg */
#define RCVBUF (8 * 1024 * 1024)   /* a long batch of rules must not make journald drop */

struct lr_journal_wake {
  int fd;
  char *path;
  ino_t ino; /* of the socket file this process made */
  dev_t dev;
  uint64_t count;
  bool inherited; /* systemd's: its path is not ours to remove */
};

static bool fill_addr(struct sockaddr_un *sa, const char *path)
{
  memset(sa, 0, sizeof(*sa));
  sa->sun_family = AF_UNIX;
  if (strlen(path) >= sizeof(sa->sun_path))
    return false;
  strcpy(sa->sun_path, path);
  return true;
}

/* 1: someone answers on path; 0: a stale socket file or nothing; -1: not a socket. */
static int path_in_use(const struct sockaddr_un *sa)
{
  struct stat st;
  if (lstat(sa->sun_path, &st) < 0)
    return 0;
  if (!S_ISSOCK(st.st_mode))
    return -1;
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return 0;
  int live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
  close(fd);
  return live;
}

struct lr_journal_wake *lr_journal_wake_open(const char *path, char *err, size_t errlen)
{
  struct sockaddr_un sa;
  if (!fill_addr(&sa, path)) {
    snprintf(err, errlen, "%s: path too long for a socket", path);
    return NULL;
  }
  int used = path_in_use(&sa);
  if (used != 0) {
    snprintf(err, errlen, used > 0 ? "%s: already read by another program (a syslog daemon)"
                                   : "%s: exists and is not a socket", path);
    return NULL;
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    snprintf(err, errlen, "%s: socket: %s", path, strerror(errno));
    return NULL;
  }
  (void)unlink(path); /* stale: nobody answered on it */
  if (bind(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
    snprintf(err, errlen, "%s: bind: %s", path, strerror(errno));
    close(fd);
    return NULL;
  }
  (void)chmod(path, 0600); /* journald writes as root; nobody else has a reason to */
  int on = 1, size = RCVBUF;
  (void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on));
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  /* systemd raises the kernel's default of 10 to 512 at boot; below that,
   * journald drops datagrams in bursts (and logs that it did) */
  FILE *q = fopen("/proc/sys/net/unix/max_dgram_qlen", "r");
  int qlen = 0;
  if (q && fscanf(q, "%d", &qlen) == 1 && qlen < 512)
    lr_log(LOG_NOTICE, "%s: net.unix.max_dgram_qlen is %d (systemd sets 512 at boot): "
           "journald will drop wake-ups in bursts, which delays entries but loses none",
           path, qlen);
  if (q)
    fclose(q);
  struct lr_journal_wake *w = lr_xcalloc(1, sizeof(*w));
  w->fd = fd;
  w->path = lr_xstrdup(path);
  struct stat st;
  if (stat(path, &st) == 0)
    w->ino = st.st_ino, w->dev = st.st_dev;
  return w;
}

struct lr_journal_wake *lr_journal_wake_inherit(const char *path)
{
  int n = sd_listen_fds(0);
  for (int fd = SD_LISTEN_FDS_START; n > 0 && fd < SD_LISTEN_FDS_START + n; fd++) {
    if (sd_is_socket_unix(fd, SOCK_DGRAM, -1, path, 0) <= 0)
      continue;
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC); /* not for the commands luruse runs */
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    int on = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on));
    struct lr_journal_wake *w = lr_xcalloc(1, sizeof(*w));
    w->fd = fd;
    w->path = lr_xstrdup(path);
    w->inherited = true;
    return w;
  }
  return NULL;
}

int lr_journal_wake_fd(const struct lr_journal_wake *w) { return w->fd; }

uint64_t lr_journal_wake_count(const struct lr_journal_wake *w) { return w->count; }

size_t lr_journal_wake_drain(struct lr_journal_wake *w, int64_t *first_usec)
{
  /* the content is never looked at: one byte of each, the rest truncated away */
  char bytes[BATCH];
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(struct timeval))];
  } control;
  size_t total = 0;
  for (;;) {
    memset(msgs, 0, sizeof(msgs));
    for (int i = 0; i < BATCH; i++) {
      iov[i] = (struct iovec){&bytes[i], 1};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    if (total == 0) { /* the arrival time of the first only */
      msgs[0].msg_hdr.msg_control = control.buf;
      msgs[0].msg_hdr.msg_controllen = sizeof(control.buf);
    }
    int n = recvmmsg(w->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0)
      break;
    if (total == 0) {
      struct timeval tv;
      struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[0].msg_hdr);
      if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP) {
        memcpy(&tv, CMSG_DATA(c), sizeof(tv));
        *first_usec = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
      } else {
        gettimeofday(&tv, NULL);
        *first_usec = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
      }
    }
    total += (size_t)n;
    if (n < BATCH)
      break;
  }
  w->count += total;
  return total;
}

void lr_journal_wake_close(struct lr_journal_wake *w)
{
  if (!w)
    return;
  close(w->fd);
  struct stat st;
  /* another reader (a syslog daemon started since) may have taken the path */
  if (!w->inherited && stat(w->path, &st) == 0 && st.st_ino == w->ino && st.st_dev == w->dev)
    (void)unlink(w->path);
  free(w->path);
  free(w);
}
