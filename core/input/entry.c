#include "input/entry.h"

#include <stdlib.h>
#include <string.h>

#include "util/charset.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

void lr_entry_init(struct lr_entry *e)
{
  memset(e, 0, sizeof(*e));
  e->gen = 1;
}

void lr_entry_free(struct lr_entry *e)
{
  lr_arena_free(&e->arena);
  free(e->slots);
  e->slots = NULL;
  e->nslots = 0;
}

static void ensure_slots(struct lr_entry *e, size_t n)
{
  if (n <= e->nslots)
    return;
  size_t cap = n < 64 ? 64 : n * 2;
  e->slots = lr_xreallocarray(e->slots, cap, sizeof(*e->slots));
  memset(e->slots + e->nslots, 0, (cap - e->nslots) * sizeof(*e->slots));
  e->nslots = cap;
}

void lr_entry_begin(struct lr_entry *e, int64_t realtime_usec,
                    const struct lr_source_hooks *hooks, void *hooks_ctx)
{
  lr_arena_reset(&e->arena);
  ensure_slots(e, lr_fields_count());
  if (++e->gen == 0) { /* wrapped: old stamps could look current */
    memset(e->slots, 0, e->nslots * sizeof(*e->slots));
    e->gen = 1;
  }
  e->filled = false;
  e->writes = 0;
  e->realtime_usec = realtime_usec;
  e->hooks = hooks;
  e->hooks_ctx = hooks_ctx;
}

bool lr_parse_int64(const char *s, size_t len, int64_t *out)
{
  size_t i = 0;
  bool neg = false;
  if (len && (s[0] == '-' || s[0] == '+')) { neg = s[0] == '-'; i = 1; }
  if (i == len || len - i > 19)
    return false;
  uint64_t v = 0;
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (v > (uint64_t)INT64_MAX + neg)
    return false;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return true;
}

void lr_value_from_raw(struct lr_entry *e, enum lr_field_kind kind, bool is_message,
                       const char *val, size_t vlen, bool stable, struct lr_value *out)
{
  if (kind != LR_KIND_STRING && lr_parse_int64(val, vlen, &out->num)) {
    out->type = kind == LR_KIND_TIME ? LR_VAL_TIME : LR_VAL_INT;
    return;
  }
  out->type = LR_VAL_STR;
  if (is_message && e->msg_charset && !lr_utf8_valid(val, vlen)) {
    size_t n;
    out->str = lr_charset_to_utf8(e->msg_charset, val, vlen, &e->arena, &n);
    out->len = (uint32_t)n;
    return;
  }
  if (vlen > UINT32_MAX)
    vlen = UINT32_MAX;
  out->str = stable ? val : lr_arena_strndup(&e->arena, val, vlen);
  out->len = (uint32_t)vlen;
}

void lr_entry_offer(struct lr_entry *e, const char *name, size_t nlen,
                    const char *val, size_t vlen, bool stable)
{
  lr_entry_offer_id(e, lr_fields_find(name, nlen), val, vlen, stable);
}

void lr_entry_offer_id(struct lr_entry *e, int id, const char *val, size_t vlen, bool stable)
{
  if (id < 0 || (size_t)id >= e->nslots)
    return;
  struct lr_slot *slot = &e->slots[id];
  if (slot->gen == e->gen) /* set by a step, or a repeated field: first one wins */
    return;
  slot->gen = e->gen;
  slot->write = 0;
  lr_value_from_raw(e, lr_fields_kind((lr_field_id)id), id == LR_F_MESSAGE, val, vlen, stable,
                    &slot->v);
}

const struct lr_value *lr_entry_get(struct lr_entry *e, lr_field_id id)
{
  if (id >= e->nslots) /* interned after this entry began (a Lua step) */
    ensure_slots(e, lr_fields_count());
  struct lr_slot *slot = &e->slots[id];
  if (slot->gen != e->gen && !e->filled) {
    e->filled = true;
    if (e->hooks && e->hooks->fill)
      e->hooks->fill(e->hooks_ctx, e);
  }
  if (slot->gen != e->gen) {
    if (id != LR_F_REALTIME || e->realtime_usec < 0)
      return NULL;
    slot->gen = e->gen;
    slot->write = 0;
    slot->v = (struct lr_value){.type = LR_VAL_TIME, .num = e->realtime_usec};
  }
  return slot->v.type == LR_VAL_NONE ? NULL : &slot->v;
}

struct find_ctx {
  struct lr_entry *e;
  const char *name;
  size_t len;
  struct lr_value *out;
  bool found;
};

static void find_cb(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  struct find_ctx *c = arg;
  if (c->found || nlen != c->len || memcmp(name, c->name, nlen) != 0)
    return;
  c->found = true;
  lr_value_from_raw(c->e, LR_KIND_STRING, false, val, vlen, false, c->out);
}

const struct lr_value *lr_entry_get_name(struct lr_entry *e, const char *name, size_t len)
{
  int id = lr_fields_find(name, len);
  if (id >= 0)
    return lr_entry_get(e, (lr_field_id)id);
  if (!e->hooks || !e->hooks->each)
    return NULL;
  struct lr_value *v = lr_arena_alloc(&e->arena, sizeof(*v));
  struct find_ctx c = {e, name, len, v, false};
  e->hooks->each(e->hooks_ctx, find_cb, &c);
  return c.found ? v : NULL;
}

static struct lr_slot *slot_for_write(struct lr_entry *e, lr_field_id id)
{
  if (!e->filled) { /* a later fill must not overwrite what a step wrote */
    e->filled = true;
    if (e->hooks && e->hooks->fill)
      e->hooks->fill(e->hooks_ctx, e);
  }
  ensure_slots(e, (size_t)id + 1);
  struct lr_slot *slot = &e->slots[id];
  slot->gen = e->gen;
  slot->write = ++e->writes;
  return slot;
}

bool lr_entry_next_written(const struct lr_entry *e, uint32_t mark, int *id,
                           const struct lr_value **v)
{
  if (e->writes == mark)
    return false;
  for (size_t i = (size_t)(*id + 1); i < e->nslots; i++) {
    const struct lr_slot *s = &e->slots[i];
    if (s->gen == e->gen && s->write > mark) {
      *id = (int)i;
      *v = s->v.type == LR_VAL_NONE ? NULL : &s->v;
      return true;
    }
  }
  return false;
}

void lr_entry_set_str(struct lr_entry *e, lr_field_id id, const char *s, size_t len)
{
  char *copy = lr_arena_strndup(&e->arena, s, len);
  struct lr_slot *slot = slot_for_write(e, id);
  slot->v = (struct lr_value){.type = LR_VAL_STR, .str = copy, .len = (uint32_t)len};
}

void lr_entry_set_int(struct lr_entry *e, lr_field_id id, int64_t n)
{
  struct lr_slot *slot = slot_for_write(e, id);
  slot->v = (struct lr_value){.type = LR_VAL_INT, .num = n};
}

void lr_entry_set_value(struct lr_entry *e, lr_field_id id, const struct lr_value *v)
{
  if (!v || v->type == LR_VAL_NONE) {
    lr_entry_unset(e, id);
  } else if (v->type == LR_VAL_STR) {
    lr_entry_set_str(e, id, v->str, v->len);
  } else {
    struct lr_slot *slot = slot_for_write(e, id);
    slot->v = *v;
  }
}

void lr_entry_unset(struct lr_entry *e, lr_field_id id)
{
  struct lr_slot *slot = slot_for_write(e, id);
  slot->v = (struct lr_value){.type = LR_VAL_NONE};
}

struct boot_scan {
  int64_t monotonic;
  uint64_t boot[2];
  bool have_monotonic, have_boot;
};

/* 32 hex digits, as journald writes a boot id; kept as its 16 bytes, as
 * libsystemd gives them, so that ids from both kinds of source compare. */
static bool parse_boot_id(const char *s, size_t len, uint64_t out[2])
{
  if (len != 32)
    return false;
  uint8_t bytes[16];
  for (int i = 0; i < 32; i++) {
    char c = s[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0)
      return false;
    bytes[i / 2] = (uint8_t)(i % 2 ? bytes[i / 2] << 4 | d : d);
  }
  memcpy(out, bytes, 16);
  return true;
}

static void scan_boot_field(void *arg, const char *name, size_t nlen, const char *val,
                            size_t vlen)
{
  struct boot_scan *b = arg;
  if (nlen == 21 && memcmp(name, "__MONOTONIC_TIMESTAMP", 21) == 0)
    b->have_monotonic = lr_parse_int64(val, vlen, &b->monotonic) && b->monotonic >= 0;
  else if (nlen == 8 && memcmp(name, "_BOOT_ID", 8) == 0)
    b->have_boot = parse_boot_id(val, vlen, b->boot);
}

bool lr_entry_boot_time(const struct lr_entry *e, int64_t *monotonic_usec, uint64_t boot_id[2])
{
  if (!e->hooks)
    return false;
  if (e->hooks->boot_time)
    return e->hooks->boot_time(e->hooks_ctx, monotonic_usec, boot_id);
  if (!e->hooks->each)
    return false;
  struct boot_scan b = {0};
  e->hooks->each(e->hooks_ctx, scan_boot_field, &b);
  if (!b.have_monotonic || !b.have_boot)
    return false;
  *monotonic_usec = b.monotonic;
  boot_id[0] = b.boot[0];
  boot_id[1] = b.boot[1];
  return true;
}

int64_t lr_entry_time_usec(const struct lr_entry *e)
{
  return e->realtime_usec >= 0 ? e->realtime_usec : lr_wall_usec();
}
