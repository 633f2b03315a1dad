/* One journal entry as the rules see it: typed values indexed by field id.
 *
 * Values are fetched lazily: the first read of a journal field asks the source
 * to offer the entry's fields once (one enumerate pass), and only fields some
 * rule interned are kept. A slot is valid when its generation equals the
 * entry's, so moving to the next entry clears nothing.
 *
 *   const struct lr_value *v = lr_entry_get(e, LR_F_MESSAGE);
 *   if (v && v->type == LR_VAL_STR) ... v->str, v->len ...
 *   lr_entry_set_str(e, ip_id, "1.2.3.4", 7);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "input/fields.h"

enum lr_val_type { LR_VAL_NONE = 0, LR_VAL_STR, LR_VAL_INT, LR_VAL_TIME };

struct lr_value {
  enum lr_val_type type;
  uint32_t len;     /* LR_VAL_STR */
  const char *str;  /* LR_VAL_STR: NUL-terminated, may contain NULs (binary fields) */
  int64_t num;      /* LR_VAL_INT; LR_VAL_TIME in microseconds since the epoch */
};

struct lr_entry;
struct lr_charset;

/* What a source provides for the current entry. */
struct lr_source_hooks {
  /* Calls lr_entry_offer() for each field of the current entry. */
  void (*fill)(void *ctx, struct lr_entry *e);
  /* Name/value pairs of the entry in order, for `--trace` and Lua's e:fields(). */
  void (*each)(void *ctx, void (*cb)(void *arg, const char *name, size_t nlen,
                                     const char *val, size_t vlen), void *arg);
  /* Optional: the entry's monotonic time and boot id, when the source has them
   * outside its fields (the journal). Without it they are read from the fields
   * __MONOTONIC_TIMESTAMP and _BOOT_ID, as export and JSON streams carry them. */
  bool (*boot_time)(void *ctx, int64_t *monotonic_usec, uint64_t boot_id[2]);
};

struct lr_slot {
  uint32_t gen;
  uint32_t write; /* 0 when read from the entry; else the entry's write count after a step wrote it */
  struct lr_value v;
};

struct lr_entry {
  uint32_t gen;
  bool filled;
  size_t nslots;
  struct lr_slot *slots;
  struct lr_arena arena;
  int64_t realtime_usec;   /* the entry's own time: the clock of every rule */
  const struct lr_source_hooks *hooks;
  void *hooks_ctx;
  struct lr_charset *msg_charset; /* decodes a MESSAGE that is not UTF-8 */
  uint32_t writes;         /* steps' writes in this entry (lr_entry_mark) */
};

void lr_entry_init(struct lr_entry *e);
void lr_entry_free(struct lr_entry *e);
/* Starts a new entry: previous values become invalid. */
void lr_entry_begin(struct lr_entry *e, int64_t realtime_usec,
                    const struct lr_source_hooks *hooks, void *hooks_ctx);

/* NULL when the field is absent. */
const struct lr_value *lr_entry_get(struct lr_entry *e, lr_field_id id);
/* Same, by name: for Lua steps that read fields no rule interned. */
const struct lr_value *lr_entry_get_name(struct lr_entry *e, const char *name, size_t len);

void lr_entry_set_str(struct lr_entry *e, lr_field_id id, const char *s, size_t len);
void lr_entry_set_int(struct lr_entry *e, lr_field_id id, int64_t n);
void lr_entry_set_value(struct lr_entry *e, lr_field_id id, const struct lr_value *v);
void lr_entry_unset(struct lr_entry *e, lr_field_id id);

/* What the steps wrote so far: a mark for lr_entry_next_written. */
static inline uint32_t lr_entry_mark(const struct lr_entry *e) { return e->writes; }
/* The next field after *id (start with *id = -1) that a step set, changed or
 * unset since `mark` (0: since the entry began); false when there is none. It
 * scans the slots, so it is for --trace and luruse explain, not the hot path.
 * The value is NULL for an unset field. */
bool lr_entry_next_written(const struct lr_entry *e, uint32_t mark, int *id,
                           const struct lr_value **v);

/* For sources: one raw field. `stable` when the bytes outlive the entry (no copy). */
void lr_entry_offer(struct lr_entry *e, const char *name, size_t nlen,
                    const char *val, size_t vlen, bool stable);
/* The same, for a source that already knows the field's id (lr_fields_find). */
void lr_entry_offer_id(struct lr_entry *e, int id, const char *val, size_t vlen, bool stable);

/* The entry's __REALTIME_TIMESTAMP, or the wall clock when it has none. */
int64_t lr_entry_time_usec(const struct lr_entry *e);

/* The entry's monotonic time and boot id; false when the source has none.
 * Used by the clock on rare occasions (leaps), so it may cost a field scan. */
bool lr_entry_boot_time(const struct lr_entry *e, int64_t *monotonic_usec, uint64_t boot_id[2]);

/* Converts raw journal bytes to the typed value python-systemd would give. */
void lr_value_from_raw(struct lr_entry *e, enum lr_field_kind kind, bool is_message,
                       const char *val, size_t vlen, bool stable, struct lr_value *out);

/* Strict decimal parse of an int64; false on anything else. */
bool lr_parse_int64(const char *s, size_t len, int64_t *out);
