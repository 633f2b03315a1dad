/* Minimal table-friendly assertions for C unit tests; one executable per module,
 * each registered with ctest. Prints "N passed, N failed" and exits non-zero on failure.
 *
 *   CHECK(x == 1);  CHECK_STR(got, "want");  return check_done();
 *   CHECK_STR(check_read_file(path), "line\n");   // what a stand-in command wrote
 *   REQUIRE(st != NULL);   // fatal: on failure, reports and ends the test (exit 1)
 *
 * Use REQUIRE where going on after a failed check would crash (a NULL used).
 */
#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond) (void)check_report((cond), #cond, __FILE__, __LINE__, NULL, NULL)
#define REQUIRE(cond) \
  do { if (!check_report((cond), #cond, __FILE__, __LINE__, NULL, NULL)) check_abort(); } while (0)
#define CHECK_STR(got, want) \
  do { const char *g_ = (got), *w_ = (want); \
       check_report(g_ && strcmp(g_, w_) == 0, #got " == " #want, __FILE__, __LINE__, g_, w_); } while (0)
#define CHECK_INT(got, want) \
  do { long long g_ = (long long)(got), w_ = (long long)(want); char gb_[32], wb_[32]; \
       snprintf(gb_, sizeof(gb_), "%lld", g_); snprintf(wb_, sizeof(wb_), "%lld", w_); \
       check_report(g_ == w_, #got " == " #want, __FILE__, __LINE__, gb_, wb_); } while (0)

static inline int check_report(int ok, const char *what, const char *file, int line,
                               const char *got, const char *want)
{
  if (ok) { check_passed++; return 1; }
  check_failed++;
  fprintf(stderr, "FAIL %s:%d: %s", file, line, what);
  if (got || want)
    fprintf(stderr, " (got \"%s\", want \"%s\")", got ? got : "(null)", want ? want : "(null)");
  fputc('\n', stderr);
  return 0;
}

static inline int check_done(void)
{
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed ? 1 : 0;
}

/* A small file's contents ("" when it cannot be read), valid until the next call. */
static inline const char *check_read_file(const char *path)
{
  static char buf[8192];
  FILE *f = fopen(path, "r");
  if (!f)
    return "";
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

/* A REQUIRE failed: the counts so far, and the test ends. */
__attribute__((noreturn)) static inline void check_abort(void)
{
  fprintf(stderr, "a required check failed: the rest of this test is skipped\n");
  printf("%d passed, %d failed\n", check_passed, check_failed);
  exit(1);
}
