/* What luruse hosts tell each other through Redis: bans and unbans, as JSON,
 * both the value of a ban's key and the message published on the channel.
 *
 *   {"v":1,"op":"ban","host":"web1","jail":"sshd","backend":"nft",
 *    "set":"inet luruse ban4","addr":"198.51.100.7","until":1767225600}
 *
 * "until": the ban's end, seconds since the epoch, 0 for ever; "at": when it
 * was published, in microseconds (messages only: the receiver measures the delay); "jail" is the
 * ban's origin ("manual" for luruse ban, "" for a ban step). An unban has no
 * "until". A message from Redis is untrusted input: lr_fleet_msg_parse
 * accepts only this shape, at most LR_FLEET_MSG_MAX bytes, a canonical address
 * (a prefix with its host bits zero), a set valid for its backend, names of
 * [A-Za-z0-9._-]; whether the set is one of this host's is the caller's check. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "defence/ban_store.h"
#include "defence/ban_target.h"
#include "fleet/fleet_config.h"

#define LR_FLEET_MSG_MAX 1024

enum lr_fleet_op { LR_FLEET_BAN, LR_FLEET_UNBAN };

struct lr_fleet_msg {
  enum lr_fleet_op op;
  char host[LR_FLEET_NAME_MAX + 1];
  char jail[LR_FLEET_NAME_MAX + 1];
  enum lr_ban_backend backend;
  char set[3 * LR_BAN_NFT_NAME_MAX + 8];
  struct lr_ban_target target;
  int64_t until_s; /* 0: for ever */
  int64_t at_usec; /* when it was published (wall clock, microseconds), 0: unknown */
};

/* The JSON text (malloc'd, NUL-terminated). */
char *lr_fleet_msg_format(const struct lr_fleet_msg *m);
/* 0, or -1 with why (the text itself is not quoted: log it escaped). */
int lr_fleet_msg_parse(const char *text, size_t len, struct lr_fleet_msg *out, char *why,
                       size_t whylen);
/* The Redis key of a ban: PREFIX:ban:BACKEND:SET:ADDR (malloc'd). */
char *lr_fleet_ban_key(const char *prefix, enum lr_ban_backend backend, const char *set,
                       const char *addr);
/* An address with an optional "/len", exactly as canonical text: 0 or -1. */
int lr_fleet_addr_parse(const char *s, size_t n, struct lr_ban_target *t, char *why,
                        size_t whylen);
