#define _GNU_SOURCE /* memmem, memrchr */
#include "notify/mail.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/charset.h"

/* RFC 5322 recommends 78 characters per header line; RFC 2047 allows 75 per
 * encoded-word; RFC 2045 allows 76 per quoted-printable line. */
#define MAIL_LINE_MAX 78
#define MAIL_EW_MAX 75
#define MAIL_QP_MAX 76
/* RFC 5321's path limit, less the angle brackets */
#define MAIL_ADDR_MAX 254
/* "=?UTF-8?Q?" and "?=" around an encoded-word's payload. */
#define MAIL_EW_OVERHEAD 12
/* Payload room for any one character: 4 bytes are 12 characters in Q. */
#define MAIL_EW_MIN_PAYLOAD 12

static const char mail_hex[] = "0123456789ABCDEF";
static const char mail_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* ---- UTF-8 ------------------------------------------------------------ */

/* Length of the well-formed character at s, or 0 when ill-formed; then *skip
 * is its maximal subpart, which becomes one U+FFFD (Unicode's recommended
 * practice, also Python's errors="replace": both sides count alike). */
static size_t mail_utf8_char(const uint8_t *s, size_t len, size_t *skip)
{
  uint8_t c = s[0], lo = 0x80, hi = 0xbf;
  size_t n;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;      /* overlong */
    else if (c == 0xed) hi = 0x9f; /* surrogates */
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;      /* overlong */
    else if (c == 0xf4) hi = 0x8f; /* above U+10FFFF */
  } else {
    *skip = 1;
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    uint8_t l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xbf;
    if (i >= len || s[i] < l || s[i] > h) {
      *skip = i;
      return 0;
    }
  }
  return n;
}

/* Bytes of the character at s, 1 for a stray byte: callers keep characters
 * whole where they can, and must still progress on bad input. */
static size_t mail_char_len(const uint8_t *s, size_t len)
{
  size_t skip;
  size_t n = mail_utf8_char(s, len, &skip);
  return n ? n : 1;
}

void lr_mail_utf8_sanitize(struct lr_buf *out, const char *s, size_t len)
{
  if (len == 0 || lr_utf8_valid(s, len)) {
    lr_buf_add(out, len ? s : "", len);
    return;
  }
  const uint8_t *p = (const uint8_t *)s;
  size_t run = 0, i = 0;
  while (i < len) {
    size_t skip;
    size_t n = mail_utf8_char(p + i, len - i, &skip);
    if (n) {
      i += n;
      continue;
    }
    lr_buf_add(out, s + run, i - run);
    lr_buf_add(out, "\xef\xbf\xbd", 3);
    i += skip;
    run = i;
  }
  lr_buf_add(out, s + run, len - run);
}

/* Sanitised header value in tmp: after U+FFFD replacement, every control
 * character (C0 with TAB, CR, LF; DEL; C1 such as NEL) becomes one space, so
 * that nothing can end the header line or start another. */
static void mail_header_clean(struct lr_buf *tmp, const char *s, size_t len)
{
  lr_buf_clear(tmp);
  lr_mail_utf8_sanitize(tmp, s, len);
  uint8_t *d = (uint8_t *)tmp->data;
  size_t w = 0;
  for (size_t r = 0; r < tmp->len; r++) {
    uint8_t c = d[r];
    if (c < 0x20 || c == 0x7f) {
      c = ' ';
    } else if (c == 0xc2 && r + 1 < tmp->len && d[r + 1] >= 0x80 && d[r + 1] <= 0x9f) {
      c = ' ';
      r++;
    }
    d[w++] = c;
  }
  tmp->len = w;
  d[w] = '\0';
}

static bool mail_ascii(const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if ((uint8_t)s[i] >= 0x80)
      return false;
  return true;
}

/* ---- header lines ------------------------------------------------------- */

struct mail_line {
  struct lr_buf *out;
  size_t col;  /* characters on the current output line */
  bool bare;   /* only "Name:" so far: a fold there would leave nothing on it */
};

static void mail_line_start(struct mail_line *l, struct lr_buf *out, const char *name)
{
  size_t n = strlen(name);
  lr_buf_add(out, name, n);
  lr_buf_addc(out, ':');
  *l = (struct mail_line){.out = out, .col = n + 1, .bare = true};
}

static void mail_line_add(struct mail_line *l, const char *s, size_t n)
{
  lr_buf_add(l->out, s, n);
  l->col += n;
}

/* Whitespace before a token of n characters: a space, or a fold when the token
 * would overflow the line (in structured fields and between encoded-words the
 * amount of whitespace carries no meaning). */
static void mail_line_space(struct mail_line *l, size_t n)
{
  if (!l->bare && l->col + 1 + n > MAIL_LINE_MAX) {
    lr_buf_add(l->out, "\n ", 2);
    l->col = 1;
  } else {
    lr_buf_addc(l->out, ' ');
    l->col++;
  }
  l->bare = false;
}

/* ---- RFC 2047 encoded-words --------------------------------------------- */

/* Characters left literal in Q: the set RFC 2047 allows even in a phrase
 * (display names), so one encoder serves every header. */
static bool mail_q_literal(uint8_t c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

static size_t mail_q_len(const uint8_t *s, size_t n)
{
  size_t len = 0;
  for (size_t i = 0; i < n; i++)
    len += mail_q_literal(s[i]) || s[i] == ' ' ? 1 : 3;
  return len;
}

static size_t mail_b64_len(size_t n) { return (n + 2) / 3 * 4; }

static void mail_b64_encode(struct lr_buf *out, const uint8_t *s, size_t n)
{
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)s[i] << 16;
    if (i + 1 < n) v |= (uint32_t)s[i + 1] << 8;
    if (i + 2 < n) v |= s[i + 2];
    char q[4] = {mail_b64[v >> 18], mail_b64[(v >> 12) & 63],
                 i + 1 < n ? mail_b64[(v >> 6) & 63] : '=', i + 2 < n ? mail_b64[v & 63] : '='};
    lr_buf_add(out, q, 4);
  }
}

static void mail_q_encode(struct lr_buf *out, const uint8_t *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (mail_q_literal(s[i])) {
      lr_buf_addc(out, (char)s[i]);
    } else if (s[i] == ' ') {
      lr_buf_addc(out, '_');
    } else {
      char t[3] = {'=', mail_hex[s[i] >> 4], mail_hex[s[i] & 15]};
      lr_buf_add(out, t, 3);
    }
  }
}

/* Payload characters for the next encoded-word: what is left on this line, or
 * a whole word on a fresh line when too little is left. */
static size_t mail_ew_room(const struct mail_line *l)
{
  size_t room = l->col + 1 < MAIL_LINE_MAX ? MAIL_LINE_MAX - l->col - 1 : 0;
  if (room < MAIL_EW_OVERHEAD + MAIL_EW_MIN_PAYLOAD && !l->bare)
    room = MAIL_LINE_MAX - 1;
  if (room > MAIL_EW_MAX)
    room = MAIL_EW_MAX;
  /* a very long field name: an overlong first line rather than no progress */
  if (room < MAIL_EW_OVERHEAD + MAIL_EW_MIN_PAYLOAD)
    room = MAIL_EW_OVERHEAD + MAIL_EW_MIN_PAYLOAD;
  return room - MAIL_EW_OVERHEAD;
}

/* The whole (sanitised, valid UTF-8) text as encoded-words separated by
 * folding whitespace, which decoders drop between adjacent words. Words end
 * on character boundaries: each decodes to valid UTF-8 on its own. */
static void mail_encoded_words(struct mail_line *l, const char *text, size_t len)
{
  const uint8_t *s = (const uint8_t *)text;
  /* Q reads better for mostly-Latin text: B only when clearly shorter (the
   * margin Python's email package uses) */
  bool b64 = mail_q_len(s, len) >= mail_b64_len(len) + 5;
  size_t i = 0;
  while (i < len) {
    size_t room = mail_ew_room(l), j = i, enc = 0;
    while (j < len) {
      size_t n = mail_char_len(s + j, len - j);
      size_t e = b64 ? mail_b64_len(j + n - i) : enc + mail_q_len(s + j, n);
      if (e > room && j > i)
        break;
      enc = e;
      j += n;
    }
    mail_line_space(l, MAIL_EW_OVERHEAD + enc);
    lr_buf_add(l->out, b64 ? "=?UTF-8?B?" : "=?UTF-8?Q?", 10);
    if (b64)
      mail_b64_encode(l->out, s + i, j - i);
    else
      mail_q_encode(l->out, s + i, j - i);
    lr_buf_add(l->out, "?=", 2);
    l->col += MAIL_EW_OVERHEAD + enc;
    i = j;
  }
}

/* ---- unstructured headers ----------------------------------------------- */

/* Folds plain text before runs of spaces, keeping every space (unfolding only
 * removes the line break). With write false only tells whether every line
 * fits in MAIL_LINE_MAX. The text starts and ends with a non-space. */
static bool mail_plain_fold(struct mail_line *l, const char *v, size_t len, bool write)
{
  size_t col = l->col, i = 0;
  bool fits = true;
  while (i < len) {
    size_t start = i;
    while (i < len && v[i] == ' ')
      i++;
    while (i < len && v[i] != ' ')
      i++;
    size_t n = i - start;
    const char *sep = "";
    if (start == 0) {
      sep = " ";
      col += 1 + n;
    } else if (col + n > MAIL_LINE_MAX) {
      sep = "\n";
      col = n;
    } else {
      col += n;
    }
    if (write) {
      lr_buf_add(l->out, sep, strlen(sep));
      lr_buf_add(l->out, v + start, n);
    }
    fits &= col <= MAIL_LINE_MAX;
  }
  if (write)
    l->col = col;
  return fits;
}

/* Plain text would be read back differently (or not fit): non-ASCII, "=?"
 * that a decoder could take for an encoded-word, spaces at either end (lost
 * by parsers), or a word too long for any line. */
static bool mail_needs_words(struct mail_line *l, const char *v, size_t len)
{
  return !mail_ascii(v, len) || memmem(v, len, "=?", 2) || v[0] == ' ' ||
         v[len - 1] == ' ' || !mail_plain_fold(l, v, len, false);
}

void lr_mail_header_len(struct lr_buf *out, const char *name, const char *value, size_t len)
{
  struct lr_buf v = {0};
  mail_header_clean(&v, value, len);
  struct mail_line l;
  mail_line_start(&l, out, name);
  if (v.len == 0)
    ; /* "Name:" alone: an empty unstructured value */
  else if (mail_needs_words(&l, v.data, v.len))
    mail_encoded_words(&l, v.data, v.len);
  else
    mail_plain_fold(&l, v.data, v.len, true);
  lr_buf_addc(out, '\n');
  lr_buf_free(&v);
}

void lr_mail_header(struct lr_buf *out, const char *name, const char *value)
{
  lr_mail_header_len(out, name, value ? value : "", value ? strlen(value) : 0);
}

/* ---- address headers ---------------------------------------------------- */

static void mail_trim(char **s, size_t *len)
{
  while (*len && **s == ' ') {
    (*s)++;
    (*len)--;
  }
  while (*len && (*s)[*len - 1] == ' ')
    (*len)--;
}

/* A quoted display name loses its quotes and escapes: encoded-words are not
 * allowed inside a quoted-string. Rewrites in place (never longer). */
static void mail_unquote(char *s, size_t *len)
{
  if (*len < 2 || s[0] != '"' || s[*len - 1] != '"')
    return;
  size_t w = 0;
  for (size_t r = 1; r + 1 < *len; r++) {
    if (s[r] == '\\' && r + 2 < *len)
      r++;
    s[w++] = s[r];
  }
  *len = w;
}

/* An address itself cannot be encoded (raw UTF-8 there needs SMTPUTF8, RFC
 * 6532, which luruse does not promise), and a header must stay 7-bit: each
 * non-ASCII character (valid UTF-8 here) becomes one "?". The settings check
 * refuses such addresses, so only a direct caller meets this. In place. */
static void mail_ascii_address(char *s, size_t *len)
{
  size_t w = 0;
  for (size_t r = 0; r < *len; r++) {
    uint8_t c = (uint8_t)s[r];
    if (c < 0x80)
      s[w++] = (char)c;
    else if (c >= 0xc0)
      s[w++] = '?'; /* a lead byte; continuation bytes are dropped */
  }
  *len = w;
}

/* Plain words of a mailbox, each run of spaces kept: the line folds before
 * a run when the word after it would overflow (FWS, which unfolding reads
 * back as it was). A word longer than MAIL_ADDR_MAX is cut there: only an
 * address can be that long (a longer display-name word is encoded), and one
 * over RFC 5321's limit cannot be delivered, but it must not make a header
 * line longer than RFC 5322's 998 bytes. */
static void mail_words(struct mail_line *l, const char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    size_t sp = i;
    while (i < len && s[i] == ' ')
      i++;
    size_t w = i;
    while (i < len && s[i] != ' ')
      i++;
    size_t nsp = w - sp, n = i - w < MAIL_ADDR_MAX ? i - w : MAIL_ADDR_MAX;
    if (sp == 0) {
      mail_line_space(l, n);
    } else if (l->col + nsp + n > MAIL_LINE_MAX) {
      lr_buf_addc(l->out, '\n');
      l->col = 0;
    }
    if (sp > 0)
      mail_line_add(l, s + sp, nsp);
    mail_line_add(l, s + w, n);
  }
}

static size_t mail_longest_word(const char *s, size_t len)
{
  size_t best = 0, run = 0;
  for (size_t i = 0; i < len; i++) {
    run = s[i] == ' ' ? 0 : run + 1;
    if (run > best)
      best = run;
  }
  return best;
}

/* One mailbox, already sanitised and trimmed (writable). */
static void mail_address(struct mail_line *l, char *s, size_t len)
{
  char *lt = len && s[len - 1] == '>' ? memrchr(s, '<', len) : NULL;
  if (!lt) {
    mail_ascii_address(s, &len);
    mail_words(l, s, len);
    return;
  }
  char *name = s;
  size_t nlen = (size_t)(lt - s), alen = len - nlen;
  mail_trim(&name, &nlen);
  /* a display name that plain text cannot carry (non-ASCII, or a word no
   * line can hold) becomes encoded-words, which fold anywhere */
  if (nlen && (!mail_ascii(name, nlen) || mail_longest_word(name, nlen) > MAIL_LINE_MAX - 2)) {
    mail_unquote(name, &nlen);
    if (nlen)
      mail_encoded_words(l, name, nlen);
  } else if (nlen) {
    mail_words(l, name, nlen);
  }
  mail_ascii_address(lt, &alen);
  if (alen > MAIL_ADDR_MAX + 2) { /* "<" and ">" around the address, cut as above */
    lt[MAIL_ADDR_MAX + 1] = '>';
    alen = MAIL_ADDR_MAX + 2;
  }
  mail_line_space(l, alen);
  mail_line_add(l, lt, alen);
}

void lr_mail_address_header(struct lr_buf *out, const char *name,
                            const char *const *addrs, size_t n)
{
  struct lr_buf v = {0};
  struct mail_line l;
  mail_line_start(&l, out, name);
  size_t written = 0;
  for (size_t i = 0; i < n; i++) {
    const char *a = addrs[i] ? addrs[i] : "";
    mail_header_clean(&v, a, strlen(a));
    char *s = v.data;
    size_t len = v.len;
    mail_trim(&s, &len);
    /* a blank mailbox is left out: folded before, it was a line of spaces */
    if (len == 0)
      continue;
    if (written++)
      mail_line_add(&l, ",", 1);
    mail_address(&l, s, len);
  }
  lr_buf_addc(out, '\n');
  lr_buf_free(&v);
}

/* ---- Date and Message-ID ------------------------------------------------ */

void lr_mail_date(struct lr_buf *out, int64_t usec)
{
  /* English names whatever the locale: strftime's %a and %b would translate */
  static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = (time_t)(usec / 1000000 - (usec % 1000000 < 0));
  struct tm tm;
  if (!localtime_r(&t, &tm)) {
    t = 0;
    gmtime_r(&t, &tm);
    tm.tm_gmtoff = 0;
  }
  long off = tm.tm_gmtoff / 60;
  char sign = off < 0 ? '-' : '+';
  if (off < 0)
    off = -off;
  lr_buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday],
                tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec, sign, off / 60, off % 60);
}

static atomic_ulong mail_counter;

/* Random bytes for Message-IDs and boundaries. Without the kernel's pool
 * (very early boot) a mix of clock, pid and counter: uniqueness then rests on
 * the other parts of the id, and a boundary only has to be absent from QP. */
static void mail_random(uint8_t *buf, size_t n)
{
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(buf + got, n - got, GRND_NONBLOCK);
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  if (got == n)
    return;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t x = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  x ^= (uint64_t)getpid() << 40 ^ atomic_fetch_add(&mail_counter, 1);
  for (size_t i = got; i < n; i++) {
    x += 0x9e3779b97f4a7c15u; /* splitmix64 */
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    buf[i] = (uint8_t)(z ^ (z >> 31));
  }
}

static void mail_add_hex(struct lr_buf *out, const uint8_t *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    char t[2] = {mail_hex[s[i] >> 4], mail_hex[s[i] & 15]};
    lr_buf_add(out, t, 2);
  }
}

/* The host as a dot-atom, so that the id parses: letters, digits, '-' and
 * '_' kept, other characters become '-', dots only between labels. */
static void mail_add_host(struct lr_buf *out, const char *host)
{
  char name[256];
  if (!host) {
    if (gethostname(name, sizeof(name)) < 0)
      name[0] = '\0';
    name[sizeof(name) - 1] = '\0';
    host = name;
  }
  size_t start = out->len;
  for (const char *p = host; *p; p++) {
    char c = *p;
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_';
    if (c == '.') {
      if (out->len > start && out->data[out->len - 1] != '.')
        lr_buf_addc(out, '.');
      continue;
    }
    lr_buf_addc(out, keep ? c : '-');
  }
  if (out->len > start && out->data[out->len - 1] == '.')
    out->data[--out->len] = '\0';
  if (out->len == start)
    lr_buf_add(out, "localhost", 9);
}

void lr_mail_message_id(struct lr_buf *out, const char *host)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint8_t rnd[8];
  mail_random(rnd, sizeof(rnd));
  lr_buf_printf(out, "<%llx.%lx.%lx.", (unsigned long long)ts.tv_sec * 1000000u +
                (unsigned long long)ts.tv_nsec / 1000u, (unsigned long)getpid(),
                atomic_fetch_add(&mail_counter, 1));
  mail_add_hex(out, rnd, sizeof(rnd));
  lr_buf_addc(out, '@');
  mail_add_host(out, host);
  lr_buf_addc(out, '>');
}

/* ---- quoted-printable --------------------------------------------------- */

static bool mail_qp_break_at(const uint8_t *s, size_t len)
{
  return len == 0 || s[0] == '\n' || (s[0] == '\r' && len > 1 && s[1] == '\n');
}

/* Encodes the unit of n bytes at s into t (at most 12 characters): a whole
 * UTF-8 character is encoded in one go so that no soft break cuts it. */
static size_t mail_qp_unit(const uint8_t *s, size_t n, size_t rest, bool line_start,
                           bool line_end, char *t)
{
  uint8_t c = s[0];
  bool literal = n == 1 && ((c > ' ' && c < 0x7f && c != '=') ||
                            ((c == ' ' || c == '\t') && !line_end));
  /* a lone "." ends input for some mailers; "From " gets mangled into ">From " */
  if (line_start && (c == '.' || (c == 'F' && rest >= 5 && !memcmp(s, "From ", 5))))
    literal = false;
  if (literal) {
    t[0] = (char)c;
    return 1;
  }
  for (size_t i = 0; i < n; i++) {
    t[3 * i] = '=';
    t[3 * i + 1] = mail_hex[s[i] >> 4];
    t[3 * i + 2] = mail_hex[s[i] & 15];
  }
  return 3 * n;
}

/* soft_end: the text will end with a soft break ("=" then a line break), so
 * its last line must leave room for that "=" too. */
static void mail_qp(struct lr_buf *out, const char *str, size_t len, bool soft_end)
{
  const uint8_t *s = (const uint8_t *)str;
  size_t col = 0, i = 0;
  while (i < len) {
    if (s[i] == '\n' || (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')) {
      lr_buf_addc(out, '\n');
      col = 0;
      i += s[i] == '\r' ? 2 : 1;
      continue;
    }
    size_t n = s[i] < 0x80 ? 1 : mail_char_len(s + i, len - i);
    bool last = mail_qp_break_at(s + i + n, len - i - n);
    char t[12];
    size_t tlen = mail_qp_unit(s + i, n, len - i, col == 0, last, t);
    /* the last unit of a line may take column 76; any other leaves room for
     * the "=" of a soft break after it, and so does the end of the text when
     * a soft break closes it */
    bool hard_end = last && !(soft_end && i + n == len);
    if (col + tlen > (hard_end ? MAIL_QP_MAX : MAIL_QP_MAX - 1)) {
      lr_buf_add(out, "=\n", 2);
      col = 0;
      tlen = mail_qp_unit(s + i, n, len - i, true, last, t);
    }
    lr_buf_add(out, t, tlen);
    col += tlen;
    i += n;
  }
  if (soft_end && col > 0)
    lr_buf_add(out, "=\n", 2);
}

void lr_mail_qp_encode(struct lr_buf *out, const char *str, size_t len)
{
  mail_qp(out, str, len, false);
}

/* ---- whole messages ----------------------------------------------------- */

static void mail_headers(struct lr_buf *out, const struct lr_mail_header_info *h)
{
  const char *from = h->from ? h->from : "";
  lr_mail_address_header(out, "From", &from, 1);
  if (h->nto)
    lr_mail_address_header(out, "To", h->to, h->nto);
  lr_mail_header(out, "Subject", h->subject);
  lr_buf_add(out, "Date: ", 6);
  lr_mail_date(out, h->date_usec);
  lr_buf_add(out, "\nMessage-ID: ", 13);
  lr_mail_message_id(out, h->message_id_host);
  /* RFC 3834: a machine alert; no vacation replies or bounces loops */
  lr_buf_printf(out, "\nAuto-Submitted: auto-generated\nMIME-Version: 1.0\n");
}

static void mail_part_headers(struct lr_buf *out, const char *subtype)
{
  lr_buf_printf(out, "Content-Type: text/%s; charset=utf-8\n"
                     "Content-Transfer-Encoding: quoted-printable\n\n", subtype);
}

static void mail_qp_body(struct lr_buf *out, const char *s, size_t len, bool soft_end)
{
  struct lr_buf clean = {0};
  lr_mail_utf8_sanitize(&clean, s, len);
  mail_qp(out, clean.data, clean.len, soft_end);
  lr_buf_free(&clean);
}

void lr_mail_compose_text(struct lr_buf *out, const struct lr_mail_header_info *h,
                          const char *body, size_t len)
{
  mail_headers(out, h);
  mail_part_headers(out, "plain");
  /* ends the message with a line break that decodes to nothing, when the
   * text does not end with one */
  mail_qp_body(out, body, len, true);
}

void lr_mail_compose_alternative(struct lr_buf *out, const struct lr_mail_header_info *h,
                                 const char *text, size_t tlen, const char *html, size_t hlen)
{
  /* Quoted-printable writes "=" only before two hex digits or a line break,
   * never before "_", so no encoded part can contain "=_": the boundary
   * cannot occur in them, whatever the text. */
  uint8_t rnd[16];
  mail_random(rnd, sizeof(rnd));
  struct lr_buf boundary = {0};
  lr_buf_add(&boundary, "=_luruse_", 9);
  mail_add_hex(&boundary, rnd, sizeof(rnd));

  mail_headers(out, h);
  lr_buf_printf(out, "Content-Type: multipart/alternative;\n boundary=\"%s\"\n\n"
                     "This is a MIME message.\n", boundary.data);
  lr_buf_printf(out, "--%s\n", boundary.data);
  mail_part_headers(out, "plain");
  mail_qp_body(out, text, tlen, false);
  /* the line break before a delimiter belongs to the delimiter */
  lr_buf_printf(out, "\n--%s\n", boundary.data);
  mail_part_headers(out, "html");
  mail_qp_body(out, html, hlen, false);
  lr_buf_printf(out, "\n--%s--\n", boundary.data);
  lr_buf_free(&boundary);
}
