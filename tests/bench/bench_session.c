/*
 * bench_session.c - the command path, LIST/UIDL scaling, RETR through a
 * session, whole session lifetimes, and memory, with an in-memory backend
 * that answers every request inline and a host that takes all output at
 * once (no sockets: the engine's own cost).
 *
 *   1. pipelined STAT / NOOP / LIST n / UIDL n streams: commands per
 *      second, and as a ratio to a memchr scan that only finds the line
 *      ends of the same bytes;
 *   2. LIST and UIDL of maildrops of 1,000 to 1,000,000 messages: time
 *      per message at each size (it must not grow: the listing is linear);
 *   3. RETR of a 128 KiB message through the default 4 KiB window, as a
 *      ratio to memcpy of the same bytes;
 *   4. whole sessions (new, greeting, USER, PASS, STAT, QUIT, free) per
 *      second;
 *   5. memory: pop3_session_mem_size for some configurations, and what a
 *      session allocates through the allocator hooks over its lifetime as
 *      a function of the maildrop size.
 *
 * Every timing is the median of BENCH_RUNS samples (tests/bench/bench.h).
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

#define PROG "bench_session"
#define MAX_MSGS 1000000u

/* ------------------------------------------------------------------------
 * The in-memory backend
 * ---------------------------------------------------------------------- */

typedef struct backend {
    uint32_t count;
    uint64_t octets;
    const uint64_t *sizes;      /* [count] */
    const char *const *uids;    /* [count] */
    const uint8_t *uid_lens;
    const unsigned char *body;  /* every message has these bytes */
    size_t body_len;
    size_t chunk;               /* msg_read answers at most this much */
} backend;

static int cb_auth(void *ud, pop3_session *s, const pop3_auth_request *req,
                   pop3_auth_answer *ans)
{
    (void)ud;
    (void)s;
    (void)req;
    ans->result = POP3_R_OK;
    return POP3_ANSWERED;
}

static int cb_open(void *ud, pop3_session *s, pop3_maildrop *ans)
{
    backend *b = ud;
    (void)s;
    ans->result = POP3_R_OK;
    ans->count = b->count;
    ans->octets = b->octets;
    return POP3_ANSWERED;
}

static int cb_info(void *ud, pop3_session *s, uint32_t n, unsigned want,
                   pop3_msg_info *ans)
{
    backend *b = ud;
    (void)s;
    ans->result = POP3_R_OK;
    if (want & POP3_WANT_SIZE)
        ans->size = b->sizes[n - 1];
    if (want & POP3_WANT_UID) {
        ans->uid = b->uids[n - 1];
        ans->uid_len = b->uid_lens[n - 1];
    }
    return POP3_ANSWERED;
}

static int cb_read(void *ud, pop3_session *s, const pop3_read_request *req,
                   pop3_chunk *ans)
{
    backend *b = ud;
    size_t off = (size_t)req->offset, n;
    (void)s;
    n = off < b->body_len ? b->body_len - off : 0;
    if (n > b->chunk)
        n = b->chunk;
    ans->result = POP3_R_OK;
    ans->data = b->body + off;
    ans->len = n;
    return POP3_ANSWERED;
}

static int cb_commit(void *ud, pop3_session *s, const pop3_commit_request *req,
                     int *result)
{
    (void)ud;
    (void)s;
    (void)req;
    *result = POP3_R_OK;
    return POP3_ANSWERED;
}

/* The counting allocator. */
typedef struct counter {
    uint64_t calls, bytes, live, peak;
} counter;

static void *count_alloc(void *ctx, size_t n)
{
    counter *c = ctx;
    c->calls++;
    c->bytes += n;
    c->live += n;
    if (c->live > c->peak)
        c->peak = c->live;
    return malloc(n);
}

static void count_free(void *ctx, void *p, size_t n)
{
    counter *c = ctx;
    c->live -= n;
    free(p);
}

/* ------------------------------------------------------------------------
 * The host: all output is taken at once
 * ---------------------------------------------------------------------- */

static uint64_t out_total;

static void die_code(const char *what, long r)
{
    fprintf(stderr, PROG ": %s: %s\n", what, pop3_strerror((int)r));
    exit(1);
}

static void drain(pop3_session *s)
{
    size_t n;
    while (pop3_session_out_buf(s, &n) != NULL) {
        int r;
        out_total += n;
        r = pop3_session_out_ack(s, n);
        if (r < 0)
            die_code("out_ack", r);
    }
}

/* Hand all of in[0..len) to the session, taking output as it comes. */
static void pump(pop3_session *s, const void *in, size_t len)
{
    const unsigned char *p = in;
    while (len) {
        long n = pop3_session_recv(s, p, len);
        if (n < 0)
            die_code("recv", n);
        p += n;
        len -= (size_t)n;
        drain(s);
    }
    drain(s);
}

static pop3_session *open_session(backend *b, const pop3_config *cfg,
                                   const pop3_allocator *al)
{
    pop3_callbacks cb;
    pop3_connection conn;
    pop3_session *s;
    int err = 0;
    static const char login[] = "USER bench\r\nPASS secret\r\n";

    pop3_callbacks_init(&cb);
    cb.authenticate = cb_auth;
    cb.open_maildrop = cb_open;
    cb.msg_info = cb_info;
    cb.msg_read = cb_read;
    cb.commit = cb_commit;
    s = pop3_session_new(cfg, &cb, b, al, &err);
    if (!s)
        die_code("pop3_session_new", err);
    memset(&conn, 0, sizeof conn);
    conn.flags = POP3_CONN_PROTECTED;
    if (pop3_session_start(s, &conn) < 0)
        die_code("start", -1);
    drain(s);
    pump(s, login, sizeof login - 1);
    if (pop3_session_state(s) != POP3_STATE_TRANSACTION) {
        fprintf(stderr, PROG ": login failed\n");
        exit(1);
    }
    return s;
}

/* ------------------------------------------------------------------------
 * Maildrop data
 * ---------------------------------------------------------------------- */

static uint64_t *g_sizes;
static char **g_uids;
static uint8_t *g_uid_lens;

static void make_maildrop_data(void)
{
    uint32_t i;
    char *pool;
    uint64_t rng = 12345;
    g_sizes = bench_xmalloc(MAX_MSGS * sizeof *g_sizes);
    g_uids = bench_xmalloc(MAX_MSGS * sizeof *g_uids);
    g_uid_lens = bench_xmalloc(MAX_MSGS);
    pool = bench_xmalloc((size_t)MAX_MSGS * 48);
    for (i = 0; i < MAX_MSGS; i++) {
        /* Sizes: mostly a few KiB, some large (a long-tailed mix). */
        uint64_t r = bench_rand(&rng);
        g_sizes[i] = (r % 8 == 0) ? 20000 + r % 3000000 : 1500 + r % 30000;
        /* Maildir-like unique ids, 33-35 octets. */
        g_uid_lens[i] = (uint8_t)snprintf(pool, 48, "%u.M%uP%u.mail.example.net",
                                          1700000000u + i, (unsigned)(r % 999983),
                                          (unsigned)(r >> 40) % 99991);
        g_uids[i] = pool;
        pool += 48;
    }
}

static backend make_backend(uint32_t count)
{
    backend b;
    uint32_t i;
    memset(&b, 0, sizeof b);
    b.count = count;
    b.sizes = g_sizes;
    b.uids = (const char *const *)g_uids;
    b.uid_lens = g_uid_lens;
    for (i = 0; i < count; i++)
        b.octets += g_sizes[i];
    b.chunk = 65536;
    return b;
}

/* ------------------------------------------------------------------------
 * 1. The command path
 * ---------------------------------------------------------------------- */

typedef struct stream {
    pop3_session *s;
    unsigned char *bytes;
    size_t len;
    uint64_t commands;
} stream;

static BENCH_NOINLINE void run_stream(void *arg)
{
    stream *t = arg;
    pump(t->s, t->bytes, t->len);
}

static BENCH_NOINLINE void scan_stream(void *arg)
{
    stream *t = arg;
    const unsigned char *p = t->bytes, *end = p + t->len;
    uint64_t lines = 0;
    while (p < end) {
        const unsigned char *lf = memchr(p, '\n', (size_t)(end - p));
        if (!lf)
            break;
        lines++;
        p = lf + 1;
    }
    bench_sink += lines;
}

/* The command lines of `mix`, repeated to about `total` commands. */
static void make_stream(stream *t, const char *const *mix, size_t nmix,
                        size_t total)
{
    size_t cap = 0, i, k;
    for (i = 0; i < nmix; i++)
        cap += strlen(mix[i]);
    cap = cap * (total / nmix + 1) + 1;
    t->bytes = bench_xmalloc(cap);
    t->len = 0;
    t->commands = 0;
    for (k = 0; k < total / nmix; k++)
        for (i = 0; i < nmix; i++) {
            size_t n = strlen(mix[i]);
            memcpy(t->bytes + t->len, mix[i], n);
            t->len += n;
            t->commands++;
        }
}

static void bench_commands(void)
{
    static const char *const mixed[] = {"STAT\r\n", "NOOP\r\n", "LIST 1\r\n",
                                        "UIDL 1\r\n"};
    static const char *const stat_[] = {"STAT\r\n"};
    static const char *const noop_[] = {"NOOP\r\n"};
    static const char *const list_[] = {"LIST 42\r\n"};
    static const char *const uidl_[] = {"UIDL 42\r\n"};
    static const char *const lf_[] = {"STAT\n", "NOOP\n", "LIST 1\n", "UIDL 1\n"};
    static const struct {
        const char *name;
        const char *const *mix;
        size_t n;
    } kinds[] = {
        {"STAT/NOOP/LIST n/UIDL n", mixed, 4},
        {"STAT", stat_, 1},
        {"NOOP", noop_, 1},
        {"LIST n", list_, 1},
        {"UIDL n", uidl_, 1},
        {"mix, bare LF ends", lf_, 4},
    };
    backend b = make_backend(100);
    bench_pair pr;
    size_t i;

    printf("1. Pipelined commands through a session (default config, 1 KiB "
           "input buffer,\n   4 KiB window; the host takes all output at once)"
           "\n\n");
    printf("%-24s | %12s %10s | %14s %8s\n", "stream", "commands/s", "ns/cmd",
           "memchr scan/s", "ratio");
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        stream t;
        double ts, tr, ratio, cps;
        t.s = open_session(&b, NULL, NULL);
        make_stream(&t, kinds[i].mix, kinds[i].n, 4096);
        bench_pair_run(&pr, run_stream, &t, scan_stream, &t, &ts, &tr, &ratio);
        cps = (double)t.commands / ts;
        printf("%-24s | %12.0f %10.1f | %14.0f %7.3fx\n", kinds[i].name, cps,
               1e9 / cps, (double)t.commands / tr, ratio);
        fflush(stdout);
        if (i == 0) {
            bench_tsv(PROG, "commands_per_s_mixed", 0, cps);
            bench_tsv(PROG, "commands_ratio_memchr_mixed", 0, ratio);
        }
        pop3_session_free(t.s);
        free(t.bytes);
    }
}

/* ------------------------------------------------------------------------
 * 2. LIST / UIDL scaling
 * ---------------------------------------------------------------------- */

typedef struct listing {
    pop3_session *s;
    const char *cmd;
} listing;

static BENCH_NOINLINE void run_listing(void *arg)
{
    listing *l = arg;
    pump(l->s, l->cmd, strlen(l->cmd));
}

static void bench_listing(void)
{
    static const uint32_t sizes[] = {1000, 10000, 100000, 1000000};
    size_t i;
    int k;
    double base[2] = {0, 0};

    printf("\n2. LIST and UIDL of a whole maildrop (time per message must not "
           "grow)\n\n");
    printf("%9s | %12s %9s %8s | %12s %9s %8s\n", "messages", "LIST ms",
           "ns/msg", "vs 1k", "UIDL ms", "ns/msg", "vs 1k");
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        backend b = make_backend(sizes[i]);
        double per[2], t[2];
        for (k = 0; k < 2; k++) {
            listing l;
            l.s = open_session(&b, NULL, NULL);
            l.cmd = k ? "UIDL\r\n" : "LIST\r\n";
            t[k] = bench_single(run_listing, &l);
            per[k] = t[k] / sizes[i] * 1e9;
            if (i == 0)
                base[k] = per[k];
            pop3_session_free(l.s);
            bench_tsv(PROG, k ? "uidl_ns_per_msg" : "list_ns_per_msg",
                      sizes[i], per[k]);
        }
        printf("%9u | %12.3f %9.1f %7.2fx | %12.3f %9.1f %7.2fx\n", sizes[i],
               t[0] * 1e3, per[0], per[0] / base[0], t[1] * 1e3, per[1],
               per[1] / base[1]);
        fflush(stdout);
    }
}

/* ------------------------------------------------------------------------
 * 3. RETR through a session
 * ---------------------------------------------------------------------- */

typedef struct retr {
    pop3_session *s;
    const unsigned char *body;
    size_t len;
    unsigned char *copy;
} retr;

static BENCH_NOINLINE void run_retr(void *arg)
{
    retr *r = arg;
    static const char cmd[] = "RETR 1\r\n";
    pump(r->s, cmd, sizeof cmd - 1);
}

static BENCH_NOINLINE void copy_body(void *arg)
{
    retr *r = arg;
    memcpy(r->copy, r->body, r->len);
    bench_sink += r->copy[r->len / 2];
}

static void bench_retr(void)
{
    static const struct {
        const char *name;
        int kind, crlf;
    } kinds[] = {
        {"text-crlf", MSG_TEXT, 1},
        {"text-lf", MSG_TEXT, 0},
        {"base64-lf", MSG_B64, 0},
    };
    static const uint32_t windows[] = {4096, 65536};
    size_t i, w;

    printf("\n3. RETR of a 128 KiB message through a session (msg_read "
           "chunks of 64 KiB)\n\n");
    printf("%-10s %8s | %9s %9s %7s\n", "input", "window", "RETR GB/s",
           "memcpy", "ratio");
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        for (w = 0; w < sizeof windows / sizeof windows[0]; w++) {
            backend b = make_backend(1);
            unsigned char *body = bench_xmalloc(128 * 1024);
            pop3_config cfg;
            bench_pair pr;
            retr r;
            double ts, tr, ratio;
            b.body_len = msggen_make(body, 128 * 1024, kinds[i].kind,
                                     kinds[i].crlf, 1);
            b.body = body;
            pop3_config_init(&cfg);
            cfg.out_buf_size = windows[w];
            r.s = open_session(&b, &cfg, NULL);
            r.body = body;
            r.len = b.body_len;
            r.copy = bench_xmalloc(b.body_len);
            bench_pair_run(&pr, run_retr, &r, copy_body, &r, &ts, &tr, &ratio);
            printf("%-10s %8u | %9.2f %9.2f %6.2fx\n", kinds[i].name,
                   windows[w], (double)r.len / ts / 1e9,
                   (double)r.len / tr / 1e9, ratio);
            fflush(stdout);
            pop3_session_free(r.s);
            free(r.copy);
            free(body);
        }
    }
}

/* ------------------------------------------------------------------------
 * 4. Whole sessions
 * ---------------------------------------------------------------------- */

static BENCH_NOINLINE void run_lifetime(void *arg)
{
    backend *b = arg;
    static const char cmds[] = "STAT\r\nQUIT\r\n";
    pop3_session *s = open_session(b, NULL, NULL);
    pump(s, cmds, sizeof cmds - 1);
    if (!(pop3_session_status(s) & POP3_STATUS_CLOSED)) {
        fprintf(stderr, PROG ": QUIT did not close the session\n");
        exit(1);
    }
    pop3_session_free(s);
}

static void bench_lifetime(void)
{
    backend b = make_backend(20);
    double t = bench_single(run_lifetime, &b);
    printf("\n4. Whole sessions (new, greeting, USER, PASS, STAT, QUIT, "
           "free; 20 messages)\n\n");
    printf("   %.0f sessions/s (%.2f us each)\n", 1.0 / t, t * 1e6);
    bench_tsv(PROG, "sessions_per_s", 0, 1.0 / t);
}

/* ------------------------------------------------------------------------
 * 5. Memory
 * ---------------------------------------------------------------------- */

static void bench_memory(void)
{
    static const uint32_t counts[] = {0, 1, 100, 10000, 100000, 1000000};
    pop3_config cfg;
    size_t i;

    printf("\n5. Memory\n\n");
    printf("   pop3_session_mem_size, default config:          %6zu octets\n",
           pop3_session_mem_size(NULL));
    pop3_config_init(&cfg);
    cfg.in_buf_size = 255;
    cfg.out_buf_size = 1024;
    printf("   ... smallest buffers (in 255, out 1024):        %6zu octets\n",
           pop3_session_mem_size(&cfg));
    pop3_config_init(&cfg);
    cfg.out_buf_size = 65536;
    printf("   ... 64 KiB output window:                       %6zu octets\n",
           pop3_session_mem_size(&cfg));
    pop3_config_init(&cfg);
    cfg.sasl_mechs |= POP3_SASL_OAUTHBEARER;
    printf("   ... OAUTHBEARER offered (8 KiB AUTH lines):     %6zu octets\n",
           pop3_session_mem_size(&cfg));
    bench_tsv(PROG, "mem_size_default", 0, (double)pop3_session_mem_size(NULL));

    printf("\n   Allocated through the hooks over a session's lifetime "
           "(pop3_session_new,\n   login, STAT, LIST, UIDL, DELE 1, RETR 1, "
           "QUIT, free):\n\n");
    printf("   %9s | %6s %12s %12s %10s\n", "messages", "allocs",
           "octets total", "peak live", "per msg");
    for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        backend b = make_backend(counts[i]);
        static const unsigned char body[] = "Subject: x\n\nhello\n";
        counter c;
        pop3_allocator al;
        pop3_session *s;
        memset(&c, 0, sizeof c);
        al.alloc = count_alloc;
        al.free = count_free;
        al.ctx = &c;
        b.body = body;
        b.body_len = sizeof body - 1;
        s = open_session(&b, NULL, &al);
        if (counts[i]) {
            static const char cmds[] = "STAT\r\nLIST\r\nUIDL\r\nDELE 1\r\n"
                                       "RETR 1\r\nQUIT\r\n";
            pump(s, cmds, sizeof cmds - 1);
        } else {
            static const char cmds[] = "STAT\r\nLIST\r\nUIDL\r\nQUIT\r\n";
            pump(s, cmds, sizeof cmds - 1);
        }
        pop3_session_free(s);
        if (c.live != 0) {
            fprintf(stderr, PROG ": %llu octets not freed\n",
                    (unsigned long long)c.live);
            exit(1);
        }
        printf("   %9u | %6llu %12llu %12llu %10.3f\n", counts[i],
               (unsigned long long)c.calls, (unsigned long long)c.bytes,
               (unsigned long long)c.peak,
               counts[i] ? (double)(c.bytes - pop3_session_mem_size(NULL)) / counts[i]
                         : 0.0);
        bench_tsv(PROG, "alloc_bytes_per_session", counts[i], (double)c.bytes);
    }
}

/* Each measured operation once between callgrind client requests; the
 * dump names end with the number of units (commands, messages, octets)
 * that tests/bench/callgrind.sh divides by. */
static int callgrind_mode(void)
{
    static const char *const mixed[] = {"STAT\r\n", "NOOP\r\n", "LIST 1\r\n",
                                        "UIDL 1\r\n"};
    static const char *const noop_[] = {"NOOP\r\n"};
    char name[96];
    backend b = make_backend(100000);
    stream t;
    listing l;
    int k;

    t.s = open_session(&b, NULL, NULL);
    for (k = 0; k < 2; k++) {
        make_stream(&t, k ? noop_ : mixed, k ? 1 : 4, 4096);
        run_stream(&t);
        CALLGRIND_ZERO_STATS;
        run_stream(&t);
        snprintf(name, sizeof name, "commands %s %llu", k ? "NOOP" : "STAT/NOOP/LIST-n/UIDL-n",
                 (unsigned long long)t.commands);
        CALLGRIND_DUMP_STATS_AT(name);
        scan_stream(&t);
        snprintf(name, sizeof name, "memchr-lines %s %llu", k ? "NOOP" : "STAT/NOOP/LIST-n/UIDL-n",
                 (unsigned long long)t.commands);
        CALLGRIND_DUMP_STATS_AT(name);
        free(t.bytes);
    }
    pop3_session_free(t.s);
    for (k = 0; k < 2; k++) {
        l.s = open_session(&b, NULL, NULL);
        l.cmd = k ? "UIDL\r\n" : "LIST\r\n";
        CALLGRIND_ZERO_STATS;
        run_listing(&l);
        snprintf(name, sizeof name, "%s 100000-messages 100000", k ? "UIDL" : "LIST");
        CALLGRIND_DUMP_STATS_AT(name);
        pop3_session_free(l.s);
    }
    b = make_backend(20);
    run_lifetime(&b);
    CALLGRIND_ZERO_STATS;
    run_lifetime(&b);
    CALLGRIND_DUMP_STATS_AT("session-lifetime login-STAT-QUIT 1");
    return 0;
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    if (only && !strcmp(only, "--callgrind")) {
        make_maildrop_data();
        return callgrind_mode();
    }
    if (only && strcmp(only, "commands") && strcmp(only, "listing") &&
        strcmp(only, "retr") && strcmp(only, "lifetime") &&
        strcmp(only, "memory")) {
        fprintf(stderr, "usage: " PROG " [commands|listing|retr|lifetime|memory]\n");
        return 2;
    }
    make_maildrop_data();
    printf("Session benchmarks; medians of %d runs\n\n", bench_runs());
    if (!only || !strcmp(only, "commands"))
        bench_commands();
    if (!only || !strcmp(only, "listing"))
        bench_listing();
    if (!only || !strcmp(only, "retr"))
        bench_retr();
    if (!only || !strcmp(only, "lifetime"))
        bench_lifetime();
    if (!only || !strcmp(only, "memory"))
        bench_memory();
    return 0;
}
