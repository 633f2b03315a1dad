#include "rules/environment_check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "defence/firewall_probe.h"
#include "defence/nft_table.h"
#include "rules/environment_needs.h"
#include "rules/ruleset.h"
#include "util/buf.h"
#include "util/command_path.h"
#include "util/errmsg.h"
#include "util/xalloc.h"

struct report {
  FILE *out;
  bool quiet;
  struct lr_envcheck *r;
};

/* One finding about n, located at the first step that needs it. */
__attribute__((format(printf, 4, 5)))
static void say(struct report *rp, bool warning, const struct lr_need *n, const char *fmt, ...)
{
  if (warning)
    rp->r->warnings++;
  else
    rp->r->notes++;
  if (!warning && rp->quiet)
    return;
  fprintf(rp->out, "luruse: %s: ", warning ? "warning" : "note");
  if (n) {
    fprintf(rp->out, "%s: %s[%zu] %s", n->origin, n->chain, n->index, n->type);
    if (n->more)
      fprintf(rp->out, " (and %zu more step%s)", n->more, n->more > 1 ? "s" : "");
    fputs(": ", rp->out);
  }
  va_list ap;
  va_start(ap, fmt);
  vfprintf(rp->out, fmt, ap);
  va_end(ap);
  fputc('\n', rp->out);
}

static size_t count(const struct lr_needs *needs, enum lr_need_kind kind)
{
  size_t k = 0;
  for (size_t i = 0; i < needs->n; i++)
    k += needs->v[i].kind == kind;
  return k;
}

static void check_programs(struct report *rp, const struct lr_needs *needs)
{
  struct lr_buf path = {0};
  char why[LR_ERR_MAX];
  for (size_t i = 0; i < needs->n; i++) {
    const struct lr_need *n = &needs->v[i];
    if (n->kind != LR_NEED_COMMAND || lr_command_find(n->name, &path, why, sizeof(why)) == 0)
      continue;
    say(rp, true, n, "program '%s'%s%s%s cannot run: %s: %s", n->name, n->setting ? " (" : "",
        n->setting ? n->setting : "", n->setting ? ")" : "", why, n->consequence);
  }
  lr_buf_free(&path);
}

/* A set that is there: of the addresses' type, with the flags the bans need. */
static void check_nft_set(struct report *rp, const struct lr_need *n,
                          const struct lr_nft_set_info *s)
{
  static const char *const types[2] = {"ipv4_addr", "ipv6_addr"};
  const bool fam[2] = {n->v4, n->v6};
  for (int v6 = 0; v6 < 2; v6++)
    if (fam[v6] && strcmp(s->type, types[v6]) != 0)
      say(rp, true, n, "nft set '%s' is of type %s, not %s: IPv%c bans into it will fail",
          n->name, s->type, types[v6], v6 ? '6' : '4');
  if (n->timeout && !s->timeout)
    say(rp, true, n, "nft set '%s' has no 'flags timeout': bans with a timeout into it will fail",
        n->name);
  if (n->prefix && !s->interval)
    say(rp, true, n, "nft set '%s' has no 'flags interval': network (prefix) bans into it will "
                     "fail", n->name);
}

static void check_nft_sets(struct report *rp, const struct lr_needs *needs, const char *table)
{
  size_t wanted = count(needs, LR_NEED_NFT_SET);
  if (!wanted)
    return;
  struct lr_nft_inventory inv;
  struct lr_buf err = {0};
  enum lr_probe rc = lr_nft_inventory_read(&inv, &err);
  if (rc == LR_PROBE_NOT_PERMITTED) {
    say(rp, false, NULL, "%zu nft set%s not checked: reading them is not permitted "
                         "(CAP_NET_ADMIN is needed: run luruse check as root)",
        wanted, wanted > 1 ? "s" : "");
  } else if (rc != LR_PROBE_OK) {
    say(rp, true, NULL, "cannot read nftables' sets (%zu named by the rules), bans may fail: %s",
        wanted, err.data ? err.data : "?");
  }
  for (size_t i = 0; i < needs->n && rc == LR_PROBE_OK; i++) {
    const struct lr_need *n = &needs->v[i];
    if (n->kind != LR_NEED_NFT_SET)
      continue;
    const struct lr_nft_set_info *s = lr_nft_inventory_set(&inv, n->name);
    const char *set_name = strrchr(n->name, ' ') + 1; /* specs were checked at load */
    if (s)
      check_nft_set(rp, n, s);
    else if (n->own && lr_nft_table_has_set(set_name))
      say(rp, false, n, "nft set '%s' will be created by luruse at start (its own table, "
                        "bans.table)", n->name);
    else if (n->own)
      say(rp, true, n, "nft set '%s' does not exist, and luruse makes only ban4, ban6, net4 and "
                       "net6 in its table inet %s: %s", n->name, table, n->consequence);
    else
      say(rp, true, n, "nft set '%s' does not exist: %s", n->name, n->consequence);
  }
  lr_nft_inventory_free(&inv);
  lr_buf_free(&err);
}

static void check_ipset_sets(struct report *rp, const struct lr_needs *needs, char *const *ipset)
{
  size_t wanted = count(needs, LR_NEED_IPSET_SET);
  if (!wanted)
    return;
  struct lr_buf prog = {0}, err = {0};
  char why[LR_ERR_MAX];
  if (!ipset || lr_command_find(ipset[0], &prog, why, sizeof(why)) < 0) {
    say(rp, false, NULL, "%zu ipset set%s not checked: the ipset program cannot run",
        wanted, wanted > 1 ? "s" : "");
    lr_buf_free(&prog);
    return;
  }
  const char **names = lr_xcalloc(wanted, sizeof(*names));
  const struct lr_need **of = lr_xcalloc(wanted, sizeof(*of));
  bool *exists = lr_xcalloc(wanted, sizeof(*exists));
  size_t k = 0;
  for (size_t i = 0; i < needs->n; i++)
    if (needs->v[i].kind == LR_NEED_IPSET_SET) {
      of[k] = &needs->v[i];
      names[k++] = needs->v[i].name;
    }
  enum lr_probe rc = lr_ipset_probe(prog.data, names, wanted, exists, &err);
  if (rc == LR_PROBE_NOT_PERMITTED)
    say(rp, false, NULL, "%zu ipset set%s not checked: reading them is not permitted "
                         "(CAP_NET_ADMIN is needed: run luruse check as root)",
        wanted, wanted > 1 ? "s" : "");
  else if (rc != LR_PROBE_OK)
    say(rp, true, NULL, "cannot read the ipset sets (%zu named by the rules), ipset bans may "
                        "fail: %s", wanted, err.data ? err.data : "?");
  for (size_t i = 0; i < wanted && rc == LR_PROBE_OK; i++)
    if (!exists[i])
      say(rp, true, of[i], "ipset set '%s' does not exist: %s", of[i]->name, of[i]->consequence);
  free(names);
  free(of);
  free(exists);
  lr_buf_free(&prog);
  lr_buf_free(&err);
}

static void summary(FILE *out, const struct lr_envcheck *r)
{
  if (!r->nft_sets && !r->ipset_sets && !r->programs) {
    fputs("luruse: this host: the rules name no set and no program to look for\n", out);
    return;
  }
  fprintf(out, "luruse: this host: %zu nft set%s, %zu ipset set%s and %zu program%s looked for: "
               "%zu warning%s, %zu note%s\n",
          r->nft_sets, r->nft_sets == 1 ? "" : "s", r->ipset_sets, r->ipset_sets == 1 ? "" : "s",
          r->programs, r->programs == 1 ? "" : "s", r->warnings, r->warnings == 1 ? "" : "s",
          r->notes, r->notes == 1 ? "" : "s");
}

void lr_envcheck_run(const struct lr_ruleset *rs, FILE *out, bool quiet, struct lr_envcheck *r)
{
  memset(r, 0, sizeof(*r));
  struct lr_needs needs = {0};
  lr_needs_gather(rs, &needs);
  r->nft_sets = count(&needs, LR_NEED_NFT_SET);
  r->ipset_sets = count(&needs, LR_NEED_IPSET_SET);
  r->programs = count(&needs, LR_NEED_COMMAND);
  struct report rp = {out, quiet, r};
  check_programs(&rp, &needs);
  check_nft_sets(&rp, &needs, rs->settings.ban.table);
  check_ipset_sets(&rp, &needs, rs->settings.ban.ipset);
  if (!quiet)
    summary(out, r);
  lr_needs_free(&needs);
}
