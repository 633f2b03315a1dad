/* Pyruse's chain linking, kept exactly (see pyruse-semantics.md):
 * - chains are taken in file order; each one not yet built is a "main" chain
 *   whose loose ends (filters' default else, a last filter's then) are tied to
 *   the first step of the next main chain;
 * - an explicit then/else builds the target chain on the spot (a "jump chain")
 *   unless it is already built with no loose ends; a jump chain's loose ends
 *   join those of the chain that jumped to it, so a jump chain with loose ends
 *   is built anew for each use;
 * - an explicit then ends the chain; an action last in its chain ends processing.
 * Loops and unknown labels are load errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "rules/workflow.h"
#include "util/xalloc.h"

enum { NOT_SEEN = -2, SEEN_WITH_LOOSE_ENDS = -1 };

struct loose_end {
  int node;
  bool on_fail;
};

struct loose_ends {
  struct loose_end *v;
  size_t n, cap;
};

struct linker {
  const struct lr_link_chain *chains;
  size_t nchains;
  struct lr_link_node *nodes;
  size_t nnodes, cap;
  int *seen;
  bool *building;
  char *err;
  size_t errlen;
  int fault_chain, fault_step;
};

static void loose_add(struct loose_ends *l, int node, bool on_fail)
{
  LR_GROW(l->v, l->n + 1, l->cap, 16);
  l->v[l->n++] = (struct loose_end){node, on_fail};
}

static void tie(struct linker *k, int node, bool on_fail, int target)
{
  if (on_fail)
    k->nodes[node].on_fail = target;
  else
    k->nodes[node].on_pass = target;
}

static int chain_index(const struct linker *k, const char *label)
{
  for (size_t i = 0; i < k->nchains; i++)
    if (strcmp(k->chains[i].label, label) == 0)
      return (int)i;
  return -1;
}

static int new_node(struct linker *k, unsigned chain, unsigned step)
{
  LR_GROW(k->nodes, k->nnodes + 1, k->cap, 64);
  k->nodes[k->nnodes] = (struct lr_link_node){chain, step, -1, -1};
  return (int)k->nnodes++;
}

static int build_chain(struct linker *k, int chain, struct loose_ends *loose);

/* An explicit jump from (node, on_fail) to the chain called label. */
static int branch(struct linker *k, int node, bool on_fail, const char *label, unsigned from_chain,
                  unsigned from_step, struct loose_ends *loose)
{
  int target = chain_index(k, label);
  if (target < 0) {
    snprintf(k->err, k->errlen, "chain '%s' step %u: jump to unknown chain '%s'",
             k->chains[from_chain].label, from_step, label);
    k->fault_chain = (int)from_chain;
    k->fault_step = (int)from_step;
    return -1;
  }
  if (k->seen[target] >= 0) {
    tie(k, node, on_fail, k->seen[target]);
    return 0;
  }
  if (k->building[target]) {
    snprintf(k->err, k->errlen, "chain '%s' step %u: jump to '%s' makes a loop",
             k->chains[from_chain].label, from_step, label);
    k->fault_chain = (int)from_chain;
    k->fault_step = (int)from_step;
    return -1;
  }
  int entry = build_chain(k, target, loose);
  if (entry == -1)
    return -1;
  tie(k, node, on_fail, entry);
  return 0;
}

/* Builds one chain; its loose ends (and those of the jump chains it built)
 * are appended to `loose`. Returns its entry node, or -1 on error. */
static int build_chain(struct linker *k, int chain, struct loose_ends *loose)
{
  const struct lr_link_chain *c = &k->chains[chain];
  size_t loose_before = loose->n;
  int first = -1, previous = -1;
  bool previous_loose = false;
  k->building[chain] = true;
  for (unsigned i = 0; i < c->nsteps; i++) {
    const struct lr_link_step *s = &c->steps[i];
    int node = new_node(k, (unsigned)chain, i);
    if (previous >= 0)
      k->nodes[previous].on_pass = node;
    else
      first = node;
    if (s->then_label && branch(k, node, false, s->then_label, (unsigned)chain, i, loose) < 0)
      return -1;
    if (s->is_filter) {
      if (s->else_label) {
        if (branch(k, node, true, s->else_label, (unsigned)chain, i, loose) < 0)
          return -1;
      } else {
        loose_add(loose, node, true);
      }
    }
    previous = node;
    previous_loose = s->is_filter && !s->then_label;
    if (s->then_label)
      break; /* steps after an explicit then are never reached */
  }
  if (previous_loose)
    loose_add(loose, previous, false);
  k->building[chain] = false;
  k->seen[chain] = loose->n == loose_before ? first : SEEN_WITH_LOOSE_ENDS;
  return first;
}

/* Pyruse also checks the finished graph; a cycle means an entry would never leave. */
static int find_cycle(struct linker *k)
{
  enum { WHITE, GREY, BLACK };
  unsigned char *color = lr_xcalloc(k->nnodes ? k->nnodes : 1, 1);
  int *stack = lr_xcalloc(k->nnodes + 1, sizeof(*stack));
  unsigned char *edge = lr_xcalloc(k->nnodes ? k->nnodes : 1, 1); /* next edge to try */
  int found = -1;
  for (size_t root = 0; root < k->nnodes && found < 0; root++) {
    if (color[root] != WHITE)
      continue;
    size_t sp = 0;
    stack[sp++] = (int)root;
    color[root] = GREY;
    while (sp && found < 0) {
      int n = stack[sp - 1];
      int next = -1;
      while (edge[n] < 2 && next < 0) {
        next = edge[n] == 0 ? k->nodes[n].on_pass : k->nodes[n].on_fail;
        edge[n]++;
      }
      if (next < 0) {
        color[n] = BLACK;
        sp--;
      } else if (color[next] == GREY) {
        found = next;
      } else if (color[next] == WHITE) {
        color[next] = GREY;
        stack[sp++] = next;
      }
    }
  }
  free(color);
  free(stack);
  free(edge);
  return found;
}

int lr_link(const struct lr_link_chain *chains, size_t nchains, struct lr_link_node **nodes,
            char *err, size_t errlen)
{
  int c, s;
  return lr_link_located(chains, nchains, nodes, err, errlen, &c, &s);
}

int lr_link_located(const struct lr_link_chain *chains, size_t nchains,
                    struct lr_link_node **nodes, char *err, size_t errlen, int *fault_chain,
                    int *fault_step)
{
  struct linker k = {.chains = chains, .nchains = nchains, .err = err, .errlen = errlen,
                     .fault_chain = -1, .fault_step = -1};
  k.seen = lr_xreallocarray(NULL, nchains + 1, sizeof(*k.seen));
  k.building = lr_xcalloc(nchains + 1, sizeof(*k.building));
  for (size_t i = 0; i < nchains; i++)
    k.seen[i] = NOT_SEEN;
  struct loose_ends pending = {0}, fresh = {0};
  int rc = 0;
  for (size_t i = 0; i < nchains && rc == 0; i++) {
    if (chains[i].nsteps == 0) {
      snprintf(err, errlen, "chain '%s' is empty", chains[i].label);
      rc = -1;
    }
  }
  for (size_t i = 0; i < nchains && rc == 0; i++) {
    if (k.seen[i] != NOT_SEEN)
      continue; /* already built as a jump chain */
    fresh.n = 0;
    int entry = build_chain(&k, (int)i, &fresh);
    if (entry < 0) {
      rc = -1;
      break;
    }
    for (size_t j = 0; j < pending.n; j++)
      tie(&k, pending.v[j].node, pending.v[j].on_fail, entry);
    struct loose_ends swap = pending;
    pending = fresh;
    fresh = swap;
  }
  if (rc == 0) {
    int at = find_cycle(&k);
    if (at >= 0) {
      snprintf(err, errlen, "loop in the rules: chain '%s' step %u is reached again from itself",
               chains[k.nodes[at].chain].label, k.nodes[at].step);
      k.fault_chain = (int)k.nodes[at].chain;
      k.fault_step = (int)k.nodes[at].step;
      rc = -1;
    }
  }
  *fault_chain = k.fault_chain;
  *fault_step = k.fault_step;
  free(pending.v);
  free(fresh.v);
  free(k.seen);
  free(k.building);
  if (rc < 0) {
    free(k.nodes);
    *nodes = NULL;
    return -1;
  }
  *nodes = k.nodes;
  return (int)k.nnodes;
}
