/*
 * fuzz_chunking.c - differential: the same client stream fed whole and in
 * random pieces must give byte-identical output.
 *
 * Input: a 16-byte header, then the client's byte stream.
 *   0     pop3_config.flags bits 0-7
 *   1     pop3_config.flags bits 8-15
 *   2     bit 0: TLS active; bit 1: protected; bit 2: APOP timestamp;
 *         bit 3: auth_fail_delay_ms 2000 (else 0); bits 4-7: probability /16
 *         that run B answers a request POP3_PENDING
 *   3     max_line (255 + 15 * b)
 *   4     in_buf_size (0: default, else max_line + 8 * b)
 *   5     out_buf_size (1024 + 16 * b)
 *   6     messages in the maildrop (low nibble 0-9; 10-15: 17, 64, 255, 256,
 *         1000, 4096)
 *   7     sasl_mechs (0: default)
 *   8-15  seed: message contents, backend answers, run B's schedule
 *
 * Run A offers every byte that fits, drains all output after each call,
 * answers every request inline and hands each message over in one chunk.
 * Run B feeds random pieces (in_buf/in_ack or recv), acknowledges random
 * amounts, leaves out_buf in flight across other calls, answers a share of
 * the requests POP3_PENDING and completes them later, and hands messages
 * over in random chunks.  Backend answers are a function of (kind, index),
 * so both runs get the same ones.  Timers are off (no autologout); STLS is
 * not offered (its injection defence discards input by design, so its
 * output rightly depends on chunking).
 *
 * Invariant: output A == output B, the same close reason, the same commit.
 */
#include "fuzz_common.h"

#define HDR 16
#define NMSG 6

enum { REQ_NONE, REQ_AUTH, REQ_OPEN, REQ_INFO, REQ_READ, REQ_COMMIT };

typedef struct world {
    const uint8_t *h;
    uint64_t seed;
    pop3_config cfg;
    unsigned conn_flags;
    const char *timestamp;
    uint32_t count;
    unsigned char *msg[NMSG];
    size_t len[NMSG];
    uint64_t size[NMSG];
    uint64_t total;
} world;

typedef struct run {
    world *w;
    int chunked;                /* run B */
    fuzz_rng rng;
    unsigned p_pending;
    pop3_session *s;
    unsigned char *mem;
    fuzz_buf out;
    /* answer indices per kind: identical sequences in both runs */
    uint64_t n_auth, n_open, n_info, n_first, n_commit, n_alloc, n_random;
    int pending;
    pop3_auth_answer auth;
    unsigned char *secret;
    pop3_maildrop open;
    pop3_msg_info info;
    char uid[40];
    pop3_chunk chunk;
    int commit;
    int reading;
    uint32_t read_no;
    uint64_t read_off;
    void *mark;
    int close_reason, commits, commit_deleted;
} run;

static uint64_t answer(run *r, uint64_t kind, uint64_t idx)
{
    return fuzz_hash(r->w->seed, kind, idx);
}

static int mode(run *r)
{
    if (r->chunked && fuzz_below(&r->rng, 16) < r->p_pending)
        return POP3_PENDING;
    return POP3_ANSWERED;
}

static int cb_auth(void *ud, pop3_session *s, const pop3_auth_request *q, pop3_auth_answer *a)
{
    run *r = ud;
    uint64_t x = answer(r, 1, r->n_auth++) % 10;
    pop3_auth_answer v;
    (void)s;
    memset(&v, 0, sizeof v);
    free(r->secret);
    r->secret = NULL;
    if (x < 2) {
        v.result = POP3_R_DENIED;
    } else if (x < 4 && q->kind == POP3_AUTH_PASS) {
        v.result = POP3_R_SECRET;
        r->secret = fuzz_dup(q->password, q->password_len);
        v.secret = r->secret;
        v.secret_len = q->password_len;
    } else if (x < 5 && q->kind == POP3_AUTH_APOP) {
        v.result = POP3_R_SECRET;
        r->secret = fuzz_dup("tanstaaf", 8);
        v.secret = r->secret;
        v.secret_len = 8;
    } else if (q->kind == POP3_AUTH_SCRAM || q->kind == POP3_AUTH_CRAM_MD5) {
        v.result = POP3_R_DENIED;
    } else {
        v.result = x == 9 ? POP3_R_TEMPFAIL : POP3_R_OK;
    }
    if (mode(r) == POP3_PENDING) {
        r->pending = REQ_AUTH;
        r->auth = v;
        return POP3_PENDING;
    }
    *a = v;
    return POP3_ANSWERED;
}

static int cb_open(void *ud, pop3_session *s, pop3_maildrop *a)
{
    run *r = ud;
    pop3_maildrop v;
    (void)s;
    memset(&v, 0, sizeof v);
    v.result = answer(r, 2, r->n_open++) % 10 == 0 ? POP3_R_IN_USE : POP3_R_OK;
    v.count = r->w->count;
    v.octets = r->w->total;
    v.login_delay = v.expire = POP3_NOT_ADVERTISED;
    if (mode(r) == POP3_PENDING) {
        r->pending = REQ_OPEN;
        r->open = v;
        return POP3_PENDING;
    }
    *a = v;
    return POP3_ANSWERED;
}

static int cb_info(void *ud, pop3_session *s, uint32_t n, unsigned want, pop3_msg_info *a)
{
    run *r = ud;
    pop3_msg_info v;
    (void)s;
    (void)want;
    memset(&v, 0, sizeof v);
    v.result = answer(r, 3, r->n_info++) % 12 == 0 ? POP3_R_NO_MESSAGE : POP3_R_OK;
    v.size = r->w->size[(n - 1) % NMSG];
    snprintf(r->uid, sizeof r->uid, "uid-%u-%llx", n, (unsigned long long)(r->w->seed & 0xFFFF));
    v.uid = r->uid;
    v.uid_len = strlen(r->uid);
    if (mode(r) == POP3_PENDING) {
        r->pending = REQ_INFO;
        r->info = v;
        return POP3_PENDING;
    }
    *a = v;
    return POP3_ANSWERED;
}

static int cb_read(void *ud, pop3_session *s, const pop3_read_request *q, pop3_chunk *a)
{
    run *r = ud;
    pop3_chunk v;
    size_t k = (q->msgno - 1) % NMSG, rest, take;
    (void)s;
    memset(&v, 0, sizeof v);
    if (!r->reading) {
        r->reading = 1;
        r->read_no = q->msgno;
        r->read_off = 0;
        if (answer(r, 4, r->n_first++) % 10 == 0)
            v.result = POP3_R_NO_MESSAGE;
    }
    FUZZ_CHECK(q->offset == r->read_off, "msg_read offset %llu, expected %llu",
               (unsigned long long)q->offset, (unsigned long long)r->read_off);
    if (v.result == POP3_R_OK) {
        rest = r->w->len[k] - (size_t)r->read_off;
        take = rest;
        if (r->chunked && rest)
            take = 1 + (size_t)fuzz_below(&r->rng, fuzz_chance(&r->rng, 1, 2) ? 8 : rest);
        if (take > rest)
            take = rest;
        v.data = r->w->msg[k] + r->read_off;
        v.len = take;
        r->read_off += take;
    }
    if (mode(r) == POP3_PENDING) {
        r->pending = REQ_READ;
        r->chunk = v;
        return POP3_PENDING;
    }
    *a = v;
    return POP3_ANSWERED;
}

static void cb_close(void *ud, pop3_session *s, uint32_t n)
{
    run *r = ud;
    (void)s;
    (void)n;
    r->reading = 0;
    if (r->pending == REQ_READ)
        r->pending = REQ_NONE;
}

static int cb_commit(void *ud, pop3_session *s, const pop3_commit_request *q, int *res)
{
    run *r = ud;
    int v = answer(r, 5, r->n_commit++) % 8 == 0 ? POP3_R_TEMPFAIL : POP3_R_OK;
    (void)s;
    r->commits++;
    r->commit_deleted = (int)q->deleted;
    if (mode(r) == POP3_PENDING) {
        r->pending = REQ_COMMIT;
        r->commit = v;
        return POP3_PENDING;
    }
    *res = v;
    return POP3_ANSWERED;
}

static void cb_trace(void *ud, pop3_session *s, const pop3_event *ev)
{
    run *r = ud;
    (void)s;
    if (ev->type == POP3_EV_CLOSE)
        r->close_reason = ev->code;
}

static int cb_random(void *ud, void *buf, size_t len)
{
    run *r = ud;
    unsigned char *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)answer(r, 6, r->n_random++);
    return 0;
}

static void *al_alloc(void *ctx, size_t n)
{
    run *r = ctx;
    r->n_alloc++;
    r->mark = malloc(n ? n : 1);
    return r->mark;
}

static void al_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    (void)n;
    free(p);
}

static void check(run *r, int rc, const char *what)
{
    FUZZ_CHECK(rc >= 0 || rc == POP3_E_CLOSED, "run %c: %s returned %s (%s)",
               r->chunked ? 'B' : 'A', what, pop3_error_name(rc),
               pop3_session_last_error(r->s));
}

static void complete(run *r)
{
    int k = r->pending, rc = 0;
    r->pending = REQ_NONE;
    switch (k) {
    case REQ_AUTH: rc = pop3_session_auth_done(r->s, &r->auth); break;
    case REQ_OPEN: rc = pop3_session_open_done(r->s, &r->open); break;
    case REQ_INFO: rc = pop3_session_info_done(r->s, &r->info); break;
    case REQ_READ: rc = pop3_session_read_done(r->s, &r->chunk); break;
    case REQ_COMMIT: rc = pop3_session_commit_done(r->s, r->commit); break;
    default: break;
    }
    check(r, rc, "completion");
}

/* Returns 1 if the run ended normally, 0 if it hit the step limit. */
static int drive(run *r, const uint8_t *in, size_t n)
{
    pop3_callbacks cb;
    pop3_allocator al = {al_alloc, al_free, NULL};
    pop3_connection conn;
    size_t pos = 0, steps, limit = 20000 + 200 * n;
    int eof = 0, err = 0;
    const unsigned char *held = NULL;   /* run B: out_buf kept in flight */
    size_t held_len = 0;
    size_t mem_size = pop3_session_mem_size(&r->w->cfg);

    pop3_callbacks_init(&cb);
    cb.authenticate = cb_auth;
    cb.open_maildrop = cb_open;
    cb.msg_info = cb_info;
    cb.msg_read = cb_read;
    cb.msg_close = cb_close;
    cb.commit = cb_commit;
    cb.trace = cb_trace;
    cb.random = cb_random;
    al.ctx = r;
    FUZZ_CHECK(mem_size > 0, "mem_size 0");
    r->mem = malloc(mem_size);
    r->s = pop3_session_init(r->mem, mem_size, &r->w->cfg, &cb, r, &al, &err);
    FUZZ_CHECK(r->s != NULL, "init failed: %d", err);
    memset(&conn, 0, sizeof conn);
    conn.now_ms = 5000;
    conn.flags = r->w->conn_flags;
    conn.apop_timestamp = r->w->timestamp;
    check(r, pop3_session_start(r->s, &conn), "start");

    for (steps = 0; steps < limit; steps++) {
        unsigned st = pop3_session_status(r->s);
        uint64_t at;
        if (st == POP3_STATUS_CLOSED)
            return 1;
        if (!r->chunked) {
            if (st & POP3_STATUS_WRITE) {
                size_t len;
                const unsigned char *p = pop3_session_out_buf(r->s, &len);
                fuzz_buf_add(&r->out, p, len);
                check(r, pop3_session_out_ack(r->s, len), "out_ack");
            } else if (st & POP3_STATUS_START_TLS) {
                check(r, pop3_session_tls_done(r->s, 1), "tls_done");
            } else if ((st & POP3_STATUS_READ) && pos < n) {
                size_t cap;
                unsigned char *p = pop3_session_in_buf(r->s, &cap);
                size_t k = n - pos < cap ? n - pos : cap;
                memcpy(p, in + pos, k);
                pos += k;
                check(r, pop3_session_in_ack(r->s, k), "in_ack");
            } else if (pos == n && !eof) {
                eof = 1;
                check(r, pop3_session_in_eof(r->s), "in_eof");
            } else if (pop3_session_deadline(r->s, &at)) {
                check(r, pop3_session_tick(r->s, at), "tick");
            } else {
                FUZZ_CHECK(0, "run A stuck with status %#x", st);
            }
            continue;
        }
        /* Run B: a random schedule. */
        switch (fuzz_below(&r->rng, 8)) {
        case 0:
        case 1:
            if (st & POP3_STATUS_WRITE) {
                size_t len, k;
                const unsigned char *p = pop3_session_out_buf(r->s, &len);
                if (held)
                    FUZZ_CHECK(p == held && len >= held_len, "out_buf moved while in flight");
                k = fuzz_chance(&r->rng, 1, 3) ? len : 1 + (size_t)fuzz_below(&r->rng, len);
                fuzz_buf_add(&r->out, p, k);
                held = NULL;
                check(r, pop3_session_out_ack(r->s, k), "out_ack");
            }
            break;
        case 2:
        case 3:
            if ((st & POP3_STATUS_READ) && pos < n) {
                size_t k = 1 + (size_t)fuzz_below(&r->rng, fuzz_chance(&r->rng, 1, 2) ? 4 : n - pos);
                if (k > n - pos)
                    k = n - pos;
                if (fuzz_chance(&r->rng, 1, 2)) {
                    long t = pop3_session_recv(r->s, in + pos, k);
                    check(r, t < 0 ? (int)t : 0, "recv");
                    if (t > 0)
                        pos += (size_t)t;
                } else {
                    size_t cap;
                    unsigned char *p = pop3_session_in_buf(r->s, &cap);
                    if (k > cap)
                        k = cap;
                    memcpy(p, in + pos, k);
                    pos += k;
                    check(r, pop3_session_in_ack(r->s, k), "in_ack");
                }
            }
            break;
        case 4:
            if (r->pending)
                complete(r);
            break;
        case 5:
            if (st & POP3_STATUS_START_TLS)
                check(r, pop3_session_tls_done(r->s, 1), "tls_done");
            else if (pos == n && !eof && fuzz_chance(&r->rng, 1, 2)) {
                eof = 1;
                check(r, pop3_session_in_eof(r->s), "in_eof");
            }
            break;
        case 6:
            if (pop3_session_deadline(r->s, &at) && fuzz_chance(&r->rng, 1, 2))
                check(r, pop3_session_tick(r->s, at), "tick");
            break;
        default:
            if (st & POP3_STATUS_WRITE)
                held = pop3_session_out_buf(r->s, &held_len);
            break;
        }
    }
    return 0;
}

static void finish_run(run *r)
{
    if (r->s)
        pop3_session_deinit(r->s);
    free(r->mem);
    free(r->secret);
    fuzz_buf_free(&r->out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t h[HDR] = {0};
    static const uint32_t counts[] = {17, 64, 255, 256, 1000, 4096};
    const uint8_t *in = size > HDR ? data + HDR : data;
    size_t n = size > HDR ? size - HDR : 0;
    world w;
    run a, b;
    int done_a, done_b;
    fuzz_rng g;

    memcpy(h, data, size < HDR ? size : HDR);
    memset(&w, 0, sizeof w);
    w.h = h;
    w.seed = fuzz_le64(h + 8);
    pop3_config_init(&w.cfg);
    w.cfg.flags = h[0] | ((unsigned)h[1] << 8);
    w.cfg.idle_timeout_ms = 0;
    w.cfg.auth_timeout_ms = 0;
    w.cfg.auth_fail_delay_ms = (h[2] >> 3) & 1 ? 2000 : 0;
    w.cfg.max_line = 255 + 15u * h[3];
    if (w.cfg.max_line > 1024)
        w.cfg.max_auth_line = w.cfg.max_line;
    w.cfg.in_buf_size = h[4] ? w.cfg.max_line + 8u * h[4] : 1024;
    w.cfg.out_buf_size = 1024 + 16u * h[5];
    if (h[7])
        w.cfg.sasl_mechs = h[7];
    w.conn_flags = (h[2] & 1 ? POP3_CONN_TLS_ACTIVE : 0) | (h[2] & 2 ? POP3_CONN_PROTECTED : 0);
    w.timestamp = (h[2] >> 2) & 1 ? "<1896.697170952@dbc.mtview.ca.us>" : NULL;
    w.count = (h[6] & 15) < 10 ? (h[6] & 15) : counts[(h[6] & 15) - 10];

    g.s = w.seed;
    for (int i = 0; i < NMSG; i++) {
        static const char *const fixed[] = {
            "Subject: a\r\n\r\nline\r\n.\r\n..\r\nend\r\n",
            "Subject: b\n\n.dot\nno final newline",
            "", "\r\r\n\n.\r.x\r\n",
        };
        fuzz_buf m = {0};
        unsigned k = (unsigned)fuzz_below(&g, 6);
        if (k < 4) {
            fuzz_buf_add(&m, fixed[k], strlen(fixed[k]));
        } else {
            static const unsigned char al[] = {'.', '\r', '\n', '\n', 'a', 'b', ' ', ':'};
            size_t len = (size_t)fuzz_below(&g, k == 4 ? 200 : 6000);
            for (size_t j = 0; j < len; j++)
                fuzz_buf_add(&m, &al[fuzz_below(&g, sizeof al)], 1);
        }
        w.msg[i] = m.p ? m.p : fuzz_dup("", 0);
        w.len[i] = m.len;
        w.size[i] = pop3_wire_size(w.msg[i], w.len[i]);
    }
    for (uint32_t i = 0; i < w.count; i++)
        w.total += w.size[i % NMSG];

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.w = b.w = &w;
    b.chunked = 1;
    b.rng.s = w.seed ^ 0x5DEECE66Dull;
    b.p_pending = h[2] >> 4;
    done_a = drive(&a, in, n);
    done_b = drive(&b, in, n);

    if (done_a && done_b) {
        FUZZ_CHECK(a.out.len == b.out.len && memcmp(a.out.p, b.out.p, a.out.len) == 0,
                   "output differs: whole %zu octets, chunked %zu octets", a.out.len, b.out.len);
        FUZZ_CHECK(a.close_reason == b.close_reason, "close reason %d vs %d", a.close_reason,
                   b.close_reason);
        FUZZ_CHECK(a.commits == b.commits && a.commit_deleted == b.commit_deleted,
                   "commit differs");
    } else if (done_a) {
        /* B ran out of steps: what it has must be a prefix. */
        FUZZ_CHECK(b.out.len <= a.out.len && memcmp(a.out.p, b.out.p, b.out.len) == 0,
                   "chunked output is not a prefix of the whole output");
    }
    if (getenv("POP3_FUZZ_VERBOSE")) {
        fprintf(stderr, "---- run A (%zu octets, close %d):\n", a.out.len, a.close_reason);
        fwrite(a.out.p, 1, a.out.len, stderr);
        fprintf(stderr, "---- run B (%zu octets, close %d)\n", b.out.len, b.close_reason);
    }
    finish_run(&a);
    finish_run(&b);
    for (int i = 0; i < NMSG; i++)
        free(w.msg[i]);
    return 0;
}
