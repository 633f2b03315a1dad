/* UTF-8 validation and 8-bit decoding of MESSAGE (Pyruse's 8bit-message-encoding).
 *
 *   struct lr_charset *cs = lr_charset_open("iso-8859-1", err, sizeof(err));
 *   if (!lr_utf8_valid(s, n)) out = lr_charset_to_utf8(cs, s, n, &arena, &outlen);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct lr_arena;
struct lr_charset;

bool lr_utf8_valid(const char *s, size_t len);
struct lr_charset *lr_charset_open(const char *encoding, char *err, size_t errlen);
void lr_charset_close(struct lr_charset *cs);
const char *lr_charset_name(const struct lr_charset *cs);
/* Never fails: bytes the charset cannot decode become U+FFFD. */
char *lr_charset_to_utf8(struct lr_charset *cs, const char *s, size_t len,
                         struct lr_arena *arena, size_t *outlen);
