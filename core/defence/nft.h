/* nftables in this process, through libnftables: statements run as one
 * netlink transaction, synchronously (no fork, no exec). The libnftables
 * context is created at the first run (so that a process that never bans
 * never opens one), kept for the next runs, and created again later if that
 * failed.
 *
 *   struct lr_nft *n = lr_nft_new();
 *   struct lr_buf err = {0};
 *   if (lr_nft_run(n, "add element ip I4 bans { 192.0.2.7 timeout 60s }", &err) < 0)
 *     lr_log(LOG_ERR, "nft: %s", err.data);
 *   lr_buf_free(&err);
 *   lr_nft_free(n);
 *
 * Not thread-safe. */
#pragma once
#include "util/buf.h"

struct lr_nft;

struct lr_nft *lr_nft_new(void); /* never NULL: creates no context yet */
void lr_nft_free(struct lr_nft *n); /* NULL is fine */
/* Runs statements (one per line) in one transaction. 0, or -1 with
 * libnftables' message (its first lines, on one line) appended to err. */
int lr_nft_run(struct lr_nft *n, const char *cmds, struct lr_buf *err);
