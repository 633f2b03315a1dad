#define _GNU_SOURCE /* memmem */
/* Mail composition from hostile values. Input: a mode byte (bit 0: a
 * multipart/alternative message), then From, To, a second To and Subject,
 * each ended by a NUL, then the body (for an alternative message, its first
 * half is the text and its second half the HTML).
 *
 * The message must be 7-bit, without CR or NUL; its header lines at most 998
 * bytes, each a "Name:" line or a continuation, exactly the headers luruse
 * writes (no value can start another); the Subject decodes (RFC 2047, after
 * unfolding) to the subject sanitised; each quoted-printable line at most 76
 * characters, without trailing whitespace, "." or "From " at its start; and
 * each part decodes to its text as given (UTF-8-sanitised, CRLF read as LF).
 * The decoders here are written apart from the encoder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "notify/mail.h"
#include "util/buf.h"
#include "util/charset.h"

#define S(lit) lit, sizeof(lit) - 1

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1; /* RFC 2045: uppercase */
}

static int b64val(char c)
{
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* Quoted-printable lines' rules, then the bytes they stand for. */
static void qp_decode(const char *s, size_t len, struct lr_buf *out)
{
  lr_buf_add(out, "", 0);
  size_t start = 0;
  while (start < len) {
    const char *nl = memchr(s + start, '\n', len - start);
    size_t n = (nl ? (size_t)(nl - s) : len) - start;
    const char *l = s + start;
    FUZZ_CHECK(n <= 76, "a quoted-printable line of %zu characters: \"%.*s\"", n, (int)n, l);
    FUZZ_CHECK(!n || (l[n - 1] != ' ' && l[n - 1] != '\t'), "trailing whitespace: \"%.*s\"",
               (int)n, l);
    FUZZ_CHECK(!n || l[0] != '.', "a line starts with a dot: \"%.*s\"", (int)n, l);
    FUZZ_CHECK(n < 5 || memcmp(l, "From ", 5), "a line starts with From: \"%.*s\"", (int)n, l);
    bool soft = false;
    for (size_t i = 0; i < n; i++) {
      if (l[i] != '=') {
        lr_buf_addc(out, l[i]);
        continue;
      }
      if (i + 1 == n) {
        soft = true;
        break;
      }
      FUZZ_CHECK(i + 2 < n && hexval(l[i + 1]) >= 0 && hexval(l[i + 2]) >= 0,
                 "a bad escape in \"%.*s\"", (int)n, l);
      lr_buf_addc(out, (char)(hexval(l[i + 1]) * 16 + hexval(l[i + 2])));
      i += 2;
    }
    if (nl && !soft)
      lr_buf_addc(out, '\n');
    start += n + 1;
  }
}

/* What a part must decode to: sanitised UTF-8, CRLF as LF. */
static void expected_text(const char *s, size_t len, struct lr_buf *out)
{
  struct lr_buf clean = {0};
  lr_mail_utf8_sanitize(&clean, s, len);
  lr_buf_add(out, "", 0);
  for (size_t i = 0; i < clean.len; i++)
    if (!(clean.data[i] == '\r' && i + 1 < clean.len && clean.data[i + 1] == '\n'))
      lr_buf_addc(out, clean.data[i]);
  lr_buf_free(&clean);
}

static void same_text(const char *qp, size_t qplen, const char *given, size_t glen,
                      const char *what)
{
  struct lr_buf got = {0}, want = {0};
  qp_decode(qp, qplen, &got);
  expected_text(given, glen, &want);
  FUZZ_CHECK(got.len == want.len && !memcmp(got.data, want.data, got.len),
             "the %s part decodes to \"%s\", not \"%s\"", what, got.data, want.data);
  lr_buf_free(&got);
  lr_buf_free(&want);
}

/* A header value as it must read: sanitised, each control character (C0,
 * DEL, C1) one space. */
static void expected_header(const char *s, struct lr_buf *out)
{
  struct lr_buf clean = {0};
  lr_mail_utf8_sanitize(&clean, s, strlen(s));
  lr_buf_add(out, "", 0);
  for (size_t i = 0; i < clean.len; i++) {
    unsigned char c = (unsigned char)clean.data[i];
    if (c == 0xc2 && i + 1 < clean.len && (unsigned char)clean.data[i + 1] <= 0x9f) {
      lr_buf_addc(out, ' ');
      i++;
    } else {
      lr_buf_addc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
    }
  }
  lr_buf_free(&clean);
}

/* One encoded-word "=?UTF-8?Q?...?=" or B, appended decoded. */
static void decode_word(const char *w, size_t n, struct lr_buf *out)
{
  FUZZ_CHECK(n <= 75, "an encoded-word of %zu characters", n);
  FUZZ_CHECK(n >= 12 && (!memcmp(w, "=?UTF-8?Q?", 10) || !memcmp(w, "=?UTF-8?B?", 10)) &&
             !memcmp(w + n - 2, "?=", 2), "\"%.*s\" is not an encoded-word", (int)n, w);
  const char *p = w + 10;
  size_t plen = n - 12, start = out->len;
  if (w[8] == 'Q') {
    for (size_t i = 0; i < plen; i++) {
      if (p[i] == '_') {
        lr_buf_addc(out, ' ');
      } else if (p[i] == '=') {
        FUZZ_CHECK(i + 2 < plen && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0,
                   "bad Q in \"%.*s\"", (int)n, w);
        lr_buf_addc(out, (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2])));
        i += 2;
      } else {
        FUZZ_CHECK(p[i] > ' ' && p[i] != '?', "'%c' in \"%.*s\"", p[i], (int)n, w);
        lr_buf_addc(out, p[i]);
      }
    }
  } else {
    FUZZ_CHECK(plen % 4 == 0, "B of %zu characters", plen);
    for (size_t i = 0; i < plen; i += 4) {
      int v[4];
      for (int k = 0; k < 4; k++) {
        v[k] = p[i + k] == '=' && i + 4 == plen && k >= 2 ? 0 : b64val(p[i + k]);
        FUZZ_CHECK(v[k] >= 0, "bad B in \"%.*s\"", (int)n, w);
      }
      uint32_t x = (uint32_t)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
      lr_buf_addc(out, (char)(x >> 16));
      if (p[i + 2] != '=') lr_buf_addc(out, (char)(x >> 8));
      if (p[i + 3] != '=') lr_buf_addc(out, (char)x);
    }
  }
  FUZZ_CHECK(lr_utf8_valid(out->data + start, out->len - start),
             "\"%.*s\" alone is not valid UTF-8", (int)n, w);
}

/* Subject's value (after "Subject:", unfolded) decoded. */
static void decode_subject(const char *v, size_t len, struct lr_buf *out)
{
  lr_buf_add(out, "", 0);
  if (len == 0)
    return;
  FUZZ_CHECK(v[0] == ' ', "Subject:%.*s", (int)len, v);
  if (!memmem(v, len, "=?", 2)) {
    lr_buf_add(out, v + 1, len - 1);
    return;
  }
  for (size_t i = 0; i < len;) {
    while (i < len && v[i] == ' ')
      i++;
    size_t j = i;
    while (j < len && v[j] != ' ')
      j++;
    if (j > i)
      decode_word(v + i, j - i, out);
    i = j;
  }
}

/* The header block: line rules, names in order, the Subject's value. */
static void check_headers(const char *h, size_t len, const char *const *names, size_t nnames,
                          const char *subject)
{
  struct lr_buf subj = {0};
  size_t seen = 0, start = 0;
  bool in_subject = false;
  while (start < len) {
    const char *nl = memchr(h + start, '\n', len - start);
    size_t n = (nl ? (size_t)(nl - h) : len) - start;
    const char *l = h + start;
    FUZZ_CHECK(n <= 998, "a header line of %zu bytes: \"%.80s...\"", n, l);
    if (l[0] == ' ' || l[0] == '\t') {
      FUZZ_CHECK(seen > 0, "%s", "a continuation before any header");
      size_t k = 0;
      while (k < n && (l[k] == ' ' || l[k] == '\t'))
        k++;
      FUZZ_CHECK(k < n, "a continuation line of only whitespace after %s", names[seen - 1]);
      if (in_subject)
        lr_buf_add(&subj, l, n);
    } else {
      FUZZ_CHECK(seen < nnames, "an extra header line \"%.*s\"", (int)n, l);
      size_t nlen = strlen(names[seen]);
      FUZZ_CHECK(n > nlen && !memcmp(l, names[seen], nlen) && l[nlen] == ':',
                 "\"%.*s\" where %s: was due", (int)n, l, names[seen]);
      in_subject = !strcmp(names[seen], "Subject");
      if (in_subject)
        lr_buf_add(&subj, l + nlen + 1, n - nlen - 1);
      seen++;
    }
    start += n + 1;
  }
  FUZZ_CHECK(seen == nnames, "%zu headers of %zu", seen, nnames);
  struct lr_buf got = {0}, want = {0};
  decode_subject(subj.data ? subj.data : "", subj.len, &got);
  expected_header(subject, &want);
  FUZZ_CHECK(got.len == want.len && !memcmp(got.data, want.data, got.len),
             "Subject decodes to \"%s\", not \"%s\"", got.data, want.data);
  lr_buf_free(&subj);
  lr_buf_free(&got);
  lr_buf_free(&want);
}

static char *next_string(const uint8_t **data, size_t *size)
{
  const uint8_t *p;
  size_t n;
  fuzz_split(data, size, '\0', &p, &n);
  return fuzz_strndup(p, n);
}

static const char *const text_names[] = {"From", "To", "Subject", "Date", "Message-ID",
  "Auto-Submitted", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
static const char *const alt_names[] = {"From", "To", "Subject", "Date", "Message-ID",
  "Auto-Submitted", "MIME-Version", "Content-Type"};

/* "text/plain" or "text/html" part headers, then its quoted-printable text. */
static const char *part_body(const char *p, size_t n, const char *type, size_t *len)
{
  struct lr_buf want = {0};
  lr_buf_printf(&want, "Content-Type: %s; charset=utf-8\n"
                       "Content-Transfer-Encoding: quoted-printable\n\n", type);
  FUZZ_CHECK(n >= want.len && !memcmp(p, want.data, want.len), "the %s part's headers", type);
  *len = n - want.len;
  p += want.len;
  lr_buf_free(&want);
  return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  if (size < 1)
    return 0;
  bool alternative = data[0] & 1;
  data++, size--;
  char *from = next_string(&data, &size), *to1 = next_string(&data, &size);
  char *to2 = next_string(&data, &size), *subject = next_string(&data, &size);
  const char *body = (const char *)data;
  const char *to[] = {to1, to2};
  size_t nto = to2[0] ? 2 : to1[0] ? 1 : 0;
  struct lr_mail_header_info h = {.from = from, .to = to, .nto = nto, .subject = subject,
                                  .date_usec = 1767225600000000, .message_id_host = "fuzz"};
  struct lr_buf m = {0};
  size_t tlen = size / 2;
  if (alternative)
    lr_mail_compose_alternative(&m, &h, body, tlen, body + tlen, size - tlen);
  else
    lr_mail_compose_text(&m, &h, body, size);
  if (getenv("FUZZ_SHOW")) /* FUZZ_SHOW=1 fuzz_seeds_mail crash-...: the message */
    fwrite(m.data, 1, m.len, stderr);

  for (size_t i = 0; i < m.len; i++)
    FUZZ_CHECK(m.data[i] > 0 && m.data[i] < 0x7f && m.data[i] != '\r',
               "byte 0x%02x at %zu of the message", (unsigned char)m.data[i], i);
  const char *sep = strstr(m.data, "\n\n");
  FUZZ_CHECK(sep != NULL, "%s", "no end of the header");
  size_t hlen = (size_t)(sep - m.data) + 1;
  /* no To: without recipients */
  const char *const *names = alternative ? alt_names : text_names;
  size_t nnames = alternative ? sizeof(alt_names) / sizeof(*alt_names)
                              : sizeof(text_names) / sizeof(*text_names);
  const char *shown[9];
  size_t k = 0;
  for (size_t i = 0; i < nnames; i++)
    if (nto || strcmp(names[i], "To"))
      shown[k++] = names[i];
  check_headers(m.data, hlen - 1, shown, k, subject);

  const char *b = sep + 2;
  size_t blen = m.len - (size_t)(b - m.data);
  if (!alternative) {
    same_text(b, blen, body, size, "text");
  } else {
    static const char ct[] = "\nContent-Type: multipart/alternative;\n boundary=\"";
    const char *bd = strstr(m.data, ct);
    FUZZ_CHECK(bd && bd < sep, "%s", "no boundary");
    bd += sizeof(ct) - 1;
    const char *bend = strchr(bd, '"');
    struct lr_buf open = {0}, mid = {0}, close = {0};
    lr_buf_printf(&open, "This is a MIME message.\n--%.*s\n", (int)(bend - bd), bd);
    lr_buf_printf(&mid, "\n--%.*s\n", (int)(bend - bd), bd);
    lr_buf_printf(&close, "\n--%.*s--\n", (int)(bend - bd), bd);
    FUZZ_CHECK(blen >= open.len + close.len && !memcmp(b, open.data, open.len) &&
               !memcmp(b + blen - close.len, close.data, close.len), "%s", "the multipart frame");
    const char *p1 = b + open.len, *end = b + blen - close.len;
    const char *m1 = memmem(p1, (size_t)(end - p1), mid.data, mid.len);
    FUZZ_CHECK(m1 != NULL, "%s", "no delimiter between the parts");
    FUZZ_CHECK(!memmem(m1 + mid.len, (size_t)(end - m1 - mid.len), mid.data, mid.len),
               "%s", "the boundary inside a part");
    size_t qlen;
    const char *q = part_body(p1, (size_t)(m1 - p1), "text/plain", &qlen);
    same_text(q, qlen, body, tlen, "text");
    q = part_body(m1 + mid.len, (size_t)(end - m1 - mid.len), "text/html", &qlen);
    same_text(q, qlen, body + tlen, size - tlen, "HTML");
    lr_buf_free(&open);
    lr_buf_free(&mid);
    lr_buf_free(&close);
  }
  lr_buf_free(&m);
  free(from);
  free(to1);
  free(to2);
  free(subject);
  return 0;
}
