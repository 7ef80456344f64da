/*
 * test_encoder.c - the body encoder (RETR, TOP) and the wire-size function
 * (LIST, STAT): RFC 1939 §3 byte-stuffing and line ends, §7 TOP, §11 sizes,
 * and POP3-BEHAVIOUR.md "Sizes and message bodies".
 *
 * Every rule has a test with exact expected bytes; each expectation is
 * checked with the input whole, one octet at a time, split at every point,
 * and with an output window of 1, 2 and 3 octets.  A differential test
 * compares the encoder, fed in random pieces, with a simple per-octet
 * reference written independently below; page-guard tests prove that no
 * input or output octet outside the given buffers is ever touched.
 *
 * POP3_TEST_QUICK=1 (used under valgrind) shrinks the random test counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pop3.h"
#include "pageguard.h"

/* A string literal and its length, NULs included. */
#define S(lit) (const unsigned char *)(lit), (sizeof(lit) - 1)

enum { RETR = 0, TOP = 1 };

/* ------------------------------------------------------------------------
 * Deterministic pseudo-random numbers (splitmix64); never rand().
 * ---------------------------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform in [0, n]. */
static size_t rng_upto(rng *r, size_t n)
{
    return (size_t)(rng_next(r) % ((uint64_t)n + 1));
}

static int quick(void)
{
    const char *q = getenv("POP3_TEST_QUICK");

    return q != NULL && q[0] != '\0' && q[0] != '0';
}

/* ------------------------------------------------------------------------
 * A growable byte buffer
 * ---------------------------------------------------------------------- */

typedef struct buf {
    unsigned char *p;
    size_t len, cap;
} buf;

static void buf_put(buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;

        while (cap < b->len + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void buf_free(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ------------------------------------------------------------------------
 * The reference: a per-octet normaliser written without looking at the
 * encoder.  It cuts the input into lines (a line ends at CR LF, at a CR
 * or at an LF; a last line without a line end is still a line), keeps the
 * lines TOP wants, and writes each with CR LF.  No stuffing, no
 * terminator: that is what decoding the encoder's output must give.
 * ---------------------------------------------------------------------- */

typedef struct ref_result {
    buf text;           /* normalised octets, CRLF line ends */
    int done;           /* TOP wanted no more input before the end */
    uint64_t body_lines;
    int saw_blank;
} ref_result;

static void ref_normalise(const unsigned char *in, size_t n, int top,
                          uint64_t k, int add_blank, ref_result *r)
{
    size_t i = 0;
    int any_line = 0, last_ended = 0;

    memset(r, 0, sizeof *r);
    while (i < n) {
        size_t start = i, end;
        int ended;

        while (i < n && in[i] != '\r' && in[i] != '\n')
            i++;
        end = i;
        ended = i < n;
        if (ended) {
            if (in[i] == '\r' && i + 1 < n && in[i + 1] == '\n')
                i += 2;
            else
                i += 1;
        }
        if (top && r->saw_blank && r->body_lines >= k)
            break;
        buf_put(&r->text, in + start, end - start);
        buf_put(&r->text, "\r\n", 2);
        any_line = 1;
        last_ended = ended;
        if (top) {
            if (!r->saw_blank) {
                if (end == start)
                    r->saw_blank = 1;
            } else {
                r->body_lines++;
            }
        }
    }
    if (top && add_blank && !r->saw_blank && any_line)
        buf_put(&r->text, "\r\n", 2);
    r->done = top && r->saw_blank && r->body_lines == k && last_ended;
}

/* Undo the wire format: check that every line ends with CR LF, that the
 * last line is the terminator ".", that no other line is a bare "." and
 * that a line beginning with "." begins with "..", then strip the
 * terminator and one dot from each such line.  Returns the dots removed. */
static uint64_t decode_wire(const unsigned char *w, size_t n, buf *out)
{
    size_t i = 0;
    uint64_t dots = 0;

    assert_true(n >= 3);
    assert_memory_equal(w + n - 3, ".\r\n", 3);
    while (i < n - 3) {
        size_t j = i;

        while (j < n && w[j] != '\r' && w[j] != '\n')
            j++;
        assert_true(j + 1 < n);
        assert_int_equal(w[j], '\r');       /* no bare LF on the wire */
        assert_int_equal(w[j + 1], '\n');   /* no bare CR on the wire */
        if (j > i && w[i] == '.') {
            assert_true(j - i >= 2);        /* never a lone "." line */
            assert_int_equal(w[i + 1], '.');
            i++;
            dots++;
        }
        buf_put(out, w + i, j + 2 - i);
        i = j + 2;
    }
    assert_int_equal(i, n - 3);
    return dots;
}

/* ------------------------------------------------------------------------
 * Drivers
 * ---------------------------------------------------------------------- */

typedef struct enc_result {
    buf out;                /* everything written, terminator included */
    size_t in_used;         /* input octets consumed in total */
    size_t fin_octets;      /* octets written by pop3_encoder_finish */
    uint64_t wire, stuffed;
    int done;
} enc_result;

/* How to feed the encoder. */
enum feed {
    FEED_WHOLE,         /* one call, ample room */
    FEED_BYTES,         /* one input octet per call, ample room */
    FEED_CAP1,          /* whole input, out_cap 1 per call */
    FEED_CAP2,
    FEED_CAP3,
    FEED_RANDOM         /* random chunks and random out_cap */
};

static size_t pick_chunk(rng *r, size_t left)
{
    switch (rng_next(r) % 5) {
    case 0:
        return left < 1 ? left : 1;
    case 1:
        return rng_upto(r, left < 8 ? left : 8);
    case 2:
        return rng_upto(r, left < 100 ? left : 100);
    case 3:
        return rng_upto(r, left);
    default:
        return left;
    }
}

static size_t pick_cap(rng *r, size_t left)
{
    size_t c;

    switch (rng_next(r) % 7) {
    case 0:
        c = 0;
        break;
    case 1:
        c = 1;
        break;
    case 2:
        c = 2;
        break;
    case 3:
        c = 3;
        break;
    case 4:
        c = rng_upto(r, 16);
        break;
    case 5:
        c = rng_upto(r, 300);
        break;
    default:
        c = left;
        break;
    }
    return c < left ? c : left;
}

/*
 * Encode in[0..n) as `feed` says, then finish; or, with split != SIZE_MAX,
 * as the two chunks in[0..split) and in[split..n).  Stops feeding when the
 * encoder is done, as the session does.  Checks the calling contract on
 * every call.
 */
static void run_encoder(const unsigned char *in, size_t n, int top,
                        uint64_t k, int add_blank, enum feed feed,
                        size_t split, rng *r, enc_result *res)
{
    pop3_encoder e;
    size_t pos = 0, out_room = 2 * n + 16, calls = 0;
    unsigned char *out = malloc(out_room);
    int stalled = 0;

    assert_non_null(out);
    memset(res, 0, sizeof *res);
    pop3_encoder_init(&e, top, k, add_blank);
    while (pos < n && !pop3_encoder_done(&e)) {
        size_t chunk = n - pos, cap = out_room - res->out.len, used = 12345;
        size_t w;

        switch (feed) {
        case FEED_WHOLE:
            break;
        case FEED_BYTES:
            chunk = 1;
            break;
        case FEED_CAP1:
        case FEED_CAP2:
        case FEED_CAP3:
            /* A window of 1 or 2 may be too small for what comes next
             * (a line end, a stuffed dot): then the next window is 3,
             * as if the transport had drained. */
            cap = stalled ? 3 : (size_t)(feed - FEED_CAP1) + 1;
            break;
        case FEED_RANDOM:
            chunk = pick_chunk(r, n - pos);
            cap = pick_cap(r, cap);
            break;
        }
        if (split != SIZE_MAX && pos < split && pos + chunk > split)
            chunk = split - pos;
        w = pop3_encoder_encode(&e, in + pos, chunk, &used, out + res->out.len,
                                cap);
        assert_true(w <= cap);
        assert_true(used <= chunk);
        /* The contract's progress guarantee. */
        if (chunk > 0 && cap >= 3 && !pop3_encoder_done(&e))
            assert_true(used > 0);
        if (pop3_encoder_done(&e))
            assert_true(used > 0);      /* it consumed the last line end */
        pos += used;
        res->out.len += w;
        stalled = used == 0 && w == 0;
        assert_true(++calls < 50 * n + 1000);
    }
    res->in_used = pos;
    res->done = pop3_encoder_done(&e);
    if (res->done) {
        /* Done means no more input is taken. */
        size_t used = 777;
        unsigned char spare[8];

        assert_int_equal(pop3_encoder_encode(&e, in + pos, n - pos, &used,
                                             spare, sizeof spare), 0);
        assert_int_equal(used, 0);
    }
    assert_false(pop3_encoder_finished(&e));
    while (!pop3_encoder_finished(&e)) {
        size_t cap = out_room - res->out.len, w;

        if (feed == FEED_CAP1 || feed == FEED_CAP2 || feed == FEED_CAP3)
            cap = (size_t)(feed - FEED_CAP1) + 1;
        else if (feed == FEED_RANDOM)
            cap = pick_cap(r, cap);
        w = pop3_encoder_finish(&e, out + res->out.len, cap);
        assert_true(w <= cap);
        res->out.len += w;
        res->fin_octets += w;
        assert_true(res->fin_octets <= 7);
        assert_true(++calls < 50 * n + 1100);
    }
    assert_true(res->out.len <= out_room);
    /* Finished: nothing more from either call. */
    {
        size_t used = 5;
        unsigned char spare[8];

        assert_int_equal(pop3_encoder_finish(&e, spare, sizeof spare), 0);
        assert_int_equal(pop3_encoder_encode(&e, in, n, &used, spare,
                                             sizeof spare), 0);
        assert_int_equal(used, 0);
    }
    res->out.p = out;
    res->out.cap = out_room;
    res->wire = e.wire_octets;
    res->stuffed = e.stuffed;
}

/* Count the body lines a TOP output carries: the CRLF-ended lines after
 * its first empty line, terminator excluded. */
static uint64_t top_body_lines(const buf *wire)
{
    size_t i = 0, n = wire->len - 3;
    int in_body = 0;
    uint64_t lines = 0;

    while (i < n) {
        size_t j = i;

        while (wire->p[j] != '\r')
            j++;
        if (in_body)
            lines++;
        else if (j == i)
            in_body = 1;
        i = j + 2;
    }
    return lines;
}

/*
 * The differential check of one message and one way of feeding it:
 * decoding the output gives the reference, the counters agree with it,
 * and a RETR's wire_octets is pop3_wire_size of the input.
 */
static void check_against_reference(const unsigned char *in, size_t n,
                                    int top, uint64_t k, int add_blank,
                                    const enc_result *res)
{
    ref_result ref;
    buf decoded = { 0 };
    uint64_t dots;

    ref_normalise(in, n, top, k, add_blank, &ref);
    dots = decode_wire(res->out.p, res->out.len, &decoded);
    assert_int_equal(decoded.len, ref.text.len);
    if (ref.text.len > 0)
        assert_memory_equal(decoded.p, ref.text.p, ref.text.len);
    assert_int_equal(res->stuffed, dots);
    assert_int_equal(res->wire, ref.text.len);
    assert_int_equal(res->done, ref.done);
    if (top) {
        uint64_t lines = top_body_lines(&res->out);

        assert_true(lines <= k);
        if (ref.saw_blank)
            assert_int_equal(lines, ref.body_lines);
    } else {
        assert_int_equal(res->wire, pop3_wire_size(in, n));
        assert_int_equal(res->in_used, n);
    }
    buf_free(&decoded);
    buf_free(&ref.text);
}

/*
 * Encode in[0..n) every deterministic way (whole, octet by octet, output
 * windows of 1, 2 and 3, every two-chunk split) and check each against the
 * exact expected wire bytes.
 */
static void expect_wire(const unsigned char *in, size_t n, int top,
                        uint64_t k, int add_blank,
                        const unsigned char *want, size_t want_len)
{
    static const enum feed feeds[] = { FEED_WHOLE, FEED_BYTES, FEED_CAP1,
                                       FEED_CAP2, FEED_CAP3 };
    size_t f, split;
    enc_result res;

    for (f = 0; f < sizeof feeds / sizeof feeds[0]; f++) {
        run_encoder(in, n, top, k, add_blank, feeds[f], SIZE_MAX, NULL, &res);
        assert_int_equal(res.out.len, want_len);
        assert_memory_equal(res.out.p, want, want_len);
        check_against_reference(in, n, top, k, add_blank, &res);
        buf_free(&res.out);
    }
    for (split = 0; split <= n; split++) {
        run_encoder(in, n, top, k, add_blank, FEED_WHOLE, split, NULL, &res);
        assert_int_equal(res.out.len, want_len);
        assert_memory_equal(res.out.p, want, want_len);
        buf_free(&res.out);
    }
}

#define EXPECT_RETR(in, want) expect_wire(S(in), RETR, 0, 0, S(want))
#define EXPECT_TOP(in, k, ab, want) expect_wire(S(in), TOP, (k), (ab), S(want))

/* ------------------------------------------------------------------------
 * Line ends
 * ---------------------------------------------------------------------- */

static void test_bare_lf_becomes_crlf(void **state)
{
    (void)state;
    EXPECT_RETR("a\nb\n", "a\r\nb\r\n.\r\n");
    EXPECT_RETR("\n", "\r\n.\r\n");
    EXPECT_RETR("\n\n\n", "\r\n\r\n\r\n.\r\n");
}

static void test_crlf_is_kept(void **state)
{
    (void)state;
    EXPECT_RETR("a\r\nb\r\n", "a\r\nb\r\n.\r\n");
    EXPECT_RETR("\r\n\r\n", "\r\n\r\n.\r\n");
}

static void test_lone_cr_becomes_crlf(void **state)
{
    (void)state;
    EXPECT_RETR("a\rb\r", "a\r\nb\r\n.\r\n");
    EXPECT_RETR("\r\r", "\r\n\r\n.\r\n");
    /* CR CR LF: a lone CR, then a CR LF. */
    EXPECT_RETR("a\r\r\nb", "a\r\n\r\nb\r\n.\r\n");
    /* LF CR: two line ends. */
    EXPECT_RETR("a\n\rb", "a\r\n\r\nb\r\n.\r\n");
}

static void test_mixed_line_ends_each_become_one_crlf(void **state)
{
    (void)state;
    EXPECT_RETR("1\r\n2\n3\r4\r\n", "1\r\n2\r\n3\r\n4\r\n.\r\n");
}

static void test_cr_lf_split_across_chunks_is_one_line_end(void **state)
{
    pop3_encoder e;
    unsigned char out[32];
    size_t o, used;

    (void)state;
    /* Explicitly: "a\r" | (empty chunk) | "\nb". */
    pop3_encoder_init(&e, RETR, 0, 0);
    o = pop3_encoder_encode(&e, "a\r", 2, &used, out, sizeof out);
    assert_int_equal(used, 2);
    assert_int_equal(o, 3);                 /* the CR went out as CR LF */
    o += pop3_encoder_encode(&e, "", 0, &used, out + o, sizeof out - o);
    assert_int_equal(used, 0);
    o += pop3_encoder_encode(&e, "\nb", 2, &used, out + o, sizeof out - o);
    assert_int_equal(used, 2);
    o += pop3_encoder_finish(&e, out + o, sizeof out - o);
    assert_int_equal(o, 9);
    assert_memory_equal(out, "a\r\nb\r\n.\r\n", 9);
    assert_int_equal(e.wire_octets, 6);
    assert_int_equal(pop3_wire_size("a\r\nb", 4), 6);

    /* Every split of these, via the helper. */
    EXPECT_RETR("a\r\nb\r\nc", "a\r\nb\r\nc\r\n.\r\n");
    EXPECT_RETR("\r\n", "\r\n.\r\n");
}

static void test_cr_at_end_of_message_is_one_line_end(void **state)
{
    (void)state;
    EXPECT_RETR("a\r", "a\r\n.\r\n");
    EXPECT_RETR("\r", "\r\n.\r\n");
}

/* ------------------------------------------------------------------------
 * Dot-stuffing
 * ---------------------------------------------------------------------- */

static void test_dot_at_message_start_is_stuffed(void **state)
{
    (void)state;
    EXPECT_RETR(".a\r\n", "..a\r\n.\r\n");
}

static void test_dot_after_crlf_is_stuffed(void **state)
{
    (void)state;
    EXPECT_RETR("a\r\n.b\r\n", "a\r\n..b\r\n.\r\n");
}

static void test_dot_after_bare_lf_is_stuffed(void **state)
{
    (void)state;
    EXPECT_RETR("a\n.b\n", "a\r\n..b\r\n.\r\n");
}

static void test_dot_after_lone_cr_is_stuffed(void **state)
{
    (void)state;
    EXPECT_RETR("a\r.b", "a\r\n..b\r\n.\r\n");
}

static void test_dot_inside_line_is_not_stuffed(void **state)
{
    (void)state;
    EXPECT_RETR("a.b\r\nc..\r\n", "a.b\r\nc..\r\n.\r\n");
}

static void test_double_dot_line_gets_one_more_dot(void **state)
{
    (void)state;
    EXPECT_RETR("..\r\n", "...\r\n.\r\n");
    EXPECT_RETR("a\n..b\n", "a\r\n...b\r\n.\r\n");
}

static void test_lone_dot_line_is_stuffed(void **state)
{
    (void)state;
    EXPECT_RETR(".\r\n", "..\r\n.\r\n");
    EXPECT_RETR("a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n");
    EXPECT_RETR(".", "..\r\n.\r\n");
    EXPECT_RETR("a\n.", "a\r\n..\r\n.\r\n");
}

static void test_dot_stuffing_is_not_counted_in_wire_octets(void **state)
{
    pop3_encoder e;
    unsigned char out[32];
    size_t o, used;

    (void)state;
    pop3_encoder_init(&e, RETR, 0, 0);
    o = pop3_encoder_encode(&e, ".a\n..\n", 6, &used, out, sizeof out);
    o += pop3_encoder_finish(&e, out + o, sizeof out - o);
    assert_int_equal(o, 13);                /* "..a\r\n...\r\n.\r\n" */
    assert_int_equal(e.stuffed, 2);
    assert_int_equal(e.wire_octets, 8);     /* ".a\r\n..\r\n" */
    assert_int_equal(pop3_wire_size(".a\n..\n", 6), 8);
}

/* ------------------------------------------------------------------------
 * The end of the message
 * ---------------------------------------------------------------------- */

static void test_missing_final_newline_gets_crlf(void **state)
{
    enc_result res;

    (void)state;
    EXPECT_RETR("abc", "abc\r\n.\r\n");
    EXPECT_RETR("a\r\nb", "a\r\nb\r\n.\r\n");
    /* The added CRLF is counted, as LIST reports it. */
    run_encoder(S("abc"), RETR, 0, 0, FEED_WHOLE, SIZE_MAX, NULL, &res);
    assert_int_equal(res.wire, 5);
    assert_int_equal(pop3_wire_size("abc", 3), 5);
    buf_free(&res.out);
}

static void test_empty_message_is_just_the_terminator(void **state)
{
    pop3_encoder e;
    unsigned char out[16];

    (void)state;
    EXPECT_RETR("", ".\r\n");
    EXPECT_TOP("", 0, 0, ".\r\n");
    EXPECT_TOP("", 3, 1, ".\r\n");
    /* No input call at all. */
    pop3_encoder_init(&e, RETR, 0, 0);
    assert_int_equal(pop3_encoder_finish(&e, out, sizeof out), 3);
    assert_memory_equal(out, ".\r\n", 3);
    assert_int_equal(e.wire_octets, 0);
    assert_int_equal(pop3_wire_size("", 0), 0);
    assert_int_equal(pop3_wire_size(NULL, 0), 0);
}

static void test_nul_and_8bit_octets_pass_unchanged(void **state)
{
    (void)state;
    EXPECT_RETR("\0\xff\x80\x7f\n\0", "\0\xff\x80\x7f\r\n\0\r\n.\r\n");
    EXPECT_RETR(".\0\r\n\xff.", "..\0\r\n\xff.\r\n.\r\n");
}

static void test_terminator_is_never_dot_cr_without_lf(void **state)
{
    static const char *const ends[] = { "\r", ".", ".\r", "\r.", "\n.",
                                        "\r\n.\r", "..", "a\r\r" };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        enc_result res;
        const unsigned char *in = (const unsigned char *)ends[i];
        size_t n = strlen(ends[i]);

        run_encoder(in, n, RETR, 0, 0, FEED_BYTES, SIZE_MAX, NULL, &res);
        assert_true(res.out.len >= 5);
        assert_memory_equal(res.out.p + res.out.len - 5, "\r\n.\r\n", 5);
        check_against_reference(in, n, RETR, 0, 0, &res);
        buf_free(&res.out);
    }
}

static void test_finish_in_one_octet_pieces(void **state)
{
    pop3_encoder e;
    unsigned char out[16];
    size_t o = 0, used, calls = 0;

    (void)state;
    pop3_encoder_init(&e, TOP, 5, 1);
    o = pop3_encoder_encode(&e, "H", 1, &used, out, sizeof out);
    assert_int_equal(o, 1);
    assert_int_equal(pop3_encoder_finish(&e, out + o, 0), 0);
    while (!pop3_encoder_finished(&e)) {
        assert_int_equal(pop3_encoder_finish(&e, out + o, 1), 1);
        o++;
        calls++;
    }
    /* The most finish ever writes: CRLF, the added blank line, ".\r\n". */
    assert_int_equal(calls, 7);
    assert_memory_equal(out, "H\r\n\r\n.\r\n", 8);
    assert_int_equal(e.wire_octets, 5);
}

static void test_retr_ignores_add_blank_and_is_never_done(void **state)
{
    enc_result res;

    (void)state;
    expect_wire(S("H: 1\r\nH: 2"), RETR, 0, 1, S("H: 1\r\nH: 2\r\n.\r\n"));
    run_encoder(S("a\r\n\r\nb\r\n"), RETR, 0, 1, FEED_WHOLE, SIZE_MAX, NULL,
                &res);
    assert_false(res.done);
    buf_free(&res.out);
}

/* ------------------------------------------------------------------------
 * The output window
 * ---------------------------------------------------------------------- */

static void test_tiny_out_cap_is_safe(void **state)
{
    pop3_encoder e;
    unsigned char out[4] = { 0x55, 0x55, 0x55, 0x55 };
    size_t used;

    (void)state;
    /* out_cap 0: nothing written, nothing consumed. */
    pop3_encoder_init(&e, RETR, 0, 0);
    assert_int_equal(pop3_encoder_encode(&e, "a", 1, &used, out, 0), 0);
    assert_int_equal(used, 0);
    assert_int_equal(pop3_encoder_encode(&e, "a", 1, &used, NULL, 0), 0);
    assert_int_equal(used, 0);
    assert_int_equal(out[0], 0x55);
    /* A plain octet fits in 1.  (Each call offers the input from the
     * first octet not yet consumed, as a host must.) */
    assert_int_equal(pop3_encoder_encode(&e, "ab", 2, &used, out, 1), 1);
    assert_int_equal(used, 1);
    assert_int_equal(out[0], 'a');
    assert_int_equal(out[1], 0x55);
    assert_int_equal(pop3_encoder_encode(&e, "b\n.c", 4, &used, out, 1), 1);
    assert_int_equal(used, 1);
    /* A line end needs 2: with 1, nothing happens. */
    assert_int_equal(pop3_encoder_encode(&e, "\n.c", 3, &used, out, 1), 0);
    assert_int_equal(used, 0);
    assert_int_equal(pop3_encoder_encode(&e, "\n.c", 3, &used, out, 2), 2);
    assert_int_equal(used, 1);
    assert_memory_equal(out, "\r\n", 2);
    /* A stuffed dot needs 2. */
    out[2] = 0x55;
    assert_int_equal(pop3_encoder_encode(&e, ".c", 2, &used, out, 1), 0);
    assert_int_equal(used, 0);
    assert_int_equal(pop3_encoder_encode(&e, ".c", 2, &used, out, 2), 2);
    assert_int_equal(used, 1);
    assert_memory_equal(out, "..", 2);
    assert_int_equal(out[2], 0x55);
    /* "c" fits, its CR does not. */
    assert_int_equal(pop3_encoder_encode(&e, "c\r", 2, &used, out, 2), 1);
    assert_int_equal(used, 1);
    /* The LF of a CR LF split after the CR needs no room at all. */
    assert_int_equal(pop3_encoder_encode(&e, "\r", 1, &used, out, 2), 2);
    assert_int_equal(used, 1);
    assert_int_equal(pop3_encoder_encode(&e, "\n", 1, &used, out, 0), 0);
    assert_int_equal(used, 1);
    assert_int_equal(e.wire_octets, 8);     /* "ab\r\n.c\r\n" */
    assert_int_equal(e.stuffed, 1);
    /* NULL input with length 0. */
    assert_int_equal(pop3_encoder_encode(&e, NULL, 0, &used, out, 4), 0);
    assert_int_equal(used, 0);
}

/* ------------------------------------------------------------------------
 * TOP
 * ---------------------------------------------------------------------- */

#define MSG "H: 1\r\nH: 2\r\n\r\nb1\r\nb2\r\nb3\r\n"

static void test_top_0_sends_headers_and_empty_line(void **state)
{
    enc_result res;

    (void)state;
    EXPECT_TOP(MSG, 0, 0, "H: 1\r\nH: 2\r\n\r\n.\r\n");
    run_encoder(S(MSG), TOP, 0, 0, FEED_WHOLE, SIZE_MAX, NULL, &res);
    assert_true(res.done);
    assert_int_equal(res.in_used, 14);      /* up to the empty line */
    assert_int_equal(res.wire, 14);
    buf_free(&res.out);
}

static void test_top_1_sends_one_body_line(void **state)
{
    enc_result res;

    (void)state;
    EXPECT_TOP(MSG, 1, 0, "H: 1\r\nH: 2\r\n\r\nb1\r\n.\r\n");
    run_encoder(S(MSG), TOP, 1, 0, FEED_WHOLE, SIZE_MAX, NULL, &res);
    assert_true(res.done);
    assert_int_equal(res.in_used, 18);
    buf_free(&res.out);
}

static void test_top_beyond_body_sends_whole_message(void **state)
{
    (void)state;
    EXPECT_TOP(MSG, 3, 0, MSG ".\r\n");
    EXPECT_TOP(MSG, 4, 0, MSG ".\r\n");
    EXPECT_TOP(MSG, 1000, 1, MSG ".\r\n");
    EXPECT_TOP(MSG, POP3_TOP_ALL, 0, MSG ".\r\n");
}

static void test_top_without_empty_line_sends_header_lines_only(void **state)
{
    (void)state;
    EXPECT_TOP("H: 1\r\nH: 2\r\n", 5, 0, "H: 1\r\nH: 2\r\n.\r\n");
    EXPECT_TOP("H: 1\nH: 2", 0, 0, "H: 1\r\nH: 2\r\n.\r\n");
}

static void test_top_without_empty_line_add_blank_adds_it(void **state)
{
    (void)state;
    EXPECT_TOP("H: 1\r\nH: 2\r\n", 5, 1, "H: 1\r\nH: 2\r\n\r\n.\r\n");
    EXPECT_TOP("H: 1\nH: 2", 0, 1, "H: 1\r\nH: 2\r\n\r\n.\r\n");
    /* Not when the message has its empty line. */
    EXPECT_TOP(MSG, 0, 1, "H: 1\r\nH: 2\r\n\r\n.\r\n");
    EXPECT_TOP("H\r\n\r\n", 2, 1, "H\r\n\r\n.\r\n");
}

static void test_top_message_starting_with_empty_line_has_no_headers(void **state)
{
    (void)state;
    EXPECT_TOP("\r\nb1\r\nb2\r\n", 1, 0, "\r\nb1\r\n.\r\n");
    EXPECT_TOP("\nb1\nb2\n", 0, 1, "\r\n.\r\n");
    EXPECT_TOP("\rb1\rb2", 2, 0, "\r\nb1\r\nb2\r\n.\r\n");
}

static void test_top_last_body_line_without_newline_counts(void **state)
{
    enc_result res;

    (void)state;
    EXPECT_TOP("H\n\nb1\nb2", 2, 0, "H\r\n\r\nb1\r\nb2\r\n.\r\n");
    EXPECT_TOP("H\n\nb1\nb2", 1, 0, "H\r\n\r\nb1\r\n.\r\n");
    /* The second line has no line end, so the encoder is never "done":
     * finish adds the CRLF. */
    run_encoder(S("H\n\nb1\nb2"), TOP, 2, 0, FEED_WHOLE, SIZE_MAX, NULL, &res);
    assert_false(res.done);
    assert_int_equal(res.wire, 13);
    buf_free(&res.out);
}

static void test_top_cr_only_line_ends(void **state)
{
    (void)state;
    EXPECT_TOP("H\rI\r\rb1\rb2\r", 1, 0, "H\r\nI\r\n\r\nb1\r\n.\r\n");
    EXPECT_TOP("H\rI\r\rb1\rb2\r", 0, 0, "H\r\nI\r\n\r\n.\r\n");
}

static void test_top_mixed_line_ends_find_empty_line(void **state)
{
    (void)state;
    /* LF then CR LF: an empty line. */
    EXPECT_TOP("H\n\r\nb1\nb2\n", 1, 0, "H\r\n\r\nb1\r\n.\r\n");
    /* CR then LF is one line end, not an empty line. */
    EXPECT_TOP("H\r\nI\r\n", 0, 1, "H\r\nI\r\n\r\n.\r\n");
    /* CR CR LF: the CR LF is the empty line. */
    EXPECT_TOP("H\r\r\nb1\r\nb2", 1, 0, "H\r\n\r\nb1\r\n.\r\n");
}

static void test_top_empty_line_split_across_chunks(void **state)
{
    pop3_encoder e;
    unsigned char out[64];
    size_t o, used;

    (void)state;
    /* "H\r\n\r" | "\nb1\r\nb2": the empty line's LF opens chunk two. */
    pop3_encoder_init(&e, TOP, 1, 0);
    o = pop3_encoder_encode(&e, "H\r\n\r", 4, &used, out, sizeof out);
    assert_int_equal(used, 4);
    assert_false(pop3_encoder_done(&e));
    o += pop3_encoder_encode(&e, "\nb1\r\nb2", 8, &used, out + o,
                             sizeof out - o);
    assert_true(pop3_encoder_done(&e));
    assert_int_equal(used, 5);
    o += pop3_encoder_finish(&e, out + o, sizeof out - o);
    assert_int_equal(o, 12);
    assert_memory_equal(out, "H\r\n\r\nb1\r\n.\r\n", 12);
    /* And at every other split. */
    EXPECT_TOP("H\r\n\r\nb1\r\nb2\r\n", 1, 0, "H\r\n\r\nb1\r\n.\r\n");
    EXPECT_TOP("H\r\nI\r\n\r\n", 0, 0, "H\r\nI\r\n\r\n.\r\n");
}

static void test_top_body_empty_lines_count_as_lines(void **state)
{
    (void)state;
    EXPECT_TOP("H\n\n\n\nb\n", 2, 0, "H\r\n\r\n\r\n\r\n.\r\n");
}

static void test_top_stuffs_dots_in_headers_and_body(void **state)
{
    (void)state;
    EXPECT_TOP(".H\n\n.b1\n.b2\n", 1, 0, "..H\r\n\r\n..b1\r\n.\r\n");
}

static void test_top_done_consumes_nothing_more(void **state)
{
    pop3_encoder e;
    unsigned char out[64];
    size_t o, used;

    (void)state;
    pop3_encoder_init(&e, TOP, 1, 0);
    o = pop3_encoder_encode(&e, "H\n\nb1\nb2\n", 9, &used, out, sizeof out);
    assert_true(pop3_encoder_done(&e));
    assert_int_equal(used, 6);
    assert_int_equal(o, 9);
    assert_int_equal(pop3_encoder_encode(&e, "b2\n", 3, &used, out, 64), 0);
    assert_int_equal(used, 0);
    o += pop3_encoder_finish(&e, out + o, sizeof out - o);
    assert_memory_equal(out, "H\r\n\r\nb1\r\n.\r\n", o);
}

/* ------------------------------------------------------------------------
 * The wire size
 * ---------------------------------------------------------------------- */

static void test_wire_size_counts_crlf_line_ends(void **state)
{
    (void)state;
    assert_int_equal(pop3_wire_size("a\r\nb\r\n", 6), 6);
    assert_int_equal(pop3_wire_size("a\nb\n", 4), 6);
    assert_int_equal(pop3_wire_size("a\rb\r", 4), 6);
    assert_int_equal(pop3_wire_size("a\r\r\nb\n", 6), 8);
    assert_int_equal(pop3_wire_size("\n\r", 2), 4);
    assert_int_equal(pop3_wire_size("\r\n", 2), 2);
    assert_int_equal(pop3_wire_size("\r", 1), 2);
    assert_int_equal(pop3_wire_size("\n", 1), 2);
}

static void test_wire_size_adds_missing_final_crlf(void **state)
{
    (void)state;
    assert_int_equal(pop3_wire_size("", 0), 0);
    assert_int_equal(pop3_wire_size("a", 1), 3);
    assert_int_equal(pop3_wire_size("\0", 1), 3);
    assert_int_equal(pop3_wire_size("a\r\nb", 4), 6);
}

static void test_wire_size_does_not_count_stuffing(void **state)
{
    (void)state;
    assert_int_equal(pop3_wire_size(".\r\n..\r\n", 7), 7);
}

static void test_sizer_crlf_split_across_updates(void **state)
{
    pop3_sizer z;

    (void)state;
    pop3_sizer_init(&z);
    pop3_sizer_update(&z, "a\r", 2);
    pop3_sizer_update(&z, "", 0);
    pop3_sizer_update(&z, NULL, 0);
    pop3_sizer_update(&z, "\nb", 2);
    assert_int_equal(pop3_sizer_final(&z), 6);
    /* A NUL last octet before the LF is no CR. */
    pop3_sizer_init(&z);
    pop3_sizer_update(&z, "\0", 1);
    pop3_sizer_update(&z, "\n", 1);
    assert_int_equal(pop3_sizer_final(&z), 3);
    /* Ending on a CR: no CRLF added, the CR already costs it. */
    pop3_sizer_init(&z);
    pop3_sizer_update(&z, "ab\r", 3);
    assert_int_equal(pop3_sizer_final(&z), 4);
}

static void test_sizer_final_does_not_modify_the_sizer(void **state)
{
    pop3_sizer z, copy;

    (void)state;
    pop3_sizer_init(&z);
    pop3_sizer_update(&z, "abc", 3);
    memcpy(&copy, &z, sizeof z);
    assert_int_equal(pop3_sizer_final(&z), 5);
    assert_int_equal(pop3_sizer_final(&z), 5);
    assert_int_equal(copy.octets, z.octets);
    assert_int_equal(copy.last, z.last);
    assert_int_equal(copy.any, z.any);
    pop3_sizer_update(&z, "\n", 1);
    assert_int_equal(pop3_sizer_final(&z), 5);
}

/* The streaming sizer agrees with the one-shot at every split into up to
 * three pieces, for a message exercising every rule. */
static void test_sizer_matches_one_shot_at_every_split(void **state)
{
    static const unsigned char m[] =
        "a\r\nb\nc\rd\r\r\n.\n\r\n\0\xff\r\r\n\n\ra\r";
    size_t n = sizeof m - 1, i, j;
    uint64_t want = pop3_wire_size(m, n);

    (void)state;
    assert_int_equal(want, 32);
    for (i = 0; i <= n; i++) {
        for (j = i; j <= n; j++) {
            pop3_sizer z;

            pop3_sizer_init(&z);
            pop3_sizer_update(&z, m, i);
            pop3_sizer_update(&z, m + i, j - i);
            pop3_sizer_update(&z, m + j, n - j);
            assert_int_equal(pop3_sizer_final(&z), want);
        }
    }
}

/* ------------------------------------------------------------------------
 * Differential tests
 * ---------------------------------------------------------------------- */

/* Random octets over {'a', '.', CR, LF, NUL, 0xff}. */
static void gen_small_alphabet(rng *r, unsigned char *p, size_t n)
{
    static const unsigned char alpha[] = { 'a', '.', '\r', '\n', 0, 0xff };
    size_t i;

    for (i = 0; i < n; i++)
        p[i] = alpha[rng_next(r) % sizeof alpha];
}

/* Mostly well-formed CRLF-stored (or, with lf_stored, LF-stored) mail
 * with the odd irregularity, so that the encoder's fast paths run and are
 * left at every kind of point. */
static size_t gen_mail(rng *r, unsigned char *p, size_t cap, int lf_stored)
{
    static const unsigned char body[] = "abcdefghij KLMNOP.\0\xff";
    size_t n = 0;

    while (n + 200 < cap) {
        size_t len = rng_upto(r, 3) == 0 ? rng_upto(r, 8)
                                         : 40 + rng_upto(r, 60);
        size_t i, pick = (size_t)(rng_next(r) % 100);

        for (i = 0; i < len; i++)
            p[n++] = body[rng_next(r) % (sizeof body - 1)];
        if (len > 0 && rng_next(r) % 25 == 0)
            p[n - len] = '.';
        if (pick < 90 && !lf_stored) {
            p[n++] = '\r';
            p[n++] = '\n';
        } else if (pick < 94) {
            p[n++] = '\n';
        } else if (pick < 95) {
            p[n++] = '\r';
            p[n++] = '\n';
        } else if (pick < 97) {
            p[n++] = '\r';
        } else if (pick < 99) {
            p[n++] = '\r';
            p[n++] = '\r';
            p[n++] = '\n';
        }
        if (cap <= 4096 && rng_next(r) % 40 == 0)
            break;
    }
    return n;
}

static void pick_top(rng *r, int *top, uint64_t *k, int *add_blank)
{
    static const uint64_t ks[] = { 0, 1, 2, 3, 5, 20, POP3_TOP_ALL };

    *top = rng_next(r) % 3 == 0 ? RETR : TOP;
    *k = ks[rng_next(r) % (sizeof ks / sizeof ks[0])];
    *add_blank = (int)(rng_next(r) & 1);
}

/* Encode whole and in several random ways; every way gives the same
 * octets and agrees with the reference. */
static void differential_one(rng *r, const unsigned char *m, size_t n,
                             int top, uint64_t k, int add_blank, int ways)
{
    enc_result whole, other;
    int w;

    run_encoder(m, n, top, k, add_blank, FEED_WHOLE, SIZE_MAX, r, &whole);
    check_against_reference(m, n, top, k, add_blank, &whole);
    for (w = 0; w < ways; w++) {
        run_encoder(m, n, top, k, add_blank, FEED_RANDOM, SIZE_MAX, r, &other);
        assert_int_equal(other.out.len, whole.out.len);
        assert_memory_equal(other.out.p, whole.out.p, whole.out.len);
        assert_int_equal(other.wire, whole.wire);
        assert_int_equal(other.stuffed, whole.stuffed);
        assert_int_equal(other.done, whole.done);
        buf_free(&other.out);
    }
    run_encoder(m, n, top, k, add_blank, FEED_CAP3, SIZE_MAX, r, &other);
    assert_memory_equal(other.out.p, whole.out.p, whole.out.len);
    buf_free(&other.out);
    buf_free(&whole.out);

    /* The streaming sizer in random pieces. */
    {
        pop3_sizer z;
        size_t pos = 0;

        pop3_sizer_init(&z);
        while (pos < n) {
            size_t c = pick_chunk(r, n - pos);

            pop3_sizer_update(&z, m + pos, c);
            pos += c;
        }
        assert_int_equal(pop3_sizer_final(&z), pop3_wire_size(m, n));
    }
}

static void test_random_messages_match_reference_whole_and_chunked(void **state)
{
    rng r = { 20240601 };
    unsigned char m[400];
    int iter, iters = quick() ? 300 : 4000;

    (void)state;
    for (iter = 0; iter < iters; iter++) {
        size_t n = rng_upto(&r, iter % 10 == 0 ? sizeof m : 40);
        int top, add_blank;
        uint64_t k;

        gen_small_alphabet(&r, m, n);
        pick_top(&r, &top, &k, &add_blank);
        differential_one(&r, m, n, top, k, add_blank, 4);
    }
}

static void test_random_crlf_mail_matches_reference_whole_and_chunked(void **state)
{
    rng r = { 77 };
    size_t cap = 48 * 1024;
    unsigned char *m = malloc(cap);
    int iter, iters = quick() ? 20 : 300;

    (void)state;
    assert_non_null(m);
    for (iter = 0; iter < iters; iter++) {
        size_t n = gen_mail(&r, m, iter % 8 == 0 ? cap : 2000, 0);
        int top, add_blank;
        uint64_t k;

        pick_top(&r, &top, &k, &add_blank);
        if (iter % 2 == 0)
            top = RETR;
        differential_one(&r, m, n, top, k, add_blank, 2);
    }
    free(m);
}

/* The same for LF-stored mail, some of it longer than the encoder's scan
 * window, with the odd CR LF and lone CR. */
static void test_random_lf_mail_matches_reference_whole_and_chunked(void **state)
{
    rng r = { 1939 };
    size_t cap = 48 * 1024;
    unsigned char *m = malloc(cap);
    int iter, iters = quick() ? 10 : 150;

    (void)state;
    assert_non_null(m);
    for (iter = 0; iter < iters; iter++) {
        size_t n = gen_mail(&r, m, iter % 4 == 0 ? cap : 2000, 1);
        int top, add_blank;
        uint64_t k;

        pick_top(&r, &top, &k, &add_blank);
        if (iter % 2 == 0)
            top = RETR;
        differential_one(&r, m, n, top, k, add_blank, 2);
    }
    free(m);
}

/* Clean CRLF text with one irregularity placed at every offset in turn
 * (block boundaries included), whole and split at random points. */
static void test_irregularity_at_every_offset_of_crlf_text(void **state)
{
    static const unsigned char subst[] = { '\n', '\r', '.', 0 };
    unsigned char base[420], m[420];
    size_t n = sizeof base, i, s;
    rng r = { 5 };

    (void)state;
    for (i = 0; i < n; i++)
        base[i] = (i % 70 == 68) ? '\r' : (i % 70 == 69) ? '\n'
                                        : (unsigned char)('a' + i % 26);
    for (i = 0; i < n; i++) {
        for (s = 0; s < sizeof subst; s++) {
            enc_result res;
            size_t split = rng_upto(&r, n);

            memcpy(m, base, n);
            m[i] = subst[s];
            run_encoder(m, n, RETR, 0, 0, FEED_WHOLE, SIZE_MAX, NULL, &res);
            check_against_reference(m, n, RETR, 0, 0, &res);
            buf_free(&res.out);
            run_encoder(m, n, RETR, 0, 0, FEED_WHOLE, split, NULL, &res);
            check_against_reference(m, n, RETR, 0, 0, &res);
            buf_free(&res.out);
            run_encoder(m, n, TOP, 3, 0, FEED_WHOLE, split, NULL, &res);
            check_against_reference(m, n, TOP, 3, 0, &res);
            buf_free(&res.out);
            /* And a truncated message ending right after it. */
            run_encoder(m, i + 1, RETR, 0, 0, FEED_WHOLE, SIZE_MAX, NULL,
                        &res);
            check_against_reference(m, i + 1, RETR, 0, 0, &res);
            buf_free(&res.out);
        }
    }
}


/* Blocks made wholly of flawed line ends (".\n" pairs, bare LFs, lone CRs)
 * starting on every offset near the encoder's block edges: a block check
 * that sums flags must never wrap to "clean".  Each is checked against the
 * reference, whole and with a limited output window. */
static void test_blocks_of_only_flawed_line_ends_at_block_edges(void **state)
{
    static const char *const fill[] = { ".\n", "\n", "\r", ".\r", "\r\r\n" };
    unsigned char m[1400];
    size_t f, start;

    (void)state;
    for (f = 0; f < sizeof fill / sizeof fill[0]; f++) {
        size_t fl = strlen(fill[f]);
        for (start = 0; start <= 520; start += quick() ? 13 : 1) {
            size_t n = 0, i;
            enc_result res;
            for (i = 0; i < start; i++)
                m[n++] = (unsigned char)('a' + i % 26);
            while (n + fl <= start + 768) {
                memcpy(m + n, fill[f], fl);
                n += fl;
            }
            for (i = 0; i < 40; i++)
                m[n++] = 'z';
            run_encoder(m, n, RETR, 0, 0, FEED_WHOLE, SIZE_MAX, NULL, &res);
            check_against_reference(m, n, RETR, 0, 0, &res);
            buf_free(&res.out);
            run_encoder(m, n, RETR, 0, 0, FEED_WHOLE, 300, NULL, &res);
            check_against_reference(m, n, RETR, 0, 0, &res);
            buf_free(&res.out);
            assert_int_equal(pop3_wire_size(m, n), res.wire);
        }
    }
}

/* A long LF-stored message with a single CR (lone, or before an LF) at
 * many places: it is found wherever it is, however far from the start. */
static void test_single_cr_anywhere_in_long_lf_mail(void **state)
{
    size_t n = 48 * 1024, i, step = quick() ? 1021 : 61;
    unsigned char *base = malloc(n), *m = malloc(n);

    (void)state;
    assert_non_null(base);
    assert_non_null(m);
    for (i = 0; i < n; i++)
        base[i] = (i % 72 == 71) ? '\n' : (unsigned char)('a' + i % 26);
    for (i = 0; i < n; i += step) {
        enc_result res;

        memcpy(m, base, n);
        if (m[i] == '\n' && i > 0)
            m[i - 1] = '\r';               /* CR LF */
        else
            m[i] = '\r';                   /* lone CR */
        run_encoder(m, n, RETR, 0, 0, FEED_WHOLE, SIZE_MAX, NULL, &res);
        check_against_reference(m, n, RETR, 0, 0, &res);
        buf_free(&res.out);
    }
    free(base);
    free(m);
}

/* ------------------------------------------------------------------------
 * Page guards: no octet outside the buffers given is read or written.
 * ---------------------------------------------------------------------- */

/* Fill p[0..n) with content of the given kind. */
static void fill_kind(unsigned char *p, size_t n, int kind)
{
    size_t i;

    for (i = 0; i < n; i++) {
        switch (kind) {
        case 0:                 /* plain */
            p[i] = 'x';
            break;
        default:                /* CRLF lines, which the block path likes */
            p[i] = (i % 70 == 68) ? '\r' : (i % 70 == 69) ? '\n' : 'y';
            break;
        }
    }
    if (n > 0) {
        switch (kind) {
        case 1:
            p[n - 1] = '\r';
            break;
        case 2:
            p[n - 1] = '.';
            if (n > 1)
                p[n - 2] = '\n';
            break;
        case 3:
            p[n - 1] = '\n';
            break;
        default:
            break;
        }
    }
}

#define KINDS 5

static void test_input_at_guard_page_is_never_overread(void **state)
{
    size_t len;
    int kind, top;

    (void)state;
    /* Every length to 1100: past 300 the 256-octet CRLF blocks run up to
     * the guard too (they read one octet past the block). */
    for (len = 0; len <= 1100; len++) {
        for (kind = 0; kind < KINDS; kind++) {
            for (top = 0; top <= 1; top++) {
                pageguard gt, gh;
                unsigned char *t = pageguard_tail(&gt, len);
                unsigned char *h = pageguard_head(&gh, len);
                enc_result a, b;
                uint64_t size;

                fill_kind(t, len, kind);
                memcpy(h, t, len);
                run_encoder(t, len, top, 2, 1, FEED_WHOLE, SIZE_MAX, NULL, &a);
                check_against_reference(t, len, top, 2, 1, &a);
                run_encoder(h, len, top, 2, 1, FEED_WHOLE, SIZE_MAX, NULL, &b);
                assert_int_equal(a.out.len, b.out.len);
                assert_memory_equal(a.out.p, b.out.p, a.out.len);
                buf_free(&a.out);
                buf_free(&b.out);
                /* The last chunk ends at the guard, whatever came before. */
                run_encoder(t, len, top, 2, 1, FEED_WHOLE, len / 2, NULL, &a);
                check_against_reference(t, len, top, 2, 1, &a);
                buf_free(&a.out);

                size = pop3_wire_size(t, len);
                assert_int_equal(size, pop3_wire_size(h, len));
                if (len > 0) {
                    pop3_sizer z;

                    pop3_sizer_init(&z);
                    pop3_sizer_update(&z, t, len - 1);
                    pop3_sizer_update(&z, t + len - 1, 1);
                    assert_int_equal(pop3_sizer_final(&z), size);
                }
                pageguard_free(&gt);
                pageguard_free(&gh);
            }
        }
    }
}

static void test_output_at_guard_page_with_exact_cap(void **state)
{
    size_t len;
    int kind;

    (void)state;
    /* Every length to 1100: the 256-octet CRLF blocks end at the
     * guard too. */
    for (len = 0; len <= 1100; len++) {
        for (kind = 0; kind < KINDS; kind++) {
            unsigned char in[1101];
            enc_result ref;
            size_t body_len, fin_len, used, w;
            pageguard go, gf;
            unsigned char *o, *f;
            pop3_encoder e;

            fill_kind(in, len, kind);
            run_encoder(in, len, RETR, 0, 0, FEED_WHOLE, SIZE_MAX, NULL, &ref);
            fin_len = ref.fin_octets;
            body_len = ref.out.len - fin_len;

            o = pageguard_tail(&go, body_len);
            f = pageguard_tail(&gf, fin_len);
            pop3_encoder_init(&e, RETR, 0, 0);
            w = pop3_encoder_encode(&e, in, len, &used, o, body_len);
            assert_int_equal(w, body_len);
            assert_int_equal(used, len);
            assert_int_equal(pop3_encoder_finish(&e, f, fin_len), fin_len);
            assert_true(pop3_encoder_finished(&e));
            assert_memory_equal(o, ref.out.p, body_len);
            assert_memory_equal(f, ref.out.p + body_len, fin_len);
            pageguard_free(&go);
            pageguard_free(&gf);

            /* One octet short: stops short, never writes past. */
            if (body_len > 0) {
                o = pageguard_tail(&go, body_len - 1);
                pop3_encoder_init(&e, RETR, 0, 0);
                w = pop3_encoder_encode(&e, in, len, &used, o, body_len - 1);
                assert_true(w <= body_len - 1);
                assert_true(used < len);
                assert_memory_equal(o, ref.out.p, w);
                pageguard_free(&go);
            }
            buf_free(&ref.out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_of_only_flawed_line_ends_at_block_edges),
        cmocka_unit_test(test_bare_lf_becomes_crlf),
        cmocka_unit_test(test_crlf_is_kept),
        cmocka_unit_test(test_lone_cr_becomes_crlf),
        cmocka_unit_test(test_mixed_line_ends_each_become_one_crlf),
        cmocka_unit_test(test_cr_lf_split_across_chunks_is_one_line_end),
        cmocka_unit_test(test_cr_at_end_of_message_is_one_line_end),
        cmocka_unit_test(test_dot_at_message_start_is_stuffed),
        cmocka_unit_test(test_dot_after_crlf_is_stuffed),
        cmocka_unit_test(test_dot_after_bare_lf_is_stuffed),
        cmocka_unit_test(test_dot_after_lone_cr_is_stuffed),
        cmocka_unit_test(test_dot_inside_line_is_not_stuffed),
        cmocka_unit_test(test_double_dot_line_gets_one_more_dot),
        cmocka_unit_test(test_lone_dot_line_is_stuffed),
        cmocka_unit_test(test_dot_stuffing_is_not_counted_in_wire_octets),
        cmocka_unit_test(test_missing_final_newline_gets_crlf),
        cmocka_unit_test(test_empty_message_is_just_the_terminator),
        cmocka_unit_test(test_nul_and_8bit_octets_pass_unchanged),
        cmocka_unit_test(test_terminator_is_never_dot_cr_without_lf),
        cmocka_unit_test(test_finish_in_one_octet_pieces),
        cmocka_unit_test(test_retr_ignores_add_blank_and_is_never_done),
        cmocka_unit_test(test_tiny_out_cap_is_safe),
        cmocka_unit_test(test_top_0_sends_headers_and_empty_line),
        cmocka_unit_test(test_top_1_sends_one_body_line),
        cmocka_unit_test(test_top_beyond_body_sends_whole_message),
        cmocka_unit_test(test_top_without_empty_line_sends_header_lines_only),
        cmocka_unit_test(test_top_without_empty_line_add_blank_adds_it),
        cmocka_unit_test(test_top_message_starting_with_empty_line_has_no_headers),
        cmocka_unit_test(test_top_last_body_line_without_newline_counts),
        cmocka_unit_test(test_top_cr_only_line_ends),
        cmocka_unit_test(test_top_mixed_line_ends_find_empty_line),
        cmocka_unit_test(test_top_empty_line_split_across_chunks),
        cmocka_unit_test(test_top_body_empty_lines_count_as_lines),
        cmocka_unit_test(test_top_stuffs_dots_in_headers_and_body),
        cmocka_unit_test(test_top_done_consumes_nothing_more),
        cmocka_unit_test(test_wire_size_counts_crlf_line_ends),
        cmocka_unit_test(test_wire_size_adds_missing_final_crlf),
        cmocka_unit_test(test_wire_size_does_not_count_stuffing),
        cmocka_unit_test(test_sizer_crlf_split_across_updates),
        cmocka_unit_test(test_sizer_final_does_not_modify_the_sizer),
        cmocka_unit_test(test_sizer_matches_one_shot_at_every_split),
        cmocka_unit_test(test_random_messages_match_reference_whole_and_chunked),
        cmocka_unit_test(test_random_crlf_mail_matches_reference_whole_and_chunked),
        cmocka_unit_test(test_random_lf_mail_matches_reference_whole_and_chunked),
        cmocka_unit_test(test_irregularity_at_every_offset_of_crlf_text),
        cmocka_unit_test(test_single_cr_anywhere_in_long_lf_mail),
        cmocka_unit_test(test_input_at_guard_page_is_never_overread),
        cmocka_unit_test(test_output_at_guard_page_with_exact_cap),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
