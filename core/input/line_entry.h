/* One text line as a journal entry: what line_parse.h found in it, plus
 * SYSLOG_IDENTIFIER, _TRANSPORT=file, LURUSE_FILE and __REALTIME_TIMESTAMP.
 * Shared by the sources of lines (--lines) and of followed files.
 *
 *   struct lr_line_entry le = {.path = "/var/log/x.log", .identifier = "x"};
 *   line[len] = '\0';                                   // values point into it
 *   lr_line_entry_begin(&le, e, line, len, lr_wall_usec(), true);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input/line_parse.h"

struct lr_entry;

struct lr_line_entry {
  const char *path;       /* LURUSE_FILE */
  const char *identifier; /* when the line names none; NULL: no SYSLOG_IDENTIFIER */
  struct lr_line l;
  char realtime[24], priority[24], facility[24]; /* decimal: any int64_t fits */
};

/* Starts entry e on line[0..len), which must stay as it is (and be followed by
 * a NUL) until the next entry. parse false: the whole line is MESSAGE, read at
 * now_usec (a file whose lines have no header worth trusting). */
void lr_line_entry_begin(struct lr_line_entry *le, struct lr_entry *e, const char *line,
                         size_t len, int64_t now_usec, bool parse);
