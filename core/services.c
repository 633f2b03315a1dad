#include "services.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bans.h"
#include "counters.h"
#include "counters_store.h"
#include "dnat.h"
#include "log.h"
#include "notify.h"
#include "state.h"

#define DNAT_PURGE_EVERY_S 60    /* dead mappings leave the database this often */
#define FLUSH_SOON_CAPTURES 50000

struct pending_capture {
  int64_t t;
  unsigned bits;
  size_t offset[LR_DNAT_NFIELDS], len[LR_DNAT_NFIELDS];
  bool present[LR_DNAT_NFIELDS];
};

/* First second at which a mapping captured at t is dead: (now >> bits) > (t >> bits) + 1. */
static int64_t dies_at(int64_t t, unsigned bits)
{
  return ((t >> bits) + 2) * ((int64_t)1 << bits);
}

static int load_dnat(struct lr_services *s, char *err, size_t errlen)
{
  sqlite3 *db = lr_state_db(s->st);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, "SELECT t, bits, saddr, sport, addr, port, daddr, dport FROM dnat "
                             "ORDER BY id", -1, &q, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: reading DNAT mappings: %s", lr_state_path(s->st),
             sqlite3_errmsg(db));
    return -1;
  }
  size_t n = 0, refused = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    struct lr_dnat_values v = {0};
    for (int i = 0; i < LR_DNAT_NFIELDS; i++)
      if (sqlite3_column_type(q, 2 + i) != SQLITE_NULL) {
        const void *b = sqlite3_column_blob(q, 2 + i);
        v.field[i] = (struct lr_dnat_str){b ? b : "", (size_t)sqlite3_column_bytes(q, 2 + i)};
      }
    if (lr_dnat_restore(s->dnat, &v, sqlite3_column_int64(q, 0),
                        (unsigned)sqlite3_column_int(q, 1)))
      n++;
    else
      refused++;
  }
  sqlite3_finalize(q);
  if (n || refused)
    lr_log(LOG_INFO, "%zu DNAT mappings restored from the state%s", n,
           refused ? " (some unreadable rows skipped)" : "");
  return 0;
}

/* Under attack a category may hit its key limit thousands of times a second:
 * the first eviction is told at once, then a count at most once a minute (at
 * the next eviction or commit) and the rest when the services close, so that
 * the counts told add up to every key evicted. */
static void log_evictions(struct lr_services *s)
{
  lr_log(LOG_WARNING,
         "counters: category '%s' is full; %llu least recently raised key(s) evicted "
         "(%llu since start)",
         s->eviction_category ? s->eviction_category : "?",
         (unsigned long long)s->evictions_unlogged, (unsigned long long)s->counter_evictions);
  s->eviction_logged_at = (int64_t)time(NULL);
  s->evictions_unlogged = 0;
}

static void on_counter_evict(void *ctx, const char *category, const char *key, size_t len)
{
  (void)key, (void)len;
  struct lr_services *s = ctx;
  s->counter_evictions++;
  s->evictions_unlogged++;
  s->eviction_category = category; /* owned by the counters, which outlive the log */
  if ((int64_t)time(NULL) - s->eviction_logged_at >= 60)
    log_evictions(s);
}

int lr_services_open(struct lr_services *s, struct lr_state *st, uv_loop_t *loop,
                     unsigned what, char *err, size_t errlen)
{
  memset(s, 0, sizeof(*s));
  s->st = st;
  if ((what & LR_SVC_EMAIL) && !(s->notify = lr_notify_open(st, loop, err, errlen)))
    return -1;
  s->dnat = lr_dnat_new();
  s->counters = lr_counters_new();
  if (s->counters) {
    lr_counters_on_evict(s->counters, on_counter_evict, s);
    lr_counters_track_dirty(s->counters, true); /* flushed with each cursor commit */
  }
  if (!s->dnat || !s->counters || load_dnat(s, err, errlen) < 0 ||
      lr_counters_store_load(s->st, s->counters, err, errlen) < 0 ||
      ((what & LR_SVC_BANS) && !(s->bans = lr_bans_open(st, loop, err, errlen)))) {
    lr_services_close(s);
    return -1;
  }
  return 0;
}

void lr_services_close(struct lr_services *s)
{
  /* each close runs the loop until its own commands end: nothing else may use
   * a service by then (the daemon stops its signals and control socket first) */
  lr_bans_close(s->bans); /* runs the firewall commands still queued */
  s->bans = NULL;
  lr_notify_close(s->notify);
  s->notify = NULL;
  if (s->evictions_unlogged)
    log_evictions(s);
  lr_dnat_free(s->dnat);
  lr_counters_free(s->counters);
  free(s->captures);
  lr_buf_free(&s->dnat_text);
  memset(s, 0, sizeof(*s));
}

void lr_services_dnat_captured(struct lr_services *s, const struct lr_dnat_values *v,
                               unsigned bits, int64_t t)
{
  if (s->ncaptures == s->captures_cap) {
    s->captures_cap = s->captures_cap ? s->captures_cap * 2 : 64;
    s->captures = realloc(s->captures, s->captures_cap * sizeof(*s->captures));
  }
  struct pending_capture *c = &s->captures[s->ncaptures++];
  c->t = t;
  c->bits = bits;
  for (int i = 0; i < LR_DNAT_NFIELDS; i++) {
    c->present[i] = v->field[i].s != NULL;
    c->offset[i] = s->dnat_text.len;
    c->len[i] = c->present[i] ? v->field[i].len : 0;
    if (c->present[i])
      lr_buf_add(&s->dnat_text, v->field[i].s, v->field[i].len);
  }
}

static int flush_dnat(struct lr_services *s, int64_t now)
{
  sqlite3 *db = lr_state_db(s->st);
  sqlite3_stmt *ins = NULL;
  int rc = 0;
  if (s->ncaptures &&
      sqlite3_prepare_v2(db, "INSERT INTO dnat (t, bits, dies_at, saddr, sport, addr, port, "
                             "daddr, dport) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         -1, &ins, NULL) != SQLITE_OK)
    rc = -1;
  for (size_t k = 0; rc == 0 && k < s->ncaptures; k++) {
    const struct pending_capture *c = &s->captures[k];
    sqlite3_bind_int64(ins, 1, c->t);
    sqlite3_bind_int(ins, 2, (int)c->bits);
    sqlite3_bind_int64(ins, 3, dies_at(c->t, c->bits));
    for (int i = 0; i < LR_DNAT_NFIELDS; i++)
      if (c->present[i])
        sqlite3_bind_blob(ins, 4 + i, s->dnat_text.data + c->offset[i], (int)c->len[i],
                          SQLITE_STATIC);
      else
        sqlite3_bind_null(ins, 4 + i);
    if (sqlite3_step(ins) != SQLITE_DONE)
      rc = -1;
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  if (rc == 0 && now - s->last_dnat_purge >= DNAT_PURGE_EVERY_S) {
    sqlite3_stmt *del;
    if (sqlite3_prepare_v2(db, "DELETE FROM dnat WHERE dies_at <= ?", -1, &del, NULL) ==
        SQLITE_OK) {
      sqlite3_bind_int64(del, 1, now);
      if (sqlite3_step(del) != SQLITE_DONE)
        rc = -1;
      sqlite3_finalize(del);
    } else {
      rc = -1;
    }
    if (rc == 0)
      s->last_dnat_purge = now;
  }
  if (rc < 0) {
    lr_log(LOG_ERR, "%s: saving DNAT mappings: %s", lr_state_path(s->st), sqlite3_errmsg(db));
    return -1;
  }
  return 0;
}

static void services_committed(struct lr_services *s)
{
  s->ncaptures = 0;
  lr_buf_clear(&s->dnat_text);
  if (s->notify)
    lr_notify_committed(s->notify); /* may send a report that came due */
}

/* Counters changed since the last flush. The dirty set is consumed there, so
 * after a rolled-back flush the table is rewritten whole (rare: disk full). */
static int flush_counters(struct lr_services *s)
{
  if (lr_counters_store_save(s->st, s->counters, s->counters_resync) < 0)
    return -1;
  s->counters_resync = false; /* until a rollback says otherwise */
  return 0;
}

static int services_flush(struct lr_services *s, int64_t now_usec)
{
  int rc = 0;
  if (s->evictions_unlogged && (int64_t)time(NULL) - s->eviction_logged_at >= 60)
    log_evictions(s);
  if (flush_counters(s) < 0)
    rc = -1;
  if (s->notify && lr_notify_flush(s->notify) < 0)
    rc = -1;
  if (flush_dnat(s, now_usec / 1000000) < 0)
    rc = -1;
  return rc;
}

int lr_services_commit(struct lr_services *s, const char *cursor_key, const char *cursor,
                       int64_t now_usec)
{
  if (lr_state_begin(s->st) < 0)
    return -1;
  bool ok = (!cursor || lr_state_set(s->st, cursor_key, cursor) == 0) &&
            services_flush(s, now_usec) == 0;
  if (ok && lr_state_commit(s->st) == 0) { /* a failed commit rolls back */
    services_committed(s);
    return 0;
  }
  lr_state_rollback(s->st); /* if still open */
  s->counters_resync = true; /* the dirty set is gone: write every counter again */
  return -1;
}

bool lr_services_wants_flush(const struct lr_services *s)
{
  return s && (lr_notify_wants_flush(s->notify) || s->ncaptures > FLUSH_SOON_CAPTURES);
}
