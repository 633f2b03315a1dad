#include "defence/nft.h"

#include <nftables/libnftables.h>
#include <stdlib.h>
#include <string.h>

#include "util/cmdqueue.h"
#include "util/log.h"
#include "util/xalloc.h"

struct lr_nft {
  struct nft_ctx *ctx; /* NULL until the first run */
};

struct lr_nft *lr_nft_new(void)
{
  struct lr_nft *n = lr_xcalloc(1, sizeof(*n));
  return n;
}

void lr_nft_free(struct lr_nft *n)
{
  if (!n)
    return;
  if (n->ctx)
    nft_ctx_free(n->ctx);
  free(n);
}

int lr_nft_run(struct lr_nft *n, const char *cmds, struct lr_buf *err)
{
  if (!n->ctx) {
    n->ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!n->ctx) {
      lr_buf_printf(err, "libnftables: cannot create a context");
      return -1;
    }
    nft_ctx_buffer_output(n->ctx);
    nft_ctx_buffer_error(n->ctx);
  }
  int rc = nft_run_cmd_from_buffer(n->ctx, cmds);
  nft_ctx_get_output_buffer(n->ctx); /* rewinds it */
  const char *msg = nft_ctx_get_error_buffer(n->ctx);
  if (rc == 0)
    return 0;
  if (msg && *msg)
    lr_cmdq_one_line(err, msg, strlen(msg));
  else
    lr_buf_printf(err, "libnftables: error %d", rc);
  return -1;
}
