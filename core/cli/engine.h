/* Feeds entries from sources through the current ruleset; shared by
 * `luruse run` (live) and `luruse replay`.
 *
 *   struct lr_engine eng; lr_engine_init(&eng, ruleset, trace_or_NULL);
 *   while (src->next(src, &eng.entry) > 0) lr_engine_process(&eng);
 *   lr_engine_swap(&eng, new_ruleset);   // between two entries
 */
#pragma once
#include <stdint.h>
#include <stdio.h>

#include "entry.h"
#include "entry_clock.h"
#include "services.h"
#include "ruleset.h"
#include "step.h"

struct lr_engine {
  struct lr_ruleset *rs;
  struct lr_entry entry;
  struct lr_exec exec;
  FILE *trace;
  bool log_to_stderr; /* replay: `log` actions must not write old news into the live journal */
  uint64_t entries;
  struct lr_services *svc;  /* what outlives reloads (emails, mappings...), or NULL */
  struct lr_entry_clock clock; /* counters, mappings and the report follow it */
};

void lr_engine_init(struct lr_engine *eng, struct lr_ruleset *rs, FILE *trace, bool log_to_stderr);
/* Emails, report, mappings...: kept across swaps; set before the first entry. */
void lr_engine_set_services(struct lr_engine *eng, struct lr_services *svc);
/* Runs the entry that the source just began. */
void lr_engine_process(struct lr_engine *eng);
/* The daemon's timer, when the source is caught up: midnight and throttle
 * windows come without entries. */
void lr_engine_wall_tick(struct lr_engine *eng, int64_t wall_usec);
/* Installs new rules; returns the old ones for the caller to free. */
struct lr_ruleset *lr_engine_swap(struct lr_engine *eng, struct lr_ruleset *rs);
void lr_engine_free(struct lr_engine *eng);

/* Where entries come from, as the command line names them. */
struct lr_inputs {
  const char *journal_dir;
  const char **journal_files;
  size_t njournal_files;
  const char **streams; /* "export:PATH" or "json:PATH", in command-line order */
  size_t nstreams;
};
void lr_inputs_add(const char ***list, size_t *n, const char *item);
