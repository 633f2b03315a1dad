/* `journalctl -o json` reader: one JSON object per line. Values are strings,
 * numbers, null, or arrays of byte numbers (journalctl's form for binary fields,
 * also arrays of those for repeated fields: the first is taken). Numbers come
 * out as their decimal text, booleans as true/false; a null leaves the field out.
 *
 *   struct lr_json_lines *p = lr_json_lines_open(f, "x.json");
 *   while ((rc = lr_json_lines_next(p)) > 0) ... same accessors as export_parser.h ...
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct lr_json_lines;

struct lr_json_lines *lr_json_lines_open(FILE *f, const char *name);
void lr_json_lines_close(struct lr_json_lines *p);
/* 1 entry ready, 0 end, -1 malformed line (error says which line; the caller may go on). */
int lr_json_lines_next(struct lr_json_lines *p);
size_t lr_json_lines_count(const struct lr_json_lines *p);
void lr_json_lines_field(const struct lr_json_lines *p, size_t i, const char **name,
                         size_t *nlen, const char **val, size_t *vlen);
/* As export_parser.h: fields skipped for their names, and the last one told. */
uint64_t lr_json_lines_skipped(const struct lr_json_lines *p);
const char *lr_json_lines_skip_note(const struct lr_json_lines *p);
/* "name:line: what" after -1; "" otherwise. */
const char *lr_json_lines_error(const struct lr_json_lines *p);
