/* The ban commands of the control socket: `luruse bans`, `ban IP`, `unban IP`,
 * answered by the daemon from its ban service (core/defence/bans.h).
 *
 *   json_t *reply = lr_control_bans(bans, &rs->settings, "ban", request, rq);
 *
 * `ban` and `unban` answer once the firewall did (the reply is deferred, see
 * control.h); a refused change is an error reply with the firewall's message.
 */
#pragma once
#include <jansson.h>

struct lr_bans;
struct lr_settings;
struct lr_control_request;

/* cmd: "bans", "ban" or "unban"; returns the reply (new reference), or NULL
 * when it was deferred through rq. settings (the rules in force; may be
 * NULL): `ban` refuses an allowlisted address unless the request says
 * "force", and without a set and a ban to take it from, bans into luruse's
 * own table. */
json_t *lr_control_bans(struct lr_bans *b, const struct lr_settings *settings, const char *cmd,
                        const json_t *req, struct lr_control_request *rq);
