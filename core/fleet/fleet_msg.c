#include "fleet/fleet_msg.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/errmsg.h"
#include "util/log.h"
#include "util/xalloc.h"

char *lr_fleet_msg_format(const struct lr_fleet_msg *m)
{
  json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "v", 1, "op",
                        m->op == LR_FLEET_BAN ? "ban" : "unban", "host", m->host, "jail",
                        m->jail, "backend", lr_ban_backend_name(m->backend), "set", m->set,
                        "addr", m->target.text);
  if (m->op == LR_FLEET_BAN)
    json_object_set_new(o, "until", json_integer((json_int_t)m->until_s));
  if (m->at_usec)
    json_object_set_new(o, "at", json_integer((json_int_t)m->at_usec));
  char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(o);
  if (!s)
    lr_fatal("out of memory formatting a fleet message");
  return s;
}

char *lr_fleet_ban_key(const char *prefix, enum lr_ban_backend backend, const char *set,
                       const char *addr)
{
  return lr_xasprintf("%s:ban:%s:%s:%s", prefix, lr_ban_backend_name(backend), set, addr);
}

int lr_fleet_addr_parse(const char *s, size_t n, struct lr_ban_target *t, char *why,
                        size_t whylen)
{
  return lr_ban_target_from_text(s, n, t, why, whylen);
}

static int name_field(const json_t *o, const char *key, bool empty_ok, char *out, size_t outlen,
                      char *why, size_t whylen)
{
  const json_t *v = json_object_get(o, key);
  const char *s = json_string_value(v);
  size_t n = s ? json_string_length(v) : 0;
  if (!s || (n == 0 && !empty_ok) || (n && !lr_fleet_name_ok(s, n)) || n >= outlen) {
    snprintf(why, whylen, "\"%s\" is not a name of [A-Za-z0-9._-]", key);
    return -1;
  }
  memcpy(out, s, n + 1);
  return 0;
}

int lr_fleet_msg_parse(const char *text, size_t len, struct lr_fleet_msg *out, char *why,
                       size_t whylen)
{
  memset(out, 0, sizeof(*out));
  if (len > LR_FLEET_MSG_MAX) {
    snprintf(why, whylen, "%zu bytes, more than %d", len, LR_FLEET_MSG_MAX);
    return -1;
  }
  json_error_t jerr;
  json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  int rc = -1;
  const char *op, *backend, *set, *addr;
  if (!json_is_object(o)) {
    snprintf(why, whylen, "not a JSON object");
    goto out;
  }
  const char *key;
  const json_t *v;
  json_object_foreach(o, key, v)
    if (strcmp(key, "v") && strcmp(key, "op") && strcmp(key, "host") && strcmp(key, "jail") &&
        strcmp(key, "backend") && strcmp(key, "set") && strcmp(key, "addr") &&
        strcmp(key, "until") && strcmp(key, "at")) {
      snprintf(why, whylen, "unknown key");
      goto out;
    }
  if (json_integer_value(json_object_get(o, "v")) != 1 || !json_is_integer(json_object_get(o, "v"))) {
    snprintf(why, whylen, "not version 1");
    goto out;
  }
  op = json_string_value(json_object_get(o, "op"));
  if (!op || (strcmp(op, "ban") && strcmp(op, "unban"))) {
    snprintf(why, whylen, "\"op\" is neither ban nor unban");
    goto out;
  }
  out->op = !strcmp(op, "ban") ? LR_FLEET_BAN : LR_FLEET_UNBAN;
  if (name_field(o, "host", false, out->host, sizeof(out->host), why, whylen) < 0 ||
      name_field(o, "jail", true, out->jail, sizeof(out->jail), why, whylen) < 0)
    goto out;
  backend = json_string_value(json_object_get(o, "backend"));
  if (!backend || lr_ban_backend_parse(backend, &out->backend) < 0) {
    snprintf(why, whylen, "\"backend\" is neither nft nor ipset");
    goto out;
  }
  set = json_string_value(json_object_get(o, "set"));
  if (!set || strlen(set) >= sizeof(out->set) ||
      (out->backend == LR_BAN_NFT ? lr_ban_nft_set_parse(set, why, whylen)
                                  : lr_ban_ipset_name_check(set, why, whylen)) < 0) {
    if (!set || strlen(set) >= sizeof(out->set))
      snprintf(why, whylen, "\"set\" is not a set");
    goto out;
  }
  snprintf(out->set, sizeof(out->set), "%s", set);
  addr = json_string_value(json_object_get(o, "addr"));
  if (!addr || lr_fleet_addr_parse(addr, json_string_length(json_object_get(o, "addr")),
                                   &out->target, why, whylen) < 0) {
    if (!addr)
      snprintf(why, whylen, "no \"addr\"");
    goto out;
  }
  if (out->backend == LR_BAN_NFT && !lr_ban_nft_family_holds(out->set, out->target.family != AF_INET)) {
    snprintf(why, whylen, "an %s address for the set '%s'",
             out->target.family == AF_INET ? "IPv4" : "IPv6", out->set);
    goto out;
  }
  const json_t *until = json_object_get(o, "until");
  if (out->op == LR_FLEET_BAN) {
    if (!json_is_integer(until) || json_integer_value(until) < 0 ||
        json_integer_value(until) > 253402300799) { /* 9999-12-31 */
      snprintf(why, whylen, "\"until\" is not a time in seconds");
      goto out;
    }
    out->until_s = json_integer_value(until);
  } else if (until) {
    snprintf(why, whylen, "an unban has no \"until\"");
    goto out;
  }
  const json_t *at = json_object_get(o, "at");
  if (at && (!json_is_integer(at) || json_integer_value(at) < 0 ||
             json_integer_value(at) > 253402300799000000)) {
    snprintf(why, whylen, "\"at\" is not a time in microseconds");
    goto out;
  }
  out->at_usec = at ? json_integer_value(at) : 0;
  rc = 0;
out:
  json_decref(o);
  if (rc < 0) {
    char reason[LR_ERR_MAX];
    snprintf(reason, sizeof(reason), "%s", why);
    memset(out, 0, sizeof(*out));
    snprintf(why, whylen, "%s", reason);
  }
  return rc;
}
