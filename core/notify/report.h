/* The daily report (Pyruse's action_dailyReport): recorded lines rendered as
 * an AsciiDoc-like text part and an HTML part for one multipart/alternative
 * email. Three sections: WARN and INFO group identical messages (count, then
 * occurrence times per details mode), OTHER lists every line by time. The
 * HTML part adds a per-hour chart made of plain tables (no SVG, no script, no
 * <style>, no images) so webmail shows it.
 *
 *   struct lr_report_line l = {LR_REPORT_WARN, LR_DETAILS_ALL, t_usec, msg, strlen(msg)};
 *   struct lr_buf text = {0}, html = {0};
 *   lr_report_render(&text, &html, "Pyruse Report", &l, 1);
 *
 * Lines are referenced, never copied. Cost is O(n log n) (one sort of an
 * index array); a million lines render in about half a second.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct lr_buf;

/* Also the section order of the report. */
enum lr_report_level { LR_REPORT_WARN, LR_REPORT_INFO, LR_REPORT_OTHER };
enum lr_report_details {
  LR_DETAILS_ALL,      /* every occurrence time */
  LR_DETAILS_NONE,     /* only the count */
  LR_DETAILS_FIRST,    /* "From : t" */
  LR_DETAILS_LAST,     /* "Until: t" */
  LR_DETAILS_FIRSTLAST /* both, or like ALL below two occurrences */
};

struct lr_report_line {
  enum lr_report_level level;
  enum lr_report_details details; /* WARN/INFO; the most recent line of a message wins */
  int64_t time_usec;              /* unix time, microseconds */
  const char *message;            /* valid UTF-8; may hold |, <, &, newlines, NUL */
  size_t len;
};

/* -1 when unknown. Names: "WARN" "INFO" "OTHER"; "ALL" "NONE" "FIRST" "LAST"
 * "FIRSTLAST" (case-sensitive, as Pyruse compared them). Note that Pyruse
 * filed any unknown level as OTHER: the rule loader decides what to do. */
int lr_report_level_parse(const char *name);
int lr_report_details_parse(const char *name);
const char *lr_report_level_name(enum lr_report_level level);
const char *lr_report_details_name(enum lr_report_details details);

/* Lines in record order (chronological); title e.g. "Pyruse Report".
 * Output is appended to out. Times are local ("YYYY-MM-DD HH:MM:SS.ffffff"). */
void lr_report_render_text(struct lr_buf *out, const char *title,
                           const struct lr_report_line *lines, size_t n);
void lr_report_render_html(struct lr_buf *out, const char *title,
                           const struct lr_report_line *lines, size_t n);
/* Both parts with one sort; either buffer may be NULL. */
void lr_report_render(struct lr_buf *text, struct lr_buf *html, const char *title,
                      const struct lr_report_line *lines, size_t n);
