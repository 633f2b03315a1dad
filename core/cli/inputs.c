#include "cli/inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/source.h"
#include "util/xalloc.h"

void lr_inputs_add(const char ***list, size_t *n, const char *item)
{
  *list = lr_xreallocarray(*list, *n + 1, sizeof(**list));
  (*list)[(*n)++] = item;
}

struct lr_source *lr_inputs_open_stream(const char *item, const char *identifier, char *err,
                                        size_t errlen)
{
  if (strncmp(item, "lines:", 6) == 0)
    return lr_source_lines_open(item + 6, identifier, err, errlen);
  if (strncmp(item, "export:", 7) == 0)
    return lr_source_export_open(item + 7, err, errlen);
  return lr_source_json_open(item + 5, err, errlen);
}

struct lr_source *lr_inputs_open_journal(const struct lr_inputs *in, char *err, size_t errlen)
{
  if (in->journal_dir && in->njournal_files) {
    snprintf(err, errlen, "--journal-dir and --journal-file do not go together: give one of them");
    return NULL;
  }
  return in->journal_dir
           ? lr_source_journal_open(LR_JOURNAL_DIRECTORY, &in->journal_dir, 1, err, errlen)
           : lr_source_journal_open(LR_JOURNAL_FILES, in->journal_files, in->njournal_files, err,
                                    errlen);
}
