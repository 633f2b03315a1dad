/* The daily report from hostile lines. Input: a flags byte, the title, the
 * time format, then records, separated by 0xFE (never in UTF-8): each
 * record's first two bytes give its level, details mode, time step and host,
 * the rest is its message (made valid UTF-8, as the report's lines are).
 * With bit 0 of the flags, each record is also a summary count.
 *
 * The HTML is valid UTF-8 and nothing from the input reaches it as markup:
 * every '<' opens one of the tags the renderer writes, every '&' one of its
 * entities, and no '>' stands outside a tag. The text part is valid UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "notify/mail.h"
#include "notify/report.h"
#include "util/buf.h"
#include "util/charset.h"

#define MAX_LINES 64

static const char *const tags[] = {"html", "head", "title", "meta", "body", "h1", "h2", "p",
                                   "br", "table", "tr", "th", "td", "h3", NULL};
static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;",
                                       NULL};

static bool known(const char *const *list, const char *s, size_t n)
{
  for (size_t i = 0; list[i]; i++)
    if (strlen(list[i]) == n && !memcmp(list[i], s, n))
      return true;
  return false;
}

static void check_html(const char *h, size_t len)
{
  FUZZ_CHECK(lr_utf8_valid(h, len), "%s", "HTML not valid UTF-8");
  for (size_t i = 0; i < len; i++) {
    if (h[i] == '<') {
      size_t s = i + 1 + (i + 1 < len && h[i + 1] == '/'), e = s;
      if (len - i >= 9 && !memcmp(h + i, "<!DOCTYPE", 9)) {
        e = s = i + 9;
      } else {
        while (e < len && ((h[e] >= 'a' && h[e] <= 'z') || (h[e] >= '0' && h[e] <= '9')))
          e++;
        FUZZ_CHECK(known(tags, h + s, e - s), "a tag \"%.*s\" at %zu", (int)(e - i + 1 > 40 ? 40 : e - i + 1), h + i, i);
      }
      /* attributes, their values quoted, up to '>' */
      bool quoted = false;
      for (i = e; i < len && (quoted || h[i] != '>'); i++) {
        FUZZ_CHECK(h[i] != '<', "a '<' inside a tag at %zu", i);
        if (h[i] == '"')
          quoted = !quoted;
      }
      FUZZ_CHECK(i < len, "%s", "an unclosed tag");
    } else if (h[i] == '&') {
      size_t e = i;
      while (e < len && e - i < 8 && h[e] != ';')
        e++;
      FUZZ_CHECK(e < len && known(entities, h + i, e - i + 1), "\"%.*s\" at %zu",
                 (int)(e - i + 1 > 10 ? 10 : e - i + 1), h + i, i);
    } else {
      FUZZ_CHECK(h[i] != '>', "a '>' outside a tag at %zu", i);
    }
  }
}

/* The next part, made valid UTF-8 after its first `ctl` bytes (into ctl_out). */
static void next_part(const uint8_t **data, size_t *size, struct lr_buf *out, size_t ctl,
                      uint8_t *ctl_out)
{
  const uint8_t *p;
  size_t n;
  fuzz_split(data, size, 0xfe, &p, &n);
  for (size_t i = 0; i < ctl; i++)
    ctl_out[i] = i < n ? p[i] : 0;
  p += ctl < n ? ctl : n;
  n -= ctl < n ? ctl : n;
  lr_buf_clear(out);
  lr_mail_utf8_sanitize(out, (const char *)p, n);
  lr_buf_add(out, "", 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  if (size < 1)
    return 0;
  uint8_t flags = data[0];
  data++, size--;
  struct lr_buf title = {0}, fmt = {0}, msg[MAX_LINES] = {{0}};
  next_part(&data, &size, &title, 0, NULL);
  next_part(&data, &size, &fmt, 0, NULL);
  char why[256];
  static const char *const hosts[] = {"web1", "db<2>&\"'", "", NULL};
  struct lr_report_line lines[MAX_LINES];
  struct lr_report_count counts[MAX_LINES];
  size_t n = 0;
  int64_t t = INT64_C(1710057600000000); /* 2024-03-10 08:00:00 UTC */
  while (size && n < MAX_LINES) {
    uint8_t c[2];
    next_part(&data, &size, &msg[n], 2, c);
    uint8_t c0 = c[0], c1 = c[1];
    t += (int64_t)(c1 & 0x3f) * 60000000 + (c1 & 0x40 ? 123456 : 0);
    const char *host = hosts[(c0 >> 4) & 3];
    lines[n] = (struct lr_report_line){
      .level = (enum lr_report_level)(c0 % 3), .details = (enum lr_report_details)((c0 / 3) % 5),
      .time_usec = t, .message = msg[n].data, .len = msg[n].len,
      .host = host ? host : msg[n].data, .host_len = host ? strlen(host) : msg[n].len};
    counts[n] = (struct lr_report_count){
      .kind = (enum lr_report_count_kind)(c1 % LR_COUNT_KINDS), .a = lines[n].message,
      .b = host ? host : "", .n = 1 + c0, .first_usec = t, .last_usec = t + 1};
    n++;
  }
  struct lr_report_options o = {
    .title = title.data, .other_rows = flags >> 4,
    .time_format = lr_report_time_format_check(fmt.data, why, sizeof(why)) == 0 ? fmt.data : NULL,
    .summary = flags & 1, .counts = counts, .ncounts = flags & 1 ? n : 0};
  struct lr_buf text = {0}, html = {0};
  lr_report_render(&text, &html, &o, lines, n);
  if (getenv("FUZZ_SHOW")) /* FUZZ_SHOW=1 fuzz_seeds_report crash-...: the HTML */
    fwrite(html.data, 1, html.len, stderr);
  FUZZ_CHECK(text.data && lr_utf8_valid(text.data, text.len), "%s", "text not valid UTF-8");
  FUZZ_CHECK(html.data != NULL, "%s", "no HTML");
  check_html(html.data, html.len);
  lr_buf_free(&text);
  lr_buf_free(&html);
  lr_buf_free(&title);
  lr_buf_free(&fmt);
  for (size_t i = 0; i < n; i++)
    lr_buf_free(&msg[i]);
  return 0;
}
