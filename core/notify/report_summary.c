/* The report's summary (the figures of report_tally.h): entries read per host
 * and per service, bans and the most banned addresses, emails sent, luruse's
 * own errors; and the line of entries that opens a host section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/report_render.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define ADD_LIT LR_REPORT_ADD_LIT
#define SERVICE_ROWS 15   /* of the summary's service table */
#define HOST_ROWS 50      /* of its host table */
#define BAN_ROWS 10       /* the most banned addresses */
#define HOST_SERVICES 8   /* named in a host section's line */
#define MAX_COLS 3
#define PAD_MAX 40        /* a text column is padded to its widest cell, at most this */

/* ---- sums by key ---- */

struct sum {
  const char *a, *b; /* b: NULL when summed over it */
  uint64_t n;
};

static int cmp_sum_key(const void *x, const void *y)
{
  const struct sum *p = x, *q = y;
  int c = strcmp(p->a, q->a);
  if (c || !p->b)
    return c;
  return strcmp(p->b, q->b);
}

static int cmp_sum_count(const void *x, const void *y)
{
  const struct sum *p = x, *q = y;
  if (p->n != q->n)
    return p->n > q->n ? -1 : 1;
  /* "(others)" (empty keys) last among equals, then by name */
  if (!*p->a != !*q->a)
    return *p->a ? -1 : 1;
  return cmp_sum_key(x, y);
}

/* Rows of `kind` (of `host` when given: entries), keyed by a, or by b when
 * by_b, or by both when both; most first. Returns their number (*out freed
 * by the caller), and the total in *total. */
static size_t sums(const struct lr_report_count *c, size_t n, enum lr_report_count_kind kind,
                   bool by_b, bool both, const char *host, size_t host_len, struct sum **out,
                   uint64_t *total)
{
  struct sum *s = lr_xreallocarray(NULL, n ? n : 1, sizeof(*s));
  size_t k = 0;
  *total = 0;
  for (size_t i = 0; i < n; i++) {
    if (c[i].kind != kind)
      continue;
    if (host && (strlen(c[i].a) != host_len || memcmp(c[i].a, host, host_len) != 0))
      continue;
    s[k++] = (struct sum){by_b ? c[i].b : c[i].a, both ? c[i].b : NULL, c[i].n};
    *total += c[i].n;
  }
  qsort(s, k, sizeof(*s), cmp_sum_key);
  size_t m = 0;
  for (size_t i = 0; i < k; i++) {
    if (m && cmp_sum_key(&s[m - 1], &s[i]) == 0)
      s[m - 1].n += s[i].n;
    else
      s[m++] = s[i];
  }
  qsort(s, m, sizeof(*s), cmp_sum_count);
  *out = s;
  return m;
}

static uint64_t total_of(const struct lr_report_count *c, size_t n, enum lr_report_count_kind kind)
{
  uint64_t t = 0;
  for (size_t i = 0; i < n; i++)
    if (c[i].kind == kind)
      t += c[i].n;
  return t;
}

size_t lr_report_count_hosts(const struct lr_report_count *counts, size_t n)
{
  const char *first = NULL;
  for (size_t i = 0; i < n; i++) {
    if (counts[i].kind != LR_COUNT_ENTRIES)
      continue;
    if (!first)
      first = counts[i].a;
    else if (strcmp(first, counts[i].a) != 0)
      return 2;
  }
  return first ? 1 : 0;
}

static const char *name_of(const char *s) { return *s ? s : "(others)"; }

/* ---- tables: raw cells, escaped for text or HTML when written ---- */

struct table {
  size_t ncols;
  const char *title[MAX_COLS];
  bool right[MAX_COLS];
  struct lr_buf text;
  size_t (*cell)[MAX_COLS][2]; /* offset, length */
  size_t nrows, cap;
};

static void table_row(struct table *t, const char *const *cells)
{
  LR_GROW(t->cell, t->nrows + 1, t->cap, 16);
  for (size_t k = 0; k < t->ncols; k++) {
    t->cell[t->nrows][k][0] = t->text.len;
    t->cell[t->nrows][k][1] = strlen(cells[k]);
    lr_buf_add(&t->text, cells[k], strlen(cells[k]));
  }
  t->nrows++;
}

static size_t cell_width(const char *s, size_t len)
{
  size_t w = lr_report_text_width(s, len);
  for (size_t i = 0; i < len; i++)
    w += s[i] == '|'; /* escaped as \| */
  return w;
}

static void text_cell(struct lr_buf *out, const char *s, size_t len, size_t width, bool right)
{
  size_t w = cell_width(s, len), pad = w < width ? width - w : 0;
  if (right)
    lr_buf_fill(out, ' ', pad);
  lr_report_put_escaped(out, s, len, LR_ESC_TEXT_CELL);
  if (!right)
    lr_buf_fill(out, ' ', pad);
}

static void table_text(struct lr_buf *out, const struct table *t)
{
  size_t width[MAX_COLS];
  for (size_t k = 0; k < t->ncols; k++) {
    width[k] = strlen(t->title[k]);
    for (size_t r = 0; r < t->nrows; r++) {
      size_t w = cell_width(t->text.data + t->cell[r][k][0], t->cell[r][k][1]);
      width[k] = w > width[k] ? w : width[k];
    }
    width[k] = width[k] > PAD_MAX ? PAD_MAX : width[k];
  }
  ADD_LIT(out, "|===\n");
  for (size_t k = 0; k < t->ncols; k++) {
    lr_buf_addc(out, '|');
    text_cell(out, t->title[k], strlen(t->title[k]), k + 1 < t->ncols ? width[k] : 0, false);
  }
  lr_buf_addc(out, '\n');
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t k = 0; k < t->ncols; k++) {
      lr_buf_addc(out, '|');
      text_cell(out, t->text.data + t->cell[r][k][0], t->cell[r][k][1],
                k + 1 < t->ncols || t->right[k] ? width[k] : 0, t->right[k]);
    }
    lr_buf_addc(out, '\n');
  }
  ADD_LIT(out, "|===\n");
}

static void table_html(struct lr_buf *out, const struct table *t)
{
  ADD_LIT(out, "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" "
               "style=\"border-collapse:collapse;font-size:13px;margin-bottom:8px\">\n<tr>");
  for (size_t k = 0; k < t->ncols; k++)
    lr_buf_printf(out, "<th align=\"%s\">%s</th>", t->right[k] ? "right" : "left", t->title[k]);
  ADD_LIT(out, "</tr>\n");
  for (size_t r = 0; r < t->nrows; r++) {
    ADD_LIT(out, "<tr>");
    for (size_t k = 0; k < t->ncols; k++) {
      lr_buf_printf(out, "<td align=\"%s\" valign=\"top\">", t->right[k] ? "right" : "left");
      lr_report_put_escaped(out, t->text.data + t->cell[r][k][0], t->cell[r][k][1], LR_ESC_HTML);
      ADD_LIT(out, "</td>");
    }
    ADD_LIT(out, "</tr>\n");
  }
  ADD_LIT(out, "</table>\n");
}

static void table_free(struct table *t)
{
  lr_buf_free(&t->text);
  free(t->cell);
}

/* A table of sums: at most `rows` of them, the rest in one "(N more)" row. */
static void sums_table(struct table *t, const struct sum *s, size_t n, size_t rows,
                       const char *what)
{
  char count[32], more[64];
  uint64_t rest = 0;
  for (size_t i = 0; i < n; i++) {
    if (i >= rows) {
      rest += s[i].n;
      continue;
    }
    snprintf(count, sizeof(count), "%llu", (unsigned long long)s[i].n);
    const char *cells[MAX_COLS] = {name_of(s[i].a), s[i].b ? name_of(s[i].b) : count, count};
    table_row(t, cells);
  }
  if (n > rows) {
    snprintf(more, sizeof(more), "(%zu more %s)", n - rows, what);
    snprintf(count, sizeof(count), "%llu", (unsigned long long)rest);
    const char *cells[MAX_COLS] = {more, t->ncols == 3 ? "" : count, count};
    table_row(t, cells);
  }
}

/* ---- the summary ---- */

struct figures {
  uint64_t entries, bans, emails, sendmail_failed, refused_value, refused_firewall;
  struct sum *hosts, *services, *banned;
  size_t nhosts, nservices, nbanned, naddresses;
};

static void figures_load(struct figures *f, const struct lr_report_count *c, size_t n)
{
  memset(f, 0, sizeof(*f));
  uint64_t t;
  f->nhosts = sums(c, n, LR_COUNT_ENTRIES, false, false, NULL, 0, &f->hosts, &f->entries);
  f->nservices = sums(c, n, LR_COUNT_ENTRIES, true, false, NULL, 0, &f->services, &t);
  f->nbanned = sums(c, n, LR_COUNT_BAN, false, true, NULL, 0, &f->banned, &f->bans);
  struct sum *addresses;
  f->naddresses = sums(c, n, LR_COUNT_BAN, false, false, NULL, 0, &addresses, &t);
  free(addresses);
  f->emails = total_of(c, n, LR_COUNT_EMAIL_SENT);
  f->sendmail_failed = total_of(c, n, LR_COUNT_SENDMAIL_FAILED);
  f->refused_value = total_of(c, n, LR_COUNT_BAN_REFUSED);
  f->refused_firewall = total_of(c, n, LR_COUNT_BAN_FAILED);
}

static void figures_free(struct figures *f)
{
  free(f->hosts);
  free(f->services);
  free(f->banned);
}

static void put_plural(struct lr_buf *out, uint64_t n, const char *one, const char *many)
{
  lr_buf_printf(out, "%llu %s", (unsigned long long)n, n == 1 ? one : many);
}

static void put_entries_line(struct lr_buf *out, const struct figures *f)
{
  ADD_LIT(out, "Entries read: ");
  lr_buf_printf(out, "%llu", (unsigned long long)f->entries);
  if (f->nhosts > 1)
    lr_buf_printf(out, ", from %zu hosts", f->nhosts);
  lr_buf_addc(out, '.');
}

static void put_bans_line(struct lr_buf *out, const struct figures *f)
{
  lr_buf_printf(out, "Bans: %llu", (unsigned long long)f->bans);
  if (!f->nbanned) {
    lr_buf_addc(out, '.');
    return;
  }
  ADD_LIT(out, ", of ");
  put_plural(out, f->naddresses, "address", "addresses");
  if (f->nbanned > BAN_ROWS)
    ADD_LIT(out, "; the most banned");
  lr_buf_addc(out, ':');
}

static void put_emails_line(struct lr_buf *out, const struct figures *f)
{
  lr_buf_printf(out, "Emails sent: %llu.", (unsigned long long)f->emails);
}

static void put_errors_line(struct lr_buf *out, const struct figures *f)
{
  ADD_LIT(out, "Errors of luruse: ");
  if (!f->refused_value && !f->refused_firewall && !f->sendmail_failed) {
    ADD_LIT(out, "none.");
    return;
  }
  const char *sep = "";
  if (f->refused_value) {
    put_plural(out, f->refused_value, "ban refused", "bans refused");
    ADD_LIT(out, " (the value was no address)");
    sep = ", ";
  }
  if (f->refused_firewall) {
    lr_buf_add(out, sep, strlen(sep));
    put_plural(out, f->refused_firewall, "ban the firewall refused", "bans the firewall refused");
    sep = ", ";
  }
  if (f->sendmail_failed) {
    lr_buf_add(out, sep, strlen(sep));
    put_plural(out, f->sendmail_failed, "sendmail run failed", "sendmail runs failed");
  }
  lr_buf_addc(out, '.');
}

static void build_tables(const struct figures *f, struct table *hosts, struct table *services,
                         struct table *banned)
{
  *hosts = (struct table){.ncols = 2, .title = {"Host", "Entries"}, .right = {false, true}};
  *services = (struct table){.ncols = 2, .title = {"Service", "Entries"}, .right = {false, true}};
  *banned = (struct table){.ncols = 3, .title = {"Address", "Jail", "Bans"},
                           .right = {false, false, true}};
  sums_table(hosts, f->hosts, f->nhosts, HOST_ROWS, "hosts");
  sums_table(services, f->services, f->nservices, SERVICE_ROWS, "services");
  sums_table(banned, f->banned, f->nbanned, BAN_ROWS, "addresses");
}

void lr_report_summary_text(struct lr_buf *out, const struct lr_report_count *counts, size_t n)
{
  struct figures f;
  figures_load(&f, counts, n);
  struct table hosts, services, banned;
  build_tables(&f, &hosts, &services, &banned);
  ADD_LIT(out, "== Summary\n\n");
  put_entries_line(out, &f);
  ADD_LIT(out, "\n\n");
  if (hosts.nrows) {
    table_text(out, &hosts);
    lr_buf_addc(out, '\n');
  }
  if (services.nrows) {
    table_text(out, &services);
    lr_buf_addc(out, '\n');
  }
  put_bans_line(out, &f);
  ADD_LIT(out, "\n\n");
  if (banned.nrows) {
    table_text(out, &banned);
    lr_buf_addc(out, '\n');
  }
  put_emails_line(out, &f);
  lr_buf_addc(out, '\n');
  put_errors_line(out, &f);
  lr_buf_addc(out, '\n');
  table_free(&hosts);
  table_free(&services);
  table_free(&banned);
  figures_free(&f);
}

void lr_report_summary_html(struct lr_buf *out, const struct lr_report_count *counts, size_t n)
{
  struct figures f;
  figures_load(&f, counts, n);
  struct table hosts, services, banned;
  build_tables(&f, &hosts, &services, &banned);
  ADD_LIT(out, "<h2>Summary</h2>\n<p>");
  put_entries_line(out, &f);
  ADD_LIT(out, "</p>\n");
  if (hosts.nrows)
    table_html(out, &hosts);
  if (services.nrows)
    table_html(out, &services);
  ADD_LIT(out, "<p>");
  put_bans_line(out, &f);
  ADD_LIT(out, "</p>\n");
  if (banned.nrows)
    table_html(out, &banned);
  ADD_LIT(out, "<p>");
  put_emails_line(out, &f);
  ADD_LIT(out, "<br>");
  put_errors_line(out, &f);
  ADD_LIT(out, "</p>\n");
  table_free(&hosts);
  table_free(&services);
  table_free(&banned);
  figures_free(&f);
}

void lr_report_host_entries(struct lr_buf *out, const struct lr_report_count *counts, size_t n,
                            const char *host, size_t host_len, enum lr_report_esc mode)
{
  struct sum *s;
  uint64_t total;
  size_t m = sums(counts, n, LR_COUNT_ENTRIES, true, false, host ? host : "",
                  host ? host_len : 0, &s, &total);
  lr_buf_printf(out, "Entries read: %llu", (unsigned long long)total);
  for (size_t i = 0; i < m && i < HOST_SERVICES; i++) {
    if (i)
      ADD_LIT(out, ", ");
    else
      ADD_LIT(out, " (");
    const char *name = name_of(s[i].a);
    lr_report_put_escaped(out, name, strlen(name), mode);
    lr_buf_printf(out, " %llu", (unsigned long long)s[i].n);
  }
  if (m > HOST_SERVICES)
    lr_buf_printf(out, ", %zu more", m - HOST_SERVICES);
  if (m)
    lr_buf_addc(out, ')');
  lr_buf_addc(out, '.');
  free(s);
}
