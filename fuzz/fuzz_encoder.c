/*
 * fuzz_encoder.c - the body encoder and the wire-size counter.
 *
 * Input: 12 control bytes, then the raw message.
 *   byte 0      bit 0: TOP (else RETR); bit 1: add_blank;
 *               bits 2-3: input chunking (whole, 1 octet, small, random);
 *               bits 4-6: out_cap choice (1-2, 3, small, random, large, mixed)
 *   byte 1      TOP line count: 0-250 as is, 251-255: 2^32, 2^63, UINT64_MAX-1,
 *               POP3_TOP_ALL, a large count taken from the seed
 *   bytes 2-9   seed of the chunk and out_cap choices
 *   bytes 10-11 reserved (0)
 *
 * The message is cut into random chunks and pushed through
 * pop3_encoder_encode() with a random output capacity each call (every
 * output buffer is a fresh allocation of exactly out_cap octets, every
 * chunk an exact copy, so the sanitizers see any overrun), then
 * pop3_encoder_finish() with random capacities.  Invariants:
 *   - decoding the output (un-stuffing up to "." CRLF) gives exactly the
 *     reference: the CRLF-normalised message (RETR) or its headers, the
 *     empty line and at most k body lines (TOP); nothing follows ".\r\n";
 *   - every output line ends CRLF and a line starting "." is stuffed;
 *   - wire_octets is the decoded length; for RETR it equals
 *     pop3_wire_size() and the streaming pop3_sizer fed in other random
 *     chunks; `stuffed` counts the stuffed lines;
 *   - in_used <= in_len, written <= out_cap, progress whenever out_cap >= 3;
 *   - finish needs at most 7 octets in total and then reports finished.
 */
#include "fuzz_common.h"

#define HDR 12

static size_t pick_cap(fuzz_rng *r, unsigned mode)
{
    switch (mode == 6 || mode == 7 ? (unsigned)fuzz_below(r, 6) : mode) {
    case 0: return 1 + (size_t)fuzz_below(r, 2);
    case 1: return 3;
    case 2: return 1 + (size_t)fuzz_below(r, 16);
    case 3: return 1 + (size_t)fuzz_below(r, 300);
    case 4: return 4096 + (size_t)fuzz_below(r, 70000);
    default: return 16 + (size_t)fuzz_below(r, 64);
    }
}

static size_t pick_chunk(fuzz_rng *r, unsigned mode, size_t left)
{
    size_t c;
    switch (mode) {
    case 0: c = left; break;
    case 1: c = 1; break;
    case 2: c = 1 + (size_t)fuzz_below(r, 8); break;
    default: c = 1 + (size_t)fuzz_below(r, left + 1); break;
    }
    return c < left ? c : left;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t h[HDR] = {0};
    const uint8_t *msg;
    size_t mlen, pos = 0, fin_total = 0, used_total = 0;
    int top, add_blank;
    unsigned chunk_mode, cap_mode;
    uint64_t k, stuffed = 0;
    fuzz_rng rng;
    pop3_encoder e;
    fuzz_buf out = {0}, norm = {0}, want = {0}, dec = {0};
    const char *bad;
    size_t used_wire;
    int stalled = 0;

    memcpy(h, data, size < HDR ? size : HDR);
    msg = size > HDR ? data + HDR : data;
    mlen = size > HDR ? size - HDR : 0;
    top = h[0] & 1;
    add_blank = (h[0] >> 1) & 1;
    chunk_mode = (h[0] >> 2) & 3;
    cap_mode = (h[0] >> 4) & 7;
    rng.s = fuzz_le64(h + 2);
    switch (h[1]) {
    case 251: k = (uint64_t)1 << 32; break;
    case 252: k = (uint64_t)1 << 63; break;
    case 253: k = UINT64_MAX - 1; break;
    case 254: k = POP3_TOP_ALL; break;
    case 255: k = fuzz_next(&rng); break;
    default: k = h[1]; break;
    }

    pop3_encoder_init(&e, top, k, add_blank);
    while (pos < mlen && !pop3_encoder_done(&e)) {
        size_t clen = pick_chunk(&rng, chunk_mode, mlen - pos);
        unsigned char *chunk = fuzz_dup(msg + pos, clen);
        size_t off = 0;
        while (off < clen && !pop3_encoder_done(&e)) {
            size_t cap = stalled ? 3 + (size_t)fuzz_below(&rng, 8) : pick_cap(&rng, cap_mode);
            unsigned char *o = malloc(cap);
            size_t used = (size_t)-1, w;
            FUZZ_CHECK(o != NULL, "out of memory in the harness");
            w = pop3_encoder_encode(&e, chunk + off, clen - off, &used, o, cap);
            FUZZ_CHECK(used <= clen - off, "encode: in_used %zu > in_len %zu", used,
                       clen - off);
            FUZZ_CHECK(w <= cap, "encode: wrote %zu > out_cap %zu", w, cap);
            FUZZ_CHECK(cap < 3 || used > 0 || w > 0 || pop3_encoder_done(&e),
                       "encode: no progress with out_cap %zu", cap);
            fuzz_buf_add(&out, o, w);
            free(o);
            stalled = used == 0 && w == 0;
            off += used;
            used_total += used;
        }
        free(chunk);
        pos += off;
        if (off < clen)
            break;                      /* TOP is done */
    }
    FUZZ_CHECK(pop3_encoder_done(&e) || used_total == mlen,
               "encode: stopped at %zu of %zu octets without being done", used_total,
               mlen);
    if (!top)
        FUZZ_CHECK(!pop3_encoder_done(&e), "encode: RETR reported done");
    {
        unsigned char z;
        FUZZ_CHECK(pop3_encoder_finish(&e, &z, 0) == 0, "finish: wrote with out_cap 0");
    }
    while (!pop3_encoder_finished(&e)) {
        size_t cap = 1 + (size_t)fuzz_below(&rng, 8);
        unsigned char *o = malloc(cap);
        size_t w;
        FUZZ_CHECK(o != NULL, "out of memory in the harness");
        w = pop3_encoder_finish(&e, o, cap);
        FUZZ_CHECK(w <= cap && w > 0, "finish: wrote %zu with out_cap %zu", w, cap);
        fuzz_buf_add(&out, o, w);
        free(o);
        fin_total += w;
        FUZZ_CHECK(fin_total <= 7, "finish: more than 7 octets");
    }
    {
        unsigned char z[8];
        size_t used = 1;
        FUZZ_CHECK(pop3_encoder_finish(&e, z, sizeof z) == 0,
                   "finish: wrote after finishing");
        FUZZ_CHECK(pop3_encoder_encode(&e, "x", 1, &used, z, sizeof z) == 0 && used == 0,
                   "encode: accepted input after finishing");
    }

    /* The reference. */
    fuzz_ref_normalise(msg, mlen, &norm);
    if (top)
        fuzz_ref_top(norm.p, norm.len, k, add_blank, &want);
    else
        fuzz_buf_add(&want, norm.p, norm.len);

    used_wire = fuzz_unstuff(out.p, out.len, &dec, &stuffed, &bad);
    FUZZ_CHECK(bad == NULL, "output: %s", bad ? bad : "");
    FUZZ_CHECK(used_wire != 0, "output: no terminator");
    FUZZ_CHECK(used_wire == out.len, "output: %zu octets after the terminator",
               out.len - used_wire);
    FUZZ_CHECK(dec.len == want.len && (want.len == 0 || memcmp(dec.p, want.p, want.len) == 0),
               "output: decodes to %zu octets that differ from the %s reference (%zu)",
               dec.len, top ? "TOP" : "RETR", want.len);
    FUZZ_CHECK(e.wire_octets == want.len, "wire_octets %llu, reference %zu",
               (unsigned long long)e.wire_octets, want.len);
    FUZZ_CHECK(e.stuffed == stuffed, "stuffed %llu, stuffed lines %llu",
               (unsigned long long)e.stuffed, (unsigned long long)stuffed);

    /* Sizes: one-shot and streaming, against the reference. */
    {
        pop3_sizer z;
        size_t p = 0;
        uint64_t one = pop3_wire_size(mlen ? msg : NULL, mlen);
        FUZZ_CHECK(one == norm.len, "pop3_wire_size %llu, reference %zu",
                   (unsigned long long)one, norm.len);
        pop3_sizer_init(&z);
        while (p < mlen) {
            size_t c = pick_chunk(&rng, (unsigned)fuzz_below(&rng, 4), mlen - p);
            unsigned char *chunk = fuzz_dup(msg + p, c);
            pop3_sizer_update(&z, chunk, c);
            free(chunk);
            p += c;
        }
        FUZZ_CHECK(pop3_sizer_final(&z) == norm.len, "streaming sizer %llu, reference %zu",
                   (unsigned long long)pop3_sizer_final(&z), norm.len);
        if (!top)
            FUZZ_CHECK(e.wire_octets == one, "RETR wire_octets %llu != pop3_wire_size %llu",
                       (unsigned long long)e.wire_octets, (unsigned long long)one);
    }

    fuzz_buf_free(&out);
    fuzz_buf_free(&norm);
    fuzz_buf_free(&want);
    fuzz_buf_free(&dec);
    return 0;
}
