/* The daemon's control socket: a Unix stream socket (mode 0600, in the storage
 * directory) where `luruse status`, `bans`, `ban`, `unban`, `reload` and `outbox` send one
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

/* One request being handled, and one whose answer is deferred. */
struct lr_control_request;
struct lr_control_wait;

/* Answers a request: returns a new reference to the reply object; or calls
 * lr_control_defer(rq), returns NULL, and answers later with
 * lr_control_answer (for a reply that waits for a firewall command). */
typedef json_t *lr_control_handler(void *ctx, const char *cmd, const json_t *request,
                                   struct lr_control_request *rq);

struct lr_control;

struct lr_control *lr_control_start(uv_loop_t *loop, const char *path, lr_control_handler *handle,
                                    void *ctx, char *err, size_t errlen);
void lr_control_stop(struct lr_control *c);

/* Client side: sends the request, returns the reply (new reference) or NULL
 * with err set ("no running daemon" when nothing listens). */
json_t *lr_control_call(const char *path, const json_t *request, unsigned timeout_ms, char *err,
                        size_t errlen);

/* In a handler: the answer comes later. The wait must be answered exactly
 * once, possibly before the handler returns; when the client or the server
 * went away meanwhile, the answer is dropped. */
struct lr_control_wait *lr_control_defer(struct lr_control_request *rq);
void lr_control_answer(struct lr_control_wait *w, json_t *answer);

/* Reply helpers. */
json_t *lr_control_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
