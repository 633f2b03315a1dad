#include "services.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int lr_services_open(struct lr_services *s, struct lr_state *st, uv_loop_t *loop, bool send,
                     char *err, size_t errlen)
{
  memset(s, 0, sizeof(*s));
  s->st = st;
  if (send && !(s->notify = lr_notify_open(st, loop, err, errlen)))
    return -1;
  s->dnat = lr_dnat_new();
  if (!s->dnat || load_dnat(s, err, errlen) < 0) {
    lr_services_close(s, 0);
    return -1;
  }
  return 0;
}

void lr_services_close(struct lr_services *s, int64_t now_usec)
{
  lr_notify_close(s->notify, now_usec);
  lr_dnat_free(s->dnat);
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

void lr_services_committed(struct lr_services *s)
{
  s->ncaptures = 0;
  lr_buf_clear(&s->dnat_text);
}

int lr_services_flush(struct lr_services *s, int64_t now_usec)
{
  int rc = 0;
  if (s->notify && lr_notify_flush(s->notify) < 0)
    rc = -1;
  if (flush_dnat(s, now_usec / 1000000) < 0)
    rc = -1;
  return rc;
}

bool lr_services_wants_flush(const struct lr_services *s)
{
  return s && (lr_notify_wants_flush(s->notify) || s->ncaptures > FLUSH_SOON_CAPTURES);
}
