/* The "files" setting: the text log files to follow beside the journal
 * (input/source_files.h). In Lua, L.file { "/var/log/nginx/error.log",
 * identifier = "nginx" } adds one; in JSON (pyruse.json),
 *
 *   "files": [{"path": "/var/log/nginx/error.log", "identifier": "nginx",
 *              "format": "auto"}]
 *
 * path: absolute, a glob allowed in its last part only; identifier: optional;
 * format: "auto" (a syslog header or a known timestamp is recognised, the
 * default) or "plain" (the whole line is MESSAGE, timed when read).
 *
 *   struct lr_file_config c = {0};
 *   if (lr_file_config_parse(&c, settings, err, sizeof(err)) < 0) ...
 *   lr_source_files_set(src, c.specs, c.n, false);
 *   lr_file_config_free(&c);
 */
#pragma once
#include <jansson.h>
#include <stddef.h>

#include "input/source_files.h"

struct lr_file_config {
  struct lr_file_spec *specs; /* strings owned */
  size_t n;
};

/* Replaces c with the settings' "files" (none when absent). -1 with err. */
int lr_file_config_parse(struct lr_file_config *c, const json_t *settings, char *err,
                         size_t errlen);
/* One more, for `luruse run --file PATH` (checked as the setting is). */
int lr_file_config_add(struct lr_file_config *c, const char *path, const char *identifier,
                       char *err, size_t errlen);
void lr_file_config_free(struct lr_file_config *c);
