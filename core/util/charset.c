#include "util/charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"
#include "util/xalloc.h"

struct lr_charset {
  char *name;
  bool latin1; /* decoded without iconv: every byte is its code point */
  iconv_t cd;
};

bool lr_utf8_valid(const char *str, size_t len)
{
  const uint8_t *s = (const uint8_t *)str, *end = s + len;
  while (s < end) {
    if (*s < 0x80) {
      /* plain ASCII, eight bytes at a time: most log lines are all ASCII */
      while (end - s >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        if (w & 0x8080808080808080ull)
          break;
        s += 8;
      }
      if (s < end && *s < 0x80)
        s++;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((*s & 0xe0) == 0xc0) { n = 1; cp = *s & 0x1f; }
    else if ((*s & 0xf0) == 0xe0) { n = 2; cp = *s & 0x0f; }
    else if ((*s & 0xf8) == 0xf0) { n = 3; cp = *s & 0x07; }
    else return false;
    if ((size_t)(end - s) <= n)
      return false;
    for (size_t i = 1; i <= n; i++) {
      if ((s[i] & 0xc0) != 0x80)
        return false;
      cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* overlong forms, surrogates and out-of-range points are not UTF-8 */
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    s += n + 1;
  }
  return true;
}

struct lr_charset *lr_charset_open(const char *encoding, char *err, size_t errlen)
{
  struct lr_charset *cs = lr_xcalloc(1, sizeof(*cs));
  cs->name = lr_xstrdup(encoding);
  cs->latin1 = !strcasecmp(encoding, "iso-8859-1") || !strcasecmp(encoding, "latin-1") ||
               !strcasecmp(encoding, "latin1") || !strcasecmp(encoding, "iso8859-1");
  cs->cd = (iconv_t)-1;
  if (!cs->latin1) {
    cs->cd = iconv_open("UTF-8", encoding);
    if (cs->cd == (iconv_t)-1) {
      snprintf(err, errlen, "unknown 8-bit message encoding '%s'", encoding);
      lr_charset_close(cs);
      return NULL;
    }
  }
  return cs;
}

void lr_charset_close(struct lr_charset *cs)
{
  if (!cs) return;
  if (cs->cd != (iconv_t)-1) iconv_close(cs->cd);
  free(cs->name);
  free(cs);
}

const char *lr_charset_name(const struct lr_charset *cs) { return cs->name; }

char *lr_charset_to_utf8(struct lr_charset *cs, const char *s, size_t len,
                         struct lr_arena *arena, size_t *outlen)
{
  size_t cap = len * 4 + 4; /* every input byte can become at most U+FFFD (3 bytes) or 4 */
  char *out = lr_arena_alloc(arena, cap), *o = out;
  if (cs->latin1) {
    for (size_t i = 0; i < len; i++) {
      uint8_t c = (uint8_t)s[i];
      if (c < 0x80) *o++ = (char)c;
      else { *o++ = (char)(0xc0 | (c >> 6)); *o++ = (char)(0x80 | (c & 0x3f)); }
    }
  } else {
    iconv(cs->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)s;
    size_t inleft = len, outleft = cap - 1;
    while (inleft > 0) {
      if (iconv(cs->cd, &in, &inleft, &o, &outleft) != (size_t)-1)
        break;
      if (errno == E2BIG || outleft < 3)
        break;
      /* undecodable byte: replacement character, skip it */
      memcpy(o, "\xef\xbf\xbd", 3);
      o += 3; outleft -= 3;
      in++; inleft--;
    }
  }
  *o = '\0';
  *outlen = (size_t)(o - out);
  return out;
}
