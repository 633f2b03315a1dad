/* The ban commands of the control socket: `luruse bans`, `ban IP`, `unban IP`,
 * answered by the daemon from its ban service (core/defence/bans.h).
 *
 *   json_t *reply = lr_control_bans(bans, &rs->settings, "luruse", "ban", request, rq);
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
 * "force"; without a set and a ban to take it from, it bans into own_table,
 * luruse's own table when the rules ban there (NULL: it asks for --set). */
json_t *lr_control_bans(struct lr_bans *b, const struct lr_settings *settings,
                        const char *own_table, const char *cmd, const json_t *req,
                        struct lr_control_request *rq);
