#include "state/counters_record.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/varint.h"
#include "util/xalloc.h"

static uint64_t get_le(const unsigned char *p, int bytes)
{
  uint64_t v = 0;
  for (int k = bytes - 1; k >= 0; k--)
    v = v << 8 | p[k];
  return v;
}

size_t lr_counters_runs_unpack(const unsigned char *b, size_t len, struct lr_counter_run *runs)
{
  size_t nruns = len / LR_COUNTERS_RUN_BYTES;
  for (size_t i = 0; i < nruns; i++, b += LR_COUNTERS_RUN_BYTES)
    runs[i] = (struct lr_counter_run){(int64_t)get_le(b, 8), (uint32_t)get_le(b + 8, 4)};
  return nruns;
}

/* ---- writing (format 2) ---- */

void lr_counters_packer_start(struct lr_counters_packer *p, struct lr_buf *out)
{
  p->out = out;
  p->ncats = p->last = 0;
  p->prev_expiry = 0;
}

static size_t category_index(struct lr_counters_packer *p, const char *category)
{
  /* a save visits keys category by category: the last one almost always */
  if (p->last < p->ncats &&
      (p->cats[p->last] == category || strcmp(p->cats[p->last], category) == 0))
    return p->last;
  for (size_t i = 0; i < p->ncats; i++)
    if (strcmp(p->cats[i], category) == 0)
      return p->last = i;
  return p->ncats;
}

void lr_counters_pack(struct lr_counters_packer *p, const char *category, const char *key,
                      size_t len, const struct lr_counter_run *runs, size_t nruns,
                      int64_t grace_until)
{
  size_t cat = category_index(p, category);
  lr_varint_put(p->out, cat);
  if (cat == p->ncats) {
    size_t clen = strlen(category);
    lr_varint_put(p->out, clen);
    lr_buf_add(p->out, category, clen);
    LR_GROW(p->cats, p->ncats + 1, p->catcap, 8);
    p->cats[p->ncats++] = category;
    p->last = cat;
  }
  lr_varint_put(p->out, len);
  lr_buf_add(p->out, key, len);
  lr_varint_put(p->out, lr_zigzag(grace_until));
  lr_varint_put(p->out, nruns);
  for (size_t i = 0; i < nruns; i++) {
    /* wrapping arithmetic: any two expiries have a delta that reads back */
    lr_varint_put(p->out, lr_zigzag((int64_t)((uint64_t)runs[i].expiry -
                                              (uint64_t)p->prev_expiry)));
    lr_varint_put(p->out, runs[i].count);
    p->prev_expiry = runs[i].expiry;
  }
}

void lr_counters_packer_free(struct lr_counters_packer *p)
{
  free(p->cats);
  memset(p, 0, sizeof(*p));
}

/* ---- reading ---- */

struct reader {
  const unsigned char *p, *end;
  struct lr_buf scratch; /* the category's name NUL-terminated, the runs aligned */
};

/* Room for nruns aligned runs after the scratch's current bytes. */
static struct lr_counter_run *runs_room(struct reader *r, size_t nruns)
{
  size_t at = (r->scratch.len + 15) & ~(size_t)15;
  lr_buf_fill(&r->scratch, 0, at - r->scratch.len + nruns * sizeof(struct lr_counter_run) + 1);
  return (struct lr_counter_run *)(void *)(r->scratch.data + at);
}

static bool read_v1(struct reader *r, lr_counters_record_fn *fn, void *ctx)
{
  const unsigned char *p = r->p;
  size_t left = (size_t)(r->end - p);
  if (left < 2)
    return false;
  size_t clen = (size_t)get_le(p, 2);
  if (left - 2 < clen + 2 || clen > LR_COUNTERS_MAX_CATEGORY)
    return false;
  const unsigned char *cat = p + 2;
  p += 2 + clen, left -= 2 + clen;
  size_t klen = (size_t)get_le(p, 2);
  if (left - 2 < klen + 12)
    return false;
  const unsigned char *key = p + 2;
  p += 2 + klen, left -= 2 + klen;
  int64_t grace = (int64_t)get_le(p, 8);
  uint64_t nruns = get_le(p + 8, 4);
  p += 12, left -= 12;
  if (left / LR_COUNTERS_RUN_BYTES < nruns)
    return false;
  lr_buf_clear(&r->scratch);
  lr_buf_add(&r->scratch, (const char *)cat, clen);
  lr_buf_addc(&r->scratch, '\0');
  struct lr_counter_run *runs = runs_room(r, nruns);
  lr_counters_runs_unpack(p, nruns * LR_COUNTERS_RUN_BYTES, runs);
  r->p = p + nruns * LR_COUNTERS_RUN_BYTES;
  fn(ctx, r->scratch.data, (const char *)key, klen, runs, nruns, grace);
  return true;
}

struct row_cats {
  struct { size_t at, len; } *name; /* where each category's name is in the row */
  size_t n, cap;
};

static bool get(struct reader *r, uint64_t *v) { return lr_varint_get(r->p, r->end, &r->p, v); }

static bool read_v2(struct reader *r, const unsigned char *row, struct row_cats *cats,
                    int64_t *prev_expiry, lr_counters_record_fn *fn, void *ctx)
{
  uint64_t cat, clen, klen, grace, nruns;
  if (!get(r, &cat) || cat > cats->n)
    return false;
  if (cat == cats->n) {
    if (!get(r, &clen) || clen > LR_COUNTERS_MAX_CATEGORY || clen > (uint64_t)(r->end - r->p))
      return false;
    LR_GROW(cats->name, cats->n + 1, cats->cap, 8);
    cats->name[cats->n].at = (size_t)(r->p - row);
    cats->name[cats->n++].len = (size_t)clen;
    r->p += clen;
  }
  if (!get(r, &klen) || klen > (uint64_t)(r->end - r->p))
    return false;
  const unsigned char *key = r->p;
  r->p += klen;
  if (!get(r, &grace) || !get(r, &nruns) || nruns > (uint64_t)(r->end - r->p) / 2)
    return false; /* each run takes two bytes at least */
  lr_buf_clear(&r->scratch);
  lr_buf_add(&r->scratch, (const char *)row + cats->name[cat].at, cats->name[cat].len);
  lr_buf_addc(&r->scratch, '\0');
  struct lr_counter_run *runs = runs_room(r, nruns);
  int64_t prev = *prev_expiry;
  for (uint64_t i = 0; i < nruns; i++) {
    uint64_t delta, count;
    if (!get(r, &delta) || !get(r, &count) || count > UINT32_MAX)
      return false;
    prev = (int64_t)((uint64_t)prev + (uint64_t)lr_unzigzag(delta));
    runs[i] = (struct lr_counter_run){prev, (uint32_t)count};
  }
  *prev_expiry = prev;
  fn(ctx, r->scratch.data, (const char *)key, (size_t)klen, runs, (size_t)nruns,
     lr_unzigzag(grace));
  return true;
}

size_t lr_counters_records_read(int format, const unsigned char *b, size_t len,
                                lr_counters_record_fn *fn, void *ctx, size_t *records)
{
  struct reader r = {.p = b, .end = b + len};
  struct row_cats cats = {0};
  int64_t prev_expiry = 0;
  const unsigned char *done = b;
  if (format == 1 || format == 2)
    while (r.p < r.end && (format == 1 ? read_v1(&r, fn, ctx)
                                       : read_v2(&r, b, &cats, &prev_expiry, fn, ctx))) {
      done = r.p;
      ++*records;
    }
  lr_buf_free(&r.scratch);
  free(cats.name);
  return (size_t)(done - b);
}
