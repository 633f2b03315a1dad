/* Fleet mode: the bans of this host shared with the other luruse hosts, and
 * theirs applied here, through Redis (fleet_config.h for the setting,
 * docs/fleet.md for the setup).
 *
 * - A ban recorded here (a jail's, "manual", a ban step's: see share) is
 *   written to Redis as the key PREFIX:ban:BACKEND:SET:ADDR with the ban's
 *   time to live and its message as value (fleet_msg.h), and published on
 *   PREFIX:bans; an unban deletes the key and is published too.
 * - Each message received, and each key read when the link comes up (SCAN,
 *   in batches, after subscribing: nothing published meanwhile is missed), is
 *   checked (fleet_msg.h), then applied to this host's firewall through
 *   lr_bans, recorded like a ban of its own (so it survives a restart while
 *   Redis is away): only into a set this host's rules use, never for an
 *   allowlisted address, never shortening a longer ban here.
 * - What is to be published while Redis is away waits in a queue (queueMax,
 *   the oldest dropped and logged) and goes out when the link is back.
 * Every Redis call is asynchronous on the libuv loop (redis_link.h).
 *
 *   struct lr_fleet *f = lr_fleet_open(loop, bans);
 *   lr_fleet_configure(f, &settings.fleet, sets, nsets, "luruse", spared, ctx); // start, reload
 *   json_t *st = lr_fleet_status(f);    // luruse status
 *   lr_fleet_close(f);
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "defence/ban_store.h"
#include "defence/ban_target.h"
#include "fleet/fleet_config.h"

struct lr_bans;
struct lr_fleet;

/* A set this host's rules ban into: bans received for other sets are refused. */
struct lr_fleet_set {
  enum lr_ban_backend backend;
  const char *name;
};

/* true when the address must never be banned here (the allowlist). */
typedef bool lr_fleet_spared_fn(void *ctx, const struct lr_ban_target *t);

struct lr_fleet *lr_fleet_open(uv_loop_t *loop, struct lr_bans *bans);
/* own_table: luruse's own table (bans.table; NULL or "": none), whose sets
 * take the fleet's bans even on a host whose rules ban nothing themselves.
 * cfg disabled: the link closes (the queue is kept for a later link). A
 * change of server, credentials, name or prefix makes a new link. The sets
 * and cfg are copied. */
void lr_fleet_configure(struct lr_fleet *f, const struct lr_fleet_config *cfg,
                        const struct lr_fleet_set *sets, size_t nsets, const char *own_table,
                        lr_fleet_spared_fn *spared, void *spared_ctx);
/* Fleet-wide counting (the "count" setting): a failure seen here is added in
 * Redis to the address's count for the jail (a key per address and tenth of
 * findtime, summed over findtime by a small Lua script run by Redis, one
 * round trip). The host whose failure brings the fleet's count to maxretry
 * bans, with the ban its jail would make (the plan below), and shares it as
 * the jail's. Local counting goes on beside it; Redis away, failures are not
 * counted fleet-wide (they are stale by the time it is back). */
struct lr_fleet_failure {
  const char *jail;
  const struct lr_ban_target *target;
  unsigned count;             /* failures in this entry */
  long long find_s, max_retry;
  /* the ban to make at the fleet's threshold */
  enum lr_ban_backend backend;
  const char *set;
  unsigned ban_seconds;       /* 0: for ever */
  long nth;                   /* which ban of this address this would be */
  long long forget_s;
};
bool lr_fleet_counts(const struct lr_fleet *f, const char *jail);
void lr_fleet_count_failure(struct lr_fleet *f, const struct lr_fleet_failure *ff);

/* The link's state and figures; NULL when fleet mode is off. */
json_t *lr_fleet_status(const struct lr_fleet *f);
void lr_fleet_close(struct lr_fleet *f);
