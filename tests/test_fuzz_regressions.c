/*
 * test_fuzz_regressions.c - every crash or invariant failure the fuzz
 * harnesses (fuzz/) found, as a test named for the bug.  The reproducer
 * inputs are in the comments; docs/fuzzing.md says how to replay them.
 *
 * Self-contained: a small inline backend, no tests/support dependency.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pop3.h"

/* ------------------------------------------------------------------------
 * Encoder: writes past out_cap (found by fuzz/fuzz_encoder.c and
 * fuzz/fuzz_session.c against commit 0878c97; ASan: heap-buffer-overflow
 * in pop3_encoder_encode, the bare-LF path and the 8-octet LF-text path).
 * Every output buffer here is followed by guard octets that must survive.
 * ---------------------------------------------------------------------- */

#define GUARD 16

/* CRLF-normalised reference: LF -> CRLF, lone CR -> CRLF, final CRLF. */
static size_t normalise(const unsigned char *m, size_t n, unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (m[i] == '\r' || m[i] == '\n') {
            out[o++] = '\r';
            out[o++] = '\n';
            if (m[i] == '\r' && i + 1 < n && m[i + 1] == '\n')
                i++;
        } else {
            out[o++] = m[i];
        }
    }
    if (n && m[n - 1] != '\r' && m[n - 1] != '\n') {
        out[o++] = '\r';
        out[o++] = '\n';
    }
    return o;
}

/* Encode m with every call limited to cap octets; check the guards, then
 * that un-stuffing the output gives the reference. */
static void encode_with_cap(const unsigned char *m, size_t n, size_t cap)
{
    pop3_encoder e;
    unsigned char *buf = malloc(cap + GUARD);
    unsigned char *all = malloc(3 * n + 16), *want = malloc(2 * n + 4), *dec = malloc(3 * n + 16);
    size_t pos = 0, total = 0, wl, dl = 0, i = 0;

    assert_non_null(buf);
    assert_non_null(all);
    pop3_encoder_init(&e, 0, 0, 0);
    while (pos < n) {
        size_t used = 0, w;
        memset(buf, 0xEE, cap + GUARD);
        w = pop3_encoder_encode(&e, m + pos, n - pos, &used, buf, cap);
        assert_true(w <= cap);
        for (size_t g = 0; g < GUARD; g++)
            assert_int_equal(buf[cap + g], 0xEE);   /* nothing past out_cap */
        memcpy(all + total, buf, w);
        total += w;
        pos += used;
        assert_true(w > 0 || used > 0);     /* progress: out_cap >= 3 */
    }
    while (!pop3_encoder_finished(&e)) {
        size_t w;
        memset(buf, 0xEE, cap + GUARD);
        w = pop3_encoder_finish(&e, buf, cap);
        for (size_t g = 0; g < GUARD; g++)
            assert_int_equal(buf[cap + g], 0xEE);
        memcpy(all + total, buf, w);
        total += w;
    }
    /* Un-stuff up to the terminator. */
    while (i < total) {
        size_t s = i;
        while (i < total && all[i] != '\n')
            i++;
        assert_true(i < total && i > s && all[i - 1] == '\r');
        i++;
        if (i - s == 3 && all[s] == '.')
            break;
        if (all[s] == '.')
            s++;
        memcpy(dec + dl, all + s, i - s);
        dl += i - s;
    }
    assert_int_equal(i, total);
    wl = normalise(m, n, want);
    assert_int_equal(dl, wl);
    assert_memory_equal(dec, want, wl);
    free(buf);
    free(all);
    free(want);
    free(dec);
}

static void fuzz_encoder_bare_lf_writes_past_out_cap(void **state)
{
    /* fuzz/fuzz_encoder.c input (12-octet header, then the message):
     * 32 32 1f df 31 35 30 1f 32 1f 1f 33 | df 0a 0a 32 32 1f 35 30 1f 1f
     * 33 00 00 0a 32 */
    static const unsigned char m[] = {0xdf, 0x0a, 0x0a, 0x32, 0x32, 0x1f, 0x35, 0x30,
                                      0x1f, 0x1f, 0x33, 0x00, 0x00, 0x0a, 0x32};
    (void)state;
    for (size_t cap = 3; cap <= 40; cap++)
        encode_with_cap(m, sizeof m, cap);
}

static void fuzz_encoder_lf_text_words_write_past_out_cap(void **state)
{
    /* LF-stored text (the session harness met it in RETR with a nearly
     * full output window): runs longer than 8 octets between bare LFs,
     * CR LF pairs and dots, at every small capacity. */
    unsigned char m[700];
    size_t n = 0;
    (void)state;
    for (int line = 0; n + 40 < sizeof m; line++) {
        int len = 1 + (line * 7) % 23;
        if (line % 5 == 0)
            m[n++] = '.';
        for (int k = 0; k < len; k++)
            m[n++] = (unsigned char)('a' + (line + k) % 26);
        if (line % 4 == 3) {
            m[n++] = '\r';
        }
        m[n++] = '\n';
    }
    for (size_t cap = 3; cap <= 80; cap++)
        encode_with_cap(m, n, cap);
}

/* ------------------------------------------------------------------------
 * A minimal backend for the session regressions
 * ---------------------------------------------------------------------- */

typedef struct backend {
    int info_calls, info_fail_at;   /* answer TEMPFAIL to this call (1-based) */
    int closed_seen, info_after_close;
    uint64_t body_octets;
    int body_events;
} backend;

static int b_auth(void *ud, pop3_session *s, const pop3_auth_request *r, pop3_auth_answer *a)
{
    (void)ud, (void)s, (void)r;
    a->result = POP3_R_OK;
    return POP3_ANSWERED;
}

static int b_open(void *ud, pop3_session *s, pop3_maildrop *a)
{
    (void)ud, (void)s;
    a->result = POP3_R_OK;
    a->count = 2;
    a->octets = 20;
    return POP3_ANSWERED;
}

static int b_info(void *ud, pop3_session *s, uint32_t n, unsigned want, pop3_msg_info *a)
{
    backend *b = ud;
    (void)s, (void)want;
    if (b->closed_seen)
        b->info_after_close++;
    b->info_calls++;
    a->result = b->info_calls == b->info_fail_at ? POP3_R_TEMPFAIL : POP3_R_OK;
    a->size = 10;
    a->uid = n == 1 ? "one" : "two";
    a->uid_len = 3;
    return POP3_ANSWERED;
}

static int b_read(void *ud, pop3_session *s, const pop3_read_request *r, pop3_chunk *a)
{
    (void)ud, (void)s, (void)r;
    a->result = POP3_R_OK;
    a->len = 0;
    return POP3_ANSWERED;
}

static int b_commit(void *ud, pop3_session *s, const pop3_commit_request *r, int *res)
{
    (void)ud, (void)s, (void)r;
    *res = POP3_R_OK;
    return POP3_ANSWERED;
}

static void b_trace(void *ud, pop3_session *s, const pop3_event *ev)
{
    backend *b = ud;
    (void)s;
    if (ev->type == POP3_EV_CLOSE)
        b->closed_seen = 1;
    if (ev->type == POP3_EV_BODY) {
        b->body_events++;
        b->body_octets = ev->octets;
    }
}

static pop3_session *start(backend *b, unsigned flags, void **mem)
{
    pop3_config cfg;
    pop3_callbacks cb;
    pop3_connection conn;
    pop3_session *s;
    size_t n;

    pop3_config_init(&cfg);
    cfg.flags = flags | POP3_CFG_ALLOW_PLAINTEXT;
    cfg.auth_fail_delay_ms = 0;
    pop3_callbacks_init(&cb);
    cb.authenticate = b_auth;
    cb.open_maildrop = b_open;
    cb.msg_info = b_info;
    cb.msg_read = b_read;
    cb.commit = b_commit;
    cb.trace = b_trace;
    n = pop3_session_mem_size(&cfg);
    assert_true(n > 0);
    *mem = malloc(n);
    s = pop3_session_init(*mem, n, &cfg, &cb, b, NULL, NULL);
    assert_non_null(s);
    memset(&conn, 0, sizeof conn);
    conn.now_ms = 1000;
    assert_int_equal(pop3_session_start(s, &conn), POP3_OK);
    return s;
}

/* Send a line and take all the output (appended to out, NUL-terminated). */
static int say(pop3_session *s, const char *line, char *out, size_t cap)
{
    int rc = (int)pop3_session_recv(s, line, strlen(line));
    size_t len, have = strlen(out);
    const unsigned char *p;
    while ((p = pop3_session_out_buf(s, &len)) != NULL && len) {
        assert_true(have + len < cap);
        memcpy(out + have, p, len);
        have += len;
        out[have] = '\0';
        if (pop3_session_out_ack(s, len) != POP3_OK)
            break;
    }
    return rc;
}

/* ------------------------------------------------------------------------
 * Session: a backend failure in the last item of a LIST/UIDL listing
 * (found by fuzz/fuzz_session.c; invariant "WRITE bit vs out_buf": the
 * session was CLOSED by the fatal POP3_E_BACKEND, its output dropped, yet
 * step_iter went on - ask_info returns 1 for an inline answer even when
 * the handler failed - and body_end queued ".\r\n": status CLOSED with 3
 * octets in out_buf, the very terminator that must never follow a failed
 * listing; with more items left, msg_info was even called after the close).
 * ---------------------------------------------------------------------- */

static void listing_failure(unsigned fail_at, const char *cmd)
{
    backend b;
    void *mem;
    char out[4096] = "";
    pop3_session *s;
    size_t len = 99;
    long rc;

    memset(&b, 0, sizeof b);
    b.info_fail_at = (int)fail_at;
    s = start(&b, 0, &mem);
    say(s, "USER bob\r\n", out, sizeof out);
    say(s, "PASS pw\r\n", out, sizeof out);
    out[0] = '\0';
    rc = say(s, cmd, out, sizeof out);
    assert_int_equal(rc, POP3_E_BACKEND);
    assert_int_equal(pop3_session_status(s), POP3_STATUS_CLOSED);
    assert_null(pop3_session_out_buf(s, &len));
    assert_int_equal(len, 0);
    assert_int_equal(b.info_after_close, 0);
    assert_null(strstr(out, "\r\n.\r\n"));
    pop3_session_deinit(s);
    free(mem);
}

static void fuzz_listing_failure_on_last_item_queues_terminator(void **state)
{
    (void)state;
    listing_failure(2, "UIDL\r\n");     /* the second (last) item fails */
    listing_failure(2, "LIST\r\n");
}

static void fuzz_listing_failure_mid_listing_calls_msg_info_after_close(void **state)
{
    (void)state;
    listing_failure(1, "UIDL\r\n");     /* the first of two items fails */
    listing_failure(1, "LIST\r\n");
}

/* ------------------------------------------------------------------------
 * Trace: POP3_EV_BODY after the AUTH mechanism listing (POP3_CFG_AUTH_LIST)
 * and the LANG listing reports 3 octets - the terminator only - instead of
 * the whole reply after the status line (found by fuzz/fuzz_session.c:
 * "AUTH: BODY event 1 times, 3 octets; 13 on the wire").
 * ---------------------------------------------------------------------- */

static void body_octets_of(unsigned flags, const char *cmd)
{
    backend b;
    void *mem;
    char out[4096] = "";
    pop3_session *s;
    const char *body;

    memset(&b, 0, sizeof b);
    s = start(&b, flags, &mem);
    say(s, "CAPA\r\n", out, sizeof out);
    out[0] = '\0';
    b.body_events = 0;
    say(s, cmd, out, sizeof out);
    assert_true(strncmp(out, "+OK ", 4) == 0);
    body = strstr(out, "\r\n");
    assert_non_null(body);
    body += 2;
    assert_int_equal(b.body_events, 1);
    assert_int_equal(b.body_octets, strlen(body));
    pop3_session_deinit(s);
    free(mem);
}

static void fuzz_auth_listing_body_event_counts_only_terminator(void **state)
{
    (void)state;
    body_octets_of(POP3_CFG_AUTH_LIST, "AUTH\r\n");
}

static void fuzz_lang_listing_body_event_counts_only_terminator(void **state)
{
    (void)state;
    body_octets_of(POP3_CFG_LANG, "LANG\r\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fuzz_encoder_bare_lf_writes_past_out_cap),
        cmocka_unit_test(fuzz_encoder_lf_text_words_write_past_out_cap),
        cmocka_unit_test(fuzz_listing_failure_on_last_item_queues_terminator),
        cmocka_unit_test(fuzz_listing_failure_mid_listing_calls_msg_info_after_close),
        cmocka_unit_test(fuzz_auth_listing_body_event_counts_only_terminator),
        cmocka_unit_test(fuzz_lang_listing_body_event_counts_only_terminator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
