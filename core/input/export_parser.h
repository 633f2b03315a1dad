/* Journal Export Format reader (systemd's "Journal Export Format" document):
 * entries separated by an empty line; text fields as NAME=value\n; binary-safe
 * fields as NAME\n + 64-bit little-endian length + bytes + \n.
 *
 * Streaming from a FILE*, one entry at a time, into buffers reused across
 * entries. Malformed input gives an error with the byte offset, never a crash;
 * a huge field is bounded by max_field. Regular files and memory streams are
 * read in large chunks; pipes, sockets and ttys line by line, so that an entry
 * is returned as soon as its blank line arrives. After -1 the parser stays
 * failed (the position in the stream is lost).
 *
 *   struct lr_export_parser *p = lr_export_open(stdin, "<stdin>");
 *   while ((rc = lr_export_next(p)) > 0)
 *     for (size_t i = 0; i < lr_export_count(p); i++) lr_export_field(p, i, &n, &nl, &v, &vl);
 *   if (rc < 0) fprintf(stderr, "%s\n", lr_export_error(p));
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct lr_export_parser;

struct lr_export_parser *lr_export_open(FILE *f, const char *name);
void lr_export_close(struct lr_export_parser *p); /* does not fclose */
void lr_export_set_max_field(struct lr_export_parser *p, size_t max);
/* 1: an entry is ready; 0: end of stream; -1: malformed (lr_export_error). */
int lr_export_next(struct lr_export_parser *p);
size_t lr_export_count(const struct lr_export_parser *p);
/* Pointers valid until the next lr_export_next; values are NUL-terminated. */
void lr_export_field(const struct lr_export_parser *p, size_t i, const char **name,
                     size_t *nlen, const char **val, size_t *vlen);
/* Fields skipped because journald would refuse their names (lowercase, spaces,
 * empty, longer than 64...), since the stream was opened; the last one told in
 * "name: byte N: ..." ("" before any). */
uint64_t lr_export_skipped(const struct lr_export_parser *p);
const char *lr_export_skip_note(const struct lr_export_parser *p);
/* "name: byte N: what"; "" when nothing failed. */
const char *lr_export_error(const struct lr_export_parser *p);
