#include "util/hash.h"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void lr_hash_key_init(struct lr_hash_key *k)
{
  uint64_t seed[2];
  if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed)) {
    /* no entropy yet (very early boot): still differs per process and key */
    seed[0] = (uint64_t)(uintptr_t)k * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
    seed[1] = (uint64_t)(uintptr_t)&seed ^ 0xc2b2ae3d27d4eb4fULL ^ (uint64_t)time(NULL);
  }
  k->k0 = seed[0];
  k->k1 = seed[1];
}

uint64_t lr_hash_bytes(const struct lr_hash_key *k, const void *p, size_t len)
{
  const unsigned char *b = p;
  struct lr_sip s;
  lr_sip_init(&s, k);
  size_t whole = len & ~(size_t)7;
  for (size_t i = 0; i < whole; i += 8)
    lr_sip_word(&s, lr_load_le64(b + i, 8));
  return lr_sip_final(&s, (uint64_t)len << 56 | (len > whole ? lr_load_le64(b + whole, len - whole) : 0));
}
