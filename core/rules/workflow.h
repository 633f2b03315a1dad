/* The compiled workflow: every step of every chain, linked by Pyruse's rules
 * into one graph that each entry walks from the first step.
 *
 *   struct lr_workflow *wf = lr_workflow_build(rules, &cc_template, err, sizeof(err));
 *   lr_workflow_run(wf, &exec);          // per entry (exec.path: record the steps)
 *   lr_workflow_print(wf, stdout);       // `luruse check`
 */
#pragma once
#include <stdint.h>
#include <stdio.h>

#include "rules/step.h"

struct lr_rules;

/* One compiled step: what it does, where it comes from, how often it ran. */
struct lr_step {
  const struct lr_step_type *type; /* NULL for custom steps */
  bool is_filter;
  const char *chain;
  unsigned index;
  const char *origin;
  void *data;
  enum lr_verdict (*run)(void *data, struct lr_exec *x);
  void (*free_data)(void *data);
  uint64_t hits;   /* entries that reached the step */
  uint64_t passes; /* filters: entries that passed */
  uint64_t errors;
};

/* A place in the graph. Pyruse links a jump chain anew for each chain that
 * jumps to it while it has loose ends, so one step can stand at several nodes. */
struct lr_node {
  struct lr_step *step;
  struct lr_node *on_pass; /* NULL: processing of the entry ends */
  struct lr_node *on_fail; /* filters only */
};

struct lr_workflow {
  struct lr_step *steps;
  size_t nsteps;
  struct lr_node *nodes;
  size_t nnodes;
  struct lr_node *first;
  char **labels; /* chain labels the steps point into */
  size_t nlabels;
};

struct lr_workflow *lr_workflow_build(const struct lr_rules *rules,
                                      const struct lr_compile_ctx *ctx_template, char *err,
                                      size_t errlen);
void lr_workflow_free(struct lr_workflow *wf);
/* Untrusted log text on one trace line: control and non-ASCII bytes as \xNN, a
 * backslash as \\; with `quoted`, in quotes (a quote as \") when it has a space
 * or a quote or is empty; cut after `max` bytes, then "...". */
void lr_trace_text(FILE *out, const char *s, size_t len, size_t max, bool quoted);

void lr_workflow_run(struct lr_workflow *wf, struct lr_exec *x);

/* The steps one entry went through, recorded by lr_workflow_run when x->path
 * is set (wf:run's path, `--trace` reads the same lines); reused across
 * entries, so recording allocates only while it grows.
 *
 *   struct lr_path p = {0}; x.path = &p; lr_path_clear(&p); lr_workflow_run(wf, &x);
 *   for (size_t i = 0; i < p.n; i++) { lr_buf_clear(&line); lr_path_format(&p, i, &line); }
 */
struct lr_path_step {
  const struct lr_step *step;
  enum lr_verdict verdict;
  size_t err_offset, err_len; /* LR_ERROR: the error's first line, in errors */
};
struct lr_path {
  struct lr_path_step *steps;
  size_t n, cap;
  struct lr_buf errors;
};
void lr_path_clear(struct lr_path *p);
void lr_path_free(struct lr_path *p);
/* Appends step i as a line: "chain[i] type: pass" (fail, done, error: why). */
void lr_path_format(const struct lr_path *p, size_t i, struct lr_buf *out);
void lr_workflow_print(const struct lr_workflow *wf, FILE *out);
void lr_workflow_print_stats(const struct lr_workflow *wf, FILE *out);
/* `luruse check`'s warnings: one line on out per chain that no entry can reach
 * (e.g. declared after a chain that takes every entry), and per step of a
 * reachable chain that none reaches (after an explicit `then`, or an action
 * whose chain ends earlier), per reachable regex filter on an integer field
 * (PRIORITY, _PID...: a number there is an error, never a match), and per
 * filter that can never match a field set to a literal on every path to it
 * (fixed_fields.h); rules is what wf was built from. Returns the number of
 * warnings. */
size_t lr_workflow_warn(const struct lr_workflow *wf, const struct lr_rules *rules, FILE *out);

/* Linking alone, on chain shapes (for the linker's unit tests and the compiler). */
struct lr_link_step {
  bool is_filter;
  const char *then_label, *else_label;
};
struct lr_link_chain {
  const char *label;
  const struct lr_link_step *steps;
  size_t nsteps;
};
/* One linked node: chain c, step s; pass/fail are node indexes or -1 (end). */
struct lr_link_node {
  unsigned chain, step;
  int on_pass, on_fail;
};
/* Returns the number of nodes (node 0 is the first step, when any), or -1 with
 * err naming the chain and step at fault (unknown label, loop). *nodes is malloc'd. */
int lr_link(const struct lr_link_chain *chains, size_t nchains, struct lr_link_node **nodes,
            char *err, size_t errlen);
/* The same, also telling which step is at fault (*fault_chain = -1 when none is). */
int lr_link_located(const struct lr_link_chain *chains, size_t nchains,
                    struct lr_link_node **nodes, char *err, size_t errlen, int *fault_chain,
                    int *fault_step);
