/* PCRE2 wrapper: Python-style patterns, captures, invalid UTF-8, limits, JIT. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "util/regex.h"

/* Group text of the last match, or NULL when the group did not take part. */
static const char *group_text(struct lr_regex *re, const char *subject, unsigned i,
                              char *buf, size_t buflen)
{
  size_t off, n;
  if (!lr_regex_group(re, i, &off, &n))
    return NULL;
  if (n >= buflen)
    n = buflen - 1;
  memcpy(buf, subject + off, n);
  buf[n] = '\0';
  return buf;
}

#define UNSET "(unset)"

struct match_case {
  const char *pattern;
  const char *subject;
  size_t len;            /* 0: strlen(subject) */
  int rc;                /* expected lr_regex_match result */
  const char *groups[4]; /* expected text of groups 0..3, UNSET, or NULL: not checked */
};

static const struct match_case match_cases[] = {
  /* search, not anchored */
  {"b+", "aaabbbccc", 0, 1, {"bbb"}},
  {"^b+", "aaabbbccc", 0, 0, {NULL}},
  {"c$", "aaabbbccc", 0, 1, {"c"}},
  {"x", "aaabbbccc", 0, 0, {NULL}},
  /* numbered captures */
  {"from (\\S+) port (\\d+)", "Failed password for root from 1.2.3.4 port 22 ssh2", 0, 1,
   {"from 1.2.3.4 port 22", "1.2.3.4", "22"}},
  /* named captures, both syntaxes */
  {"user (?P<user>\\w+) from (?<ip>\\S+)", "invalid user bob from ::1", 0, 1,
   {"user bob from ::1", "bob", "::1"}},
  {"(?'word'\\w+)", "  hi", 0, 1, {"hi", "hi"}},
  /* Python's named backreference */
  {"(?P<w>\\w+) (?P=w)", "say hello hello", 0, 1, {"hello hello", "hello"}},
  {"^(?P<w>\\w+) (?P=w)$", "hello world", 0, 0, {NULL}},
  {"(?<w>\\w+) \\k<w>", "bye bye", 0, 1, {"bye bye", "bye"}},
  /* unset optional groups */
  {"a(b)?c", "ac", 0, 1, {"ac", UNSET}},
  {"a(b)?c", "abc", 0, 1, {"abc", "b"}},
  {"(a)|(b)", "b", 0, 1, {"b", UNSET, "b"}},
  {"(a)|(b)(x)?", "a", 0, 1, {"a", "a", UNSET, UNSET}},
  /* Unicode classes, as in Python 3 str patterns */
  {"^\\w+$", "\xc3\xa9t\xc3\xa9", 0, 1, {"\xc3\xa9t\xc3\xa9"}},
  {"^\\w+$", "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", 0, 1, {NULL}},
  {"^\\d$", "\xd9\xa3", 0, 1, {NULL}},                 /* U+0663 ARABIC-INDIC THREE */
  {"^a\\sb$", "a\xc2\xa0" "b", 0, 1, {NULL}},          /* U+00A0 NO-BREAK SPACE */
  {"^.$", "\xe2\x82\xac", 0, 1, {"\xe2\x82\xac"}},      /* one character, three bytes */
  {"(?i)^\xc3\x89T\xc3\x89$", "\xc3\xa9t\xc3\xa9", 0, 1, {NULL}},
  /* subjects that are not UTF-8 (Latin-1 bytes) still match, around the bad bytes */
  {"from (\\S+)", "user \xe9t\xe9 from 1.2.3.4", 0, 1, {"from 1.2.3.4", "1.2.3.4"}},
  {"\\w+", "\xe9t\xe9", 0, 1, {"t"}},
  {"^caf.$", "caf\xe9", 0, 0, {NULL}},                 /* a bad byte matches nothing */
  {"x", "\xff\xfe\xfd", 0, 0, {NULL}},
  /* NUL bytes inside the subject */
  {"b(c)", "a\0bc", 4, 1, {"bc", "c"}},
  {"a\\x00b", "xa\0b", 4, 1, {NULL}},
  {"c$", "ab\0c", 4, 1, {"c"}},
  {"^ab$", "ab\0c", 4, 0, {NULL}},
};

static void test_matches(void)
{
  for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
    const struct match_case *c = &match_cases[i];
    char err[256];
    struct lr_regex *re = lr_regex_compile(c->pattern, err, sizeof(err));
    if (!re) {
      fprintf(stderr, "/%s/: %s\n", c->pattern, err);
      CHECK(re != NULL);
      continue;
    }
    size_t len = c->len ? c->len : strlen(c->subject);
    int rc = lr_regex_match(re, c->subject, len);
    if (rc != c->rc)
      fprintf(stderr, "case %zu /%s/\n", i, c->pattern);
    CHECK_INT(rc, c->rc);
    for (unsigned g = 0; rc == 1 && g < 4; g++) {
      if (!c->groups[g])
        continue;
      char buf[128];
      const char *got = group_text(re, c->subject, g, buf, sizeof(buf));
      CHECK_STR(got ? got : UNSET, c->groups[g]);
    }
    /* after a failed match, no group is reported */
    if (rc == 0)
      CHECK(!lr_regex_group(re, 0, NULL, NULL));
    lr_regex_free(re);
  }
}

static void test_groups_and_names(void)
{
  char err[256];
  struct lr_regex *re = lr_regex_compile("(?P<user>\\w+)@(?<host>[\\w.]+)(:(\\d+))?", err,
                                         sizeof(err));
  REQUIRE(re != NULL);
  CHECK_INT(lr_regex_group_count(re), 4);
  CHECK_INT(lr_regex_name_count(re), 2);
  /* PCRE2 keeps the name table sorted by name */
  unsigned g = 99;
  CHECK_STR(lr_regex_name(re, 0, &g), "host");
  CHECK_INT(g, 2);
  CHECK_STR(lr_regex_name(re, 1, &g), "user");
  CHECK_INT(g, 1);
  CHECK(lr_regex_name(re, 2, &g) == NULL);

  /* before any match */
  CHECK(!lr_regex_group(re, 0, NULL, NULL));

  const char *s = "mail to bob@example.org now";
  CHECK_INT(lr_regex_match(re, s, strlen(s)), 1);
  size_t off = 0, n = 0;
  CHECK(lr_regex_group(re, 1, &off, &n));
  CHECK_INT(off, 8);
  CHECK_INT(n, 3);
  CHECK(!lr_regex_group(re, 3, &off, &n));
  CHECK(!lr_regex_group(re, 4, &off, &n));
  CHECK(!lr_regex_group(re, 5, &off, &n)); /* past the last group */

  /* match data is reused: a second match replaces the first one's groups */
  s = "x@y:25";
  CHECK_INT(lr_regex_match(re, s, strlen(s)), 1);
  CHECK(lr_regex_group(re, 4, &off, &n));
  CHECK_INT(off, 4);
  CHECK_INT(n, 2);
  CHECK_INT(lr_regex_match(re, "nothing", 7), 0);
  CHECK(!lr_regex_group(re, 1, &off, &n));
  lr_regex_free(re);

  re = lr_regex_compile("plain", err, sizeof(err));
  REQUIRE(re != NULL);
  CHECK_INT(lr_regex_group_count(re), 0);
  CHECK_INT(lr_regex_name_count(re), 0);
  CHECK(lr_regex_name(re, 0, NULL) == NULL);
  /* empty subject, NULL included */
  CHECK_INT(lr_regex_match(re, "", 0), 0);
  CHECK_INT(lr_regex_match(re, NULL, 0), 0);
  lr_regex_free(re);
  lr_regex_free(NULL);
}

struct bad_case {
  const char *pattern;
  const char *prefix; /* expected start of the message */
};

static const struct bad_case bad_cases[] = {
  {"abc(def", "at offset 7: "},
  {"a)b", "at offset 1: "},
  {"x{2,1}", "at offset 5: "},
  {"[z-a]", "at offset 3: "},
  {"(?P<1a>x)", "at offset 4: "},
  {"(?P=nope)", "at offset "},
  {"a\\Cb", "at offset "},      /* \C is refused: it could split a character */
  {"\xff", "at offset 0: "},    /* the pattern itself must be UTF-8 */
};

static void test_compile_errors(void)
{
  for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
    const struct bad_case *c = &bad_cases[i];
    char err[256] = "";
    struct lr_regex *re = lr_regex_compile(c->pattern, err, sizeof(err));
    CHECK(re == NULL);
    lr_regex_free(re);
    if (strncmp(err, c->prefix, strlen(c->prefix)) != 0)
      fprintf(stderr, "/%s/: \"%s\"\n", c->pattern, err);
    CHECK(strncmp(err, c->prefix, strlen(c->prefix)) == 0);
    CHECK(strlen(err) > strlen(c->prefix)); /* and a message follows */
  }
  char err[256] = "";
  CHECK(lr_regex_compile("abc(def", err, sizeof(err)) == NULL);
  CHECK_STR(err, "at offset 7: missing closing parenthesis");
  /* a NULL or tiny error buffer is tolerated */
  CHECK(lr_regex_compile("(", NULL, 0) == NULL);
  char tiny[4];
  CHECK(lr_regex_compile("(", tiny, sizeof(tiny)) == NULL);
  CHECK_STR(tiny, "at ");
}

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct hostile_case {
  const char *pattern;
  char fill;
  size_t n;
  const char *tail;
  const char *easy; /* a short subject the same regex matches afterwards */
};

static const struct hostile_case hostile_cases[] = {
  {"^(a+)+$", 'a', 30000, "b", "aaa"},
  {"^(a|aa)+$", 'a', 30000, "b", "aaa"},
  {"^(\\w+\\s?)*$", 'a', 30000, "!", "ab cd"},
  {"^(([a-z])+.)+[A-Z]([a-z])+$", 'a', 30000, "!", "abcDef"},
};

static void test_catastrophic(void)
{
  for (size_t i = 0; i < sizeof(hostile_cases) / sizeof(hostile_cases[0]); i++) {
    const struct hostile_case *c = &hostile_cases[i];
    char err[256];
    struct lr_regex *re = lr_regex_compile(c->pattern, err, sizeof(err));
    CHECK(re != NULL);
    if (!re)
      continue;
    size_t tl = strlen(c->tail), len = c->n + tl;
    char *s = malloc(len);
    memset(s, c->fill, c->n);
    memcpy(s + c->n, c->tail, tl);
    double t0 = now();
    int rc = lr_regex_match(re, s, len);
    double dt = now() - t0;
    char why[128];
    printf("/%s/ on %zu chars: rc %d (%s) in %.3fs\n", c->pattern, len, rc,
           rc < 0 ? lr_regex_error(re, rc, why, sizeof(why)) : "no error", dt);
    CHECK(rc < 0);
    CHECK(dt < 5.0); /* generous: sanitizers slow everything down */
    if (rc < 0) {
      const char *msg = lr_regex_error(re, rc, why, sizeof(why));
      CHECK(msg != NULL && strlen(msg) > 0);
      CHECK(!lr_regex_group(re, 0, NULL, NULL));
    }
    /* the regex still works after an error */
    CHECK_INT(lr_regex_match(re, c->easy, strlen(c->easy)), 1);
    free(s);
    lr_regex_free(re);
  }
}

/* The limits must not get in the way of ordinary patterns on long lines. */
static void test_long_lines(void)
{
  size_t n = 200000;
  char *s = malloc(n + 32);
  for (size_t i = 0; i < n; i++)
    s[i] = (i % 7 == 6) ? ' ' : (char)('a' + i % 5);
  size_t len = n + (size_t)sprintf(s + n, " from 198.51.100.7");
  char err[256];
  const char *patterns[] = {"from (\\S+)$", "^.*from (\\S+)", "^(?:\\w+ )+from (\\S+)$",
                            "^[a-e ]*from (\\S+)$"};
  for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
    struct lr_regex *re = lr_regex_compile(patterns[i], err, sizeof(err));
    REQUIRE(re != NULL);
    int rc = lr_regex_match(re, s, len);
    if (rc != 1) {
      char why[128];
      fprintf(stderr, "/%s/ on a long line: %d %s\n", patterns[i], rc,
              rc < 0 ? lr_regex_error(re, rc, why, sizeof(why)) : "");
    }
    CHECK_INT(rc, 1);
    char buf[64];
    CHECK_STR(group_text(re, s, 1, buf, sizeof(buf)), "198.51.100.7");
    lr_regex_free(re);
  }
  free(s);
}

static void test_errors_and_jit(void)
{
  char err[256], why[128];
  struct lr_regex *re = lr_regex_compile("a", err, sizeof(err));
  REQUIRE(re != NULL);
  CHECK_STR(lr_regex_error(re, PCRE2_ERROR_MATCHLIMIT, why, sizeof(why)),
            "match limit exceeded");
  CHECK(strlen(lr_regex_error(re, -12345, why, sizeof(why))) > 0);

  uint32_t jit_built = 0;
  pcre2_config(PCRE2_CONFIG_JIT, &jit_built);
  if (jit_built) {
    CHECK(lr_regex_jit(re));
  } else {
    printf("pending: PCRE2 built without JIT, lr_regex_jit() not checked\n");
    CHECK(!lr_regex_jit(re));
  }
  lr_regex_free(re);
}

int main(void)
{
  test_matches();
  test_groups_and_names();
  test_compile_errors();
  test_catastrophic();
  test_long_lines();
  test_errors_and_jit();
  return check_done();
}
