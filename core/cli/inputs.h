/* Where entries come from, as the command line names them.
 *
 *   lr_inputs_add(&in.streams, &in.nstreams, "export:-");
 */
#pragma once
#include <stddef.h>

struct lr_inputs {
  const char *journal_dir;
  const char **journal_files;
  size_t njournal_files;
  const char **streams; /* "export:PATH", "json:PATH" or "lines:PATH", in command-line order */
  const char *identifier; /* --identifier: SYSLOG_IDENTIFIER of the lines and --file's */
  const char **files;     /* run --file: text logs followed beside the journal */
  size_t nfiles;
  size_t nstreams;
};
void lr_inputs_add(const char ***list, size_t *n, const char *item);

struct lr_source;
/* Opens --journal-dir or the --journal-file list; NULL with err. */
struct lr_source *lr_inputs_open_journal(const struct lr_inputs *in, char *err, size_t errlen);
/* Opens one of `streams` ("export:", "json:" or "lines:" then a path or -);
 * NULL with err. `identifier` names the lines' SYSLOG_IDENTIFIER. */
struct lr_source *lr_inputs_open_stream(const char *item, const char *identifier, char *err,
                                        size_t errlen);
