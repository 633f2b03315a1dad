/* The fleet's link to Redis on the libuv loop (hiredis' async API and its
 * libuv adapter): two connections, one for commands and one subscribed to
 * the fleet's channel, authenticated (AUTH [user] password) and on the
 * configured database. Never blocks: when either connection fails, both are
 * dropped and made again after a delay that doubles from 0.5 s to 30 s; a
 * connection that is not ready within 5 s counts as failed.
 *
 *   struct lr_redis_link *l = lr_redis_link_open(loop, &cfg, "luruse:bans", &cbs, ctx);
 *   if (lr_redis_link_ready(l)) lr_redis_link_command(l, on_reply, priv, argc, argv, lens);
 *   lr_redis_link_close(l);
 *
 * cbs.ready runs each time both connections are up (first start and every
 * reconnection: the caller resynchronises then); cbs.message gets each
 * message published on the channel; cbs.down when the link is lost.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct lr_fleet_config;
struct lr_redis_link;
struct redisAsyncContext;

struct lr_redis_link_callbacks {
  void (*ready)(void *ctx);
  void (*message)(void *ctx, const char *payload, size_t len);
  void (*down)(void *ctx, const char *why);
};

/* reply: a redisReply, NULL when the link went down before the answer. */
typedef void lr_redis_reply_fn(void *ctx, void *reply);

struct lr_redis_link *lr_redis_link_open(uv_loop_t *loop, const struct lr_fleet_config *cfg,
                                         const char *channel,
                                         const struct lr_redis_link_callbacks *cbs, void *ctx);
void lr_redis_link_close(struct lr_redis_link *l);
bool lr_redis_link_ready(const struct lr_redis_link *l);
/* Sends a command (the argv is copied by hiredis); fn (may be NULL) gets its
 * reply. -1 when the link is not ready. */
int lr_redis_link_command(struct lr_redis_link *l, lr_redis_reply_fn *fn, void *priv, int argc,
                          const char **argv, const size_t *lens);
/* Why the link last failed ("" when it never did), reconnections made. */
const char *lr_redis_link_last_error(const struct lr_redis_link *l);
uint64_t lr_redis_link_connects(const struct lr_redis_link *l);
