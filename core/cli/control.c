#define _GNU_SOURCE /* struct ucred */
#include "cli/control.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

#define CLIENT_IDLE_MS 10000 /* a client that says nothing is dropped */
/* Clients at once: beyond, the oldest is dropped for the newcomer, so that a
 * flood of silent connections neither holds the daemon's descriptors nor locks
 * out `luruse status`. */
#define MAX_CLIENTS 32

struct client;

struct lr_control {
  uv_pipe_t server;
  char *path;
  lr_control_handler *handle;
  void *ctx;
  struct client *clients; /* connected, newest first: closed with the server */
  size_t nclients;
  uint64_t dropped;       /* for the flood, not yet logged */
  uint64_t dropped_logged_ms;
};

struct client {
  uv_pipe_t pipe;
  uv_timer_t idle;
  int open_handles;
  struct lr_control *control; /* NULL once the server stopped */
  struct client *next, **prev;
  struct lr_buf in;
  uv_write_t write;
  char *reply;
  bool in_handler; /* the handler is running for it */
  bool deferred;   /* the handler answers later (lr_control_defer) */
  json_t *early;   /* an answer given before the handler returned */
};

json_t *lr_control_error(const char *fmt, ...)
{
  char msg[LR_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

/* open_handles counts the two handles and a deferred answer not given yet */
static void client_unref(struct client *cl)
{
  if (--cl->open_handles > 0)
    return;
  lr_buf_free(&cl->in);
  free(cl->reply);
  json_decref(cl->early);
  free(cl);
}

static void client_closed(uv_handle_t *h) { client_unref(h->data); }

static void client_close(struct client *cl)
{
  if (cl->prev) { /* unlink: the server no longer answers for it */
    *cl->prev = cl->next;
    if (cl->next)
      cl->next->prev = cl->prev;
    cl->prev = NULL;
    cl->control->nclients--;
  }
  cl->control = NULL;
  if (!uv_is_closing((uv_handle_t *)&cl->pipe))
    uv_close((uv_handle_t *)&cl->pipe, client_closed);
  if (!uv_is_closing((uv_handle_t *)&cl->idle))
    uv_close((uv_handle_t *)&cl->idle, client_closed);
}

static void on_idle_timeout(uv_timer_t *t) { client_close(t->data); }

static void on_written(uv_write_t *w, int status)
{
  (void)status;
  client_close(w->data);
}

static void reply(struct client *cl, json_t *answer)
{
  if (!answer)
    answer = lr_control_error("internal error: no reply");
  cl->reply = json_dumps(answer, JSON_COMPACT);
  json_decref(answer);
  size_t n = strlen(cl->reply);
  cl->reply = lr_xrealloc(cl->reply, n + 2);
  memcpy(cl->reply + n, "\n", 2);
  uv_buf_t b = uv_buf_init(cl->reply, (unsigned)n + 1);
  uv_read_stop((uv_stream_t *)&cl->pipe);
  cl->write.data = cl;
  if (uv_write(&cl->write, (uv_stream_t *)&cl->pipe, &b, 1, on_written) < 0)
    client_close(cl);
}

static void dispatch(struct client *cl)
{
  if (!cl->control) {
    client_close(cl);
    return;
  }
  json_error_t jerr;
  json_t *req = json_loadb(cl->in.data, cl->in.len, 0, &jerr);
  const char *cmd = json_string_value(json_object_get(req, "cmd"));
  if (!req || !json_is_object(req) || !cmd)
    reply(cl, lr_control_error("bad request: expected {\"cmd\": ...} (%s)",
                               req ? "no cmd" : jerr.text));
  else {
    cl->in_handler = true;
    json_t *answer = cl->control->handle(cl->control->ctx, cmd, req,
                                         (struct lr_control_request *)cl);
    cl->in_handler = false;
    if (!cl->deferred) {
      reply(cl, answer);
    } else {
      json_decref(answer);
      if (cl->early) { /* answered already, e.g. libnftables is synchronous */
        json_t *a = cl->early;
        cl->early = NULL;
        cl->deferred = false;
        reply(cl, a);
        client_unref(cl);
      } else { /* nothing more is read; the handler's own work is bounded */
        uv_read_stop((uv_stream_t *)&cl->pipe);
        uv_timer_stop(&cl->idle);
      }
    }
  }
  json_decref(req);
}

struct lr_control_wait *lr_control_defer(struct lr_control_request *rq)
{
  struct client *cl = (struct client *)rq;
  lr_assert(cl->in_handler && !cl->deferred);
  cl->deferred = true;
  cl->open_handles++; /* the client stays until the answer is given */
  return (struct lr_control_wait *)cl;
}

void lr_control_answer(struct lr_control_wait *w, json_t *answer)
{
  struct client *cl = (struct client *)w;
  lr_assert(cl->deferred);
  if (cl->in_handler) {
    cl->early = answer ? answer : lr_control_error("internal error: no reply");
    return;
  }
  cl->deferred = false;
  if (cl->control && !uv_is_closing((uv_handle_t *)&cl->pipe))
    reply(cl, answer);
  else
    json_decref(answer); /* the client or the server went away meanwhile */
  client_unref(cl);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
  (void)h;
  buf->base = lr_xmalloc(suggested);
  buf->len = suggested;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
  struct client *cl = s->data;
  if (n > 0) {
    lr_buf_add(&cl->in, buf->base, (size_t)n);
    char *nl = memchr(cl->in.data, '\n', cl->in.len);
    if (nl) {
      cl->in.len = (size_t)(nl - cl->in.data);
      dispatch(cl);
    } else if (cl->in.len > LR_CONTROL_MAX_REQUEST) {
      reply(cl, lr_control_error("request too long"));
    }
  } else if (n < 0) {
    if (n == UV_EOF && cl->in.len)
      dispatch(cl);
    else
      client_close(cl);
  }
  free(buf->base);
}

/* Only root, or the daemon's own user, may steer it (the 0600 mode says the
 * same; this also holds if the directory's permissions are loosened). */
static bool peer_allowed(uv_pipe_t *p)
{
  uv_os_fd_t fd;
  struct ucred cred;
  socklen_t len = sizeof(cred);
  if (uv_fileno((uv_handle_t *)p, &fd) < 0 ||
      getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
    return false;
  return cred.uid == 0 || cred.uid == getuid();
}

/* At MAX_CLIENTS: the oldest client whose answer is not awaited goes. */
static bool make_room(struct lr_control *c, uv_loop_t *loop)
{
  if (c->nclients < MAX_CLIENTS)
    return true;
  struct client *oldest = NULL;
  for (struct client *cl = c->clients; cl; cl = cl->next)
    if (!cl->deferred)
      oldest = cl;
  c->dropped++;
  uint64_t now = uv_now(loop);
  if (c->dropped == 1 || now - c->dropped_logged_ms >= 60000) {
    lr_log(LOG_WARNING, "control socket: more than %d clients at once: %llu dropped since start to make room",
           MAX_CLIENTS, (unsigned long long)c->dropped);
    c->dropped_logged_ms = now;
  }
  if (!oldest)
    return false;
  client_close(oldest);
  return true;
}

static void on_connection(uv_stream_t *server, int status)
{
  struct lr_control *c = server->data;
  if (status < 0)
    return;
  bool room = make_room(c, server->loop);
  struct client *cl = lr_xcalloc(1, sizeof(*cl));
  cl->control = c;
  uv_pipe_init(server->loop, &cl->pipe, 0);
  cl->pipe.data = cl;
  uv_timer_init(server->loop, &cl->idle);
  cl->idle.data = cl;
  cl->open_handles = 2;
  cl->next = c->clients;
  if (c->clients)
    c->clients->prev = &cl->next;
  cl->prev = &c->clients;
  c->clients = cl;
  c->nclients++;
  uv_timer_start(&cl->idle, on_idle_timeout, CLIENT_IDLE_MS, 0);
  if (uv_accept(server, (uv_stream_t *)&cl->pipe) < 0 || !room) {
    client_close(cl);
    return;
  }
  if (!peer_allowed(&cl->pipe)) {
    lr_log(LOG_WARNING, "control socket: refused a client that is neither root nor this user");
    client_close(cl);
    return;
  }
  uv_read_start((uv_stream_t *)&cl->pipe, on_alloc, on_read);
}

struct lr_control *lr_control_start(uv_loop_t *loop, const char *path, lr_control_handler *handle,
                                    void *ctx, char *err, size_t errlen)
{
  struct sockaddr_un sun;
  if (strlen(path) >= sizeof(sun.sun_path)) {
    snprintf(err, errlen, "control socket path too long: %s", path);
    return NULL;
  }
  /* a socket left by a killed daemon: only remove it when nothing answers there */
  char probe_err[LR_ERR_MAX];
  json_t *probe = json_pack("{s:s}", "cmd", "ping");
  json_t *answer = lr_control_call(path, probe, 1000, probe_err, sizeof(probe_err));
  json_decref(probe);
  if (answer) {
    json_decref(answer);
    snprintf(err, errlen, "another luruse is running (it answers on %s)", path);
    return NULL;
  }
  unlink(path);
  struct lr_control *c = lr_xcalloc(1, sizeof(*c));
  c->path = lr_xstrdup(path);
  c->handle = handle;
  c->ctx = ctx;
  uv_pipe_init(loop, &c->server, 0);
  c->server.data = c;
  mode_t old = umask(0177); /* created 0600: no window where others could connect */
  int rc = uv_pipe_bind(&c->server, path);
  umask(old);
  if (rc == 0)
    rc = uv_listen((uv_stream_t *)&c->server, 16, on_connection);
  if (rc == 0)
    rc = chmod(path, 0600) < 0 ? uv_translate_sys_error(errno) : 0;
  if (rc < 0) {
    snprintf(err, errlen, "control socket %s: %s", path, uv_strerror(rc));
    lr_control_stop(c);
    return NULL;
  }
  return c;
}

static void server_closed(uv_handle_t *h)
{
  struct lr_control *c = h->data;
  free(c->path);
  free(c);
}

void lr_control_stop(struct lr_control *c)
{
  if (!c)
    return;
  while (c->clients)
    client_close(c->clients);
  unlink(c->path);
  uv_close((uv_handle_t *)&c->server, server_closed);
}

/* ------------------------------------------------------------------ client */

static int wait_fd(int fd, short events, int64_t deadline_ms)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  if (now >= deadline_ms)
    return 0;
  struct pollfd p = {fd, events, 0};
  return poll(&p, 1, (int)(deadline_ms - now));
}

json_t *lr_control_call(const char *path, const json_t *request, unsigned timeout_ms, char *err,
                        size_t errlen)
{
  struct sockaddr_un sun = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof(sun.sun_path)) {
    snprintf(err, errlen, "control socket path too long: %s", path);
    return NULL;
  }
  strcpy(sun.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
    if (errno == ENOENT || errno == ECONNREFUSED)
      snprintf(err, errlen, "no running luruse daemon (nothing listens on %s)", path);
    else
      snprintf(err, errlen, "cannot reach the daemon at %s: %s%s", path, strerror(errno),
               errno == EACCES ? " (the control socket is for root)" : "");
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t deadline = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + timeout_ms;
  char *text = json_dumps(request, JSON_COMPACT);
  size_t len = strlen(text), off = 0;
  text = lr_xrealloc(text, len + 2);
  text[len++] = '\n';
  json_t *answer = NULL;
  while (off < len) {
    if (wait_fd(fd, POLLOUT, deadline) <= 0)
      goto timeout;
    ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);
    if (n < 0) {
      snprintf(err, errlen, "%s: %s", path, strerror(errno));
      goto out;
    }
    off += (size_t)n;
  }
  struct lr_buf in = {0};
  for (;;) {
    if (wait_fd(fd, POLLIN, deadline) <= 0) {
      lr_buf_free(&in);
      goto timeout;
    }
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0)
      break;
    lr_buf_add(&in, buf, (size_t)n);
  }
  json_error_t jerr;
  answer = in.len ? json_loadb(in.data, in.len, 0, &jerr) : NULL;
  if (!answer)
    snprintf(err, errlen, "%s: the daemon sent no readable reply", path);
  lr_buf_free(&in);
  goto out;
timeout:
  snprintf(err, errlen, "%s: no reply within %u ms", path, timeout_ms);
out:
  free(text);
  close(fd);
  return answer;
}
