/*
 * bench_codec.c - the body encoder (RETR path) and the wire-size function
 * on realistic mail, each as a ratio to the libc primitive that does the
 * least possible work on the same bytes:
 *
 *   pop3_encoder_encode + finish   vs  memcpy of the same bytes
 *   pop3_wire_size                 vs  memchr over the same bytes (for an
 *                                      octet that is not there)
 *
 * Inputs (tests/bench/msggen.h): plain text mail with ~70-character lines
 * stored with CRLF and with LF, a MIME message with a base64 attachment
 * (CRLF, LF), and a pathological message whose every line begins with a
 * dot; the text again with every 20th line beginning with a dot (stuffing
 * now and then, as in quoted text).  Then the same two text messages from
 * 1 KiB to 4 MiB (throughput against message size, for docs/plots/).
 *
 *   bench_codec              the tables (medians of BENCH_RUNS samples)
 *   bench_codec --callgrind  each operation once between callgrind client
 *                            requests (tests/bench/callgrind.sh)
 *
 * The encoder is given one output buffer large enough for the whole
 * message (RETR through a session with its 4 KiB window is measured by
 * bench_session).
 */
#define _POSIX_C_SOURCE 200809L
#include "pop3.h"
#include "bench.h"
#include "msggen.h"

#if defined(__has_include)
#  if __has_include(<valgrind/callgrind.h>)
#    include <valgrind/callgrind.h>
#    define HAVE_CALLGRIND 1
#  endif
#endif
#ifndef HAVE_CALLGRIND
#  define CALLGRIND_ZERO_STATS
#  define CALLGRIND_DUMP_STATS_AT(x) ((void)(x))
#endif

#define PROG "bench_codec"
#define MAIN_SIZE (128u * 1024u)

typedef struct job {
    const unsigned char *in;
    size_t len;
    unsigned char *out;
    size_t out_cap;
    size_t skew;                /* out - page start */
} job;

static BENCH_NOINLINE void do_encode(void *arg)
{
    job *j = arg;
    pop3_encoder e;
    size_t used = 0, w;
    pop3_encoder_init(&e, 0, 0, 0);
    w = pop3_encoder_encode(&e, j->in, j->len, &used, j->out, j->out_cap);
    w += pop3_encoder_finish(&e, j->out + w, j->out_cap - w);
    bench_sink += w + used;
}

static BENCH_NOINLINE void do_memcpy(void *arg)
{
    job *j = arg;
    memcpy(j->out, j->in, j->len);
    bench_sink += j->out[j->len / 2];
}

static BENCH_NOINLINE void do_wire_size(void *arg)
{
    job *j = arg;
    bench_sink += pop3_wire_size(j->in, j->len);
}

static BENCH_NOINLINE void do_memchr(void *arg)
{
    job *j = arg;
    /* 0x01 never occurs in the generated mail: a full scan. */
    const void *p = memchr(j->in, 0x01, j->len);
    bench_sink += p != NULL;
}

/* The encoder's output checked once against the wire size (not timed). */
static void check_case(const char *name, const job *j)
{
    pop3_encoder e;
    size_t used = 0, w;
    uint64_t wire = pop3_wire_size(j->in, j->len);
    pop3_encoder_init(&e, 0, 0, 0);
    w = pop3_encoder_encode(&e, j->in, j->len, &used, j->out, j->out_cap);
    w += pop3_encoder_finish(&e, j->out + w, j->out_cap - w);
    if (used != j->len || w != wire + e.stuffed + 3 ||
        memcmp(j->out + w - 5, "\r\n.\r\n", 5) != 0) {
        fprintf(stderr, PROG ": %s: encoder output inconsistent "
                "(used %zu of %zu, wrote %zu, wire %llu, stuffed %llu)\n",
                name, used, j->len, w, (unsigned long long)wire,
                (unsigned long long)e.stuffed);
        exit(1);
    }
}

struct kase {
    const char *name;
    int kind, crlf;
    unsigned dot_every;         /* 0, or: every nth line begins with "." */
};

static const struct kase cases[] = {
    {"text-crlf", MSG_TEXT, 1, 0},
    {"text-lf", MSG_TEXT, 0, 0},
    {"base64-crlf", MSG_B64, 1, 0},
    {"base64-lf", MSG_B64, 0, 0},
    {"dots-lf", MSG_DOTS, 0, 0},
    {"dots-crlf", MSG_DOTS, 1, 0},
    {"textdot-crlf", MSG_TEXT, 1, 20},
    {"textdot-lf", MSG_TEXT, 0, 20},
};
#define NCASES (sizeof cases / sizeof cases[0])

/*
 * Buffers: the input at the start of a page, the output `skew` octets
 * further into its page.  glibc's memcpy (rep movsb above a few KiB) runs
 * ~15x slower on this machine's AMD CPU when the destination is 1-31
 * octets ahead of the source modulo 4096 (4K aliasing); the encoder copies
 * runs with memcpy too, so both sides of a ratio are measured at the same
 * skew: SKEW_GOOD for the tables, SKEW_ALIASED for one row that shows the
 * quirk (see docs/performance.md).
 */
#define SKEW_GOOD 1024u
#define SKEW_ALIASED 16u

static void *page_alloc(size_t n)
{
    void *p = NULL;
    if (posix_memalign(&p, 4096, n + 4096) != 0) {
        fprintf(stderr, PROG ": out of memory\n");
        exit(2);
    }
    return p;
}

static job make_job_skew(int kind, int crlf, size_t size, size_t skew)
{
    job j;
    unsigned char *in = page_alloc(size), *out;
    j.len = msggen_make(in, size, kind, crlf, 1);
    j.in = in;
    j.out_cap = 2 * j.len + 16;
    out = page_alloc(j.out_cap + skew);
    memset(out, 0, j.out_cap + skew);   /* fault the pages in */
    j.out = out + skew;
    j.skew = skew;
    return j;
}

static job make_job(int kind, int crlf, size_t size)
{
    return make_job_skew(kind, crlf, size, SKEW_GOOD);
}

/* The first octet of every nth non-empty line becomes "." (the encoder
 * stuffs it). */
static void add_dots(unsigned char *p, size_t len, unsigned every)
{
    size_t i;
    unsigned line = 0;
    for (i = 0; every != 0 && i < len; i++) {
        if ((i == 0 || p[i - 1] == '\n') && p[i] != '\r' && p[i] != '\n'
            && ++line % every == 0)
            p[i] = '.';
    }
}

static job make_case_job(const struct kase *k)
{
    job j = make_job(k->kind, k->crlf, MAIN_SIZE);
    add_dots((unsigned char *)j.in, j.len, k->dot_every);
    return j;
}

static void free_job(job *j)
{
    free((void *)j->in);
    free(j->out - j->skew);
}

static int callgrind_mode(void)
{
    size_t i;
    char name[96];
    for (i = 0; i < NCASES; i++) {
        job j = make_case_job(&cases[i]);
        do_encode(&j);                  /* warm: page faults, lazy binding */
        do_memcpy(&j);
        do_wire_size(&j);
        do_memchr(&j);
        CALLGRIND_ZERO_STATS;
        do_encode(&j);
        snprintf(name, sizeof name, "encode %s %zu", cases[i].name, j.len);
        CALLGRIND_DUMP_STATS_AT(name);
        do_memcpy(&j);
        snprintf(name, sizeof name, "memcpy %s %zu", cases[i].name, j.len);
        CALLGRIND_DUMP_STATS_AT(name);
        do_wire_size(&j);
        snprintf(name, sizeof name, "wire_size %s %zu", cases[i].name, j.len);
        CALLGRIND_DUMP_STATS_AT(name);
        do_memchr(&j);
        snprintf(name, sizeof name, "memchr %s %zu", cases[i].name, j.len);
        CALLGRIND_DUMP_STATS_AT(name);
        free_job(&j);
    }
    return 0;
}

static double gbps(size_t bytes, double sec)
{
    return (double)bytes / sec / 1e9;
}

int main(int argc, char **argv)
{
    static const size_t sweep[] = {1024, 4096, 16384, 65536, 262144,
                                   1048576, 4194304};
    bench_pair pr;
    size_t i, k;

    if (argc > 1 && strcmp(argv[1], "--callgrind") == 0)
        return callgrind_mode();
    if (argc > 1) {
        fprintf(stderr, "usage: " PROG " [--callgrind]\n");
        return 2;
    }

    printf("Body encoder and wire size, %u KiB messages; medians of %d runs;\n"
           "ratio = median over runs of (reference time / subject time)\n",
           MAIN_SIZE / 1024, bench_runs());
    if (getenv("BENCH_LABEL"))      /* how libpop3 was built, from make bench */
        printf("libpop3 built with: %s\n", getenv("BENCH_LABEL"));
    printf("\n");
    printf("%-12s %8s | %9s %9s %7s | %9s %9s %7s\n", "input", "octets",
           "encode", "memcpy", "ratio", "wire_size", "memchr", "ratio");
    printf("%-12s %8s | %9s %9s %7s | %9s %9s %7s\n", "", "", "GB/s", "GB/s",
           "", "GB/s", "GB/s", "");
    for (i = 0; i < NCASES; i++) {
        job j = make_case_job(&cases[i]);
        double te, tm, re, tw, tc, rw;
        char key[64];
        check_case(cases[i].name, &j);
        bench_pair_run(&pr, do_encode, &j, do_memcpy, &j, &te, &tm, &re);
        bench_pair_run(&pr, do_wire_size, &j, do_memchr, &j, &tw, &tc, &rw);
        printf("%-12s %8zu | %9.2f %9.2f %6.2fx | %9.2f %9.2f %6.2fx\n",
               cases[i].name, j.len, gbps(j.len, te), gbps(j.len, tm), re,
               gbps(j.len, tw), gbps(j.len, tc), rw);
        fflush(stdout);
        snprintf(key, sizeof key, "encode_ratio_%s", cases[i].name);
        bench_tsv(PROG, key, (double)j.len, re);
        snprintf(key, sizeof key, "wire_size_ratio_%s", cases[i].name);
        bench_tsv(PROG, key, (double)j.len, rw);
        free_job(&j);
    }
    {
        job j = make_job_skew(MSG_TEXT, 1, MAIN_SIZE, SKEW_ALIASED);
        double te, tm, re;
        check_case("aliased", &j);
        bench_pair_run(&pr, do_encode, &j, do_memcpy, &j, &te, &tm, &re);
        printf("%-12s %8zu | %9.2f %9.2f %6.2fx |   (output %u octets ahead of the\n"
               "%-12s %8s |                             |    input mod 4 KiB: slow memcpy)\n",
               "text-crlf*", j.len, gbps(j.len, te), gbps(j.len, tm), re,
               SKEW_ALIASED, "", "");
        bench_tsv(PROG, "encode_ratio_text-crlf-aliased", (double)j.len, re);
        free_job(&j);
    }

    printf("\nThroughput against message size (text, ~70-octet lines)\n\n");
    printf("%9s | %9s %9s %7s | %9s %9s %7s\n", "octets", "crlf enc",
           "memcpy", "ratio", "lf enc", "memcpy", "ratio");
    for (k = 0; k < sizeof sweep / sizeof sweep[0]; k++) {
        double te[2], tm[2], re[2];
        size_t len[2] = {0, 0};
        int crlf;
        for (crlf = 1; crlf >= 0; crlf--) {
            job j = make_job(MSG_TEXT, crlf, sweep[k]);
            check_case("sweep", &j);
            bench_pair_run(&pr, do_encode, &j, do_memcpy, &j, &te[crlf],
                           &tm[crlf], &re[crlf]);
            len[crlf] = j.len;
            bench_tsv(PROG, crlf ? "sweep_encode_gbps_crlf" : "sweep_encode_gbps_lf",
                      (double)sweep[k], gbps(j.len, te[crlf]));
            bench_tsv(PROG, crlf ? "sweep_memcpy_gbps_crlf" : "sweep_memcpy_gbps_lf",
                      (double)sweep[k], gbps(j.len, tm[crlf]));
            free_job(&j);
        }
        printf("%9zu | %9.2f %9.2f %6.2fx | %9.2f %9.2f %6.2fx\n", sweep[k],
               gbps(len[1], te[1]), gbps(len[1], tm[1]), re[1],
               gbps(len[0], te[0]), gbps(len[0], tm[0]), re[0]);
        fflush(stdout);
    }
    return 0;
}
