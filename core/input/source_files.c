/* Followed text files (see source_files.h). Each file is read through its own
 * buffer: lines are handed out in place, NUL-terminated, and a file's position
 * is the offset just past the last byte handed out, so that what a commit
 * saves is exactly what the rules have seen. */
#include "input/source_files.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/line_entry.h"
#include "input/source.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#define HEAD_MAX 1024      /* bytes hashed to recognise a file after a restart */
#define BUF_CAP (LR_LINE_MAX + 1)
#define RUN_MAX 256        /* lines from one file before the next gets its turn */
#define POSITION_VERSION 1
/* After a rename, the writer goes on writing into the old file until it
 * reopens (logrotate's postrotate): the old one is left when the new one has
 * a first byte, or after this long. */
#define ROTATE_GRACE_USEC (10 * 1000000LL)

struct spec {
  char *pattern, *identifier;
  bool plain, glob;
};

struct followed {
  char *path;
  const struct spec *spec; /* the first spec naming it */
  struct lr_line_entry le;
  int fd;                  /* -1: missing or unreadable, retried at each poll */
  dev_t dev;
  ino_t ino;
  int64_t pos;             /* just past the last byte handed out */
  char *buf;               /* [start, end): read, not handed out yet */
  size_t start, end;
  bool skipping;           /* dropping the rest of a line cut at LR_LINE_MAX */
  uint32_t head_len;       /* [0, head_len) hashed into head_hash */
  uint64_t head_hash;
  bool finishing;          /* fd is an older file than the path names: read it to its end */
  int open_errno;          /* last failure logged (0: none) */
  bool deleted_logged, seen;
  bool orphan;             /* no spec names it any more: dropped at its end */
  int64_t rotated_at;      /* when the path was first seen naming another file (0: not) */
  bool final_pass;         /* the old file read once more before it is left */
  uint64_t cut;
};

struct files_source {
  struct lr_source base;
  char *(*lookup)(void *ctx, const char *key);
  void *lookup_ctx;
  struct spec *specs;
  size_t nspecs;
  char **dirs;
  size_t ndirs;
  struct followed **files;
  size_t nfiles, cur;
  unsigned run; /* lines in a row from files[cur] */
};

static uint64_t fnv1a(const char *p, size_t n)
{
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)p[i]) * 1099511628211ull;
  return h;
}

/* The hash of the first n bytes of fd; false when it has fewer. */
static bool head_hash(int fd, uint32_t n, uint64_t *out)
{
  char head[HEAD_MAX];
  size_t got = 0;
  while (got < n) {
    ssize_t r = pread(fd, head + got, n - got, (off_t)got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    got += (size_t)r;
  }
  *out = fnv1a(head, n);
  return true;
}

static void forget_buffer(struct followed *f)
{
  f->start = f->end = 0;
  f->skipping = false;
}

static void close_fd(struct followed *f)
{
  if (f->fd >= 0)
    close(f->fd);
  f->fd = -1;
  forget_buffer(f);
}

/* Opens path for f, read from pos. Logs why not, once per reason. */
static bool open_at(struct followed *f, const char *path, int64_t pos, bool quiet_missing)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  struct stat st;
  int why = fd < 0 ? errno : fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
  if (why) {
    if (fd >= 0)
      close(fd);
    if (why != f->open_errno && !(why == ENOENT && quiet_missing)) {
      if (why == ENOENT)
        lr_log(LOG_INFO, "%s: not there yet: it is read from its start when it appears", path);
      else if (why == EINVAL)
        lr_log(LOG_WARNING, "%s: not a regular file: not followed (checked again every second)",
               path);
      else
        lr_log(LOG_WARNING, "%s: cannot open: %s (tried again every second)", path,
               strerror(why));
    }
    f->open_errno = why;
    return false;
  }
  if (f->open_errno && f->open_errno != ENOENT)
    lr_log(LOG_NOTICE, "%s: readable now", path);
  f->open_errno = 0;
  if (pos > (int64_t)st.st_size)
    pos = st.st_size;
  if (lseek(fd, (off_t)pos, SEEK_SET) < 0)
    pos = 0;
  close_fd(f);
  f->fd = fd;
  f->dev = st.st_dev;
  f->ino = st.st_ino;
  f->pos = pos;
  f->head_len = 0;
  f->head_hash = fnv1a(NULL, 0);
  f->deleted_logged = false;
  f->rotated_at = 0;
  f->final_pass = false;
  return true;
}

struct saved {
  unsigned long long dev, ino;
  int64_t pos;
  uint32_t head_len;
  uint64_t head_hash;
};

static bool parse_saved(const char *v, struct saved *s)
{
  unsigned ver, head_len;
  long long pos;
  unsigned long long hash;
  if (!v || sscanf(v, "%u %llu %llu %lld %u %llx", &ver, &s->dev, &s->ino, &pos, &head_len,
                   &hash) != 6 || ver != POSITION_VERSION || pos < 0 || head_len > HEAD_MAX ||
      head_len > pos)
    return false;
  s->pos = pos;
  s->head_len = head_len;
  s->head_hash = hash;
  return true;
}

/* Is the file at path the one saved, with at least its saved length? */
static bool try_saved(struct followed *f, const char *path, const struct saved *s,
                      bool want_inode)
{
  if (!open_at(f, path, 0, true))
    return false;
  struct stat st;
  uint64_t h;
  bool same = fstat(f->fd, &st) == 0 && (int64_t)st.st_size >= s->pos &&
              (!want_inode || (st.st_dev == s->dev && st.st_ino == s->ino)) &&
              head_hash(f->fd, s->head_len, &h) && h == s->head_hash &&
              lseek(f->fd, (off_t)s->pos, SEEK_SET) == (off_t)s->pos;
  if (!same) {
    close_fd(f);
    return false;
  }
  f->pos = s->pos;
  f->head_len = s->head_len;
  f->head_hash = s->head_hash;
  return true;
}

/* First sight of f since luruse started: where it was left, else as asked. */
static void first_open(struct files_source *src, struct followed *f, bool at_end)
{
  char *key = lr_xasprintf("file:%s", f->path);
  char *value = src->lookup ? src->lookup(src->lookup_ctx, key) : NULL;
  struct saved s;
  bool have = parse_saved(value, &s);
  free(key);
  free(value);
  if (have) {
    char *rotated = lr_xasprintf("%s.1", f->path);
    if (try_saved(f, f->path, &s, true)) {
      lr_log(LOG_INFO, "%s: resuming at byte %" PRId64, f->path, s.pos);
    } else if (s.head_len > 0 && try_saved(f, rotated, &s, false)) {
      /* rotated while luruse was stopped: the rest of the old file first */
      f->finishing = true;
      lr_log(LOG_NOTICE, "%s: rotated while luruse was stopped: finishing %s from byte %" PRId64
                         " before the new file", f->path, rotated, s.pos);
    } else if (s.head_len == HEAD_MAX && try_saved(f, f->path, &s, false)) {
      lr_log(LOG_INFO, "%s: resuming at byte %" PRId64 " (same content, another inode)",
             f->path, s.pos);
    } else {
      if (s.pos > 0)
        lr_log(LOG_WARNING, "%s: the file read up to byte %" PRId64 " before the stop is gone "
                            "(rotated away while luruse was stopped, and not found as %s): what "
                            "was written to it after the stop is lost; the current file is read "
                            "from its start", f->path, s.pos, rotated);
      open_at(f, f->path, 0, false);
    }
    free(rotated);
    return;
  }
  struct stat st;
  if (open_at(f, f->path, 0, false) && at_end && fstat(f->fd, &st) == 0) {
    f->pos = st.st_size;
    lseek(f->fd, (off_t)f->pos, SEEK_SET);
  }
}

static void log_cut(struct followed *f)
{
  if (f->cut++ == 0)
    lr_log(LOG_WARNING, "%s: a line longer than %zu bytes at byte %" PRId64
                        ": cut there, the rest skipped (logged once per file)",
           f->path, LR_LINE_MAX, f->pos);
}

/* The next whole line of f's buffer, NUL-terminated in place; false when the
 * buffer holds none. */
static bool buffered_line(struct followed *f, char **line, size_t *len)
{
  if (f->skipping) {
    char *nl = memchr(f->buf + f->start, '\n', f->end - f->start);
    size_t drop = nl ? (size_t)(nl + 1 - (f->buf + f->start)) : f->end - f->start;
    f->start += drop;
    f->pos += (int64_t)drop;
    if (!nl)
      return false;
    f->skipping = false;
  }
  char *p = f->buf + f->start;
  size_t have = f->end - f->start;
  char *nl = memchr(p, '\n', have);
  if (nl) {
    size_t n = (size_t)(nl - p);
    f->start += n + 1;
    f->pos += (int64_t)n + 1;
    if (n && p[n - 1] == '\r')
      n--;
    p[n] = '\0';
    *line = p;
    *len = n;
    return true;
  }
  if (have < LR_LINE_MAX)
    return false;
  log_cut(f);
  /* the byte replaced by the NUL belongs to the rest, which is skipped */
  f->start += LR_LINE_MAX;
  f->pos += (int64_t)LR_LINE_MAX;
  f->skipping = true;
  p[LR_LINE_MAX] = '\0';
  *line = p;
  *len = LR_LINE_MAX;
  return true;
}

/* 1: more bytes in the buffer; 0: at the end of the file; -1: read error (closed). */
static int fill(struct followed *f)
{
  if (f->start > 0) {
    memmove(f->buf, f->buf + f->start, f->end - f->start);
    f->end -= f->start;
    f->start = 0;
  }
  for (;;) {
    ssize_t r = read(f->fd, f->buf + f->end, BUF_CAP - 1 - f->end);
    if (r > 0) {
      f->end += (size_t)r;
      return 1;
    }
    if (r == 0)
      return 0;
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN)
      return 0;
    lr_log(LOG_ERR, "%s: read error at byte %" PRId64 ": %s (opened again at the next poll)",
           f->path, f->pos, strerror(errno));
    close_fd(f);
    return -1;
  }
}

/* The partial last line of a file that will get no more bytes, as a line. */
static bool last_partial(struct followed *f, char **line, size_t *len)
{
  if (f->skipping || f->end == f->start)
    return false;
  char *p = f->buf + f->start;
  size_t n = f->end - f->start;
  f->start = f->end;
  f->pos += (int64_t)n;
  p[n] = '\0'; /* end < BUF_CAP: room for it */
  *line = p;
  *len = n;
  return true;
}

enum turn { TURN_IDLE, TURN_AGAIN, TURN_LINE };

/* The hash of the first bytes handed out grows with them to HEAD_MAX, so that
 * the file is known again after a restart or a copytruncate. */
static void update_head(struct followed *f)
{
  uint32_t want = f->pos < HEAD_MAX ? (uint32_t)f->pos : HEAD_MAX;
  if (f->head_len < want && head_hash(f->fd, want, &f->head_hash))
    f->head_len = want;
}

/* copytruncate's copy, PATH.1, holds what f had not read yet: finish it there. */
static bool finish_copy(struct followed *f, int64_t read_to)
{
  char *copy = lr_xasprintf("%s.1", f->path);
  int fd = open(copy, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  struct stat st;
  uint64_t h;
  bool same = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              (int64_t)st.st_size > read_to && f->head_len > 0 &&
              head_hash(fd, f->head_len, &h) && h == f->head_hash &&
              lseek(fd, (off_t)read_to, SEEK_SET) == (off_t)read_to;
  if (same) {
    lr_log(LOG_INFO, "%s: its unread end is in the copy %s: read there first", f->path, copy);
    close(f->fd); /* the buffer (a partial line) goes on in the copy: kept */
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->finishing = true;
  } else if (fd >= 0) {
    close(fd);
  }
  free(copy);
  return same;
}

/* At the end of f's bytes: was the file truncated, rotated or deleted? */
static enum turn at_end(struct followed *f, char **line, size_t *len)
{
  struct stat mine, named;
  int64_t read_to = f->pos + (int64_t)(f->end - f->start);
  uint64_t h;
  update_head(f);
  bool shrunk = fstat(f->fd, &mine) == 0 && (int64_t)mine.st_size < read_to;
  bool rewritten = !shrunk && f->head_len > 0 && !f->finishing &&
                   (!head_hash(f->fd, f->head_len, &h) || h != f->head_hash);
  if (shrunk || rewritten) {
    lr_log(LOG_NOTICE, "%s: %s at byte %" PRId64 " (copytruncate?)", f->path,
           shrunk ? "truncated" : "rewritten from its start", f->pos);
    if (shrunk && finish_copy(f, read_to))
      return TURN_AGAIN;
    if (last_partial(f, line, len))
      return TURN_LINE; /* handed out before the bytes go: called again at once */
    lr_log(LOG_NOTICE, "%s: read again from its start", f->path);
    forget_buffer(f);
    lseek(f->fd, 0, SEEK_SET);
    f->pos = 0;
    f->head_len = 0;
    return TURN_AGAIN;
  }
  if (stat(f->path, &named) < 0) {
    if (errno == ENOENT && !f->deleted_logged && !f->finishing && !f->orphan) {
      lr_log(LOG_INFO, "%s: deleted: what is still written to it is read until a new file of "
                       "that name appears", f->path);
      f->deleted_logged = true;
    }
    return TURN_IDLE;
  }
  if (named.st_dev == f->dev && named.st_ino == f->ino)
    return TURN_IDLE;
  /* renamed away (logrotate), or deleted and created again */
  if (!f->final_pass) {
    int64_t now = lr_wall_usec();
    if (!f->rotated_at)
      f->rotated_at = now;
    if (named.st_size == 0 && now - f->rotated_at < ROTATE_GRACE_USEC)
      return TURN_IDLE; /* the writer has not moved to the new file yet */
    /* it has: what it wrote into the old one before is there now */
    f->final_pass = true;
    return TURN_AGAIN;
  }
  if (last_partial(f, line, len))
    return TURN_LINE; /* final_pass stays: the switch is at the next call */
  int64_t was = f->pos;
  bool finishing = f->finishing;
  f->finishing = false;
  if (!open_at(f, f->path, 0, false))
    return TURN_IDLE; /* gone again, or unreadable: the next poll tries again */
  lr_log(LOG_INFO, "%s: %s: the old one read to its end (byte %" PRId64 "), the new one from "
                   "its start", f->path, finishing ? "the rotated file finished" : "rotated", was);
  return TURN_AGAIN;
}

/* The next line of f: TURN_LINE, or TURN_IDLE when it has none now. */
static enum turn file_line(struct followed *f, char **line, size_t *len)
{
  if (f->fd < 0)
    return TURN_IDLE;
  for (int reopened = 0; reopened < 3;) {
    if (buffered_line(f, line, len))
      return TURN_LINE;
    int rc = fill(f);
    if (rc > 0)
      continue;
    if (rc < 0)
      return TURN_IDLE;
    enum turn t = at_end(f, line, len);
    if (t != TURN_AGAIN)
      return t;
    reopened++; /* truncated or rotated: read on, but a file rotating in a loop waits */
  }
  return TURN_IDLE;
}

static void drop_file(struct files_source *s, size_t i);

static int files_next(struct lr_source *base, struct lr_entry *e)
{
  struct files_source *s = (struct files_source *)base;
  for (size_t idle = 0; idle < s->nfiles;) {
    if (s->cur >= s->nfiles)
      s->cur = 0;
    if (s->run >= RUN_MAX) { /* its turn is over, not its lines: the next file's turn */
      s->run = 0;
      s->cur++;
      continue;
    }
    struct followed *f = s->files[s->cur];
    char *line;
    size_t len;
    if (file_line(f, &line, &len) == TURN_LINE) {
      s->run++;
      lr_line_entry_begin(&f->le, e, line, len, lr_wall_usec(), !(f->spec && f->spec->plain));
      return 1;
    }
    s->run = 0;
    idle++;
    if (f->orphan)
      drop_file(s, s->cur);
    else
      s->cur++;
  }
  return 0;
}

static void free_file(struct followed *f)
{
  close_fd(f);
  if (f->cut > 1)
    lr_log(LOG_WARNING, "%s: %" PRIu64 " line(s) longer than %zu bytes cut in all", f->path,
           f->cut, LR_LINE_MAX);
  free(f->buf);
  free(f->path);
  free(f);
}

static void free_specs(struct spec *specs, size_t n, char **dirs, size_t ndirs)
{
  for (size_t i = 0; i < n; i++) {
    free(specs[i].pattern);
    free(specs[i].identifier);
  }
  free(specs);
  for (size_t i = 0; i < ndirs; i++)
    free(dirs[i]);
  free(dirs);
}

static void files_close(struct lr_source *base)
{
  struct files_source *s = (struct files_source *)base;
  for (size_t i = 0; i < s->nfiles; i++)
    free_file(s->files[i]);
  free(s->files);
  free_specs(s->specs, s->nspecs, s->dirs, s->ndirs);
  free(s);
}

struct lr_source *lr_source_files_open(char *(*lookup)(void *ctx, const char *key),
                                       void *lookup_ctx)
{
  struct files_source *s = lr_xcalloc(1, sizeof(*s));
  s->base = (struct lr_source){"files", files_next, files_close};
  s->lookup = lookup;
  s->lookup_ctx = lookup_ctx;
  return &s->base;
}

static struct followed *find_file(struct files_source *s, const char *path)
{
  for (size_t i = 0; i < s->nfiles; i++)
    if (strcmp(s->files[i]->path, path) == 0)
      return s->files[i];
  return NULL;
}

/* path named by spec: followed from now on if it was not. */
static void name_file(struct files_source *s, const struct spec *spec, const char *path,
                      bool at_end)
{
  struct followed *f = find_file(s, path);
  if (f) {
    if (!f->seen) { /* the first spec naming it gives its identifier */
      f->spec = spec;
      f->le.identifier = spec->identifier;
    }
    f->seen = true;
    return;
  }
  f = lr_xcalloc(1, sizeof(*f));
  f->path = lr_xstrdup(path);
  f->spec = spec;
  f->fd = -1;
  f->buf = lr_xmalloc(BUF_CAP);
  f->le.path = f->path;
  f->le.identifier = spec->identifier;
  f->seen = true;
  s->files = lr_xreallocarray(s->files, s->nfiles + 1, sizeof(*s->files));
  s->files[s->nfiles++] = f;
  first_open(s, f, at_end);
}

static void name_all(struct files_source *s, bool at_end)
{
  for (size_t i = 0; i < s->nfiles; i++)
    s->files[i]->seen = false;
  for (size_t i = 0; i < s->nspecs; i++) {
    const struct spec *spec = &s->specs[i];
    if (!spec->glob) {
      name_file(s, spec, spec->pattern, at_end);
      continue;
    }
    glob_t g;
    if (glob(spec->pattern, 0, NULL, &g) == 0)
      for (size_t k = 0; k < g.gl_pathc; k++)
        name_file(s, spec, g.gl_pathv[k], at_end);
    globfree(&g);
  }
  /* no longer named (a glob's file gone, or the rules changed): let go once
   * the bytes still there are read (files_next) */
  for (size_t i = 0; i < s->nfiles; i++)
    s->files[i]->orphan = !s->files[i]->seen;
}

static void drop_file(struct files_source *s, size_t i)
{
  free_file(s->files[i]);
  memmove(s->files + i, s->files + i + 1, (s->nfiles - i - 1) * sizeof(*s->files));
  s->nfiles--;
}

static bool has_glob(const char *p) { return strpbrk(p, "*?[") != NULL; }

static char *dir_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash == path ? lr_xstrdup("/") : lr_xstrndup(path, (size_t)(slash - path));
}

void lr_source_files_set(struct lr_source *base, const struct lr_file_spec *specs, size_t n,
                         bool from_start)
{
  struct files_source *s = (struct files_source *)base;
  struct spec *old = s->specs;
  size_t nold = s->nspecs;
  char **old_dirs = s->dirs;
  size_t nold_dirs = s->ndirs;
  s->specs = lr_xcalloc(n ? n : 1, sizeof(*s->specs));
  s->dirs = lr_xcalloc(n ? n : 1, sizeof(*s->dirs));
  s->nspecs = n;
  s->ndirs = 0;
  for (size_t i = 0; i < n; i++) {
    struct spec *sp = &s->specs[i];
    sp->pattern = lr_xstrdup(specs[i].pattern);
    sp->identifier = specs[i].identifier ? lr_xstrdup(specs[i].identifier) : NULL;
    sp->plain = specs[i].plain;
    sp->glob = has_glob(sp->pattern);
    char *dir = dir_of(sp->pattern);
    bool dup = false;
    for (size_t k = 0; k < s->ndirs && !dup; k++)
      dup = strcmp(s->dirs[k], dir) == 0;
    if (dup)
      free(dir);
    else
      s->dirs[s->ndirs++] = dir;
  }
  /* files followed before point at the old specs until named again here */
  name_all(s, !from_start);
  for (size_t i = 0; i < s->nfiles; i++)
    if (s->files[i]->orphan) { /* not named any more: its old spec goes */
      s->files[i]->spec = NULL;
      s->files[i]->le.identifier = NULL;
    }
  free_specs(old, nold, old_dirs, nold_dirs);
}

void lr_source_files_poll(struct lr_source *base)
{
  struct files_source *s = (struct files_source *)base;
  name_all(s, false); /* what appears from now on is new: read from its start */
  for (size_t i = 0; i < s->nfiles; i++) {
    struct followed *f = s->files[i];
    if (f->fd < 0 && !f->orphan)
      open_at(f, f->path, 0, true);
  }
}

const char *lr_source_files_dir(const struct lr_source *base, size_t i)
{
  const struct files_source *s = (const struct files_source *)base;
  return i < s->ndirs ? s->dirs[i] : NULL;
}

void lr_source_files_positions(struct lr_source *base,
                               void (*cb)(void *ctx, const char *key, const char *value),
                               void *ctx)
{
  struct files_source *s = (struct files_source *)base;
  for (size_t i = 0; i < s->nfiles; i++) {
    struct followed *f = s->files[i];
    if (f->fd < 0 || f->orphan)
      continue;
    update_head(f);
    char key[4200], value[128];
    snprintf(key, sizeof(key), "file:%s", f->path);
    snprintf(value, sizeof(value), "%d %llu %llu %" PRId64 " %u %016" PRIx64, POSITION_VERSION,
             (unsigned long long)f->dev, (unsigned long long)f->ino, f->pos, f->head_len,
             f->head_hash);
    cb(ctx, key, value);
  }
}

void lr_source_files_counts(const struct lr_source *base, size_t *open, size_t *waiting)
{
  const struct files_source *s = (const struct files_source *)base;
  *open = *waiting = 0;
  for (size_t i = 0; i < s->nfiles; i++)
    if (s->files[i]->fd >= 0)
      (*open)++;
    else
      (*waiting)++;
}
