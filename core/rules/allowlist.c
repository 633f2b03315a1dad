#include "rules/allowlist.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static void add(struct lr_allowlist *a, const struct lr_ipnet *net)
{
  for (size_t i = 0; i < a->n; i++)
    if (a->nets[i].prefix == net->prefix && !memcmp(&a->nets[i].addr, &net->addr, sizeof(net->addr)))
      return;
  a->nets = lr_xreallocarray(a->nets, a->n + 1, sizeof(*a->nets));
  a->nets[a->n++] = *net;
}

static void add_text(struct lr_allowlist *a, const char *s)
{
  struct lr_ipnet net;
  char err[128];
  if (lr_ipnet_parse(s, &net, err, sizeof(err)) == 0)
    add(a, &net);
}

/* Every address of every interface, as a single address. */
static void add_own(struct lr_allowlist *a)
{
  add_text(a, "127.0.0.0/8");
  add_text(a, "::1");
  struct ifaddrs *ifs;
  if (getifaddrs(&ifs) < 0)
    return;
  for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
    if (!i->ifa_addr)
      continue;
    struct lr_ipnet net = {0};
    if (i->ifa_addr->sa_family == AF_INET) {
      net.addr.family = AF_INET;
      memcpy(net.addr.bytes, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, 4);
      net.prefix = 32;
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      net.addr.family = AF_INET6;
      memcpy(net.addr.bytes, &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr, 16);
      net.prefix = 128;
    } else {
      continue;
    }
    add(a, &net);
  }
  freeifaddrs(ifs);
}

int lr_allowlist_add_json(struct lr_allowlist *a, const json_t *list, const char *what, char *err,
                          size_t errlen)
{
  if (!list)
    return 0;
  if (!json_is_array(list)) {
    snprintf(err, errlen, "%s must be a list of addresses or networks", what);
    return -1;
  }
  size_t i;
  const json_t *v;
  json_array_foreach(list, i, v) {
    struct lr_ipnet net;
    char why[256];
    if (!json_is_string(v) || lr_ipnet_parse(json_string_value(v), &net, why, sizeof(why)) < 0) {
      snprintf(err, errlen, "%s item %zu: %s", what, i + 1,
               json_is_string(v) ? why : "not a string");
      return -1;
    }
    add(a, &net);
  }
  return 0;
}

int lr_allowlist_configure(struct lr_allowlist *a, const json_t *settings, char *err,
                           size_t errlen)
{
  struct lr_allowlist built = {0};
  add_own(&built);
  built.own = built.n;
  if (lr_allowlist_add_json(&built, json_object_get(settings, "allow"), "setting 'allow'", err,
                            errlen) < 0) {
    lr_allowlist_free(&built);
    return -1;
  }
  lr_allowlist_free(a);
  *a = built;
  return 0;
}

bool lr_allowlist_contains(const struct lr_allowlist *a, const struct lr_ipaddr *addr)
{
  for (size_t i = 0; i < a->n; i++)
    if (lr_ipnet_contains(&a->nets[i], addr))
      return true;
  return false;
}

void lr_allowlist_free(struct lr_allowlist *a)
{
  free(a->nets);
  a->nets = NULL;
  a->n = a->own = 0;
}
