/* Plain text log lines: reading one line (bounded), and what journald would
 * make of it: its own timestamp when one is recognised, and the syslog header
 * (RFC 3164 or RFC 5424) taken apart.
 *
 *   char buf[LR_LINE_MAX];
 *   size_t len; bool cut;
 *   while (lr_line_read(f, buf, sizeof(buf), &len, &cut) > 0) {
 *     struct lr_line l;
 *     lr_line_parse(buf, len, now_usec, &l);
 *     ... l.time_usec (-1: none), l.msg/l.msg_len, l.ident (NULL: none) ...
 *   }
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LR_LINE_MAX ((size_t)64 << 10) /* longer lines are cut there */

/* One line into buf (at most cap bytes), without its newline nor a CR before
 * it; the rest of a longer line is read and dropped (*cut). Reads byte by byte
 * through stdio, so a line from a pipe is returned as soon as it is complete.
 * 1: a line; 0: end of input; -1: read error (errno). A last line without a
 * newline counts. */
int lr_line_read(FILE *f, char *buf, size_t cap, size_t *len, bool *cut);

struct lr_line {
  int64_t time_usec;    /* the line's own time; -1 when none is recognised */
  const char *msg;      /* MESSAGE: the whole line, or the text after a syslog tag */
  size_t msg_len;
  const char *host;     /* _HOSTNAME from a syslog header; NULL when none */
  size_t host_len;
  const char *ident;    /* SYSLOG_IDENTIFIER; NULL when none */
  size_t ident_len;
  const char *pid;      /* SYSLOG_PID; NULL when none */
  size_t pid_len;
  int priority, facility; /* from <PRI>; -1 when absent */
};

/* Pointers in *out point into line. now_usec gives the year of RFC 3164 times
 * (this year, or the last when that would be more than a day ahead). Times
 * without a zone are local. */
void lr_line_parse(const char *line, size_t len, int64_t now_usec, struct lr_line *out);
