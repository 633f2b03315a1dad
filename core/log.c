#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

static int journal_state = -1; /* -1 unknown, 0 no, 1 yes */
static bool force_stderr;
static int max_level = LOG_INFO;

bool lr_log_journal_available(void)
{
  if (journal_state < 0)
    journal_state = access("/run/systemd/journal/socket", W_OK) == 0;
  return journal_state == 1;
}

void lr_log_to_stderr(bool on) { force_stderr = on; }
void lr_log_set_level(int max_priority) { max_level = max_priority; }

void lr_log(int priority, const char *fmt, ...)
{
  if (priority > max_level)
    return;
  va_list ap;
  va_start(ap, fmt);
  if (!force_stderr && lr_log_journal_available()) {
    sd_journal_printv(priority, fmt, ap);
  } else {
    fprintf(stderr, "<%d>luruse: ", priority);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
  }
  va_end(ap);
}

void lr_fatal_assert(const char *what, const char *file, int line)
{
  fprintf(stderr, "luruse: internal error: assertion '%s' failed at %s:%d\n", what, file, line);
  abort();
}
