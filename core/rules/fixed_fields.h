/* `luruse check`'s warning about filters that can never match: a filter_equals,
 * filter_in, filter_pcre or filter_pcreAny on a field that, on every path to
 * it, an earlier step set to a literal, with no step in between that may
 * change that field. The one built-in step that sets a field to a literal is a
 * regex filter whose group always captures one text (util/regex_fixed.h:
 * "^(?<verdict>Failed) password"), on its pass branch. Only certainty warns: a
 * custom (Lua) step or an unknown step type may change any field, a counter's
 * `save`, dnatReplace's `saddrInto`/`sportInto` and a regex group of varying
 * text change theirs to an unknown value, and paths that disagree know nothing.
 *
 *   size_t n = lr_workflow_warn_fixed(wf, rules, stderr);  // from lr_workflow_warn
 */
#pragma once
#include <stddef.h>
#include <stdio.h>

struct lr_workflow;
struct lr_rules;

/* One line on out per such filter (reachable ones only); the number of lines. */
size_t lr_workflow_warn_fixed(const struct lr_workflow *wf, const struct lr_rules *rules,
                              FILE *out);
