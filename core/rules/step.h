/* The contract between the workflow and one kind of step (filter or action).
 *
 * A step type compiles its Pyruse-style arguments once at rule load into
 * private data; run() is then called per entry and must not allocate except
 * through the entry's arena or the exec's reused buffers.
 *
 *   static const struct lr_arg_decl equals_args[] = {
 *     {"field", LR_ARG_FIELD, true}, {"value", LR_ARG_VALUE, true}, {NULL}};
 *   static const struct lr_step_type equals = {
 *     .name = "filter_equals", .is_filter = true, .args = equals_args,
 *     .compile = equals_compile, .run = equals_run, .free = free };
 *
 * The compiler checks the arguments against the declaration before compile()
 * runs (lr_step_args_check): an undeclared name, a missing required one or a
 * wrong JSON type is a load error, so a misspelt "keepSeconds" can never turn
 * into a counter that does not expire. compile() checks only meanings (ranges,
 * regexes, "one of these two").
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/errmsg.h"

struct lr_entry;
struct lr_settings;
struct lr_dnat_values;
struct lr_services;
struct lr_path;

enum lr_verdict { LR_PASS, LR_FAIL, LR_ERROR };

/* An email, a report line, a ban or a command that a step would have handed to
 * a service that is not there: told to the front-end (rule authors' specs).
 * Texts are valid during the call. */
struct lr_captured {
  const char *action;          /* "action_email" or "action_dailyReport" */
  const char *subject, *level, *details; /* NULL when not applicable */
  const char *message;
  size_t subject_len, message_len;
  /* action_nftBan, action_ipsetBan: the set and canonical address ("/len" for a
   * prefix), seconds (0: permanent); message is the nft statement or ipset arguments */
  const char *set, *ip;
  unsigned seconds;
  /* action_exec: the rendered arguments, argv[0] the program (message is NULL) */
  const char *const *argv;
  const size_t *argv_len;
  size_t argc;
  /* Told only to a front-end that asks for every action (`luruse explain`,
   * x->capture_all): action_log (level, message); action_counterRaise, Reset,
   * Lower (counter, key, count afterwards); action_dnatCapture (mapping: what
   * was stored, or with not_stored what it had); action_dnatReplace (mapping:
   * the one found, NULL when none; the fields set, NULL when not). Each DNAT
   * step that ran is told, so that a step on the path that changed nothing
   * says so. */
  const char *counter, *key;
  size_t key_len;
  long long count;
  const struct lr_dnat_values *mapping;
  const char *saddr_into, *sport_into;
  bool not_stored;
  /* action_jail's: the jail (its ban, or "allowlisted": ip the address spared) */
  const char *jail;
};

/* Per-entry execution context, reused across entries; the engine (engine.h)
 * fills it. */
struct lr_exec {
  struct lr_entry *entry;
  /* The entry's time, as the engine decides it: the entries' clamped clock
   * (entry_clock.h; the entry's own time when its leap is held), or the wall
   * clock for an entry without a timestamp. Counters, mappings and alert
   * windows use it; report lines keep the entry's own time (the report says
   * when each event happened). */
  int64_t now_usec;
  const struct lr_settings *settings; /* the rule file's, swapped with the rules */
  struct lr_services *svc;            /* what outlives reloads; NULL: steps change nothing */
  /* The front-end's wishes. */
  FILE *trace;         /* --trace: each step's verdict, or NULL */
  bool log_to_stderr;  /* `log` actions: stderr instead of the journal */
  struct lr_path *path; /* when set, the workflow records each step's verdict (workflow.h) */
  /* Without a service to do it: told what would have been done (specs). */
  void (*capture)(void *opaque, const struct lr_captured *what);
  void *capture_opaque;
  /* capture is also told of log, counter and DNAT actions; `log` actions then
   * write nothing (neither the journal nor stderr) */
  bool capture_all;
  const char *chain;   /* the running step's chain label and index, for messages */
  unsigned index;
  struct lr_buf scratch; /* rendered templates and such */
  char err[LR_ERR_MAX];  /* why a step returned LR_ERROR */
};

/* What a step may know at compile time: the settings compiled with it and the
 * services it will run with (the same for the ruleset's whole life). */
struct lr_compile_ctx {
  const struct lr_settings *settings;
  struct lr_services *svc; /* NULL: none (`luruse check`) */
  const char *chain;
  unsigned index;
  const char *origin;
  int custom_ref;
  /* Compiles custom (Lua) steps; NULL when the front-end has none. */
  int (*custom_compile)(void *opaque, int ref, bool is_filter, void **data,
                        enum lr_verdict (**run)(void *, struct lr_exec *),
                        void (**free_data)(void *), char *err, size_t errlen);
  void *custom_opaque;
};

/* What an argument may hold, as the compiler checks it. */
enum lr_arg_kind {
  LR_ARG_STRING,   /* a string */
  LR_ARG_FIELD,    /* a field name (a string) */
  LR_ARG_INT,      /* an integer */
  LR_ARG_LIST,     /* an array */
  LR_ARG_VALUE,    /* a string, a number or a boolean (filter_equals' value) */
  LR_ARG_TEXT,     /* a string or an integer (DNAT's plain values) */
};

struct lr_arg_decl {
  const char *name; /* NULL ends a declaration */
  enum lr_arg_kind kind;
  bool required;
};

struct lr_step_type {
  const char *name;
  bool is_filter;
  /* 0 on success; -1 with err set (without the origin: the compiler adds it). */
  int (*compile)(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                 size_t errlen);
  enum lr_verdict (*run)(void *data, struct lr_exec *x);
  void (*free)(void *data);
  const struct lr_arg_decl *args; /* every argument the step takes */
  /* Optional: called once the whole rule file compiled and linked, before it
   * runs; what changes the services (a DNAT index, a counter category) goes
   * here, so that a reload that fails half-way leaves them untouched. */
  void (*activate)(void *data, struct lr_services *svc);
};

/* The one check of a step's arguments against its type's declaration: 0, or
 * -1 with err ("unknown argument 'keeps' (takes: counter, for, ...)"). */
int lr_step_args_check(const struct lr_step_type *t, const json_t *args, char *err,
                       size_t errlen);

/* Built-in step types by Pyruse name; NULL when unknown. `why` says when a
 * Pyruse step is known but not available in this build. */
const struct lr_step_type *lr_step_type_find(const char *name, const char **why);

/* Argument readers shared by step types, for arguments the compiler has
 * checked already (presence and type): -1 with err set when a value is
 * unusable, e.g. a field name that cannot be interned. An absent string is NULL. */
int lr_arg_string(const json_t *args, const char *key, const char **out, char *err,
                  size_t errlen);
/* *out_id = (unsigned)-1 when the argument is absent. */
int lr_arg_field(const json_t *args, const char *key, unsigned *out_id, char *err,
                 size_t errlen);
/* *out is left alone when the argument is absent (it holds the default). */
int lr_arg_int(const json_t *args, const char *key, long long *out, char *err, size_t errlen);
