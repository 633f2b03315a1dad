/* luruse's own diagnostics: one place that decides where they go.
 *
 *   lr_log(LOG_WARNING, "rule %s: %s", origin, why);
 *
 * Messages go to the journal when its socket exists (so that the daemon's own
 * lines can be matched by rules), otherwise to stderr with a "<N>" prefix that
 * systemd understands. Errors (LOG_ERR and worse) sent to the journal are also
 * written to stderr ("luruse: ..."), unless stderr is the journal itself
 * (JOURNAL_STREAM names its device:inode, systemd.exec(5)) or is closed: so a
 * `luruse run` that cannot start says why on the terminal, once under systemd. */
#pragma once
#include <stdbool.h>
#include <syslog.h>

__attribute__((format(printf, 2, 3)))
void lr_log(int priority, const char *fmt, ...);
/* The same under another SYSLOG_IDENTIFIER: events that rules read back
 * (the jails' bans, "luruse-jail", for the recidive jail), which no rule's
 * L.log (always "luruse") can imitate. */
void lr_log_as(const char *ident, int priority, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* Forces stderr output (tests, `luruse check`), or lets lr_log pick. */
void lr_log_to_stderr(bool on);
/* Messages above this priority are dropped (default LOG_INFO; --verbose: LOG_DEBUG). */
void lr_log_set_level(int max_priority);
/* True when the journal socket can be used for sd_journal_send. */
bool lr_log_journal_available(void);
/* True when stderr is open and is not the journal (see above); decided once. */
bool lr_log_stderr_is_separate(void);

/* Fatal assertion for impossible states: a bug, not bad input. */
#define lr_assert(cond) \
  do { if (!(cond)) lr_fatal_assert(#cond, __FILE__, __LINE__); } while (0)
__attribute__((noreturn)) void lr_fatal_assert(const char *what, const char *file, int line);

/* Ends the process for a state it cannot go on from (out of memory): the
 * message goes to stderr ("luruse: fatal: ...") and to the journal, then abort. */
__attribute__((noreturn, format(printf, 1, 2))) void lr_fatal(const char *fmt, ...);
