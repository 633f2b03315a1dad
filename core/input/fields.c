#include "input/fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

struct field {
  char *name;
  uint32_t len;
  uint32_t hash;
  enum lr_field_kind kind;
};

static struct field *fields;
static size_t nfields, capfields;
static int32_t *index_; /* open addressing: field id or -1 */
/* Most journal fields of an entry are not used by any rule: a bit per
 * (length, first byte) pair rejects those before any hashing. */
static uint64_t shape_seen[32];
static size_t index_size;

/* python-systemd's DEFAULT_CONVERTERS: these become integers or times. */
static const char *const integer_fields[] = {
  "PRIORITY", "LEADER", "SESSION_ID", "USERSPACE_USEC", "INITRD_USEC", "KERNEL_USEC",
  "_UID", "_GID", "_PID", "SYSLOG_FACILITY", "SYSLOG_PID", "_AUDIT_SESSION",
  "_AUDIT_LOGINUID", "_SYSTEMD_SESSION", "_SYSTEMD_OWNER_UID", "CODE_LINE", "ERRNO",
  "EXIT_STATUS", "COREDUMP_UID", "COREDUMP_GID", "COREDUMP_PID", "COREDUMP_SIGNAL",
  "COREDUMP_SESSION", "COREDUMP_OWNER_UID", "__MONOTONIC_TIMESTAMP",
  "_SOURCE_MONOTONIC_TIMESTAMP", NULL,
};
static const char *const time_fields[] = {
  "__REALTIME_TIMESTAMP", "_SOURCE_REALTIME_TIMESTAMP", "COREDUMP_TIMESTAMP", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
  for (; *list; list++)
    if (strcmp(*list, name) == 0)
      return true;
  return false;
}

static uint32_t hash_name(const char *s, size_t len)
{
  uint32_t h = 2166136261u; /* FNV-1a: names are short, this is enough */
  for (size_t i = 0; i < len; i++)
    h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

static void index_rebuild(size_t size)
{
  free(index_);
  index_ = lr_xreallocarray(NULL, size, sizeof(*index_));
  index_size = size;
  memset(index_, 0xff, size * sizeof(*index_));
  for (size_t id = 0; id < nfields; id++) {
    size_t i = fields[id].hash & (size - 1);
    while (index_[i] >= 0)
      i = (i + 1) & (size - 1);
    index_[i] = (int32_t)id;
  }
}

static void ensure_builtin(void);

static inline uint64_t shape_bit(const char *name, size_t len, size_t *row)
{
  *row = len & 31;
  return (uint64_t)1 << ((uint8_t)name[0] & 63);
}

int lr_fields_find(const char *name, size_t len)
{
  ensure_builtin();
  if (len == 0)
    return -1;
  size_t row;
  uint64_t bit = shape_bit(name, len, &row);
  if (!(shape_seen[row] & bit))
    return -1;
  uint32_t h = hash_name(name, len);
  for (size_t i = h & (index_size - 1);; i = (i + 1) & (index_size - 1)) {
    int32_t id = index_[i];
    if (id < 0)
      return -1;
    const struct field *f = &fields[id];
    if (f->hash == h && f->len == len && memcmp(f->name, name, len) == 0)
      return id;
  }
}

static lr_field_id add(const char *name, size_t len)
{
  if (nfields >= LR_FIELDS_MAX)
    return (lr_field_id)-1;
  LR_GROW(fields, nfields + 1, capfields, 64);
  struct field *f = &fields[nfields];
  f->name = lr_xstrndup(name, len);
  f->len = (uint32_t)len;
  f->hash = hash_name(name, len);
  size_t row;
  uint64_t bit = shape_bit(name, len, &row);
  shape_seen[row] |= bit;
  f->kind = in_list(time_fields, f->name) ? LR_KIND_TIME
          : in_list(integer_fields, f->name) ? LR_KIND_INTEGER : LR_KIND_STRING;
  nfields++;
  if (nfields * 2 > index_size)
    index_rebuild(index_size ? index_size * 2 : 256);
  else {
    size_t i = f->hash & (index_size - 1);
    while (index_[i] >= 0)
      i = (i + 1) & (index_size - 1);
    index_[i] = (int32_t)(nfields - 1);
  }
  return (lr_field_id)(nfields - 1);
}

static void ensure_builtin(void)
{
  if (nfields)
    return;
  index_rebuild(256);
  add("__REALTIME_TIMESTAMP", 20);
  add("MESSAGE", 7);
  add("__CURSOR", 8);
}

lr_field_id lr_fields_intern(const char *name, size_t len)
{
  if (len == 0 || len > 255 || memchr(name, '=', len) || memchr(name, '\0', len))
    return (lr_field_id)-1;
  int id = lr_fields_find(name, len);
  return id >= 0 ? (lr_field_id)id : add(name, len);
}

const char *lr_fields_name(lr_field_id id)
{
  ensure_builtin();
  return id < nfields ? fields[id].name : NULL;
}

enum lr_field_kind lr_fields_kind(lr_field_id id)
{
  ensure_builtin();
  return id < nfields ? fields[id].kind : LR_KIND_STRING;
}

size_t lr_fields_count(void)
{
  ensure_builtin();
  return nfields;
}

bool lr_field_name_is_journal(const char *name, size_t len)
{
  if (len == 0 || len > 64 || (name[0] >= '0' && name[0] <= '9'))
    return false;
  for (size_t i = 0; i < len; i++) {
    char c = name[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

void lr_field_name_escape(char *out, size_t size, const char *name, size_t len)
{
  size_t o = 0, i = 0;
  for (; i < len && i < 64 && o + 5 < size; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      out[o++] = (char)c;
    else
      o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
  }
  if (i < len && o + 4 <= size) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o < size ? o : size - 1] = '\0';
}
