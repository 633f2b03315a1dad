/* The tail of the journal read straight from journald's files (read-only
 * mmap), for `luruse run` once it has caught up: libsystemd stays the reader of
 * record (positioning, rotation, vacuuming, matches, saved cursors), and hands
 * its place to this reader, which only follows the files journald is writing
 * and only as long as every new entry is the next sequence number. Anything
 * else (a gap: a rotated or new file; a structure it cannot check; XZ or LZ4
 * data) makes next() say -1, and the caller goes back to libsystemd from the
 * last entry's cursor, which this reader formats exactly as libsystemd does.
 * The format: https://systemd.io/JOURNAL_FILE_FORMAT (compact and regular
 * files, zstd data). A file that shrinks under the reader (SIGBUS) reads as
 * zeros from there, and the place goes back to libsystemd.
 *
 *   struct lr_journal_tail *t = lr_journal_tail_new(dirs, n, machine_only);
 *   if (lr_journal_tail_start(t, seqnum_id, last_seqnum) == 0)
 *     while ((rc = lr_journal_tail_next(t)) > 0) lr_journal_tail_each(t, cb, arg);
 *   ... rc < 0: sd_journal_seek_cursor(j, lr_journal_tail_cursor(...)) ...
 *   lr_journal_tail_free(t);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lr_journal_tail;

/* Reads the journal files in dirs and in their subdirectories named by a
 * machine id (only this machine's when machine_only), as libsystemd's
 * directory and local journals do. Nothing is opened yet. */
struct lr_journal_tail *lr_journal_tail_new(const char *const *dirs, size_t ndirs,
                                            bool machine_only);
/* The files themselves (tests, fuzzing): exactly these, archived or not. */
struct lr_journal_tail *lr_journal_tail_new_files(const char *const *paths, size_t npaths);
void lr_journal_tail_free(struct lr_journal_tail *t);

/* Fields longer than this come cut to it when compressed (as libsystemd's
 * sd_journal_set_data_threshold). */
void lr_journal_tail_set_threshold(struct lr_journal_tail *t, size_t bytes);

/* Maps the files being written and places the reader after the entry with
 * that sequence number. 0, or -1 with the reason in lr_journal_tail_why (a
 * file of another seqnum id, a format it does not read, ...). */
int lr_journal_tail_start(struct lr_journal_tail *t, const uint8_t seqnum_id[16],
                          uint64_t after_seqnum);
/* Unmaps everything; start() may be called again. */
void lr_journal_tail_stop(struct lr_journal_tail *t);
bool lr_journal_tail_started(const struct lr_journal_tail *t);
const char *lr_journal_tail_why(const struct lr_journal_tail *t);
/* After next() gave -1: true when something did not check out (a corrupt or
 * shrunk file), false for a rotation or a gap (the journal moved on). */
bool lr_journal_tail_broken(const struct lr_journal_tail *t);

/* 1: the next entry is current; 0: none yet; -1: give the place back to
 * libsystemd (reason in lr_journal_tail_why). */
int lr_journal_tail_next(struct lr_journal_tail *t);

/* The current entry (after next() gave 1). Fields in the file's order; a
 * value may hold any byte; pointers are valid until the next call. */
void lr_journal_tail_each(struct lr_journal_tail *t,
                          void (*cb)(void *arg, const char *name, size_t nlen, const char *val,
                                     size_t vlen),
                          void *arg);
/* The same for a caller with its own ids for field names: resolve (an id, or
 * -1 to skip the field) is asked once per data object, the answer kept with
 * the object (most are shared between entries) while ids_gen stays the same;
 * cb gets the id and the value. */
void lr_journal_tail_each_id(struct lr_journal_tail *t,
                             int (*resolve)(void *arg, const char *name, size_t nlen),
                             void (*cb)(void *arg, int id, const char *val, size_t vlen),
                             void *arg, uint32_t ids_gen);
uint64_t lr_journal_tail_realtime(const struct lr_journal_tail *t);
void lr_journal_tail_boot_time(const struct lr_journal_tail *t, uint64_t *monotonic,
                               uint8_t boot_id[16]);
/* libsystemd's cursor of the current entry ("s=...;i=...;b=...;m=...;t=...;x=...").
 * Needs LR_JOURNAL_CURSOR_MAX bytes. */
#define LR_JOURNAL_CURSOR_MAX 160
void lr_journal_tail_cursor(const struct lr_journal_tail *t, char *buf, size_t len);

/* Parses the seqnum id and sequence number out of a libsystemd cursor. */
bool lr_journal_cursor_seqnum(const char *cursor, uint8_t seqnum_id[16], uint64_t *seqnum);
