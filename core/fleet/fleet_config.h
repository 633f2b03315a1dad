/* The "fleet" setting: bans (and, for some jails, failures) shared with the
 * other luruse hosts through Redis (docs/fleet.md).
 *
 *   "fleet": {"redis": "redis://luruse:secret@10.0.0.5:6379/0",  or unix:///run/redis/redis.sock
 *             "name": "web1",               this host in messages (default: its hostname)
 *             "share": ["sshd", "dovecot"], jails whose bans are shared; "manual": luruse ban;
 *                                           "*": every ban, ban steps' included
 *             "count": ["sshd"],            jails whose failures are counted fleet-wide
 *             "queueMax": 10000,            bans and failures kept while Redis is away
 *             "prefix": "luruse"}           of the keys and the channel
 *
 *   struct lr_fleet_config c; lr_fleet_config_init(&c);
 *   if (lr_fleet_config_parse(&c, settings, err, sizeof(err)) < 0) ...   // absent: c.enabled false
 *   lr_fleet_config_free(&c);
 *
 * TLS (rediss://) is refused: Debian 12's hiredis 0.14 has none. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define LR_FLEET_NAME_MAX 64
#define LR_FLEET_DEFAULT_QUEUE 10000

struct lr_fleet_config {
  bool enabled;
  char *url;      /* as written, password hidden: "redis://luruse:***@10.0.0.5:6379/0" */
  char *host;     /* NULL with a Unix socket */
  int port;
  char *unix_path;
  char *user, *password; /* NULL: none (AUTH password alone when user is NULL) */
  int db;
  char name[LR_FLEET_NAME_MAX + 1];
  char **share;  /* NULL-terminated */
  char **count;  /* NULL-terminated */
  unsigned queue_max;
  char prefix[33];
};

void lr_fleet_config_init(struct lr_fleet_config *c);
int lr_fleet_config_parse(struct lr_fleet_config *c, const json_t *settings, char *err,
                          size_t errlen);
void lr_fleet_config_copy(struct lr_fleet_config *dst, const struct lr_fleet_config *src);
void lr_fleet_config_free(struct lr_fleet_config *c);
/* Same server, same credentials, same name: the link can stay up. */
bool lr_fleet_config_same_link(const struct lr_fleet_config *a, const struct lr_fleet_config *b);
/* Whether a ban of this origin (a jail's name, "manual", NULL for a ban step)
 * is shared; whether a jail's failures are counted fleet-wide. */
bool lr_fleet_config_shares(const struct lr_fleet_config *c, const char *origin);
bool lr_fleet_config_counts(const struct lr_fleet_config *c, const char *jail);
/* A host or jail name as messages carry it: 1-64 of [A-Za-z0-9._-]. */
bool lr_fleet_name_ok(const char *s, size_t n);
