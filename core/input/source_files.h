/* Text log files followed live, as `tail -F` follows them, beside the journal:
 * each line is an entry (input/line_entry.h). Rotation by rename (the old file
 * is finished, then the new one read from its start), by copytruncate (a file
 * that shrinks is read again from 0), deletion and re-creation, files that
 * appear later, globs. A partial last line waits for its newline, up to
 * LR_LINE_MAX; a longer line is cut there.
 *
 * Positions survive restarts: the caller saves what lr_source_files_positions
 * gives (key "file:PATH") with the journal cursor, and hands it back through
 * the lookup. A position names the file by device, inode and a hash of its
 * first bytes, so a file rotated while luruse was stopped is recognised under
 * its rotated name (PATH.1) and finished from there.
 *
 *   struct lr_source *s = lr_source_files_open(lookup, state);
 *   lr_source_files_set(s, specs, n, false);      // again on reload
 *   on inotify and every second: lr_source_files_poll(s); drain s->next
 *   at each commit: lr_source_files_positions(s, save, txn);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct lr_source;

struct lr_file_spec {
  const char *pattern;    /* an absolute path; a '*', '?' or '[' makes it a glob */
  const char *identifier; /* SYSLOG_IDENTIFIER of its lines; NULL: none unless a syslog header */
  bool plain;             /* no header parsing: the whole line is MESSAGE, time read */
};

/* lookup returns what was saved under key (malloc'd) or NULL. */
struct lr_source *lr_source_files_open(char *(*lookup)(void *ctx, const char *key),
                                       void *lookup_ctx);
/* Follows what specs name from now on (copied). A file already followed keeps
 * its place. A file seen for the first time resumes at its saved position;
 * without one it is read from its start when it appeared after luruse started
 * or when from_start, else from its end (as the journal on a first start). */
void lr_source_files_set(struct lr_source *s, const struct lr_file_spec *specs, size_t n,
                         bool from_start);
/* Looks again at every file: globs, rotation, truncation, a file that appeared
 * or became readable. On inotify events and on a slow timer (the fallback on
 * file systems without inotify). */
void lr_source_files_poll(struct lr_source *s);
/* The directories holding the files and globs, to watch: NULL past the end. */
const char *lr_source_files_dir(const struct lr_source *s, size_t i);
/* The position of every file opened: cb(key, value) each. */
void lr_source_files_positions(struct lr_source *s,
                               void (*cb)(void *ctx, const char *key, const char *value),
                               void *ctx);
/* Files followed (open), and files named but missing or unreadable. */
void lr_source_files_counts(const struct lr_source *s, size_t *open, size_t *waiting);
