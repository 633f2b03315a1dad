#include "defence/ban_config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/argv.h"
#include "util/log.h"
#include "util/xalloc.h"

void lr_ban_config_init(struct lr_ban_config *c)
{
  static const char *const ipset[] = {"/usr/sbin/ipset", "-exist", "-quiet", NULL};
  memset(c, 0, sizeof(*c));
  c->ipset = lr_argv_dup(ipset);
  c->timeout_s = LR_BAN_DEFAULT_TIMEOUT;
  snprintf(c->table, sizeof(c->table), "%s", LR_BAN_DEFAULT_TABLE);
}

void lr_ban_config_free(struct lr_ban_config *c)
{
  lr_argv_free(c->nft);
  lr_argv_free(c->ipset);
  memset(c, 0, sizeof(*c));
}

void lr_ban_config_copy(struct lr_ban_config *dst, const struct lr_ban_config *src)
{
  char **nft = lr_argv_dup((const char *const *)src->nft);
  char **ipset = lr_argv_dup((const char *const *)src->ipset);
  unsigned timeout_s = src->timeout_s;
  char table[sizeof(src->table)];
  memcpy(table, src->table, sizeof(table));
  lr_ban_config_free(dst);
  dst->nft = nft;
  dst->ipset = ipset;
  dst->timeout_s = timeout_s;
  memcpy(dst->table, table, sizeof(table));
}

/* "nftBan.nft": a non-empty list of strings without NUL bytes, the first non-empty. */
static int parse_argv(const json_t *v, const char *what, char ***out, char *err, size_t errlen)
{
  if (!json_is_array(v) || json_array_size(v) == 0) {
    snprintf(err, errlen, "setting '%s' must be a command as a non-empty list of strings", what);
    return -1;
  }
  size_t n = json_array_size(v);
  for (size_t i = 0; i < n; i++) {
    const json_t *a = json_array_get(v, i);
    if (!json_is_string(a) || strlen(json_string_value(a)) != json_string_length(a)) {
      snprintf(err, errlen, "setting '%s' item %zu must be a string without NUL bytes", what,
               i + 1);
      return -1;
    }
  }
  if (json_string_length(json_array_get(v, 0)) == 0) {
    snprintf(err, errlen, "setting '%s': the program (item 1) is empty", what);
    return -1;
  }
  char **argv = lr_xcalloc(n + 1, sizeof(*argv));
  for (size_t i = 0; i < n; i++)
    argv[i] = lr_xstrdup(json_string_value(json_array_get(v, i)));
  lr_argv_free(*out);
  *out = argv;
  return 0;
}

/* {"KEY": [argv]} with KEY the only key allowed (Pyruse's nftBan and ipsetBan). */
static int parse_command(const json_t *settings, const char *setting, const char *key,
                         char ***out, char *err, size_t errlen)
{
  const json_t *obj = json_object_get(settings, setting);
  if (!obj)
    return 0;
  if (!json_is_object(obj)) {
    snprintf(err, errlen, "setting '%s' must be an object: {\"%s\": [command...]}", setting, key);
    return -1;
  }
  const char *k;
  const json_t *v;
  char what[64];
  json_object_foreach((json_t *)obj, k, v) {
    if (strcmp(k, key) != 0) {
      snprintf(err, errlen, "unknown setting '%s.%s' (only '%s')", setting, k, key);
      return -1;
    }
    snprintf(what, sizeof(what), "%s.%s", setting, key);
    if (parse_argv(v, what, out, err, errlen) < 0)
      return -1;
  }
  return 0;
}

static int parse_bans(struct lr_ban_config *c, const json_t *settings, char *err, size_t errlen)
{
  const json_t *obj = json_object_get(settings, "bans");
  if (!obj)
    return 0;
  if (!json_is_object(obj)) {
    snprintf(err, errlen, "setting 'bans' must be an object: {\"timeoutSeconds\": 10, "
                          "\"table\": \"luruse\"}");
    return -1;
  }
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)obj, k, v) {
    if (strcmp(k, "table") == 0) {
      if (json_is_false(v)) {
        c->table[0] = '\0';
        continue;
      }
      const char *t = json_string_value(v);
      size_t n = t ? strlen(t) : 0;
      bool ok = n > 0 && n <= LR_BAN_TABLE_NAME_MAX && n == json_string_length(v) &&
                ((t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z'));
      for (size_t i = 0; ok && i < n; i++)
        ok = (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
             (t[i] >= '0' && t[i] <= '9') || t[i] == '_' || t[i] == '-';
      if (!ok) {
        snprintf(err, errlen, "setting 'bans.table' must be false or a table name (a letter, "
                              "then letters, digits, '_' or '-', at most %d)",
                 LR_BAN_TABLE_NAME_MAX);
        return -1;
      }
      memcpy(c->table, t, n + 1);
      continue;
    }
    if (strcmp(k, "timeoutSeconds") != 0) {
      snprintf(err, errlen, "unknown setting 'bans.%s' (takes: timeoutSeconds, table)", k);
      return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        json_integer_value(v) > LR_BAN_MAX_TIMEOUT) {
      snprintf(err, errlen, "setting 'bans.timeoutSeconds' must be a number of seconds "
                            "(1 to %d)", LR_BAN_MAX_TIMEOUT);
      return -1;
    }
    c->timeout_s = (unsigned)json_integer_value(v);
  }
  return 0;
}

int lr_ban_config_parse(struct lr_ban_config *c, const json_t *settings, char *err,
                        size_t errlen)
{
  if (!settings)
    return 0;
  if (parse_command(settings, "nftBan", "nft", &c->nft, err, errlen) < 0 ||
      parse_command(settings, "ipsetBan", "ipset", &c->ipset, err, errlen) < 0 ||
      parse_bans(c, settings, err, errlen) < 0)
    return -1;
  return 0;
}
