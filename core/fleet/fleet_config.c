#include "fleet/fleet_config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/argv.h"
#include "util/buf.h"
#include "util/xalloc.h"

void lr_fleet_config_init(struct lr_fleet_config *c)
{
  memset(c, 0, sizeof(*c));
  c->queue_max = LR_FLEET_DEFAULT_QUEUE;
  strcpy(c->prefix, "luruse");
}

void lr_fleet_config_free(struct lr_fleet_config *c)
{
  free(c->url);
  free(c->host);
  free(c->unix_path);
  free(c->user);
  free(c->password);
  lr_argv_free(c->share);
  lr_argv_free(c->count);
  lr_fleet_config_init(c);
}

static char *dup_or_null(const char *s) { return s ? lr_xstrdup(s) : NULL; }

void lr_fleet_config_copy(struct lr_fleet_config *dst, const struct lr_fleet_config *src)
{
  *dst = *src;
  dst->url = dup_or_null(src->url);
  dst->host = dup_or_null(src->host);
  dst->unix_path = dup_or_null(src->unix_path);
  dst->user = dup_or_null(src->user);
  dst->password = dup_or_null(src->password);
  dst->share = src->share ? lr_argv_dup((const char *const *)src->share) : NULL;
  dst->count = src->count ? lr_argv_dup((const char *const *)src->count) : NULL;
}

static bool same(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

bool lr_fleet_config_same_link(const struct lr_fleet_config *a, const struct lr_fleet_config *b)
{
  return a->enabled == b->enabled && same(a->host, b->host) && a->port == b->port &&
         same(a->unix_path, b->unix_path) && same(a->user, b->user) &&
         same(a->password, b->password) && a->db == b->db && !strcmp(a->name, b->name) &&
         !strcmp(a->prefix, b->prefix);
}

static bool in_list(char *const *list, const char *s)
{
  for (size_t i = 0; list && list[i]; i++)
    if (!strcmp(list[i], "*") || (s && !strcmp(list[i], s)))
      return true;
  return false;
}

bool lr_fleet_config_shares(const struct lr_fleet_config *c, const char *origin)
{
  return c->enabled && in_list(c->share, origin);
}

bool lr_fleet_config_counts(const struct lr_fleet_config *c, const char *jail)
{
  return c->enabled && jail && in_list(c->count, jail);
}

bool lr_fleet_name_ok(const char *s, size_t n)
{
  if (n == 0 || n > LR_FLEET_NAME_MAX)
    return false;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '.' || ch == '_' || ch == '-'))
      return false;
  }
  return true;
}

static int hexval(char ch)
{
  return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
         : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* %XX-decoded copy of s[0..n), NULL when an escape is broken or decodes to NUL. */
static char *pct_decode(const char *s, size_t n)
{
  struct lr_buf b = {0};
  lr_buf_add(&b, "", 0);
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '%') {
      lr_buf_addc(&b, s[i]);
      continue;
    }
    int hi = i + 2 < n ? hexval(s[i + 1]) : -1, lo = i + 2 < n ? hexval(s[i + 2]) : -1;
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
      lr_buf_free(&b);
      return NULL;
    }
    lr_buf_addc(&b, (char)(hi * 16 + lo));
    i += 2;
  }
  return b.data;
}

/* redis://[[USER]:PASSWORD@]HOST[:PORT][/DB], [IPv6] hosts, or unix://PATH[?db=N] */
static int parse_url(struct lr_fleet_config *c, const char *url, char *err, size_t errlen)
{
  const char *rest;
  if (!strncmp(url, "rediss://", 9)) {
    snprintf(err, errlen, "setting 'fleet.redis': rediss:// (TLS) is not supported: Debian 12's "
                          "hiredis 0.14 has no TLS; use a private network, a VPN or a tunnel");
    return -1;
  }
  if (!strncmp(url, "unix://", 7)) {
    rest = url + 7;
    const char *q = strchr(rest, '?');
    size_t plen = q ? (size_t)(q - rest) : strlen(rest);
    if (plen == 0 || rest[0] != '/') {
      snprintf(err, errlen, "setting 'fleet.redis': '%s': unix:// needs an absolute path", url);
      return -1;
    }
    c->unix_path = lr_xstrndup(rest, plen);
    if (q) {
      char *end;
      long db = strncmp(q, "?db=", 4) ? -1 : strtol(q + 4, &end, 10);
      if (db < 0 || db > 1000 || *end) {
        snprintf(err, errlen, "setting 'fleet.redis': '%s': the only option is ?db=N", url);
        return -1;
      }
      c->db = (int)db;
    }
    c->url = lr_xstrdup(url);
    return 0;
  }
  if (strncmp(url, "redis://", 8) != 0) {
    snprintf(err, errlen, "setting 'fleet.redis': '%s' is not redis://HOST[:PORT][/DB] or "
                          "unix:///PATH", url);
    return -1;
  }
  rest = url + 8;
  const char *at = strrchr(rest, '@');
  struct lr_buf shown = {0};
  lr_buf_add(&shown, "redis://", 8);
  if (at) {
    const char *colon = memchr(rest, ':', (size_t)(at - rest));
    size_t ulen = colon ? (size_t)(colon - rest) : (size_t)(at - rest);
    if (ulen)
      c->user = pct_decode(rest, ulen);
    if (colon)
      c->password = pct_decode(colon + 1, (size_t)(at - colon - 1));
    if ((ulen && !c->user) || (colon && !c->password)) {
      snprintf(err, errlen, "setting 'fleet.redis': a broken %%-escape in the user or password");
      lr_buf_free(&shown);
      return -1;
    }
    if (c->user && !colon) { /* redis://secret@host: the password, as redis-cli reads it */
      c->password = c->user;
      c->user = NULL;
    }
    lr_buf_printf(&shown, "%s%s@", c->user ? c->user : "", c->password ? ":***" : "");
    rest = at + 1;
  }
  const char *hend;
  if (rest[0] == '[') {
    hend = strchr(rest, ']');
    if (!hend) {
      snprintf(err, errlen, "setting 'fleet.redis': '[' without ']'");
      lr_buf_free(&shown);
      return -1;
    }
    c->host = lr_xstrndup(rest + 1, (size_t)(hend - rest - 1));
    hend++;
  } else {
    hend = rest + strcspn(rest, ":/");
    c->host = lr_xstrndup(rest, (size_t)(hend - rest));
  }
  long port = 6379, db = 0;
  char *end = (char *)hend;
  if (*end == ':') {
    port = strtol(end + 1, &end, 10);
    if (port < 1 || port > 65535)
      port = -1;
  }
  if (port > 0 && *end == '/' && end[1]) {
    db = strtol(end + 1, &end, 10);
    if (db < 0 || db > 1000)
      port = -1;
  } else if (port > 0 && *end == '/') {
    end++;
  }
  if (!c->host[0] || port < 0 || *end) {
    snprintf(err, errlen, "setting 'fleet.redis': '%s' is not redis://[USER:PASSWORD@]HOST"
                          "[:PORT][/DB]", shown.data);
    lr_buf_free(&shown);
    return -1;
  }
  c->port = (int)port;
  c->db = (int)db;
  lr_buf_printf(&shown, "%s%s%s:%ld/%ld", strchr(c->host, ':') ? "[" : "", c->host,
                strchr(c->host, ':') ? "]" : "", port, db);
  c->url = shown.data;
  return 0;
}

static int parse_names(const json_t *v, const char *what, char ***out, char *err, size_t errlen)
{
  if (!json_is_array(v)) {
    snprintf(err, errlen, "setting 'fleet.%s' must be a list of jail names", what);
    return -1;
  }
  size_t n = json_array_size(v);
  char **list = lr_xcalloc(n + 1, sizeof(*list));
  for (size_t i = 0; i < n; i++) {
    const json_t *s = json_array_get(v, i);
    const char *name = json_string_value(s);
    if (!name || (!lr_fleet_name_ok(name, strlen(name)) && strcmp(name, "*") != 0)) {
      snprintf(err, errlen, "setting 'fleet.%s' item %zu must be a jail name ([A-Za-z0-9._-], "
                            "or \"*\")", what, i + 1);
      lr_argv_free(list);
      return -1;
    }
    list[i] = lr_xstrdup(name);
  }
  lr_argv_free(*out);
  *out = list;
  return 0;
}

int lr_fleet_config_parse(struct lr_fleet_config *c, const json_t *settings, char *err,
                          size_t errlen)
{
  const json_t *f = json_object_get(settings, "fleet");
  if (!f)
    return 0;
  if (!json_is_object(f)) {
    snprintf(err, errlen, "setting 'fleet' must be an object");
    return -1;
  }
  const char *key;
  const json_t *v;
  const json_t *redis = json_object_get(f, "redis");
  if (!json_is_string(redis)) {
    snprintf(err, errlen, "setting 'fleet.redis' is required: \"redis://HOST[:PORT][/DB]\"");
    return -1;
  }
  if (parse_url(c, json_string_value(redis), err, errlen) < 0)
    return -1;
  json_object_foreach((json_t *)f, key, v) {
    if (!strcmp(key, "redis"))
      continue;
    if (!strcmp(key, "name")) {
      const char *name = json_string_value(v);
      if (!name || !lr_fleet_name_ok(name, strlen(name))) {
        snprintf(err, errlen, "setting 'fleet.name' must be 1 to %d of [A-Za-z0-9._-]",
                 LR_FLEET_NAME_MAX);
        return -1;
      }
      snprintf(c->name, sizeof(c->name), "%s", name);
    } else if (!strcmp(key, "share")) {
      if (parse_names(v, "share", &c->share, err, errlen) < 0)
        return -1;
    } else if (!strcmp(key, "count")) {
      if (parse_names(v, "count", &c->count, err, errlen) < 0)
        return -1;
    } else if (!strcmp(key, "queueMax")) {
      json_int_t q = json_is_integer(v) ? json_integer_value(v) : -1;
      if (q < 1 || q > 10000000) {
        snprintf(err, errlen, "setting 'fleet.queueMax' must be an integer from 1 to 10000000");
        return -1;
      }
      c->queue_max = (unsigned)q;
    } else if (!strcmp(key, "prefix")) {
      const char *p = json_string_value(v);
      if (!p || !lr_fleet_name_ok(p, strlen(p)) || strlen(p) >= sizeof(c->prefix)) {
        snprintf(err, errlen, "setting 'fleet.prefix' must be 1 to 32 of [A-Za-z0-9._-]");
        return -1;
      }
      snprintf(c->prefix, sizeof(c->prefix), "%s", p);
    } else {
      snprintf(err, errlen, "setting 'fleet': unknown key '%s' (known: redis, name, share, "
                            "count, queueMax, prefix)", key);
      return -1;
    }
  }
  if (!c->name[0]) {
    char host[256] = "";
    gethostname(host, sizeof(host) - 1);
    size_t n = strcspn(host, ".");
    host[n] = '\0';
    if (!lr_fleet_name_ok(host, n)) {
      snprintf(err, errlen, "setting 'fleet.name' is needed: the hostname '%s' is not 1 to %d "
                            "of [A-Za-z0-9._-]", host, LR_FLEET_NAME_MAX);
      return -1;
    }
    snprintf(c->name, sizeof(c->name), "%s", host);
  }
  c->enabled = true;
  return 0;
}
