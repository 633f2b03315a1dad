/* What a jail remembers of a session: the client address an earlier line of
 * the same session named (a mail server's queue or session id, then a
 * failure that names only the id). In memory, bounded: at LR_SESSIONS_MAX
 * the oldest is forgotten; an entry also ends at its expiry. Not kept across
 * restarts (sessions last minutes); kept across reloads (a service).
 *
 *   struct lr_sessions *s = lr_sessions_new(LR_SESSIONS_MAX);
 *   lr_sessions_put(s, "sendmail", "4A2B3C", 6, "203.0.113.9", now + 600);
 *   const char *ip = lr_sessions_get(s, "sendmail", "4A2B3C", 6, now);  // NULL: unknown
 *   lr_sessions_pend(s, "sendmail", "5B3C", 4, now, now + 600);   // a failure, address not known yet
 *   unsigned n = lr_sessions_put(...);                        // the failures pending till then
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define LR_SESSIONS_MAX 65536
#define LR_SESSION_ID_MAX 64   /* longer ids are not remembered */
#define LR_SESSION_JAIL_MAX 64
#define LR_SESSION_PENDING_MAX 1000

struct lr_sessions;

struct lr_sessions *lr_sessions_new(size_t max);
void lr_sessions_free(struct lr_sessions *s); /* NULL is fine */
/* The session's address from now on; returns the failures that were pending
 * for it (and forgets them). Not remembered (0) when the id or jail name is
 * too long or empty. */
unsigned lr_sessions_put(struct lr_sessions *s, const char *jail, const char *id, size_t idlen,
                         const char *addr, int64_t expires);
/* One more failure of a session whose address is not known yet (at most
 * LR_SESSION_PENDING_MAX are kept). */
void lr_sessions_pend(struct lr_sessions *s, const char *jail, const char *id, size_t idlen,
                      int64_t now, int64_t expires);
/* The address, valid until the next put; NULL when unknown or expired. */
const char *lr_sessions_get(struct lr_sessions *s, const char *jail, const char *id,
                            size_t idlen, int64_t now);
size_t lr_sessions_count(const struct lr_sessions *s);
