#include "bans.h"

#include <ctype.h>
#include <nftables/libnftables.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "state.h"
#include "subprocess.h"

#define PURGE_EVERY_USEC (60 * (int64_t)1000000) /* expired records leave the table */
#define LOG_OUTPUT_MAX 240                       /* bytes of a command's output in a log line */

/* One command line or a short sequence of them, run in order on the loop. */
struct job {
  struct job *next;
  struct lr_bans *b;
  struct queue *q;
  char **argv[2];
  unsigned nsteps, step;
  bool may_fail[2];  /* a delete before an add, or of an element that may have expired */
  bool is_exec;
  unsigned timeout_ms;
  char what[192];    /* "ban of 192.0.2.7 in ipset bans4", "exec /usr/local/bin/x" */
  char *error;       /* the failure of a step that may not fail, NULL so far */
  /* a ban or restore: its record's state is written when the job ends */
  bool mark;
  enum lr_ban_backend backend;
  char *set, *addr;
  lr_bans_done_fn *done; /* told once, at the end */
  void *done_ctx;
};

struct queue {
  struct job *head, *tail;
  unsigned waiting, running, max_running, max_waiting;
};

struct lr_bans {
  struct lr_state *st;
  sqlite3 *db;
  uv_loop_t *loop;
  struct lr_ban_config cfg;
  struct nft_ctx *nft;
  sqlite3_stmt *put, *get, *by_addr, *del_addr, *purge, *del_one, *mark;
  struct queue bans_q, exec_q;
  struct lr_bans_stats stats;
  int64_t last_purge_usec;
};

static const char *const backend_names[] = {"nft", "ipset"};

const char *lr_ban_backend_name(enum lr_ban_backend backend)
{
  return backend == LR_BAN_IPSET ? backend_names[1] : backend_names[0];
}

static int backend_parse(const char *name, enum lr_ban_backend *out)
{
  if (!name)
    return -1;
  if (strcmp(name, "nft") == 0)
    *out = LR_BAN_NFT;
  else if (strcmp(name, "ipset") == 0)
    *out = LR_BAN_IPSET;
  else
    return -1;
  return 0;
}

/* A command's output or libnftables' message as one log-friendly line: lines
 * joined with " | ", blank lines and nft's "^^^^" markers left out. */
static void one_line(struct lr_buf *out, const char *s, size_t len)
{
  size_t start = out->len;
  for (size_t i = 0; i < len && out->len - start < LOG_OUTPUT_MAX;) {
    size_t end = i;
    while (end < len && s[end] != '\n')
      end++;
    size_t a = i, z = end;
    while (a < z && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
      a++;
    while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t' || s[z - 1] == '\r'))
      z--;
    if (z > a && strspn(s + a, "^ ~") < z - a) {
      if (out->len > start)
        lr_buf_add(out, " | ", 3);
      for (size_t k = a; k < z && out->len - start < LOG_OUTPUT_MAX; k++) {
        unsigned char c = (unsigned char)s[k];
        lr_buf_addc(out, c < 0x20 || c == 0x7f ? '?' : (char)c);
      }
    }
    i = end + 1;
  }
  if (!out->data)
    lr_buf_add(out, "", 0);
}

/* ------------------------------------------------------------------ command queue */

static void job_free(struct job *j)
{
  for (unsigned i = 0; i < j->nsteps; i++)
    lr_ban_argv_free(j->argv[i]);
  free(j->error);
  free(j->set);
  free(j->addr);
  free(j);
}

static void record_mark(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                        const char *addr, const char *error);

/* The job ran its last step (or could not start one): its record and its
 * caller learn the outcome. */
static void job_end(struct job *j)
{
  if (j->mark)
    record_mark(j->b, j->backend, j->set, j->addr, j->error);
  if (j->done)
    j->done(j->done_ctx, j->error);
  job_free(j);
}

static void job_fail(struct job *j, const char *why, const char *output)
{
  free(j->error);
  size_t n = strlen(why) + (output ? strlen(output) : 0) + 3;
  j->error = malloc(n);
  lr_assert(j->error != NULL);
  snprintf(j->error, n, "%s%s%s", why, output && *output ? ": " : "", output ? output : "");
}

static void job_done(void *opaque, const struct lr_spawn_result *r);

static int job_start_step(struct job *j)
{
  return lr_spawn_start(j->b->loop, (const char *const *)j->argv[j->step], NULL, 0,
                        j->timeout_ms, job_done, j);
}

static void queue_kick(struct queue *q)
{
  while (q->head && q->running < q->max_running) {
    struct job *j = q->head;
    q->head = j->next;
    if (!q->head)
      q->tail = NULL;
    q->waiting--;
    q->running++;
    if (job_start_step(j) < 0) { /* only for an empty argv, which the config refuses */
      lr_log(LOG_ERR, "%s: cannot start the command", j->what);
      q->running--;
      if (!j->is_exec)
        j->b->stats.failed++;
      job_fail(j, "cannot start the command", NULL);
      job_end(j);
    }
  }
}

static void job_report(struct job *j, const struct lr_spawn_result *r)
{
  struct lr_bans *b = j->b;
  bool ok = lr_spawn_ok(r);
  bool is_last = j->step + 1 == j->nsteps;
  if (j->is_exec) {
    if (ok) {
      b->stats.exec_ok++;
      return;
    }
    b->stats.exec_failed++;
  } else if (ok) {
    if (is_last)
      b->stats.applied++;
    return;
  } else if (j->may_fail[j->step]) {
    struct lr_buf o = {0};
    one_line(&o, r->output, r->output_len);
    lr_log(LOG_DEBUG, "%s: the delete before it failed (%s: %s)", j->what, r->error, o.data);
    lr_buf_free(&o);
    return;
  } else {
    b->stats.failed++;
  }
  struct lr_buf o = {0};
  one_line(&o, r->output, r->output_len);
  lr_log(j->is_exec ? LOG_WARNING : LOG_ERR, "%s failed: %s%s%s", j->what, r->error,
         o.len ? ": " : "", o.data);
  job_fail(j, r->error, o.data);
  lr_buf_free(&o);
}

static void job_done(void *opaque, const struct lr_spawn_result *r)
{
  struct job *j = opaque;
  job_report(j, r);
  j->step++;
  if (j->step < j->nsteps) {
    if (job_start_step(j) == 0)
      return;
    if (!j->is_exec)
      j->b->stats.failed++;
    job_fail(j, "cannot start the command", NULL);
  }
  struct queue *q = j->q;
  q->running--;
  job_end(j);
  queue_kick(q);
}

/* Takes ownership of the argvs (freed on refusal). NULL when it cannot be
 * queued; else the job, which the caller may still fill in (it starts on
 * the loop's next turn at the earliest: lr_spawn only forks). */
static struct job *queue_push(struct lr_bans *b, struct queue *q, bool is_exec, unsigned timeout_ms,
                      const char *what, char **first, bool first_may_fail, char **second,
                      bool second_may_fail)
{
  if (!b->loop || q->waiting >= q->max_waiting || !first) {
    lr_ban_argv_free(first);
    lr_ban_argv_free(second);
    return NULL;
  }
  struct job *j = calloc(1, sizeof(*j));
  lr_assert(j != NULL);
  j->b = b;
  j->q = q;
  j->is_exec = is_exec;
  j->timeout_ms = timeout_ms;
  j->argv[j->nsteps] = first;
  j->may_fail[j->nsteps++] = first_may_fail;
  if (second) {
    j->argv[j->nsteps] = second;
    j->may_fail[j->nsteps++] = second_may_fail;
  }
  snprintf(j->what, sizeof(j->what), "%s", what);
  if (q->tail)
    q->tail->next = j;
  else
    q->head = j;
  q->tail = j;
  q->waiting++;
  return j;
}

/* ------------------------------------------------------------------ libnftables */

/* Runs nft statements in this process: one netlink transaction. 0, or -1 with
 * libnftables' message (first lines, on one line) in err. */
static int nft_run(struct lr_bans *b, const char *cmds, struct lr_buf *err)
{
  if (!b->nft) {
    b->nft = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!b->nft) {
      lr_buf_printf(err, "libnftables: cannot create a context");
      return -1;
    }
    nft_ctx_buffer_output(b->nft);
    nft_ctx_buffer_error(b->nft);
  }
  int rc = nft_run_cmd_from_buffer(b->nft, cmds);
  nft_ctx_get_output_buffer(b->nft); /* rewinds it */
  const char *msg = nft_ctx_get_error_buffer(b->nft);
  if (rc == 0)
    return 0;
  if (msg && *msg)
    one_line(err, msg, strlen(msg));
  else
    lr_buf_printf(err, "libnftables: error %d", rc);
  return -1;
}

/* ------------------------------------------------------------------ records */

static int set_check(enum lr_ban_backend backend, const char *set, char *err, size_t errlen)
{
  if (!set)
    return snprintf(err, errlen, "no set"), -1;
  return backend == LR_BAN_NFT ? lr_ban_nft_set_parse(set, err, errlen)
                               : lr_ban_ipset_name_check(set, err, errlen);
}

static void bind_key(sqlite3_stmt *q, enum lr_ban_backend backend, const char *set,
                     const char *addr)
{
  sqlite3_bind_text(q, 1, lr_ban_backend_name(backend), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, set, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, addr, -1, SQLITE_STATIC);
}

/* 1 and *until when recorded, 0 when not, -1 on a database error. */
static int record_get(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                      const char *addr, int64_t *until)
{
  bind_key(b->get, backend, set, addr);
  int rc = sqlite3_step(b->get);
  int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
  if (found == 1)
    *until = sqlite3_column_int64(b->get, 0);
  sqlite3_reset(b->get);
  return found;
}

static int step_done(struct lr_bans *b, sqlite3_stmt *q, const char *what)
{
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  sqlite3_clear_bindings(q);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: %s: %s", lr_state_path(b->st), what, sqlite3_errmsg(b->db));
    return -1;
  }
  return 0;
}

static void purge_expired(struct lr_bans *b, int64_t now)
{
  sqlite3_bind_int64(b->purge, 1, now);
  if (step_done(b, b->purge, "dropping expired bans") == 0)
    b->last_purge_usec = now;
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
  struct lr_bans *b = calloc(1, sizeof(*b));
  lr_assert(b != NULL);
  b->st = st;
  b->db = lr_state_db(st);
  b->loop = loop;
  lr_ban_config_init(&b->cfg);
  b->bans_q.max_running = 1; /* in order: a delete, then the add, of one address */
  b->bans_q.max_waiting = LR_BANS_QUEUE_MAX;
  b->exec_q.max_running = LR_BANS_EXEC_RUNNING_MAX;
  b->exec_q.max_waiting = LR_BANS_EXEC_QUEUE_MAX;
  static const struct { size_t offset; const char *sql; } stmts[] = {
    {offsetof(struct lr_bans, put), "INSERT OR REPLACE INTO ban (backend, set_name, addr, "
                                    "until_usec, pending, error) VALUES (?, ?, ?, ?, ?, NULL)"},
    {offsetof(struct lr_bans, mark), "UPDATE ban SET pending = 0, error = ?4 WHERE backend = ?1 "
                                     "AND set_name = ?2 AND addr = ?3"},
    {offsetof(struct lr_bans, get), "SELECT until_usec FROM ban WHERE backend = ? AND "
                                    "set_name = ? AND addr = ?"},
    {offsetof(struct lr_bans, del_one), "DELETE FROM ban WHERE backend = ? AND set_name = ? "
                                        "AND addr = ?"},
    {offsetof(struct lr_bans, by_addr), "SELECT backend, set_name, until_usec, error FROM ban "
                                        "WHERE addr = ? ORDER BY backend, set_name"},
    {offsetof(struct lr_bans, del_addr), "DELETE FROM ban WHERE addr = ?"},
    {offsetof(struct lr_bans, purge), "DELETE FROM ban WHERE until_usec != 0 AND "
                                      "until_usec <= ?"},
  };
  for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
    sqlite3_stmt **q = (sqlite3_stmt **)((char *)b + stmts[i].offset);
    if (sqlite3_prepare_v2(b->db, stmts[i].sql, -1, q, NULL) != SQLITE_OK) {
      snprintf(err, errlen, "%s: bans: %s", lr_state_path(st), sqlite3_errmsg(b->db));
      lr_bans_close(b);
      return NULL;
    }
  }
  return b;
}

unsigned lr_bans_pending(const struct lr_bans *b)
{
  if (!b)
    return 0;
  return b->bans_q.waiting + b->bans_q.running + b->exec_q.waiting + b->exec_q.running;
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
  sqlite3_finalize(b->put);
  sqlite3_finalize(b->get);
  sqlite3_finalize(b->del_one);
  sqlite3_finalize(b->by_addr);
  sqlite3_finalize(b->del_addr);
  sqlite3_finalize(b->purge);
  sqlite3_finalize(b->mark);
  if (b->nft)
    nft_ctx_free(b->nft);
  lr_ban_config_free(&b->cfg);
  free(b);
}

void lr_bans_configure(struct lr_bans *b, const struct lr_ban_config *c)
{
  if (b && c)
    lr_ban_config_copy(&b->cfg, c);
}

void lr_bans_get_stats(const struct lr_bans *b, struct lr_bans_stats *out)
{
  if (b)
    *out = b->stats;
  else
    memset(out, 0, sizeof(*out));
}

/* ------------------------------------------------------------------ applying */

/* Writes what the firewall said of a recorded ban: error NULL once applied. */
static void record_mark(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                        const char *addr, const char *error)
{
  bind_key(b->mark, backend, set, addr);
  if (error)
    sqlite3_bind_text(b->mark, 4, error, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(b->mark, 4);
  step_done(b, b->mark, "recording a ban's state");
}

/* How a change's outcome reaches its record and its caller. */
struct outcome {
  enum { MARK_NONE, MARK_FAILURE, MARK_ALWAYS } mark; /* FAILURE: the record says applied */
  lr_bans_done_fn *done;
  void *ctx;
};

static void outcome_now(struct lr_bans *b, const struct outcome *o, enum lr_ban_backend backend,
                        const char *set, const char *addr, const char *error)
{
  if (o->mark == MARK_ALWAYS || (o->mark == MARK_FAILURE && error))
    record_mark(b, backend, set, addr, error);
  if (o->done)
    o->done(o->ctx, error);
}

static void job_outcome(struct job *j, const struct outcome *o, enum lr_ban_backend backend,
                        const char *set, const char *addr)
{
  j->done = o->done;
  j->done_ctx = o->ctx;
  if (o->mark != MARK_NONE) {
    j->mark = true;
    j->backend = backend;
    j->set = strdup(set);
    j->addr = strdup(addr);
    lr_assert(j->set && j->addr);
  }
}

/* Builds "add" (and, when `replace`, the "delete" that goes first) for one
 * ban, and applies them: in-process for nft without a command, else queued. */
static void apply(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                  const struct lr_ban_target *t, unsigned timeout_s, bool replace,
                  const char *verb, const struct outcome *o)
{
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
        rc = nft_run(b, both.data, &err);
        if (rc < 0) /* most likely the element had expired: add it alone */
          lr_buf_clear(&err);
      }
      if (rc < 0)
        rc = nft_run(b, add.data, &err);
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
  unsigned ms = b->cfg.timeout_s * 1000;
  struct job *j = del ? queue_push(b, &b->bans_q, false, ms, what, del, true, add, false)
                      : queue_push(b, &b->bans_q, false, ms, what, add, false, NULL, false);
  if (!j) {
    b->stats.deferred++;
    const char *why =
      b->loop ? "too many firewall commands waiting" : "no event loop to run commands";
    lr_log(LOG_WARNING, "%s deferred: %s; it is recorded, and `luruse restore` or the next "
                        "start applies it", what, why);
    char msg[160];
    snprintf(msg, sizeof(msg), "deferred (%s): `luruse restore` applies it", why);
    struct outcome fail = *o;
    if (fail.mark != MARK_NONE)
      fail.mark = MARK_ALWAYS;
    outcome_now(b, &fail, backend, set, t->text, msg);
    return;
  }
  job_outcome(j, o, backend, set, t->text);
  queue_kick(&b->bans_q);
}

/* Several removals (one per set) told to the caller as one. */
struct removal {
  unsigned left; /* removals not answered yet, +1 while they are being started */
  struct lr_buf errors;
  lr_bans_done_fn *done;
  void *ctx;
};

static void removal_one_done(void *ctx, const char *error)
{
  struct removal *w = ctx;
  if (error) {
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
    if (lr_ban_nft_delete(&stmt, set, t) == 0 && nft_run(b, stmt.data, &err) == 0) {
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
  unsigned ms = b->cfg.timeout_s * 1000;
  struct job *j = queue_push(b, &b->bans_q, false, ms, what, del, false, NULL, false);
  if (!j) {
    lr_log(LOG_WARNING, "%s: cannot run the command now", what);
    struct lr_buf msg = {0};
    lr_buf_printf(&msg, "%s %s: cannot run the command now", lr_ban_backend_name(backend), set);
    removal_one_done(w, msg.data);
    lr_buf_free(&msg);
    return;
  }
  j->done = removal_one_done;
  j->done_ctx = w;
  queue_kick(&b->bans_q);
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
  char why[160];
  if (!t || memchr(t->text, '\0', sizeof(t->text)) == NULL ||
      parse_addr(t->text, &again, why, sizeof(why)) < 0 || again.family != t->family ||
      again.prefix != t->prefix || strcmp(again.text, t->text) != 0 ||
      memcmp(again.addr, t->addr, sizeof(again.addr)) != 0) {
    snprintf(err, errlen, "not a parsed address");
    return -1;
  }
  int64_t old_until = 0;
  int found = record_get(b, backend, set, t->text, &old_until);
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
  bind_key(b->put, backend, set, t->text);
  sqlite3_bind_int64(b->put, 4, until);
  sqlite3_bind_int(b->put, 5, queued);
  bool recorded = false;
  if (found < 0 || step_done(b, b->put, "recording a ban") < 0)
    lr_log(LOG_CRIT, "%s: the ban of %s is applied but NOT recorded (%s): it will not be "
           "restored after a restart", lr_state_path(b->st), t->text, sqlite3_errmsg(b->db));
  else {
    b->stats.recorded++;
    recorded = true;
  }
  if (seconds)
    lr_log(LOG_DEBUG, "banning %s in %s %s for %u s", t->text, lr_ban_backend_name(backend), set,
           seconds);
  else
    lr_log(LOG_DEBUG, "banning %s in %s %s for ever", t->text, lr_ban_backend_name(backend), set);
  /* a fresh record says "applied" (or "pending" when queued): only a failure,
   * or a queued command's end, is written afterwards */
  struct outcome o = {.mark = !recorded ? MARK_NONE : queued ? MARK_ALWAYS : MARK_FAILURE,
                      .done = rq ? rq->done : NULL, .ctx = rq ? rq->ctx : NULL};
  apply(b, backend, set, t, seconds, live, "ban", &o);
  if (now_wall_usec - b->last_purge_usec >= PURGE_EVERY_USEC)
    purge_expired(b, now_wall_usec);
  return 0;
}

/* ------------------------------------------------------------------ restore, remove, list */

struct row {
  char *backend, *set, *addr;
  int64_t until;
  char *error; /* NULL: applied */
  bool pending;
};

static void rows_free(struct row *rows, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(rows[i].backend);
    free(rows[i].set);
    free(rows[i].addr);
    free(rows[i].error);
  }
  free(rows);
}

static char *column_dup(sqlite3_stmt *q, int i)
{
  const unsigned char *s = sqlite3_column_text(q, i);
  char *d = strdup(s ? (const char *)s : "");
  lr_assert(d != NULL);
  return d;
}

/* All records, ordered; -1 on a database error. */
static int rows_load(struct lr_bans *b, struct row **out, size_t *n)
{
  sqlite3_stmt *q;
  *out = NULL;
  *n = 0;
  if (sqlite3_prepare_v2(b->db, "SELECT backend, set_name, addr, until_usec, error, pending FROM ban "
                                "ORDER BY backend, set_name, addr", -1, &q, NULL) != SQLITE_OK) {
    lr_log(LOG_ERR, "%s: reading bans: %s", lr_state_path(b->st), sqlite3_errmsg(b->db));
    return -1;
  }
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      *out = realloc(*out, cap * sizeof(**out));
      lr_assert(*out != NULL);
    }
    struct row *r = &(*out)[(*n)++];
    r->backend = column_dup(q, 0);
    r->set = column_dup(q, 1);
    r->addr = column_dup(q, 2);
    r->until = sqlite3_column_int64(q, 3);
    r->error = sqlite3_column_type(q, 4) == SQLITE_NULL ? NULL : column_dup(q, 4);
    r->pending = sqlite3_column_int(q, 5) != 0;
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    lr_log(LOG_ERR, "%s: reading bans: %s", lr_state_path(b->st), sqlite3_errmsg(b->db));
    rows_free(*out, *n);
    *out = NULL;
    *n = 0;
    return -1;
  }
  return 0;
}

/* A record is used only when every part is valid and the address canonical. */
static int row_check(const struct row *r, enum lr_ban_backend *backend,
                     struct lr_ban_target *t, char *why, size_t whylen)
{
  if (backend_parse(r->backend, backend) < 0) {
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

/* libnftables: many restored elements in one transaction, since each call
 * fetches the ruleset (and, for interval sets, the set's elements) again. */
#define RESTORE_BATCH 256

struct nft_batch {
  struct lr_buf text; /* statements, one per line */
  size_t n;
  const struct row *rows[RESTORE_BATCH]; /* whose statement each line is */
};

/* A restored record's state, written only when it changes. */
static void restore_mark(struct lr_bans *b, const struct row *r, const char *error)
{
  enum lr_ban_backend backend;
  if ((error || r->error || r->pending) && backend_parse(r->backend, &backend) == 0)
    record_mark(b, backend, r->set, r->addr, error);
}

/* Runs the batch; when the transaction is refused, each statement alone, so
 * that only the faulty ones fail (and each is logged). */
static void batch_flush(struct lr_bans *b, struct nft_batch *batch)
{
  if (!batch->n)
    return;
  struct lr_buf err = {0};
  if (nft_run(b, batch->text.data, &err) == 0) {
    b->stats.applied += batch->n;
    for (size_t i = 0; i < batch->n; i++)
      restore_mark(b, batch->rows[i], NULL);
  } else {
    size_t i = 0;
    for (char *line = batch->text.data, *end; line && *line; line = end ? end + 1 : NULL, i++) {
      end = strchr(line, '\n');
      if (end)
        *end = '\0';
      lr_buf_clear(&err);
      int rc = nft_run(b, line, &err);
      if (rc == 0) {
        b->stats.applied++;
      } else {
        b->stats.failed++;
        lr_log(LOG_ERR, "restore failed: %s", err.data); /* nft's message quotes the statement */
      }
      if (i < batch->n)
        restore_mark(b, batch->rows[i], rc == 0 ? NULL : err.data);
    }
  }
  lr_buf_free(&err);
  lr_buf_clear(&batch->text);
  batch->n = 0;
}

int lr_bans_restore(struct lr_bans *b, int64_t now_wall_usec)
{
  struct row *rows;
  size_t n;
  if (rows_load(b, &rows, &n) < 0)
    return -1;
  int applied = 0;
  size_t expired = 0, unreadable = 0;
  struct nft_batch batch = {0};
  for (size_t i = 0; i < n; i++) {
    const struct row *r = &rows[i];
    enum lr_ban_backend backend;
    struct lr_ban_target t;
    char why[160];
    if (row_check(r, &backend, &t, why, sizeof(why)) < 0) {
      struct lr_buf q = {0};
      lr_ban_escape_for_log(&q, r->addr, strlen(r->addr));
      lr_log(LOG_WARNING, "dropping an unreadable ban record (%s, \"%s\"): %s", r->backend,
             q.data, why);
      lr_buf_free(&q);
      sqlite3_bind_text(b->del_one, 1, r->backend, -1, SQLITE_STATIC);
      sqlite3_bind_text(b->del_one, 2, r->set, -1, SQLITE_STATIC);
      sqlite3_bind_text(b->del_one, 3, r->addr, -1, SQLITE_STATIC);
      step_done(b, b->del_one, "dropping a ban record");
      unreadable++;
      continue;
    }
    if (r->until != 0 && r->until <= now_wall_usec) {
      expired++;
      continue;
    }
    unsigned left = r->until ? lr_bans_remaining_s(r->until, now_wall_usec) : 0;
    applied++;
    if (backend == LR_BAN_NFT && !b->cfg.nft) {
      if (batch.n)
        lr_buf_addc(&batch.text, '\n');
      if (lr_ban_nft_add(&batch.text, r->set, &t, left) == 0) {
        batch.rows[batch.n] = r;
        if (++batch.n == RESTORE_BATCH)
          batch_flush(b, &batch);
      }
      continue;
    }
    struct outcome o = {.mark = r->error || r->pending ? MARK_ALWAYS : MARK_FAILURE};
    apply(b, backend, r->set, &t, left, false, "restore", &o);
  }
  batch_flush(b, &batch);
  lr_buf_free(&batch.text);
  rows_free(rows, n);
  purge_expired(b, now_wall_usec);
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

int lr_bans_remove_ex(struct lr_bans *b, const char *addr, lr_bans_done_fn *done, void *ctx,
                      char *err, size_t errlen)
{
  struct lr_ban_target t;
  char why[160];
  if (!addr || parse_addr(addr, &t, why, sizeof(why)) < 0) {
    struct lr_buf q = {0};
    lr_ban_escape_for_log(&q, addr, addr ? strlen(addr) : 0);
    snprintf(err, errlen, "\"%s\" is not an address to unban: %s", q.data,
             addr ? why : "empty value");
    lr_buf_free(&q);
    return -1;
  }
  int64_t now = lr_wall_usec();
  struct { enum lr_ban_backend backend; char *set; bool live; } *found = NULL;
  size_t n = 0, cap = 0;
  sqlite3_bind_text(b->by_addr, 1, t.text, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(b->by_addr)) == SQLITE_ROW) {
    enum lr_ban_backend backend;
    const char *set = (const char *)sqlite3_column_text(b->by_addr, 1);
    if (backend_parse((const char *)sqlite3_column_text(b->by_addr, 0), &backend) < 0 || !set ||
        set_check(backend, set, why, sizeof(why)) < 0)
      continue; /* unreadable: its record goes below, nothing to delete from a firewall */
    if (n == cap) {
      cap = cap ? cap * 2 : 4;
      found = realloc(found, cap * sizeof(*found));
      lr_assert(found != NULL);
    }
    int64_t until = sqlite3_column_int64(b->by_addr, 2);
    found[n].backend = backend;
    found[n].set = strdup(set);
    lr_assert(found[n].set != NULL);
    /* a ban the firewall refused is in no set: only its record goes */
    found[n].live = (until == 0 || until > now) &&
                    sqlite3_column_type(b->by_addr, 3) == SQLITE_NULL;
    n++;
  }
  sqlite3_reset(b->by_addr);
  sqlite3_clear_bindings(b->by_addr);
  int removed = -1;
  if (rc == SQLITE_DONE) {
    /* the records first: a crash now leaves an element that times out, never a
     * record that a restore would apply again after the unban */
    sqlite3_bind_text(b->del_addr, 1, t.text, -1, SQLITE_STATIC);
    if (step_done(b, b->del_addr, "removing bans") == 0)
      removed = sqlite3_changes(b->db);
  }
  if (removed < 0)
    snprintf(err, errlen, "%s: removing the bans of %s: %s", lr_state_path(b->st), t.text,
             sqlite3_errmsg(b->db));
  struct removal *w = calloc(1, sizeof(*w));
  lr_assert(w != NULL);
  w->left = 1; /* until every removal is started */
  w->done = removed > 0 ? done : NULL;
  w->ctx = ctx;
  for (size_t i = 0; i < n; i++) {
    if (removed >= 0 && found[i].live)
      unapply(b, found[i].backend, found[i].set, &t, w);
    free(found[i].set);
  }
  free(found);
  removal_one_done(w, NULL);
  if (removed > 0)
    lr_log(LOG_NOTICE, "unbanned %s (%d record%s)", t.text, removed, removed == 1 ? "" : "s");
  return removed;
}

int lr_bans_each(struct lr_bans *b, lr_bans_each_fn *cb, void *ctx)
{
  struct row *rows;
  size_t n;
  if (rows_load(b, &rows, &n) < 0)
    return -1;
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    struct lr_ban_record r = {.backend_name = rows[i].backend, .set = rows[i].set,
                              .addr = rows[i].addr, .until_usec = rows[i].until,
                              .error = rows[i].error, .pending = rows[i].pending};
    if (backend_parse(rows[i].backend, &r.backend) < 0)
      continue;
    if (cb)
      cb(ctx, &r);
    count++;
  }
  rows_free(rows, n);
  return count;
}

/* ------------------------------------------------------------------ exec */

int lr_bans_exec(struct lr_bans *b, const char *const *argv, unsigned timeout_ms)
{
  if (!b || !argv || !argv[0] || !argv[0][0])
    return -1;
  size_t n = 0;
  while (argv[n])
    n++;
  char **copy = calloc(n + 1, sizeof(*copy));
  lr_assert(copy != NULL);
  for (size_t i = 0; i < n; i++) {
    copy[i] = strdup(argv[i]);
    lr_assert(copy[i] != NULL);
  }
  char what[192];
  snprintf(what, sizeof(what), "exec %s", argv[0]);
  if (!queue_push(b, &b->exec_q, true, timeout_ms, what, copy, false, NULL, false)) {
    b->stats.exec_refused++;
    return -1;
  }
  queue_kick(&b->exec_q);
  return 0;
}
