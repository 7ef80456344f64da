/*
 * fuzz_common.h - helpers shared by the libpop3 fuzz harnesses.
 *
 * Each harness is one source file (fuzz/fuzz_*.c) that defines
 * LLVMFuzzerTestOneInput() and includes this header first.  Built:
 *   - for libFuzzer:  clang -fsanitize=fuzzer,address,undefined (no main);
 *   - with -DPOP3_FUZZ_MAIN: a main() that runs files or directories named
 *     on the command line, or else stdin - the AFL++ target (persistent
 *     mode with shared-memory test cases when built by afl-clang-fast/lto)
 *     and the coverage replayer.
 *
 * Nothing here is clever: a failed invariant prints one line naming it and
 * aborts, which both libFuzzer and AFL++ record as a crash.
 */
#ifndef POP3_FUZZ_COMMON_H
#define POP3_FUZZ_COMMON_H

#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pop3.h"

#if defined(__GNUC__) || defined(__clang__)
#define FUZZ_UNUSED __attribute__((unused))
#define FUZZ_NORETURN __attribute__((noreturn))
#define FUZZ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FUZZ_UNUSED
#define FUZZ_NORETURN
#define FUZZ_PRINTF(a, b)
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------------
 * Invariant failures
 * ---------------------------------------------------------------------- */

static FUZZ_NORETURN FUZZ_PRINTF(3, 4) FUZZ_UNUSED
void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "libpop3 fuzz: INVARIANT FAILED (%s:%d): ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

/* FUZZ_CHECK(condition, printf-style explanation...) */
#define FUZZ_CHECK(cond, ...)                                              \
    do {                                                                   \
        if (!(cond))                                                       \
            fuzz_fail(__FILE__, __LINE__, __VA_ARGS__);                    \
    } while (0)

/* ------------------------------------------------------------------------
 * Deterministic pseudo-random numbers (splitmix64), seeded from the input
 * ---------------------------------------------------------------------- */

typedef struct fuzz_rng {
    uint64_t s;
} fuzz_rng;

static FUZZ_UNUSED uint64_t fuzz_next(fuzz_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform-ish in [0, n); 0 when n == 0. */
static FUZZ_UNUSED uint64_t fuzz_below(fuzz_rng *r, uint64_t n)
{
    return n ? fuzz_next(r) % n : 0;
}

/* 1 with probability num/den. */
static FUZZ_UNUSED int fuzz_chance(fuzz_rng *r, uint64_t num, uint64_t den)
{
    return num && fuzz_below(r, den) < num;
}

/* A pure function of a few values: for answers that two runs must agree
 * on whatever order they are asked in. */
static FUZZ_UNUSED uint64_t fuzz_hash(uint64_t a, uint64_t b, uint64_t c)
{
    fuzz_rng r;
    r.s = a ^ (b * 0x9E3779B97F4A7C15ull) ^ (c * 0xC2B2AE3D27D4EB4Full);
    fuzz_next(&r);
    return fuzz_next(&r);
}

static FUZZ_UNUSED uint64_t fuzz_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* ------------------------------------------------------------------------
 * Growable byte buffer
 * ---------------------------------------------------------------------- */

typedef struct fuzz_buf {
    unsigned char *p;
    size_t len, cap;
} fuzz_buf;

static FUZZ_UNUSED void fuzz_buf_add(fuzz_buf *b, const void *d, size_t n)
{
    if (n == 0)
        return;
    if (b->len + n > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->len + n)
            c *= 2;
        b->p = realloc(b->p, c);
        FUZZ_CHECK(b->p != NULL, "out of memory in the harness");
        b->cap = c;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static FUZZ_UNUSED void fuzz_buf_free(fuzz_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* A private exact-size copy: sanitizers then catch any read past it. */
static FUZZ_UNUSED unsigned char *fuzz_dup(const void *d, size_t n)
{
    unsigned char *p = malloc(n ? n : 1);
    FUZZ_CHECK(p != NULL, "out of memory in the harness");
    if (n)
        memcpy(p, d, n);
    return p;
}

/* ------------------------------------------------------------------------
 * The reference body model (RFC 1939 §3, §11), written independently of
 * lib/encoder.c: what a RETR or TOP must deliver after un-stuffing.
 * ---------------------------------------------------------------------- */

/* CRLF-normalise a raw message: LF -> CRLF, lone CR -> CRLF, CR LF stays,
 * CRLF added when a non-empty message does not end with a line end. */
static FUZZ_UNUSED void fuzz_ref_normalise(const unsigned char *m, size_t n,
                                           fuzz_buf *out)
{
    size_t i, run = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = m[i];
        if (c != '\r' && c != '\n') {
            run++;
            continue;
        }
        fuzz_buf_add(out, m + i - run, run);
        run = 0;
        fuzz_buf_add(out, "\r\n", 2);
        if (c == '\r' && i + 1 < n && m[i + 1] == '\n')
            i++;
    }
    fuzz_buf_add(out, m + n - run, run);
    if (n > 0 && m[n - 1] != '\r' && m[n - 1] != '\n')
        fuzz_buf_add(out, "\r\n", 2);
}

/* TOP of a normalised message: the header lines, the empty line ending
 * them, then at most k body lines.  No empty line: all of it, plus an empty
 * line when add_blank and the message is not empty. */
static FUZZ_UNUSED void fuzz_ref_top(const unsigned char *norm, size_t n,
                                     uint64_t k, int add_blank, fuzz_buf *out)
{
    size_t i = 0;
    int in_body = 0;
    while (i < n) {
        const unsigned char *e = memchr(norm + i, '\n', n - i);
        size_t len = (size_t)(e - (norm + i)) + 1;  /* always CRLF-ended */
        if (in_body) {
            if (k == 0)
                return;
            k--;
        }
        fuzz_buf_add(out, norm + i, len);
        if (!in_body && len == 2)
            in_body = 1;
        i += len;
    }
    if (!in_body && add_blank && n > 0)
        fuzz_buf_add(out, "\r\n", 2);
}

/* Decode one multi-line body (the part after the status line).  Returns
 * the number of wire octets used including the terminator, or 0 when the
 * terminator is missing; *bad (if not 0) explains a malformed body. */
static FUZZ_UNUSED size_t fuzz_unstuff(const unsigned char *w, size_t n,
                                       fuzz_buf *out, uint64_t *stuffed,
                                       const char **bad)
{
    size_t i = 0;
    *bad = NULL;
    while (i < n) {
        const unsigned char *lf = memchr(w + i, '\n', n - i);
        const unsigned char *cr;
        size_t len;
        if (!lf)
            return 0;
        len = (size_t)(lf - (w + i)) + 1;
        if (len < 2 || w[i + len - 2] != '\r') {
            *bad = "a body line ends with a bare LF";
            return 0;
        }
        cr = memchr(w + i, '\r', len - 2);
        if (cr) {
            *bad = "a body line contains a bare CR";
            return 0;
        }
        if (len == 3 && w[i] == '.')
            return i + 3;
        if (w[i] == '.') {
            if (len < 4 || w[i + 1] != '.') {
                *bad = "a body line starts with one unstuffed '.'";
                return 0;
            }
            if (stuffed)
                (*stuffed)++;
            fuzz_buf_add(out, w + i + 1, len - 1);
        } else {
            fuzz_buf_add(out, w + i, len);
        }
        i += len;
    }
    return 0;
}

/* Saturating decimal parse of an all-digit string (0 if not all digits). */
static FUZZ_UNUSED int fuzz_parse_u64(const char *a, size_t n, uint64_t *v)
{
    uint64_t x = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d;
        if (a[i] < '0' || a[i] > '9')
            return 0;
        d = (unsigned)(a[i] - '0');
        if (x > (UINT64_MAX - d) / 10)
            x = UINT64_MAX;
        else
            x = x * 10 + d;
    }
    *v = x;
    return 1;
}

static FUZZ_UNUSED const void *fuzz_memmem(const void *h, size_t hn,
                                           const void *nd, size_t nn)
{
    const unsigned char *p = h;
    if (nn == 0)
        return h;
    while (hn >= nn) {
        const unsigned char *q = memchr(p, *(const unsigned char *)nd, hn - nn + 1);
        if (!q)
            return NULL;
        if (memcmp(q, nd, nn) == 0)
            return q;
        hn -= (size_t)(q - p) + 1;
        p = q + 1;
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Stand-alone driver: AFL++ target and corpus replayer
 * ---------------------------------------------------------------------- */

#ifdef POP3_FUZZ_MAIN
#include <dirent.h>
#include <sys/stat.h>

static void fuzz_run_bytes(const unsigned char *d, size_t n)
{
    /* An exact-size copy so that reads past the input are caught. */
    unsigned char *copy = fuzz_dup(d, n);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
}

static int fuzz_run_stream(FILE *f)
{
    fuzz_buf b = {0};
    unsigned char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        fuzz_buf_add(&b, tmp, n);
    if (ferror(f)) {
        fuzz_buf_free(&b);
        return -1;
    }
    fuzz_run_bytes(b.p ? b.p : (const unsigned char *)"", b.len);
    fuzz_buf_free(&b);
    return 0;
}

static int fuzz_run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        int rc = 0;
        if (!d) {
            perror(path);
            return 1;
        }
        while ((e = readdir(d)) != NULL) {
            char sub[4096];
            if (e->d_name[0] == '.')
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rc |= fuzz_run_path(sub);
        }
        closedir(d);
        return rc;
    } else {
        FILE *f = fopen(path, "rb");
        int rc;
        if (!f) {
            perror(path);
            return 1;
        }
        rc = fuzz_run_stream(f);
        fclose(f);
        if (rc)
            perror(path);
        return rc ? 1 : 0;
    }
}

#ifdef __AFL_FUZZ_TESTCASE_LEN
#include <unistd.h>                     /* read(), used by the AFL++ macros */
__AFL_FUZZ_INIT();
#endif

int main(int argc, char **argv)
{
    if (argc > 1) {
        int rc = 0;
        for (int i = 1; i < argc; i++)
            rc |= fuzz_run_path(argv[i]);
        return rc;
    }
#ifdef __AFL_FUZZ_TESTCASE_LEN
    {
        unsigned char *buf;
        __AFL_INIT();
        buf = __AFL_FUZZ_TESTCASE_BUF;
        while (__AFL_LOOP(10000)) {
            size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
            fuzz_run_bytes(buf, len);
        }
        return 0;
    }
#else
    return fuzz_run_stream(stdin) ? 1 : 0;
#endif
}
#endif /* POP3_FUZZ_MAIN */

#endif /* POP3_FUZZ_COMMON_H */
