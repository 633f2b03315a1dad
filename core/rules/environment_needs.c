#include "rules/environment_needs.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "rules/ruleset.h"
#include "util/xalloc.h"

#define BAN_FAILS "bans into it will fail"

/* The step being read, for the needs it adds. */
struct at {
  const struct lr_rule_chain *chain;
  const struct lr_rule_step *step;
  size_t index;
  const char *own_prefix; /* "inet luruse ", or NULL when bans.table is false */
};

static struct lr_need *need(struct lr_needs *out, const struct at *at, enum lr_need_kind kind,
                            const char *name, const char *setting, const char *consequence)
{
  for (size_t i = 0; i < out->n; i++)
    if (out->v[i].kind == kind && !strcmp(out->v[i].name, name)) {
      out->v[i].more++;
      return &out->v[i];
    }
  LR_GROW(out->v, out->n + 1, out->cap, 8);
  struct lr_need *n = &out->v[out->n++];
  *n = (struct lr_need){.kind = kind, .name = lr_xstrdup(name), .setting = setting,
                        .consequence = consequence, .chain = at->chain->label,
                        .type = at->step->type, .index = at->index};
  n->origin = at->step->origin ? at->step->origin : at->chain->label;
  return n;
}

static void command(struct lr_needs *out, const struct at *at, char *const *argv,
                    const char *setting, const char *consequence)
{
  if (argv && argv[0])
    need(out, at, LR_NEED_COMMAND, argv[0], setting, consequence);
}

static void nft_set(struct lr_needs *out, const struct at *at, const char *spec, bool v6,
                    bool timeout, bool prefix)
{
  if (!spec)
    return;
  struct lr_need *n = need(out, at, LR_NEED_NFT_SET, spec, NULL, BAN_FAILS);
  *(v6 ? &n->v6 : &n->v4) = true;
  n->timeout |= timeout;
  n->prefix |= prefix;
  n->own = at->own_prefix && !strncmp(spec, at->own_prefix, strlen(at->own_prefix));
}

static void ipset_set(struct lr_needs *out, const struct at *at, const char *name, bool v6)
{
  if (!name)
    return;
  struct lr_need *n = need(out, at, LR_NEED_IPSET_SET, name, NULL, BAN_FAILS);
  *(v6 ? &n->v6 : &n->v4) = true;
}

static const char *arg_str(const struct at *at, const char *key)
{
  return json_string_value(json_object_get(at->step->args, key));
}

/* an integer argument's value; dflt when absent */
static long long arg_int(const struct at *at, const char *key, long long dflt)
{
  const json_t *v = json_object_get(at->step->args, key);
  return json_is_integer(v) ? json_integer_value(v) : dflt;
}

/* A prefix length that makes a network ban: given, and shorter than the address. */
static bool prefix_arg(const struct at *at, const char *key, long long full)
{
  long long p = arg_int(at, key, full);
  return p >= 1 && p < full;
}

static void step_needs(struct lr_needs *out, const struct at *at, const struct lr_settings *s)
{
  const char *type = at->step->type;
  if (!strcmp(type, "action_nftBan") || !strcmp(type, "action_ipsetBan")) {
    bool timeout = arg_int(at, "banSeconds", 0) > 0;
    if (!strcmp(type, "action_nftBan")) {
      command(out, at, s->ban.nft, "nftBan.nft", "bans will fail");
      nft_set(out, at, arg_str(at, "nftSetIPv4"), false, timeout,
              prefix_arg(at, "prefixIPv4", 32));
      nft_set(out, at, arg_str(at, "nftSetIPv6"), true, timeout,
              prefix_arg(at, "prefixIPv6", 128));
    } else {
      command(out, at, s->ban.ipset, "ipsetBan.ipset", "ipset bans will fail");
      ipset_set(out, at, arg_str(at, "ipSetIPv4"), false);
      ipset_set(out, at, arg_str(at, "ipSetIPv6"), true);
    }
  } else if (!strcmp(type, "action_jail")) {
    if (arg_str(at, "ipSetIPv4") || arg_str(at, "ipSetIPv6")) {
      command(out, at, s->ban.ipset, "ipsetBan.ipset", "ipset bans will fail");
      ipset_set(out, at, arg_str(at, "ipSetIPv4"), false);
      ipset_set(out, at, arg_str(at, "ipSetIPv6"), true);
      return;
    }
    /* as steps/jail.c: luruse's own table's sets unless the jail names its own */
    bool timeout = arg_int(at, "banSeconds", 3600) > 0;
    char d4[LR_BAN_TABLE_NAME_MAX + 16], d6[LR_BAN_TABLE_NAME_MAX + 16];
    snprintf(d4, sizeof(d4), "inet %s ban4", s->ban.table);
    snprintf(d6, sizeof(d6), "inet %s ban6", s->ban.table);
    const char *n4 = arg_str(at, "nftSetIPv4"), *n6 = arg_str(at, "nftSetIPv6");
    command(out, at, s->ban.nft, "nftBan.nft", "bans will fail");
    nft_set(out, at, n4 ? n4 : *s->ban.table ? d4 : NULL, false, timeout, false);
    nft_set(out, at, n6 ? n6 : *s->ban.table ? d6 : NULL, true, timeout, false);
  } else if (!strcmp(type, "action_email") || !strcmp(type, "action_dailyReport")) {
    command(out, at, s->mail.sendmail, "email.sendmail",
            "emails and daily reports will not be sent");
  } else if (!strcmp(type, "action_exec")) {
    const char *prog = json_string_value(json_array_get(json_object_get(at->step->args, "argv"), 0));
    if (prog && *prog)
      need(out, at, LR_NEED_COMMAND, prog, NULL, "the action will fail");
  }
}

void lr_needs_gather(const struct lr_ruleset *rs, struct lr_needs *out)
{
  char own[LR_BAN_TABLE_NAME_MAX + 8];
  snprintf(own, sizeof(own), "inet %s ", rs->settings.ban.table);
  struct at at = {.own_prefix = *rs->settings.ban.table && lr_ruleset_uses_own_table(rs) ? own
                                                                                         : NULL};
  for (size_t c = 0; c < rs->rules->nchains; c++) {
    at.chain = &rs->rules->chains[c];
    for (size_t i = 0; i < at.chain->nsteps; i++) {
      at.step = &at.chain->steps[i];
      at.index = i;
      step_needs(out, &at, &rs->settings);
    }
  }
}

void lr_needs_free(struct lr_needs *needs)
{
  for (size_t i = 0; i < needs->n; i++)
    free(needs->v[i].name);
  free(needs->v);
  memset(needs, 0, sizeof(*needs));
}
