/* Where entries come from: the journal (local, a directory, files), an export
 * stream or a JSON-lines stream. One source feeds every rule.
 *
 *   struct lr_source *s = lr_source_export_open("-", err, sizeof(err));
 *   while ((rc = s->next(s, &entry)) > 0) lr_workflow_run(wf, &exec);
 *   s->close(s);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct lr_entry;

struct lr_source {
  const char *kind;
  /* 1: the next entry began in *e; 0: none for now (end of a stream, or
   * caught up with a live journal); -1: an error, logged; streams stop there. */
  int (*next)(struct lr_source *s, struct lr_entry *e);
  void (*close)(struct lr_source *s);
};

/* For stream sources: PATH opened for reading, or stdin for "-" (*owned false);
 * NULL with err ("PATH: why"). */
FILE *lr_source_open_path(const char *path, bool *owned, char *err, size_t errlen);

struct lr_source *lr_source_export_open(const char *path, char *err, size_t errlen);
struct lr_source *lr_source_json_open(const char *path, char *err, size_t errlen);
/* Plain text lines (see input/line_parse.h): SYSLOG_IDENTIFIER=identifier
 * (may be NULL) unless a syslog header names one; _TRANSPORT=file and
 * LURUSE_FILE=path. path "-" is stdin, read line by line as lines come. */
struct lr_source *lr_source_lines_open(const char *path, const char *identifier, char *err,
                                       size_t errlen);

/* Journal sources. */
enum lr_journal_kind { LR_JOURNAL_LOCAL, LR_JOURNAL_DIRECTORY, LR_JOURNAL_FILES };
struct lr_source *lr_source_journal_open(enum lr_journal_kind kind, const char *const *paths,
                                         size_t npaths, char *err, size_t errlen);
/* Positioning, before the first next(). */
int lr_source_journal_seek_head(struct lr_source *s);
int lr_source_journal_seek_tail(struct lr_source *s);
int lr_source_journal_seek_since(struct lr_source *s, uint64_t realtime_usec);
/* Only entries of UNIT: _SYSTEMD_UNIT=UNIT or UNIT=UNIT (as journalctl -u;
 * ".service" appended to a UNIT without a unit suffix). Repeatable: any of the
 * units. Before the first next(). */
int lr_source_journal_match_unit(struct lr_source *s, const char *unit);
/* End the input (next() returns 0) at the first entry later than realtime_usec. */
void lr_source_journal_until(struct lr_source *s, uint64_t realtime_usec);
/* Resume after the entry the cursor names (it is not processed again). When the
 * entry is gone (vacuumed), processing starts at the next one still there. */
int lr_source_journal_seek_after_cursor(struct lr_source *s, const char *cursor);
/* The cursor of the entry last returned by next(); malloc'd, NULL if none. */
char *lr_source_journal_cursor(struct lr_source *s);
/* Live following: the fd to poll, and what to do when it is readable. */
int lr_source_journal_fd(struct lr_source *s);
int lr_source_journal_events(struct lr_source *s);
/* Once caught up, read new entries straight from the files journald writes
 * (input/journal_tail.h), libsystemd taking over whenever that reader cannot
 * go on. For the local journal and --journal-dir, without match_unit or
 * until; false (libsystemd alone) otherwise. Before the first next(). */
bool lr_source_journal_read_directly(struct lr_source *s);
struct lr_journal_direct_stats {
  uint64_t entries;   /* read directly */
  uint64_t starts;    /* times the direct reader took over */
  uint64_t handbacks; /* times it gave the place back (rotation, a new file, ...) */
  uint64_t refused;   /* times it could not take over */
  uint64_t broken;    /* hand-backs for a file that did not check out (logged) */
};
void lr_source_journal_direct_stats(struct lr_source *s, struct lr_journal_direct_stats *out);
/* How long to wait at most before calling next() again (-1: forever), in ms. */
int lr_source_journal_timeout_ms(struct lr_source *s);
