/* Reads an unchanged Pyruse configuration (pyruse.json) into rules.h form.
 *
 *   struct lr_rules *r = lr_pyruse_json_load("/etc/pyruse/pyruse.json", err, sizeof(err));
 *
 * Syntax errors name file:line:column; a malformed step names its chain label
 * and index, as label[index]. */
#pragma once
#include <stddef.h>

struct lr_rules;

struct lr_rules *lr_pyruse_json_load(const char *path, char *err, size_t errlen);
