/*
 * bench.h - timing helpers shared by the benchmark programs in tests/bench/.
 * Header-only (every benchmark is one .c file linked with libpop3.a).
 *
 * Method: every figure is the median of RUNS samples (default 7, at least
 * 5; BENCH_RUNS=n overrides); each sample repeats the work until it has
 * lasted at least BENCH_SAMPLE_MS milliseconds (default 40).  Ratios are
 * taken per sample between the subject and its reference measured back to
 * back, then the median of those ratios is printed, so a burst of noise
 * from the other tenant of the machine hits both sides of a ratio.
 *
 * Output: a human table on stdout; with BENCH_TSV=FILE also one line per
 * figure, "program<TAB>key<TAB>x<TAB>value", appended to FILE (the data of
 * docs/plots/).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__GNUC__) || defined(__clang__)
#  define BENCH_NOINLINE __attribute__((noinline))
#  define BENCH_UNUSED __attribute__((unused))
#else
#  define BENCH_NOINLINE
#  define BENCH_UNUSED
#endif

#define BENCH_MAX_RUNS 64

/* Keep a value alive so the compiler cannot drop the work producing it. */
static BENCH_UNUSED volatile uint64_t bench_sink;

static BENCH_UNUSED double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static BENCH_UNUSED int bench_runs(void)
{
    const char *e = getenv("BENCH_RUNS");
    int n = e ? atoi(e) : 7;
    if (n < 1)
        n = 1;
    if (n > BENCH_MAX_RUNS)
        n = BENCH_MAX_RUNS;
    return n;
}

static BENCH_UNUSED double bench_sample_sec(void)
{
    const char *e = getenv("BENCH_SAMPLE_MS");
    int ms = e ? atoi(e) : 40;
    if (ms < 1)
        ms = 1;
    return ms / 1000.0;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static BENCH_UNUSED double bench_median(const double *v, int n)
{
    double t[BENCH_MAX_RUNS];
    if (n <= 0)
        return 0;
    memcpy(t, v, (size_t)n * sizeof *t);
    qsort(t, (size_t)n, sizeof *t, bench_cmp_double);
    return (n & 1) ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* One call of the measured work. */
typedef void (*bench_fn)(void *arg);

/*
 * Seconds per call of fn(arg): calls it in growing batches until a batch
 * lasts at least min_sec, and returns that batch's time per call.
 * *iters (if not NULL) gives the starting batch size and receives the
 * one used, so the next sample need not calibrate again.
 */
static BENCH_UNUSED double bench_sample(bench_fn fn, void *arg, double min_sec,
                                        long *iters)
{
    long n = (iters && *iters > 0) ? *iters : 1;
    for (;;) {
        double t0 = bench_now(), dt;
        long i;
        for (i = 0; i < n; i++)
            fn(arg);
        dt = bench_now() - t0;
        if (dt >= min_sec || n >= (1L << 40)) {
            if (iters)
                *iters = n;
            return dt / (double)n;
        }
        if (dt < min_sec / 16)
            n *= 8;
        else
            n = (long)((double)n * (min_sec * 1.2 / dt)) + 1;
    }
}

/* A subject and its reference, sampled alternately. */
typedef struct bench_pair {
    double subj[BENCH_MAX_RUNS];    /* seconds per call */
    double ref[BENCH_MAX_RUNS];
    double ratio[BENCH_MAX_RUNS];   /* ref time / subject time */
    int runs;
} bench_pair;

/* Median seconds per call of the subject, of the reference, and the median
 * of the per-sample ratios (reference time / subject time: above 1 the
 * subject is faster). */
static BENCH_UNUSED void bench_pair_run(bench_pair *p, bench_fn subj,
                                        void *sarg, bench_fn ref, void *rarg,
                                        double *t_subj, double *t_ref,
                                        double *ratio)
{
    long ni = 0, nr = 0;
    double sec = bench_sample_sec();
    int r;
    p->runs = bench_runs();
    /* Warm-up: caches, page faults, branch predictors, calibration. */
    bench_sample(subj, sarg, sec / 4, &ni);
    bench_sample(ref, rarg, sec / 4, &nr);
    for (r = 0; r < p->runs; r++) {
        if (r & 1) {
            p->ref[r] = bench_sample(ref, rarg, sec, &nr);
            p->subj[r] = bench_sample(subj, sarg, sec, &ni);
        } else {
            p->subj[r] = bench_sample(subj, sarg, sec, &ni);
            p->ref[r] = bench_sample(ref, rarg, sec, &nr);
        }
        p->ratio[r] = p->ref[r] / p->subj[r];
    }
    *t_subj = bench_median(p->subj, p->runs);
    *t_ref = bench_median(p->ref, p->runs);
    *ratio = bench_median(p->ratio, p->runs);
}

/* Median seconds per call of fn alone. */
static BENCH_UNUSED double bench_single(bench_fn fn, void *arg)
{
    double t[BENCH_MAX_RUNS], sec = bench_sample_sec();
    long n = 0;
    int r, runs = bench_runs();
    bench_sample(fn, arg, sec / 4, &n);
    for (r = 0; r < runs; r++)
        t[r] = bench_sample(fn, arg, sec, &n);
    return bench_median(t, runs);
}

/* BENCH_TSV data lines. */
static BENCH_UNUSED void bench_tsv(const char *prog, const char *key,
                                   double x, double value)
{
    const char *path = getenv("BENCH_TSV");
    FILE *f;
    if (!path || !*path)
        return;
    f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, "%s\t%s\t%.6g\t%.6g\n", prog, key, x, value);
    fclose(f);
}

/* A small deterministic generator (xorshift64*), so every run measures the
 * same bytes. */
static BENCH_UNUSED uint64_t bench_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static BENCH_UNUSED void *bench_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench: out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

#endif
