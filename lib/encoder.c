/*
 * encoder.c - the POP3 body encoder (RETR, TOP) and the wire-size function
 * (LIST, STAT).  Pure ISO C11, libc only.
 *
 * Encoder state, in the fields of pop3_encoder:
 *   at_line_start  the next octet sent begins a line (dot check due; in
 *                  the headers, a line end here is the empty line).
 *   pending_cr     "swallow the next LF": a CR is sent as CR LF at once;
 *                  when it was the last octet of a chunk, an LF opening
 *                  the next chunk belongs to that line end and is
 *                  consumed silently.  Any other octet clears the flag.
 *   in_body        TOP: the empty line ending the headers has been sent.
 *   lines_left     TOP: body lines still to send (POP3_TOP_ALL: no limit).
 *   done           TOP: the last wanted line end has been sent.
 *   fin_step       octets of the finish sequence already written.
 *   finished       the terminator has been written completely.
 *
 * Speed (RETR, and TOP once the headers are sent with no line limit):
 * the encoder never makes a call per octet or per line.  Two block loops
 * do the work, each reading the input once and copying as it reads:
 *
 *   - CRLF-stored text: crlf_copy() checks 256 octets at a time (every LF
 *     right after a CR, every CR right before an LF, no "." after an LF)
 *     and copies them in the same loop; a clean block is done.
 *   - everything else (LF-stored text, lone CRs, dot-stuffing, and the
 *     blocks where crlf_copy() found something): special_bits() copies 64
 *     octets and returns the positions of their CRs and LFs as a bit mask;
 *     each line end is then fixed up in place (an inserted CR, LF or "."
 *     and one fixed-size copy of the rest of the block after it).
 *
 * Both loops have fixed trip counts and no early exits, so compilers
 * vectorise them (gcc >= 12 and clang >= 14 at -O2; SSE2 is enough).  The
 * fixed-size copies can write past the octets finally produced: the block
 * loops run only while the output has FAST_OUT octets of room, and what
 * they write beyond the returned count is scratch within out[0..out_cap).
 * Near the end of the input or of the output, and while TOP counts lines
 * or sends headers, a line-at-a-time path (memchr, memcpy) takes over.
 * The sizer counts blockwise the same way.
 */
#include "internal.h"

#include <string.h>

#define CR 0x0d
#define LF 0x0a

/* The longest run scanned before it is copied (line-at-a-time path), so
 * that the copy reads it back from cache. */
#define SPAN_MAX 16384

void pop3_encoder_init(pop3_encoder *e, int top, uint64_t lines,
                       int add_blank)
{
    memset(e, 0, sizeof *e);
    e->at_line_start = 1;
    e->top = top ? 1 : 0;
    e->lines_left = top ? lines : POP3_TOP_ALL;
    e->add_blank = (top && add_blank) ? 1 : 0;
}

int pop3_encoder_done(const pop3_encoder *e)
{
    return e->done ? 1 : 0;
}

int pop3_encoder_finished(const pop3_encoder *e)
{
    return e->finished ? 1 : 0;
}

/* ---------------------------------------------------------------------- */
/* Block loops                                                            */
/* ---------------------------------------------------------------------- */

/*
 * CRLF_BLOCK octets of CRLF-stored text at once: copies p[0..len) to o
 * and returns 0 if every adjacent pair (p[i-1], p[i]) for i in [0, len)
 * is plain CRLF-stored text - an LF exactly after a CR, a
 * CR exactly before an LF, no "." right after an LF - else nonzero.
 * Reads p[-1] .. p[len-1].  Fixed trip count, no early exit, the
 * copy in the same loop (one pass over the data), one reduction per 256
 * octets.  The flawed pairs are summed rather than ORed (both gcc 12 and
 * clang 14 then vectorise it best, ~10% faster); an octet-wide sum of 256
 * ones wraps to 0, but then the first pair is flawed too, which the
 * scalar term catches.  The 64-bit result and the pointer q = p - 1 make
 * clang 14 load p[i-1] directly instead of shifting it out of the
 * previous vector (it still moves the copy into a memcpy of the block,
 * from L1); gcc 12 keeps the copy in the loop.
 */
#define CRLF_BLOCK 256
#define CRLF_QUARTER (CRLF_BLOCK / 4)

#define CRLF_FLAW(a, b) \
    ((((b) == LF) ^ ((a) == CR)) | (((a) == LF) & ((b) == '.')))

#define CRLF_COPY(name, len)                                              \
    static uint64_t name(unsigned char *restrict o,                       \
                         const unsigned char *restrict p)                 \
    {                                                                     \
        const unsigned char *q = p - 1;                                   \
        unsigned char n = 0;                                              \
        int i;                                                            \
                                                                          \
        for (i = 0; i < (len); i++) {                                     \
            unsigned char a = q[i], b = p[i];                             \
                                                                          \
            n = (unsigned char)(n + CRLF_FLAW(a, b));                     \
            o[i] = b;                                                     \
        }                                                                 \
        return n | (uint64_t)CRLF_FLAW(q[0], p[0]);                       \
    }

/* crlf_copy(): CRLF_BLOCK octets; crlf_copy_quarter(): a quarter of that,
 * to find the clean parts of a block crlf_copy() refused. */
CRLF_COPY(crlf_copy, CRLF_BLOCK)
CRLF_COPY(crlf_copy_quarter, CRLF_QUARTER)

/*
 * 64 octets: special_bits() copies p[0..64) to o and returns where their
 * CRs and LFs are, as a transposed bit mask.  Portable C has no
 * "movemask", so the mask is gathered in two steps that compile to a few
 * instructions: a vectorised loop over 16 lanes, 4 octets each (p[j],
 * p[j+16], p[j+32], p[j+48]), ORs the flags weighted with 1 << (i / 8) -
 * which leaves the mask transposed as an 8x8 bit matrix, bit
 * 8 * (i % 8) + i / 8, in the two halves of the 16 lanes - and
 * transpose8() turns it back.  gcc 12 and clang 14 compile special_bits()
 * to ~40 instructions, no loop; a block with a single CR or LF (most
 * blocks of text with 60-80 octet lines) needs no transpose: bit 8 * c + r
 * is position 8 * r + c.
 */
#define MASK_BLOCK 64

static const unsigned char mask_weight[MASK_BLOCK] = {
    1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
    4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 8,
    16, 16, 16, 16, 16, 16, 16, 16, 32, 32, 32, 32, 32, 32, 32, 32,
    64, 64, 64, 64, 64, 64, 64, 64, 128, 128, 128, 128, 128, 128, 128, 128
};

/* Transpose the 8x8 bit matrix in x (bit 8 * r + c <-> bit 8 * c + r). */
static uint64_t transpose8(uint64_t x)
{
    uint64_t t;

    t = (x ^ (x >> 7)) & UINT64_C(0x00AA00AA00AA00AA);
    x ^= t ^ (t << 7);
    t = (x ^ (x >> 14)) & UINT64_C(0x0000CCCC0000CCCC);
    x ^= t ^ (t << 14);
    t = (x ^ (x >> 28)) & UINT64_C(0x00000000F0F0F0F0);
    x ^= t ^ (t << 28);
    return x;
}

/* The weighted flag of octet c at block position i: mask_weight[i] if c
 * is CR or LF, else 0 (no branch, no conditional load: vectorisable). */
#define FLAG(c, i) (-(((c) == LF) | ((c) == CR)) & mask_weight[i])

static uint64_t special_bits(unsigned char *restrict o,
                             const unsigned char *restrict p)
{
    unsigned char g[16];
    uint64_t a, b;
    int j;

    for (j = 0; j < 16; j++) {
        unsigned char c0 = p[j], c1 = p[j + 16], c2 = p[j + 32],
                      c3 = p[j + 48];

        g[j] = (unsigned char)(FLAG(c0, j) | FLAG(c1, j + 16)
                               | FLAG(c2, j + 32) | FLAG(c3, j + 48));
        o[j] = c0;
        o[j + 16] = c1;
        o[j + 32] = c2;
        o[j + 48] = c3;
    }
    memcpy(&a, g, 8);
    memcpy(&b, g + 8, 8);
    return a | b;
}

/* The index of the lowest set bit of x (x != 0): de Bruijn multiplication.
 * Bit 63 set in y changes nothing when x != 0 and lets gcc prove y != 0,
 * which it needs to turn the whole into one bit-scan instruction. */
static const unsigned char debruijn_pos[64] = {
    0, 1, 2, 53, 3, 7, 54, 27, 4, 38, 41, 8, 34, 55, 48, 28,
    62, 5, 39, 46, 44, 42, 22, 9, 24, 35, 59, 56, 49, 18, 29, 11,
    63, 52, 6, 26, 37, 40, 33, 47, 61, 45, 43, 21, 23, 58, 17, 10,
    51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12
};

static unsigned lowest_bit(uint64_t x)
{
    uint64_t y = x | (UINT64_C(1) << 63);

    return debruijn_pos[((y & (0 - y)) * UINT64_C(0x022FDD63CC95386D)) >> 58];
}

/* Room the block loops need.  Input: the fix-up copies read up to p[127].
 * Output: a block inserts at most 64 octets (one per CR or LF, one per
 * "." after one, each a different octet of the block), so it becomes at
 * most MASK_BLOCK_OUT octets, and a fix-up copy writes 64 octets from at
 * most o + 64 + 64: no write reaches o[FAST_OUT]. */
#define FAST_IN (2 * MASK_BLOCK)
#define FAST_OUT (3 * MASK_BLOCK)
#define MASK_BLOCK_OUT (2 * MASK_BLOCK)

/* What a block of the general loop found: bare LFs or lone CRs (the text
 * is not CRLF-stored), CR LF pairs. */
#define BARE 1
#define PAIRS 2

/* When crlf_copy() refuses a block again right after the previous one:
 * blocks of the general loop before it is tried again (doubling while it
 * keeps failing, up to 64 times). */
#define CRLF_RETRY_MIN (unsigned)(CRLF_BLOCK / MASK_BLOCK)

typedef struct fast_state {
    const unsigned char *ip, *ibeg, *iend;
    unsigned char *op, *oend;
    uint64_t stuffed;           /* dots added */
    int als;                    /* *ip begins a line (dot check due) */
    int crlf_mode;              /* the text looks CRLF-stored */
    unsigned retry;             /* general blocks before crlf_copy again */
} fast_state;

/*
 * The block loops, RETR rules only (no TOP counting).  Entered with at
 * least FAST_IN input and FAST_OUT output octets ahead, no CR LF half
 * pending; returns when either runs short.  Every octet before st->ip has
 * been written before st->op; st->als and st->crlf_mode are kept.
 */
static void fast_blocks(fast_state *st)
{
    const unsigned char *p = st->ip, *iend = st->iend;
    unsigned char *o = st->op, *oend = st->oend;
    int crlf_mode = st->crlf_mode;
    unsigned retry = st->retry, fails = 0;
    const unsigned char *fend = NULL;   /* end of a block crlf_copy()
                                         * refused, while its quarters are
                                         * looked at */
    int ls = st->als ? 0 : -1;  /* a line begins at p[ls], dot unchecked;
                                 * 1: after a CR LF split by the block
                                 * edge, whose LF is p[0] */

    for (;;) {
        size_t n, nout;

        if (crlf_mode && retry == 0 && ls != 1 && p > st->ibeg) {
            if (fend == NULL) {
                /* A line that begins at p was checked by the previous block
                 * when that ended with its LF; else the pair (p[-1], p[0])
                 * catches a "." at p. */
                const unsigned char *p0 = p;

                while (iend - p >= CRLF_BLOCK && oend - o >= CRLF_BLOCK
                       && crlf_copy(o, p) == 0) {
                    p += CRLF_BLOCK;
                    o += CRLF_BLOCK;
                }
                if (p != p0) {
                    fails = 0;
                    if (p[-1] == CR) {  /* its LF is not checked yet */
                        p--;
                        o--;
                    }
                    ls = p[-1] == LF ? 0 : -1;
                }
                if (iend - p < CRLF_BLOCK || oend - o < CRLF_BLOCK)
                    retry = CRLF_RETRY_MIN;     /* the end: general loop */
                else if (fails++ == 0)
                    fend = p + CRLF_BLOCK;  /* something in there: where? */
                else    /* again at once: the general loop for a while */
                    retry = CRLF_RETRY_MIN << (fails < 7 ? fails - 1 : 6);
            }
            /* The quarters of the refused block: clean ones are copied,
             * the general loop takes one block where a quarter is not. */
            while (fend != NULL) {
                if (p >= fend) {
                    fend = NULL;
                    break;
                }
                if (ls == 1 || iend - p < CRLF_QUARTER
                    || oend - o < CRLF_QUARTER || crlf_copy_quarter(o, p) != 0)
                    break;
                p += CRLF_QUARTER;
                o += CRLF_QUARTER;
                if (p[-1] == CR) {
                    p--;
                    o--;
                }
                ls = p[-1] == LF ? 0 : -1;
            }
            if (fend == NULL && retry == 0)
                continue;           /* past the refused block: crlf_copy() */
        }
        /* Blocks that fit: each reads FAST_IN octets from its start and
         * writes FAST_OUT from its output, which grows by at most
         * MASK_BLOCK_OUT octets. */
        if (iend - p < FAST_IN || oend - o < FAST_OUT)
            break;
        n = (size_t)(iend - p - FAST_IN) / MASK_BLOCK + 1;
        nout = (size_t)(oend - o - FAST_OUT) / MASK_BLOCK_OUT + 1;
        if (n > nout)
            n = nout;
        for (; n > 0; n--) {
            uint64_t m = special_bits(o, p);
            size_t ins = 0;
            int kind = 0;           /* BARE, PAIRS */

            if (ls >= 0) {
                m &= ~(uint64_t)ls;     /* 1: its LF, at 0, is done */
                if (p[ls] == '.') {
                    o[ls] = '.';
                    ins = 1;
                    memcpy(o + ls + 1, p + ls, MASK_BLOCK);
                    st->stuffed++;
                }
                ls = -1;
            }
            if (m != 0) {
                if ((m & (m - 1)) == 0) {   /* one: untranspose its bit */
                    unsigned b = lowest_bit(m);

                    m = (uint64_t)1 << ((b & 7) * 8 + (b >> 3));
                } else {
                    m = transpose8(m);
                }
            }
            while (m != 0) {
                unsigned l = lowest_bit(m), next;

                m &= m - 1;
                if (p[l] == LF) {           /* bare LF: CR before it */
                    o[l + ins] = CR;
                    ins++;
                    memcpy(o + l + ins, p + l, MASK_BLOCK);
                    next = l + 1;
                    kind |= BARE;
                } else if (p[l + 1] == LF) {    /* CR LF: as it is */
                    m &= ~((uint64_t)2 << l);
                    next = l + 2;
                    kind |= PAIRS;
                } else {                    /* lone CR: LF after it */
                    o[l + 1 + ins] = LF;
                    ins++;
                    memcpy(o + l + 1 + ins, p + l + 1, MASK_BLOCK);
                    next = l + 1;
                    kind |= BARE;
                }
                if (next < MASK_BLOCK) {
                    if (p[next] == '.') {
                        o[next + ins] = '.';
                        ins++;
                        memcpy(o + next + ins, p + next, MASK_BLOCK);
                        st->stuffed++;
                    }
                } else {            /* the line begins in the next block */
                    ls = (int)(next - MASK_BLOCK);
                }
            }
            p += MASK_BLOCK;
            o += MASK_BLOCK + ins;
            if (kind != 0)
                crlf_mode = kind == PAIRS;
            if (retry > 0)
                retry--;
            else if (crlf_mode)
                break;              /* back to crlf_copy() */
        }
    }
    if (ls == 1) {              /* p[-1] is a CR whose LF is p[0]: undo it */
        p--;
        o--;
        ls = -1;
    }
    st->als = ls == 0;
    st->crlf_mode = crlf_mode;
    st->retry = retry;
    st->ip = p;
    st->op = o;
}

/* The end of the span scanned from ip: bounded by the input, the output
 * room (runs copy one to one) and SPAN_MAX. */
static const unsigned char *window_end(const unsigned char *ip,
                                       const unsigned char *iend, size_t room)
{
    size_t avail = (size_t)(iend - ip);

    if (room > avail)
        room = avail;
    if (room > SPAN_MAX)
        room = SPAN_MAX;
    return ip + room;
}

size_t pop3_encoder_encode(pop3_encoder *e, const void *in, size_t in_len,
                           size_t *in_used, void *out, size_t out_cap)
{
    const unsigned char *ip, *iend, *ibeg;
    unsigned char *op, *oend, *obeg;
    uint64_t wire = 0, stuffed = 0, lines_left;
    int als, pending_cr, in_body, done = 0;
    int top, fast;
    fast_state st;
    /* CR cache: crn is the first CR at or after the point it was searched
     * from, or cre (the end of that search) when there was none.  Kept
     * across lines, so lines that each leave the copy loop (a "." at their
     * start) do not each search the whole window again. */
    const unsigned char *crn = NULL, *cre = NULL;
    unsigned char dummy;

    if (in_used != NULL)
        *in_used = 0;
    if (e->done || e->finished || e->fin_step != 0 || in == NULL
        || in_len == 0)
        return 0;
    if (out == NULL) {          /* keep the pointer arithmetic defined */
        out = &dummy;
        out_cap = 0;
    }

    /* The state lives in locals: stores through op could alias *e. */
    als = e->at_line_start;
    pending_cr = e->pending_cr;
    in_body = e->in_body;
    lines_left = e->lines_left;
    top = e->top;

    ibeg = ip = (const unsigned char *)in;
    iend = ip + in_len;
    obeg = op = (unsigned char *)out;
    oend = op + out_cap;
    /* The block loops: RETR, or TOP past the headers with no line limit. */
    fast = !top || (in_body && lines_left == POP3_TOP_ALL);
    st.ibeg = ibeg;
    st.iend = iend;
    st.oend = oend;
    st.stuffed = 0;
    st.crlf_mode = 1;           /* until a bare LF says otherwise */
    st.retry = 0;

    while (ip < iend) {
        unsigned c = *ip;

        if (pending_cr) {
            pending_cr = 0;
            if (c == LF) {          /* second half of a CR LF already sent */
                ip++;
                continue;
            }
        }

        if (fast && iend - ip >= FAST_IN && oend - op >= FAST_OUT) {
            st.ip = ip;
            st.op = op;
            st.als = als;
            fast_blocks(&st);
            wire += (uint64_t)(st.op - op) - st.stuffed;
            stuffed += st.stuffed;
            st.stuffed = 0;
            ip = st.ip;
            op = st.op;
            als = st.als;
            continue;
        }

        if (c == CR || c == LF) {   /* a line end, sent as CR LF */
            if (oend - op < 2)
                break;
            op[0] = CR;
            op[1] = LF;
            op += 2;
            ip++;
            wire += 2;
            if (c == LF)
                st.crlf_mode = 0;   /* a bare LF: LF-stored, most likely */
            else if (ip == iend)
                pending_cr = 1;     /* an LF may open the next chunk */
            else if (*ip == LF)
                ip++;               /* CR LF */
            if (top) {
                if (!in_body) {
                    if (als) {      /* the empty line ending the headers */
                        in_body = 1;
                        done = lines_left == 0;
                        fast = lines_left == POP3_TOP_ALL;
                    }
                } else if (lines_left != POP3_TOP_ALL) {
                    done = --lines_left == 0;
                }
            }
            als = 1;
            if (done)
                break;
            continue;
        }

        if (als) {
            if (c == '.') {
                if (oend - op < 2)
                    break;
                op[0] = '.';
                op[1] = '.';
                op += 2;
                ip++;
                wire += 1;
                stuffed++;
                als = 0;
                continue;
            }
            if (op == oend)
                break;
            als = 0;
        }

        /*
         * Mid-line, at an octet that is neither CR nor LF, where the block
         * loops cannot run.  Copy verbatim up to the next octet needing
         * attention: a lone CR, a "." or (in the headers) a line end at the
         * start of a line, or the end of the window.  Well-formed CRLF
         * lines pass unchanged, found a line at a time with memchr; a bare
         * LF is written as CR LF on the way.
         */
        {
            const unsigned char *wend, *p = ip;
            int hdr = top && !in_body;
            int count = top && in_body && lines_left != POP3_TOP_ALL;

            if (op == oend)
                break;
            wend = window_end(ip, iend, (size_t)(oend - op));
            for (;;) {
                const unsigned char *lf, *stop, *cr = NULL;

                if (p == wend)
                    break;
                c = *p;
                if (als) {
                    if (c == '.')
                        break;
                    if (c == CR || c == LF) {
                        if (hdr)
                            break;  /* possibly the empty line */
                    } else {
                        als = 0;
                    }
                }
                lf = (const unsigned char *)memchr(p, LF, (size_t)(wend - p));
                stop = (lf != NULL) ? lf : wend;
                /* The next CR: searched once per window, not per line, so
                 * LF-stored text pays one long memchr instead of many. */
                if (crn == NULL || crn < p || (crn == cre && cre < stop)) {
                    crn = (const unsigned char *)memchr(p, CR,
                                                        (size_t)(wend - p));
                    cre = wend;
                    if (crn == NULL)
                        crn = wend;
                }
                if (crn < stop)
                    cr = crn;
                if (cr != NULL) {
                    if (cr + 1 != lf) {
                        p = cr;     /* a lone CR, or one at the window end */
                        break;
                    }
                    p = lf + 1;     /* a well-formed CR LF line end */
                    als = 1;
                    st.crlf_mode = 1;
                    if (count && --lines_left == 0) {
                        done = 1;
                        break;
                    }
                    continue;
                }
                if (lf == NULL) {
                    p = wend;
                    break;
                }
                /* A bare LF: write the run and CR LF. */
                if ((size_t)(lf - ip) + 2 > (size_t)(oend - op)) {
                    p = lf;
                    break;
                }
                memcpy(op, ip, (size_t)(lf - ip));
                op += lf - ip;
                op[0] = CR;
                op[1] = LF;
                op += 2;
                wire += (uint64_t)(lf - ip) + 2;
                ip = p = lf + 1;
                als = 1;
                st.crlf_mode = 0;
                if (count && --lines_left == 0) {
                    done = 1;
                    break;
                }
                wend = window_end(ip, iend, (size_t)(oend - op));
            }
            memcpy(op, ip, (size_t)(p - ip));
            op += p - ip;
            wire += (uint64_t)(p - ip);
            ip = p;
            if (done)
                break;
        }
    }

    e->at_line_start = (unsigned char)als;
    e->pending_cr = (unsigned char)pending_cr;
    e->in_body = (unsigned char)in_body;
    e->lines_left = lines_left;
    e->done = (unsigned char)done;
    e->wire_octets += wire;
    e->stuffed += stuffed;
    if (in_used != NULL)
        *in_used = (size_t)(ip - ibeg);
    return (size_t)(op - obeg);
}

size_t pop3_encoder_finish(pop3_encoder *e, void *out, size_t out_cap)
{
    unsigned char seq[7];
    unsigned char *o = (unsigned char *)out;
    size_t len = 0, body, n, i;

    if (e->finished || out == NULL || out_cap == 0)
        return 0;
    /* Derived only from state this function leaves alone until the end,
     * so every call sees the same sequence. */
    if (!e->at_line_start) {            /* no final line end: add one */
        seq[len++] = CR;
        seq[len++] = LF;
    }
    if (e->add_blank && !e->in_body && e->wire_octets != 0) {
        seq[len++] = CR;                /* TOP of an all-header message */
        seq[len++] = LF;
    }
    body = len;
    seq[len++] = '.';
    seq[len++] = CR;
    seq[len++] = LF;

    n = len - e->fin_step;
    if (n > out_cap)
        n = out_cap;
    for (i = 0; i < n; i++) {
        size_t k = e->fin_step + i;
        o[i] = seq[k];
        if (k < body)
            e->wire_octets++;
    }
    e->fin_step = (unsigned char)(e->fin_step + n);
    if (e->fin_step == len) {
        e->finished = 1;
        e->at_line_start = 1;
        e->pending_cr = 0;
    }
    return n;
}

/* ---------------------------------------------------------------------- */
/* The wire size                                                          */
/* ---------------------------------------------------------------------- */

void pop3_sizer_init(pop3_sizer *z)
{
    z->octets = 0;
    z->last = 0;
    z->any = 0;
}

/*
 * Each bare LF and each lone CR costs one octet more on the wire (it
 * becomes CR LF); a CR LF pair costs nothing.  Over the pairs (p[i-1],
 * p[i]) that is exactly the number of pairs where "p[i] is LF" differs
 * from "p[i-1] is CR": one compare each, an XOR and a sum per octet.
 *
 * size_block() counts those pairs for i in [0, SIZE_BLOCK) (reads p[-1]):
 * a fixed trip count and an octet-wide sum that cannot overflow (at most
 * SIZE_BLOCK < 256), so compilers vectorise it with one reduction per
 * block.  The 64-bit result and the separate pointer q = p - 1 are what
 * let clang 14 vectorise and unroll it.
 */
#define SIZE_BLOCK 128

static uint64_t size_block(const unsigned char *p)
{
    const unsigned char *q = p - 1;
    unsigned char n = 0;
    int i;

    for (i = 0; i < SIZE_BLOCK; i++)
        n = (unsigned char)(n + ((p[i] == LF) ^ (q[i] == CR)));
    return n;
}

void pop3_sizer_update(pop3_sizer *z, const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    uint64_t add = len;
    size_t i;

    if (p == NULL || len == 0)
        return;
    /*
     * The pair (previous update's last octet, p[0]) is counted here, so a
     * CR that ended the previous update, which was counted as a lone CR
     * then, is taken back; this update's last CR is counted as lone (its
     * pair, if any, comes with the next update or never).
     */
    if (z->any && z->last == CR)
        add--;
    add += (p[0] == LF) ^ (z->any && z->last == CR);
    for (i = 1; len - i >= SIZE_BLOCK; i += SIZE_BLOCK)
        add += size_block(p + i);
    for (; i < len; i++)
        add += (p[i] == LF) ^ (p[i - 1] == CR);
    add += p[len - 1] == CR;
    z->octets += add;
    z->last = p[len - 1];
    z->any = 1;
}

uint64_t pop3_sizer_final(const pop3_sizer *z)
{
    if (z->any && z->last != CR && z->last != LF)
        return z->octets + 2;
    return z->octets;
}

uint64_t pop3_wire_size(const void *data, size_t len)
{
    pop3_sizer z;

    pop3_sizer_init(&z);
    pop3_sizer_update(&z, data, len);
    return pop3_sizer_final(&z);
}
