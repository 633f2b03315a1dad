/* A latency histogram of fixed size: 0.1 ms buckets up to 1 s, the rest in
 * the last one, and the maximum. For the delays `luruse status` reports (an
 * entry's, a fleet ban's); adding is O(1), no allocation.
 *
 *   struct lr_latency l = {0};
 *   lr_latency_add(&l, usec);
 *   double p99 = lr_latency_quantile(&l, 0.99);   // ms, the bucket's upper edge
 */
#pragma once
#include <stdint.h>

#define LR_LATENCY_BUCKETS 10001

struct lr_latency {
  uint32_t buckets[LR_LATENCY_BUCKETS];
  uint64_t n;
  int64_t max_usec;
};

void lr_latency_add(struct lr_latency *l, int64_t usec);
/* The q-quantile (0 < q <= 1) in ms; 0 when nothing was added. */
double lr_latency_quantile(const struct lr_latency *l, double q);
