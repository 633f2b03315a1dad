/* The one text a capture group always holds when its pattern matches, when
 * the pattern alone makes that certain (`luruse check` warns of filters that
 * can never match such a field).
 *
 * A group qualifies when it stands at the top level (inside no other group,
 * and the pattern has no `|` outside groups), takes no quantifier, and its body
 * is plain characters or escaped punctuation: "^(?<verdict>Failed) password"
 * gives group 1 = "Failed"; "(Failed|Accepted)", "(?:x(a))", "(a)?", "(\w+)"
 * give nothing. Patterns with what this reading does not follow (inline
 * options such as (?i), \Q...\E, (*VERBS), conditionals, branch resets,
 * comments) give nothing at all.
 *
 *   char *text; size_t len;
 *   int n = lr_regex_fixed_group(pattern, 1, &text, &len);
 *   if (n == (int)lr_regex_group_count(re) && text) ... group 1 is always text ...
 *   free(text);
 */
#pragma once
#include <stddef.h>

/* Returns the number of capture groups counted (numbered from 1 in the order
 * of their opening parentheses, as PCRE2 does), or -1 when the pattern is not
 * followed; *text is then NULL, and also when `group` has no fixed text;
 * otherwise a malloc'd NUL-terminated copy, *len its length. */
int lr_regex_fixed_group(const char *pattern, unsigned group, char **text, size_t *len);
