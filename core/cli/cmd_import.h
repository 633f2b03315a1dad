/* luruse import-pyruse-bans: Pyruse's ban records (action_nftBan.py.json,
 * action_ipsetBan.py.json) into luruse's state, so that luruse restores them. */
#pragma once

/* argv[0] is "import-pyruse-bans"; returns the exit status. */
int lr_cmd_import_pyruse_bans(int argc, char **argv);
