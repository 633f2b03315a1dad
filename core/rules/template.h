/* Python str.format templates as Pyruse users write them: `{field}`,
 * `{field:spec}` (fill, align <>^=, sign, #, 0, width, grouping , _,
 * .precision, type s d x X o b c n), `{{` and `}}`.
 *
 * A template is compiled once at rule load (field names interned); rendering
 * appends to a reused buffer. A missing field renders as the empty string
 * (Pyruse rendered "None"; documented in README), padded as a string.
 *
 * A time value renders as Python's str(datetime) in local time; a standard
 * spec pads that string, a spec with strftime directives (`{t:%H:%M}`) is
 * passed to strftime as datetime.__format__ does. Rejected at compile time,
 * with a 1-based character position or the field as written: unbalanced
 * braces, `{}` and `{0}`, `.`/`[` lookups, nested fields, `!r`/`!a`, float
 * types (e f g %), widths and precisions above 10000, and any spec that fits
 * no value type.
 *
 *   struct lr_template *t = lr_template_compile("Ban {ip:>15}", err, sizeof(err));
 *   if (lr_template_render(t, entry, &buf, err, sizeof(err)) < 0) ... type error ...
 */
#pragma once
#include <stddef.h>

#include "input/fields.h"

struct lr_buf;
struct lr_entry;
struct lr_template;

struct lr_template *lr_template_compile(const char *text, char *err, size_t errlen);
void lr_template_free(struct lr_template *t);
/* Appends to out. -1 with err set when a spec does not fit the value's type
 * (as Python raises ValueError): the calling action then counts as failed. */
int lr_template_render(const struct lr_template *t, struct lr_entry *e, struct lr_buf *out,
                       char *err, size_t errlen);
/* Fields the template reads, for structured log fields: count and ids. */
size_t lr_template_fields(const struct lr_template *t, const lr_field_id **ids);
