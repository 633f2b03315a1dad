#define _GNU_SOURCE /* pipe2, close_range, memfd_create */
#include "util/subprocess.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/log.h"
#include "util/xalloc.h"

/* What the timer is counting down to; one timer serves all three waits. */
enum phase { PHASE_NONE, PHASE_TERM, PHASE_KILL, PHASE_GRACE };

struct job {
  uv_process_t proc;
  uv_pipe_t out; /* parent end of stdout+stderr (read) */
  uv_timer_t timer;
  bool proc_inited; /* uv_spawn was called, so proc must be closed */
  bool exited;      /* exit_cb came, or the process never ran */
  enum phase phase;
  int open_handles; /* close callbacks still to come; 0 = report and free */
  unsigned timeout_ms;
  lr_spawn_done_cb done;
  void *opaque;
  struct lr_spawn_result r;
  size_t out_len;
  char out_buf[LR_SPAWN_OUTPUT_MAX + 1];
  char scratch[16384]; /* read buffer; what does not fit out_buf is dropped */
};

static unsigned pending;

unsigned lr_spawn_pending(void) { return pending; }

/* A write to a pipe whose reader is gone raises SIGPIPE, whose default action
 * kills luruse; children's stdin is no pipe any more, but other writers in the
 * process (a closed control client...) stay safe. Ignored, such a write fails
 * with EPIPE instead. Children do not inherit this: libuv resets all
 * dispositions before exec. A handler someone installed stays. */
static void ignore_sigpipe(void)
{
  static bool done;
  if (done)
    return;
  done = true;
  struct sigaction sa;
  if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
    signal(SIGPIPE, SIG_IGN);
}

/* libuv opens its own descriptors close-on-exec, but others may not (Lua's
 * io.open, descriptors inherited from our own parent): mark them all, so a
 * child sees only its three pipes. */
static void cloexec_all_fds(void)
{
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return;
  DIR *d = opendir("/proc/self/fd"); /* kernels before 5.11 */
  if (!d)
    return;
  struct dirent *de;
  while ((de = readdir(d))) {
    char *end;
    long fd = strtol(de->d_name, &end, 10);
    if (end == de->d_name || *end || fd < 3 || fd == dirfd(d))
      continue;
    int flags = fcntl((int)fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC))
      fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
  }
  closedir(d);
}

static void close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

static void report(struct job *j)
{
  struct lr_spawn_result *r = &j->r;
  if (r->spawn_failed)
    ; /* error already says why */
  else if (r->timed_out)
    snprintf(r->error, sizeof(r->error), "timed out after %u ms", j->timeout_ms);
  else if (r->term_signal)
    snprintf(r->error, sizeof(r->error), "killed by signal %d", r->term_signal);
  else if (r->exit_status)
    snprintf(r->error, sizeof(r->error), "exit status %d", r->exit_status);
  j->out_buf[j->out_len] = '\0';
  r->output = j->out_buf;
  r->output_len = j->out_len;
  lr_assert(pending > 0);
  pending--; /* before done, so that it sees itself as reported */
  j->done(j->opaque, r);
  free(j);
}

static void on_closed(uv_handle_t *h)
{
  struct job *j = h->data;
  if (--j->open_handles == 0)
    report(j);
}

static void close_handle(uv_handle_t *h)
{
  if (!uv_is_closing(h))
    uv_close(h, on_closed);
}

/* The process is gone and its output closed: close the rest. The last close
 * callback reports, so done never runs with a handle still referencing j. */
static void finish(struct job *j)
{
  close_handle((uv_handle_t *)&j->out);
  close_handle((uv_handle_t *)&j->timer);
  if (j->proc_inited)
    close_handle((uv_handle_t *)&j->proc);
}

static void fail(struct job *j, const char *what, const char *file, int err)
{
  char why[128]; /* strerror text, not an error message */
  uv_strerror_r(err, why, sizeof(why));
  j->r.spawn_failed = true;
  snprintf(j->r.error, sizeof(j->r.error), "%s %s: %s", what, file, why);
  j->exited = true;
  finish(j);
}

static void on_timer(uv_timer_t *t)
{
  struct job *j = t->data;
  switch (j->phase) {
  case PHASE_TERM:
    j->r.timed_out = true;
    uv_process_kill(&j->proc, SIGTERM);
    j->phase = PHASE_KILL;
    uv_timer_start(&j->timer, on_timer, LR_SPAWN_KILL_AFTER_MS, 0);
    break;
  case PHASE_KILL:
    /* Still not reaped (exit_cb would have changed the phase), so the pid
     * is still ours. */
    uv_process_kill(&j->proc, SIGKILL);
    j->phase = PHASE_NONE;
    break;
  case PHASE_GRACE:
    finish(j); /* drops whatever a grandchild still writes */
    break;
  case PHASE_NONE:
    break;
  }
}

static void on_proc_exit(uv_process_t *p, int64_t status, int term_signal)
{
  struct job *j = p->data;
  j->exited = true;
  j->r.exit_status = (int)status;
  j->r.term_signal = term_signal;
  uv_timer_stop(&j->timer);
  j->phase = PHASE_NONE;
  if (uv_is_closing((uv_handle_t *)&j->out)) {
    finish(j);
    return;
  }
  /* Output still open: the last bytes may be on their way, or a grandchild
   * holds the pipe. Wait for EOF, but not forever. */
  j->phase = PHASE_GRACE;
  uv_timer_start(&j->timer, on_timer, LR_SPAWN_OUTPUT_GRACE_MS, 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
  (void)suggested;
  struct job *j = h->data;
  *buf = uv_buf_init(j->scratch, sizeof(j->scratch));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
  struct job *j = s->data;
  if (n > 0) {
    size_t room = LR_SPAWN_OUTPUT_MAX - j->out_len;
    size_t keep = (size_t)n < room ? (size_t)n : room;
    memcpy(j->out_buf + j->out_len, buf->base, keep);
    j->out_len += keep;
    return;
  }
  if (n == 0)
    return; /* EAGAIN */
  /* EOF, or a read error: either way nothing more will come. */
  close_handle((uv_handle_t *)s);
  if (j->exited)
    finish(j);
}

/* The whole input in an anonymous file, rewound: the child's stdin. A child
 * reads all of it, or nothing, even when luruse dies meanwhile (with a pipe,
 * `sendmail -t` would take a kill -9 of luruse for the end of the message
 * and send a fragment). Returns the descriptor (close-on-exec), or a
 * negative libuv error. */
static int input_file(const char *input, size_t len)
{
  int fd = memfd_create("luruse-stdin", MFD_CLOEXEC);
  if (fd < 0)
    return uv_translate_sys_error(errno);
  for (size_t done = 0; done < len;) {
    ssize_t n = write(fd, input + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      int err = n < 0 ? uv_translate_sys_error(errno) : UV_EIO;
      close(fd);
      return err;
    }
    done += (size_t)n;
  }
  if (lseek(fd, 0, SEEK_SET) != 0) {
    int err = uv_translate_sys_error(errno);
    close(fd);
    return err;
  }
  return fd;
}

int lr_spawn_start(uv_loop_t *loop, const char *const *argv, const char *input, size_t len,
                   unsigned timeout_ms, lr_spawn_done_cb done, void *opaque)
{
  if (!loop || !argv || !argv[0] || !done || (!input && len))
    return -1;
  ignore_sigpipe();

  struct job *j = lr_xcalloc(1, sizeof(*j));
  j->done = done;
  j->opaque = opaque;
  j->timeout_ms = timeout_ms;
  pending++;

  /* These never fail on Unix; both exist for the job's whole life. */
  uv_timer_init(loop, &j->timer);
  uv_pipe_init(loop, &j->out, 0);
  j->timer.data = j->out.data = j;
  j->open_handles = 2;

  /* stdin: the whole input, written before the child starts (see
   * input_file). stdout and stderr: our own pipe rather than UV_CREATE_PIPE
   * (socketpairs), one for both, so their lines stay in order. O_CLOEXEC:
   * only the dup2 copies reach the child. */
  int in_fd = input_file(input, len);
  if (in_fd < 0) {
    fail(j, "cannot write the standard input of", argv[0], in_fd);
    return 0;
  }
  int out_fds[2] = {-1, -1};
  if (pipe2(out_fds, O_CLOEXEC) < 0) {
    int err = uv_translate_sys_error(errno);
    close_fd(&in_fd);
    fail(j, "cannot run", argv[0], err);
    return 0;
  }
  int err = uv_pipe_open(&j->out, out_fds[0]);
  if (err == 0) {
    out_fds[0] = -1; /* the handle owns it now */
    cloexec_all_fds();
    uv_stdio_container_t stdio[3] = {
        {.flags = UV_INHERIT_FD, .data.fd = in_fd},
        {.flags = UV_INHERIT_FD, .data.fd = out_fds[1]},
        {.flags = UV_INHERIT_FD, .data.fd = out_fds[1]},
    };
    uv_process_options_t opts = {
        .exit_cb = on_proc_exit,
        .file = argv[0],
        .args = (char **)argv, /* libuv only passes it to execvp */
        .stdio = stdio,
        .stdio_count = 3,
    };
    err = uv_spawn(loop, &j->proc, &opts);
    /* uv_spawn initializes the handle even when it fails. */
    j->proc.data = j;
    j->proc_inited = true;
    j->open_handles++;
  }
  /* The child's ends: it has its copies (or never will). Keeping the write
   * end of the output would mean never seeing EOF. */
  close_fd(&in_fd);
  close_fd(&out_fds[0]);
  close_fd(&out_fds[1]);
  if (err) {
    fail(j, "cannot run", argv[0], err);
    return 0;
  }

  uv_read_start((uv_stream_t *)&j->out, on_alloc, on_read);
  if (timeout_ms > 0) {
    j->phase = PHASE_TERM;
    uv_timer_start(&j->timer, on_timer, timeout_ms, 0);
  }
  return 0;
}
