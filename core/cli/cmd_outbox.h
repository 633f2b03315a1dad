/* luruse outbox: the emails waiting for sendmail, listed or dropped; through
 * the running daemon's control socket, else on the state database (locked). */
#pragma once

/* argv[0] is "outbox"; returns the exit status. */
int lr_cmd_outbox(int argc, char **argv);
