/* Firewall bans that outlive restarts and ruleset reloads (nftables sets and
 * ipset sets).
 *
 * Each ban is first recorded in the state database (table `ban`: backend,
 * set, canonical address, end time on the wall clock, 0 = permanent), then
 * applied:
 *   - nftables through libnftables, in this process (the default): one
 *     netlink transaction per ban, synchronous but short (no fork, no exec;
 *     well under a millisecond, but libnftables reads the set's elements
 *     before each change to an `interval` set, so the cost grows with such a
 *     set's size); a restore sends many elements per transaction;
 *   - nftables through the command of the nftBan.nft setting, with the single
 *     statement as its last argument, as Pyruse does;
 *   - ipset through the command of the ipsetBan.ipset setting.
 * Commands run on the libuv loop (lr_spawn: no shell, a timeout, never
 * blocking the entry loop), ban commands one at a time in order, so that the
 * delete and the add of a re-ban, or two bans of one address, never overlap.
 * A failure is logged with the address and the error and written in the
 * record (lr_ban_record.error: `luruse bans` shows it as FAILED); the record
 * stays, and the next restore applies it again. A caller that must know the
 * outcome (`luruse ban` and `unban`) passes a callback, told once the
 * firewall answered, without blocking the loop.
 *
 * Ban times are wall-clock times (kernel set timeouts are), never the entries'
 * own time: a ban made while replaying old entries lasts banSeconds from now.
 *
 *   struct lr_bans *b = lr_bans_open(state, loop, err, sizeof(err));
 *   lr_bans_configure(b, &settings->ban);           // the rule file's settings
 *   lr_bans_restore(b, lr_wall_usec());         // at start: live bans again
 *   struct lr_ban_target t;                          // from lr_ban_target_parse()
 *   lr_bans_add(b, LR_BAN_NFT, "ip I4 bans", &t, 3600, lr_wall_usec(), err, sizeof(err));
 *   lr_bans_remove(b, "192.0.2.7", err, sizeof(err)); // luruse unban
 *   lr_bans_close(b);                                 // runs what is queued first
 *
 * The pieces: the records (ban_store.h), libnftables (nft.h), the queue that
 * runs the commands (cmdqueue.h); this ties them together. The exec actions'
 * commands are a service of their own (exec.h).
 *
 * Not thread-safe; one per process, owned by the services (core/rules/services.h). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "defence/ban_config.h"
#include "defence/ban_store.h" /* enum lr_ban_backend, lr_ban_backend_name */
#include "defence/ban_target.h"
#include "util/clock.h" /* lr_wall_usec: ban times are wall-clock times */

struct lr_state;
struct lr_bans;

/* Ban commands waiting (not running) at most; beyond, a ban is recorded but
 * only applied by the next restore (logged). */
#define LR_BANS_QUEUE_MAX 100000

struct lr_ban_record {
  enum lr_ban_backend backend;
  const char *backend_name; /* "nft" or "ipset", as stored */
  const char *set;          /* nft "FAMILY TABLE SET", or the ipset set name */
  const char *addr;         /* canonical, "/len" for a prefix ban */
  int64_t until_usec;       /* wall clock; 0: permanent */
  const char *error;        /* NULL: applied (or pending); else why the firewall refused it */
  bool pending;             /* its command waits or runs */
  const char *origin;       /* who made it: a jail's name, "manual"; NULL: a ban step */
  int64_t since_usec;       /* when (wall clock); 0: unknown (recorded by an older luruse) */
};

/* The outcome of one firewall change: error NULL when it was applied, else
 * the firewall's message (valid during the call). */
typedef void lr_bans_done_fn(void *ctx, const char *error);

/* A re-ban never shortens a live ban: the later end wins, permanent stays
 * permanent (manual bans). Without it, the new time replaces the old (Pyruse). */
#define LR_BAN_KEEP_LONGER 1u
/* Not told to the observer: a ban the fleet brought must not go back to it. */
#define LR_BAN_UNOBSERVED 2u

struct lr_ban_request {
  unsigned flags;       /* LR_BAN_KEEP_LONGER, LR_BAN_UNOBSERVED */
  const char *origin;   /* for the observer: a jail's name, "manual"; NULL: a ban step */
  lr_bans_done_fn *done; /* NULL: nobody waits */
  void *ctx;
  int64_t until_usec;   /* out: the end in force (0: permanent) */
  bool kept_longer;     /* out: a longer existing ban was kept */
};

struct lr_bans_stats {
  uint64_t recorded;   /* bans recorded by lr_bans_add */
  uint64_t applied;    /* firewall changes that succeeded (adds and removals) */
  uint64_t failed;     /* firewall changes that failed (logged) */
  uint64_t deferred;   /* recorded but not applied: queue full or no loop (logged) */
};

/* loop may be NULL: libnftables still works, commands are not run (logged). */
struct lr_bans *lr_bans_open(struct lr_state *st, uv_loop_t *loop, char *err, size_t errlen);
/* Runs every queued and running command to its end (each is bounded by its
 * timeout), then frees. NULL is fine. */
void lr_bans_close(struct lr_bans *b);
/* The settings in force (copied): which nft/ipset commands, their timeout. */
/* Makes sure luruse's own table (bans.table, defence/nft_table.h) exists,
 * through libnftables: 0 (also when bans.table is false), or -1 logged. */
int lr_bans_ensure_table(struct lr_bans *b);
void lr_bans_configure(struct lr_bans *b, const struct lr_ban_config *c);
/* Told of each new ban the firewall refused (or that could not be queued),
 * when the firewall answers: for the daily report's figures. Not for
 * removals or restores. */
typedef void lr_bans_refused_fn(void *ctx, const char *set, const char *addr, const char *error);
void lr_bans_on_refused(struct lr_bans *b, lr_bans_refused_fn *fn, void *ctx);

/* Records the ban of t in `set` until now + ban_seconds (0: permanent), then
 * applies it. When the same backend/set/address is recorded and still live,
 * the old element is deleted first (Pyruse), so the new timeout replaces the
 * old one. The record is written before the firewall is touched, in its own
 * transaction (or in the caller's, when one is open), so that a crash loses
 * no ban. When the database refuses the record (disk full), the ban is still
 * applied and the loss of its restore is logged. Returns 0 once handed to the
 * firewall (application errors are logged, not returned: commands finish
 * later); -1 with err when the set is invalid for the backend. */
int lr_bans_add(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                const struct lr_ban_target *t, unsigned ban_seconds, int64_t now_wall_usec,
                char *err, size_t errlen);
/* The same, with rq (may be NULL): its flags, and rq->done told exactly once
 * when the firewall answered (perhaps before this returns: libnftables is
 * synchronous), unless -1 is returned. */
int lr_bans_add_ex(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                   const struct lr_ban_target *t, unsigned ban_seconds, int64_t now_wall_usec,
                   struct lr_ban_request *rq, char *err, size_t errlen);

/* Applies every recorded ban that is still live at now_wall_usec again, with
 * its remaining time rounded up to whole seconds (permanent ones without a
 * timeout), and deletes the expired records and the unreadable ones. For the
 * start of the daemon and `luruse restore` (nftables.service reloading its
 * ruleset empties the sets). An element already in its set keeps its own
 * timeout (nft) or gets the remaining time (ipset -exist). Returns how many
 * bans were applied or queued, -1 on a database error. */
int lr_bans_restore(struct lr_bans *b, int64_t now_wall_usec);
/* Records the bans applied while the database refused their records (after a
 * commit that worked: the database takes writes again); cheap when none. */
void lr_bans_catch_up(struct lr_bans *b, int64_t now_wall_usec);

/* Lifts every ban recorded for this address (the exact address or prefix, in
 * any form inet_pton reads; "192.0.2.0/24" for a prefix ban): deletes the
 * elements from their sets and the records. Returns the number of records
 * removed (0: none), -1 with err for a value that is no address or a
 * database error. An expired record goes without touching the firewall. */
int lr_bans_remove(struct lr_bans *b, const char *addr, char *err, size_t errlen);
/* The same; when records were removed (> 0), done is told exactly once when
 * every firewall removal answered (perhaps before this returns), with their
 * errors joined by "; " or NULL. A record whose ban the firewall had refused
 * touches no set. */
int lr_bans_remove_ex(struct lr_bans *b, const char *addr, lr_bans_done_fn *done, void *ctx,
                      char *err, size_t errlen);

/* Many bans at once (a restore, a fleet's resynchronisation): between begin and end,
 * the libnftables adds (lr_bans_add_ex's without a done callback and not
 * replacing a live element, restore's) go 256 at a time into one transaction,
 * one statement per set, and the records in one database transaction (when
 * none is open), committed before the last elements are added. */
void lr_bans_batch_begin(struct lr_bans *b);
void lr_bans_batch_end(struct lr_bans *b);

/* The same as lr_bans_remove_ex, with flags (LR_BAN_UNOBSERVED). */
int lr_bans_remove_flags(struct lr_bans *b, const char *addr, unsigned flags,
                         lr_bans_done_fn *done, void *ctx, char *err, size_t errlen);

/* 1 with its end (0: permanent) when a live ban of addr (canonical) is
 * recorded in this set, 0 when none, -1 on a database error. */
int lr_bans_lookup(struct lr_bans *b, enum lr_ban_backend backend, const char *set,
                   const char *addr, int64_t now_wall_usec, int64_t *until_usec);

/* Told of every ban recorded and every record unbanned (a fleet shares them),
 * except those with LR_BAN_UNOBSERVED. One observer; NULL removes it. */
struct lr_ban_event {
  bool unban;
  enum lr_ban_backend backend;
  const char *set;
  const struct lr_ban_target *target;
  int64_t until_usec; /* bans: wall clock, 0 permanent */
  const char *origin; /* the request's (NULL: a ban step) */
};
typedef void lr_bans_observer_fn(void *ctx, const struct lr_ban_event *e);
void lr_bans_set_observer(struct lr_bans *b, lr_bans_observer_fn *fn, void *ctx);

/* Every record, live or expired, by backend, set and address; the record is
 * valid during the call (cb may be NULL: counting only). Returns the number of
 * records, -1 on a database error. */
typedef void lr_bans_each_fn(void *ctx, const struct lr_ban_record *r);
int lr_bans_each(struct lr_bans *b, lr_bans_each_fn *cb, void *ctx);

/* Bans live at now and not refused by the firewall (the daemon's status
 * line); -1 on a database error. */
int64_t lr_bans_in_force(struct lr_bans *b, int64_t now_wall_usec);

/* Firewall commands queued or running. */
unsigned lr_bans_pending(const struct lr_bans *b);
/* Runs the loop until nothing is pending (replay's end; tests). */
void lr_bans_settle(struct lr_bans *b);
void lr_bans_get_stats(const struct lr_bans *b, struct lr_bans_stats *out);

/* Whole seconds left until `until`, rounded up; 0 when it is past (or now). */
static inline unsigned lr_bans_remaining_s(int64_t until_usec, int64_t now_usec)
{
  if (until_usec <= now_usec)
    return 0;
  int64_t s = (until_usec - now_usec + 999999) / 1000000;
  return s > (int64_t)UINT32_MAX ? UINT32_MAX : (unsigned)s;
}
