#include "fleet/fleet.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "defence/bans.h"
#include "defence/nft_table.h"
#include "fleet/fleet_msg.h"
#include "fleet/redis_link.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/errmsg.h"
#include "util/latency.h"
#include "util/log.h"
#include "util/xalloc.h"

#define SCAN_COUNT "5000"
#define HOSTS_MAX 64        /* bans received are counted per origin host up to this */
#define LOG_EVERY_USEC 60000000 /* refusals and drops: one line a minute */

/* One thing to publish: a ban (SET with its TTL, PUBLISH) or an unban (DEL, PUBLISH). */
struct outgoing {
  bool unban;
  char *key, *value;
  int64_t until_usec; /* bans: 0 permanent */
};

struct host_count {
  char name[LR_FLEET_NAME_MAX + 1];
  uint64_t bans;
};

/* A refusal or a drop said once a minute, with how many since. */
struct quiet_log {
  int64_t at;
  uint64_t since;
};

struct lr_fleet {
  uv_loop_t *loop;
  struct lr_bans *bans;
  struct lr_fleet_config cfg;
  struct lr_fleet_set *sets;
  size_t nsets;
  char own_table[LR_BAN_TABLE_NAME_MAX + 1];
  lr_fleet_spared_fn *spared;
  void *spared_ctx;
  struct lr_redis_link *link;
  char *channel;
  /* the queue: a ring of cfg.queue_max at most */
  struct outgoing *q;
  size_t qhead, qlen, qcap;
  /* resynchronisation in progress: its start and the keys read so far */
  bool resyncing;
  int64_t resync_started;
  uint64_t resync_keys, resync_applied;
  /* figures */
  uint64_t published, publish_errors, dropped, received, applied, refused, spared_count;
  uint64_t resyncs, last_resync_keys, last_resync_ms;
  uint64_t counted, fleet_bans; /* fleet-wide counting: failures counted, bans made here */
  struct lr_latency latency;    /* of the bans received as messages: publish to here */
  struct host_count hosts[HOSTS_MAX];
  size_t nhosts;
  uint64_t other_hosts;
  char last_refusal[256];
  struct quiet_log refusal_log, drop_log, error_log;
};

/* ------------------------------------------------------------------ helpers */

static bool quiet_log_due(struct quiet_log *ql)
{
  int64_t now = lr_wall_usec();
  ql->since++;
  if (ql->at && now - ql->at < LOG_EVERY_USEC)
    return false;
  ql->at = now;
  return true;
}

static void refuse(struct lr_fleet *f, const char *what, const char *text, size_t len,
                   const char *why)
{
  f->refused++;
  snprintf(f->last_refusal, sizeof(f->last_refusal), "%s", why);
  if (!quiet_log_due(&f->refusal_log))
    return;
  struct lr_buf q = {0};
  lr_ban_escape_for_log(&q, text, len);
  lr_log(LOG_WARNING, "fleet: %s refused: %s: \"%s\" (%llu refused in the last minute)", what,
         why, q.data ? q.data : "", (unsigned long long)f->refusal_log.since);
  f->refusal_log.since = 0;
  lr_buf_free(&q);
}

static bool set_known(const struct lr_fleet *f, enum lr_ban_backend backend, const char *set)
{
  size_t tl = strlen(f->own_table);
  if (backend == LR_BAN_NFT && tl && !strncmp(set, "inet ", 5) &&
      !strncmp(set + 5, f->own_table, tl) && set[5 + tl] == ' ' &&
      lr_nft_table_has_set(set + 6 + tl))
    return true;
  for (size_t i = 0; i < f->nsets; i++)
    if (f->sets[i].backend == backend && !strcmp(f->sets[i].name, set))
      return true;
  return false;
}

static void count_host(struct lr_fleet *f, const char *host)
{
  for (size_t i = 0; i < f->nhosts; i++)
    if (!strcmp(f->hosts[i].name, host)) {
      f->hosts[i].bans++;
      return;
    }
  if (f->nhosts == HOSTS_MAX) {
    f->other_hosts++;
    return;
  }
  snprintf(f->hosts[f->nhosts].name, sizeof(f->hosts[0].name), "%s", host);
  f->hosts[f->nhosts++].bans = 1;
}

/* ------------------------------------------------------------------ receiving */

/* A ban or unban from another host (a message, or a key's value at resync). */
static void apply(struct lr_fleet *f, const char *text, size_t len, const char *what)
{
  struct lr_fleet_msg m;
  char why[LR_ERR_MAX];
  f->received++;
  if (lr_fleet_msg_parse(text, len, &m, why, sizeof(why)) < 0) {
    refuse(f, what, text, len, why);
    return;
  }
  if (!strcmp(m.host, f->cfg.name))
    return; /* our own, back from the channel or the keys */
  if (!set_known(f, m.backend, m.set)) {
    snprintf(why, sizeof(why), "the set %s '%s' is not one this host's rules ban into",
             lr_ban_backend_name(m.backend), m.set);
    refuse(f, what, text, len, why);
    return;
  }
  if (m.op == LR_FLEET_UNBAN) {
    char err[LR_ERR_MAX];
    int n = lr_bans_remove_flags(f->bans, m.target.text, LR_BAN_UNOBSERVED, NULL, NULL, err,
                                 sizeof(err));
    if (n < 0)
      lr_log(LOG_WARNING, "fleet: unban of %s from %s: %s", m.target.text, m.host, err);
    else if (n > 0)
      lr_log(LOG_INFO, "fleet: %s unbanned by %s", m.target.text, m.host);
    return;
  }
  if (f->spared && f->spared(f->spared_ctx, &m.target)) {
    f->spared_count++;
    snprintf(why, sizeof(why), "%s is allowlisted here", m.target.text);
    refuse(f, what, text, len, why);
    return;
  }
  int64_t now = lr_wall_usec(), until = m.until_s * 1000000, mine = 0;
  if (until != 0 && until <= now)
    return; /* over already */
  int have = lr_bans_lookup(f->bans, m.backend, m.set, m.target.text, now, &mine);
  if (have == 1 && (mine == 0 || (until != 0 && mine >= until)))
    return; /* in force here at least as long */
  unsigned seconds = until ? lr_bans_remaining_s(until, now) : 0;
  struct lr_ban_request rq = {.flags = LR_BAN_KEEP_LONGER | LR_BAN_UNOBSERVED, .origin = m.jail};
  char err[LR_ERR_MAX];
  if (lr_bans_add_ex(f->bans, m.backend, m.set, &m.target, seconds, now, &rq, err,
                     sizeof(err)) < 0) {
    refuse(f, what, text, len, err);
    return;
  }
  f->applied++;
  count_host(f, m.host);
  if (m.at_usec && !strcmp(what, "message"))
    lr_latency_add(&f->latency, lr_wall_usec() - m.at_usec);
  if (f->resyncing)
    f->resync_applied++;
  else {
    char how_long[32] = "for ever";
    if (seconds)
      snprintf(how_long, sizeof(how_long), "for %u s", seconds);
    lr_log(LOG_INFO, "fleet: banned %s in %s %s %s (from %s, %s)", m.target.text,
           lr_ban_backend_name(m.backend), m.set, how_long, m.host,
           m.jail[0] ? m.jail : "a ban step");
  }
}

static void on_message(void *ctx, const char *payload, size_t len)
{
  apply(ctx, payload, len, "message");
}

/* ------------------------------------------------------------------ resync
 *
 * When the link comes up (subscribed already): SCAN the ban keys, MGET each
 * batch, apply each value, until SCAN's cursor is back at "0". A reply of
 * NULL (the link went down) ends it; the next link starts over. Closing the
 * link calls the pending replies with NULL before the fleet is freed. */

struct scan_batch {
  struct lr_fleet *f;
  char cursor[32]; /* SCAN's answer: "0" when this batch is the last */
};

static void scan(struct lr_fleet *f, const char *cursor);

static void resync_done(struct lr_fleet *f)
{
  f->resyncing = false;
  f->resyncs++;
  f->last_resync_keys = f->resync_keys;
  f->last_resync_ms = (uint64_t)((lr_wall_usec() - f->resync_started) / 1000);
  lr_log(LOG_NOTICE, "fleet: resynchronised from Redis: %llu ban keys read, %llu applied here, "
                     "in %llu ms", (unsigned long long)f->resync_keys,
         (unsigned long long)f->resync_applied, (unsigned long long)f->last_resync_ms);
}

static void batch_next(struct scan_batch *b)
{
  if (!strcmp(b->cursor, "0"))
    resync_done(b->f);
  else
    scan(b->f, b->cursor);
  free(b);
}

static void on_mget(void *ctx, void *r)
{
  struct scan_batch *b = ctx;
  redisReply *reply = r;
  if (!reply || reply->type != REDIS_REPLY_ARRAY) {
    b->f->resyncing = false;
    free(b);
    return;
  }
  lr_bans_batch_begin(b->f->bans); /* a transaction per 256 bans, not one per ban */
  for (size_t i = 0; i < reply->elements; i++)
    if (reply->element[i]->type == REDIS_REPLY_STRING) /* NIL: expired since the SCAN */
      apply(b->f, reply->element[i]->str, reply->element[i]->len, "key");
  lr_bans_batch_end(b->f->bans);
  batch_next(b);
}

static void on_scan(void *ctx, void *r)
{
  struct scan_batch *b = ctx;
  struct lr_fleet *f = b->f;
  redisReply *reply = r;
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
      reply->element[0]->type != REDIS_REPLY_STRING ||
      reply->element[1]->type != REDIS_REPLY_ARRAY) {
    if (reply && reply->type == REDIS_REPLY_ERROR)
      lr_log(LOG_WARNING, "fleet: SCAN refused: %s", reply->str);
    f->resyncing = false;
    free(b);
    return;
  }
  redisReply *keys = reply->element[1];
  snprintf(b->cursor, sizeof(b->cursor), "%.31s", reply->element[0]->str);
  f->resync_keys += keys->elements;
  if (keys->elements == 0) {
    batch_next(b);
    return;
  }
  const char **argv = lr_xcalloc(keys->elements + 1, sizeof(*argv));
  size_t *lens = lr_xcalloc(keys->elements + 1, sizeof(*lens));
  argv[0] = "MGET";
  lens[0] = 4;
  for (size_t i = 0; i < keys->elements; i++) {
    argv[i + 1] = keys->element[i]->str;
    lens[i + 1] = keys->element[i]->len;
  }
  if (lr_redis_link_command(f->link, on_mget, b, (int)keys->elements + 1, argv, lens) < 0) {
    f->resyncing = false;
    free(b);
  }
  free(argv);
  free(lens);
}

static void scan(struct lr_fleet *f, const char *cursor)
{
  struct scan_batch *b = lr_xcalloc(1, sizeof(*b));
  b->f = f;
  char match[64];
  snprintf(match, sizeof(match), "%s:ban:*", f->cfg.prefix);
  const char *argv[] = {"SCAN", cursor, "MATCH", match, "COUNT", SCAN_COUNT};
  size_t lens[] = {4, strlen(cursor), 5, strlen(match), 5, strlen(SCAN_COUNT)};
  if (lr_redis_link_command(f->link, on_scan, b, 6, argv, lens) < 0) {
    f->resyncing = false;
    free(b);
  }
}

static void resync_start(struct lr_fleet *f)
{
  f->resyncing = true;
  f->resync_started = lr_wall_usec();
  f->resync_keys = f->resync_applied = 0;
  scan(f, "0");
}

/* ------------------------------------------------------------------ publishing */

static void outgoing_free(struct outgoing *o)
{
  free(o->key);
  free(o->value);
}

static void enqueue(struct lr_fleet *f, struct outgoing o)
{
  size_t max = f->cfg.queue_max ? f->cfg.queue_max : LR_FLEET_DEFAULT_QUEUE;
  if (f->qlen == max) { /* the oldest goes */
    outgoing_free(&f->q[f->qhead]);
    f->qhead = (f->qhead + 1) % f->qcap;
    f->qlen--;
    f->dropped++;
    if (quiet_log_due(&f->drop_log)) {
      lr_log(LOG_WARNING, "fleet: Redis away and %zu bans waiting: the oldest dropped "
                          "(%llu in the last minute); they stay in force here", max,
             (unsigned long long)f->drop_log.since);
      f->drop_log.since = 0;
    }
  }
  if (f->qlen == f->qcap) { /* grow, unrolling the ring */
    size_t cap = f->qcap ? f->qcap * 2 : 64;
    if (cap > max)
      cap = max;
    struct outgoing *q = lr_xcalloc(cap, sizeof(*q));
    for (size_t i = 0; i < f->qlen; i++)
      q[i] = f->q[(f->qhead + i) % f->qcap];
    free(f->q);
    f->q = q;
    f->qcap = cap;
    f->qhead = 0;
  }
  f->q[(f->qhead + f->qlen) % f->qcap] = o;
  f->qlen++;
}

struct inflight {
  struct lr_fleet *f;
  struct outgoing o;
};

static void send_now(struct lr_fleet *f, struct outgoing o);

/* The PUBLISH's reply (sent after the SET or DEL): NULL, the link went down
 * before it was known to be done, so it is sent again on the next link. */
static void on_published(void *ctx, void *r)
{
  struct inflight *in = ctx;
  redisReply *reply = r;
  struct lr_fleet *f = in->f;
  if (!reply) {
    enqueue(f, in->o);
    free(in);
    return;
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    f->publish_errors++;
    if (quiet_log_due(&f->error_log)) {
      lr_log(LOG_WARNING, "fleet: Redis refused to publish %s: %s", in->o.key, reply->str);
      f->error_log.since = 0;
    }
  } else {
    f->published++;
  }
  outgoing_free(&in->o);
  free(in);
}

static void send_now(struct lr_fleet *f, struct outgoing o)
{
  int64_t now = lr_wall_usec();
  if (!o.unban && o.until_usec && o.until_usec <= now) { /* over while it waited */
    outgoing_free(&o);
    return;
  }
  if (!lr_redis_link_ready(f->link)) {
    enqueue(f, o);
    return;
  }
  int rc;
  if (o.unban) {
    const char *argv[] = {"DEL", o.key};
    size_t lens[] = {3, strlen(o.key)};
    rc = lr_redis_link_command(f->link, NULL, NULL, 2, argv, lens);
  } else {
    char ms[32];
    snprintf(ms, sizeof(ms), "%lld", (long long)((o.until_usec - now + 999) / 1000));
    const char *argv[] = {"SET", o.key, o.value, "PX", ms};
    size_t lens[] = {3, strlen(o.key), strlen(o.value), 2, strlen(ms)};
    rc = lr_redis_link_command(f->link, NULL, NULL, o.until_usec ? 5 : 3, argv, lens);
  }
  struct inflight *in = lr_xmalloc(sizeof(*in));
  *in = (struct inflight){f, o};
  const char *argv[] = {"PUBLISH", f->channel, o.value};
  size_t lens[] = {7, strlen(f->channel), strlen(o.value)};
  if (rc < 0 || lr_redis_link_command(f->link, on_published, in, 3, argv, lens) < 0) {
    free(in);
    enqueue(f, o);
  }
}

/* The bans' observer: what this host bans or unbans, for the others. */
static void on_ban_event(void *ctx, const struct lr_ban_event *e)
{
  struct lr_fleet *f = ctx;
  if (!f->cfg.enabled || (!e->unban && !lr_fleet_config_shares(&f->cfg, e->origin)))
    return;
  struct lr_fleet_msg m = {.op = e->unban ? LR_FLEET_UNBAN : LR_FLEET_BAN,
                           .backend = e->backend, .target = *e->target,
                           .until_s = e->until_usec ? (e->until_usec + 999999) / 1000000 : 0,
                           .at_usec = lr_wall_usec()};
  snprintf(m.host, sizeof(m.host), "%s", f->cfg.name);
  const char *origin = e->origin ? e->origin : "";
  if (lr_fleet_name_ok(origin, strlen(origin)))
    snprintf(m.jail, sizeof(m.jail), "%s", origin);
  snprintf(m.set, sizeof(m.set), "%s", e->set);
  struct outgoing o = {.unban = e->unban,
                       .key = lr_fleet_ban_key(f->cfg.prefix, e->backend, e->set, e->target->text),
                       .value = lr_fleet_msg_format(&m), .until_usec = e->until_usec};
  send_now(f, o);
}

/* ------------------------------------------------------------------ fleet-wide counting */

#define COUNT_BUCKETS 10
/* KEYS: this bucket, then the older ones of the window; ARGV: the TTL in ms,
 * the failures to add. Returns the window's total before and after. */
static const char count_script[] =
  "local n = redis.call('INCRBY', KEYS[1], ARGV[2])\n"
  "if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end\n"
  "local total = n\n"
  "for i = 2, #KEYS do\n"
  "  local v = redis.call('GET', KEYS[i])\n"
  "  if v then total = total + tonumber(v) end\n"
  "end\n"
  "return {total - tonumber(ARGV[2]), total}\n";

struct count_req {
  struct lr_fleet *f;
  char jail[LR_FLEET_NAME_MAX + 1];
  struct lr_ban_target target;
  long long find_s, max_retry, forget_s;
  enum lr_ban_backend backend;
  char set[3 * LR_BAN_NFT_NAME_MAX + 8];
  unsigned ban_seconds;
  long nth;
};

bool lr_fleet_counts(const struct lr_fleet *f, const char *jail)
{
  return f && lr_fleet_config_counts(&f->cfg, jail);
}

static void on_counted(void *ctx, void *r)
{
  struct count_req *c = ctx;
  struct lr_fleet *f = c->f;
  redisReply *reply = r;
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
      reply->element[0]->type != REDIS_REPLY_INTEGER ||
      reply->element[1]->type != REDIS_REPLY_INTEGER) {
    if (reply && reply->type == REDIS_REPLY_ERROR && quiet_log_due(&f->error_log)) {
      lr_log(LOG_WARNING, "fleet: Redis refused to count a failure: %s", reply->str);
      f->error_log.since = 0;
    }
    free(c);
    return;
  }
  long long before = reply->element[0]->integer, after = reply->element[1]->integer;
  f->counted++;
  if (before >= c->max_retry || after < c->max_retry) {
    free(c);
    return;
  }
  /* this failure brought the fleet to the threshold: this host bans */
  int64_t now = lr_wall_usec(), mine;
  if (lr_bans_lookup(f->bans, c->backend, c->set, c->target.text, now, &mine) == 1) {
    free(c);
    return; /* banned here already (by the local count, or a host's share) */
  }
  struct lr_ban_request rq = {.origin = c->jail};
  char err[LR_ERR_MAX];
  if (lr_bans_add_ex(f->bans, c->backend, c->set, &c->target, c->ban_seconds, now, &rq, err,
                     sizeof(err)) < 0) {
    lr_log(LOG_WARNING, "fleet: jail %s: the fleet-wide ban of %s failed: %s", c->jail,
           c->target.text, err);
  } else {
    f->fleet_bans++;
    /* the jails' own format: the recidive jail counts this ban too */
    lr_log_as("luruse-jail", LOG_NOTICE,
              "jail %s: banned %s for %s%us (ban %ld within %llds, after %lld failures within "
              "%llds)", c->jail, c->target.text, c->ban_seconds ? "" : "ever: ", c->ban_seconds,
              c->nth, c->forget_s, after, c->find_s);
    lr_log(LOG_INFO, "fleet: jail %s: %s reached %lld failures across the fleet", c->jail,
           c->target.text, after);
  }
  free(c);
}

void lr_fleet_count_failure(struct lr_fleet *f, const struct lr_fleet_failure *ff)
{
  if (!lr_fleet_counts(f, ff->jail) || !lr_redis_link_ready(f->link) || ff->find_s <= 0)
    return;
  long long bucket_s = (ff->find_s + COUNT_BUCKETS - 1) / COUNT_BUCKETS;
  long long now_bucket = (long long)(lr_wall_usec() / 1000000) / bucket_s;
  char keys[COUNT_BUCKETS][200], ttl[32], n[16];
  const char *argv[3 + COUNT_BUCKETS + 2];
  size_t lens[3 + COUNT_BUCKETS + 2];
  int argc = 0;
  argv[argc] = "EVAL", lens[argc++] = 4;
  argv[argc] = count_script, lens[argc++] = sizeof(count_script) - 1;
  argv[argc] = "10", lens[argc++] = 2;
  for (int i = 0; i < COUNT_BUCKETS; i++) {
    snprintf(keys[i], sizeof(keys[i]), "%s:count:%s:%s:%lld", f->cfg.prefix, ff->jail,
             ff->target->text, now_bucket - i);
    argv[argc] = keys[i], lens[argc++] = strlen(keys[i]);
  }
  snprintf(ttl, sizeof(ttl), "%lld", (ff->find_s + bucket_s) * 1000);
  snprintf(n, sizeof(n), "%u", ff->count ? ff->count : 1);
  argv[argc] = ttl, lens[argc++] = strlen(ttl);
  argv[argc] = n, lens[argc++] = strlen(n);
  struct count_req *c = lr_xcalloc(1, sizeof(*c));
  *c = (struct count_req){.f = f, .target = *ff->target, .find_s = ff->find_s,
                          .max_retry = ff->max_retry, .forget_s = ff->forget_s,
                          .backend = ff->backend, .ban_seconds = ff->ban_seconds, .nth = ff->nth};
  snprintf(c->jail, sizeof(c->jail), "%s", ff->jail);
  snprintf(c->set, sizeof(c->set), "%s", ff->set);
  if (lr_redis_link_command(f->link, on_counted, c, argc, argv, lens) < 0)
    free(c);
}

/* ------------------------------------------------------------------ the link */

static void on_ready(void *ctx)
{
  struct lr_fleet *f = ctx;
  /* what waited goes first, then what the others did meanwhile */
  size_t n = f->qlen;
  for (size_t i = 0; i < n && lr_redis_link_ready(f->link); i++) {
    struct outgoing o = f->q[f->qhead];
    f->qhead = (f->qhead + 1) % f->qcap;
    f->qlen--;
    send_now(f, o);
  }
  if (n)
    lr_log(LOG_INFO, "fleet: %zu waiting ban changes sent", n);
  resync_start(f);
}

static void on_down(void *ctx, const char *why)
{
  (void)why;
  struct lr_fleet *f = ctx;
  f->resyncing = false;
}

struct lr_fleet *lr_fleet_open(uv_loop_t *loop, struct lr_bans *bans)
{
  struct lr_fleet *f = lr_xcalloc(1, sizeof(*f));
  f->loop = loop;
  f->bans = bans;
  lr_fleet_config_init(&f->cfg);
  return f;
}

static void free_sets(struct lr_fleet *f)
{
  for (size_t i = 0; i < f->nsets; i++)
    free((char *)f->sets[i].name);
  free(f->sets);
  f->sets = NULL;
  f->nsets = 0;
}

void lr_fleet_configure(struct lr_fleet *f, const struct lr_fleet_config *cfg,
                        const struct lr_fleet_set *sets, size_t nsets, const char *own_table,
                        lr_fleet_spared_fn *spared, void *spared_ctx)
{
  snprintf(f->own_table, sizeof(f->own_table), "%s", own_table ? own_table : "");
  bool keep = f->link && cfg && lr_fleet_config_same_link(&f->cfg, cfg);
  if (!keep && f->link) {
    lr_redis_link_close(f->link); /* its pending replies come back as NULL now */
    f->link = NULL;
  }
  lr_fleet_config_free(&f->cfg);
  if (cfg)
    lr_fleet_config_copy(&f->cfg, cfg);
  free_sets(f);
  f->sets = lr_xcalloc(nsets ? nsets : 1, sizeof(*f->sets));
  for (size_t i = 0; i < nsets; i++)
    f->sets[i] = (struct lr_fleet_set){sets[i].backend, lr_xstrdup(sets[i].name)};
  f->nsets = nsets;
  f->spared = spared;
  f->spared_ctx = spared_ctx;
  lr_bans_set_observer(f->bans, f->cfg.enabled ? on_ban_event : NULL, f);
  if (!f->cfg.enabled || keep || !f->loop)
    return;
  free(f->channel);
  f->channel = lr_xasprintf("%s:bans", f->cfg.prefix);
  static const struct lr_redis_link_callbacks cbs = {on_ready, on_message, on_down};
  f->link = lr_redis_link_open(f->loop, &f->cfg, f->channel, &cbs, f);
}

json_t *lr_fleet_status(const struct lr_fleet *f)
{
  if (!f || !f->cfg.enabled)
    return NULL;
  json_t *hosts = json_object();
  for (size_t i = 0; i < f->nhosts; i++)
    json_object_set_new(hosts, f->hosts[i].name, json_integer((json_int_t)f->hosts[i].bans));
  if (f->other_hosts)
    json_object_set_new(hosts, "(others)", json_integer((json_int_t)f->other_hosts));
  const char *err = f->link ? lr_redis_link_last_error(f->link) : "";
  json_t *st = json_pack("{s:s, s:s, s:b, s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:I, "
                   "s:I, s:I, s:I, s:I, s:s?, s:o}",
                   "redis", f->cfg.url, "name", f->cfg.name, "connected",
                   lr_redis_link_ready(f->link), "last_error", err[0] ? err : NULL, "queued",
                   (json_int_t)f->qlen, "dropped", (json_int_t)f->dropped, "published",
                   (json_int_t)f->published, "publish_errors", (json_int_t)f->publish_errors,
                   "received", (json_int_t)f->received, "applied", (json_int_t)f->applied,
                   "refused", (json_int_t)f->refused, "allowlisted",
                   (json_int_t)f->spared_count, "resyncing", f->resyncing, "resyncs",
                   (json_int_t)f->resyncs, "last_resync_keys", (json_int_t)f->last_resync_keys,
                   "last_resync_ms", (json_int_t)f->last_resync_ms, "failures_counted",
                   (json_int_t)f->counted, "fleet_wide_bans", (json_int_t)f->fleet_bans,
                   "last_refusal",
                   f->last_refusal[0] ? f->last_refusal : NULL, "bans_from", hosts);
  if (f->latency.n)
    json_object_set_new(st, "latency_ms",
                        json_pack("{s:I, s:f, s:f, s:f}", "count", (json_int_t)f->latency.n,
                                  "p50", lr_latency_quantile(&f->latency, 0.5), "p99",
                                  lr_latency_quantile(&f->latency, 0.99), "max",
                                  (double)f->latency.max_usec / 1000.0));
  return st;
}

void lr_fleet_close(struct lr_fleet *f)
{
  if (!f)
    return;
  lr_bans_set_observer(f->bans, NULL, NULL);
  if (f->link)
    lr_redis_link_close(f->link); /* pending replies: NULL, requeued into f */
  f->link = NULL;
  for (size_t i = 0; i < f->qlen; i++)
    outgoing_free(&f->q[(f->qhead + i) % f->qcap]);
  if (f->qlen)
    lr_log(LOG_WARNING, "fleet: %zu ban changes were not published (Redis away at stop); "
                        "they stay in force here", f->qlen);
  free(f->q);
  free_sets(f);
  free(f->channel);
  lr_fleet_config_free(&f->cfg);
  free(f);
}
