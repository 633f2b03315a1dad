/* Python str.format templates, compiled once and rendered per entry.
 *
 * Compilation splits the text into literal slices and fields, interns the
 * field names and parses each format spec into a struct, so that rendering is
 * a walk over parts that only appends to the caller's buffer. Whatever Python
 * rejects for every value type is rejected here at compile time; what depends
 * on the value's type (a 'd' on a string) is an error at render time, as
 * Python's ValueError was. */
#include "rules/template.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "input/entry.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

struct tpl_spec {
  char fill[4];       /* one UTF-8 character */
  uint8_t fill_len;   /* 0: not given */
  char align;         /* '<' '>' '^' '=', or 0 for the value's default */
  char sign;          /* '+' '-' ' ', or 0 */
  bool alt, zero, has_prec;
  char group;         /* ',' '_', or 0 */
  char type;          /* presentation letter, or 0 */
  uint16_t width, prec;
};

/* Why a spec does not fit a value type; checked at compile time for explicit
 * types, and again per value when the type is left to the value. */
enum tpl_err {
  TE_OK = 0,
  TE_CODE,      /* presentation type of the other family */
  TE_SIGN_STR,
  TE_ALT_STR,
  TE_EQ_STR,
  TE_GROUP_STR,
  TE_PREC_INT,
  TE_SIGN_C,
  TE_ALT_C,
  TE_STRFTIME,  /* a strftime spec on something that is not a time */
};

struct tpl_part {
  bool is_field;
  bool as_str;      /* !s: the value is formatted as its str() */
  bool strftime;    /* the spec is a strftime format, for time values only */
  uint8_t str_err;  /* enum tpl_err for string and time values */
  uint8_t int_err;  /* enum tpl_err for integers */
  lr_field_id id;
  size_t off, len;  /* literal bytes, or the whole "{...}" for messages */
  size_t spec_off, spec_len;
  struct tpl_spec spec;
};

struct lr_template {
  char *src;        /* copy of the text: parts point into it */
  struct tpl_part *parts;
  size_t nparts, capparts;
  lr_field_id *ids;
  size_t nids;
};

/* A template must not be able to ask for megabytes of padding per entry. */
#define TPL_MAX_WIDTH 10000

static bool is_cont(unsigned char c) { return (c & 0xc0) == 0x80; }

/* Characters as Python counts them: every byte that does not continue a
 * UTF-8 sequence (invalid bytes count as one each). */
static size_t utf8_count(const char *s, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += !is_cont((unsigned char)s[i]);
  return n;
}

/* Byte length of the first `chars` characters of s. */
static size_t utf8_prefix(const char *s, size_t len, size_t chars)
{
  size_t i = 0, n = 0;
  for (; i < len; i++) {
    if (!is_cont((unsigned char)s[i]) && n++ == chars)
      break;
  }
  return i;
}

static size_t utf8_seqlen(unsigned char c)
{
  return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 1;
}

static bool is_align(char c) { return c == '<' || c == '>' || c == '^' || c == '='; }
static bool is_int_type(char c) { return c && strchr("dxXobcn", c) != NULL; }
static bool is_float_type(char c) { return c && strchr("eEfFgG%", c) != NULL; }

/* 1-based character position of byte offset i, for compile errors. */
static size_t char_pos(const char *s, size_t i) { return utf8_count(s, i) + 1; }

/* Bounded decimal number; false when it exceeds TPL_MAX_WIDTH. */
static bool parse_num(const char *s, size_t n, size_t *i, uint16_t *out)
{
  unsigned long v = 0;
  bool over = false;
  for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
    v = v * 10 + (unsigned long)(s[*i] - '0');
    if (v > TPL_MAX_WIDTH) {
      v = TPL_MAX_WIDTH + 1; /* keep scanning, without overflowing */
      over = true;
    }
  }
  *out = (uint16_t)(over ? 0 : v);
  return !over;
}

/* Python's format-spec mini-language, minus nested fields and the float
 * types; the checks that do not depend on the value are made here. */
static bool spec_parse(const char *s, size_t n, struct tpl_spec *sp, char *why, size_t whylen)
{
  size_t i = 0;
  memset(sp, 0, sizeof(*sp));
  if (n) {
    size_t fl = utf8_seqlen((unsigned char)s[0]);
    if (fl < n && is_align(s[fl])) {
      memcpy(sp->fill, s, fl);
      sp->fill_len = (uint8_t)fl;
      sp->align = s[fl];
      i = fl + 1;
    } else if (is_align(s[0])) {
      sp->align = s[0];
      i = 1;
    }
  }
  if (i < n && (s[i] == '+' || s[i] == '-' || s[i] == ' '))
    sp->sign = s[i++];
  if (i < n && s[i] == '#') {
    sp->alt = true;
    i++;
  }
  if (i < n && s[i] == '0' && !sp->fill_len) { /* else the 0 starts the width */
    sp->zero = true;
    i++;
  }
  if (!parse_num(s, n, &i, &sp->width)) {
    snprintf(why, whylen, "width exceeds the limit of %d", TPL_MAX_WIDTH);
    return false;
  }
  if (i < n && (s[i] == ',' || s[i] == '_')) {
    sp->group = s[i++];
    if (i < n && (s[i] == ',' || s[i] == '_')) {
      if (s[i] == sp->group)
        snprintf(why, whylen, "Cannot specify '%c' with '%c'.", s[i], s[i]);
      else
        snprintf(why, whylen, "Cannot specify both ',' and '_'.");
      return false;
    }
  }
  if (i < n && s[i] == '.') {
    i++;
    size_t start = i;
    if (!parse_num(s, n, &i, &sp->prec)) {
      snprintf(why, whylen, "precision exceeds the limit of %d", TPL_MAX_WIDTH);
      return false;
    }
    if (i == start) {
      snprintf(why, whylen, "Format specifier missing precision");
      return false;
    }
    sp->has_prec = true;
  }
  if (n - i > 1) {
    snprintf(why, whylen, "Invalid format specifier '%.*s'", (int)n, s);
    return false;
  }
  if (i < n) {
    char t = s[i];
    if (is_float_type(t)) {
      snprintf(why, whylen, "float presentation type '%c' is not supported", t);
      return false;
    }
    if (t != 's' && !is_int_type(t)) {
      snprintf(why, whylen, "Unknown format code '%c'", t);
      return false;
    }
    sp->type = t;
  }
  if (sp->group && sp->type) {
    bool ok = sp->type == 'd' ||
              (sp->group == '_' && strchr("xXob", sp->type) != NULL);
    if (!ok) {
      snprintf(why, whylen, "Cannot specify '%c' with '%c'.", sp->group, sp->type);
      return false;
    }
  }
  return true;
}

static enum tpl_err check_str(const struct tpl_spec *sp)
{
  if (sp->type && sp->type != 's')
    return TE_CODE;
  if (sp->sign)
    return TE_SIGN_STR;
  if (sp->alt)
    return TE_ALT_STR;
  if (sp->align == '=')
    return TE_EQ_STR;
  if (sp->group)
    return TE_GROUP_STR;
  return TE_OK;
}

static enum tpl_err check_int(const struct tpl_spec *sp)
{
  if (sp->type == 's')
    return TE_CODE;
  if (sp->has_prec)
    return TE_PREC_INT;
  if (sp->type == 'c' && sp->sign)
    return TE_SIGN_C;
  if (sp->type == 'c' && sp->alt)
    return TE_ALT_C;
  return TE_OK;
}

/* Writes the message for a type mismatch, naming the field as written. */
static void err_msg(char *err, size_t errlen, enum tpl_err code, const struct tpl_spec *sp,
                    const char *what, const char *field, size_t flen)
{
  char m[128];
  switch (code) {
  case TE_CODE:
    snprintf(m, sizeof(m), "Unknown format code '%c' for %s value", sp->type ? sp->type : 's',
             what);
    break;
  case TE_SIGN_STR: snprintf(m, sizeof(m), "Sign not allowed in string format specifier"); break;
  case TE_ALT_STR:
    snprintf(m, sizeof(m), "Alternate form (#) not allowed in string format specifier");
    break;
  case TE_EQ_STR:
    snprintf(m, sizeof(m), "'=' alignment not allowed in string format specifier");
    break;
  case TE_GROUP_STR: snprintf(m, sizeof(m), "Cannot specify '%c' with 's'.", sp->group); break;
  case TE_PREC_INT:
    snprintf(m, sizeof(m), "Precision not allowed in integer format specifier");
    break;
  case TE_SIGN_C:
    snprintf(m, sizeof(m), "Sign not allowed with integer format specifier 'c'");
    break;
  case TE_ALT_C:
    snprintf(m, sizeof(m), "Alternate form (#) not allowed with integer format specifier 'c'");
    break;
  case TE_STRFTIME:
    snprintf(m, sizeof(m), "a strftime format applies only to time values, not to %s value",
             what);
    break;
  default: snprintf(m, sizeof(m), "format error"); break;
  }
  snprintf(err, errlen, "%s in %.*s", m, (int)flen, field);
}

/* Length of the strftime directive at s[0] == '%': glibc flags, width and
 * E/O modifier allowed; Python's own %f, %z, %Z only bare. 0 when invalid. */
static size_t strf_directive(const char *s, size_t n)
{
  size_t i = 1;
  size_t flags = 0, digits = 0;
  while (i < n && s[i] && strchr("_-0^#", s[i]) && flags < 2) { i++; flags++; }
  while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 2) { i++; digits++; }
  if (i < n && (s[i] == 'E' || s[i] == 'O'))
    i++;
  if (i >= n || !s[i] || !strchr("aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%f", s[i]))
    return 0;
  if ((s[i] == 'f' || s[i] == 'z' || s[i] == 'Z' || s[i] == '%') && i != 1)
    return 0;
  return i + 1;
}

static bool strf_valid(const char *s, size_t n)
{
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '%')
      continue;
    size_t d = strf_directive(s + i, n - i);
    if (!d)
      return false;
    i += d - 1;
    any = true;
  }
  return any;
}

static struct tpl_part *add_part(struct lr_template *t)
{
  LR_GROW(t->parts, t->nparts + 1, t->capparts, 8);
  struct tpl_part *p = &t->parts[t->nparts++];
  memset(p, 0, sizeof(*p));
  return p;
}

static void add_literal(struct lr_template *t, size_t off, size_t len)
{
  if (!len)
    return;
  struct tpl_part *last = t->nparts ? &t->parts[t->nparts - 1] : NULL;
  if (last && !last->is_field && last->off + last->len == off) {
    last->len += len;
    return;
  }
  struct tpl_part *p = add_part(t);
  p->off = off;
  p->len = len;
}

static void add_id(struct lr_template *t, lr_field_id id)
{
  for (size_t i = 0; i < t->nids; i++)
    if (t->ids[i] == id)
      return;
  t->ids = lr_xreallocarray(t->ids, t->nids + 1, sizeof(*t->ids));
  t->ids[t->nids++] = id;
}

/* Parses the field whose '{' is at src[open]; sets *end past its '}'. */
static bool compile_field(struct lr_template *t, size_t open, size_t *end, char *err,
                          size_t errlen)
{
  const char *s = t->src;
  size_t i = open + 1, name_end, close;
  for (close = i; s[close] && s[close] != '}'; close++) {
    if (s[close] == '{') {
      snprintf(err, errlen, "'{' at position %zu inside a field: nested fields are not supported "
               "(write '{{' outside fields for a literal brace)", char_pos(s, close));
      return false;
    }
  }
  if (!s[close]) {
    snprintf(err, errlen, "unclosed '{' at position %zu (write '{{' for a literal brace)",
             char_pos(s, open));
    return false;
  }
  for (name_end = i; name_end < close && s[name_end] != ':' && s[name_end] != '!'; name_end++) {
    if (s[name_end] == '.' || s[name_end] == '[') {
      /* Python would look up an attribute or an index of the value, never a field */
      snprintf(err, errlen, "'%c' at position %zu in a field name: attribute and index lookups "
               "are not supported", s[name_end], char_pos(s, name_end));
      return false;
    }
  }
  size_t nlen = name_end - i;
  if (nlen == 0) {
    snprintf(err, errlen, "empty field name at position %zu: positional fields are not "
             "supported, name the entry field", char_pos(s, open));
    return false;
  }
  if (strspn(s + i, "0123456789") >= nlen) {
    snprintf(err, errlen, "field '%.*s' at position %zu is positional: name the entry field",
             (int)nlen, s + i, char_pos(s, open));
    return false;
  }
  lr_field_id id = lr_fields_intern(s + i, nlen);
  if (id == (lr_field_id)-1) {
    snprintf(err, errlen, "invalid field name '%.*s' at position %zu", (int)nlen, s + i,
             char_pos(s, i));
    return false;
  }

  struct tpl_part *p = add_part(t);
  p->is_field = true;
  p->id = id;
  p->off = open;
  p->len = close + 1 - open;
  size_t j = name_end;
  if (j < close && s[j] == '!') {
    if (j + 1 == close) {
      snprintf(err, errlen, "missing conversion after '!' at position %zu", char_pos(s, j));
      return false;
    }
    char conv = s[j + 1];
    if (conv != 's') {
      snprintf(err, errlen, "conversion '!%c' at position %zu is not supported (only '!s')", conv,
               char_pos(s, j));
      return false;
    }
    p->as_str = true;
    j += 2;
    if (j < close && s[j] != ':') {
      snprintf(err, errlen, "expected ':' or '}' after the conversion at position %zu",
               char_pos(s, j));
      return false;
    }
  }
  if (j < close) /* s[j] == ':' */
    j++;
  p->spec_off = j;
  p->spec_len = close - j;

  char why[LR_ERR_MAX];
  const char *spec = s + p->spec_off;
  if (!spec_parse(spec, p->spec_len, &p->spec, why, sizeof(why))) {
    /* Python hands a datetime's spec to strftime: keep that for time values */
    if (!p->as_str && memchr(spec, '%', p->spec_len) && strf_valid(spec, p->spec_len)) {
      p->strftime = true;
      p->str_err = p->int_err = TE_STRFTIME;
      add_id(t, id);
      *end = close + 1;
      return true;
    }
    snprintf(err, errlen, "%s in %.*s", why, (int)p->len, s + p->off);
    return false;
  }
  enum tpl_err se = check_str(&p->spec);
  enum tpl_err ie = p->as_str ? TE_CODE : check_int(&p->spec);
  p->str_err = (uint8_t)se;
  p->int_err = (uint8_t)ie;
  /* An explicit type (or !s) says which family was meant: report that one. */
  bool int_meant = !p->as_str && is_int_type(p->spec.type);
  if (int_meant ? ie != TE_OK : (se != TE_OK && (ie != TE_OK || p->spec.type == 's'))) {
    err_msg(err, errlen, int_meant ? ie : se, &p->spec, int_meant ? "an integer" : "a string",
            s + p->off, p->len);
    return false;
  }
  add_id(t, id);
  *end = close + 1;
  return true;
}

struct lr_template *lr_template_compile(const char *text, char *err, size_t errlen)
{
  struct lr_template *t = lr_xcalloc(1, sizeof(*t));
  t->src = lr_xstrdup(text);
  const char *s = t->src;
  size_t lit = 0, i = 0;
  while (s[i]) {
    if (s[i] == '{' && s[i + 1] == '{') {
      add_literal(t, lit, i + 1 - lit); /* keeps one brace */
      lit = i = i + 2;
    } else if (s[i] == '}' && s[i + 1] == '}') {
      add_literal(t, lit, i + 1 - lit);
      lit = i = i + 2;
    } else if (s[i] == '}') {
      snprintf(err, errlen, "single '}' at position %zu (write '}}' for a literal brace)",
               char_pos(s, i));
      goto fail;
    } else if (s[i] == '{') {
      add_literal(t, lit, i - lit);
      if (!compile_field(t, i, &i, err, errlen))
        goto fail;
      lit = i;
    } else {
      i++;
    }
  }
  add_literal(t, lit, i - lit);
  return t;
fail:
  lr_template_free(t);
  return NULL;
}

void lr_template_free(struct lr_template *t)
{
  if (!t)
    return;
  free(t->src);
  free(t->parts);
  free(t->ids);
  free(t);
}

size_t lr_template_fields(const struct lr_template *t, const lr_field_id **ids)
{
  *ids = t->ids;
  return t->nids;
}

/* ---- rendering: appends only, no allocation besides the output buffer ---- */

static void add_fill(struct lr_buf *out, const struct tpl_spec *sp, size_t count)
{
  if (!count)
    return;
  if (sp->fill_len > 1) {
    for (size_t k = 0; k < count; k++)
      lr_buf_add(out, sp->fill, sp->fill_len);
  } else {
    lr_buf_fill(out, sp->fill_len ? sp->fill[0] : sp->zero ? '0' : ' ', count);
  }
}

/* Padding before and after a value of `chars` characters. */
static void pad_split(const struct tpl_spec *sp, char align, size_t chars, size_t *left,
                      size_t *right)
{
  size_t pad = sp->width > chars ? sp->width - chars : 0;
  *left = *right = 0;
  if (align == '<')
    *right = pad;
  else if (align == '^')
    *left = pad / 2, *right = pad - pad / 2;
  else
    *left = pad; /* '>' and '=' */
}

static void render_str(struct lr_buf *out, const struct tpl_spec *sp, const char *s, size_t len)
{
  if (sp->has_prec)
    len = utf8_prefix(s, len, sp->prec);
  size_t left, right;
  pad_split(sp, sp->align ? sp->align : '<', utf8_count(s, len), &left, &right);
  add_fill(out, sp, left);
  if (len)
    lr_buf_add(out, s, len);
  add_fill(out, sp, right);
}

/* Walks digit groups right to left, zero-extending to min_width as Python
 * does for '0' padding with a separator. Writes backwards from `end` when
 * given; returns the grouped length. */
static size_t group_digits(const char *dig, size_t n, size_t g, char sep, size_t min_width,
                           char *end)
{
  size_t len = 0, rem = n;
  do {
    if (len) {
      len++;
      if (end)
        *--end = sep;
    }
    size_t want = min_width > len ? min_width - len : 0;
    size_t l = rem > want ? rem : want;
    if (l < 1)
      l = 1;
    if (l > g)
      l = g;
    for (size_t k = 0; k < l; k++) {
      char c = rem ? dig[--rem] : '0';
      len++;
      if (end)
        *--end = c;
    }
  } while (rem || len < min_width);
  return len;
}

static int render_int(struct lr_buf *out, const struct tpl_spec *sp, int64_t v, const char *field,
                      size_t flen, char *err, size_t errlen)
{
  char type = sp->type ? sp->type : 'd';
  char body[72];     /* 64 binary digits at most */
  size_t blen = 0, chars;
  char lead[4];      /* sign and base prefix */
  size_t llen = 0;
  bool neg = v < 0;
  uint64_t mag = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

  if (type == 'c') {
    if (neg || mag > 0x10ffff) {
      snprintf(err, errlen, "%%c arg not in range(0x110000) in %.*s", (int)flen, field);
      return -1;
    }
    if (mag >= 0xd800 && mag <= 0xdfff) { /* would not survive UTF-8 encoding */
      snprintf(err, errlen, "%%c arg is a surrogate in %.*s", (int)flen, field);
      return -1;
    }
    uint32_t cp = (uint32_t)mag;
    if (cp < 0x80) {
      body[blen++] = (char)cp;
    } else if (cp < 0x800) {
      body[blen++] = (char)(0xc0 | (cp >> 6));
      body[blen++] = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      body[blen++] = (char)(0xe0 | (cp >> 12));
      body[blen++] = (char)(0x80 | ((cp >> 6) & 0x3f));
      body[blen++] = (char)(0x80 | (cp & 0x3f));
    } else {
      body[blen++] = (char)(0xf0 | (cp >> 18));
      body[blen++] = (char)(0x80 | ((cp >> 12) & 0x3f));
      body[blen++] = (char)(0x80 | ((cp >> 6) & 0x3f));
      body[blen++] = (char)(0x80 | (cp & 0x3f));
    }
    chars = 1;
  } else {
    unsigned base = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : type == 'b' ? 2 : 10;
    const char *digits = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[72];
    size_t n = 0;
    do {
      rev[n++] = digits[mag % base];
      mag /= base;
    } while (mag);
    while (n)
      body[blen++] = rev[--n];
    chars = blen;
    if (neg)
      lead[llen++] = '-';
    else if (sp->sign == '+' || sp->sign == ' ')
      lead[llen++] = sp->sign;
    if (sp->alt && base != 10) {
      lead[llen++] = '0';
      lead[llen++] = type == 'b' ? 'b' : type == 'o' ? 'o' : type;
    }
  }

  char align = sp->align ? sp->align : sp->zero ? '=' : '>';
  size_t glen = 0, gsize = 0, min_width = 0;
  if (sp->group) {
    gsize = sp->group == '_' && (type == 'x' || type == 'X' || type == 'o' || type == 'b') ? 4 : 3;
    bool zero_fill = align == '=' && (sp->fill_len ? sp->fill_len == 1 && sp->fill[0] == '0'
                                                   : sp->zero);
    min_width = zero_fill && sp->width > llen ? sp->width - llen : 0;
    glen = group_digits(body, blen, gsize, sp->group, min_width, NULL);
    chars = glen;
  }
  size_t left, right;
  pad_split(sp, align, llen + chars, &left, &right);
  if (align != '=')
    add_fill(out, sp, left);
  lr_buf_add(out, lead, llen);
  if (align == '=')
    add_fill(out, sp, left);
  if (sp->group) {
    lr_buf_fill(out, '0', glen); /* room, then written in place */
    group_digits(body, blen, gsize, sp->group, min_width, out->data + out->len);
  } else {
    lr_buf_add(out, body, blen);
  }
  add_fill(out, sp, right);
  return 0;
}

/* Splits microseconds since the epoch into local broken-down time. */
static bool local_time(int64_t usec, struct tm *tm, long *us)
{
  int64_t sec = usec / 1000000, frac = usec % 1000000;
  if (frac < 0) {
    frac += 1000000;
    sec--;
  }
  time_t tt = (time_t)sec;
  *us = (long)frac;
  return localtime_r(&tt, tm) != NULL;
}

/* Python's str(datetime) for a naive local datetime. */
static size_t format_time(char *buf, size_t size, const struct tm *tm, long us)
{
  int n = snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", tm->tm_year + 1900,
                   tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
  if (us && n > 0 && (size_t)n < size)
    n += snprintf(buf + n, size - (size_t)n, ".%06ld", us);
  return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* datetime.strftime: Python's %f, and empty %z/%Z for a naive datetime. */
static void render_strftime(struct lr_buf *out, const char *spec, size_t n, const struct tm *tm,
                            long us)
{
  size_t lit = 0;
  for (size_t i = 0; i < n; i++) {
    if (spec[i] != '%')
      continue;
    if (i > lit)
      lr_buf_add(out, spec + lit, i - lit);
    size_t d = strf_directive(spec + i, n - i);
    lr_assert(d != 0); /* validated at compile time */
    char conv = spec[i + d - 1];
    if (conv == 'f') {
      lr_buf_printf(out, "%06ld", us);
    } else if (conv == '%') {
      lr_buf_addc(out, '%');
    } else if (conv != 'z' && conv != 'Z') {
      char fmt[16], res[256];
      memcpy(fmt, spec + i, d);
      fmt[d] = '\0';
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* one directive checked at compile time */
      size_t r = strftime(res, sizeof(res), fmt, tm);
#pragma GCC diagnostic pop
      lr_buf_add(out, res, r);
    }
    i += d - 1;
    lit = i + 1;
  }
  if (n > lit)
    lr_buf_add(out, spec + lit, n - lit);
}

static int render_field(const struct lr_template *t, const struct tpl_part *p, struct lr_entry *e,
                        struct lr_buf *out, char *err, size_t errlen)
{
  const struct tpl_spec *sp = &p->spec;
  const char *field = t->src + p->off;
  const struct lr_value *v = lr_entry_get(e, p->id);
  if (!v) { /* luruse renders a missing field empty, whatever the type code */
    if (!p->strftime)
      render_str(out, sp, "", 0);
    return 0;
  }
  char tbuf[64];
  switch (v->type) {
  case LR_VAL_STR:
    if (p->str_err) {
      err_msg(err, errlen, p->str_err, sp, "a string", field, p->len);
      return -1;
    }
    render_str(out, sp, v->str, v->len);
    return 0;
  case LR_VAL_INT:
    if (p->as_str) {
      int n = snprintf(tbuf, sizeof(tbuf), "%" PRId64, v->num);
      render_str(out, sp, tbuf, (size_t)n);
      return 0;
    }
    if (p->int_err) {
      err_msg(err, errlen, p->int_err, sp, "an integer", field, p->len);
      return -1;
    }
    return render_int(out, sp, v->num, field, p->len, err, errlen);
  case LR_VAL_TIME: {
    struct tm tm;
    long us;
    if (!local_time(v->num, &tm, &us)) {
      snprintf(err, errlen, "time value out of range in %.*s", (int)p->len, field);
      return -1;
    }
    if (p->strftime) {
      render_strftime(out, t->src + p->spec_off, p->spec_len, &tm, us);
      return 0;
    }
    if (p->str_err) {
      err_msg(err, errlen, p->str_err, sp, "a time", field, p->len);
      return -1;
    }
    render_str(out, sp, tbuf, format_time(tbuf, sizeof(tbuf), &tm, us));
    return 0;
  }
  default:
    render_str(out, sp, "", 0);
    return 0;
  }
}

int lr_template_render(const struct lr_template *t, struct lr_entry *e, struct lr_buf *out,
                       char *err, size_t errlen)
{
  size_t start = out->len;
  for (size_t i = 0; i < t->nparts; i++) {
    const struct tpl_part *p = &t->parts[i];
    if (!p->is_field) {
      lr_buf_add(out, t->src + p->off, p->len);
    } else if (render_field(t, p, e, out, err, errlen) < 0) {
      out->len = start; /* no half-rendered text for the caller */
      if (out->data)
        out->data[start] = '\0';
      return -1;
    }
  }
  return 0;
}
