/* One wall clock for the places that need it (email dates and retries, ban end
 * times, the daemon's midnight timer); rules otherwise run on entries' time.
 *
 *   int64_t now = lr_wall_usec();
 */
#pragma once
#include <stdint.h>

/* Microseconds since the epoch (CLOCK_REALTIME). */
int64_t lr_wall_usec(void);
/* Microseconds on CLOCK_MONOTONIC: for intervals that a clock step must not move. */
int64_t lr_mono_usec(void);
