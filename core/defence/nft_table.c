#include "defence/nft_table.h"

#include <string.h>

#include "defence/nft.h"

static const char *const sets[][2] = {
  {"ban4", "type ipv4_addr; flags timeout;"},
  {"ban6", "type ipv6_addr; flags timeout;"},
  {"net4", "type ipv4_addr; flags interval, timeout;"},
  {"net6", "type ipv6_addr; flags interval, timeout;"},
};

bool lr_nft_table_has_set(const char *name)
{
  for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
    if (!strcmp(sets[i][0], name))
      return true;
  return false;
}

void lr_nft_table_statements(struct lr_buf *out, const char *t)
{
  lr_buf_printf(out, "add table inet %s\n", t);
  for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
    lr_buf_printf(out, "add set inet %s %s { %s }\n", t, sets[i][0], sets[i][1]);
  static const char *const hooks[] = {"input", "forward"};
  for (size_t h = 0; h < 2; h++) {
    lr_buf_printf(out, "add chain inet %s %s { type filter hook %s priority %s; policy accept; }\n",
                  t, hooks[h], hooks[h], LR_NFT_TABLE_PRIORITY);
    /* the rules again from nothing: running this twice leaves one of each */
    lr_buf_printf(out, "flush chain inet %s %s\n", t, hooks[h]);
    lr_buf_printf(out, "add rule inet %s %s ip saddr @ban4 drop\n", t, hooks[h]);
    lr_buf_printf(out, "add rule inet %s %s ip saddr @net4 drop\n", t, hooks[h]);
    lr_buf_printf(out, "add rule inet %s %s ip6 saddr @ban6 drop\n", t, hooks[h]);
    lr_buf_printf(out, "add rule inet %s %s ip6 saddr @net6 drop\n", t, hooks[h]);
  }
}

int lr_nft_table_ensure(struct lr_nft *n, const char *table, struct lr_buf *err)
{
  struct lr_buf cmds = {0};
  lr_nft_table_statements(&cmds, table);
  int rc = lr_nft_run(n, cmds.data, err);
  lr_buf_free(&cmds);
  return rc;
}
