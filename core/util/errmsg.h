/* The one size of an error message. Every function that can fail on bad
 * input takes (char *err, size_t errlen) and, returning -1 or NULL, writes
 * there one line naming where (file:line, the source position or the rule's
 * location) and why. Callers give it a buffer of this size:
 *
 *   char err[LR_ERR_MAX];
 *   if (!lr_regex_compile(pat, err, sizeof(err))) lr_log(LOG_ERR, "%s", err);
 *
 * Messages nest (a rule's error wraps a template's), so the size leaves room
 * for a path, a location and the inner reason. See docs/ARCHITECTURE.md. */
#pragma once

#define LR_ERR_MAX 2048
