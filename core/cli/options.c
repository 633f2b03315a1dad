#define _XOPEN_SOURCE 700 /* strptime */
#include "cli/options.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void lr_opts_begin(void) { optind = 1; }

static const char *option_name(const struct lr_opts *o, int opt, int longidx)
{
  if (longidx >= 0)
    return o->longopts[longidx].name;
  for (const struct option *x = o->longopts; x->name; x++)
    if (!x->flag && x->val == opt)
      return x->name;
  return NULL;
}

static bool takes_option(const struct lr_opts *o, const char *name)
{
  if (!o->takes || !strcmp(name, "help"))
    return true;
  char word[40];
  snprintf(word, sizeof(word), " %s ", name);
  return strstr(o->takes, word) != NULL;
}

int lr_opts_next(const struct lr_opts *o, int argc, char **argv)
{
  int longidx = -1;
  int opt = getopt_long(argc, argv, o->shortopts, o->longopts, &longidx);
  if (opt == -1 || opt == '?' || opt == ':')
    return opt;
  const char *name = option_name(o, opt, longidx);
  if (name && !takes_option(o, name)) {
    fprintf(stderr, "luruse %s: --%s is not an option of this command (luruse %s --help)\n",
            o->command, name, o->command);
    return LR_OPT_REFUSED;
  }
  return opt;
}

int lr_opts_end(int argc, char **argv, const char *who)
{
  if (optind >= argc)
    return 0;
  fprintf(stderr, "%s: unexpected argument '%s'\n", who, argv[optind]);
  return -1;
}

int lr_parse_since(const char *s, int64_t *out)
{
  if (s[0] == '@') {
    char *end;
    long long v = strtoll(s + 1, &end, 10);
    if (*end)
      return -1;
    *out = (int64_t)v * 1000000;
    return 0;
  }
  struct tm tm = {0};
  const char *end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
  if (!end || *end) {
    memset(&tm, 0, sizeof(tm));
    end = strptime(s, "%Y-%m-%d", &tm);
    if (!end || *end)
      return -1;
  }
  tm.tm_isdst = -1;
  *out = (int64_t)mktime(&tm) * 1000000;
  return 0;
}
