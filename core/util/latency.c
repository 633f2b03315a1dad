#include "util/latency.h"

void lr_latency_add(struct lr_latency *l, int64_t usec)
{
  if (usec < 0)
    usec = 0; /* clocks of different hosts, or a clock stepped back */
  uint64_t i = (uint64_t)usec / 100;
  l->buckets[i < LR_LATENCY_BUCKETS ? i : LR_LATENCY_BUCKETS - 1]++;
  l->n++;
  if (usec > l->max_usec)
    l->max_usec = usec;
}

double lr_latency_quantile(const struct lr_latency *l, double q)
{
  if (!l->n)
    return 0;
  uint64_t want = (uint64_t)(q * (double)l->n + 0.5), seen = 0;
  if (want == 0)
    want = 1;
  for (int i = 0; i < LR_LATENCY_BUCKETS - 1; i++)
    if ((seen += l->buckets[i]) >= want)
      return (i + 1) / 10.0;
  return (double)l->max_usec / 1000.0;
}
