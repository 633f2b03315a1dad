/* DNAT map benchmark: capture and lookup rates and memory per mapping with
 * 1,000,000 live mappings (targets: >= 5M lookups/s, < 150 bytes/mapping).
 *
 *   cmake --build build --target dnat_bench
 *   build/bench/dnat_bench [mappings [lookups [one-proxy|64-proxies]]]
 *
 * Mappings look like nftables DNAT captures: saddr a random IPv4, sport and port
 * random (port 1024-65535), daddr 10.0.0.2, dport 22, keepSeconds 3600, capture
 * times spread over 4000 s (two live buckets). Lookups use mask ADDR|PORT: 90 %
 * ask for a captured (addr, port), 10 % for one never captured. Two scenarios:
 *   one-proxy  addr is always 192.168.1.1, so only ~64k distinct keys (newest wins)
 *   64-proxies addr is one of 64 addresses: nearly every key distinct, tables
 *              and records far larger than the caches (the harder case)
 * Memory is lr_dnat_memory() and the RssAnon growth while filling. The lookups
 * run in ROUNDS rounds; the overall rate and the best round's are printed (the
 * best round is the one least disturbed by other work on a shared machine). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "state/dnat.h"

#define KEEP_SECONDS 3600
#define ROUNDS 5
#define SPREAD 4000
#define T0 (((int64_t)1700000000 & ~(int64_t)4095) + 2048) /* straddles two 4096 s buckets */

struct mapping_text {
  char saddr[16], sport[6];
  uint8_t saddr_len, sport_len;
  uint32_t key; /* proxy number << 16 | port */
};

/* Text of every proxy address and port, so that building a query touches only
 * small tables (the fields of a real entry are in the cache as well). */
static struct { char s[12]; uint8_t len; } addr_text[256], port_text[65536];

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* kB of one /proc/self/status line ("RssAnon", "VmRSS"), -1 when unknown. */
static long status_kb(const char *key)
{
  FILE *f = fopen("/proc/self/status", "r");
  if (!f)
    return -1;
  char line[256];
  long kb = -1;
  size_t klen = strlen(key);
  while (fgets(line, sizeof(line), f))
    if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
      kb = strtol(line + klen + 1, NULL, 10);
      break;
    }
  fclose(f);
  return kb;
}

static void fill_text(struct mapping_text *mt, size_t n, unsigned proxies)
{
  for (size_t i = 0; i < n; i++) {
    uint64_t r = rnd();
    struct mapping_text *x = &mt[i];
    x->saddr_len = (uint8_t)snprintf(x->saddr, sizeof(x->saddr), "%u.%u.%u.%u",
                                     (unsigned)(r & 0xff), (unsigned)(r >> 8 & 0xff),
                                     (unsigned)(r >> 16 & 0xff), (unsigned)(r >> 24 & 0xff));
    x->sport_len = (uint8_t)snprintf(x->sport, sizeof(x->sport), "%u",
                                     1024 + (unsigned)(r >> 32 & 0xffff) % 64512);
    x->key = (uint32_t)((r >> 48 & 0xff) % proxies) << 16 | (1024 + (uint32_t)(rnd() % 64512));
  }
}

static void fill_pools(void)
{
  for (unsigned i = 0; i < 256; i++)
    addr_text[i].len = (uint8_t)snprintf(addr_text[i].s, sizeof(addr_text[i].s), "192.168.1.%u", i + 1);
  for (unsigned i = 0; i < 65536; i++)
    port_text[i].len = (uint8_t)snprintf(port_text[i].s, sizeof(port_text[i].s), "%u", i);
}

static struct lr_dnat_str addr_of(uint32_t key)
{
  return (struct lr_dnat_str){addr_text[key >> 16].s, addr_text[key >> 16].len};
}

static struct lr_dnat_str port_of(uint32_t key)
{
  return (struct lr_dnat_str){port_text[key & 0xffff].s, port_text[key & 0xffff].len};
}

static int run(const char *name, unsigned proxies, size_t n, size_t lookups)
{
  struct mapping_text *mt = malloc(n * sizeof(*mt));
  if (!mt)
    return 1;
  fill_text(mt, n, proxies);
  /* The query keys, read in sequence: 90 % captured ones, 10 % with a port
   * below 1024, never captured. */
  uint32_t *queries = malloc(lookups * sizeof(*queries));
  if (!queries)
    return 1;
  for (size_t i = 0; i < lookups; i++) {
    uint64_t r = rnd();
    queries[i] = r % 10 ? mt[(r >> 8) % n].key : (uint32_t)((r >> 8) % proxies) << 16 | (uint32_t)(r >> 32) % 1024;
  }

  long anon0 = status_kb("RssAnon"), rss0 = status_kb("VmRSS");
  struct lr_dnat *m = lr_dnat_new();
  lr_dnat_index(m, LR_DNAT_ADDR | LR_DNAT_PORT);
  double t0 = now_s();
  for (size_t i = 0; i < n; i++) {
    const struct mapping_text *x = &mt[i];
    struct lr_dnat_values v = {
      .saddr = {x->saddr, x->saddr_len}, .sport = {x->sport, x->sport_len},
      .addr = addr_of(x->key), .port = port_of(x->key),
      .daddr = LR_DNAT_STR("10.0.0.2"), .dport = LR_DNAT_STR("22"),
    };
    if (!lr_dnat_capture(m, &v, KEEP_SECONDS, T0 + (int64_t)(i * SPREAD / n))) {
      fprintf(stderr, "capture %zu refused\n", i);
      return 1;
    }
  }
  double t1 = now_s();
  long anon1 = status_kb("RssAnon"), rss1 = status_kb("VmRSS");
  size_t count = lr_dnat_count(m), mem = lr_dnat_memory(m);

  int64_t now = T0 + SPREAD;
  size_t hits = 0, bytes = 0;
  double total = 0, best = 0;
  for (size_t round = 0; round < ROUNDS; round++) {
    size_t from = lookups * round / ROUNDS, to = lookups * (round + 1) / ROUNDS;
    double t2 = now_s();
    for (size_t i = from; i < to; i++) {
      struct lr_dnat_values q = {.addr = addr_of(queries[i]), .port = port_of(queries[i])}, f;
      if (lr_dnat_lookup(m, LR_DNAT_ADDR | LR_DNAT_PORT, &q, now, &f)) {
        hits++;
        bytes += f.saddr.len;
      }
    }
    double dt = now_s() - t2, rate = (double)(to - from) / dt;
    total += dt;
    if (rate > best)
      best = rate;
  }

  printf("%s: %zu mappings held, %.2fM captures/s\n", name, count, (double)n / (t1 - t0) / 1e6);
  printf("%s: %zu lookups, %.1f %% hits, %.2fM lookups/s (best round %.2fM/s; checksum %zu)\n",
         name, lookups, 100.0 * (double)hits / (double)lookups, (double)lookups / total / 1e6,
         best / 1e6, bytes);
  printf("%s: lr_dnat_memory %.1f bytes/mapping; RssAnon +%.1f bytes/mapping, VmRSS +%.1f "
         "bytes/mapping\n", name, (double)mem / (double)count,
         (double)(anon1 - anon0) * 1024 / (double)count,
         (double)(rss1 - rss0) * 1024 / (double)count);
  lr_dnat_free(m);
  free(queries);
  free(mt);
  return 0;
}

int main(int argc, char **argv)
{
  size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
  size_t lookups = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000000;
  const char *only = argc > 3 ? argv[3] : NULL;
  if (n == 0 || lookups < ROUNDS ||
      (only && strcmp(only, "one-proxy") != 0 && strcmp(only, "64-proxies") != 0)) {
    fprintf(stderr, "usage: %s [mappings [lookups [one-proxy|64-proxies]]]\n", argv[0]);
    return 2;
  }
  fill_pools();
  if ((!only || strcmp(only, "one-proxy") == 0) && run("one-proxy", 1, n, lookups))
    return 1;
  if ((!only || strcmp(only, "64-proxies") == 0) && run("64-proxies", 64, n, lookups))
    return 1;
  return 0;
}
