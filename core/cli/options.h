/* The commands' option parsing: getopt_long, plus what each command takes.
 *
 *   static const struct option longopts[] = {{"config", required_argument, NULL, 'c'}, ...};
 *   struct lr_opts o = {"restore", longopts, "c:vh", " config verbose "};
 *   lr_opts_begin();
 *   while ((opt = lr_opts_next(&o, argc, argv)) != -1) {
 *     if (opt == LR_OPT_REFUSED) return 1;          // message printed
 *     switch (opt) { case 'c': rules = optarg; break; ... default: usage(stderr); return 1; }
 *   }
 *   if (lr_opts_end(argc, argv, "luruse restore") < 0) { usage(stderr); return 1; }
 *
 * A short option's long name is the table entry whose val is its letter. */
#pragma once
#include <getopt.h>
#include <stdint.h>

struct lr_opts {
  const char *command;           /* "run", named in the messages */
  const struct option *longopts; /* getopt_long's table */
  const char *shortopts;         /* "c:vh" */
  /* NULL: every option of the table; else " name name ... " by long name:
   * another command's option is refused, never silently ignored (help is
   * always taken). */
  const char *takes;
};

/* getopt_long never returns this for an option */
#define LR_OPT_REFUSED (-2)

/* Starts over at argv[1]. */
void lr_opts_begin(void);
/* The next option as getopt_long returns it (optarg set), -1 after the last,
 * '?' for an unknown one (getopt said so), LR_OPT_REFUSED for one the command
 * does not take ("luruse CMD: --NAME is not an option of this command" said). */
int lr_opts_next(const struct lr_opts *o, int argc, char **argv);
/* 0 when no operand follows the options, else -1 with "WHO: unexpected
 * argument 'X'" on stderr. */
int lr_opts_end(int argc, char **argv, const char *who);

/* A --since/--until TIME: 'YYYY-MM-DD[ HH:MM:SS]' local time or @EPOCH, into
 * microseconds since the epoch; -1 when it is neither. */
int lr_parse_since(const char *s, int64_t *out);
