#define _GNU_SOURCE /* pipe2, close_range */
#include "subprocess.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* What the timer is counting down to; one timer serves all three waits. */
enum phase { PHASE_NONE, PHASE_TERM, PHASE_KILL, PHASE_GRACE };

struct job {
  uv_process_t proc;
  uv_pipe_t in, out; /* parent ends: stdin (write) and stdout+stderr (read) */
  uv_timer_t timer;
  uv_write_t wreq;
  bool proc_inited; /* uv_spawn was called, so proc must be closed */
  bool exited;      /* exit_cb came, or the process never ran */
  enum phase phase;
  int open_handles; /* close callbacks still to come; 0 = report and free */
  unsigned timeout_ms;
  lr_spawn_done_cb done;
  void *opaque;
  char *input;
  struct lr_spawn_result r;
  size_t out_len;
  char out_buf[LR_SPAWN_OUTPUT_MAX + 1];
  char scratch[16384]; /* read buffer; what does not fit out_buf is dropped */
};

static unsigned pending;

unsigned lr_spawn_pending(void) { return pending; }

/* libuv writes to pipes with write(2): a child that exited without reading
 * its stdin would raise SIGPIPE, whose default action kills luruse. Ignored,
 * the write fails with EPIPE instead. Children do not inherit this: libuv
 * resets all dispositions before exec. A handler someone installed stays. */
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
  free(j->input);
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
  close_handle((uv_handle_t *)&j->in);
  close_handle((uv_handle_t *)&j->out);
  close_handle((uv_handle_t *)&j->timer);
  if (j->proc_inited)
    close_handle((uv_handle_t *)&j->proc);
}

static void fail(struct job *j, const char *file, int err)
{
  char why[128];
  uv_strerror_r(err, why, sizeof(why));
  j->r.spawn_failed = true;
  snprintf(j->r.error, sizeof(j->r.error), "cannot run %s: %s", file, why);
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

static void on_written(uv_write_t *req, int status)
{
  struct job *j = req->data;
  if (status < 0)
    j->r.input_error = status; /* EPIPE: the child did not read it all */
  free(j->input);
  j->input = NULL;
  close_handle((uv_handle_t *)&j->in); /* EOF for the child */
}

int lr_spawn_start(uv_loop_t *loop, const char *const *argv, const char *input, size_t len,
                   unsigned timeout_ms, lr_spawn_done_cb done, void *opaque)
{
  if (!loop || !argv || !argv[0] || !done || (!input && len))
    return -1;
  ignore_sigpipe();

  struct job *j = calloc(1, sizeof(*j));
  lr_assert(j != NULL);
  j->done = done;
  j->opaque = opaque;
  j->timeout_ms = timeout_ms;
  if (len) {
    j->input = malloc(len);
    lr_assert(j->input != NULL);
    memcpy(j->input, input, len);
  }
  pending++;

  /* These never fail on Unix; all three exist for the job's whole life. */
  uv_timer_init(loop, &j->timer);
  uv_pipe_init(loop, &j->in, 0);
  uv_pipe_init(loop, &j->out, 0);
  j->timer.data = j->in.data = j->out.data = j;
  j->open_handles = 3;

  /* Our own pipes rather than UV_CREATE_PIPE (socketpairs): real pipes for
   * the child, and one pipe for both stdout and stderr, so their lines stay
   * in order. O_CLOEXEC: only the dup2 copies reach the child. */
  int in_fds[2] = {-1, -1}, out_fds[2] = {-1, -1};
  if (pipe2(in_fds, O_CLOEXEC) < 0 || pipe2(out_fds, O_CLOEXEC) < 0) {
    int err = uv_translate_sys_error(errno);
    close_fd(&in_fds[0]);
    close_fd(&in_fds[1]);
    fail(j, argv[0], err);
    return 0;
  }
  int err = uv_pipe_open(&j->in, in_fds[1]);
  if (err == 0) {
    in_fds[1] = -1; /* the handle owns it now */
    err = uv_pipe_open(&j->out, out_fds[0]);
    if (err == 0)
      out_fds[0] = -1;
  }
  if (err == 0) {
    cloexec_all_fds();
    uv_stdio_container_t stdio[3] = {
        {.flags = UV_INHERIT_FD, .data.fd = in_fds[0]},
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
  close_fd(&in_fds[0]);
  close_fd(&in_fds[1]);
  close_fd(&out_fds[0]);
  close_fd(&out_fds[1]);
  if (err) {
    fail(j, argv[0], err);
    return 0;
  }

  uv_read_start((uv_stream_t *)&j->out, on_alloc, on_read);
  if (len) {
    uv_buf_t buf = {.base = j->input, .len = len}; /* uv_buf_init takes an unsigned */
    j->wreq.data = j;
    int werr = uv_write(&j->wreq, (uv_stream_t *)&j->in, &buf, 1, on_written);
    if (werr) {
      j->r.input_error = werr;
      close_handle((uv_handle_t *)&j->in);
    }
  } else {
    close_handle((uv_handle_t *)&j->in);
  }
  if (timeout_ms > 0) {
    j->phase = PHASE_TERM;
    uv_timer_start(&j->timer, on_timer, timeout_ms, 0);
  }
  return 0;
}
