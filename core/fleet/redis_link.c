#include "fleet/redis_link.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* hiredis' libuv adapter: static functions in a header, for this file only */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <hiredis/adapters/libuv.h>
#pragma GCC diagnostic pop

#include "fleet/fleet_config.h"
#include "util/log.h"
#include "util/xalloc.h"

#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000
#define READY_WITHIN_MS 5000

struct lr_redis_link {
  uv_loop_t *loop;
  struct lr_fleet_config cfg;
  char *channel;
  struct lr_redis_link_callbacks cbs;
  void *ctx;
  redisAsyncContext *cmd, *sub; /* NULL when down (or being freed by hiredis) */
  bool cmd_ready, sub_ready, up, closing;
  uv_timer_t timer; /* the ready deadline while connecting, the next try while down */
  unsigned backoff_ms;
  char last_error[256];
  uint64_t connects;
};

static char auth_what[] = "AUTH", select_what[] = "SELECT";

struct pending {
  lr_redis_reply_fn *fn;
  void *priv;
};

static void connect_now(struct lr_redis_link *l);

static void on_retry(uv_timer_t *t) { connect_now(t->data); }

/* Both connections go (a context whose callback runs is freed by hiredis
 * after it), and the next try is scheduled. */
static void drop(redisAsyncContext *ac, const redisAsyncContext *running)
{
  if (!ac)
    return;
  if (ac == running)
    redisAsyncDisconnect(ac); /* hiredis frees it once its callback returns */
  else
    redisAsyncFree(ac); /* now: a dead peer's context would wait for replies for ever */
}

/* running: the context whose reply callback calls this (NULL: none). */
static void fail(struct lr_redis_link *l, const char *why, const redisAsyncContext *running)
{
  snprintf(l->last_error, sizeof(l->last_error), "%s", why);
  bool was_up = l->up;
  l->up = l->cmd_ready = l->sub_ready = false;
  redisAsyncContext *c = l->cmd, *s = l->sub;
  l->cmd = l->sub = NULL; /* their callbacks now see contexts that are not current */
  drop(c, running);
  drop(s, running);
  if (l->closing)
    return;
  if (was_up) {
    lr_log(LOG_WARNING, "fleet: lost Redis at %s: %s; local bans go on, what is to be "
                        "shared is queued", l->cfg.url, why);
    if (l->cbs.down)
      l->cbs.down(l->ctx, why);
  } else {
    lr_log(LOG_INFO, "fleet: cannot reach Redis at %s: %s (next try in %.1f s)", l->cfg.url, why,
           l->backoff_ms / 1000.0);
  }
  uv_timer_start(&l->timer, on_retry, l->backoff_ms, 0);
  l->backoff_ms = l->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : l->backoff_ms * 2;
}

static bool current(const struct lr_redis_link *l, const redisAsyncContext *ac)
{
  return ac && (ac == l->cmd || ac == l->sub);
}

static void maybe_up(struct lr_redis_link *l)
{
  if (l->up || !l->cmd_ready || !l->sub_ready)
    return;
  l->up = true;
  l->backoff_ms = BACKOFF_FIRST_MS;
  l->last_error[0] = '\0';
  l->connects++;
  uv_timer_stop(&l->timer);
  lr_log(LOG_NOTICE, "fleet: connected to Redis at %s as %s", l->cfg.url, l->cfg.name);
  if (l->cbs.ready)
    l->cbs.ready(l->ctx);
}

static void on_ready_deadline(uv_timer_t *t)
{
  struct lr_redis_link *l = t->data;
  if (!l->up)
    fail(l, "not ready within 5 s", NULL);
}

/* AUTH and SELECT: an error reply ends the attempt. */
static void on_setup_reply(redisAsyncContext *ac, void *r, void *priv)
{
  struct lr_redis_link *l = ac->data;
  redisReply *reply = r;
  if (!reply || !current(l, ac))
    return;
  if (reply->type == REDIS_REPLY_ERROR) {
    char why[300];
    snprintf(why, sizeof(why), "%s refused: %.200s", (const char *)priv, reply->str);
    fail(l, why, ac);
  }
}

static void on_ping(redisAsyncContext *ac, void *r, void *priv)
{
  (void)priv;
  struct lr_redis_link *l = ac->data;
  redisReply *reply = r;
  if (!reply || ac != l->cmd)
    return;
  if (reply->type == REDIS_REPLY_ERROR) {
    char why[300];
    snprintf(why, sizeof(why), "PING refused: %.200s", reply->str);
    fail(l, why, ac);
    return;
  }
  l->cmd_ready = true;
  maybe_up(l);
}

static void on_subscribed(redisAsyncContext *ac, void *r, void *priv)
{
  (void)priv;
  struct lr_redis_link *l = ac->data;
  redisReply *reply = r;
  if (!reply || ac != l->sub)
    return;
  if (reply->type == REDIS_REPLY_ERROR) {
    char why[300];
    snprintf(why, sizeof(why), "SUBSCRIBE refused: %.200s", reply->str);
    fail(l, why, ac);
    return;
  }
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3 ||
      reply->element[0]->type != REDIS_REPLY_STRING)
    return;
  const char *kind = reply->element[0]->str;
  if (!strcmp(kind, "subscribe")) {
    l->sub_ready = true;
    maybe_up(l);
  } else if (!strcmp(kind, "message") && reply->element[2]->type == REDIS_REPLY_STRING &&
             l->up && l->cbs.message) {
    l->cbs.message(l->ctx, reply->element[2]->str, reply->element[2]->len);
  }
}

static void on_connect(const redisAsyncContext *ac, int status)
{
  struct lr_redis_link *l = ac->data;
  if (status == REDIS_OK || !current(l, ac))
    return;
  /* hiredis frees ac after this callback */
  if (ac == l->cmd)
    l->cmd = NULL;
  else
    l->sub = NULL;
  fail(l, ac->errstr[0] ? ac->errstr : "cannot connect", NULL);
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
  struct lr_redis_link *l = ac->data;
  if (!current(l, ac))
    return;
  if (ac == l->cmd)
    l->cmd = NULL;
  else
    l->sub = NULL;
  fail(l, status == REDIS_OK ? "disconnected" : ac->errstr[0] ? ac->errstr : "connection lost",
       NULL);
}

static redisAsyncContext *start_one(struct lr_redis_link *l, char *why, size_t whylen)
{
  redisAsyncContext *ac = l->cfg.unix_path ? redisAsyncConnectUnix(l->cfg.unix_path)
                                           : redisAsyncConnect(l->cfg.host, l->cfg.port);
  if (!ac) {
    snprintf(why, whylen, "out of memory");
    return NULL;
  }
  if (ac->err) {
    snprintf(why, whylen, "%s", ac->errstr);
    redisAsyncFree(ac);
    return NULL;
  }
  ac->data = l;
  if (redisLibuvAttach(ac, l->loop) != REDIS_OK) {
    snprintf(why, whylen, "cannot attach to the event loop");
    redisAsyncFree(ac);
    return NULL;
  }
  redisAsyncSetConnectCallback(ac, on_connect);
  redisAsyncSetDisconnectCallback(ac, on_disconnect);
  if (l->cfg.password) {
    if (l->cfg.user)
      redisAsyncCommand(ac, on_setup_reply, auth_what, "AUTH %s %s", l->cfg.user, l->cfg.password);
    else
      redisAsyncCommand(ac, on_setup_reply, auth_what, "AUTH %s", l->cfg.password);
  }
  return ac;
}

static void connect_now(struct lr_redis_link *l)
{
  char why[256];
  uv_timer_start(&l->timer, on_ready_deadline, READY_WITHIN_MS, 0);
  if (!(l->cmd = start_one(l, why, sizeof(why)))) {
    fail(l, why, NULL);
    return;
  }
  if (l->cfg.db)
    redisAsyncCommand(l->cmd, on_setup_reply, select_what, "SELECT %d", l->cfg.db);
  redisAsyncCommand(l->cmd, on_ping, NULL, "PING");
  if (!(l->sub = start_one(l, why, sizeof(why)))) {
    fail(l, why, NULL);
    return;
  }
  redisAsyncCommand(l->sub, on_subscribed, NULL, "SUBSCRIBE %s", l->channel);
}

struct lr_redis_link *lr_redis_link_open(uv_loop_t *loop, const struct lr_fleet_config *cfg,
                                         const char *channel,
                                         const struct lr_redis_link_callbacks *cbs, void *ctx)
{
  struct lr_redis_link *l = lr_xcalloc(1, sizeof(*l));
  l->loop = loop;
  lr_fleet_config_copy(&l->cfg, cfg);
  l->channel = lr_xstrdup(channel);
  l->cbs = *cbs;
  l->ctx = ctx;
  l->backoff_ms = BACKOFF_FIRST_MS;
  uv_timer_init(loop, &l->timer);
  l->timer.data = l;
  connect_now(l);
  return l;
}

static void free_link(uv_handle_t *h)
{
  struct lr_redis_link *l = h->data;
  lr_fleet_config_free(&l->cfg);
  free(l->channel);
  free(l);
}

void lr_redis_link_close(struct lr_redis_link *l)
{
  if (!l)
    return;
  l->closing = true;
  redisAsyncContext *c = l->cmd, *s = l->sub;
  l->cmd = l->sub = NULL;
  l->up = false;
  /* now, not after pending replies: their callbacks get NULL */
  if (c)
    redisAsyncFree(c);
  if (s)
    redisAsyncFree(s);
  uv_timer_stop(&l->timer);
  uv_close((uv_handle_t *)&l->timer, free_link);
}

bool lr_redis_link_ready(const struct lr_redis_link *l) { return l && l->up; }

static void on_reply(redisAsyncContext *ac, void *reply, void *priv)
{
  (void)ac;
  struct pending *p = priv;
  if (p->fn)
    p->fn(p->priv, reply);
  free(p);
}

int lr_redis_link_command(struct lr_redis_link *l, lr_redis_reply_fn *fn, void *priv, int argc,
                          const char **argv, const size_t *lens)
{
  if (!l || !l->up || !l->cmd)
    return -1;
  struct pending *p = lr_xmalloc(sizeof(*p));
  *p = (struct pending){fn, priv};
  if (redisAsyncCommandArgv(l->cmd, on_reply, p, argc, argv, lens) != REDIS_OK) {
    free(p);
    return -1;
  }
  return 0;
}

const char *lr_redis_link_last_error(const struct lr_redis_link *l) { return l->last_error; }

uint64_t lr_redis_link_connects(const struct lr_redis_link *l) { return l->connects; }
