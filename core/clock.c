#include "clock.h"

#include <time.h>

#include "entry.h"

int64_t lr_wall_usec(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t lr_entry_time_usec(const struct lr_entry *e)
{
  return e->realtime_usec >= 0 ? e->realtime_usec : lr_wall_usec();
}
