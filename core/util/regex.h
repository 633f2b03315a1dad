/* PCRE2 regexes for rules: JIT when available (interpreter otherwise), match and
 * depth limits so a hostile line cannot stall the daemon, one match_data reused
 * per regex (the daemon is single-threaded).
 *
 * Named groups in both (?<n>...) and Python's (?P<n>...) forms are accepted.
 *
 *   struct lr_regex *re = lr_regex_compile("from (?P<ip>\\S+)", err, sizeof(err));
 *   int rc = lr_regex_match(re, subject, len);   // 1 match, 0 none, <0 error
 *   size_t off, n; if (lr_regex_group(re, 1, &off, &n)) ...
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct lr_regex;

struct lr_regex *lr_regex_compile(const char *pattern, char *err, size_t errlen);
void lr_regex_free(struct lr_regex *re);
/* Searches anywhere in the subject, like Python's re.search. On error (match limit,
 * and such), returns <0 and lr_regex_error() tells why. */
int lr_regex_match(struct lr_regex *re, const char *subject, size_t len);
const char *lr_regex_error(const struct lr_regex *re, int rc, char *buf, size_t buflen);
/* Group i of the last match (0 = whole match); false when the group did not take part. */
bool lr_regex_group(const struct lr_regex *re, unsigned i, size_t *offset, size_t *len);
unsigned lr_regex_group_count(const struct lr_regex *re);
/* Named groups: count, and name/number of the k-th. */
unsigned lr_regex_name_count(const struct lr_regex *re);
const char *lr_regex_name(const struct lr_regex *re, unsigned k, unsigned *group);
bool lr_regex_jit(const struct lr_regex *re);
