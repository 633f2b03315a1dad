/* Keyed hashing of untrusted bytes (log values): SipHash-1-3 with a secret
 * random key, so that values chosen by an attacker cannot be made to collide
 * and pile up in one bucket or probe run. Used by the counters and the DNAT map.
 *
 *   struct lr_hash_key k;
 *   lr_hash_key_init(&k);                       // once per table owner
 *   uint32_t h = lr_hash32(lr_hash_bytes(&k, s, len));
 *
 * Several values in one hash (no concatenation): feed whole 64-bit words, each
 * value preceded by its length so that ("ab","c") and ("a","bc") differ:
 *
 *   struct lr_sip st;
 *   lr_sip_init(&st, &k);
 *   lr_sip_word(&st, len + 1); ... lr_sip_word(&st, lr_load_le64(p, n)); ...
 *   uint64_t h = lr_sip_final(&st, words);
 *
 * SipHash-1-3 (one compression, three finalisation rounds) rather than -2-4:
 * hash flooding needs the key, and the DNAT lookups (bench/dnat_bench) are
 * sensitive to the cost per word. */
#pragma once
#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct lr_hash_key {
  uint64_t k0, k1;
};

/* A fresh key from getrandom; without entropy yet (very early boot), one that
 * still differs per process and per call. */
void lr_hash_key_init(struct lr_hash_key *k);

struct lr_sip {
  uint64_t v[4];
};

static inline uint64_t lr_rotl64(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

static inline void lr_sip_round(uint64_t v[4])
{
  v[0] += v[1]; v[1] = lr_rotl64(v[1], 13); v[1] ^= v[0]; v[0] = lr_rotl64(v[0], 32);
  v[2] += v[3]; v[3] = lr_rotl64(v[3], 16); v[3] ^= v[2];
  v[0] += v[3]; v[3] = lr_rotl64(v[3], 21); v[3] ^= v[0];
  v[2] += v[1]; v[1] = lr_rotl64(v[1], 17); v[1] ^= v[2]; v[2] = lr_rotl64(v[2], 32);
}

static inline void lr_sip_init(struct lr_sip *s, const struct lr_hash_key *k)
{
  s->v[0] = k->k0 ^ 0x736f6d6570736575ULL;
  s->v[1] = k->k1 ^ 0x646f72616e646f6dULL;
  s->v[2] = k->k0 ^ 0x6c7967656e657261ULL;
  s->v[3] = k->k1 ^ 0x7465646279746573ULL;
}

/* One 8-byte message word. */
static inline void lr_sip_word(struct lr_sip *s, uint64_t m)
{
  s->v[3] ^= m;
  lr_sip_round(s->v);
  s->v[0] ^= m;
}

/* last: the final word, its top byte the message length mod 256 (SipHash's
 * padding); lr_hash_bytes does that for a byte string. */
static inline uint64_t lr_sip_final(struct lr_sip *s, uint64_t last)
{
  lr_sip_word(s, last);
  s->v[2] ^= 0xff;
  lr_sip_round(s->v);
  lr_sip_round(s->v);
  lr_sip_round(s->v);
  return s->v[0] ^ s->v[1] ^ s->v[2] ^ s->v[3];
}

/* n (0..8) bytes at p, little-endian. */
static inline uint64_t lr_load_le64(const void *p, size_t n)
{
  uint64_t w = 0;
  if (n == 8) {
    memcpy(&w, p, 8);
    return le64toh(w);
  }
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    w |= (uint64_t)b[i] << (8 * i);
  return w;
}

/* SipHash-1-3 of len bytes (p may be NULL when len is 0). */
uint64_t lr_hash_bytes(const struct lr_hash_key *k, const void *p, size_t len);

/* The 64-bit hash folded to 32 bits for table indices. */
static inline uint32_t lr_hash32(uint64_t h) { return (uint32_t)(h ^ (h >> 32)); }
