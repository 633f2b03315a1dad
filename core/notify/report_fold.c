#include "notify/report_fold.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

#include "util/buf.h"

#define ADD_LIT(b, lit) lr_buf_add((b), (lit), sizeof(lit) - 1)
#define PATH_KEPT 2 /* components of a path kept before "<path>" */

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_ascii_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_alpha(unsigned char c) { return is_ascii_alpha(c) || c >= 0x80; }
static bool is_word(unsigned char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
static bool is_hex(unsigned char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* s[i] ends a token: the end, or no word byte. */
static bool ends_token(const char *s, size_t len, size_t i)
{
  return i >= len || !is_word((unsigned char)s[i]);
}

/* "d.d.d.d", each at most 255 and 3 digits. */
static size_t match_ipv4(const char *s, size_t len)
{
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part) {
      if (i >= len || s[i] != '.')
        return 0;
      i++;
    }
    size_t start = i;
    unsigned v = 0;
    while (i < len && is_digit((unsigned char)s[i]) && i - start < 3)
      v = v * 10 + (unsigned)(s[i++] - '0');
    if (i == start || v > 255 || (i < len && is_digit((unsigned char)s[i])))
      return 0;
  }
  /* "1.2.3.4.5" is no address; "1.2.3.4." ending a sentence is */
  if (!ends_token(s, len, i) || (i + 1 < len && s[i] == '.' && is_digit((unsigned char)s[i + 1])))
    return 0;
  return i;
}

static size_t match_ipv6(const char *s, size_t len)
{
  size_t n = 0, colons = 0, hex = 0;
  while (n < len && n < INET6_ADDRSTRLEN && (is_hex((unsigned char)s[n]) || s[n] == ':' ||
                                             s[n] == '.')) {
    colons += s[n] == ':';
    hex += is_hex((unsigned char)s[n]);
    n++;
  }
  while (n > 2 && (s[n - 1] == '.' || (s[n - 1] == ':' && s[n - 2] != ':')))
    n--; /* punctuation after the address */
  if (colons < 2 || hex == 0 || n >= INET6_ADDRSTRLEN || !ends_token(s, len, n))
    return 0;
  char text[INET6_ADDRSTRLEN];
  unsigned char bin[16];
  memcpy(text, s, n);
  text[n] = '\0';
  return inet_pton(AF_INET6, text, bin) == 1 ? n : 0;
}

/* Hex digits (dashes between groups), at least 8, with a decimal digit and a
 * letter; or letters, digits and inner dashes, at least 8, with 4 digits. */
static size_t match_id(const char *s, size_t len)
{
  size_t n = 0, hexdigits = 0, digits = 0, letters = 0;
  bool all_hex = true;
  while (n < len) {
    unsigned char c = (unsigned char)s[n];
    if (c == '-') {
      if (n == 0 || n + 1 >= len || !(is_digit((unsigned char)s[n + 1]) ||
                                       is_ascii_alpha((unsigned char)s[n + 1])))
        break;
    } else if (is_digit(c)) {
      digits++;
      hexdigits++;
    } else if (is_ascii_alpha(c)) {
      letters++;
      if (is_hex(c))
        hexdigits++;
      else
        all_hex = false;
    } else {
      break;
    }
    n++;
  }
  if (!ends_token(s, len, n) || !letters || !digits)
    return 0;
  if (all_hex && hexdigits >= 8)
    return n;
  return n >= 8 && digits >= 4 ? n : 0;
}

/* Digits with '.' or ',' between groups, or 0x and hex digits. */
static size_t match_number(const char *s, size_t len)
{
  size_t n = 0;
  if (len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x' && is_hex((unsigned char)s[2])) {
    n = 2;
    while (n < len && is_hex((unsigned char)s[n]))
      n++;
    return n;
  }
  while (n < len && is_digit((unsigned char)s[n])) {
    while (n < len && is_digit((unsigned char)s[n]))
      n++;
    if (n + 1 < len && (s[n] == '.' || s[n] == ',') && is_digit((unsigned char)s[n + 1]))
      n++;
    else
      break;
  }
  return n;
}

static bool ends_path(unsigned char c)
{
  return c <= ' ' || strchr("\"'`()[]{}<>,;:", c) != NULL;
}

static void fold(struct lr_buf *out, const char *s, size_t len, bool paths);

/* The length of an absolute path of more than PATH_KEPT components (0 for a
 * shorter one), and in *keep the length of its first PATH_KEPT. */
static size_t match_path(const char *s, size_t len, size_t *keep)
{
  size_t end = 0, parts = 0;
  while (end < len && !ends_path((unsigned char)s[end]))
    end++;
  for (size_t i = 0; i < end && parts <= PATH_KEPT;) {
    while (i < end && s[i] == '/')
      i++;
    size_t b = i;
    while (i < end && s[i] != '/')
      i++;
    if (i > b && ++parts == PATH_KEPT)
      *keep = i;
  }
  return parts > PATH_KEPT ? end : 0;
}

static void fold(struct lr_buf *out, const char *s, size_t len, bool paths)
{
  size_t i = 0, plain = 0; /* s[plain .. i) is copied as it is */
  size_t keep = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i], prev = i ? (unsigned char)s[i - 1] : ' ';
    bool start = !is_word(prev);
    size_t n = 0;
    const char *rep = NULL;
    if (start && (is_hex(c) || c == ':') &&
        ((n = match_ipv4(s + i, len - i)) || (n = match_ipv6(s + i, len - i))))
      rep = "<ip>";
    else if (start && paths && c == '/' && prev != '/' &&
             (n = match_path(s + i, len - i, &keep)))
      rep = "/<path>";
    else if (start && (is_ascii_alpha(c) || is_digit(c)) && (n = match_id(s + i, len - i)))
      rep = "<id>";
    else if (start && is_digit(c) && (n = match_number(s + i, len - i)))
      rep = "<n>";
    if (!rep) {
      i++;
      continue;
    }
    lr_buf_add(out, s + plain, i - plain);
    if (rep[0] == '/') /* the path's first components, themselves folded */
      fold(out, s + i, keep, false);
    lr_buf_add(out, rep, strlen(rep));
    i += n;
    plain = i;
  }
  lr_buf_add(out, s + plain, len - plain);
}

void lr_report_fold(struct lr_buf *out, const char *s, size_t len)
{
  fold(out, s, len, true);
}
