/* luruse restore: applies the recorded bans again (core/defence/bans.h), for when
 * nftables.service or ipset reloads emptied the sets while luruse ran. */
#pragma once
#include <stdio.h>

struct lr_bans;
struct lr_exec_queue;

/* argv[0] is "restore"; returns the exit status. */
int lr_cmd_restore(int argc, char **argv);
/* "bans: ..." and "exec: ..." lines of `luruse replay`; each absent when no
 * ban or no exec happened. b and x may be NULL. */
void lr_cmd_print_ban_stats(const struct lr_bans *b, const struct lr_exec_queue *x, FILE *out);
