#include "util/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

/* Backtracking budget per match: generous for real log lines, small enough that
 * "^(a+)+$" on a long line fails in milliseconds rather than stalling the daemon. */
#define REGEX_MATCH_LIMIT 1000000u
#define REGEX_DEPTH_LIMIT 10000u
#define REGEX_JIT_STACK_MIN (32 * 1024)
#define REGEX_JIT_STACK_MAX (1024 * 1024)

struct lr_regex {
  pcre2_code *code;
  pcre2_match_data *md;        /* reused by every match: the daemon is single-threaded */
  pcre2_match_context *mctx;
  pcre2_jit_stack *jit_stack;  /* NULL when running on the interpreter */
  bool jit;
  int last_rc;                 /* of the last pcre2_match; groups are valid when > 0 */
  uint32_t capture_count;
  uint32_t name_count;
  uint32_t name_entry_size;
  PCRE2_SPTR name_table;
};

static void regex_msg(char *err, size_t errlen, const char *what)
{
  if (err && errlen)
    snprintf(err, errlen, "%s", what);
}

struct lr_regex *lr_regex_compile(const char *pattern, char *err, size_t errlen)
{
  if (!pattern) {
    regex_msg(err, errlen, "no pattern given");
    return NULL;
  }
  /* UTF+UCP: Python 3 str patterns are Unicode-aware (\w, \d, \s, case folding).
   * MATCH_INVALID_UTF: journal fields are not always valid UTF-8; invalid bytes
   * then simply match nothing instead of failing the whole match.
   * NEVER_BACKSLASH_C: \C could split a character; Python has no such escape. */
  uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;
  int errcode;
  PCRE2_SIZE erroffset;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
                                   &errcode, &erroffset, NULL);
  if (!code) {
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0 && msg[0] == '\0')
      snprintf((char *)msg, sizeof(msg), "PCRE2 error %d", errcode);
    if (err && errlen)
      snprintf(err, errlen, "at offset %zu: %s", (size_t)erroffset, (const char *)msg);
    return NULL;
  }

  struct lr_regex *re = lr_xcalloc(1, sizeof(*re));
  re->code = code;
  re->md = pcre2_match_data_create_from_pattern(code, NULL);
  re->mctx = pcre2_match_context_create(NULL);
  lr_assert(re->md != NULL && re->mctx != NULL);
  pcre2_set_match_limit(re->mctx, REGEX_MATCH_LIMIT);
  pcre2_set_depth_limit(re->mctx, REGEX_DEPTH_LIMIT);

  /* JIT is an optimisation: a platform or build without it still matches,
   * only slower, through the interpreter. */
  if (pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0) {
    re->jit = true;
    /* Without a stack of its own the JIT uses 32K of the machine stack: still
     * bounded, so a failed allocation only makes deep patterns fail sooner. */
    re->jit_stack = pcre2_jit_stack_create(REGEX_JIT_STACK_MIN, REGEX_JIT_STACK_MAX, NULL);
    if (re->jit_stack)
      pcre2_jit_stack_assign(re->mctx, NULL, re->jit_stack);
  }

  uint32_t v = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &v);
  re->capture_count = v;
  pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &re->name_count);
  pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &re->name_entry_size);
  pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &re->name_table);
  re->last_rc = PCRE2_ERROR_NOMATCH;
  return re;
}

void lr_regex_free(struct lr_regex *re)
{
  if (!re)
    return;
  pcre2_match_data_free(re->md);
  pcre2_match_context_free(re->mctx);
  pcre2_jit_stack_free(re->jit_stack);
  pcre2_code_free(re->code);
  free(re);
}

int lr_regex_match(struct lr_regex *re, const char *subject, size_t len)
{
  /* Older PCRE2 refuses a NULL subject even when empty. */
  if (!subject) {
    subject = "";
    len = 0;
  }
  int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, re->md, re->mctx);
  /* rc == 0 means the ovector was too small, impossible with match data made
   * from the pattern; count it as a match anyway. */
  re->last_rc = rc == 0 ? 1 : rc;
  if (rc >= 0)
    return 1;
  if (rc == PCRE2_ERROR_NOMATCH)
    return 0;
  return rc;
}

const char *lr_regex_error(const struct lr_regex *re, int rc, char *buf, size_t buflen)
{
  (void)re;
  if (!buf || buflen == 0)
    return NULL;
  buf[0] = '\0';
  /* On truncation PCRE2 still leaves a NUL-terminated prefix of the message. */
  if (pcre2_get_error_message(rc, (PCRE2_UCHAR *)buf, buflen) < 0 && buf[0] == '\0')
    snprintf(buf, buflen, "PCRE2 error %d", rc);
  return buf;
}

bool lr_regex_group(const struct lr_regex *re, unsigned i, size_t *offset, size_t *len)
{
  if (re->last_rc <= 0 || i > re->capture_count)
    return false;
  /* Groups past the last one set are not reported by pcre2_match's rc. */
  if (i >= (unsigned)re->last_rc)
    return false;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
  PCRE2_SIZE start = ov[2 * i], end = ov[2 * i + 1];
  if (start == PCRE2_UNSET)
    return false;
  if (offset)
    *offset = start;
  if (len)
    /* \K inside a lookahead can leave end before start. */
    *len = end >= start ? end - start : 0;
  return true;
}

unsigned lr_regex_group_count(const struct lr_regex *re) { return re->capture_count; }

unsigned lr_regex_name_count(const struct lr_regex *re) { return re->name_count; }

const char *lr_regex_name(const struct lr_regex *re, unsigned k, unsigned *group)
{
  if (k >= re->name_count)
    return NULL;
  /* 8-bit name table entry: group number in two big-endian bytes, then the
   * NUL-terminated name, padded to name_entry_size. */
  PCRE2_SPTR e = re->name_table + (size_t)k * re->name_entry_size;
  if (group)
    *group = ((unsigned)e[0] << 8) | e[1];
  return (const char *)(e + 2);
}

bool lr_regex_jit(const struct lr_regex *re) { return re->jit; }
