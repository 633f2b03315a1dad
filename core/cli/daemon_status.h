/* What `luruse status` shows, as JSON: built from the engine and the services
 * of a running daemon (core/cli/daemon.c answers the control socket with it).
 *
 *   json_t *s = lr_daemon_status(&eng, &svc, started_usec, rules_path, state_path);
 */
#pragma once
#include <jansson.h>
#include <stdint.h>

#include "rules/engine.h"
#include "rules/services.h"

json_t *lr_daemon_status(const struct lr_engine *eng, struct lr_services *svc,
                         int64_t started_usec, int64_t now_usec, const char *rules_path,
                         const char *state_path);
