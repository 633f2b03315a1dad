/* Followed files: lines as they are written, partial lines, long and binary
 * lines, rotation by rename, copytruncate, deletion and re-creation, a file
 * that appears later, globs, and positions that survive a restart (also when
 * the file was rotated while luruse was stopped). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "input/entry.h"
#include "input/source.h"
#include "input/source_files.h"

static char dir[256], path[300], got[200000];
static struct lr_entry E;
static lr_field_id F_FILE, F_IDENT;

/* The saved positions: what a commit would have written. */
static char saved_key[4200], saved_value[128];

static void save(void *ctx, const char *key, const char *value)
{
  (void)ctx;
  snprintf(saved_key, sizeof(saved_key), "%s", key);
  snprintf(saved_value, sizeof(saved_value), "%s", value);
}

static char *lookup(void *ctx, const char *key)
{
  (void)ctx;
  return strcmp(key, saved_key) == 0 ? strdup(saved_value) : NULL;
}

__attribute__((format(printf, 2, 3)))
static void append(const char *p, const char *fmt, ...)
{
  FILE *f = fopen(p, "a");
  REQUIRE(f != NULL);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
  fclose(f);
}

/* The MESSAGEs of every line there is now, joined with '|'. */
static const char *lines(struct lr_source *s)
{
  got[0] = '\0';
  size_t n = 0;
  while (s->next(s, &E) > 0) {
    const struct lr_value *v = lr_entry_get(&E, LR_F_MESSAGE);
    REQUIRE(v && v->type == LR_VAL_STR && v->str[v->len] == '\0');
    n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%.*s", n ? "|" : "", (int)v->len, v->str);
    REQUIRE(n < sizeof(got));
  }
  return got;
}

static struct lr_source *follow(const char *pattern, bool from_start)
{
  struct lr_source *s = lr_source_files_open(lookup, NULL);
  struct lr_file_spec spec = {pattern, "web", false};
  lr_source_files_set(s, &spec, 1, from_start);
  return s;
}

static void basics(void)
{
  append(path, "before start\n");
  struct lr_source *s = follow(path, false);
  CHECK_STR(lines(s), ""); /* a first start reads new lines only */
  append(path, "one\ntwo\r\n");
  CHECK_STR(lines(s), "one|two");
  const struct lr_value *f = lr_entry_get(&E, F_FILE), *id = lr_entry_get(&E, F_IDENT);
  CHECK(f && strcmp(f->str, path) == 0);
  CHECK(id && strcmp(id->str, "web") == 0);
  /* many lines at once: all of them, however long the turns between files */
  for (int i = 0; i < 1000; i++)
    append(path, "n%d\n", i);
  const char *many = lines(s);
  CHECK(strncmp(many, "n0|n1|", 6) == 0 && strstr(many, "|n999") && !strstr(many, "n999|"));
  append(path, "par");
  CHECK_STR(lines(s), ""); /* held until its newline */
  append(path, "tial\n");
  CHECK_STR(lines(s), "partial");
  /* a syslog header is taken apart; its parts are NUL-terminated too */
  append(path, "Mar  4 00:08:18 host sshd[42]: Failed password for root\n");
  CHECK_STR(lines(s), "Failed password for root");
  id = lr_entry_get(&E, F_IDENT);
  CHECK(id && id->len == 4 && strcmp(id->str, "sshd") == 0);

  /* a line longer than 64 KiB is cut there, the rest skipped */
  char *big = malloc(70001);
  memset(big, 'A', 70000);
  big[70000] = '\0';
  append(path, "%s\nafter\n", big);
  const char *l = lines(s);
  CHECK(strlen(l) == 65536 + strlen("|after") && strcmp(l + 65536, "|after") == 0);
  free(big);
  /* binary and non-UTF-8 bytes pass as they are */
  FILE *fp = fopen(path, "a");
  fwrite("bin\0ary \xff\xfe\n", 1, 11, fp);
  fclose(fp);
  CHECK(s->next(s, &E) == 1);
  const struct lr_value *m = lr_entry_get(&E, LR_F_MESSAGE);
  CHECK(m && m->len == 10 && memcmp(m->str, "bin\0ary \xff\xfe", 10) == 0);
  CHECK(s->next(s, &E) == 0);

  /* rotation by rename: the old file's last lines (even a partial one), then the new */
  char old[320];
  snprintf(old, sizeof(old), "%s.1", path);
  append(path, "last of old\nno newline");
  CHECK(rename(path, old) == 0);
  append(path, "first of new\n");
  CHECK_STR(lines(s), "last of old|no newline|first of new");
  /* logrotate's create: the new file is there, empty, while the writer still
   * writes into the old one until it reopens */
  unlink(old);
  CHECK(rename(path, old) == 0);
  int keep = open(old, O_WRONLY | O_APPEND);
  append(path, "%s", "");
  CHECK_STR(lines(s), "");
  CHECK(write(keep, "late in old\n", 12) == 12);
  CHECK_STR(lines(s), "late in old");
  CHECK(write(keep, "last in old\n", 12) == 12);
  close(keep);
  append(path, "first after reopen\n");
  CHECK_STR(lines(s), "last in old|first after reopen");
  /* copytruncate: the file shrinks, read from 0 */
  append(path, "pre-truncate\n");
  CHECK_STR(lines(s), "pre-truncate");
  CHECK(truncate(path, 0) == 0);
  append(path, "after truncate\n");
  CHECK_STR(lines(s), "after truncate");
  /* copytruncate before the last lines were read: they are in the copy */
  append(path, "unread at the copy\nand a part");
  CHECK_STR(lines(s), "unread at the copy");
  append(path, "ial line\n");
  char cmd[800];
  snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", path, old);
  CHECK(system(cmd) == 0);
  CHECK(truncate(path, 0) == 0);
  append(path, "after the copy\n");
  CHECK_STR(lines(s), "and a partial line|after the copy");
  /* deleted, then created again */
  CHECK(unlink(path) == 0);
  CHECK_STR(lines(s), "");
  append(path, "recreated\n");
  CHECK_STR(lines(s), "recreated");
  unlink(old);
  s->close(s);
}

static void appears_later(void)
{
  char later[320], glob[320], a[320], b[320];
  snprintf(later, sizeof(later), "%s/later.log", dir);
  struct lr_source *s = follow(later, false);
  size_t open, waiting;
  lr_source_files_counts(s, &open, &waiting);
  CHECK(open == 0 && waiting == 1);
  CHECK_STR(lines(s), "");
  append(later, "hello\nworld\n");
  lr_source_files_poll(s);
  CHECK_STR(lines(s), "hello|world"); /* new since the start: from its first line */
  lr_source_files_counts(s, &open, &waiting);
  CHECK(open == 1 && waiting == 0);
  CHECK_STR(lr_source_files_dir(s, 0), dir);
  CHECK(lr_source_files_dir(s, 1) == NULL);
  s->close(s);
  unlink(later);

  snprintf(glob, sizeof(glob), "%s/*access.log", dir);
  snprintf(a, sizeof(a), "%s/a-access.log", dir);
  snprintf(b, sizeof(b), "%s/b-access.log", dir);
  append(a, "a0\n");
  s = follow(glob, true);
  CHECK_STR(lines(s), "a0"); /* from_start */
  append(b, "b1\n");
  CHECK_STR(lines(s), "");
  lr_source_files_poll(s);
  CHECK_STR(lines(s), "b1");
  CHECK(unlink(a) == 0);
  lr_source_files_poll(s);
  CHECK_STR(lines(s), "");
  lr_source_files_counts(s, &open, &waiting);
  CHECK(open == 1 && waiting == 0); /* the glob's file gone: let go */
  s->close(s);
  unlink(b);
}

/* Positions: exactly where the last line handed out ended. */
static void restarts(void)
{
  char old[320];
  snprintf(old, sizeof(old), "%s.1", path);
  unlink(path);
  append(path, "l1\nl2\n");
  struct lr_source *s = follow(path, true);
  CHECK_STR(lines(s), "l1|l2");
  append(path, "l3\npart");
  CHECK_STR(lines(s), "l3");
  lr_source_files_positions(s, save, NULL);
  char want_key[320];
  snprintf(want_key, sizeof(want_key), "file:%s", path);
  CHECK_STR(saved_key, want_key);
  s->close(s);
  append(path, "ial\nl4\n");
  s = follow(path, false); /* a saved position wins over "from the end" */
  CHECK_STR(lines(s), "partial|l4");
  lr_source_files_positions(s, save, NULL);
  s->close(s);

  /* rotated while stopped: the rest of PATH.1 first, then the new file */
  append(path, "late1\nlate2\n");
  CHECK(rename(path, old) == 0);
  append(path, "new1\n");
  s = follow(path, false);
  CHECK_STR(lines(s), "late1|late2|new1");
  lr_source_files_positions(s, save, NULL);
  s->close(s);

  /* copytruncate while stopped: the copy is PATH.1 */
  append(path, "late3\n");
  unlink(old);
  char cmd[800];
  snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", path, old);
  CHECK(system(cmd) == 0);
  CHECK(truncate(path, 0) == 0);
  append(path, "new2\n");
  s = follow(path, false);
  CHECK_STR(lines(s), "late3|new2");
  lr_source_files_positions(s, save, NULL);
  s->close(s);

  /* rotated twice: the old part is lost (logged), the new file read whole */
  unlink(old);
  CHECK(rename(path, old) == 0);
  char older[330];
  snprintf(older, sizeof(older), "%s.2", path);
  CHECK(rename(old, older) == 0);
  append(path, "new3\n");
  s = follow(path, false);
  CHECK_STR(lines(s), "new3");
  lr_source_files_positions(s, save, NULL);
  s->close(s);
  /* same inode and length, other first bytes (rewritten): not the file saved */
  int fd = open(path, O_WRONLY | O_TRUNC);
  CHECK(write(fd, "xxxx\nother\n", 11) == 11);
  close(fd);
  s = follow(path, false);
  CHECK_STR(lines(s), "xxxx|other");
  s->close(s);
  unlink(older);
  unlink(path);
}

static void unreadable(void)
{
  if (geteuid() == 0) /* root reads anyway: tests/test_files_follow.sh runs it unprivileged */
    return;
  char locked[320];
  snprintf(locked, sizeof(locked), "%s/locked.log", dir);
  append(locked, "x\n");
  chmod(locked, 0);
  struct lr_source *s = follow(locked, true);
  size_t open, waiting;
  lr_source_files_counts(s, &open, &waiting);
  CHECK(open == 0 && waiting == 1);
  chmod(locked, 0600);
  lr_source_files_poll(s);
  CHECK_STR(lines(s), "x");
  s->close(s);
  unlink(locked);
}

int main(void)
{
  snprintf(dir, sizeof(dir), "/tmp/lr-files-XXXXXX");
  REQUIRE(mkdtemp(dir) != NULL);
  snprintf(path, sizeof(path), "%s/app.log", dir);
  lr_fields_intern("MESSAGE", 7);
  F_FILE = lr_fields_intern("LURUSE_FILE", 11);
  F_IDENT = lr_fields_intern("SYSLOG_IDENTIFIER", 17);
  lr_entry_init(&E);
  basics();
  appears_later();
  restarts();
  unreadable();
  lr_entry_free(&E);
  rmdir(dir);
  return check_done();
}
