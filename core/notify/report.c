#define _GNU_SOURCE /* qsort_r */
#include "notify/report.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/report_fold.h"
#include "notify/report_render.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define ADD_LIT LR_REPORT_ADD_LIT

static const char *const level_names[] = {"WARN", "INFO", "OTHER"};
static const char *const details_names[] = {"ALL", "NONE", "FIRST", "LAST", "FIRSTLAST"};
static const char *const section_titles[] = {"WARNING Messages", "Information Messages",
                                             "Other log events"};

static const char TXT_TABLE_DELIM[] =
  "|===============================================================================\n";
static const char TXT_TABLE_HEADER[] =
  "|Count|Message                                    |Date+time for each occurrence\n";
static const char TXT_OTHER_HEADER[] =
  "|Count|Message                                    |First and last date+time\n";
static const char TXT_TIMES_SEP[] = " +\n       ";

static void add_str(struct lr_buf *b, const char *s) { lr_buf_add(b, s, strlen(s)); }

/* ---- names ---- */

static int find_name(const char *const *names, size_t count, const char *name)
{
  for (size_t i = 0; name && i < count; i++)
    if (strcmp(names[i], name) == 0)
      return (int)i;
  return -1;
}

int lr_report_level_parse(const char *name)
{
  return find_name(level_names, sizeof(level_names) / sizeof(*level_names), name);
}

int lr_report_details_parse(const char *name)
{
  return find_name(details_names, sizeof(details_names) / sizeof(*details_names), name);
}

const char *lr_report_level_name(enum lr_report_level level)
{
  return (unsigned)level <= LR_REPORT_OTHER ? level_names[level] : "?";
}

const char *lr_report_details_name(enum lr_report_details details)
{
  return (unsigned)details <= LR_DETAILS_FIRSTLAST ? details_names[details] : "?";
}

/* Out-of-range values from a buggy caller fall back to OTHER and ALL. */
static unsigned level_of(const struct lr_report_line *l)
{
  return (unsigned)l->level <= LR_REPORT_OTHER ? (unsigned)l->level : LR_REPORT_OTHER;
}

static enum lr_report_details details_of(const struct lr_report_line *l)
{
  return (unsigned)l->details <= LR_DETAILS_FIRSTLAST ? l->details : LR_DETAILS_ALL;
}

/* ---- the model: one sort of line pointers ---- */

/* A row: a distinct message (WARN, INFO) or folding key (OTHER). */
struct group {
  size_t begin, end; /* order[begin .. end) */
  int64_t first, last;
  bool same;         /* every line of the row has the same text */
};

/* The lines of one host (or all of them): order[lv[k] .. lv[k + 1]) is level k. */
struct section {
  const char *host;
  size_t host_len;
  size_t lv[4];
};

struct report {
  const struct lr_report_options *o;
  const struct lr_report_line *lines; /* as given, chronological */
  size_t n;
  /* By host when by_host, then level; WARN/INFO by message then record
   * order, OTHER by folding key then record order. */
  const struct lr_report_line **order;
  struct lr_buf keys;   /* folding keys of OTHER lines */
  size_t *koff, *klen;  /* by line index */
  bool by_host;
  struct section *sections;
  size_t nsections;
  struct group *groups; /* scratch of one OTHER section */
  size_t gcap;
  size_t rows;          /* OTHER rows per section */
  bool any_time;
  int64_t tmin, tmax;   /* of lines and counts */
  struct lr_report_clock clock;
};

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
  size_t common = alen < blen ? alen : blen;
  int c = common ? memcmp(a, b, common) : 0;
  if (c)
    return c;
  return alen < blen ? -1 : alen > blen;
}

static int cmp_message(const struct lr_report_line *x, const struct lr_report_line *y)
{
  return cmp_bytes(x->message, x->len, y->message, y->len);
}

static int cmp_host(const struct lr_report_line *x, const struct lr_report_line *y)
{
  return cmp_bytes(x->host, x->host ? x->host_len : 0, y->host, y->host ? y->host_len : 0);
}

static int cmp_key(const struct report *r, const struct lr_report_line *x,
                   const struct lr_report_line *y)
{
  size_t i = (size_t)(x - r->lines), j = (size_t)(y - r->lines);
  return cmp_bytes(r->keys.data + r->koff[i], r->klen[i], r->keys.data + r->koff[j], r->klen[j]);
}

static int cmp_lines(const void *a, const void *b, void *ctx)
{
  const struct report *r = ctx;
  const struct lr_report_line *x = *(const struct lr_report_line *const *)a;
  const struct lr_report_line *y = *(const struct lr_report_line *const *)b;
  int c = r->by_host ? cmp_host(x, y) : 0;
  if (c)
    return c;
  unsigned lx = level_of(x), ly = level_of(y);
  if (lx != ly)
    return lx < ly ? -1 : 1;
  c = lx != LR_REPORT_OTHER ? cmp_message(x, y) : cmp_key(r, x, y);
  if (c)
    return c;
  /* Same array: address order is record order, which makes the sort stable. */
  return x < y ? -1 : x > y;
}

static void widen(struct report *r, int64_t first, int64_t last)
{
  if (!r->any_time || first < r->tmin)
    r->tmin = first;
  if (!r->any_time || last > r->tmax)
    r->tmax = last;
  r->any_time = true;
}

static bool lines_have_hosts(const struct lr_report_line *lines, size_t n)
{
  for (size_t i = 1; i < n; i++)
    if (cmp_host(&lines[0], &lines[i]) != 0)
      return true;
  return false;
}

static void build_sections(struct report *r)
{
  size_t cap = 0;
  for (size_t i = 0; i < r->n || (r->nsections == 0 && i == 0);) {
    LR_GROW(r->sections, r->nsections + 1, cap, 4);
    struct section *s = &r->sections[r->nsections++];
    *s = (struct section){0};
    if (r->by_host && r->n) {
      s->host = r->order[i]->host ? r->order[i]->host : "";
      s->host_len = r->order[i]->host ? r->order[i]->host_len : 0;
    }
    size_t end = i;
    while (end < r->n && (!r->by_host || cmp_host(r->order[i], r->order[end]) == 0))
      end++;
    for (unsigned k = 0; k <= 3; k++) { /* the level runs of [i, end) */
      s->lv[k] = i;
      while (k < 3 && i < end && level_of(r->order[i]) == k)
        i++;
    }
    s->lv[3] = end;
    i = end;
    if (r->n == 0)
      break;
  }
}

static void report_build(struct report *r, const struct lr_report_options *o,
                         const struct lr_report_line *lines, size_t n)
{
  *r = (struct report){.o = o, .lines = lines, .n = n};
  r->rows = o->other_rows ? o->other_rows : LR_REPORT_DEFAULT_ROWS;
  lr_report_clock_init(&r->clock, o->time_format);
  for (size_t i = 0; o->summary && i < o->ncounts; i++)
    widen(r, o->counts[i].first_usec, o->counts[i].last_usec);
  r->by_host = lines_have_hosts(lines, n) ||
               (o->summary && lr_report_count_hosts(o->counts, o->ncounts) > 1);
  if (n) {
    r->order = lr_xreallocarray(NULL, n, sizeof(*r->order));
    r->koff = lr_xcalloc(n, sizeof(*r->koff));
    r->klen = lr_xcalloc(n, sizeof(*r->klen));
  }
  for (size_t i = 0; i < n; i++) {
    r->order[i] = &lines[i];
    widen(r, lines[i].time_usec, lines[i].time_usec);
    if (level_of(&lines[i]) == LR_REPORT_OTHER) {
      r->koff[i] = r->keys.len;
      lr_report_fold(&r->keys, lines[i].message, lines[i].len);
      r->klen[i] = r->keys.len - r->koff[i];
    }
  }
  if (n)
    qsort_r(r->order, n, sizeof(*r->order), cmp_lines, r);
  build_sections(r);
}

static void report_free(struct report *r)
{
  free(r->order);
  free(r->koff);
  free(r->klen);
  free(r->sections);
  free(r->groups);
  lr_buf_free(&r->keys);
}

/* End of the run of lines of one row starting at order[i]. */
static size_t group_end(const struct report *r, size_t i, size_t end, bool folded)
{
  size_t j = i + 1;
  while (j < end && (folded ? cmp_key(r, r->order[i], r->order[j])
                            : cmp_message(r->order[i], r->order[j])) == 0)
    j++;
  return j;
}

/* The occurrence times of rows [i, j) per the details mode of its last line. */
static void put_group_times(struct report *r, struct lr_buf *out, size_t i, size_t j,
                            const char *sep)
{
  int64_t first = r->order[i]->time_usec, last = r->order[j - 1]->time_usec;
  enum lr_report_details d = details_of(r->order[j - 1]);
  if (d == LR_DETAILS_FIRSTLAST && j - i < 2)
    d = LR_DETAILS_ALL;
  switch (d) {
  case LR_DETAILS_NONE:
    break;
  case LR_DETAILS_FIRST:
    ADD_LIT(out, "From : ");
    lr_report_put_time(out, &r->clock, first);
    break;
  case LR_DETAILS_LAST:
    ADD_LIT(out, "Until: ");
    lr_report_put_time(out, &r->clock, last);
    break;
  case LR_DETAILS_FIRSTLAST:
    ADD_LIT(out, "From : ");
    lr_report_put_time(out, &r->clock, first);
    add_str(out, sep);
    ADD_LIT(out, "Until: ");
    lr_report_put_time(out, &r->clock, last);
    break;
  case LR_DETAILS_ALL:
    for (size_t k = i; k < j; k++) {
      if (k > i)
        add_str(out, sep);
      lr_report_put_time(out, &r->clock, r->order[k]->time_usec);
    }
    break;
  }
}

/* "From <t> to <t>, N lines." */
static void put_period(struct report *r, struct lr_buf *out)
{
  if (!r->any_time) {
    ADD_LIT(out, "No lines.");
    return;
  }
  ADD_LIT(out, "From ");
  lr_report_put_time(out, &r->clock, r->tmin);
  ADD_LIT(out, " to ");
  lr_report_put_time(out, &r->clock, r->tmax);
  lr_buf_printf(out, ", %zu line%s.", r->n, r->n == 1 ? "" : "s");
}

/* ---- OTHER: folded rows, the most frequent kept, shown by first time ---- */

static int cmp_by_count(const void *a, const void *b)
{
  const struct group *x = a, *y = b;
  size_t nx = x->end - x->begin, ny = y->end - y->begin;
  if (nx != ny)
    return nx > ny ? -1 : 1;
  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  return x->begin < y->begin ? -1 : x->begin > y->begin;
}

static int cmp_by_first(const void *a, const void *b)
{
  const struct group *x = a, *y = b;
  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  return x->begin < y->begin ? -1 : x->begin > y->begin;
}

struct other_rows {
  size_t shown, left, left_lines;
};

/* The rows of order[i .. end) in r->groups, the first `shown` of them to show. */
static struct other_rows other_groups(struct report *r, size_t i, size_t end)
{
  size_t ng = 0;
  while (i < end) {
    size_t j = group_end(r, i, end, true);
    LR_GROW(r->groups, ng + 1, r->gcap, 64);
    struct group *g = &r->groups[ng++];
    *g = (struct group){.begin = i, .end = j, .first = r->order[i]->time_usec,
                        .last = r->order[i]->time_usec, .same = true};
    for (size_t k = i; k < j; k++) {
      int64_t t = r->order[k]->time_usec;
      g->first = t < g->first ? t : g->first;
      g->last = t > g->last ? t : g->last;
      if (g->same && cmp_message(r->order[i], r->order[k]) != 0)
        g->same = false;
    }
    i = j;
  }
  struct other_rows o = {.shown = ng};
  if (ng > r->rows) {
    qsort(r->groups, ng, sizeof(*r->groups), cmp_by_count);
    o.shown = r->rows;
    o.left = ng - r->rows;
    for (size_t k = r->rows; k < ng; k++)
      o.left_lines += r->groups[k].end - r->groups[k].begin;
  }
  qsort(r->groups, o.shown, sizeof(*r->groups), cmp_by_first);
  return o;
}

/* A row's text: the message when all its lines say the same, else the key. */
static void put_row_text(struct report *r, struct lr_buf *out, const struct group *g,
                         enum lr_report_esc mode)
{
  const struct lr_report_line *l = r->order[g->begin];
  if (g->same) {
    lr_report_put_escaped(out, l->message, l->len, mode);
  } else {
    size_t k = (size_t)(l - r->lines);
    lr_report_put_escaped(out, r->keys.data + r->koff[k], r->klen[k], mode);
  }
}

static void put_first_last(struct report *r, struct lr_buf *out, const struct group *g,
                           const char *sep)
{
  if (g->end - g->begin == 1) {
    lr_report_put_time(out, &r->clock, g->first);
    return;
  }
  ADD_LIT(out, "From : ");
  lr_report_put_time(out, &r->clock, g->first);
  add_str(out, sep);
  ADD_LIT(out, "Until: ");
  lr_report_put_time(out, &r->clock, g->last);
}

static void put_left_out(struct lr_buf *out, const struct other_rows *o)
{
  lr_buf_printf(out, "%zu more row%s left out (%zu line%s).", o->left, o->left == 1 ? "" : "s",
                o->left_lines, o->left_lines == 1 ? "" : "s");
}

/* ---- text part (AsciiDoc, laid out as Pyruse did) ---- */

static void put_count_cell(struct lr_buf *out, size_t n)
{
  char count[24];
  int len = snprintf(count, sizeof(count), "%zu", n);
  size_t pad = len < 5 ? 5 - (size_t)len : 0; /* centred as Python's {:^5d} */
  ADD_LIT(out, "\n|");
  lr_buf_fill(out, ' ', pad / 2);
  lr_buf_add(out, count, (size_t)len);
  lr_buf_fill(out, ' ', pad - pad / 2);
  lr_buf_addc(out, '|');
}

static void text_table(struct report *r, struct lr_buf *out, size_t i, size_t end)
{
  if (i == end) {
    ADD_LIT(out, "(none)\n");
    return;
  }
  ADD_LIT(out, TXT_TABLE_DELIM);
  ADD_LIT(out, TXT_TABLE_HEADER);
  while (i < end) {
    size_t j = group_end(r, i, end, false);
    put_count_cell(out, j - i);
    lr_report_put_escaped(out, r->order[i]->message, r->order[i]->len, LR_ESC_TEXT_CELL);
    ADD_LIT(out, "\n      |");
    put_group_times(r, out, i, j, TXT_TIMES_SEP);
    lr_buf_addc(out, '\n');
    i = j;
  }
  ADD_LIT(out, TXT_TABLE_DELIM);
}

static void text_other(struct report *r, struct lr_buf *out, size_t i, size_t end)
{
  if (i == end) {
    ADD_LIT(out, "(none)\n");
    return;
  }
  struct other_rows o = other_groups(r, i, end);
  ADD_LIT(out, TXT_TABLE_DELIM);
  ADD_LIT(out, TXT_OTHER_HEADER);
  for (size_t k = 0; k < o.shown; k++) {
    const struct group *g = &r->groups[k];
    put_count_cell(out, g->end - g->begin);
    put_row_text(r, out, g, LR_ESC_TEXT_CELL);
    ADD_LIT(out, "\n      |");
    put_first_last(r, out, g, TXT_TIMES_SEP);
    lr_buf_addc(out, '\n');
  }
  ADD_LIT(out, TXT_TABLE_DELIM);
  if (o.left) {
    put_left_out(out, &o);
    lr_buf_addc(out, '\n');
  }
}

static void render_text(struct report *r, struct lr_buf *out)
{
  const struct lr_report_options *o = r->o;
  ADD_LIT(out, "= ");
  add_str(out, o->title ? o->title : "");
  ADD_LIT(out, "\n\n");
  put_period(r, out);
  ADD_LIT(out, "\n\n");
  bool first = true; /* no blank line before the first heading */
  if (o->summary) {
    lr_report_summary_text(out, o->counts, o->ncounts);
    first = false;
  }
  for (size_t h = 0; h < r->nsections; h++) {
    const struct section *s = &r->sections[h];
    if (r->by_host) {
      if (!first)
        lr_buf_addc(out, '\n');
      ADD_LIT(out, "== Host ");
      if (s->host_len)
        lr_report_put_escaped(out, s->host, s->host_len, LR_ESC_TEXT_CELL);
      else
        ADD_LIT(out, "(none)");
      ADD_LIT(out, "\n\n");
      if (o->summary) {
        lr_report_host_entries(out, o->counts, o->ncounts, s->host, s->host_len,
                               LR_ESC_TEXT_CELL);
        lr_buf_addc(out, '\n');
      }
      first = false;
    }
    for (unsigned level = LR_REPORT_WARN; level <= LR_REPORT_OTHER; level++) {
      lr_buf_printf(out, "%s%s %s\n\n", first ? "" : "\n", r->by_host ? "===" : "==",
                    section_titles[level]);
      first = false;
      if (level == LR_REPORT_OTHER)
        text_other(r, out, s->lv[level], s->lv[level + 1]);
      else
        text_table(r, out, s->lv[level], s->lv[level + 1]);
    }
  }
}

/* ---- HTML part ---- */

static const char HTML_TABLE_OPEN[] =
  "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" "
  "style=\"border-collapse:collapse;white-space:pre-wrap;font-size:13px\">\n";

static void html_table(struct report *r, struct lr_buf *out, size_t i, size_t end)
{
  if (i == end) {
    ADD_LIT(out, "<p>(none)</p>\n");
    return;
  }
  ADD_LIT(out, HTML_TABLE_OPEN);
  ADD_LIT(out, "<tr><th>Count</th><th>Message</th><th>Date+time for each occurrence</th></tr>\n");
  while (i < end) {
    size_t j = group_end(r, i, end, false);
    lr_buf_printf(out, "<tr><td align=\"right\" valign=\"top\">%zu</td><td valign=\"top\">", j - i);
    lr_report_put_escaped(out, r->order[i]->message, r->order[i]->len, LR_ESC_HTML);
    ADD_LIT(out, "</td><td valign=\"top\" nowrap>");
    put_group_times(r, out, i, j, "<br>");
    ADD_LIT(out, "</td></tr>\n");
    i = j;
  }
  ADD_LIT(out, "</table>\n");
}

static void html_other(struct report *r, struct lr_buf *out, size_t i, size_t end)
{
  if (i == end) {
    ADD_LIT(out, "<p>(none)</p>\n");
    return;
  }
  struct other_rows o = other_groups(r, i, end);
  ADD_LIT(out, HTML_TABLE_OPEN);
  ADD_LIT(out, "<tr><th>Count</th><th>Message</th><th>First and last date+time</th></tr>\n");
  for (size_t k = 0; k < o.shown; k++) { /* kept terse: there may be many */
    const struct group *g = &r->groups[k];
    lr_buf_printf(out, "<tr><td align=\"right\" valign=\"top\">%zu</td><td valign=\"top\">",
                  g->end - g->begin);
    put_row_text(r, out, g, LR_ESC_HTML);
    ADD_LIT(out, "</td><td valign=\"top\" nowrap>");
    put_first_last(r, out, g, "<br>");
    ADD_LIT(out, "</td></tr>\n");
  }
  ADD_LIT(out, "</table>\n");
  if (o.left) {
    ADD_LIT(out, "<p>");
    put_left_out(out, &o);
    ADD_LIT(out, "</p>\n");
  }
}

static void render_html(struct report *r, struct lr_buf *out)
{
  const struct lr_report_options *o = r->o;
  const char *title = o->title ? o->title : "";
  ADD_LIT(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
  lr_report_put_escaped(out, title, strlen(title), LR_ESC_HTML);
  ADD_LIT(out, "</title></head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;"
               "font-size:14px;color:#222222\">\n<h1>");
  lr_report_put_escaped(out, title, strlen(title), LR_ESC_HTML);
  ADD_LIT(out, "</h1>\n<p>");
  put_period(r, out);
  ADD_LIT(out, "</p>\n");
  if (o->summary)
    lr_report_summary_html(out, o->counts, o->ncounts);
  lr_report_html_chart(out, &r->clock, r->lines, r->n, r->tmin, r->tmax);
  const char *h = r->by_host ? "h3" : "h2";
  for (size_t k = 0; k < r->nsections; k++) {
    const struct section *s = &r->sections[k];
    if (r->by_host) {
      ADD_LIT(out, "<h2>Host ");
      if (s->host_len)
        lr_report_put_escaped(out, s->host, s->host_len, LR_ESC_HTML);
      else
        ADD_LIT(out, "(none)");
      ADD_LIT(out, "</h2>\n");
      if (o->summary) {
        ADD_LIT(out, "<p>");
        lr_report_host_entries(out, o->counts, o->ncounts, s->host, s->host_len, LR_ESC_HTML);
        ADD_LIT(out, "</p>\n");
      }
    }
    for (unsigned level = LR_REPORT_WARN; level <= LR_REPORT_OTHER; level++) {
      lr_buf_printf(out, "<%s>%s</%s>\n", h, section_titles[level], h);
      if (level == LR_REPORT_OTHER)
        html_other(r, out, s->lv[level], s->lv[level + 1]);
      else
        html_table(r, out, s->lv[level], s->lv[level + 1]);
    }
  }
  ADD_LIT(out, "</body>\n</html>\n");
}

/* ---- entry points ---- */

void lr_report_render(struct lr_buf *text, struct lr_buf *html, const struct lr_report_options *o,
                      const struct lr_report_line *lines, size_t n)
{
  struct report r;
  report_build(&r, o, lines, n);
  if (text) {
    r.clock.esc = LR_ESC_TEXT_CELL;
    render_text(&r, text);
  }
  if (html) {
    r.clock.esc = LR_ESC_HTML;
    render_html(&r, html);
  }
  report_free(&r);
}

void lr_report_render_text(struct lr_buf *out, const char *title,
                           const struct lr_report_line *lines, size_t n)
{
  struct lr_report_options o = {.title = title};
  lr_report_render(out, NULL, &o, lines, n);
}

void lr_report_render_html(struct lr_buf *out, const char *title,
                           const struct lr_report_line *lines, size_t n)
{
  struct lr_report_options o = {.title = title};
  lr_report_render(NULL, out, &o, lines, n);
}
