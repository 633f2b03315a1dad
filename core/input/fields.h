/* Field names interned to small integers, process-wide.
 *
 * Rules name fields at load time; the compiler interns them, so the hot path
 * indexes arrays instead of hashing strings. Ids never change for the life of
 * the process, which is what lets state survive a rule reload.
 *
 *   lr_field_id msg = lr_fields_intern("MESSAGE", 7);
 *   int id = lr_fields_find(name, len);   // -1 when no rule uses that name
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t lr_field_id;

/* How python-systemd types a journal field; Pyruse rules compare with these types. */
enum lr_field_kind { LR_KIND_STRING, LR_KIND_INTEGER, LR_KIND_TIME };

/* Fixed ids, interned first. */
enum {
  LR_F_REALTIME = 0, /* __REALTIME_TIMESTAMP */
  LR_F_MESSAGE = 1,
  LR_F_CURSOR = 2,   /* __CURSOR */
};

#define LR_FIELDS_MAX 4096 /* a bound against Lua code inventing names without end */

/* Returns the id, or (lr_field_id)-1 when the table is full or the name is invalid. */
lr_field_id lr_fields_intern(const char *name, size_t len);
/* journald's rule for the names of the fields it stores (sd_journal_send and
 * journal-remote refuse the others): 1 to 64 of A-Z, 0-9 and '_', not starting
 * with a digit. Input parsers skip fields whose names break it. */
bool lr_field_name_is_journal(const char *name, size_t len);
/* Writes name into out (NUL-terminated) for a log line: at most 64 bytes of it,
 * bytes outside printable ASCII as \xNN, "..." when cut. */
void lr_field_name_escape(char *out, size_t size, const char *name, size_t len);
int lr_fields_find(const char *name, size_t len);
const char *lr_fields_name(lr_field_id id);
enum lr_field_kind lr_fields_kind(lr_field_id id);
size_t lr_fields_count(void);
