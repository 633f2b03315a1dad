/* What outlives a rule reload: emails and the daily report, counters and
 * DNAT mappings. Owned by the daemon or the replay
 * command, loaded from the state database at start, and written back in the
 * same transaction as the journal cursor, so that a crash replays both or
 * neither. Each feature keeps its own tables (counters_store.h, dnat_store.h,
 * notify.h, bans.h); this only opens them, wires them and commits them.
 *
 *   struct lr_services svc;
 *   if (lr_services_open(&svc, state, loop, LR_SVC_ALL, err, sizeof(err)) < 0) ...
 *   lr_engine_init(&eng, &svc, trace, log_to_stderr);
 *   struct lr_state_kv at[] = {{"cursor:local", cursor}};
 *   lr_services_commit(&svc, at, 1, eng.clock.now_usec); // every second
 *   lr_services_close(&svc);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "util/buf.h"

struct lr_state_kv;

struct lr_state;
struct lr_notify;
struct lr_dnat;
struct lr_counters;
struct lr_bans;
struct lr_exec_queue;
struct lr_fleet;
struct lr_dnat_values;
struct lr_dnat_store;

struct lr_services {
  struct lr_state *st;
  struct lr_notify *notify; /* NULL with --no-email */
  struct lr_dnat *dnat;
  struct lr_counters *counters;
  struct lr_sessions *sessions;     /* jails' session id -> address (state/sessions.h) */
  struct lr_bans *bans;             /* firewall bans (recorded at once, not at flush) */
  struct lr_exec_queue *exec;       /* exec actions' commands; opened with the bans */
  struct lr_fleet *fleet;           /* bans shared through Redis (run only: LR_SVC_FLEET) */
  uint64_t counter_evictions;       /* keys evicted at a category's limit, ever */
  int64_t eviction_logged_at;       /* wall seconds: evictions are logged once a minute */
  uint64_t evictions_unlogged;      /* since that log line */
  const char *eviction_category;    /* of the latest eviction */
  size_t dnat_evictions_logged;     /* DNAT mappings evicted, as told so far */
  int64_t dnat_eviction_logged_at;  /* wall seconds */
  struct lr_dnat_store *dnat_store; /* DNAT captures not yet in the database */
  bool counters_resync; /* a flush was rolled back: write every counter again */
  size_t counters_logged; /* records in the counters' log (state/counters_store.h) */
  uint64_t allowlisted; /* jail failures of allowlisted addresses, spared */
};

/* What a run may do to the world; replay can leave either out. */
enum { LR_SVC_EMAIL = 1, LR_SVC_BANS = 2, LR_SVC_ALL = 3, LR_SVC_FLEET = 4 };
/* loop may be NULL (nothing sent or run). Without LR_SVC_EMAIL no notify
 * service exists; without LR_SVC_BANS neither the ban service nor the exec
 * queue (ban and exec steps then change nothing): exec has nothing to do with
 * bans, but `luruse replay --no-bans` promises to act on nothing, so one
 * switch turns both off. */
int lr_services_open(struct lr_services *s, struct lr_state *st, uv_loop_t *loop,
                     unsigned what, char *err, size_t errlen);
/* Runs the loop until their commands end (each close does too). */
void lr_services_close(struct lr_services *s);
/* Commands queued or running: the firewall's and exec's (not emails: notify.h). */
unsigned lr_services_pending(const struct lr_services *s);
/* Runs the loop until nothing lr_services_pending counts is left (replay's
 * end, the daemon's stop). */
void lr_services_settle(struct lr_services *s);
/* A mapping the dnatCapture step stored, to be written at the next flush. */
void lr_services_dnat_captured(struct lr_services *s, const struct lr_dnat_values *v,
                               unsigned bits, int64_t t);
/* One transaction: the input positions (the journal cursor, the followed
 * files' offsets: n key/value pairs, none when n is 0) and what changed since
 * the last commit (counters, report lines and emails, DNAT mappings), so that
 * a crash replays both or neither. 0 once committed;
 * -1 (logged) when the transaction could not begin, or was rolled back: the
 * changes are then kept, to be written again by the next commit. */
int lr_services_commit(struct lr_services *s, const struct lr_state_kv *positions, size_t n,
                       int64_t now_usec);
/* Much is buffered: commit now rather than at the next second. */
bool lr_services_wants_flush(const struct lr_services *s);
