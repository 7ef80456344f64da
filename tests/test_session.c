/*
 * test_session.c - the engine's API contract: memory, allocation, pointer
 * lifetimes, re-entrancy, status word, completions, fatal errors, ABI
 * growth, secret hygiene.  Protocol rules live in the transcript suite.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pop3.h"

/* ---- a small host -------------------------------------------------------- */

#define NMSG 3
static const char *const bodies[NMSG] = {
    "Subject: one\r\n\r\nfirst body\r\n",
    "Subject: two\n\n.leading dot\nlast line",
    "Subject: three\r\n\r\n",
};

struct host {
    int pend;                   /* answer every request later */
    int pending_kind;           /* 1 auth 2 open 3 info 4 read 5 commit */
    pop3_auth_answer auth_ans;
    pop3_maildrop open_ans;
    pop3_msg_info info_ans;
    pop3_chunk read_ans;
    int commit_ans;
    int fail_fatal;             /* msg_info returns -1 */
    int commits, closes, last_committed, msg_closes;
    int reentry_result;         /* what a call from inside a callback gave */
    int reentry_checked;
    int saw_secret_in_trace;
    const char *secret;
    char uidbuf[16];
    int needs_utf8;             /* message 1 has UTF-8 headers */
    uint32_t info_fail_msg;     /* msg_info of this message fails ... */
    int info_fail_result;       /* ... with this result */
    int invalid_info_result;    /* msg_info answers a nonsense result */
};

static int h_auth(void *ud, pop3_session *s, const pop3_auth_request *rq,
                  pop3_auth_answer *a)
{
    struct host *h = ud;
    (void)s;
    memset(&h->auth_ans, 0, sizeof h->auth_ans);
    if (strcmp(rq->user, "alice") == 0) {
        h->auth_ans.result = POP3_R_SECRET;
        h->auth_ans.secret = h->secret;
        h->auth_ans.secret_len = strlen(h->secret);
    } else {
        h->auth_ans.result = POP3_R_DENIED;
    }
    /* Re-entrancy: a mutating call from here must be refused. */
    h->reentry_result = pop3_session_in_ack(s, 0);
    h->reentry_checked = 1;
    if (h->pend) {
        h->pending_kind = 1;
        return POP3_PENDING;
    }
    *a = h->auth_ans;
    return POP3_ANSWERED;
}

static int h_open(void *ud, pop3_session *s, pop3_maildrop *a)
{
    struct host *h = ud;
    (void)s;
    h->open_ans = *a;
    h->open_ans.result = POP3_R_OK;
    h->open_ans.count = NMSG;
    h->open_ans.octets = 0;
    for (int i = 0; i < NMSG; i++)
        h->open_ans.octets += pop3_wire_size(bodies[i], strlen(bodies[i]));
    if (h->pend) {
        h->pending_kind = 2;
        return POP3_PENDING;
    }
    *a = h->open_ans;
    return POP3_ANSWERED;
}

static int h_info(void *ud, pop3_session *s, uint32_t n, unsigned want,
                  pop3_msg_info *a)
{
    struct host *h = ud;
    (void)s;
    (void)want;
    if (h->fail_fatal)
        return -1;
    memset(&h->info_ans, 0, sizeof h->info_ans);
    if (h->invalid_info_result) {
        a->result = 99;
        return POP3_ANSWERED;
    }
    if (n == h->info_fail_msg)
        h->info_ans.result = h->info_fail_result;
    h->info_ans.size = pop3_wire_size(bodies[n - 1], strlen(bodies[n - 1]));
    snprintf(h->uidbuf, sizeof h->uidbuf, "uid-%u", (unsigned)n);
    h->info_ans.uid = h->uidbuf;
    h->info_ans.uid_len = strlen(h->uidbuf);
    if (h->pend) {
        h->pending_kind = 3;
        return POP3_PENDING;
    }
    *a = h->info_ans;
    return POP3_ANSWERED;
}

static int h_read(void *ud, pop3_session *s, const pop3_read_request *rq,
                  pop3_chunk *a)
{
    struct host *h = ud;
    const char *b = bodies[rq->msgno - 1];
    size_t len = strlen(b);
    memset(&h->read_ans, 0, sizeof h->read_ans);
    if (h->needs_utf8 && rq->msgno == 1 && !pop3_session_utf8(s)) {
        h->read_ans.result = POP3_R_NEEDS_UTF8;
        *a = h->read_ans;
        return POP3_ANSWERED;
    }
    h->read_ans.data = b + rq->offset;
    h->read_ans.len = len - (size_t)rq->offset;
    if (h->read_ans.len > 7)
        h->read_ans.len = 7;
    if (h->pend) {
        h->pending_kind = 4;
        return POP3_PENDING;
    }
    *a = h->read_ans;
    return POP3_ANSWERED;
}

static void h_msg_close(void *ud, pop3_session *s, uint32_t n)
{
    (void)s;
    (void)n;
    ((struct host *)ud)->msg_closes++;
}

static int h_commit(void *ud, pop3_session *s, const pop3_commit_request *rq,
                    int *result)
{
    struct host *h = ud;
    (void)s;
    (void)rq;
    h->commits++;
    h->commit_ans = POP3_R_OK;
    if (h->pend) {
        h->pending_kind = 5;
        return POP3_PENDING;
    }
    *result = POP3_R_OK;
    return POP3_ANSWERED;
}

static void h_close(void *ud, pop3_session *s, int committed)
{
    struct host *h = ud;
    (void)s;
    h->closes++;
    h->last_committed = committed;
}

static void h_trace(void *ud, pop3_session *s, const pop3_event *ev)
{
    struct host *h = ud;
    (void)s;
    if (ev->args && h->secret && ev->args_len >= strlen(h->secret) &&
        strstr(ev->args, h->secret))
        h->saw_secret_in_trace = 1;
}

static pop3_callbacks host_callbacks(void)
{
    pop3_callbacks cb;
    pop3_callbacks_init(&cb);
    cb.authenticate = h_auth;
    cb.open_maildrop = h_open;
    cb.msg_info = h_info;
    cb.msg_read = h_read;
    cb.msg_close = h_msg_close;
    cb.commit = h_commit;
    cb.maildrop_close = h_close;
    cb.trace = h_trace;
    return cb;
}

static pop3_config test_config(void)
{
    pop3_config cfg;
    pop3_config_init(&cfg);
    cfg.auth_fail_delay_ms = 0;
    return cfg;
}

/* Deliver whatever the host left pending. */
static int complete(pop3_session *s, struct host *h)
{
    int k = h->pending_kind;
    h->pending_kind = 0;
    switch (k) {
    case 1: return pop3_session_auth_done(s, &h->auth_ans);
    case 2: return pop3_session_open_done(s, &h->open_ans);
    case 3: return pop3_session_info_done(s, &h->info_ans);
    case 4: return pop3_session_read_done(s, &h->read_ans);
    case 5: return pop3_session_commit_done(s, h->commit_ans);
    default: return POP3_OK;
    }
}

/* Feed `in`, draining output into out (NUL-terminated), until nothing
 * moves.  Returns the final status. */
static unsigned converse(pop3_session *s, struct host *h, const char *in,
                         char *out, size_t outcap)
{
    size_t off = 0, len = strlen(in), used = strlen(out);
    for (int guard = 0; guard < 100000; guard++) {
        unsigned st = pop3_session_status(s);
        size_t n;
        const unsigned char *o = pop3_session_out_buf(s, &n);
        if (n) {
            assert_true(used + n < outcap);
            memcpy(out + used, o, n);
            used += n;
            out[used] = '\0';
            assert_int_equal(pop3_session_out_ack(s, n), POP3_OK);
            continue;
        }
        if (st & POP3_STATUS_CLOSED)
            return st;
        if (st & POP3_STATUS_PENDING) {
            assert_int_equal(complete(s, h), POP3_OK);
            continue;
        }
        if (off < len && (st & POP3_STATUS_READ)) {
            long t = pop3_session_recv(s, in + off, len - off);
            assert_true(t >= 0);
            off += (size_t)t;
            continue;
        }
        return st;
    }
    fail_msg("conversation did not settle");
    return 0;
}

static pop3_session *start_session(struct host *h, const pop3_config *cfg,
                                   const pop3_allocator *al)
{
    pop3_callbacks cb = host_callbacks();
    pop3_connection conn = {0, POP3_CONN_PROTECTED, NULL};
    int err = 1;
    pop3_session *s = pop3_session_new(cfg, &cb, h, al, &err);
    assert_non_null(s);
    assert_int_equal(err, POP3_OK);
    assert_int_equal(pop3_session_start(s, &conn), POP3_OK);
    return s;
}

/* ---- memory and allocation ------------------------------------------------ */

static void default_session_memory_at_most_8_KiB(void **state)
{
    (void)state;
    size_t n = pop3_session_mem_size(NULL);
    print_message("default pop3_session_mem_size: %zu bytes\n", n);
    assert_true(n > 0);
    assert_true(n <= 8192);
}

struct counting {
    long allocs, frees;
    size_t live;
};

static void *count_alloc(void *ctx, size_t n)
{
    struct counting *c = ctx;
    c->allocs++;
    c->live += n;
    return malloc(n);
}

static void count_free(void *ctx, void *p, size_t n)
{
    struct counting *c = ctx;
    c->frees++;
    c->live -= n;
    free(p);
}

static void no_allocation_per_command_after_login(void **state)
{
    (void)state;
    struct counting c = {0, 0, 0};
    pop3_allocator al = {count_alloc, count_free, &c};
    struct host h = {0};
    pop3_config cfg = test_config();
    static char out[1 << 20];
    h.secret = "pw";
    out[0] = '\0';
    pop3_session *s = start_session(&h, &cfg, &al);
    assert_int_equal(c.allocs, 1);                      /* the session */
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    assert_non_null(strstr(out, "+OK maildrop has 3 messages"));
    assert_int_equal(c.allocs, 2);                      /* + the mark set */
    for (int round = 0; round < 50; round++) {
        out[0] = '\0';
        converse(s, &h,
                 "STAT\r\nLIST\r\nLIST 2\r\nUIDL\r\nUIDL 3\r\nRETR 1\r\n"
                 "TOP 2 1\r\nDELE 1\r\nRSET\r\nNOOP\r\nCAPA\r\nLIST 9\r\n",
                 out, sizeof out);
        assert_non_null(strstr(out, "+OK noop\r\n"));
    }
    assert_int_equal(c.allocs, 2);                      /* nothing per command */
    converse(s, &h, "QUIT\r\n", out, sizeof out);
    pop3_session_free(s);
    assert_int_equal(c.frees, 2);
    assert_int_equal(c.live, 0);
}

static void caller_owned_memory_exact_size_works(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    size_t n = pop3_session_mem_size(&cfg);
    void *mem = malloc(n);
    struct host h = {0};
    pop3_callbacks cb = host_callbacks();
    int err = 1;
    assert_null(pop3_session_init(mem, n - 1, &cfg, &cb, &h, NULL, &err));
    assert_int_equal(err, POP3_E_TOO_SMALL);
    assert_null(pop3_session_init((char *)mem + 1, n, &cfg, &cb, &h, NULL, &err));
    assert_int_equal(err, POP3_E_INVALID);
    pop3_session *s = pop3_session_init(mem, n, &cfg, &cb, &h, NULL, &err);
    assert_ptr_equal(s, mem);
    assert_int_equal(err, POP3_OK);
    assert_int_equal(pop3_session_deinit(s), POP3_OK);
    free(mem);
}

/* ---- configuration ---------------------------------------------------------- */

static void config_rejects_line_limit_below_rfc2449_minimum(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    cfg.max_line = 254;
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    cfg.max_line = 255;
    assert_true(pop3_session_mem_size(&cfg) > 0);
    cfg.out_buf_size = 100;
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
}

static void config_rejects_missing_required_callback(void **state)
{
    (void)state;
    pop3_callbacks cb = host_callbacks();
    int err = 0;
    cb.commit = NULL;
    assert_null(pop3_session_new(NULL, &cb, NULL, NULL, &err));
    assert_int_equal(err, POP3_E_INVALID);
}

static void config_strings_copied_at_init(void **state)
{
    (void)state;
    char greeting[32] = "Hello from here";
    char impl[32] = "impl-x";
    pop3_config cfg = test_config();
    struct host h = {0};
    static char out[4096];
    out[0] = '\0';
    cfg.greeting = greeting;
    cfg.implementation = impl;
    pop3_session *s = start_session(&h, &cfg, NULL);
    memset(greeting, 'X', sizeof greeting - 1);
    memset(impl, 'Y', sizeof impl - 1);
    converse(s, &h, "CAPA\r\n", out, sizeof out);
    assert_non_null(strstr(out, "+OK Hello from here\r\n"));
    assert_non_null(strstr(out, "IMPLEMENTATION impl-x\r\n"));
    pop3_session_free(s);
}

/* Older hosts pass shorter structs: fields past struct_size take defaults. */
static void abi_shorter_structs_take_defaults(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    pop3_callbacks cb = host_callbacks();
    struct host h = {0};
    int err = 1;
    cfg.struct_size = offsetof(pop3_config, greeting);  /* no strings known */
    cfg.greeting = "never read";
    cb.struct_size = offsetof(pop3_callbacks, trace);   /* no trace known */
    pop3_session *s = pop3_session_new(&cfg, &cb, &h, NULL, &err);
    assert_non_null(s);
    pop3_connection conn = {0, 0, NULL};
    assert_int_equal(pop3_session_start(s, &conn), POP3_OK);
    size_t n;
    const unsigned char *o = pop3_session_out_buf(s, &n);
    assert_int_equal(n, strlen("+OK POP3 server ready\r\n"));
    assert_memory_equal(o, "+OK POP3 server ready\r\n", n);
    pop3_session_free(s);
}

static void idle_timeout_never_below_ten_minutes(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    uint64_t at = 0;
    static char out[4096];
    out[0] = '\0';
    h.secret = "pw";
    cfg.idle_timeout_ms = 1000;
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    assert_int_equal(pop3_session_state(s), POP3_STATE_TRANSACTION);
    assert_int_equal(pop3_session_deadline(s, &at), 1);
    assert_true(at >= 600000);
    assert_int_equal(pop3_session_tick(s, 599999), POP3_OK);
    assert_int_equal(pop3_session_state(s), POP3_STATE_TRANSACTION);
    assert_int_equal(pop3_session_tick(s, 600000), POP3_OK);
    assert_int_equal(pop3_session_status(s), POP3_STATUS_CLOSED);
    assert_int_equal(h.commits, 0);
    assert_int_equal(h.closes, 1);
    assert_int_equal(h.last_committed, 0);
    pop3_session_free(s);
}

/* ---- pointers and status ----------------------------------------------------- */

static void out_buf_pointer_stable_until_ack(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    size_t n1, n2;
    h.secret = "pw";
    pop3_session *s = start_session(&h, &cfg, NULL);
    const unsigned char *p1 = pop3_session_out_buf(s, &n1);
    unsigned char copy[64];
    assert_true(n1 > 0 && n1 < sizeof copy);
    memcpy(copy, p1, n1);
    /* More input and more replies while the greeting is "in flight". */
    assert_true(pop3_session_recv(s, "CAPA\r\nUSER alice\r\nPASS pw\r\nSTAT\r\n", 33) > 0);
    const unsigned char *p2 = pop3_session_out_buf(s, &n2);
    assert_ptr_equal(p1, p2);
    assert_true(n2 > n1);
    assert_memory_equal(p1, copy, n1);
    /* A partial ack: the rest is still there, in order. */
    assert_int_equal(pop3_session_out_ack(s, 1), POP3_OK);
    p2 = pop3_session_out_buf(s, &n2);
    assert_memory_equal(p2, copy + 1, n1 - 1);
    assert_int_equal(pop3_session_out_ack(s, 0), POP3_OK);
    assert_int_equal(pop3_session_out_ack(s, n2 + 1), POP3_E_INVALID);
    pop3_session_free(s);
}

static void status_closed_is_exclusive_and_final(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    static char out[4096];
    out[0] = '\0';
    pop3_session *s = start_session(&h, &cfg, NULL);
    assert_true(pop3_session_status(s) & POP3_STATUS_WRITE);
    assert_true(pop3_session_status(s) & POP3_STATUS_READ);
    unsigned st = converse(s, &h, "QUIT\r\nNOOP\r\n", out, sizeof out);
    assert_int_equal(st, POP3_STATUS_CLOSED);
    assert_string_equal(out, "+OK POP3 server ready\r\n+OK bye\r\n");
    assert_int_equal(pop3_session_recv(s, "X", 1), POP3_E_CLOSED);
    assert_int_equal(pop3_session_status(s), POP3_STATUS_CLOSED);
    pop3_session_free(s);
}

static void status_zero_before_start(void **state)
{
    (void)state;
    pop3_callbacks cb = host_callbacks();
    pop3_session *s = pop3_session_new(NULL, &cb, NULL, NULL, NULL);
    assert_non_null(s);
    assert_int_equal(pop3_session_status(s), 0);
    assert_int_equal(pop3_session_in_ack(s, 0), POP3_E_STATE);
    pop3_session_free(s);
}

/* ---- callbacks, re-entrancy, completions -------------------------------------- */

static void reentrant_call_from_callback_refused(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    static char out[4096];
    out[0] = '\0';
    h.secret = "pw";
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    assert_true(h.reentry_checked);
    assert_int_equal(h.reentry_result, POP3_E_REENTRANT);
    assert_int_equal(pop3_session_state(s), POP3_STATE_TRANSACTION);
    pop3_session_free(s);
}

static void pending_answers_give_identical_bytes(void **state)
{
    (void)state;
    const char *script = "CAPA\r\nUSER alice\r\nPASS pw\r\nSTAT\r\nLIST\r\nUIDL\r\n"
                         "RETR 2\r\nTOP 1 0\r\nDELE 3\r\nLIST 3\r\nRSET\r\nQUIT\r\n";
    static char a[16384], b[16384];
    pop3_config cfg = test_config();
    struct host h1 = {0}, h2 = {0};
    h1.secret = h2.secret = "pw";
    h2.pend = 1;
    a[0] = b[0] = '\0';
    pop3_session *s1 = start_session(&h1, &cfg, NULL);
    pop3_session *s2 = start_session(&h2, &cfg, NULL);
    assert_int_equal(converse(s1, &h1, script, a, sizeof a), POP3_STATUS_CLOSED);
    assert_int_equal(converse(s2, &h2, script, b, sizeof b), POP3_STATUS_CLOSED);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "+OK 41 octets\r\nSubject: two\r\n\r\n..leading dot\r\nlast line\r\n.\r\n"));
    assert_int_equal(h1.commits, 1);
    assert_int_equal(h2.commits, 1);
    pop3_session_free(s1);
    pop3_session_free(s2);
}

static void completion_without_request_is_not_pending(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    pop3_auth_answer aa;
    memset(&aa, 0, sizeof aa);
    pop3_msg_info mi;
    memset(&mi, 0, sizeof mi);
    pop3_session *s = start_session(&h, &cfg, NULL);
    assert_int_equal(pop3_session_auth_done(s, &aa), POP3_E_NOT_PENDING);
    assert_int_equal(pop3_session_info_done(s, &mi), POP3_E_NOT_PENDING);
    assert_int_equal(pop3_session_commit_done(s, POP3_R_OK), POP3_E_NOT_PENDING);
    assert_int_equal(pop3_session_auth_done(s, NULL), POP3_E_INVALID);
    pop3_session_free(s);
}

static void completion_with_invalid_result_rejected(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    static char out[4096];
    out[0] = '\0';
    h.pend = 1;
    h.secret = "pw";
    pop3_session *s = start_session(&h, &cfg, NULL);
    assert_true(pop3_session_recv(s, "USER alice\r\nPASS pw\r\n", 21) == 21);
    assert_true(pop3_session_status(s) & POP3_STATUS_PENDING);
    pop3_auth_answer bad;                               /* not an auth result */
    memset(&bad, 0, sizeof bad);
    bad.result = POP3_R_IN_USE;
    assert_int_equal(pop3_session_auth_done(s, &bad), POP3_E_INVALID);
    assert_true(pop3_session_status(s) & POP3_STATUS_PENDING);
    assert_int_equal(complete(s, &h), POP3_OK);
    converse(s, &h, "", out, sizeof out);
    assert_int_equal(pop3_session_state(s), POP3_STATE_TRANSACTION);
    pop3_session_free(s);
}

static void completion_after_abort_reports_closed(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    h.pend = 1;
    h.secret = "pw";
    pop3_session *s = start_session(&h, &cfg, NULL);
    assert_true(pop3_session_recv(s, "USER alice\r\nPASS pw\r\n", 21) == 21);
    assert_int_equal(pop3_session_abort(s), POP3_OK);
    assert_int_equal(pop3_session_status(s), POP3_STATUS_CLOSED);
    assert_int_equal(complete(s, &h), POP3_E_CLOSED);
    pop3_session_free(s);
}

static void fatal_callback_error_is_sticky_and_closes_without_update(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    static char out[4096];
    out[0] = '\0';
    h.secret = "pw";
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\nDELE 1\r\n", out, sizeof out);
    h.fail_fatal = 1;
    long r = pop3_session_recv(s, "LIST 2\r\n", 8);
    assert_int_equal(r, POP3_E_CALLBACK);
    assert_true(pop3_error_is_fatal((int)r));
    assert_int_equal(pop3_session_status(s), POP3_STATUS_CLOSED);
    assert_int_equal(pop3_session_tick(s, 1), POP3_E_CALLBACK);
    assert_int_equal(pop3_session_out_ack(s, 0), POP3_E_CALLBACK);
    assert_string_not_equal(pop3_session_last_error(s), "");
    assert_int_equal(h.commits, 0);
    assert_int_equal(h.closes, 1);
    assert_int_equal(h.last_committed, 0);
    pop3_session_free(s);
}

/* ---- secrets ----------------------------------------------------------------- */

static int contains(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

static void password_wiped_from_session_memory_after_verification(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    size_t n = pop3_session_mem_size(&cfg);
    unsigned char *mem = malloc(n);
    struct host h = {0};
    pop3_callbacks cb = host_callbacks();
    pop3_connection conn = {0, POP3_CONN_PROTECTED, NULL};
    static char out[4096];
    const char *pw = "Sw0rdf1sh-secret";
    out[0] = '\0';
    h.secret = pw;
    memset(mem, 0, n);
    pop3_session *s = pop3_session_init(mem, n, &cfg, &cb, &h, NULL, NULL);
    assert_non_null(s);
    assert_int_equal(pop3_session_start(s, &conn), POP3_OK);
    converse(s, &h, "USER alice\r\nPASS Sw0rdf1sh-secret\r\n", out, sizeof out);
    assert_int_equal(pop3_session_state(s), POP3_STATE_TRANSACTION);
    assert_false(contains(mem, n, pw));
    assert_false(h.saw_secret_in_trace);
    /* A wrong password is wiped too. */
    pop3_session_deinit(s);
    s = pop3_session_init(mem, n, &cfg, &cb, &h, NULL, NULL);
    assert_int_equal(pop3_session_start(s, &conn), POP3_OK);
    out[0] = '\0';
    converse(s, &h, "USER alice\r\nPASS wrong-Sw0rdf1sh\r\n", out, sizeof out);
    assert_false(contains(mem, n, "wrong-Sw0rdf1sh"));
    pop3_session_deinit(s);
    free(mem);
}

/* ---- stats and the transition table --------------------------------------------- */

static void stats_count_commands_and_bodies(void **state)
{
    (void)state;
    pop3_config cfg = test_config();
    struct host h = {0};
    static char out[8192];
    pop3_stats st;
    out[0] = '\0';
    h.secret = "pw";
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\nRETR 1\r\nTOP 1 0\r\nDELE 2\r\nXXXX\r\nQUIT\r\n",
             out, sizeof out);
    memset(&st, 0, sizeof st);
    st.struct_size = sizeof st;
    assert_int_equal(pop3_session_stats(s, &st), POP3_OK);
    assert_int_equal(st.commands, 7);
    assert_int_equal(st.bad_commands, 1);
    assert_int_equal(st.retr_count, 1);
    assert_int_equal(st.retr_octets, strlen("Subject: one\r\n\r\nfirst body\r\n.\r\n"));
    assert_int_equal(st.top_count, 1);
    assert_int_equal(st.dele_count, 1);
    assert_int_equal(st.bytes_out, strlen(out));
    assert_int_equal(st.close_reason, POP3_CLOSE_QUIT);
    pop3_session_free(s);
}

static void transition_table_has_rfc1939_states(void **state)
{
    (void)state;
    size_t n = 0;
    const pop3_transition *t = pop3_transitions(&n);
    int auth_to_trans = 0, trans_to_update = 0, update_to_closed = 0,
        trans_to_closed = 0, auth_self = 0;
    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].event);
        auth_to_trans += t[i].from == POP3_STATE_AUTHORIZATION && t[i].to == POP3_STATE_TRANSACTION;
        trans_to_update += t[i].from == POP3_STATE_TRANSACTION && t[i].to == POP3_STATE_UPDATE;
        update_to_closed += t[i].from == POP3_STATE_UPDATE && t[i].to == POP3_STATE_CLOSED;
        trans_to_closed += t[i].from == POP3_STATE_TRANSACTION && t[i].to == POP3_STATE_CLOSED;
        auth_self += t[i].from == POP3_STATE_AUTHORIZATION && t[i].to == POP3_STATE_AUTHORIZATION;
        /* UPDATE is reached only from TRANSACTION (RFC 1939 §6). */
        if (t[i].to == POP3_STATE_UPDATE)
            assert_int_equal(t[i].from, POP3_STATE_TRANSACTION);
    }
    assert_int_equal(auth_to_trans, 1);
    assert_int_equal(trans_to_update, 1);
    assert_int_equal(update_to_closed, 1);
    assert_int_equal(trans_to_closed, 1);
    assert_int_equal(auth_self, 1);
}

/* The diagram in docs/architecture.md is generated from pop3_transitions();
 * this test regenerates it and requires the document to hold it verbatim. */
static void architecture_doc_state_diagram_matches_engine_table(void **state)
{
    (void)state;
    char gen[4096];
    size_t n = 0, used = 0;
    const pop3_transition *t = pop3_transitions(&n);
    used += (size_t)snprintf(gen + used, sizeof gen - used, "```mermaid\nstateDiagram-v2\n");
    for (size_t i = 0; i < n; i++) {
        const char *from = t[i].from == POP3_STATE_INIT ? "[*]" : pop3_state_name(t[i].from);
        const char *to = pop3_state_name(t[i].to);
        used += (size_t)snprintf(gen + used, sizeof gen - used, "    %s --> %s: %s\n",
                                 from, to, t[i].event);
    }
    used += (size_t)snprintf(gen + used, sizeof gen - used, "    CLOSED --> [*]\n```\n");
    assert_true(used < sizeof gen);

    const char *dir = getenv("POP3_DOCS");
    char path[512];
    snprintf(path, sizeof path, "%s/architecture.md", dir ? dir : "docs");
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    static char doc[1 << 17];
    size_t len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = '\0';
    if (!strstr(doc, gen)) {
        print_error("docs/architecture.md must contain exactly:\n%s", gen);
        fail();
    }
}


/* ---- STLS (RFC 2595 §4) ------------------------------------------------------ */

static pop3_session *start_conn(struct host *h, unsigned flags)
{
    pop3_config cfg = test_config();
    pop3_callbacks cb = host_callbacks();
    pop3_connection conn = {0, flags, NULL};
    pop3_session *s = pop3_session_new(&cfg, &cb, h, NULL, NULL);
    assert_non_null(s);
    assert_int_equal(pop3_session_start(s, &conn), POP3_OK);
    return s;
}

static void stls_advertised_only_while_tls_available_and_inactive(void **state)
{
    (void)state;
    static const struct { unsigned flags; int stls; } cases[] = {
        {0, 0},
        {POP3_CONN_TLS_AVAILABLE, 1},
        {POP3_CONN_TLS_AVAILABLE | POP3_CONN_TLS_ACTIVE, 0},
        {POP3_CONN_TLS_ACTIVE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct host h = {0};
        static char out[4096];
        out[0] = '\0';
        pop3_session *s = start_conn(&h, cases[i].flags);
        converse(s, &h, "CAPA\r\nSTLS\r\n", out, sizeof out);
        assert_int_equal(strstr(out, "\r\nSTLS\r\n") != NULL, cases[i].stls);
        if (cases[i].stls)
            assert_non_null(strstr(out, "+OK begin TLS negotiation\r\n"));
        else
            assert_non_null(strstr(out, "-ERR "));
        pop3_session_free(s);
    }
}

static void stls_discards_commands_pipelined_before_handshake(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    const char *rest = "USER alice\r\nPASS pw\r\nSTAT\r\n";
    char in[128];
    pop3_stats st;
    h.secret = "pw";
    out[0] = '\0';
    snprintf(in, sizeof in, "STLS\r\n%s", rest);
    pop3_session *s = start_conn(&h, POP3_CONN_TLS_AVAILABLE);
    /* The injection: STLS and plaintext commands in one read. */
    unsigned stat = converse(s, &h, in, out, sizeof out);
    assert_string_equal(out, "+OK POP3 server ready\r\n+OK begin TLS negotiation\r\n");
    assert_int_equal(stat, POP3_STATUS_START_TLS | POP3_STATUS_DEADLINE);
    assert_false(h.reentry_checked);            /* authenticate never ran */
    memset(&st, 0, sizeof st);
    st.struct_size = sizeof st;
    pop3_session_stats(s, &st);
    assert_int_equal(st.discarded_octets, strlen(rest));
    /* No plaintext input while the handshake runs. */
    assert_int_equal(pop3_session_recv(s, "NOOP\r\n", 6), POP3_E_STATE);
    assert_int_equal(pop3_session_tls_done(s, 1), POP3_OK);
    assert_int_equal(pop3_session_state(s), POP3_STATE_AUTHORIZATION);
    out[0] = '\0';
    converse(s, &h, "CAPA\r\nUSER alice\r\nPASS pw\r\n", out, sizeof out);
    assert_null(strstr(out, "STLS"));           /* withdrawn */
    assert_non_null(strstr(out, "\r\nUSER\r\n")); /* plaintext now allowed */
    assert_int_equal(pop3_session_state(s), POP3_STATE_TRANSACTION);
    pop3_session_free(s);
}

static void stls_forgets_user_given_before_it(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    h.secret = "pw";
    out[0] = '\0';
    pop3_session *s = start_conn(&h, POP3_CONN_TLS_AVAILABLE | POP3_CONN_PROTECTED);
    converse(s, &h, "USER alice\r\nSTLS\r\n", out, sizeof out);
    assert_int_equal(pop3_session_tls_done(s, 1), POP3_OK);
    assert_null(pop3_session_user(s));
    out[0] = '\0';
    converse(s, &h, "PASS pw\r\n", out, sizeof out);
    assert_string_equal(out, "-ERR send USER first\r\n");
    pop3_session_free(s);
}

static void stls_handshake_failure_closes_session(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    pop3_stats st;
    out[0] = '\0';
    pop3_session *s = start_conn(&h, POP3_CONN_TLS_AVAILABLE);
    assert_int_equal(pop3_session_tls_done(s, 1), POP3_E_STATE); /* not asked */
    converse(s, &h, "STLS\r\n", out, sizeof out);
    assert_int_equal(pop3_session_tls_done(s, 0), POP3_OK);
    assert_int_equal(pop3_session_status(s), POP3_STATUS_CLOSED);
    memset(&st, 0, sizeof st);
    st.struct_size = sizeof st;
    pop3_session_stats(s, &st);
    assert_int_equal(st.close_reason, POP3_CLOSE_TLS_FAILED);
    pop3_session_free(s);
}

static void stls_not_valid_in_transaction(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    h.secret = "pw";
    out[0] = '\0';
    pop3_session *s = start_conn(&h, POP3_CONN_TLS_AVAILABLE | POP3_CONN_PROTECTED);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    out[0] = '\0';
    converse(s, &h, "STLS\r\n", out, sizeof out);
    assert_string_equal(out, "-ERR command not valid in this state\r\n");
    assert_int_equal(pop3_session_status(s) & POP3_STATUS_START_TLS, 0);
    pop3_session_free(s);
}

static void stls_start_tls_only_after_ok_is_sent(void **state)
{
    (void)state;
    struct host h = {0};
    size_t n;
    pop3_session *s = start_conn(&h, POP3_CONN_TLS_AVAILABLE);
    assert_int_equal(pop3_session_recv(s, "STLS\r\n", 6), 6);
    /* Greeting and +OK still queued: write first, handshake after. */
    assert_int_equal(pop3_session_status(s) & (POP3_STATUS_START_TLS | POP3_STATUS_READ), 0);
    assert_true(pop3_session_status(s) & POP3_STATUS_WRITE);
    assert_int_equal(pop3_session_tls_done(s, 1), POP3_E_STATE);
    pop3_session_out_buf(s, &n);
    assert_int_equal(pop3_session_out_ack(s, n), POP3_OK);
    assert_true(pop3_session_status(s) & POP3_STATUS_START_TLS);
    pop3_session_free(s);
}


/* ---- UTF8 and LANG (RFC 6856) ------------------------------------------------- */

static pop3_session *start_cfg(struct host *h, unsigned cfg_flags, unsigned conn_flags)
{
    pop3_config cfg = test_config();
    pop3_callbacks cb = host_callbacks();
    pop3_connection conn = {0, conn_flags, NULL};
    cfg.flags |= cfg_flags;
    pop3_session *s = pop3_session_new(&cfg, &cb, h, NULL, NULL);
    assert_non_null(s);
    assert_int_equal(pop3_session_start(s, &conn), POP3_OK);
    return s;
}

static void utf8_offered_only_when_configured(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    out[0] = '\0';
    pop3_session *s = start_cfg(&h, 0, POP3_CONN_PROTECTED);
    converse(s, &h, "CAPA\r\nUTF8\r\n", out, sizeof out);
    assert_null(strstr(out, "UTF8\r\n."));
    assert_non_null(strstr(out, "-ERR unknown command\r\n"));
    pop3_session_free(s);
    out[0] = '\0';
    s = start_cfg(&h, POP3_CFG_UTF8 | POP3_CFG_UTF8_USER, POP3_CONN_PROTECTED);
    converse(s, &h, "CAPA\r\nUTF8\r\n", out, sizeof out);
    assert_non_null(strstr(out, "\r\nUTF8 USER\r\n"));
    assert_non_null(strstr(out, "+OK UTF8 enabled\r\n"));
    assert_int_equal(pop3_session_utf8(s), 1);
    pop3_session_free(s);
}

static void utf8_user_name_needs_utf8_command_and_valid_utf8(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    out[0] = '\0';
    pop3_session *s = start_cfg(&h, POP3_CFG_UTF8 | POP3_CFG_UTF8_USER, POP3_CONN_PROTECTED);
    converse(s, &h, "USER j\xc3\xbcrgen\r\n", out, sizeof out);
    assert_string_equal(strstr(out, "\r\n") + 2,
                        "-ERR [UTF8] UTF-8 user names need the UTF8 command\r\n");
    out[0] = '\0';
    converse(s, &h, "UTF8\r\nUSER j\xc3\xbcrgen\r\nUSER j\xc3rgen\r\nUSER \xc0\xaf\r\n", out, sizeof out);
    assert_string_equal(out, "+OK UTF8 enabled\r\n+OK send PASS\r\n"
                             "-ERR user name is not valid UTF-8\r\n"
                             "-ERR user name is not valid UTF-8\r\n");
    pop3_session_free(s);
}

static void utf8_in_transaction_only_with_outlook_option(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    h.secret = "pw";
    out[0] = '\0';
    pop3_session *s = start_cfg(&h, POP3_CFG_UTF8, POP3_CONN_PROTECTED);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    out[0] = '\0';
    converse(s, &h, "UTF8\r\n", out, sizeof out);
    assert_string_equal(out, "-ERR command not valid in this state\r\n");
    pop3_session_free(s);
    out[0] = '\0';
    s = start_cfg(&h, POP3_CFG_UTF8 | POP3_CFG_UTF8_IN_TRANSACTION, POP3_CONN_PROTECTED);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    out[0] = '\0';
    converse(s, &h, "UTF8\r\n", out, sizeof out);
    assert_string_equal(out, "+OK UTF8 enabled\r\n");
    pop3_session_free(s);
}

static void utf8_message_refused_with_utf8_code_until_enabled(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    h.secret = "pw";
    h.needs_utf8 = 1;
    out[0] = '\0';
    pop3_session *s = start_cfg(&h, POP3_CFG_UTF8 | POP3_CFG_UTF8_IN_TRANSACTION,
                                POP3_CONN_PROTECTED);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    out[0] = '\0';
    converse(s, &h, "RETR 1\r\nUTF8\r\nRETR 1\r\n", out, sizeof out);
    assert_string_equal(out, "-ERR [UTF8] message needs UTF8 mode\r\n+OK UTF8 enabled\r\n"
                             "+OK 28 octets\r\nSubject: one\r\n\r\nfirst body\r\n.\r\n");
    pop3_session_free(s);
}

static void lang_lists_and_selects_english_only(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    out[0] = '\0';
    pop3_session *s = start_cfg(&h, POP3_CFG_LANG, POP3_CONN_PROTECTED);
    converse(s, &h, "CAPA\r\nLANG\r\nLANG en\r\nLANG *\r\nLANG fr\r\n", out, sizeof out);
    assert_non_null(strstr(out, "\r\nLANG\r\n.\r\n"));
    assert_non_null(strstr(out, "+OK language listing follows\r\nen English\r\n.\r\n"
                                "+OK en English\r\n+OK en English\r\n-ERR invalid language\r\n"));
    pop3_session_free(s);
}


/* ---- backend failures ------------------------------------------------------- */

static void listing_skips_message_that_vanished(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    pop3_config cfg = test_config();
    h.secret = "pw";
    h.info_fail_msg = 2;
    h.info_fail_result = POP3_R_NO_MESSAGE;
    out[0] = '\0';
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    out[0] = '\0';
    converse(s, &h, "UIDL\r\nLIST 2\r\n", out, sizeof out);
    assert_string_equal(out, "+OK unique-id listing follows\r\n1 uid-1\r\n3 uid-3\r\n.\r\n"
                             "-ERR no such message\r\n");
    pop3_session_free(s);
}

static void listing_backend_failure_closes_without_terminator(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    pop3_config cfg = test_config();
    h.secret = "pw";
    h.info_fail_msg = 2;
    h.info_fail_result = POP3_R_TEMPFAIL;
    out[0] = '\0';
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\nDELE 3\r\n", out, sizeof out);
    long r = pop3_session_recv(s, "LIST\r\n", 6);
    assert_int_equal(r, POP3_E_BACKEND);
    assert_int_equal(pop3_session_status(s), POP3_STATUS_CLOSED);
    assert_int_equal(h.commits, 0);             /* nothing deleted */
    assert_int_equal(h.closes, 1);
    assert_int_equal(h.last_committed, 0);
    pop3_session_free(s);
}

static void single_message_backend_failure_is_sys_temp(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    pop3_config cfg = test_config();
    h.secret = "pw";
    h.info_fail_msg = 1;
    h.info_fail_result = POP3_R_PERMFAIL;
    out[0] = '\0';
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    out[0] = '\0';
    converse(s, &h, "LIST 1\r\nDELE 1\r\nSTAT\r\n", out, sizeof out);
    assert_string_equal(out, "-ERR [SYS/PERM] message unavailable\r\n"
                             "-ERR [SYS/PERM] message unavailable\r\n+OK 3 87\r\n");
    pop3_session_free(s);
}

static void inline_invalid_result_is_fatal_callback_error(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    pop3_config cfg = test_config();
    h.secret = "pw";
    out[0] = '\0';
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    h.invalid_info_result = 1;
    assert_int_equal(pop3_session_recv(s, "LIST 1\r\n", 8), POP3_E_CALLBACK);
    assert_non_null(strstr(pop3_session_last_error(s), "invalid result"));
    pop3_session_free(s);
}

static void *failing_alloc(void *ctx, size_t n)
{
    int *calls = ctx;
    if ((*calls)++ >= 1)
        return NULL;            /* the session itself, then nothing */
    return malloc(n);
}

static void failing_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    (void)n;
    free(p);
}

static void mark_set_allocation_failure_refuses_login_cleanly(void **state)
{
    (void)state;
    int calls = 0;
    pop3_allocator al = {failing_alloc, failing_free, &calls};
    struct host h = {0};
    static char out[4096];
    pop3_config cfg = test_config();
    h.secret = "pw";
    out[0] = '\0';
    pop3_session *s = start_session(&h, &cfg, &al);
    converse(s, &h, "USER alice\r\nPASS pw\r\nSTAT\r\n", out, sizeof out);
    assert_non_null(strstr(out, "-ERR [SYS/TEMP] maildrop temporarily unavailable\r\n"
                                "-ERR command not valid in this state\r\n"));
    assert_int_equal(pop3_session_state(s), POP3_STATE_AUTHORIZATION);
    assert_int_equal(h.closes, 1);              /* the lock is released */
    assert_int_equal(h.last_committed, 0);
    pop3_session_free(s);
}

static void config_values_validated(void **state)
{
    (void)state;
    pop3_config cfg;
    pop3_config_init(&cfg);
    cfg.greeting = "bad\r\ngreeting";
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    pop3_config_init(&cfg);
    cfg.implementation = "";
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    pop3_config_init(&cfg);
    cfg.max_line = 4097;
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    pop3_config_init(&cfg);
    cfg.in_buf_size = 70000;
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    pop3_config_init(&cfg);
    cfg.login_delay = -5;
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    pop3_config_init(&cfg);
    cfg.sasl_mechs = POP3_SASL_HOST;            /* host mechanisms need names */
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    pop3_config_init(&cfg);
    cfg.hostname = "has space";
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    pop3_config_init(&cfg);
    cfg.max_auth_line = 200;                    /* below max_line */
    assert_int_equal(pop3_session_mem_size(&cfg), 0);
    /* OAuth raises the AUTH line limit and so the input buffer. */
    pop3_config_init(&cfg);
    size_t base = pop3_session_mem_size(&cfg);
    cfg.sasl_mechs |= POP3_SASL_XOAUTH2;
    assert_true(pop3_session_mem_size(&cfg) >= base + 8192 - 1024);
    /* SCRAM needs the random callback. */
    pop3_config_init(&cfg);
    cfg.sasl_mechs |= POP3_SASL_SCRAM_SHA_256;
    pop3_callbacks cb = host_callbacks();
    int err = 0;
    assert_null(pop3_session_new(&cfg, &cb, NULL, NULL, &err));
    assert_int_equal(err, POP3_E_INVALID);
}


static void config_check_reports_effective_values(void **state)
{
    (void)state;
    pop3_config cfg, eff;
    pop3_config_init(&cfg);
    cfg.idle_timeout_ms = 1000;                 /* raised to the RFC minimum */
    cfg.sasl_mechs |= POP3_SASL_OAUTHBEARER;    /* long AUTH lines */
    assert_int_equal(pop3_config_check(&cfg, &eff), POP3_OK);
    assert_int_equal(eff.idle_timeout_ms, 600000);
    assert_int_equal(eff.max_auth_line, 8192);
    assert_true(eff.in_buf_size >= 8192);
    cfg.max_line = 10;
    assert_int_equal(pop3_config_check(&cfg, &eff), POP3_E_INVALID);
    assert_int_equal(pop3_config_check(NULL, &eff), POP3_OK);
    assert_int_equal(eff.max_line, 255);
    assert_int_equal(pop3_config_check(NULL, NULL), POP3_E_INVALID);
}

static void interrupted_retr_is_counted_in_stats(void **state)
{
    (void)state;
    struct host h = {0};
    static char out[4096];
    pop3_stats st;
    pop3_config cfg = test_config();
    h.secret = "pw";
    out[0] = '\0';
    pop3_session *s = start_session(&h, &cfg, NULL);
    converse(s, &h, "USER alice\r\nPASS pw\r\n", out, sizeof out);
    /* RETR begins; the peer goes away before the body is taken. */
    assert_int_equal(pop3_session_recv(s, "RETR 2\r\n", 8), 8);
    assert_int_equal(pop3_session_abort(s), POP3_OK);
    memset(&st, 0, sizeof st);
    st.struct_size = sizeof st;
    pop3_session_stats(s, &st);
    assert_int_equal(st.retr_count, 1);
    assert_true(st.retr_octets > 0);
    assert_int_equal(st.close_reason, POP3_CLOSE_ABORT);
    pop3_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_session_memory_at_most_8_KiB),
        cmocka_unit_test(no_allocation_per_command_after_login),
        cmocka_unit_test(caller_owned_memory_exact_size_works),
        cmocka_unit_test(config_rejects_line_limit_below_rfc2449_minimum),
        cmocka_unit_test(config_rejects_missing_required_callback),
        cmocka_unit_test(config_strings_copied_at_init),
        cmocka_unit_test(abi_shorter_structs_take_defaults),
        cmocka_unit_test(idle_timeout_never_below_ten_minutes),
        cmocka_unit_test(out_buf_pointer_stable_until_ack),
        cmocka_unit_test(status_closed_is_exclusive_and_final),
        cmocka_unit_test(status_zero_before_start),
        cmocka_unit_test(reentrant_call_from_callback_refused),
        cmocka_unit_test(pending_answers_give_identical_bytes),
        cmocka_unit_test(completion_without_request_is_not_pending),
        cmocka_unit_test(completion_with_invalid_result_rejected),
        cmocka_unit_test(completion_after_abort_reports_closed),
        cmocka_unit_test(fatal_callback_error_is_sticky_and_closes_without_update),
        cmocka_unit_test(password_wiped_from_session_memory_after_verification),
        cmocka_unit_test(stats_count_commands_and_bodies),
        cmocka_unit_test(transition_table_has_rfc1939_states),
        cmocka_unit_test(architecture_doc_state_diagram_matches_engine_table),
        cmocka_unit_test(stls_advertised_only_while_tls_available_and_inactive),
        cmocka_unit_test(stls_discards_commands_pipelined_before_handshake),
        cmocka_unit_test(stls_forgets_user_given_before_it),
        cmocka_unit_test(stls_handshake_failure_closes_session),
        cmocka_unit_test(stls_not_valid_in_transaction),
        cmocka_unit_test(stls_start_tls_only_after_ok_is_sent),
        cmocka_unit_test(utf8_offered_only_when_configured),
        cmocka_unit_test(utf8_user_name_needs_utf8_command_and_valid_utf8),
        cmocka_unit_test(utf8_in_transaction_only_with_outlook_option),
        cmocka_unit_test(utf8_message_refused_with_utf8_code_until_enabled),
        cmocka_unit_test(lang_lists_and_selects_english_only),
        cmocka_unit_test(listing_skips_message_that_vanished),
        cmocka_unit_test(listing_backend_failure_closes_without_terminator),
        cmocka_unit_test(single_message_backend_failure_is_sys_temp),
        cmocka_unit_test(inline_invalid_result_is_fatal_callback_error),
        cmocka_unit_test(mark_set_allocation_failure_refuses_login_cleanly),
        cmocka_unit_test(config_values_validated),
        cmocka_unit_test(config_check_reports_effective_values),
        cmocka_unit_test(interrupted_retr_is_counted_in_stats),
    };
    return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
