#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

static int journal_state = -1; /* -1 unknown, 0 no, 1 yes */
static int stderr_separate = -1; /* -1 unknown, 0 stderr is the journal or unusable, 1 a place of its own */
static bool force_stderr;
static int max_level = LOG_INFO;

bool lr_log_journal_available(void)
{
  if (journal_state < 0)
    journal_state = access("/run/systemd/journal/socket", W_OK) == 0;
  return journal_state == 1;
}

/* systemd.exec(5): with StandardError=journal, JOURNAL_STREAM is "DEVICE:INODE"
 * of the stream; stderr is the journal when it is that same file. */
bool lr_log_stderr_is_separate(void)
{
  if (stderr_separate < 0) {
    struct stat st;
    stderr_separate = fstat(STDERR_FILENO, &st) == 0;
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    char extra;
    if (stderr_separate && js && sscanf(js, "%llu:%llu%c", &dev, &ino, &extra) == 2 &&
        (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino)
      stderr_separate = 0;
  }
  return stderr_separate == 1;
}

void lr_log_to_stderr(bool on) { force_stderr = on; }
void lr_log_set_level(int max_priority) { max_level = max_priority; }

__attribute__((format(printf, 3, 0)))
static void vlog_as(const char *ident, int priority, const char *fmt, va_list ap)
{
  if (!force_stderr && lr_log_journal_available()) {
    /* with a SYSLOG_IDENTIFIER, so that journalctl -t luruse and rules find
     * its lines */
    char stack[2048], *msg = stack;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(stack, sizeof(stack), fmt, copy);
    va_end(copy);
    if (n >= (int)sizeof(stack) && (msg = malloc((size_t)n + 1))) {
      va_copy(copy, ap);
      vsnprintf(msg, (size_t)n + 1, fmt, copy);
      va_end(copy);
    }
    sd_journal_send("MESSAGE=%s", msg ? msg : stack, "PRIORITY=%i", priority,
                    "SYSLOG_IDENTIFIER=%s", ident, NULL);
    if (msg != stack)
      free(msg);
    /* errors and warnings also go where the user who started luruse looks (a
     * terminal, a log file), unless that is the journal itself */
    if (priority <= LOG_WARNING && lr_log_stderr_is_separate()) {
      fputs(priority <= LOG_ERR ? "luruse: " : "luruse: warning: ", stderr);
      vfprintf(stderr, fmt, ap);
      fputc('\n', stderr);
    }
  } else {
    fprintf(stderr, "<%d>%s: ", priority, ident);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
  }
}

void lr_log(int priority, const char *fmt, ...)
{
  if (priority > max_level)
    return;
  va_list ap;
  va_start(ap, fmt);
  vlog_as("luruse", priority, fmt, ap);
  va_end(ap);
}

void lr_log_as(const char *ident, int priority, const char *fmt, ...)
{
  if (priority > max_level)
    return;
  va_list ap;
  va_start(ap, fmt);
  vlog_as(ident, priority, fmt, ap);
  va_end(ap);
}

void lr_fatal_assert(const char *what, const char *file, int line)
{
  fprintf(stderr, "luruse: internal error: assertion '%s' failed at %s:%d\n", what, file, line);
  abort();
}

void lr_fatal(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("luruse: fatal: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  if (!force_stderr && lr_log_journal_available()) {
    va_start(ap, fmt);
    sd_journal_printv(LOG_CRIT, fmt, ap);
    va_end(ap);
  }
  abort();
}
