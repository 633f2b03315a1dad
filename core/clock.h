/* One wall clock for the places that need it (email dates and retries, ban end
 * times, the daemon's midnight timer); rules otherwise run on entries' time.
 *
 *   int64_t now = lr_wall_usec();
 *   int64_t t = lr_entry_time_usec(entry);   // the entry's own time, else now
 */
#pragma once
#include <stdint.h>

struct lr_entry;

/* Microseconds since the epoch (CLOCK_REALTIME). */
int64_t lr_wall_usec(void);
/* The entry's __REALTIME_TIMESTAMP, or the wall clock when it has none. */
int64_t lr_entry_time_usec(const struct lr_entry *e);
