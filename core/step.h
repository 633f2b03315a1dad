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

#include "buf.h"

struct lr_entry;
struct lr_runtime;

enum lr_verdict { LR_PASS, LR_FAIL, LR_ERROR };

/* Per-entry execution context, reused across entries. */
struct lr_exec {
  struct lr_entry *entry;
  struct lr_runtime *rt;
  const char *chain;   /* the running step's chain label and index, for messages */
  unsigned index;
  struct lr_buf scratch; /* rendered templates and such */
  char err[512];         /* why a step returned LR_ERROR */
};

/* What a step may know at compile time. */
struct lr_compile_ctx {
  struct lr_runtime *rt;
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
