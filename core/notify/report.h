/* The daily report (Pyruse's action_dailyReport): recorded lines and the
 * day's figures rendered as an AsciiDoc-like text part and an HTML part for
 * one multipart/alternative email (the layout: docs/report.md).
 *
 *   - a summary: the period, entries read per host and per service, bans
 *     (count, the most banned addresses with their jail), emails sent, and
 *     luruse's own errors (bans refused, sendmail failures);
 *   - Pyruse's three sections, once per host when the lines or the entries
 *     come from several (_HOSTNAME): WARN and INFO group identical messages
 *     (count, then occurrence times per details mode); OTHER folds lines that
 *     differ only in numbers, addresses, ids and path tails (report_fold.h)
 *     into one row with a count and the first and last time, at most
 *     other_rows rows (the most frequent), then how many were left out.
 * The HTML part adds a per-hour chart made of plain tables (no SVG, no
 * script, no <style>, no images) so webmail shows it.
 *
 *   struct lr_report_line l = {LR_REPORT_WARN, LR_DETAILS_ALL, t_usec, msg, strlen(msg)};
 *   struct lr_buf text = {0}, html = {0};
 *   struct lr_report_options o = {.title = "luruse Report"};
 *   lr_report_render(&text, &html, &o, &l, 1);
 *
 * Lines are referenced, never copied. Cost is O(n log n) (one sort of an
 * index array, after the folding keys of OTHER lines).
 */
#pragma once
#include <stdbool.h>
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
  const char *host;               /* the entry's _HOSTNAME, valid UTF-8; NULL or "": none */
  size_t host_len;
};

/* What the summary counts over the report's period (notify/report_tally.h
 * counts them, notify/report_tally_store.h keeps them). */
enum lr_report_count_kind {
  LR_COUNT_ENTRIES,         /* a: _HOSTNAME, b: SYSLOG_IDENTIFIER, else _SYSTEMD_UNIT */
  LR_COUNT_BAN,             /* a: the address, b: the jail (a ban step: its set) */
  LR_COUNT_BAN_REFUSED,     /* a: the jail or step type: a value that is no address */
  LR_COUNT_BAN_FAILED,      /* a: the set: the firewall refused the ban */
  LR_COUNT_EMAIL_SENT,      /* sendmail accepted an email */
  LR_COUNT_SENDMAIL_FAILED, /* a sendmail run failed (the email is retried) */
  LR_COUNT_KINDS
};

/* a and b are NUL-terminated, valid UTF-8; both "" in the row that sums up
 * the keys beyond the per-day bound (shown as "(others)"). */
struct lr_report_count {
  enum lr_report_count_kind kind;
  const char *a, *b;
  uint64_t n;
  int64_t first_usec, last_usec;
};

/* -1 when unknown. Names: "WARN" "INFO" "OTHER"; "ALL" "NONE" "FIRST" "LAST"
 * "FIRSTLAST" (case-sensitive, as Pyruse compared them). Note that Pyruse
 * filed any unknown level as OTHER: the rule loader decides what to do. */
int lr_report_level_parse(const char *name);
int lr_report_details_parse(const char *name);
const char *lr_report_level_name(enum lr_report_level level);
const char *lr_report_details_name(enum lr_report_details details);

#define LR_REPORT_DEFAULT_ROWS 200 /* OTHER rows per section */
#define LR_REPORT_MAX_ROWS 100000
#define LR_REPORT_TIME_FORMAT "%Y-%m-%d %H:%M:%S"

struct lr_report_options {
  const char *title;       /* "= title"; NULL: "" */
  size_t other_rows;       /* OTHER rows per section at most; 0: LR_REPORT_DEFAULT_ROWS */
  const char *time_format; /* strftime, plus %f: microseconds; NULL: LR_REPORT_TIME_FORMAT */
  bool summary;            /* the summary section, from counts */
  const struct lr_report_count *counts;
  size_t ncounts;
};

/* 0 when a report can use fmt (strftime with %f), else -1 and why. */
int lr_report_time_format_check(const char *fmt, char *why, size_t whylen);

/* Lines in record order (chronological). Output is appended; either buffer
 * may be NULL. Times are local. */
void lr_report_render(struct lr_buf *text, struct lr_buf *html, const struct lr_report_options *o,
                      const struct lr_report_line *lines, size_t n);
/* The same with only a title: no summary, default rows and times. */
void lr_report_render_text(struct lr_buf *out, const char *title,
                           const struct lr_report_line *lines, size_t n);
void lr_report_render_html(struct lr_buf *out, const char *title,
                           const struct lr_report_line *lines, size_t n);
