/* What the firewall holds now, read without changing anything, for `luruse
 * check`: nftables' tables and sets (`list tables`, `list sets` with terse
 * output, so no element is read, as JSON through libnftables), and whether
 * ipset sets exist (the ipset program: `list -n`, then `-n list NAME` per
 * set, each with a timeout and its output bounded).
 *
 *   struct lr_nft_inventory inv = {0};
 *   struct lr_buf err = {0};
 *   enum lr_probe rc = lr_nft_inventory_read(&inv, &err);
 *   if (rc == LR_PROBE_OK && !lr_nft_inventory_set(&inv, "inet filter f2b")) ...  // missing
 *   if (rc == LR_PROBE_NOT_PERMITTED) ...  // no CAP_NET_ADMIN: nothing could be read
 *   lr_nft_inventory_free(&inv);
 *
 *   bool exists[2];
 *   const char *names[] = {"f2b4", "f2b6"};
 *   rc = lr_ipset_probe("/usr/sbin/ipset", names, 2, exists, &err);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* How long one ipset command may run. */
#define LR_PROBE_TIMEOUT_MS 5000

enum lr_probe {
  LR_PROBE_OK = 0,
  LR_PROBE_FAILED = -1,        /* err says why */
  LR_PROBE_NOT_PERMITTED = -2, /* the kernel refused: the process lacks CAP_NET_ADMIN */
};

struct lr_nft_set_info {
  char *spec;    /* "inet filter f2b" */
  char *type;    /* "ipv4_addr"; "a concatenation" for one ("ipv4_addr . inet_service") */
  bool timeout;  /* flags timeout */
  bool interval; /* flags interval */
};

struct lr_nft_inventory {
  char **tables; /* "inet luruse" */
  size_t ntables;
  struct lr_nft_set_info *sets;
  size_t nsets;
};

/* Fills inv (zeroed) with every table and set of this network namespace; on
 * failure inv stays empty and libnftables' message is appended to err. */
enum lr_probe lr_nft_inventory_read(struct lr_nft_inventory *inv, struct lr_buf *err);
/* The set of an nft set spec ("FAMILY TABLE SET"), NULL when there is none. */
const struct lr_nft_set_info *lr_nft_inventory_set(const struct lr_nft_inventory *inv,
                                                   const char *spec);
/* Is there a table "FAMILY TABLE" ("inet luruse")? */
bool lr_nft_inventory_has_table(const struct lr_nft_inventory *inv, const char *table);
void lr_nft_inventory_free(struct lr_nft_inventory *inv);

/* exists[i]: is there an ipset set names[i]? prog is the ipset program (a
 * path, or a name looked up in PATH). On failure (the program cannot run,
 * the kernel refuses, a timeout) exists is untouched and the reason, with the
 * program's first line of output, is appended to err. */
enum lr_probe lr_ipset_probe(const char *prog, const char *const *names, size_t n, bool *exists,
                             struct lr_buf *err);
