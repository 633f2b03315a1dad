#include "defence/firewall_probe.h"

#include <errno.h>
#include <jansson.h>
#include <linux/capability.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <uv.h>

#include "util/cmdqueue.h"
#include "util/subprocess.h"
#include "util/xalloc.h"

/* Whether the kernel will answer at all: netfilter's netlink (nftables and
 * ipset alike) wants CAP_NET_ADMIN, even to list. Asked first, because
 * libnftables prints its own "you must be root" line on stderr otherwise. */
static bool may_ask(void)
{
  struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};
  if (syscall(SYS_capget, &hdr, data) < 0)
    return true; /* cannot tell: let the kernel say */
  return (data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective & CAP_TO_MASK(CAP_NET_ADMIN)) != 0;
}

/* The kernel's answer to a process without CAP_NET_ADMIN, as libnftables and
 * ipset print it (strerror's text: luruse keeps the C locale). */
static bool says_not_permitted(const char *msg)
{
  return msg && strstr(msg, strerror(EPERM)) != NULL;
}

/* ------------------------------------------------------------------ nftables */

/* Runs one listing; its JSON, or NULL with err. */
static json_t *nft_list(struct nft_ctx *ctx, const char *cmd, enum lr_probe *rc,
                        struct lr_buf *err)
{
  if (nft_run_cmd_from_buffer(ctx, cmd) != 0) {
    const char *msg = nft_ctx_get_error_buffer(ctx);
    *rc = says_not_permitted(msg) ? LR_PROBE_NOT_PERMITTED : LR_PROBE_FAILED;
    if (msg && *msg)
      lr_cmdq_one_line(err, msg, strlen(msg));
    else
      lr_buf_printf(err, "libnftables: '%s' failed", cmd);
    return NULL;
  }
  json_error_t jerr;
  json_t *root = json_loads(nft_ctx_get_output_buffer(ctx), 0, &jerr);
  if (!json_is_array(json_object_get(root, "nftables"))) {
    lr_buf_printf(err, "libnftables: '%s': not the JSON expected (%s)", cmd,
                  root ? "no nftables list" : jerr.text);
    json_decref(root);
    *rc = LR_PROBE_FAILED;
    return NULL;
  }
  return root;
}

static char *spec_of(const json_t *o, bool with_name)
{
  const char *family = json_string_value(json_object_get(o, "family"));
  const char *table = json_string_value(json_object_get(o, with_name ? "table" : "name"));
  const char *name = json_string_value(json_object_get(o, "name"));
  if (!family || !table || !name)
    return NULL;
  return with_name ? lr_xasprintf("%s %s %s", family, table, name)
                   : lr_xasprintf("%s %s", family, table);
}

static bool has_flag(const json_t *flags, const char *flag)
{
  if (json_is_string(flags))
    return !strcmp(json_string_value(flags), flag);
  size_t i;
  const json_t *f;
  json_array_foreach(flags, i, f)
    if (json_is_string(f) && !strcmp(json_string_value(f), flag))
      return true;
  return false;
}

static void add_set(struct lr_nft_inventory *inv, size_t *cap, const json_t *o)
{
  char *spec = spec_of(o, true);
  if (!spec)
    return;
  LR_GROW(inv->sets, inv->nsets + 1, *cap, 8);
  struct lr_nft_set_info *s = &inv->sets[inv->nsets++];
  const json_t *type = json_object_get(o, "type");
  s->spec = spec;
  s->type = lr_xstrdup(json_is_string(type) ? json_string_value(type) : "a concatenation");
  const json_t *flags = json_object_get(o, "flags");
  s->timeout = has_flag(flags, "timeout");
  s->interval = has_flag(flags, "interval");
}

enum lr_probe lr_nft_inventory_read(struct lr_nft_inventory *inv, struct lr_buf *err)
{
  memset(inv, 0, sizeof(*inv));
  if (!may_ask()) {
    lr_buf_printf(err, "CAP_NET_ADMIN is needed to list nftables' sets");
    return LR_PROBE_NOT_PERMITTED;
  }
  struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx) {
    lr_buf_printf(err, "libnftables: cannot create a context");
    return LR_PROBE_FAILED;
  }
  /* terse: the sets' declarations without their elements, however many bans */
  nft_ctx_output_set_flags(ctx, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_TERSE);
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  enum lr_probe rc = LR_PROBE_OK;
  json_t *tables = nft_list(ctx, "list tables", &rc, err);
  json_t *sets = tables ? nft_list(ctx, "list sets", &rc, err) : NULL;
  size_t tcap = 0, scap = 0, i;
  const json_t *o;
  json_array_foreach(json_object_get(sets ? tables : NULL, "nftables"), i, o) {
    char *t = spec_of(json_object_get(o, "table"), false);
    if (t) {
      LR_GROW(inv->tables, inv->ntables + 1, tcap, 8);
      inv->tables[inv->ntables++] = t;
    }
  }
  json_array_foreach(json_object_get(sets, "nftables"), i, o)
    if (json_object_get(o, "set"))
      add_set(inv, &scap, json_object_get(o, "set"));
  json_decref(tables);
  json_decref(sets);
  nft_ctx_free(ctx);
  return rc;
}

const struct lr_nft_set_info *lr_nft_inventory_set(const struct lr_nft_inventory *inv,
                                                   const char *spec)
{
  for (size_t i = 0; i < inv->nsets; i++)
    if (!strcmp(inv->sets[i].spec, spec))
      return &inv->sets[i];
  return NULL;
}

bool lr_nft_inventory_has_table(const struct lr_nft_inventory *inv, const char *table)
{
  for (size_t i = 0; i < inv->ntables; i++)
    if (!strcmp(inv->tables[i], table))
      return true;
  return false;
}

void lr_nft_inventory_free(struct lr_nft_inventory *inv)
{
  for (size_t i = 0; i < inv->ntables; i++)
    free(inv->tables[i]);
  for (size_t i = 0; i < inv->nsets; i++) {
    free(inv->sets[i].spec);
    free(inv->sets[i].type);
  }
  free(inv->tables);
  free(inv->sets);
  memset(inv, 0, sizeof(*inv));
}

/* ------------------------------------------------------------------ ipset */

struct run {
  bool ok, exit_1;
  struct lr_buf why; /* the error and the output's first line */
};

static void ran(void *opaque, const struct lr_spawn_result *r)
{
  struct run *run = opaque;
  run->ok = lr_spawn_ok(r);
  run->exit_1 = !r->spawn_failed && !r->timed_out && !r->term_signal && r->exit_status == 1;
  if (!run->ok) {
    lr_buf_printf(&run->why, "%s", r->error);
    if (r->output_len) {
      lr_buf_add(&run->why, ": ", 2);
      lr_cmdq_one_line(&run->why, r->output, r->output_len);
    }
  }
}

/* Runs argv to its end on a loop of its own. */
static void run_one(const char *const *argv, struct run *run)
{
  uv_loop_t loop;
  uv_loop_init(&loop);
  lr_buf_clear(&run->why);
  run->ok = run->exit_1 = false;
  if (lr_spawn_start(&loop, argv, NULL, 0, LR_PROBE_TIMEOUT_MS, ran, run) < 0)
    lr_buf_printf(&run->why, "cannot start %s", argv[0]);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
}

enum lr_probe lr_ipset_probe(const char *prog, const char *const *names, size_t n, bool *exists,
                             struct lr_buf *err)
{
  if (!may_ask()) {
    lr_buf_printf(err, "CAP_NET_ADMIN is needed to list the ipset sets");
    return LR_PROBE_NOT_PERMITTED;
  }
  struct run run = {0};
  enum lr_probe rc = LR_PROBE_OK;
  /* may we ask at all? (the answer, every set's name, is not needed) */
  run_one((const char *const[]){prog, "list", "-n", NULL}, &run);
  if (!run.ok) {
    rc = says_not_permitted(run.why.data) ? LR_PROBE_NOT_PERMITTED : LR_PROBE_FAILED;
    lr_buf_printf(err, "%s list -n: %s", prog, run.why.data ? run.why.data : "?");
    goto out;
  }
  bool *found = lr_xcalloc(n + 1, sizeof(*found));
  for (size_t i = 0; i < n && rc == LR_PROBE_OK; i++) {
    run_one((const char *const[]){prog, "-n", "list", names[i], NULL}, &run);
    found[i] = run.ok;
    if (!run.ok && !run.exit_1) { /* 1: no such set; anything else: no answer */
      rc = LR_PROBE_FAILED;
      lr_buf_printf(err, "%s -n list %s: %s", prog, names[i], run.why.data ? run.why.data : "?");
    }
  }
  if (rc == LR_PROBE_OK)
    memcpy(exists, found, n * sizeof(*exists));
  free(found);
out:
  lr_buf_free(&run.why);
  return rc;
}
