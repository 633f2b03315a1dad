/* The contract between the workflow and one kind of step (filter or action).
 *
 * A step type compiles its Pyruse-style arguments once at rule load into
 * private data; run() is then called per entry and must not allocate except
 * through the entry's arena or the exec's reused buffers.
 *
 *   static const struct lr_step_type equals = {
 *     .name = "filter_equals", .is_filter = true,
 *     .compile = equals_compile, .run = equals_run, .free = free };
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

struct lr_step_type {
  const char *name;
  bool is_filter;
  /* 0 on success; -1 with err set (without the origin: the compiler adds it). */
  int (*compile)(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                 size_t errlen);
  enum lr_verdict (*run)(void *data, struct lr_exec *x);
  void (*free)(void *data);
};

/* Built-in step types by Pyruse name; NULL when unknown. `why` says when a
 * Pyruse step is known but not available in this build. */
const struct lr_step_type *lr_step_type_find(const char *name, const char **why);

/* Argument helpers shared by step types: -1 with err set on a wrong type or a
 * missing required argument. */
int lr_arg_string(const json_t *args, const char *key, bool required, const char **out,
                  char *err, size_t errlen);
int lr_arg_field(const json_t *args, const char *key, bool required, unsigned *out_id,
                 char *err, size_t errlen);
int lr_arg_int(const json_t *args, const char *key, bool required, long long *out,
               char *err, size_t errlen);
