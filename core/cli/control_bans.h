/* The ban commands of the control socket: `luruse bans`, `ban IP`, `unban IP`,
 * answered by the daemon from its ban service (core/bans.h).
 *
 *   json_t *reply = lr_control_bans(bans, "ban", request);
 */
#pragma once
#include <jansson.h>

struct lr_bans;

/* cmd: "bans", "ban" or "unban"; returns the reply (new reference). */
json_t *lr_control_bans(struct lr_bans *b, const char *cmd, const json_t *req);
