/* `luruse outbox` done on an outbox: the daemon answers its control socket's
 * {"cmd": "outbox"} with this (so that its outbox knows what was dropped),
 * and the command calls it on the state database itself when no daemon runs,
 * so that both give the same reply.
 *
 *   {"cmd": "outbox"}                 -> {"ok": true, "messages": [{"id": 3, "label": ...}]}
 *   {"cmd": "outbox", "drop": 3}      -> {"ok": true, "dropped": 1, "message": "..."}
 *   {"cmd": "outbox", "all": true}    -> {"ok": true, "dropped": 4, "message": "..."}
 *   an id no waiting email has        -> {"ok": false, "error": "..."}
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>

struct lr_outbox;

/* log: also log what was dropped (the daemon does; the command prints it). */
json_t *lr_control_outbox(struct lr_outbox *ob, const json_t *request, bool log);
