#include "notify/report_pack.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/varint.h"
#include "util/xalloc.h"

void lr_report_packer_start(struct lr_report_packer *p, struct lr_buf *out)
{
  p->out = out;
  p->nhosts = p->last = 0;
  p->prev_usec = 0;
}

static bool host_is(const struct lr_report_packer *p, size_t i, const char *host, size_t len)
{
  return p->hosts[i].len == len &&
         (len == 0 || memcmp(p->out->data + p->hosts[i].at, host, len) == 0);
}

/* Lines come in runs from one host (a collector's too): the last one first. */
static size_t host_index(struct lr_report_packer *p, const char *host, size_t len)
{
  if (p->last < p->nhosts && host_is(p, p->last, host, len))
    return p->last;
  for (size_t i = 0; i < p->nhosts; i++)
    if (host_is(p, i, host, len))
      return p->last = i;
  return p->nhosts;
}

void lr_report_pack(struct lr_report_packer *p, const struct lr_report_line *l)
{
  lr_varint_put(p->out, (uint64_t)l->level | (uint64_t)l->details << 3);
  lr_varint_put(p->out, lr_zigzag((int64_t)((uint64_t)l->time_usec - (uint64_t)p->prev_usec)));
  p->prev_usec = l->time_usec;
  lr_varint_put(p->out, l->len);
  lr_buf_add(p->out, l->message, l->len);
  size_t hlen = l->host ? l->host_len : 0;
  size_t h = host_index(p, l->host, hlen);
  lr_varint_put(p->out, h);
  if (h == p->nhosts) {
    lr_varint_put(p->out, hlen);
    LR_GROW(p->hosts, p->nhosts + 1, p->hostcap, 8);
    p->hosts[p->nhosts].at = p->out->len;
    p->hosts[p->nhosts++].len = hlen;
    p->last = h;
    if (hlen)
      lr_buf_add(p->out, l->host, hlen);
  }
}

void lr_report_packer_free(struct lr_report_packer *p)
{
  free(p->hosts);
  memset(p, 0, sizeof(*p));
}

struct chunk_hosts {
  struct { const unsigned char *at; size_t len; } *host;
  size_t n, cap;
};

static bool read_line(const unsigned char **pp, const unsigned char *end, struct chunk_hosts *hosts,
                      int64_t *prev, struct lr_report_line *l)
{
  const unsigned char *p = *pp;
  uint64_t kind, delta, len, h, hlen;
  if (!lr_varint_get(p, end, &p, &kind) || !lr_varint_get(p, end, &p, &delta) ||
      !lr_varint_get(p, end, &p, &len) || len > (uint64_t)(end - p))
    return false;
  unsigned level = (unsigned)(kind & 7);
  uint64_t details = kind >> 3;
  /* a damaged or foreign chunk must not index out of range */
  l->level = level <= LR_REPORT_OTHER ? (enum lr_report_level)level : LR_REPORT_OTHER;
  l->details = details <= LR_DETAILS_FIRSTLAST ? (enum lr_report_details)details : LR_DETAILS_ALL;
  *prev = (int64_t)((uint64_t)*prev + (uint64_t)lr_unzigzag(delta));
  l->time_usec = *prev;
  l->message = (const char *)p;
  l->len = (size_t)len;
  p += len;
  if (!lr_varint_get(p, end, &p, &h) || h > hosts->n)
    return false;
  if (h == hosts->n) {
    if (!lr_varint_get(p, end, &p, &hlen) || hlen > (uint64_t)(end - p))
      return false;
    LR_GROW(hosts->host, hosts->n + 1, hosts->cap, 8);
    hosts->host[hosts->n].at = p;
    hosts->host[hosts->n++].len = (size_t)hlen;
    p += hlen;
  }
  l->host = (const char *)hosts->host[h].at;
  l->host_len = hosts->host[h].len;
  *pp = p;
  return true;
}

size_t lr_report_unpack(int format, const unsigned char *b, size_t len, lr_report_line_fn *fn,
                        void *ctx, size_t *lines)
{
  if (format != 1)
    return 0;
  struct chunk_hosts hosts = {0};
  const unsigned char *p = b, *end = b + len;
  int64_t prev = 0;
  struct lr_report_line l;
  while (p < end && read_line(&p, end, &hosts, &prev, &l)) {
    fn(ctx, &l);
    ++*lines;
  }
  free(hosts.host);
  return (size_t)(p - b);
}
