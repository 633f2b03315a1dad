#define _GNU_SOURCE /* getaddrinfo, MSG_NOSIGNAL */
#include "notify/smtp_submit.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "notify/mail_envelope.h"
#include "util/buf.h"

#define REPLY_MAX 16384 /* a reply longer than this is not from an MTA */

struct conn {
  int fd;
  unsigned timeout_s;
  char in[REPLY_MAX];
  size_t in_len;
  struct lr_buf out; /* what is written next, CRLF-terminated lines */
};

__attribute__((format(printf, 4, 5)))
static int fail(int kind, char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return kind;
}

static int connect_to(const struct lr_smtp_server *srv, char *err, size_t errlen)
{
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC}, *res;
  int rc = getaddrinfo(srv->host, srv->port, &hints, &res);
  if (rc != 0) {
    snprintf(err, errlen, "%s: %s", srv->host, gai_strerror(rc));
    return -1;
  }
  int fd = -1, last_errno = 0;
  for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    int crc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (crc == 0)
      continue; /* connected at once (loopback may) */
    last_errno = errno;
    if (last_errno == EINPROGRESS) {
      struct pollfd p = {.fd = fd, .events = POLLOUT};
      int soerr = 0;
      socklen_t sl = sizeof(soerr);
      if (poll(&p, 1, (int)srv->timeout_s * 1000) != 1)
        last_errno = ETIMEDOUT;
      else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
        last_errno = errno;
      else if (soerr == 0)
        continue; /* connected */
      else
        last_errno = soerr;
    }
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0)
    snprintf(err, errlen, "cannot connect to %s port %s: %s", srv->host, srv->port,
             strerror(last_errno));
  return fd;
}

/* Waits for fd to be ready within the timeout; false on timeout or error. */
static bool wait_fd(struct conn *c, short events)
{
  struct pollfd p = {.fd = c->fd, .events = events};
  int rc;
  do
    rc = poll(&p, 1, (int)c->timeout_s * 1000);
  while (rc < 0 && errno == EINTR);
  return rc == 1;
}

static int flush_out(struct conn *c, char *err, size_t errlen)
{
  size_t off = 0;
  while (off < c->out.len) {
    ssize_t w = send(c->fd, c->out.data + off, c->out.len - off, MSG_NOSIGNAL);
    if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_fd(c, POLLOUT))
        return fail(LR_SMTP_TEMPORARY, err, errlen, "timed out writing to the server");
      continue;
    }
    if (w < 0)
      return fail(LR_SMTP_TEMPORARY, err, errlen, "writing to the server: %s", strerror(errno));
    off += (size_t)w;
  }
  lr_buf_clear(&c->out);
  return 0;
}

long lr_smtp_reply_take(const char *buf, size_t len, struct lr_smtp_reply *out)
{
  size_t tl = 0, pos = 0;
  out->code = 0;
  out->text[0] = '\0';
  for (;;) {
    const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
    if (!nl)
      return 0;
    size_t l = (size_t)(nl - line);
    if (l && line[l - 1] == '\r')
      l--;
    if (l < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
        line[2] < '0' || line[2] > '9' || (l > 3 && line[3] != ' ' && line[3] != '-')) {
      snprintf(out->text, sizeof(out->text), "not an SMTP reply line (%zu bytes)", l);
      return -1;
    }
    out->code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    for (size_t i = 4; i < l && tl + 4 < sizeof(out->text); i++) {
      if (i == 4 && tl) { /* the lines' texts, joined */
        memcpy(out->text + tl, " / ", 3);
        tl += 3;
      }
      unsigned char ch = (unsigned char)line[i];
      out->text[tl++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    out->text[tl] = '\0';
    pos += (size_t)(nl - line) + 1;
    if (l == 3 || line[3] == ' ')
      return (long)pos;
  }
}

/* Reads one reply and returns its code; its text goes to text. */
static int read_reply(struct conn *c, char *text, size_t textlen, char *err, size_t errlen)
{
  struct lr_smtp_reply r;
  for (;;) {
    long took = lr_smtp_reply_take(c->in, c->in_len, &r);
    if (took < 0)
      return fail(LR_SMTP_TEMPORARY, err, errlen, "%s", r.text);
    if (took > 0) {
      snprintf(text, textlen, "%s", r.text);
      memmove(c->in, c->in + took, c->in_len - (size_t)took);
      c->in_len -= (size_t)took;
      return r.code;
    }
    if (c->in_len == sizeof(c->in))
      return fail(LR_SMTP_TEMPORARY, err, errlen, "a reply longer than %d bytes", REPLY_MAX);
    if (!wait_fd(c, POLLIN))
      return fail(LR_SMTP_TEMPORARY, err, errlen, "timed out waiting for the server");
    ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if (n <= 0)
      return fail(LR_SMTP_TEMPORARY, err, errlen, "the server closed the connection%s%s",
                  n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
    c->in_len += (size_t)n;
  }
}

/* Sends what is in c->out, reads the reply, and wants a code of class want
 * (2 or 3); a refusal becomes the error naming the step. */
static int step(struct conn *c, const char *what, int want, char *err, size_t errlen)
{
  int rc = flush_out(c, err, errlen);
  if (rc < 0)
    return rc;
  char text[512];
  int code = read_reply(c, text, sizeof(text), err, errlen);
  if (code < 0)
    return code;
  if (code / 100 == want)
    return code;
  snprintf(err, errlen, "%s refused by the server: %d %s", what, code, text);
  return code >= 500 ? LR_SMTP_PERMANENT : LR_SMTP_TEMPORARY;
}

/* The message with CRLF line ends, dot-stuffed, without the skipped header
 * lines (Bcc:), then the ending dot. */
static void add_data(struct lr_buf *out, const struct lr_mail_envelope *env, const char *msg,
                     size_t len)
{
  size_t i = 0, skip = 0;
  while (i < len) {
    if (skip < env->nskip && i >= env->skip[skip][0]) {
      i = env->skip[skip++][1];
      continue;
    }
    const char *nl = memchr(msg + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - msg) : len, l = end - i;
    if (l && msg[end - 1] == '\r')
      l--;
    if (l && msg[i] == '.')
      lr_buf_addc(out, '.');
    lr_buf_add(out, msg + i, l);
    lr_buf_add(out, "\r\n", 2);
    i = nl ? end + 1 : len;
  }
  lr_buf_add(out, ".\r\n", 3);
}

static bool has_8bit(const char *msg, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)msg[i] >= 0x80)
      return true;
  return false;
}

int lr_smtp_submit(const struct lr_smtp_server *srv, const struct lr_mail_envelope *env,
                   const char *msg, size_t len, char *err, size_t errlen)
{
  if (env->nrcpt == 0)
    return fail(LR_SMTP_PERMANENT, err, errlen, "no recipient");
  struct lr_smtp_server s = *srv;
  if (!s.timeout_s)
    s.timeout_s = 30;
  struct conn c = {.timeout_s = s.timeout_s};
  if ((c.fd = connect_to(&s, err, errlen)) < 0)
    return LR_SMTP_TEMPORARY;
  char host[256] = "localhost", text[512];
  gethostname(host, sizeof(host) - 1);
  host[sizeof(host) - 1] = '\0';
  int rc = read_reply(&c, text, sizeof(text), err, errlen);
  if (rc >= 0 && rc != 220) {
    snprintf(err, errlen, "the server does not take mail: %d %s", rc, text);
    rc = rc >= 500 ? LR_SMTP_PERMANENT : LR_SMTP_TEMPORARY;
  }
  bool eightbit = false;
  if (rc >= 0) {
    lr_buf_printf(&c.out, "EHLO %s\r\n", host);
    rc = flush_out(&c, err, errlen);
    if (rc == 0)
      rc = read_reply(&c, text, sizeof(text), err, errlen);
    if (rc >= 0 && rc / 100 == 2) {
      eightbit = strstr(text, "8BITMIME") != NULL;
    } else if (rc >= 500) { /* an old server: HELO */
      lr_buf_printf(&c.out, "HELO %s\r\n", host);
      rc = step(&c, "HELO", 2, err, errlen);
    } else if (rc >= 0) {
      snprintf(err, errlen, "EHLO refused by the server: %d %s", rc, text);
      rc = LR_SMTP_TEMPORARY;
    }
  }
  if (rc >= 0) {
    lr_buf_printf(&c.out, "MAIL FROM:<%s>%s\r\n", env->from,
                  eightbit && has_8bit(msg, len) ? " BODY=8BITMIME" : "");
    rc = step(&c, "the sender", 2, err, errlen);
  }
  for (size_t i = 0; rc >= 0 && i < env->nrcpt; i++) {
    lr_buf_printf(&c.out, "RCPT TO:<%s>\r\n", env->rcpt[i]);
    char what[300];
    snprintf(what, sizeof(what), "recipient %s", env->rcpt[i]);
    rc = step(&c, what, 2, err, errlen);
  }
  if (rc >= 0) {
    lr_buf_add(&c.out, "DATA\r\n", 6);
    rc = step(&c, "DATA", 3, err, errlen);
  }
  if (rc >= 0) {
    add_data(&c.out, env, msg, len);
    rc = step(&c, "the message", 2, err, errlen);
  }
  if (rc >= 0) { /* accepted: the answer to QUIT does not matter any more */
    lr_buf_add(&c.out, "QUIT\r\n", 6);
    char ignored[256];
    if (flush_out(&c, ignored, sizeof(ignored)) == 0)
      read_reply(&c, text, sizeof(text), ignored, sizeof(ignored));
    rc = 0;
  }
  lr_buf_free(&c.out);
  close(c.fd);
  return rc;
}
