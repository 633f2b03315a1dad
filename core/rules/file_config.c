#include "rules/file_config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void lr_file_config_free(struct lr_file_config *c)
{
  for (size_t i = 0; i < c->n; i++) {
    free((char *)c->specs[i].pattern);
    free((char *)c->specs[i].identifier);
  }
  free(c->specs);
  c->specs = NULL;
  c->n = 0;
}

/* Absolute, no NUL, and a glob only after the last '/': directories are
 * watched, so they must be named. */
static bool path_ok(const char *p, size_t len, const char **why)
{
  const char *last = strrchr(p, '/');
  if (strlen(p) != len || len == 0)
    *why = "must be a non-empty string without NUL bytes";
  else if (p[0] != '/')
    *why = "must be an absolute path";
  else if (p[len - 1] == '/')
    *why = "names a directory: name the files (a glob such as DIR/*.log is fine)";
  else if (strcspn(p, "*?[") < (size_t)(last - p))
    *why = "may have a glob ('*', '?', '[') in its last part only";
  else
    return true;
  return false;
}

int lr_file_config_add(struct lr_file_config *c, const char *path, const char *identifier,
                       char *err, size_t errlen)
{
  const char *why;
  if (!path_ok(path, strlen(path), &why)) {
    snprintf(err, errlen, "file '%s': the path %s", path, why);
    return -1;
  }
  if (identifier && !*identifier) {
    snprintf(err, errlen, "file '%s': the identifier is empty", path);
    return -1;
  }
  c->specs = lr_xreallocarray(c->specs, c->n + 1, sizeof(*c->specs));
  c->specs[c->n++] = (struct lr_file_spec){lr_xstrdup(path),
                                           identifier ? lr_xstrdup(identifier) : NULL, false};
  return 0;
}

static int parse_one(struct lr_file_config *c, const json_t *o, size_t i, char *err,
                     size_t errlen)
{
  if (!json_is_object(o)) {
    snprintf(err, errlen, "setting 'files' item %zu must be an object {path=..., identifier=...}",
             i);
    return -1;
  }
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)o, k, v) {
    if (strcmp(k, "path") && strcmp(k, "identifier") && strcmp(k, "format")) {
      snprintf(err, errlen, "setting 'files' item %zu: unknown key '%s' (takes: path, "
               "identifier, format)", i, k);
      return -1;
    }
    if (!json_is_string(v)) {
      snprintf(err, errlen, "setting 'files' item %zu: '%s' must be a string", i, k);
      return -1;
    }
  }
  const json_t *path = json_object_get(o, "path"), *ident = json_object_get(o, "identifier"),
               *format = json_object_get(o, "format");
  if (!path) {
    snprintf(err, errlen, "setting 'files' item %zu has no path", i);
    return -1;
  }
  const char *why, *p = json_string_value(path);
  if (!path_ok(p, json_string_length(path), &why)) {
    snprintf(err, errlen, "setting 'files' item %zu: the path '%s' %s", i, p, why);
    return -1;
  }
  const char *f = format ? json_string_value(format) : "auto";
  if (strcmp(f, "auto") && strcmp(f, "plain")) {
    snprintf(err, errlen, "setting 'files' item %zu: format '%s' is neither \"auto\" nor "
             "\"plain\"", i, f);
    return -1;
  }
  const char *id = ident ? json_string_value(ident) : NULL;
  if (id && (!*id || strlen(id) != json_string_length(ident))) {
    snprintf(err, errlen, "setting 'files' item %zu: the identifier must be a non-empty string "
             "without NUL bytes", i);
    return -1;
  }
  if (lr_file_config_add(c, p, id, err, errlen) < 0)
    return -1;
  c->specs[c->n - 1].plain = strcmp(f, "plain") == 0;
  return 0;
}

int lr_file_config_parse(struct lr_file_config *c, const json_t *settings, char *err,
                         size_t errlen)
{
  struct lr_file_config parsed = {0};
  const json_t *files = json_object_get(settings, "files");
  if (files && !json_is_array(files)) {
    snprintf(err, errlen, "setting 'files' must be a list of {path=..., identifier=...}");
    return -1;
  }
  size_t i;
  const json_t *o;
  json_array_foreach(files, i, o) {
    if (parse_one(&parsed, o, i + 1, err, errlen) < 0) {
      lr_file_config_free(&parsed);
      return -1;
    }
  }
  lr_file_config_free(c);
  *c = parsed;
  return 0;
}
