#include "notify/mail_envelope.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define HEADER_MAX (1u << 20)
#define RCPT_MAX 1000
#define ADDR_MAX 254 /* RFC 5321's path limit, less the brackets */

/* An addr-spec that can go into MAIL FROM:<...> / RCPT TO:<...> as it is:
 * printable ASCII, no brackets or spaces, at most one '@' not at either end. */
static bool addr_ok(const char *a, size_t n)
{
  if (n == 0 || n > ADDR_MAX)
    return false;
  size_t ats = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)a[i];
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
        c == '(' || c == ')' || c == '\\')
      return false;
    ats += c == '@';
  }
  return ats <= 1 && a[0] != '@' && a[n - 1] != '@';
}

static int add_addr(struct lr_mail_envelope *env, bool is_from, const char *a, size_t n,
                    char *err, size_t errlen)
{
  if (is_from) {
    if (env->from)
      return 0; /* several mailboxes in From: the first one is the sender */
    if (n && !addr_ok(a, n)) {
      snprintf(err, errlen, "From: '%.*s' is not an address", (int)(n > 80 ? 80 : n), a);
      return -1;
    }
    env->from = lr_xstrndup(a, n);
    return 0;
  }
  if (!addr_ok(a, n)) {
    snprintf(err, errlen, "recipient '%.*s' is not an address", (int)(n > 80 ? 80 : n), a);
    return -1;
  }
  for (size_t i = 0; i < env->nrcpt; i++)
    if (strlen(env->rcpt[i]) == n && !strncasecmp(env->rcpt[i], a, n))
      return 0;
  if (env->nrcpt >= RCPT_MAX) {
    snprintf(err, errlen, "more than %d recipients", RCPT_MAX);
    return -1;
  }
  env->rcpt = lr_xreallocarray(env->rcpt, env->nrcpt + 1, sizeof(*env->rcpt));
  env->rcpt[env->nrcpt++] = lr_xstrndup(a, n);
  return 0;
}

/* Skips a quoted string or a (nested) comment starting at v[i]; returns the
 * index after it, or n when it is not closed. */
static size_t skip_quoted(const char *v, size_t i, size_t n)
{
  for (i++; i < n && v[i] != '"'; i++)
    if (v[i] == '\\')
      i++;
  return i < n ? i + 1 : n;
}

static size_t skip_comment(const char *v, size_t i, size_t n)
{
  int depth = 0;
  for (; i < n; i++) {
    if (v[i] == '\\')
      i++;
    else if (v[i] == '(')
      depth++;
    else if (v[i] == ')' && --depth == 0)
      return i + 1;
  }
  return n;
}

/* One header value (unfolded): an address list with display names, angle
 * addresses, comments and groups ("team: a@x, b@y;"). */
static int parse_list(struct lr_mail_envelope *env, bool is_from, const char *v, size_t n,
                      char *err, size_t errlen)
{
  struct lr_buf bare = {0};
  const char *angle = NULL;
  size_t angle_len = 0;
  bool have_angle = false;
  int rc = 0;
  for (size_t i = 0; i <= n && rc == 0;) {
    char c = i < n ? v[i] : ',';
    if (c == '"') {
      i = skip_quoted(v, i, n); /* a display name: not the address */
      continue;
    }
    if (c == '(') {
      i = skip_comment(v, i, n);
      continue;
    }
    if (c == '<') {
      const char *end = memchr(v + i, '>', n - i);
      if (!end) {
        snprintf(err, errlen, "'<' without '>' in an address");
        rc = -1;
        break;
      }
      angle = v + i + 1;
      angle_len = (size_t)(end - angle);
      const char *route = memchr(angle, ':', angle_len); /* <@relay:user@host> */
      if (route) {
        angle_len -= (size_t)(route + 1 - angle);
        angle = route + 1;
      }
      have_angle = true;
      i = (size_t)(end - v) + 1;
      continue;
    }
    if (c == ':') { /* a group's name ends: its members follow */
      if (memchr(bare.data ? bare.data : "", '@', bare.len) || have_angle) {
        snprintf(err, errlen, "'%.*s:' is neither an address nor a group's name",
                 (int)(bare.len > 80 ? 80 : bare.len), bare.data ? bare.data : "");
        rc = -1;
        break;
      }
      lr_buf_clear(&bare);
      i++;
      continue;
    }
    if (c == ',' || c == ';') {
      if (have_angle)
        rc = angle_len || is_from ? add_addr(env, is_from, angle, angle_len, err, errlen) : 0;
      else if (bare.len) {
        size_t used = bare.len;
        while (used && bare.data[used - 1] == ' ')
          used--;
        rc = used ? add_addr(env, is_from, bare.data, used, err, errlen) : 0;
      }
      lr_buf_clear(&bare);
      have_angle = false;
      i++;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      lr_buf_addc(&bare, c);
    else if (bare.len && bare.data[bare.len - 1] != ' ')
      lr_buf_addc(&bare, ' '); /* "a b@c" is no address: the space stays to say so */
    i++;
  }
  lr_buf_free(&bare);
  return rc;
}

int lr_mail_envelope_parse(struct lr_mail_envelope *env, const char *msg, size_t len, char *err,
                           size_t errlen)
{
  memset(env, 0, sizeof(*env));
  struct lr_buf value = {0};
  size_t i = 0;
  int rc = 0;
  bool ended = false;
  while (i < len && i < HEADER_MAX && rc == 0) {
    const char *line = msg + i, *nl = memchr(line, '\n', len - i);
    size_t line_len = nl ? (size_t)(nl - line) + 1 : len - i;
    if (line_len == 1 || (line_len == 2 && line[0] == '\r')) {
      ended = true;
      break;
    }
    const char *colon = memchr(line, ':', line_len);
    if (!colon || line[0] == ' ' || line[0] == '\t') {
      snprintf(err, errlen, "the message does not start with header lines (line '%.*s')",
               (int)(line_len > 60 ? 60 : line_len), line);
      rc = -1;
      break;
    }
    size_t name_len = (size_t)(colon - line);
    size_t start = i;
    /* the value, with its continuation lines */
    lr_buf_clear(&value);
    lr_buf_add(&value, colon + 1, line_len - name_len - 1);
    i += line_len;
    while (i < len && (msg[i] == ' ' || msg[i] == '\t')) {
      const char *cnl = memchr(msg + i, '\n', len - i);
      size_t clen = cnl ? (size_t)(cnl - (msg + i)) + 1 : len - i;
      lr_buf_add(&value, msg + i, clen);
      i += clen;
    }
    bool is_from = name_len == 4 && !strncasecmp(line, "From", 4);
    bool is_bcc = name_len == 3 && !strncasecmp(line, "Bcc", 3);
    bool is_rcpt = is_bcc || (name_len == 2 && (!strncasecmp(line, "To", 2) ||
                                                !strncasecmp(line, "Cc", 2)));
    if (is_from || is_rcpt)
      rc = parse_list(env, is_from, value.data, value.len, err, errlen);
    if (is_bcc && rc == 0) {
      if (env->nskip == sizeof(env->skip) / sizeof(env->skip[0])) {
        snprintf(err, errlen, "too many Bcc: headers");
        rc = -1;
      } else {
        env->skip[env->nskip][0] = start;
        env->skip[env->nskip++][1] = i;
      }
    }
  }
  lr_buf_free(&value);
  if (rc == 0 && !ended && i >= HEADER_MAX) {
    snprintf(err, errlen, "no end of the header lines in the first %u bytes", HEADER_MAX);
    rc = -1;
  }
  if (rc == 0 && !env->from)
    env->from = lr_xstrdup("");
  if (rc < 0)
    lr_mail_envelope_free(env);
  return rc;
}

int lr_mail_envelope_add_rcpt(struct lr_mail_envelope *env, const char *addr, char *err,
                              size_t errlen)
{
  return add_addr(env, false, addr, strlen(addr), err, errlen);
}

int lr_mail_envelope_set_from(struct lr_mail_envelope *env, const char *addr, char *err,
                              size_t errlen)
{
  free(env->from);
  env->from = NULL;
  return add_addr(env, true, addr, strlen(addr), err, errlen);
}

void lr_mail_envelope_free(struct lr_mail_envelope *env)
{
  free(env->from);
  for (size_t i = 0; i < env->nrcpt; i++)
    free(env->rcpt[i]);
  free(env->rcpt);
  memset(env, 0, sizeof(*env));
}
