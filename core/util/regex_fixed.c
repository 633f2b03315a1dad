#include "util/regex_fixed.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define MAX_DEPTH 64 /* deeper nesting: not followed */

/* Index of the ']' closing the class opened at p[i], or 0 when not followed. */
static size_t class_end(const char *p, size_t i)
{
  size_t j = i + 1;
  if (p[j] == '^')
    j++;
  if (p[j] == ']') /* first: a literal ']' */
    j++;
  for (; p[j]; j++) {
    if (p[j] == '\\') {
      if (!p[j + 1] || p[j + 1] == 'Q')
        return 0;
      j++;
    } else if (p[j] == '[' && (p[j + 1] == ':' || p[j + 1] == '.' || p[j + 1] == '=')) {
      char t = p[j + 1]; /* [:alpha:] and such */
      size_t k = j + 2;
      while (p[k] && !(p[k] == t && p[k + 1] == ']'))
        k++;
      if (!p[k])
        return 0;
      j = k + 1;
    } else if (p[j] == ']') {
      return j;
    }
  }
  return 0;
}

static bool name_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* After "(?" at p[i]: where the group's body starts, with *capture set for a
 * named group; 0 for a construct not followed. */
static size_t group_body(const char *p, size_t i, bool *capture)
{
  *capture = false;
  switch (p[i]) {
  case ':': case '=': case '!': case '>': return i + 1;
  case '<':
    if (p[i + 1] == '=' || p[i + 1] == '!')
      return i + 2;
    break;
  case 'P':
    if (p[i + 1] != '<')
      return 0;
    i++;
    break;
  case '\'': break;
  default: return 0;
  }
  char close = p[i] == '\'' ? '\'' : '>';
  size_t k = i + 1;
  while (name_char(p[k]))
    k++;
  if (k == i + 1 || p[k] != close)
    return 0;
  *capture = true;
  return k + 1;
}

/* The body p[b, e) as the text it matches, or NULL when it is not plain. */
static char *plain_text(const char *p, size_t b, size_t e, size_t *len)
{
  char *out = lr_xmalloc(e - b + 1);
  size_t n = 0;
  for (size_t k = b; k < e; k++) {
    unsigned char c = (unsigned char)p[k];
    if (c == '\\') {
      unsigned char d = (unsigned char)p[k + 1];
      /* escaped punctuation is itself; \d, \x41, \1, \ and others are not followed */
      if (k + 1 >= e || d >= 0x7f || d <= ' ' || name_char((char)d)) {
        free(out);
        return NULL;
      }
      out[n++] = (char)d;
      k++;
    } else if (strchr("^$.|?*+()[]{}", c)) {
      free(out);
      return NULL;
    } else {
      out[n++] = (char)c;
    }
  }
  out[n] = '\0';
  *len = n;
  return out;
}

int lr_regex_fixed_group(const char *p, unsigned group, char **text, size_t *len)
{
  struct open {
    unsigned group; /* 0: not capturing */
    size_t body;
    bool top;
  } stack[MAX_DEPTH];
  size_t depth = 0, body_start = 0, body_end = 0;
  unsigned groups = 0;
  bool top_alt = false, fixed = false;
  *text = NULL;
  *len = 0;
  for (size_t i = 0; p[i]; i++) {
    switch (p[i]) {
    case '\\':
      if (!p[i + 1] || p[i + 1] == 'Q')
        return -1;
      i += p[i + 1] == 'c' && p[i + 2] ? 2 : 1; /* \cX: X is taken as it is */
      break;
    case '[':
      if (!(i = class_end(p, i)))
        return -1;
      break;
    case '|':
      top_alt |= depth == 0;
      break;
    case '(': {
      bool capture = true;
      size_t body = i + 1;
      if (p[i + 1] == '*')
        return -1;
      if (p[i + 1] == '?' && !(body = group_body(p, i + 2, &capture)))
        return -1;
      if (depth == MAX_DEPTH)
        return -1;
      stack[depth] = (struct open){capture ? ++groups : 0, body, depth == 0};
      depth++;
      i = body - 1;
      break;
    }
    case ')': {
      if (depth == 0)
        return -1;
      struct open o = stack[--depth];
      bool quantified = p[i + 1] && strchr("?*+{", p[i + 1]);
      if (o.group && o.group == group && o.top && !quantified) {
        fixed = true;
        body_start = o.body;
        body_end = i;
      }
      break;
    }
    default: break;
    }
  }
  if (depth != 0)
    return -1;
  if (fixed && !top_alt)
    *text = plain_text(p, body_start, body_end, len);
  return (int)groups;
}
