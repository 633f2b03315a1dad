/* The systemd journal as a source, through libsystemd. Fields are picked in
 * one sd_journal_enumerate_available_data pass on first access (measured about
 * 1.5x faster than one sd_journal_get_data per field); values are copied into
 * the entry's arena because the journal's mmap windows can move.
 *
 * Once caught up with a live journal, entries come straight from the files
 * journald writes (journal_tail.h) until that reader gives its place back;
 * libsystemd then goes on from the last entry's cursor. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "input/entry.h"
#include "input/fields.h"
#include "input/journal_tail.h"
#include "util/log.h"
#include "input/source.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* after the direct reader gave its place back, libsystemd alone this long */
#define DIRECT_RETRY_USEC 250000
#define DATA_THRESHOLD (1u << 20)

struct journal_source {
  struct lr_source base;
  sd_journal *j;
  char *skip_cursor; /* set by seek_after_cursor: the first next() may land on it */
  bool has_entry;
  bool has_until;
  uint64_t until; /* realtime usec: a later entry ends the input */
  enum lr_journal_kind kind;
  char *dir;      /* LR_JOURNAL_DIRECTORY */
  bool matched;   /* match_unit: libsystemd's matches, libsystemd alone */
  /* the direct reader (journal_tail.h), once enabled */
  struct lr_journal_tail *tail;
  bool in_tail;          /* entries come from it now */
  bool tail_entry;       /* the current entry came from it */
  bool files_changed;    /* libsystemd saw files come or go: it takes over */
  char handback[LR_JOURNAL_CURSOR_MAX]; /* its last cursor, until libsystemd moves on */
  int64_t retry_usec;    /* no new start before */
  struct lr_journal_direct_stats stats;
};

static void journal_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                         void *arg)
{
  struct journal_source *s = ctx;
  const void *data;
  size_t len;
  sd_journal_restart_data(s->j);
  while (sd_journal_enumerate_available_data(s->j, &data, &len) > 0) {
    const char *eq = memchr(data, '=', len);
    if (eq)
      cb(arg, data, (size_t)(eq - (const char *)data), eq + 1,
         len - (size_t)(eq - (const char *)data) - 1);
  }
}

static void offer(void *arg, const char *name, size_t nlen, const char *val, size_t vlen)
{
  lr_entry_offer(arg, name, nlen, val, vlen, false);
}

static void journal_fill(void *ctx, struct lr_entry *e) { journal_each(ctx, offer, e); }

/* Not a data field in the journal: libsystemd keeps it in the entry's header. */
static bool journal_boot_time(void *ctx, int64_t *monotonic_usec, uint64_t boot_id[2])
{
  struct journal_source *s = ctx;
  uint64_t usec;
  sd_id128_t boot;
  if (sd_journal_get_monotonic_usec(s->j, &usec, &boot) < 0 || usec > INT64_MAX)
    return false;
  *monotonic_usec = (int64_t)usec;
  memcpy(boot_id, boot.bytes, 16);
  return true;
}

static const struct lr_source_hooks journal_hooks = {journal_fill, journal_each,
                                                     journal_boot_time};

static int field_id(void *arg, const char *name, size_t nlen)
{
  (void)arg;
  return lr_fields_find(name, nlen);
}

static void offer_id(void *arg, int id, const char *val, size_t vlen)
{
  lr_entry_offer_id(arg, id, val, vlen, false);
}

/* Field ids are kept per data object by the reader: a rule interning a new
 * name (a reload) changes the count, and the kept ids are asked again. */
static void tail_fill(void *ctx, struct lr_entry *e)
{
  struct journal_source *s = ctx;
  lr_journal_tail_each_id(s->tail, field_id, offer_id, e, (uint32_t)lr_fields_count());
}

static void tail_each(void *ctx, void (*cb)(void *, const char *, size_t, const char *, size_t),
                      void *arg)
{
  struct journal_source *s = ctx;
  lr_journal_tail_each(s->tail, cb, arg);
}

static bool tail_boot_time(void *ctx, int64_t *monotonic_usec, uint64_t boot_id[2])
{
  struct journal_source *s = ctx;
  uint64_t usec;
  lr_journal_tail_boot_time(s->tail, &usec, (uint8_t *)boot_id);
  if (usec > INT64_MAX)
    return false;
  *monotonic_usec = (int64_t)usec;
  return true;
}

static const struct lr_source_hooks tail_hooks = {tail_fill, tail_each, tail_boot_time};

/* libsystemd goes on after the direct reader's last entry. */
static void hand_back(struct journal_source *s)
{
  s->in_tail = false;
  s->stats.handbacks++;
  s->retry_usec = lr_mono_usec() + DIRECT_RETRY_USEC;
  /* a rotation is routine; a file that does not check out is worth a word
   * (once in a while: the reader tries again after each retry) */
  bool broken = !s->files_changed && lr_journal_tail_broken(s->tail);
  s->stats.broken += broken;
  if (broken && s->stats.broken % 1000 == 1)
    lr_log(LOG_WARNING, "journal file not read directly (libsystemd reads on): %s (%llu such)",
           lr_journal_tail_why(s->tail), (unsigned long long)s->stats.broken);
  else
    lr_log(LOG_DEBUG, "journal read through libsystemd again: %s",
           s->files_changed ? "journal files came or went" : lr_journal_tail_why(s->tail));
  s->files_changed = false;
  if (s->tail_entry) {
    lr_journal_tail_cursor(s->tail, s->handback, sizeof(s->handback));
    int rc = sd_journal_seek_cursor(s->j, s->handback);
    if (rc < 0)
      lr_log(LOG_ERR, "journal: cannot seek back to %s: %s", s->handback, strerror(-rc));
    free(s->skip_cursor);
    s->skip_cursor = lr_xstrdup(s->handback);
    s->tail_entry = false;
  }
  lr_journal_tail_stop(s->tail);
}

/* 1, 0 as next(); -1 when the direct reader gave its place back. */
static int tail_next(struct journal_source *s, struct lr_entry *e)
{
  int rc = s->files_changed ? -1 : lr_journal_tail_next(s->tail);
  if (rc < 0) {
    hand_back(s);
    return -1;
  }
  if (rc == 0)
    return 0;
  s->tail_entry = s->has_entry = true;
  s->stats.entries++;
  uint64_t usec = lr_journal_tail_realtime(s->tail);
  int64_t realtime = usec > INT64_MAX ? -1 : (int64_t)usec;
  lr_entry_begin(e, realtime, &tail_hooks, s);
  return 1;
}

/* Caught up through libsystemd: the direct reader takes over after its entry. */
static bool tail_start(struct journal_source *s)
{
  if (!s->tail || !s->has_entry || s->matched || s->has_until || lr_mono_usec() < s->retry_usec)
    return false;
  char *c = NULL;
  uint8_t seqnum_id[16];
  uint64_t seqnum;
  bool ok = sd_journal_get_cursor(s->j, &c) >= 0 && lr_journal_cursor_seqnum(c, seqnum_id, &seqnum);
  free(c);
  if (!ok)
    return false;
  if (lr_journal_tail_start(s->tail, seqnum_id, seqnum) < 0) {
    s->stats.refused++;
    s->retry_usec = lr_mono_usec() + DIRECT_RETRY_USEC;
    lr_log(s->stats.refused == 1 ? LOG_INFO : LOG_DEBUG,
           "journal files not read directly (libsystemd reads them): %s",
           lr_journal_tail_why(s->tail));
    return false;
  }
  s->in_tail = true;
  s->stats.starts++;
  return true;
}

static int journal_next(struct lr_source *base, struct lr_entry *e)
{
  struct journal_source *s = (struct journal_source *)base;
  if (s->in_tail) {
    int rc = tail_next(s, e);
    if (rc >= 0)
      return rc;
  }
  for (;;) {
    int rc = sd_journal_next(s->j);
    if (rc < 0) {
      lr_log(LOG_ERR, "reading the journal: %s", strerror(-rc));
      return -1;
    }
    if (rc == 0) {
      if (tail_start(s))
        return tail_next(s, e) > 0 ? 1 : 0;
      return 0;
    }
    if (s->skip_cursor) {
      bool same = sd_journal_test_cursor(s->j, s->skip_cursor) > 0;
      free(s->skip_cursor);
      s->skip_cursor = NULL;
      if (same)
        continue; /* processed before the restart */
    }
    break;
  }
  uint64_t usec = 0;
  int64_t realtime = sd_journal_get_realtime_usec(s->j, &usec) < 0 ? -1 : (int64_t)usec;
  if (s->has_until && realtime >= 0 && usec > s->until) {
    sd_journal_previous(s->j); /* stay before it: it ends the input every time */
    return 0;
  }
  s->has_entry = true;
  s->tail_entry = false;
  s->handback[0] = '\0';
  lr_entry_begin(e, realtime, &journal_hooks, s);
  return 1;
}

static void journal_close(struct lr_source *base)
{
  struct journal_source *s = (struct journal_source *)base;
  sd_journal_close(s->j);
  lr_journal_tail_free(s->tail);
  free(s->skip_cursor);
  free(s->dir);
  free(s);
}

struct lr_source *lr_source_journal_open(enum lr_journal_kind kind, const char *const *paths,
                                         size_t npaths, char *err, size_t errlen)
{
  struct journal_source *s = lr_xcalloc(1, sizeof(*s));
  s->base = (struct lr_source){"journal", journal_next, journal_close};
  int rc;
  switch (kind) {
  case LR_JOURNAL_LOCAL:
    rc = sd_journal_open(&s->j, SD_JOURNAL_LOCAL_ONLY);
    break;
  case LR_JOURNAL_DIRECTORY:
    rc = npaths == 1 ? sd_journal_open_directory(&s->j, paths[0], 0) : -EINVAL;
    break;
  default: {
    const char **list = lr_xcalloc(npaths + 1, sizeof(*list));
    memcpy(list, paths, npaths * sizeof(*list));
    rc = sd_journal_open_files(&s->j, list, 0);
    free(list);
  }
  }
  if (rc < 0) {
    snprintf(err, errlen, "cannot open the journal%s%s: %s", npaths ? " at " : "",
             npaths ? paths[0] : "", strerror(-rc));
    free(s);
    return NULL;
  }
  /* A field can be huge (core dumps); rules only need the start of it. */
  sd_journal_set_data_threshold(s->j, DATA_THRESHOLD);
  s->kind = kind;
  if (kind == LR_JOURNAL_DIRECTORY)
    s->dir = lr_xstrdup(paths[0]);
  return &s->base;
}

static sd_journal *J(struct lr_source *s) { return ((struct journal_source *)s)->j; }

int lr_source_journal_seek_head(struct lr_source *s) { return sd_journal_seek_head(J(s)); }

int lr_source_journal_seek_tail(struct lr_source *s)
{
  int rc = sd_journal_seek_tail(J(s));
  if (rc >= 0)
    rc = sd_journal_previous(J(s)); /* so that next() returns only new entries */
  if (rc > 0) /* on the last entry: its cursor is where a restart resumes */
    ((struct journal_source *)s)->has_entry = true;
  else if (rc == 0) /* no entry yet (an empty --journal-dir): all that comes is new, and a
                       tail still to find would skip all but the last of the first file's */
    rc = sd_journal_seek_head(J(s));
  return rc < 0 ? rc : 0;
}

int lr_source_journal_seek_since(struct lr_source *s, uint64_t realtime_usec)
{
  return sd_journal_seek_realtime_usec(J(s), realtime_usec);
}

static bool has_unit_suffix(const char *unit)
{
  static const char *const suffixes[] = {".service", ".socket", ".target", ".device",
                                         ".mount",   ".automount", ".swap", ".timer",
                                         ".path",    ".slice",  ".scope"};
  size_t n = strlen(unit);
  for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
    size_t k = strlen(suffixes[i]);
    if (n > k && !strcmp(unit + n - k, suffixes[i]))
      return true;
  }
  return false;
}

int lr_source_journal_match_unit(struct lr_source *s, const char *unit)
{
  ((struct journal_source *)s)->matched = true;
  const char *suffix = has_unit_suffix(unit) ? "" : ".service";
  static const char *const fields[] = {"_SYSTEMD_UNIT", "UNIT"};
  for (size_t i = 0; i < 2; i++) {
    char *m = lr_xasprintf("%s=%s%s", fields[i], unit, suffix);
    int rc = sd_journal_add_match(J(s), m, 0);
    free(m);
    if (rc >= 0)
      rc = sd_journal_add_disjunction(J(s));
    if (rc < 0)
      return rc;
  }
  return 0;
}

void lr_source_journal_until(struct lr_source *s, uint64_t realtime_usec)
{
  struct journal_source *js = (struct journal_source *)s;
  js->has_until = true;
  js->until = realtime_usec;
}

int lr_source_journal_seek_after_cursor(struct lr_source *s, const char *cursor)
{
  struct journal_source *js = (struct journal_source *)s;
  int rc = sd_journal_seek_cursor(js->j, cursor);
  if (rc < 0)
    return rc;
  free(js->skip_cursor);
  js->skip_cursor = lr_xstrdup(cursor);
  return 0;
}

char *lr_source_journal_cursor(struct lr_source *s)
{
  struct journal_source *js = (struct journal_source *)s;
  if (js->tail_entry) {
    char c[LR_JOURNAL_CURSOR_MAX];
    lr_journal_tail_cursor(js->tail, c, sizeof(c));
    return lr_xstrdup(c);
  }
  if (js->handback[0]) /* libsystemd was placed there, and has read nothing since */
    return lr_xstrdup(js->handback);
  char *c = NULL;
  if (!js->has_entry || sd_journal_get_cursor(js->j, &c) < 0)
    return NULL;
  return c;
}

int lr_source_journal_fd(struct lr_source *s) { return sd_journal_get_fd(J(s)); }

int lr_source_journal_events(struct lr_source *s)
{
  struct journal_source *js = (struct journal_source *)s;
  int rc = sd_journal_process(js->j);
  /* files came or went (a rotation, a new user's file): libsystemd knows which */
  if (rc == SD_JOURNAL_INVALIDATE && js->in_tail)
    js->files_changed = true;
  return rc;
}

int lr_source_journal_timeout_ms(struct lr_source *s)
{
  uint64_t t;
  if (sd_journal_get_timeout(J(s), &t) < 0 || t == (uint64_t)-1)
    return -1;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  uint64_t n = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
  return t <= n ? 0 : (int)((t - n + 999) / 1000);
}

bool lr_source_journal_read_directly(struct lr_source *s)
{
  struct journal_source *js = (struct journal_source *)s;
  static const char *const local[] = {"/run/log/journal", "/var/log/journal"};
  if (js->tail || js->matched || js->has_until)
    return js->tail != NULL;
  if (js->kind == LR_JOURNAL_LOCAL)
    js->tail = lr_journal_tail_new(local, 2, true);
  else if (js->kind == LR_JOURNAL_DIRECTORY)
    js->tail = lr_journal_tail_new((const char *const *)&js->dir, 1, false);
  else
    return false; /* files named one by one: nothing says they are being written */
  lr_journal_tail_set_threshold(js->tail, DATA_THRESHOLD);
  return true;
}

void lr_source_journal_direct_stats(struct lr_source *s, struct lr_journal_direct_stats *out)
{
  *out = ((struct journal_source *)s)->stats;
}
