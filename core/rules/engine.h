/* Feeds entries through the rules in force: the one path of `luruse run`
 * (live), `luruse replay` and luruse.so's wf:run (rule authors' specs).
 * Lua-free. The engine holds the services, which outlive every ruleset, and
 * the entries' clock, which decides each entry's "now".
 *
 *   struct lr_engine eng; lr_engine_init(&eng, &svc_or_NULL, trace_or_NULL, false);
 *   lr_ruleset_compile(rs, eng.svc, err, sizeof(err));  lr_engine_swap(&eng, rs);
 *   while (src->next(src, &eng.entry) > 0) lr_engine_process(&eng);
 *   lr_ruleset_free(lr_engine_swap(&eng, new_rs));   // a reload, between two entries
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "input/entry.h"
#include "input/entry_clock.h"
#include "rules/ruleset.h"
#include "rules/services.h"
#include "rules/step.h"

struct lr_engine {
  struct lr_ruleset *rs;       /* the rules in force */
  struct lr_services *svc;     /* emails, mappings, counters, bans; or NULL */
  struct lr_entry entry;       /* the entry being processed, filled by the source */
  struct lr_exec exec;         /* its steps' context: settings, services, now, front-end flags */
  uint64_t entries;
  struct lr_entry_clock clock; /* counters, mappings and the report follow it */
  lr_field_id f_host, f_ident, f_unit; /* the report's entries per host and service */
};

/* svc is kept across swaps (NULL: steps change nothing); trace and log_to_stderr
 * are the front-end's (replay: `log` actions must not write old news into the
 * live journal). Other front-end wishes go into eng->exec (path, capture). */
void lr_engine_init(struct lr_engine *eng, struct lr_services *svc, FILE *trace,
                    bool log_to_stderr);
/* Runs the entry that the source just began. */
void lr_engine_process(struct lr_engine *eng);
/* The daemon's timer, when the source is caught up: midnight and throttle
 * windows come without entries. */
void lr_engine_wall_tick(struct lr_engine *eng, int64_t wall_usec);
/* Installs rules compiled against eng->svc; returns the old ones (NULL the
 * first time) for the caller to free. */
struct lr_ruleset *lr_engine_swap(struct lr_engine *eng, struct lr_ruleset *rs);
/* Frees the engine's own parts; the ruleset in force and the services stay the caller's. */
void lr_engine_free(struct lr_engine *eng);
