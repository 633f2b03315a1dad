/* Commands that talk to the running daemon: status, bans, ban, unban, reload. */
#pragma once

/* argv[0] is the command name; returns the exit status. */
int lr_cmd_control(const char *cmd, int argc, char **argv);
