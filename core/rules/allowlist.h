/* The addresses luruse never counts nor bans: loopback, the host's own
 * addresses (read when the rules are loaded, so a reload sees new ones), and
 * the "allow" setting's networks. Built with the settings, swapped with them.
 *
 *   L.config { allow = { "192.0.2.0/24", "2001:db8::/32" } }
 *
 *   struct lr_allowlist a = {0};
 *   if (lr_allowlist_configure(&a, settings, err, sizeof(err)) < 0) ...
 *   if (lr_allowlist_contains(&a, &addr)) ... spared ...
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/ipnet.h"

struct lr_allowlist {
  struct lr_ipnet *nets;
  size_t n;
  size_t own; /* of which the host's own addresses and loopback (the first ones) */
};

/* Replaces a with loopback, this host's addresses and settings' "allow" (a
 * list of addresses or networks). -1 with err; a is then unchanged. */
int lr_allowlist_configure(struct lr_allowlist *a, const json_t *settings, char *err,
                           size_t errlen);
/* Adds networks (a jail's ignore list); -1 with err naming the bad one. */
int lr_allowlist_add_json(struct lr_allowlist *a, const json_t *list, const char *what, char *err,
                          size_t errlen);
bool lr_allowlist_contains(const struct lr_allowlist *a, const struct lr_ipaddr *addr);
void lr_allowlist_free(struct lr_allowlist *a);
