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
  int64_t entry_clock_usec; /* the latest entry time (no further than a little ahead of
                               the wall clock): counters and mappings expire by it */
  int64_t clock_usec;       /* the same, or the wall clock when later (live): emails and
                               the report's midnight */
  int64_t future_limit_usec; /* entries' times are clamped to it (refreshed when passed) */
  int64_t last_tick_s;      /* expiry and notify run once per second of entry time */
  unsigned jump_votes;      /* entries in a row far ahead of entry_clock_usec */
};

void lr_engine_init(struct lr_engine *eng, struct lr_ruleset *rs, FILE *trace, bool log_to_stderr);
/* Emails, report, mappings...: kept across swaps; set before the first entry. */
void lr_engine_set_services(struct lr_engine *eng, struct lr_services *svc);
/* Runs the entry that the source just began. */
void lr_engine_process(struct lr_engine *eng);
/* The daemon's timer: midnight and throttle windows come without entries. */
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
