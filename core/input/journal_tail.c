#define _GNU_SOURCE /* mremap */
/* Reading new entries straight from journald's files (journal_tail.h). Every
 * offset is checked against the mapped, used part of the file before it is
 * followed: a file being written may be inconsistent for a moment, and a file
 * may be corrupt. A check that fails gives the place back to libsystemd. */
#include "input/journal_tail.h"

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "util/xalloc.h"

/* Header fields (offsets in the file header) */
#define H_INCOMPATIBLE 12
#define H_STATE 16
#define H_SEQNUM_ID 72
#define H_HEADER_SIZE 88
#define H_ARENA_SIZE 96
#define H_N_ENTRIES 152
#define H_ENTRY_ARRAY 176
#define H_MIN_SIZE 208 /* every header has the fields up to n_data */

#define INCOMPAT_XZ 1u
#define INCOMPAT_LZ4 2u
#define INCOMPAT_KEYED_HASH 4u
#define INCOMPAT_ZSTD 8u
#define INCOMPAT_COMPACT 16u
#define INCOMPAT_KNOWN (INCOMPAT_XZ | INCOMPAT_LZ4 | INCOMPAT_KEYED_HASH | INCOMPAT_ZSTD | INCOMPAT_COMPACT)
#define STATE_ARCHIVED 2

#define OBJ_DATA 1
#define OBJ_ENTRY 3
#define OBJ_ENTRY_ARRAY 6
#define OBJ_COMPRESSED_ZSTD 4u
#define OBJ_COMPRESSION 7u

#define OBJ_HEADER 16     /* type, flags, reserved[6], le64 size */
#define ENTRY_ITEMS 64    /* seqnum, realtime, monotonic, boot id, xor hash */
#define ARRAY_ITEMS 24    /* next_entry_array_offset */
#define DATA_PAYLOAD 64   /* hash, next hash, next field, entry, entry array, n_entries */
#define DATA_PAYLOAD_COMPACT 72 /* + tail_entry_array_offset, _n_entries (le32) */

#define MAX_FILES 64
#define DEFAULT_THRESHOLD (1u << 20)

/* Data objects seen before: most of an entry's (_PID, _UID, _HOSTNAME, ...)
 * are shared by many entries, and a data object does not change once
 * written, so one checked is not checked again, and its name's length and
 * the caller's id for it are kept. Direct-mapped on the file and offset; a
 * start, or new ids from the caller, empties it. */
#define DCACHE_BITS 12
enum { D_CHECKED = 1, D_NAMED = 2 };
struct dslot {
  uint64_t key;  /* file index << 56 | offset */
  uint32_t gen;  /* valid when the reader's dgen */
  int32_t id;    /* D_NAMED: the caller's id, or -1 */
  uint32_t nlen; /* D_NAMED: the name's length */
  uint8_t state;
};

struct jfile {
  char *path;
  int fd;
  int slot; /* in mapped[], for the SIGBUS handler; -1: none */
  const uint8_t *map;
  size_t maplen;
  uint64_t header_size;
  bool compact;
  /* where the next entry of the file's entry array chain is */
  uint64_t arr, arr_cap, idx, seen;
  uint64_t next_off, next_seqnum; /* next_off 0: not read yet */
  uint64_t last_off;              /* the entry consumed last (0: none since the start) */
};

struct lr_journal_tail {
  char **roots;
  size_t nroots;
  bool machine_only, explicit_files;
  uint8_t machine_id[16];
  bool have_machine_id;
  struct jfile files[MAX_FILES];
  size_t nfiles;
  bool started;
  uint8_t seqnum_id[16];
  uint64_t last_seqnum;
  const struct jfile *cur;
  uint64_t cur_off;
  size_t threshold;
  ZSTD_DCtx *zd;
  uint8_t *zbuf;
  size_t zcap;
  char why[256];
  bool broken;                /* the last -1 was a check or a fault, not a rotation */
  struct dslot dcache[1u << DCACHE_BITS];
  uint32_t dgen, ids_gen;
  sig_atomic_t faults_seen;
};

/* ---- a file cut short under the reader ----
 * Reading a mapped page past the end of a file that shrank raises SIGBUS. As
 * libsystemd does for its own maps, the handler maps a page of zeros there
 * (the checks then fail, and the place goes back to libsystemd) and counts
 * it; a fault anywhere else goes to the handler that was there before
 * (libsystemd's, or the default). Installed at the first start, after
 * libsystemd's own (sd_journal_open), so that it sees our faults first. */
#define MAP_SLOTS (2 * MAX_FILES)
static struct {
  volatile uintptr_t start, end;
} mapped[MAP_SLOTS];
static volatile sig_atomic_t faults;
static struct sigaction previous_bus;
static bool bus_installed;
static uintptr_t page_size;

static void on_sigbus(int sig, siginfo_t *si, void *uctx)
{
  uintptr_t a = (uintptr_t)si->si_addr;
  for (int i = 0; si->si_code == BUS_ADRERR && i < MAP_SLOTS; i++)
    if (a >= mapped[i].start && a < mapped[i].end) {
      void *page = (void *)(a & ~(page_size - 1));
      if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
          MAP_FAILED) {
        faults++;
        return;
      }
    }
  if (previous_bus.sa_flags & SA_SIGINFO) {
    previous_bus.sa_sigaction(sig, si, uctx);
  } else if (previous_bus.sa_handler != SIG_DFL && previous_bus.sa_handler != SIG_IGN) {
    previous_bus.sa_handler(sig);
  } else { /* the default: end here, with the signal */
    signal(SIGBUS, SIG_DFL);
    raise(SIGBUS);
  }
}

static void bus_install(void)
{
  if (bus_installed)
    return;
  page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
  struct sigaction sa = {.sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER};
  sigemptyset(&sa.sa_mask);
  bus_installed = sigaction(SIGBUS, &sa, &previous_bus) == 0;
}

static void slot_set(struct jfile *f)
{
  if (f->slot < 0)
    for (int i = 0; i < MAP_SLOTS; i++)
      if (!mapped[i].end) {
        f->slot = i;
        break;
      }
  if (f->slot >= 0) {
    mapped[f->slot].end = 0; /* never a range half old, half new */
    mapped[f->slot].start = (uintptr_t)f->map;
    mapped[f->slot].end = (uintptr_t)f->map + f->maplen;
  }
}

static void slot_clear(struct jfile *f)
{
  if (f->slot >= 0)
    mapped[f->slot].end = mapped[f->slot].start = 0;
  f->slot = -1;
}

static uint64_t rd64(const uint8_t *p)
{
  uint64_t v;
  memcpy(&v, p, 8);
  return le64toh(v);
}

static uint32_t rd32(const uint8_t *p)
{
  uint32_t v;
  memcpy(&v, p, 4);
  return le32toh(v);
}

/* The writer links an entry, then counts it: read the count first. */
static uint64_t n_entries(const struct jfile *f)
{
  return le64toh(__atomic_load_n((const uint64_t *)(const void *)(f->map + H_N_ENTRIES),
                                 __ATOMIC_ACQUIRE));
}

/* -1 for something that does not check out (t->broken), or for the plain end
 * of a file that was rotated (moved_on). */
static int say(struct lr_journal_tail *t, const struct jfile *f, const char *what, bool broken)
{
  snprintf(t->why, sizeof(t->why), "%s%s%s", f ? f->path : "", f ? ": " : "", what);
  t->broken = broken;
  return -1;
}

static int fail(struct lr_journal_tail *t, const struct jfile *f, const char *what)
{
  return say(t, f, what, true);
}

static int moved_on(struct lr_journal_tail *t, const struct jfile *f, const char *what)
{
  return say(t, f, what, false);
}

/* ---- objects, checked ---- */

/* Makes [0, end) readable, mapping more of the file when it grew. */
static bool reach(struct jfile *f, uint64_t end)
{
  if (end <= f->maplen)
    return true;
  struct stat st;
  if (fstat(f->fd, &st) < 0 || (uint64_t)st.st_size < end)
    return false;
  void *m = mremap((void *)f->map, f->maplen, (size_t)st.st_size, MREMAP_MAYMOVE);
  if (m == MAP_FAILED)
    return false;
  f->map = m;
  f->maplen = (size_t)st.st_size;
  slot_set(f);
  return true;
}

/* The object of `type` at off, at least min bytes, wholly inside the used part
 * of the file; its size in *size. NULL when any of that does not hold. */
static const uint8_t *object(struct jfile *f, uint64_t off, int type, uint64_t min,
                             uint64_t *size)
{
  uint64_t used;
  if (__builtin_add_overflow(f->header_size, rd64(f->map + H_ARENA_SIZE), &used))
    return NULL;
  if (off < f->header_size || off % 8 || off > used || used - off < OBJ_HEADER)
    return NULL;
  if (!reach(f, off + OBJ_HEADER))
    return NULL;
  const uint8_t *o = f->map + off;
  uint64_t sz = rd64(o + 8);
  if (o[0] != type || sz < min || sz > used - off || !reach(f, off + sz))
    return NULL;
  *size = sz;
  return f->map + off; /* reach() may have moved the map */
}

static uint64_t item_size(const struct jfile *f) { return f->compact ? 4 : 8; }

static uint64_t array_item(const struct jfile *f, const uint8_t *arr, uint64_t i)
{
  return f->compact ? rd32(arr + ARRAY_ITEMS + 4 * i) : rd64(arr + ARRAY_ITEMS + 8 * i);
}

static uint64_t entry_item_size(const struct jfile *f) { return f->compact ? 4 : 16; }

static uint64_t entry_item(const struct jfile *f, const uint8_t *e, uint64_t i)
{
  return f->compact ? rd32(e + ENTRY_ITEMS + 4 * i) : rd64(e + ENTRY_ITEMS + 16 * i);
}

static uint64_t data_payload(const struct jfile *f)
{
  return f->compact ? DATA_PAYLOAD_COMPACT : DATA_PAYLOAD;
}

static uint64_t dkey(const struct lr_journal_tail *t, const struct jfile *f, uint64_t off)
{
  return (uint64_t)(f - t->files) << 56 | off;
}

static struct dslot *dslot(struct lr_journal_tail *t, uint64_t key)
{
  return &t->dcache[(key * 0x9e3779b97f4a7c15ull) >> (64 - DCACHE_BITS)];
}

/* An entry whose every data object checks out, and whose data this reader can
 * decompress; 0 when it is not (yet) such an entry. */
static uint64_t entry_seqnum_checked(struct lr_journal_tail *t, struct jfile *f, uint64_t off,
                                     const char **bad)
{
  uint64_t size;
  const uint8_t *e = object(f, off, OBJ_ENTRY, ENTRY_ITEMS, &size);
  if (!e) {
    *bad = "an entry array points to no entry";
    return 0;
  }
  uint64_t seqnum = rd64(e + 16), n = (size - ENTRY_ITEMS) / entry_item_size(f);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t dsize, doff = entry_item(f, e, i), key = dkey(t, f, doff);
    struct dslot *ds = dslot(t, key);
    if (ds->gen == t->dgen && ds->key == key) /* checked before */
      continue;
    const uint8_t *d = object(f, doff, OBJ_DATA, data_payload(f), &dsize);
    if (!d) {
      *bad = "an entry points to no data";
      return 0;
    }
    unsigned comp = d[1] & OBJ_COMPRESSION;
    if (comp && comp != OBJ_COMPRESSED_ZSTD) {
      *bad = "data compressed with XZ or LZ4";
      return 0;
    }
    *ds = (struct dslot){.key = key, .gen = t->dgen, .state = D_CHECKED};
    e = f->map + off; /* object() may have moved the map */
  }
  if (!seqnum)
    *bad = "an entry without a sequence number";
  return seqnum;
}

/* The entry array at off and how many items it holds. */
static const uint8_t *array_at(struct jfile *f, uint64_t off, uint64_t *cap)
{
  uint64_t size;
  const uint8_t *a = object(f, off, OBJ_ENTRY_ARRAY, ARRAY_ITEMS + item_size(f), &size);
  if (a)
    *cap = (size - ARRAY_ITEMS) / item_size(f);
  return a;
}

/* Reads the file's next entry into next_off/next_seqnum: 1, 0 none yet, -1. */
static int load_next(struct lr_journal_tail *t, struct jfile *f)
{
  if (f->next_off)
    return 1;
  uint64_t n = n_entries(f);
  if (f->seen >= n) /* archived: what follows is in another file */
    return f->map[H_STATE] == STATE_ARCHIVED ? moved_on(t, f, "rotated") : 0;
  const uint8_t *a;
  if (!f->arr || f->idx == f->arr_cap) {
    uint64_t next;
    if (!f->arr) {
      next = rd64(f->map + H_ENTRY_ARRAY);
    } else {
      if (!(a = array_at(f, f->arr, &f->arr_cap)))
        return fail(t, f, "an entry array went away");
      next = rd64(a + 16);
    }
    if (!next)
      return 0; /* counted before linked: the writer is in between */
    /* arrays are appended, entries in offset order: a chain that goes back
     * (a cycle) would be read again and again */
    if (f->arr && next <= f->arr)
      return fail(t, f, "the entry array chain goes backwards");
    if (!array_at(f, next, &f->arr_cap))
      return fail(t, f, "an entry array link points to no entry array");
    f->arr = next;
    f->idx = 0;
  }
  uint64_t cap;
  if (!(a = array_at(f, f->arr, &cap)))
    return fail(t, f, "an entry array went away");
  uint64_t off = array_item(f, a, f->idx);
  if (!off)
    return 0;
  if (off <= f->last_off)
    return fail(t, f, "entries out of order in an entry array");
  const char *bad = NULL;
  uint64_t seqnum = entry_seqnum_checked(t, f, off, &bad);
  if (!seqnum)
    return fail(t, f, bad);
  f->next_off = off;
  f->next_seqnum = seqnum;
  return 1;
}

static void consume(struct jfile *f)
{
  f->last_off = f->next_off;
  f->next_off = 0;
  f->idx++;
  f->seen++;
}

/* Places f before its first entry with a sequence number above `after`: whole
 * arrays are skipped on their last entry, then a bisection in the array. */
static int seek_after(struct lr_journal_tail *t, struct jfile *f, uint64_t after)
{
  uint64_t n = n_entries(f), off = rd64(f->map + H_ENTRY_ARRAY), seen = 0, cap = 0;
  f->arr = 0;
  f->idx = f->seen = f->arr_cap = 0;
  f->next_off = f->last_off = 0;
  const char *bad = NULL;
  while (seen < n && off) {
    const uint8_t *a = array_at(f, off, &cap);
    if (!a)
      return fail(t, f, "the entry array chain is broken");
    uint64_t valid = n - seen < cap ? n - seen : cap;
    uint64_t last = entry_seqnum_checked(t, f, array_item(f, a, valid - 1), &bad);
    if (!last)
      return fail(t, f, bad);
    if (last <= after) {
      seen += valid;
      f->arr = off;
      f->arr_cap = cap;
      f->idx = valid;
      f->seen = seen;
      if (valid < cap)
        return 0;
      uint64_t next = rd64(f->map + off + 16);
      if (next && next <= off)
        return fail(t, f, "the entry array chain goes backwards");
      off = next;
      continue;
    }
    uint64_t lo = 0, hi = valid - 1; /* the first above `after` is in [lo, hi] */
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo) / 2;
      a = f->map + off;
      uint64_t s = entry_seqnum_checked(t, f, array_item(f, a, mid), &bad);
      if (!s)
        return fail(t, f, bad);
      if (s <= after)
        lo = mid + 1;
      else
        hi = mid;
    }
    f->arr = off;
    f->arr_cap = cap;
    f->idx = lo;
    f->seen = seen + lo;
    return 0;
  }
  return 0;
}

/* ---- files ---- */

static void close_file(struct jfile *f)
{
  slot_clear(f);
  if (f->map)
    munmap((void *)f->map, f->maplen);
  if (f->fd >= 0)
    close(f->fd);
  free(f->path);
  *f = (struct jfile){.fd = -1, .slot = -1};
}

/* 1: mapped and following; 0: not a file being written (archived); -1. */
static int open_file(struct lr_journal_tail *t, struct jfile *f, const char *path)
{
  *f = (struct jfile){.fd = -1, .slot = -1, .path = lr_xstrdup(path)};
  struct stat st;
  f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (f->fd < 0 || fstat(f->fd, &st) < 0)
    return fail(t, f, strerror(errno));
  if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < H_MIN_SIZE)
    return fail(t, f, "not a journal file");
  void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, f->fd, 0);
  if (m == MAP_FAILED)
    return fail(t, f, strerror(errno));
  f->map = m;
  f->maplen = (size_t)st.st_size;
  slot_set(f);
  if (memcmp(f->map, "LPKSHHRH", 8) != 0)
    return fail(t, f, "not a journal file");
  uint32_t incompat = rd32(f->map + H_INCOMPATIBLE);
  if (incompat & ~INCOMPAT_KNOWN)
    return fail(t, f, "a journal file format newer than this reader");
  f->compact = incompat & INCOMPAT_COMPACT;
  f->header_size = rd64(f->map + H_HEADER_SIZE);
  if (f->header_size < H_MIN_SIZE || f->header_size % 8 || f->header_size > f->maplen)
    return fail(t, f, "a journal header of a bad size");
  if (!t->explicit_files && f->map[H_STATE] == STATE_ARCHIVED)
    return 0;
  if (memcmp(f->map + H_SEQNUM_ID, t->seqnum_id, 16) != 0)
    return fail(t, f, "a file of another sequence (seqnum id)");
  return 1;
}

static bool hex_id(const char *s, uint8_t id[16])
{
  if (strlen(s) != 32)
    return false;
  for (int i = 0; i < 16; i++) {
    unsigned v;
    if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdef", s[2 * i]) ||
        !strchr("0123456789abcdef", s[2 * i + 1]))
      return false;
    id[i] = (uint8_t)v;
  }
  return true;
}

/* A file journald may still write: NAME.journal, not NAME@...journal (archived
 * or set aside as corrupt). */
static bool active_name(const char *name)
{
  size_t n = strlen(name);
  return n > 8 && !strcmp(name + n - 8, ".journal") && !strchr(name, '@');
}

static int add_dir(struct lr_journal_tail *t, const char *dir, int depth)
{
  DIR *d = opendir(dir);
  if (!d)
    return errno == ENOENT ? 0 : fail(t, NULL, "cannot list a journal directory");
  int rc = 0;
  struct dirent *de;
  while (rc == 0 && (de = readdir(d))) {
    char *path = lr_xasprintf("%s/%s", dir, de->d_name);
    uint8_t id[16];
    struct stat st;
    if (active_name(de->d_name)) {
      if (t->nfiles == MAX_FILES)
        rc = fail(t, NULL, "more journal files being written than this reader follows");
      else {
        int o = open_file(t, &t->files[t->nfiles], path);
        if (o > 0)
          t->nfiles++;
        else
          close_file(&t->files[t->nfiles]);
        rc = o < 0 ? -1 : 0;
      }
    } else if (depth == 0 && hex_id(de->d_name, id) && stat(path, &st) == 0 &&
               S_ISDIR(st.st_mode) &&
               (!t->machine_only || (t->have_machine_id && !memcmp(id, t->machine_id, 16)))) {
      rc = add_dir(t, path, 1);
    }
    free(path);
  }
  closedir(d);
  return rc;
}

static struct lr_journal_tail *tail_alloc(const char *const *names, size_t n)
{
  struct lr_journal_tail *t = lr_xcalloc(1, sizeof(*t));
  t->roots = lr_xcalloc(n ? n : 1, sizeof(*t->roots));
  for (size_t i = 0; i < n; i++)
    t->roots[i] = lr_xstrdup(names[i]);
  t->nroots = n;
  t->threshold = DEFAULT_THRESHOLD;
  t->dgen = 1; /* slots of generation 0 are empty */
  for (size_t i = 0; i < MAX_FILES; i++)
    t->files[i] = (struct jfile){.fd = -1, .slot = -1};
  return t;
}

struct lr_journal_tail *lr_journal_tail_new(const char *const *dirs, size_t ndirs,
                                            bool machine_only)
{
  struct lr_journal_tail *t = tail_alloc(dirs, ndirs);
  t->machine_only = machine_only;
  char buf[64] = {0};
  int fd = open("/etc/machine-id", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t r = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (r >= 32) {
      buf[32] = '\0';
      t->have_machine_id = hex_id(buf, t->machine_id);
    }
  }
  return t;
}

struct lr_journal_tail *lr_journal_tail_new_files(const char *const *paths, size_t npaths)
{
  struct lr_journal_tail *t = tail_alloc(paths, npaths);
  t->explicit_files = true;
  return t;
}

void lr_journal_tail_stop(struct lr_journal_tail *t)
{
  for (size_t i = 0; i < t->nfiles; i++)
    close_file(&t->files[i]);
  t->nfiles = 0;
  t->started = false;
  t->cur = NULL;
}

void lr_journal_tail_free(struct lr_journal_tail *t)
{
  if (!t)
    return;
  lr_journal_tail_stop(t);
  for (size_t i = 0; i < t->nroots; i++)
    free(t->roots[i]);
  free(t->roots);
  ZSTD_freeDCtx(t->zd);
  free(t->zbuf);
  free(t);
}

void lr_journal_tail_set_threshold(struct lr_journal_tail *t, size_t bytes)
{
  t->threshold = bytes ? bytes : DEFAULT_THRESHOLD;
}

bool lr_journal_tail_started(const struct lr_journal_tail *t) { return t->started; }

bool lr_journal_tail_broken(const struct lr_journal_tail *t) { return t->broken; }

const char *lr_journal_tail_why(const struct lr_journal_tail *t) { return t->why; }

int lr_journal_tail_start(struct lr_journal_tail *t, const uint8_t seqnum_id[16],
                          uint64_t after_seqnum)
{
  lr_journal_tail_stop(t);
  bus_install();
  t->faults_seen = faults;
  t->dgen++; /* other files, other offsets */
  t->why[0] = '\0';
  t->broken = false;
  memcpy(t->seqnum_id, seqnum_id, 16);
  t->last_seqnum = after_seqnum;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < t->nroots; i++) {
    if (t->explicit_files) {
      if (t->nfiles == MAX_FILES) {
        rc = fail(t, NULL, "too many files");
        break;
      }
      int o = open_file(t, &t->files[t->nfiles], t->roots[i]);
      if (o > 0)
        t->nfiles++;
      else
        close_file(&t->files[t->nfiles]);
      rc = o < 0 ? -1 : 0;
    } else {
      rc = add_dir(t, t->roots[i], 0);
    }
  }
  for (size_t i = 0; rc == 0 && i < t->nfiles; i++)
    rc = seek_after(t, &t->files[i], after_seqnum);
  if (rc == 0 && !t->nfiles)
    rc = fail(t, NULL, "no journal file being written");
  if (rc < 0) {
    char why[sizeof(t->why)];
    memcpy(why, t->why, sizeof(why));
    lr_journal_tail_stop(t);
    memcpy(t->why, why, sizeof(why));
    return -1;
  }
  t->started = true;
  return 0;
}

/* The entry with the next sequence number, from whichever file has it. A file
 * whose next entry is further on may be ahead of one still linking it: look
 * twice before calling it a gap. */
int lr_journal_tail_next(struct lr_journal_tail *t)
{
  t->broken = false;
  if (!t->started)
    return moved_on(t, NULL, "not started");
  if (faults != t->faults_seen) {
    t->faults_seen = faults;
    return fail(t, NULL, "a journal file shrank under the reader (SIGBUS): it reads zeros there");
  }
  for (int pass = 0; pass < 2; pass++) {
    struct jfile *best = NULL;
    for (size_t i = 0; i < t->nfiles; i++) {
      struct jfile *f = &t->files[i];
      int rc;
      while ((rc = load_next(t, f)) > 0 && f->next_seqnum <= t->last_seqnum)
        consume(f); /* read before (a file seen at a start, or a duplicate) */
      if (rc < 0)
        return -1;
      if (rc > 0 && (!best || f->next_seqnum < best->next_seqnum))
        best = f;
    }
    if (!best)
      return 0;
    if (best->next_seqnum == t->last_seqnum + 1) {
      t->cur = best;
      t->cur_off = best->next_off;
      t->last_seqnum = best->next_seqnum;
      consume(best);
      return 1;
    }
  }
  snprintf(t->why, sizeof(t->why),
           "entry %" PRIu64 " is in no file being followed (one rotated, or a new one began)",
           t->last_seqnum + 1);
  return -1;
}

/* ---- the current entry ---- */

static const uint8_t *cur_entry(const struct lr_journal_tail *t, uint64_t *n)
{
  const struct jfile *f = t->cur;
  const uint8_t *e = f->map + t->cur_off;
  *n = (rd64(e + 8) - ENTRY_ITEMS) / entry_item_size(f);
  return e;
}

/* At most t->threshold bytes of a zstd frame, into t->zbuf; its length, or
 * -1 when the frame is broken. */
static ssize_t unzstd(struct lr_journal_tail *t, const uint8_t *src, size_t len)
{
  if (!t->zd && !(t->zd = ZSTD_createDCtx()))
    return -1;
  unsigned long long content = ZSTD_getFrameContentSize(src, len);
  size_t want = t->threshold;
  if (content != ZSTD_CONTENTSIZE_UNKNOWN && content != ZSTD_CONTENTSIZE_ERROR && content < want)
    want = (size_t)content;
  if (t->zcap < want + 1) {
    free(t->zbuf);
    t->zcap = want + 1;
    t->zbuf = lr_xmalloc(t->zcap);
  }
  ZSTD_DCtx_reset(t->zd, ZSTD_reset_session_only);
  ZSTD_inBuffer in = {src, len, 0};
  ZSTD_outBuffer out = {t->zbuf, want, 0};
  while (out.pos < out.size) {
    size_t r = ZSTD_decompressStream(t->zd, &out, &in);
    if (ZSTD_isError(r))
      return -1;
    if (r == 0 || (in.pos == in.size && out.pos < out.size))
      break; /* the frame's end, or its input used up */
  }
  return (ssize_t)out.pos;
}

void lr_journal_tail_each(struct lr_journal_tail *t,
                          void (*cb)(void *arg, const char *name, size_t nlen, const char *val,
                                     size_t vlen),
                          void *arg)
{
  if (!t->cur)
    return;
  const struct jfile *f = t->cur;
  uint64_t n;
  const uint8_t *e = cur_entry(t, &n);
  for (uint64_t i = 0; i < n; i++) {
    /* checked by next(): inside the map, a data object, known compression */
    const uint8_t *d = f->map + entry_item(f, e, i);
    const uint8_t *p = d + data_payload(f);
    size_t len = (size_t)(rd64(d + 8) - data_payload(f));
    if (d[1] & OBJ_COMPRESSED_ZSTD) {
      ssize_t got = unzstd(t, p, len);
      if (got < 0)
        continue; /* as sd_journal_enumerate_available_data skips it */
      p = t->zbuf;
      len = (size_t)got;
    }
    const uint8_t *eq = memchr(p, '=', len);
    if (eq)
      cb(arg, (const char *)p, (size_t)(eq - p), (const char *)eq + 1, len - (size_t)(eq - p) - 1);
  }
}

void lr_journal_tail_each_id(struct lr_journal_tail *t,
                             int (*resolve)(void *arg, const char *name, size_t nlen),
                             void (*cb)(void *arg, int id, const char *val, size_t vlen),
                             void *arg, uint32_t ids_gen)
{
  if (!t->cur)
    return;
  if (ids_gen != t->ids_gen) { /* ids cached for names may be stale */
    t->ids_gen = ids_gen;
    t->dgen++;
  }
  const struct jfile *f = t->cur;
  uint64_t n;
  const uint8_t *e = cur_entry(t, &n);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t doff = entry_item(f, e, i), key = dkey(t, f, doff);
    const uint8_t *d = f->map + doff; /* checked by next() */
    const uint8_t *p = d + data_payload(f);
    size_t len = (size_t)(rd64(d + 8) - data_payload(f));
    if (d[1] & OBJ_COMPRESSED_ZSTD) { /* the name is inside: nothing to keep */
      ssize_t got = unzstd(t, p, len);
      const uint8_t *eq = got < 0 ? NULL : memchr(t->zbuf, '=', (size_t)got);
      int id = eq ? resolve(arg, (const char *)t->zbuf, (size_t)(eq - t->zbuf)) : -1;
      if (id >= 0)
        cb(arg, id, (const char *)eq + 1, (size_t)got - (size_t)(eq - t->zbuf) - 1);
      continue;
    }
    struct dslot *ds = dslot(t, key);
    if (ds->gen != t->dgen || ds->key != key || !(ds->state & D_NAMED)) {
      const uint8_t *eq = memchr(p, '=', len);
      *ds = (struct dslot){.key = key, .gen = t->dgen, .state = D_CHECKED | D_NAMED, .id = -1};
      if (eq) {
        ds->nlen = (uint32_t)(eq - p);
        ds->id = resolve(arg, (const char *)p, ds->nlen);
      }
    }
    if (ds->id >= 0)
      cb(arg, ds->id, (const char *)p + ds->nlen + 1, len - ds->nlen - 1);
  }
}

uint64_t lr_journal_tail_realtime(const struct lr_journal_tail *t)
{
  return t->cur ? rd64(t->cur->map + t->cur_off + 24) : 0;
}

void lr_journal_tail_boot_time(const struct lr_journal_tail *t, uint64_t *monotonic,
                               uint8_t boot_id[16])
{
  const uint8_t *e = t->cur->map + t->cur_off;
  *monotonic = rd64(e + 32);
  memcpy(boot_id, e + 40, 16);
}

static void hex(char *out, const uint8_t *id)
{
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) {
    out[2 * i] = digits[id[i] >> 4];
    out[2 * i + 1] = digits[id[i] & 15];
  }
  out[32] = '\0';
}

void lr_journal_tail_cursor(const struct lr_journal_tail *t, char *buf, size_t len)
{
  const uint8_t *e = t->cur->map + t->cur_off;
  char sid[33], bid[33];
  hex(sid, t->seqnum_id);
  hex(bid, e + 40);
  snprintf(buf, len, "s=%s;i=%" PRIx64 ";b=%s;m=%" PRIx64 ";t=%" PRIx64 ";x=%" PRIx64, sid,
           rd64(e + 16), bid, rd64(e + 32), rd64(e + 24), rd64(e + 56));
}

bool lr_journal_cursor_seqnum(const char *cursor, uint8_t seqnum_id[16], uint64_t *seqnum)
{
  bool have_id = false, have_seq = false;
  for (const char *p = cursor; p && *p;) {
    const char *end = strchr(p, ';');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 34 && !strncmp(p, "s=", 2)) {
      char id[33];
      memcpy(id, p + 2, 32);
      id[32] = '\0';
      have_id = hex_id(id, seqnum_id);
    } else if (n > 2 && n < 20 && !strncmp(p, "i=", 2)) {
      char num[20];
      memcpy(num, p + 2, n - 2);
      num[n - 2] = '\0';
      char *stop;
      errno = 0;
      *seqnum = strtoull(num, &stop, 16);
      have_seq = !errno && *stop == '\0' && stop != num;
    }
    p = end ? end + 1 : NULL;
  }
  return have_id && have_seq;
}
