/* lr_regex_fixed_group: groups that always hold one text, and what is not
 * followed; each fixed text is checked against PCRE2's own match. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/regex.h"
#include "util/regex_fixed.h"

struct fixed_case {
  const char *pattern;
  unsigned group;
  int groups;          /* expected return: groups counted, or -1 */
  const char *text;    /* expected fixed text, NULL: none */
  const char *subject; /* with a text: a subject the pattern matches */
};

static const struct fixed_case cases[] = {
  /* fixed: top level, unquantified, plain */
  {"^(?<verdict>Failed) password for (?<user>\\S+)", 1, 2, "Failed", "Failed password for x"},
  {"^(?<verdict>Failed) password for (?<user>\\S+)", 2, 2, NULL, NULL},
  {"port \\d+ (?P<proto>ssh2)$", 1, 1, "ssh2", "port 22 ssh2"},
  {"(?'k'a b)", 1, 1, "a b", "xa by"},
  {"(x)(y\\.z\\-)", 2, 2, "y.z-", "xy.z-"},
  {"[(]+(a)[^)\\]]", 1, 1, "a", "((ab"},
  {"[[:alpha:](]x(b)", 1, 1, "b", "(xb"},
  {"(?:\\()(c)", 1, 1, "c", "(c"},
  {"()", 1, 1, "", "anything"},
  {"(?=.)(d)", 1, 1, "d", "d"},
  {"(\xc3\xa9t\xc3\xa9)", 1, 1, "\xc3\xa9t\xc3\xa9", "un \xc3\xa9t\xc3\xa9"},
  /* not fixed: the group may not take part, or its text varies */
  {"(Failed|Accepted)", 1, 1, NULL, NULL},
  {"(a)|b", 1, 1, NULL, NULL},
  {"(a)?b", 1, 1, NULL, NULL},
  {"(a)*", 1, 1, NULL, NULL},
  {"(a)+", 1, 1, NULL, NULL},
  {"(a){2}", 1, 1, NULL, NULL},
  {"(?:x(a))", 1, 1, NULL, NULL},
  {"(?:(a)|b)", 1, 1, NULL, NULL},
  {"((a))", 2, 2, NULL, NULL},
  {"(\\w+)", 1, 1, NULL, NULL},
  {"(a.b)", 1, 1, NULL, NULL},
  {"(\\x41)", 1, 1, NULL, NULL},
  {"(a\\ b)", 1, 1, NULL, NULL},
  {"(a[bc])", 1, 1, NULL, NULL},
  {"x(a)", 2, 1, NULL, NULL},
  /* not followed at all */
  {"(?i)(Failed)", 1, -1, NULL, NULL},
  {"(?x)(a b)", 1, -1, NULL, NULL},
  {"(*UTF)(a)", 1, -1, NULL, NULL},
  {"(?|(a)|(b))", 1, -1, NULL, NULL},
  {"(?#note)(a)", 1, -1, NULL, NULL},
  {"\\Q(\\E(a)", 1, -1, NULL, NULL},
  {"(?(1)a|b)(a)", 1, -1, NULL, NULL},
  {"(?P=n)(a)", 1, -1, NULL, NULL},
  {"(a", 1, -1, NULL, NULL},
  {"a)", 1, -1, NULL, NULL},
  {"[a", 1, -1, NULL, NULL},
};

int main(void)
{
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct fixed_case *c = &cases[i];
    char *text = (char *)"untouched";
    size_t len = 99;
    int n = lr_regex_fixed_group(c->pattern, c->group, &text, &len);
    if (n != c->groups || (c->text ? !text || strcmp(text, c->text) != 0 : text != NULL))
      fprintf(stderr, "case %zu: /%s/ group %u\n", i, c->pattern, c->group);
    CHECK_INT(n, c->groups);
    if (c->text) {
      CHECK_STR(text, c->text);
      CHECK_INT(len, strlen(c->text));
      char err[256];
      struct lr_regex *re = lr_regex_compile(c->pattern, err, sizeof(err));
      REQUIRE(re != NULL);
      CHECK_INT(lr_regex_group_count(re), c->groups);
      size_t off, glen;
      REQUIRE(lr_regex_match(re, c->subject, strlen(c->subject)) == 1);
      REQUIRE(lr_regex_group(re, c->group, &off, &glen));
      CHECK(glen == len && memcmp(c->subject + off, text, len) == 0);
      lr_regex_free(re);
    } else {
      CHECK(text == NULL);
    }
    free(text);
  }
  return check_done();
}
