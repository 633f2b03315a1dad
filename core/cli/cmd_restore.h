/* luruse restore: applies the recorded bans again (core/defence/bans.h), for when
 * nftables.service or ipset reloads emptied the sets while luruse ran. */
#pragma once
#include <stdio.h>

struct lr_bans;

/* argv[0] is "restore"; returns the exit status. */
int lr_cmd_restore(int argc, char **argv);
/* "bans: ..." line of `luruse replay` and `luruse restore`; nothing when no
 * ban or exec happened. */
void lr_cmd_print_ban_stats(const struct lr_bans *b, FILE *out);
