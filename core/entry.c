#include "entry.h"

#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "log.h"

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
  e->slots = realloc(e->slots, cap * sizeof(*e->slots));
  lr_assert(e->slots != NULL);
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
  int id = lr_fields_find(name, nlen);
  if (id < 0 || (size_t)id >= e->nslots)
    return;
  struct lr_slot *slot = &e->slots[id];
  if (slot->gen == e->gen) /* set by a step, or a repeated field: first one wins */
    return;
  slot->gen = e->gen;
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
  return slot;
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
