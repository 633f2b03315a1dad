/* The report's packed chunks: format 1 byte for byte, a round trip of every
 * level, detail, host and time order, and chunks cut or damaged anywhere
 * giving their whole lines and nothing else. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "notify/report_pack.h"

struct got {
  struct lr_report_line l[8];
  char text[8][32], host[8][16];
  size_t n;
};

static void keep(void *ctx, const struct lr_report_line *l)
{
  struct got *g = ctx;
  if (g->n >= 8 || l->len >= 32 || l->host_len >= 16)
    return;
  g->l[g->n] = *l;
  memcpy(g->text[g->n], l->message, l->len);
  g->text[g->n][l->len] = '\0';
  memcpy(g->host[g->n], l->host, l->host_len);
  g->host[g->n][l->host_len] = '\0';
  g->n++;
}

int main(void)
{
  struct lr_buf b = {0};
  struct lr_report_packer p = {0};
  lr_report_packer_start(&p, &b);
  struct lr_report_line a = {LR_REPORT_INFO, LR_DETAILS_FIRSTLAST, 1000, "ab", 2, "vm", 2};
  struct lr_report_line c = {LR_REPORT_WARN, LR_DETAILS_ALL, 900, "c", 1, "vm", 2};
  lr_report_pack(&p, &a);
  lr_report_pack(&p, &c);
  static const unsigned char want[] = {
      1 | 4 << 3, 0xd0, 0x0f, 2, 'a', 'b', 0, 2, 'v', 'm', /* zigzag(1000) = 2000; a new host */
      0, 0xc7, 0x01, 1, 'c', 0}; /* zigzag(-100) = 199; host 0 again */
  CHECK_INT(b.len, sizeof(want));
  CHECK(memcmp(b.data, want, sizeof(want)) == 0);

  /* other hosts, none at all, the first again, times at the extremes, NUL bytes */
  struct lr_report_line more[] = {
      {LR_REPORT_OTHER, LR_DETAILS_NONE, INT64_MIN, "x\0y", 3, "web1", 4},
      {LR_REPORT_OTHER, LR_DETAILS_LAST, INT64_MAX, "", 0, NULL, 0},
      {LR_REPORT_INFO, LR_DETAILS_FIRST, -5, "z", 1, "vm", 2},
  };
  for (size_t i = 0; i < 3; i++)
    lr_report_pack(&p, &more[i]);
  struct got g = {0};
  size_t n = 0;
  CHECK_INT(lr_report_unpack(1, (const unsigned char *)b.data, b.len, keep, &g, &n), b.len);
  CHECK_INT(n, 5);
  CHECK_INT(g.n, 5);
  CHECK_INT(g.l[0].level, LR_REPORT_INFO);
  CHECK_INT(g.l[0].details, LR_DETAILS_FIRSTLAST);
  CHECK_INT(g.l[0].time_usec, 1000);
  CHECK_STR(g.text[0], "ab");
  CHECK_STR(g.host[0], "vm");
  CHECK_INT(g.l[1].time_usec, 900);
  CHECK_INT(g.l[2].time_usec, INT64_MIN);
  CHECK(g.l[2].len == 3 && memcmp(g.text[2], "x\0y", 3) == 0);
  CHECK_STR(g.host[2], "web1");
  CHECK_INT(g.l[3].time_usec, INT64_MAX);
  CHECK_INT(g.l[3].len, 0);
  CHECK_INT(g.l[3].host_len, 0);
  CHECK_INT(g.l[3].details, LR_DETAILS_LAST);
  CHECK_INT(g.l[4].time_usec, -5);
  CHECK_STR(g.host[4], "vm");

  /* cut anywhere: whole lines only, never a byte past the cut */
  for (size_t cut = 0; cut < b.len; cut++) {
    struct got part = {0};
    size_t m = 0, used = lr_report_unpack(1, (const unsigned char *)b.data, cut, keep, &part, &m);
    CHECK(used <= cut);
    CHECK_INT(m, part.n);
    CHECK(m < 5);
  }
  /* a host index past those named, a level and detail out of range, an
   * unknown format */
  static const unsigned char bad_host[] = {0, 0, 1, 'a', 1};
  n = 0;
  CHECK_INT(lr_report_unpack(1, bad_host, sizeof(bad_host), keep, &g, &n), 0);
  static const unsigned char odd[] = {7 | 9 << 3, 0, 1, 'a', 0, 0};
  struct got o = {0};
  CHECK_INT(lr_report_unpack(1, odd, sizeof(odd), keep, &o, &n), sizeof(odd));
  CHECK_INT(o.l[0].level, LR_REPORT_OTHER);
  CHECK_INT(o.l[0].details, LR_DETAILS_ALL);
  CHECK_INT(lr_report_unpack(2, (const unsigned char *)b.data, b.len, keep, &g, &n), 0);

  /* a new chunk forgets the hosts and the time of the last */
  lr_buf_clear(&b);
  lr_report_packer_start(&p, &b);
  lr_report_pack(&p, &c);
  CHECK_INT(b.len, 9); /* 1 + 2 (zigzag(900) = 1800) + 1 + 1, then host 0 named anew: 1 + 1 + 2 */
  lr_report_packer_free(&p);
  lr_buf_free(&b);
  return check_done();
}
