/* The ban records in the state database (table `ban`: backend, set_name,
 * addr, until_usec on the wall clock with 0 = permanent, pending 1 while the
 * ban's command waits or runs, error NULL once applied or why the firewall
 * refused it). Keyed by backend, set and canonical address. Every write runs
 * in the caller's transaction when one is open, else as its own; a failed
 * write is logged with the database's message (lr_ban_store_errmsg).
 *
 *   struct lr_ban_store *s = lr_ban_store_open(state, err, sizeof(err));
 *   int64_t until;
 *   if (lr_ban_store_get(s, LR_BAN_NFT, "ip I4 bans", "192.0.2.7", &until) == 1) ...
 *   lr_ban_store_put(s, LR_BAN_NFT, "ip I4 bans", "192.0.2.7", until, false, "sshd", now);
 *   lr_ban_store_mark(s, LR_BAN_NFT, "ip I4 bans", "192.0.2.7", NULL); // applied
 *   struct lr_ban_row *rows; size_t n;
 *   if (lr_ban_store_load(s, &rows, &n) == 0) { ...; lr_ban_rows_free(rows, n); }
 *   lr_ban_store_close(s);
 *
 * Records are read back as stored, unchecked: the caller checks each row
 * (bans.c drops the unreadable ones). Not thread-safe. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lr_state;
struct lr_ban_store;

enum lr_ban_backend { LR_BAN_NFT, LR_BAN_IPSET };

const char *lr_ban_backend_name(enum lr_ban_backend backend); /* "nft", "ipset" */
/* 0 and *out for "nft" or "ipset"; -1 for anything else (NULL too). */
int lr_ban_backend_parse(const char *name, enum lr_ban_backend *out);

/* A record as stored (every string malloc'd, never NULL but for error). */
struct lr_ban_row {
  char *backend, *set, *addr;
  int64_t until;
  char *error; /* NULL: applied */
  bool pending;
  char *origin;  /* a jail's name, "manual"; NULL: a ban step (or recorded before v7) */
  int64_t since; /* when it was made (wall clock); 0: before v7 */
};

/* NULL with err when the table cannot be used. */
struct lr_ban_store *lr_ban_store_open(struct lr_state *st, char *err, size_t errlen);
void lr_ban_store_close(struct lr_ban_store *s); /* NULL is fine */
/* The database's latest error message. */
const char *lr_ban_store_errmsg(struct lr_ban_store *s);

/* 1 and *until when recorded, 0 when not, -1 on a database error. */
int lr_ban_store_get(struct lr_ban_store *s, enum lr_ban_backend backend, const char *set,
                     const char *addr, int64_t *until);
/* Records (or replaces) a ban with no error. 0, or -1 (logged). */
int lr_ban_store_put(struct lr_ban_store *s, enum lr_ban_backend backend, const char *set,
                     const char *addr, int64_t until, bool pending, const char *origin,
                     int64_t since);
/* Writes what the firewall said: not pending, error NULL once applied. */
void lr_ban_store_mark(struct lr_ban_store *s, enum lr_ban_backend backend, const char *set,
                       const char *addr, const char *error);
/* Deletes one record, by its stored texts (an unreadable one). 0, or -1 (logged). */
int lr_ban_store_drop(struct lr_ban_store *s, const char *backend, const char *set,
                      const char *addr);
/* Deletes the records that ended by now (wall clock); with only_if_due, only
 * when the last purge is a minute old or more. */
void lr_ban_store_purge(struct lr_ban_store *s, int64_t now_usec, bool only_if_due);

/* Every record, ordered by backend, set and address; -1 (logged) on a
 * database error. */
int lr_ban_store_load(struct lr_ban_store *s, struct lr_ban_row **rows, size_t *n);
void lr_ban_rows_free(struct lr_ban_row *rows, size_t n);
/* Records live at now (wall clock) that the firewall did not refuse: one
 * count(*), cheap enough for a status line; -1 on a database error. */
int64_t lr_ban_store_count_live(struct lr_ban_store *s, int64_t now_usec);

/* The records of one address, by backend and set: cb gets the stored texts
 * (either may be NULL), the end and whether an error is recorded. 0, or -1 on
 * a database error (cb may have been called for some). */
typedef void lr_ban_store_addr_fn(void *ctx, const char *backend, const char *set,
                                  int64_t until, bool has_error);
int lr_ban_store_by_addr(struct lr_ban_store *s, const char *addr, lr_ban_store_addr_fn *cb,
                         void *ctx);
/* Deletes every record of the address: how many, or -1 (logged). */
int lr_ban_store_delete_addr(struct lr_ban_store *s, const char *addr);
