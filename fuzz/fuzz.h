/* What the fuzz targets share. Each fuzz_NAME.c defines LLVMFuzzerTestOneInput;
 * it is linked either with libFuzzer (clang, -DLURUSE_FUZZ=ON: fuzz_NAME) or
 * with seed_main.c (any compiler: fuzz_seeds_NAME replays fuzz/corpus/NAME, the
 * ctest test fuzz.seeds_NAME), so both run the same invariant checks.
 *
 *   int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
 *   {
 *     fuzz_init();
 *     ...
 *     FUZZ_CHECK(out.len < 1000, "output of %zu bytes", out.len);
 *     return 0;
 *   }
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: says which and aborts, which libFuzzer reports as a
 * crash (and saves the input) and the seed replay as a failed test. */
#define FUZZ_CHECK(cond, ...) \
  do { if (!(cond)) fuzz_fail(#cond, __FILE__, __LINE__, __VA_ARGS__); } while (0)
__attribute__((noreturn, format(printf, 4, 5)))
void fuzz_fail(const char *what, const char *file, int line, const char *fmt, ...);

/* Once per process: luruse's log to stderr, errors only (never the host's
 * journal), TZ=UTC so that times do not depend on the machine. */
void fuzz_init(void);

/* Cuts data at the first `sep` byte: *part is what comes before it (its length
 * in *plen), and data/size move past it; without one, the rest is the part. */
void fuzz_split(const uint8_t **data, size_t *size, uint8_t sep, const uint8_t **part,
                size_t *plen);
/* A malloc'd NUL-terminated copy. */
char *fuzz_strndup(const uint8_t *s, size_t n);
/* A private directory for files a target must write (rule files), made once,
 * removed at exit. */
const char *fuzz_tmpdir(void);
/* Writes data to path (replacing it); aborts when it cannot. */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size);
