#include "defence/bans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defence/ban_backlog.h"
#include "defence/ban_store.h"
#include "util/buf.h"
#include "util/cmdqueue.h"
#include "util/errmsg.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "defence/nft.h"
#include "defence/nft_table.h"
#include "state/state.h"

/* The pieces: the records (ban_store.c), libnftables (nft.c), the queue of
 * ban commands (cmdqueue.c, one at a time so that the delete and the add of a
 * re-ban never overlap). */
struct lr_bans {
  struct lr_state *st;
  uv_loop_t *loop;
  struct lr_ban_config cfg;
  struct lr_ban_store *store;
  struct lr_nft *nft;
  struct lr_cmdq *cmds;
  struct lr_bans_stats stats;
  struct lr_ban_backlog unrecorded; /* applied while the database refused their records */
  struct ban_batch *batch;       /* lr_bans_batch_begin: nft changes gathered */
  lr_bans_observer_fn *observer; /* the fleet, when one is configured */
  void *observer_ctx;
  lr_bans_refused_fn *on_refused; /* the daily report counts them */
  void *on_refused_ctx;
};

void lr_bans_set_observer(struct lr_bans *b, lr_bans_observer_fn *fn, void *ctx)
{
  b->observer = fn;
  b->observer_ctx = ctx;
}

int lr_bans_lookup(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                   const char *addr, int64_t now_wall_usec, int64_t *until_usec)
{
  int64_t until = 0;
  int found = lr_ban_store_get(b->store, backend, set, addr, &until);
  if (found <= 0)
    return found;
  if (until != 0 && until <= now_wall_usec)
    return 0;
  *until_usec = until;
  return 1;
}

static int set_check(enum lr_ban_backend backend, const char *set, char *err, size_t errlen)
{
  if (!set)
    return snprintf(err, errlen, "no set"), -1;
  return backend == LR_BAN_NFT ? lr_ban_nft_set_parse(set, err, errlen)
                               : lr_ban_ipset_name_check(set, err, errlen);
}

/* An address as stored or typed: "192.0.2.7", "2001:db8::/64". */
static int parse_addr(const char *text, struct lr_ban_target *t, char *why, size_t whylen)
{
  const char *slash = strchr(text, '/');
  size_t alen = slash ? (size_t)(slash - text) : strlen(text);
  unsigned p4 = 0, p6 = 0;
  if (slash) {
    const char *d = slash + 1;
    size_t nd = strspn(d, "0123456789");
    if (nd == 0 || nd > 3 || d[nd] != '\0') {
      snprintf(why, whylen, "the prefix length after '/' must be a number");
      return -1;
    }
    unsigned n = (unsigned)atoi(d);
    if (n == 0 || n > 128) {
      snprintf(why, whylen, "prefix length /%u out of range (1-128)", n);
      return -1;
    }
    bool v6 = memchr(text, ':', alen) != NULL;
    p6 = n;
    /* ::ffff:a.b.c.d/n is banned in the IPv4 set as a.b.c.d/(n-96) */
    p4 = v6 ? (n >= 96 ? n - 96 : 33) : n;
    if (!v6 && n > 32) {
      snprintf(why, whylen, "prefix length /%u out of range for IPv4 (1-32)", n);
      return -1;
    }
  }
  return lr_ban_target_parse(text, alen, p4, p6, t, why, whylen);
}

/* ------------------------------------------------------------------ open, close */

struct lr_bans *lr_bans_open(struct lr_state *st, uv_loop_t *loop, char *err, size_t errlen)
{
  struct lr_ban_store *store = lr_ban_store_open(st, err, errlen);
  if (!store)
    return NULL;
  struct lr_bans *b = lr_xcalloc(1, sizeof(*b));
  b->st = st;
  b->loop = loop;
  lr_ban_config_init(&b->cfg);
  b->store = store;
  b->nft = lr_nft_new();
  b->cmds = lr_cmdq_new(loop, 1, LR_BANS_QUEUE_MAX); /* in order: a delete, then the add */
  return b;
}

unsigned lr_bans_pending(const struct lr_bans *b)
{
  if (!b)
    return 0;
  return lr_cmdq_pending(b->cmds);
}

void lr_bans_settle(struct lr_bans *b)
{
  while (b && b->loop && lr_bans_pending(b))
    uv_run(b->loop, UV_RUN_ONCE);
}

void lr_bans_close(struct lr_bans *b)
{
  if (!b)
    return;
  lr_bans_settle(b);
  lr_cmdq_free(b->cmds);
  lr_bans_catch_up(b, lr_wall_usec());
  lr_ban_backlog_free(&b->unrecorded);
  lr_ban_store_close(b->store);
  lr_nft_free(b->nft);
  lr_ban_config_free(&b->cfg);
  free(b);
}

void lr_bans_catch_up(struct lr_bans *b, int64_t now_wall_usec)
{
  if (b && b->unrecorded.n)
    b->stats.recorded += lr_ban_backlog_write(&b->unrecorded, b->store, now_wall_usec);
}

int lr_bans_ensure_table(struct lr_bans *b)
{
  if (!b || !b->cfg.table[0])
    return 0;
  struct lr_buf err = {0};
  int rc = lr_nft_table_ensure(b->nft, b->cfg.table, &err);
  if (rc < 0)
    lr_log(LOG_ERR, "cannot make the nftables table inet %s (bans into it fail): %s",
           b->cfg.table, err.data ? err.data : "?");
  else
    lr_log(LOG_INFO, "nftables table inet %s ready: sets ban4, ban6, net4, net6; chains input "
                     "and forward", b->cfg.table);
  lr_buf_free(&err);
  return rc;
}

void lr_bans_on_refused(struct lr_bans *b, lr_bans_refused_fn *fn, void *ctx)
{
  if (!b)
    return;
  b->on_refused = fn;
  b->on_refused_ctx = ctx;
}

static void tell_refused(struct lr_bans *b, const char *set, const char *addr, const char *error)
{
  if (b->on_refused)
    b->on_refused(b->on_refused_ctx, set, addr, error);
}

void lr_bans_configure(struct lr_bans *b, const struct lr_ban_config *c)
{
  if (b && c)
    lr_ban_config_copy(&b->cfg, c);
}

void lr_bans_get_stats(const struct lr_bans *b, struct lr_bans_stats *out)
{
  if (!b) {
    memset(out, 0, sizeof(*out));
    return;
  }
  *out = b->stats;
}

/* ------------------------------------------------------------------ applying */

/* How a change's outcome reaches its record and its caller. */
struct outcome {
  enum { MARK_NONE, MARK_FAILURE, MARK_ALWAYS } mark; /* FAILURE: the record says applied */
  bool ban; /* a new ban (not a removal or a restore): a failure is told (on_refused) */
  lr_bans_done_fn *done;
  void *ctx;
};

static void outcome_now(struct lr_bans *b, const struct outcome *o, enum lr_ban_backend backend,
                        const char *set, const char *addr, const char *error)
{
  if (o->mark == MARK_ALWAYS || (o->mark == MARK_FAILURE && error))
    lr_ban_store_mark(b->store, backend, set, addr, error);
  if (o->ban && error)
    tell_refused(b, set, addr, error);
  if (o->done)
    o->done(o->ctx, error);
}

/* A queued firewall command's outcome: its record's state is written when it
 * ends (mark), and its caller told (done). */
struct ban_job {
  struct lr_bans *b;
  bool mark, ban;
  enum lr_ban_backend backend;
  char *set, *addr;
  lr_bans_done_fn *done;
  void *done_ctx;
};

static void ban_job_step(void *ctx, const struct lr_cmd_step *s)
{
  struct ban_job *j = ctx;
  if (!s->r) {
    j->b->stats.failed++;
  } else if (lr_spawn_ok(s->r)) {
    if (s->last)
      j->b->stats.applied++;
  } else if (s->may_fail) {
    lr_log(LOG_DEBUG, "%s: the delete before it failed (%s: %s)", s->what, s->r->error,
           s->output);
  } else {
    j->b->stats.failed++;
  }
}

static void ban_job_end(void *ctx, const char *error)
{
  struct ban_job *j = ctx;
  if (j->mark)
    lr_ban_store_mark(j->b->store, j->backend, j->set, j->addr, error);
  if (j->ban && error)
    tell_refused(j->b, j->set, j->addr, error);
  if (j->done)
    j->done(j->done_ctx, error);
  free(j->set);
  free(j->addr);
  free(j);
}

/* Queues `first` (which may fail, as a delete before an add, when `second`
 * follows) then `second` (may be NULL), for o. -1 when refused (the argvs
 * freed, nobody told). */
static int queue_ban(struct lr_bans *b, const char *what, char **first, char **second,
                     const struct outcome *o, enum lr_ban_backend backend, const char *set,
                     const char *addr)
{
  struct ban_job *j = lr_xcalloc(1, sizeof(*j));
  j->b = b;
  j->done = o->done;
  j->done_ctx = o->ctx;
  j->ban = o->ban;
  if (o->mark != MARK_NONE || o->ban) {
    j->mark = o->mark != MARK_NONE;
    j->backend = backend;
    j->set = lr_xstrdup(set);
    j->addr = lr_xstrdup(addr);
  }
  struct lr_cmd c = {.what = what, .argv = {first, second}, .may_fail = {second != NULL, false},
                     .timeout_ms = b->cfg.timeout_s * 1000, .fail_level = LOG_ERR,
                     .on_step = ban_job_step, .on_end = ban_job_end, .ctx = j};
  if (lr_cmdq_push(b->cmds, &c) < 0) {
    free(j->set);
    free(j->addr);
    free(j);
    return -1;
  }
  return 0;
}

/* Builds "add" (and, when `replace`, the "delete" that goes first) for one
 * ban, and applies them: in-process for nft without a command, else queued. */
/* ------------------------------------------------------------------ batches
 *
 * Many bans at once (a restore, a fleet's resynchronisation): their libnftables
 * statements go in transactions of BATCH_MAX, their records in one database
 * transaction; a refused transaction is run again statement by statement, so
 * that only the faulty ones fail (each logged, its record marked). */
#define BATCH_MAX 256

struct batch_line {
  const char *verb; /* "ban", "restore": for the log */
  enum lr_ban_backend backend;
  char *set;
  struct lr_ban_target target;
  unsigned timeout_s;
  struct outcome o;
};

struct ban_batch {
  struct batch_line lines[BATCH_MAX];
  size_t n;
  bool in_tx; /* the records' transaction is ours */
};

static void outcome_now(struct lr_bans *b, const struct outcome *o, enum lr_ban_backend backend,
                        const char *set, const char *addr, const char *error);

/* The lines' elements, one statement per run of lines into the same set. */
static void batch_text(const struct ban_batch *bt, struct lr_buf *text)
{
  const struct lr_ban_target *t[BATCH_MAX];
  unsigned timeouts[BATCH_MAX];
  for (size_t i = 0; i < bt->n;) {
    size_t j = i, k = 0;
    for (; j < bt->n && !strcmp(bt->lines[j].set, bt->lines[i].set); j++, k++) {
      t[k] = &bt->lines[j].target;
      timeouts[k] = bt->lines[j].timeout_s;
    }
    if (text->len)
      lr_buf_addc(text, '\n');
    lr_ban_nft_add_many(text, bt->lines[i].set, t, timeouts, k);
    i = j;
  }
}

static void ban_batch_flush(struct lr_bans *b)
{
  struct ban_batch *bt = b->batch;
  if (!bt || !bt->n)
    return;
  struct lr_buf text = {0}, err = {0};
  batch_text(bt, &text);
  bool all = text.len && lr_nft_run(b->nft, text.data, &err) == 0;
  for (size_t i = 0; i < bt->n; i++) {
    struct batch_line *l = &bt->lines[i];
    int rc = 0;
    if (!all) { /* the transaction was refused: each alone, so only the faulty fail */
      lr_buf_clear(&text);
      lr_buf_clear(&err);
      rc = lr_ban_nft_add(&text, l->set, &l->target, l->timeout_s) < 0
             ? (lr_buf_printf(&err, "invalid set or address"), -1)
             : lr_nft_run(b->nft, text.data, &err);
    }
    if (rc == 0) {
      b->stats.applied++;
    } else {
      b->stats.failed++;
      lr_log(LOG_ERR, "%s of %s in nft %s failed: %s", l->verb, l->target.text, l->set,
             err.data);
    }
    outcome_now(b, &l->o, l->backend, l->set, l->target.text, rc == 0 ? NULL : err.data);
    free(l->set);
  }
  lr_buf_free(&text);
  lr_buf_free(&err);
  bt->n = 0;
}

void lr_bans_batch_begin(struct lr_bans *b)
{
  if (b->batch)
    return;
  b->batch = lr_xcalloc(1, sizeof(*b->batch));
  b->batch->in_tx = lr_state_begin(b->st) == 0;
}

void lr_bans_batch_end(struct lr_bans *b)
{
  struct ban_batch *bt = b->batch;
  if (!bt)
    return;
  /* the records first: a crash then leaves records a restore applies, never
   * elements without a record */
  if (bt->in_tx && lr_state_commit(b->st) < 0)
    lr_log(LOG_CRIT, "%s: a batch of ban records could not be committed: those bans are "
                     "applied but will not be restored after a restart", lr_state_path(b->st));
  ban_batch_flush(b);
  lr_ban_store_purge(b->store, lr_wall_usec(), true);
  free(bt);
  b->batch = NULL;
}

/* In a batch, a plain add through libnftables waits for the next flush. */
static bool batched(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                    const struct lr_ban_target *t, unsigned timeout_s, bool replace,
                    const char *verb, const struct outcome *o)
{
  struct ban_batch *bt = b->batch;
  if (!bt || backend != LR_BAN_NFT || b->cfg.nft || replace || o->done)
    return false;
  if (bt->n == BATCH_MAX)
    ban_batch_flush(b);
  struct batch_line *l = &bt->lines[bt->n++];
  *l = (struct batch_line){verb, backend, lr_xstrdup(set), *t, timeout_s, *o};
  return true;
}

static void apply(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                  const struct lr_ban_target *t, unsigned timeout_s, bool replace,
                  const char *verb, const struct outcome *o)
{
  if (batched(b, backend, set, t, timeout_s, replace, verb, o))
    return;
  char what[192];
  snprintf(what, sizeof(what), "%s of %s in %s %s", verb, t->text,
           lr_ban_backend_name(backend), set);
  if (backend == LR_BAN_NFT && !b->cfg.nft) {
    struct lr_buf add = {0}, both = {0}, err = {0};
    int rc = -1;
    if (lr_ban_nft_add(&add, set, t, timeout_s) == 0) {
      /* one transaction: the old element never disappears before the new one is in */
      if (replace && lr_ban_nft_delete(&both, set, t) == 0) {
        lr_buf_printf(&both, "\n%s", add.data);
        rc = lr_nft_run(b->nft, both.data, &err);
        if (rc < 0) /* most likely the element had expired: add it alone */
          lr_buf_clear(&err);
      }
      if (rc < 0)
        rc = lr_nft_run(b->nft, add.data, &err);
    } else {
      lr_buf_printf(&err, "invalid set or address");
    }
    if (rc == 0) {
      b->stats.applied++;
    } else {
      b->stats.failed++;
      lr_log(LOG_ERR, "%s failed: %s", what, err.data);
    }
    outcome_now(b, o, backend, set, t->text, rc == 0 ? NULL : err.data);
    lr_buf_free(&add);
    lr_buf_free(&both);
    lr_buf_free(&err);
    return;
  }
  char **del = NULL, **add = NULL;
  if (backend == LR_BAN_NFT) {
    struct lr_buf stmt = {0};
    if (replace && lr_ban_nft_delete(&stmt, set, t) == 0)
      del = lr_ban_nft_argv((const char *const *)b->cfg.nft, stmt.data);
    lr_buf_clear(&stmt);
    if (lr_ban_nft_add(&stmt, set, t, timeout_s) == 0)
      add = lr_ban_nft_argv((const char *const *)b->cfg.nft, stmt.data);
    lr_buf_free(&stmt);
  } else {
    if (replace)
      del = lr_ban_ipset_del_argv((const char *const *)b->cfg.ipset, set, t);
    add = lr_ban_ipset_add_argv((const char *const *)b->cfg.ipset, set, t, timeout_s);
  }
  if (!add) {
    lr_ban_argv_free(del);
    b->stats.failed++;
    lr_log(LOG_ERR, "%s failed: invalid set, address or command", what);
    outcome_now(b, o, backend, set, t->text, "invalid set, address or command");
    return;
  }
  if ((del ? queue_ban(b, what, del, add, o, backend, set, t->text)
           : queue_ban(b, what, add, NULL, o, backend, set, t->text)) < 0) {
    b->stats.deferred++;
    const char *why =
      b->loop ? "too many firewall commands waiting" : "no event loop to run commands";
    lr_log(LOG_WARNING, "%s deferred: %s; it is recorded, and `luruse restore` or the next "
                        "start applies it", what, why);
    char msg[LR_ERR_MAX];
    snprintf(msg, sizeof(msg), "deferred (%s): `luruse restore` applies it", why);
    struct outcome fail = *o;
    if (fail.mark != MARK_NONE)
      fail.mark = MARK_ALWAYS;
    outcome_now(b, &fail, backend, set, t->text, msg);
  }
}

/* Several removals (one per set) told to the caller as one. */
struct removal {
  unsigned left; /* removals not answered yet, +1 while they are being started */
  struct lr_buf errors;
  lr_bans_done_fn *done;
  void *ctx;
};

/* nft's ENOENT (no such element, set or table) and ipset's missing set: the
 * address is in no such set, which is what an unban asks for. */
static bool means_absent(const char *error)
{
  return strstr(error, "No such file or directory") || strstr(error, "does not exist");
}

static void removal_one_done(void *ctx, const char *error)
{
  struct removal *w = ctx;
  if (error && !means_absent(error)) {
    if (w->errors.len)
      lr_buf_add(&w->errors, "; ", 2);
    lr_buf_add(&w->errors, error, strlen(error));
  }
  if (--w->left > 0)
    return;
  if (w->done)
    w->done(w->ctx, w->errors.len ? w->errors.data : NULL);
  lr_buf_free(&w->errors);
  free(w);
}

/* Deletes one element; an element that is not there (expired) is no error
 * for the log, but the caller waiting on w hears of it. */
static void unapply(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                    const struct lr_ban_target *t, struct removal *w)
{
  char what[192];
  snprintf(what, sizeof(what), "removal of %s from %s %s", t->text,
           lr_ban_backend_name(backend), set);
  w->left++;
  if (backend == LR_BAN_NFT && !b->cfg.nft) {
    struct lr_buf stmt = {0}, err = {0};
    if (lr_ban_nft_delete(&stmt, set, t) == 0 && lr_nft_run(b->nft, stmt.data, &err) == 0) {
      b->stats.applied++;
      removal_one_done(w, NULL);
    } else {
      const char *why = err.data ? err.data : "invalid set or address";
      lr_log(LOG_NOTICE, "%s: %s (it may have expired already)", what, why);
      struct lr_buf msg = {0};
      lr_buf_printf(&msg, "%s %s: %s", lr_ban_backend_name(backend), set, why);
      removal_one_done(w, msg.data);
      lr_buf_free(&msg);
    }
    lr_buf_free(&stmt);
    lr_buf_free(&err);
    return;
  }
  char **del = NULL;
  if (backend == LR_BAN_NFT) {
    struct lr_buf stmt = {0};
    if (lr_ban_nft_delete(&stmt, set, t) == 0)
      del = lr_ban_nft_argv((const char *const *)b->cfg.nft, stmt.data);
    lr_buf_free(&stmt);
  } else {
    del = lr_ban_ipset_del_argv((const char *const *)b->cfg.ipset, set, t);
  }
  struct outcome o = {.mark = MARK_NONE, .done = removal_one_done, .ctx = w};
  if (queue_ban(b, what, del, NULL, &o, backend, set, t->text) < 0) {
    lr_log(LOG_WARNING, "%s: cannot run the command now", what);
    struct lr_buf msg = {0};
    lr_buf_printf(&msg, "%s %s: cannot run the command now", lr_ban_backend_name(backend), set);
    removal_one_done(w, msg.data);
    lr_buf_free(&msg);
  }
}

int lr_bans_add(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                const struct lr_ban_target *t, unsigned ban_seconds, int64_t now_wall_usec,
                char *err, size_t errlen)
{
  return lr_bans_add_ex(b, backend, set, t, ban_seconds, now_wall_usec, NULL, err, errlen);
}

int lr_bans_add_ex(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                   const struct lr_ban_target *t, unsigned ban_seconds, int64_t now_wall_usec,
                   struct lr_ban_request *rq, char *err, size_t errlen)
{
  if (set_check(backend, set, err, errlen) < 0)
    return -1;
  struct lr_ban_target again;
  char why[LR_ERR_MAX];
  if (!t || memchr(t->text, '\0', sizeof(t->text)) == NULL ||
      parse_addr(t->text, &again, why, sizeof(why)) < 0 || again.family != t->family ||
      again.prefix != t->prefix || strcmp(again.text, t->text) != 0 ||
      memcmp(again.addr, t->addr, sizeof(again.addr)) != 0) {
    snprintf(err, errlen, "not a parsed address");
    return -1;
  }
  int64_t old_until = 0;
  int found = lr_ban_store_get(b->store, backend, set, t->text, &old_until);
  bool live = found == 1 && (old_until == 0 || old_until > now_wall_usec);
  int64_t until = ban_seconds ? now_wall_usec + (int64_t)ban_seconds * 1000000 : 0;
  bool kept = false;
  if (rq && (rq->flags & LR_BAN_KEEP_LONGER) && live && until != 0 &&
      (old_until == 0 || old_until > until)) {
    until = old_until; /* a re-ban never shortens a ban; a permanent one stays */
    kept = true;
  }
  unsigned seconds = until ? lr_bans_remaining_s(until, now_wall_usec) : 0;
  if (rq) {
    rq->until_usec = until;
    rq->kept_longer = kept;
  }
  bool queued = !(backend == LR_BAN_NFT && !b->cfg.nft) && b->loop;
  /* In autocommit mode this statement is its own transaction, committed before
   * the firewall changes; inside the caller's transaction it commits with it.
   * When the database refuses (disk full), the ban is applied all the same:
   * an attacker who fills the disk must not switch banning off. It then only
   * lacks a restart's restore, which the log says. */
  bool recorded = false;
  if (found < 0 || lr_ban_store_put(b->store, backend, set, t->text, until, queued,
                                    rq ? rq->origin : NULL, now_wall_usec) < 0) {
    lr_log(LOG_CRIT, "%s: the ban of %s is applied but NOT recorded (%s): it is recorded once "
           "the database takes records again, and not restored by a restart before that",
           lr_state_path(b->st), t->text, lr_ban_store_errmsg(b->store));
    lr_ban_backlog_add(&b->unrecorded, backend, set, t->text, until, rq ? rq->origin : NULL,
                       now_wall_usec);
  } else {
    b->stats.recorded++;
    recorded = true;
    if (b->unrecorded.n && !b->batch) /* the database takes records again */
      lr_bans_catch_up(b, now_wall_usec);
  }
  if (seconds)
    lr_log(LOG_DEBUG, "banning %s in %s %s for %u s", t->text, lr_ban_backend_name(backend), set,
           seconds);
  else
    lr_log(LOG_DEBUG, "banning %s in %s %s for ever", t->text, lr_ban_backend_name(backend), set);
  /* a fresh record says "applied" (or "pending" when queued): only a failure,
   * or a queued command's end, is written afterwards */
  struct outcome o = {.mark = !recorded ? MARK_NONE : queued ? MARK_ALWAYS : MARK_FAILURE,
                      .ban = true, .done = rq ? rq->done : NULL, .ctx = rq ? rq->ctx : NULL};
  /* rq may be freed by its done callback within apply (libnftables answers at once) */
  bool observed = b->observer && !(rq && (rq->flags & LR_BAN_UNOBSERVED)) && !kept;
  const char *origin = rq ? rq->origin : NULL; /* a string that outlives rq */
  apply(b, backend, set, t, seconds, live, "ban", &o);
  if (!b->batch) /* a batch purges once, at its end */
    lr_ban_store_purge(b->store, now_wall_usec, true);
  if (observed)
    b->observer(b->observer_ctx,
                &(struct lr_ban_event){.backend = backend, .set = set, .target = t,
                                       .until_usec = until, .origin = origin});
  return 0;
}

/* ------------------------------------------------------------------ restore, remove, list */

/* A record is used only when every part is valid and the address canonical. */
static int row_check(const struct lr_ban_row *r, enum lr_ban_backend *backend,
                     struct lr_ban_target *t, char *why, size_t whylen)
{
  if (lr_ban_backend_parse(r->backend, backend) < 0) {
    snprintf(why, whylen, "unknown backend");
    return -1;
  }
  if (set_check(*backend, r->set, why, whylen) < 0 || parse_addr(r->addr, t, why, whylen) < 0)
    return -1;
  if (strcmp(t->text, r->addr) != 0) {
    snprintf(why, whylen, "address not in canonical form");
    return -1;
  }
  if (r->until < 0) {
    snprintf(why, whylen, "negative end time");
    return -1;
  }
  return 0;
}

int lr_bans_restore(struct lr_bans *b, int64_t now_wall_usec)
{
  struct lr_ban_row *rows;
  size_t n;
  if (lr_ban_store_load(b->store, &rows, &n) < 0)
    return -1;
  int applied = 0;
  size_t expired = 0, unreadable = 0;
  /* many elements per libnftables transaction, since each call fetches the
   * ruleset (and, for interval sets, the set's elements) again */
  lr_bans_batch_begin(b);
  for (size_t i = 0; i < n; i++) {
    const struct lr_ban_row *r = &rows[i];
    enum lr_ban_backend backend;
    struct lr_ban_target t;
    char why[LR_ERR_MAX];
    if (row_check(r, &backend, &t, why, sizeof(why)) < 0) {
      struct lr_buf q = {0};
      lr_ban_escape_for_log(&q, r->addr, strlen(r->addr));
      lr_log(LOG_WARNING, "dropping an unreadable ban record (%s, \"%s\"): %s", r->backend,
             q.data, why);
      lr_buf_free(&q);
      lr_ban_store_drop(b->store, r->backend, r->set, r->addr);
      unreadable++;
      continue;
    }
    if (r->until != 0 && r->until <= now_wall_usec) {
      expired++;
      continue;
    }
    unsigned left = r->until ? lr_bans_remaining_s(r->until, now_wall_usec) : 0;
    applied++;
    /* a record's state is written only when it changes */
    struct outcome o = {.mark = r->error || r->pending ? MARK_ALWAYS : MARK_FAILURE};
    apply(b, backend, r->set, &t, left, false, "restore", &o);
  }
  lr_bans_batch_end(b);
  lr_ban_rows_free(rows, n);
  lr_ban_store_purge(b->store, now_wall_usec, false);
  if (applied || expired || unreadable)
    lr_log(LOG_NOTICE, "bans restored: %d re-applied with their remaining time, %zu expired "
                       "record(s) dropped%s", applied, expired,
           unreadable ? ", unreadable records dropped" : "");
  return applied;
}

int lr_bans_remove(struct lr_bans *b, const char *addr, char *err, size_t errlen)
{
  return lr_bans_remove_ex(b, addr, NULL, NULL, err, errlen);
}

/* The sets an address is recorded in, for its removal. */
struct found_sets {
  int64_t now;
  struct { enum lr_ban_backend backend; char *set; bool live; } *sets;
  size_t n, cap;
};

static void found_set(void *ctx, const char *backend_name, const char *set, int64_t until,
                      bool has_error)
{
  struct found_sets *f = ctx;
  enum lr_ban_backend backend;
  char why[LR_ERR_MAX];
  if (lr_ban_backend_parse(backend_name, &backend) < 0 || !set ||
      set_check(backend, set, why, sizeof(why)) < 0)
    return; /* unreadable: its record goes too, nothing to delete from a firewall */
  LR_GROW(f->sets, f->n + 1, f->cap, 4);
  f->sets[f->n].backend = backend;
  f->sets[f->n].set = lr_xstrdup(set);
  /* a ban the firewall refused may be there all the same (a command killed
   * at its timeout after it did its work): its delete is tried too, and
   * "not there" is no error */
  (void)has_error;
  f->sets[f->n].live = until == 0 || until > f->now;
  f->n++;
}

int lr_bans_remove_ex(struct lr_bans *b, const char *addr, lr_bans_done_fn *done, void *ctx,
                      char *err, size_t errlen)
{
  return lr_bans_remove_flags(b, addr, 0, done, ctx, err, errlen);
}

int lr_bans_remove_flags(struct lr_bans *b, const char *addr, unsigned flags,
                         lr_bans_done_fn *done, void *ctx, char *err, size_t errlen)
{
  struct lr_ban_target t;
  char why[LR_ERR_MAX];
  if (!addr || parse_addr(addr, &t, why, sizeof(why)) < 0) {
    struct lr_buf q = {0};
    lr_ban_escape_for_log(&q, addr, addr ? strlen(addr) : 0);
    snprintf(err, errlen, "\"%s\" is not an address to unban: %s", q.data,
             addr ? why : "empty value");
    lr_buf_free(&q);
    return -1;
  }
  struct found_sets f = {.now = lr_wall_usec()};
  int removed = -1;
  if (lr_ban_store_by_addr(b->store, t.text, found_set, &f) == 0)
    /* the records first: a crash now leaves an element that times out, never a
     * record that a restore would apply again after the unban */
    removed = lr_ban_store_delete_addr(b->store, t.text);
  if (removed < 0)
    snprintf(err, errlen, "%s: removing the bans of %s: %s", lr_state_path(b->st), t.text,
             lr_ban_store_errmsg(b->store));
  struct removal *w = lr_xcalloc(1, sizeof(*w));
  w->left = 1; /* until every removal is started */
  w->done = removed > 0 ? done : NULL;
  w->ctx = ctx;
  for (size_t i = 0; i < f.n; i++) {
    if (removed >= 0 && f.sets[i].live)
      unapply(b, f.sets[i].backend, f.sets[i].set, &t, w);
    if (removed > 0 && b->observer && !(flags & LR_BAN_UNOBSERVED))
      b->observer(b->observer_ctx, &(struct lr_ban_event){.unban = true,
                                                          .backend = f.sets[i].backend,
                                                          .set = f.sets[i].set, .target = &t});
    free(f.sets[i].set);
  }
  free(f.sets);
  removal_one_done(w, NULL);
  if (removed > 0)
    lr_log(LOG_NOTICE, "unbanned %s (%d record%s)", t.text, removed, removed == 1 ? "" : "s");
  return removed;
}

int64_t lr_bans_in_force(struct lr_bans *b, int64_t now_wall_usec)
{
  return lr_ban_store_count_live(b->store, now_wall_usec);
}

int lr_bans_each(struct lr_bans *b, lr_bans_each_fn *cb, void *ctx)
{
  struct lr_ban_row *rows;
  size_t n;
  if (lr_ban_store_load(b->store, &rows, &n) < 0)
    return -1;
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    struct lr_ban_record r = {.backend_name = rows[i].backend, .set = rows[i].set,
                              .addr = rows[i].addr, .until_usec = rows[i].until,
                              .error = rows[i].error, .pending = rows[i].pending,
                              .origin = rows[i].origin, .since_usec = rows[i].since};
    if (lr_ban_backend_parse(rows[i].backend, &r.backend) < 0)
      continue;
    if (cb)
      cb(ctx, &r);
    count++;
  }
  lr_ban_rows_free(rows, n);
  return count;
}
