/* The daemon's control socket: a Unix stream socket (mode 0600, in the storage
 * directory) where `luruse status`, `bans`, `ban`, `unban` and `reload` send one
 * JSON request line and read one JSON reply.
 *
 *   request:  {"cmd": "ban", "ip": "192.0.2.7", "for": 3600}\n
 *   reply:    {"ok": true, ...}  or  {"ok": false, "error": "why"}
 *
 *   struct lr_control *c = lr_control_start(loop, path, handle, ctx, err, sizeof(err));
 *   ...
 *   lr_control_stop(c);   // closes the socket and removes its file
 */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include <uv.h>

#define LR_CONTROL_SOCKET_NAME "control.sock"
#define LR_CONTROL_MAX_REQUEST 65536

/* Answers a request: returns a new reference to the reply object. */
typedef json_t *lr_control_handler(void *ctx, const char *cmd, const json_t *request);

struct lr_control;

struct lr_control *lr_control_start(uv_loop_t *loop, const char *path, lr_control_handler *handle,
                                    void *ctx, char *err, size_t errlen);
void lr_control_stop(struct lr_control *c);

/* Client side: sends the request, returns the reply (new reference) or NULL
 * with err set ("no running daemon" when nothing listens). */
json_t *lr_control_call(const char *path, const json_t *request, unsigned timeout_ms, char *err,
                        size_t errlen);

/* Reply helpers. */
json_t *lr_control_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
