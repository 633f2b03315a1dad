/* The storage directory a command that only talks to the daemon, or to its
 * state, works on: --storage when given, else the rule file's storage setting
 * (read, not compiled: a step the compiler refuses does not hide it), else
 * the default when the rules set none.
 *
 *   char *dir = lr_storage_of(storage, rules, err, sizeof(err));   // NULL: rules unreadable
 */
#pragma once
#include <stddef.h>

/* malloc'd; NULL with err when the rules cannot be read (the caller decides
 * whether a default will do). */
char *lr_storage_of(const char *storage, const char *rules, char *err, size_t errlen);
