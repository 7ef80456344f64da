/*
 * encoder.c - the POP3 body encoder (RETR, TOP) and the wire-size function
 * (LIST, STAT).  Pure ISO C11, libc only.
 *
 * Encoder state, in the fields of pop3_encoder:
 *   at_line_start  the next octet sent begins a line (dot check due; in
 *                  the headers, a line end here is the empty line).
 *   pending_cr     "swallow the next LF": a CR was sent as CR LF at once,
 *                  so an LF that follows it (in this chunk or the next)
 *                  belongs to that line end and is consumed silently.
 *                  Any other octet just clears the flag.
 *   in_body        TOP: the empty line ending the headers has been sent.
 *   lines_left     TOP: body lines still to send (POP3_TOP_ALL: no limit).
 *   done           TOP: the last wanted line end has been sent.
 *   fin_step       octets of the finish sequence already written.
 *   finished       the terminator has been written completely.
 *
 * Speed: the encoder never makes a call per octet.  Within a line it finds
 * the next LF with memchr, checks the run before it for a CR with memchr,
 * and a run of well-formed CRLF lines is copied with a single memcpy.  The
 * sizer counts CR, LF and CR LF pairs eight octets at a time.
 */
#include "internal.h"

#include <string.h>

#define CR 0x0d
#define LF 0x0a

/* The longest run scanned before it is copied, so that the copy reads it
 * back from cache. */
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

#define ONES  UINT64_C(0x0101010101010101)
#define LOW7  UINT64_C(0x7f7f7f7f7f7f7f7f)
#define HIGHS UINT64_C(0x8080808080808080)

/* 0x80 in every byte lane of w equal to the byte in pat, 0 elsewhere.
 * Exact: no carry crosses a lane. */
static uint64_t eq_lanes(uint64_t w, uint64_t pat)
{
    uint64_t t = w ^ pat;
    return ~(((t & LOW7) + LOW7) | t) & HIGHS;
}

static uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

/* Sum of the eight byte lanes of x; correct while the sum is <= 255. */
static uint64_t lane_sum(uint64_t x)
{
    return (x * ONES) >> 56;
}

/* Nonzero iff some octet of w is CR or LF.  In little-endian order the
 * lowest flagged lane is exactly the first such octet (borrows only run
 * upwards). */
static uint64_t cr_or_lf_lanes(uint64_t w)
{
    uint64_t a = w ^ (ONES * CR), b = w ^ (ONES * LF);

    return (((a - ONES) & ~a) | ((b - ONES) & ~b)) & HIGHS;
}

/* Index of the lowest flagged lane of a nonzero lane mask. */
static unsigned lowest_lane(uint64_t m)
{
    return (unsigned)((((m & (0 - m)) >> 7) * UINT64_C(0x0001020304050607))
                      >> 56);
}

static int little_endian(void)
{
    const uint32_t one = 1;
    unsigned char b;

    memcpy(&b, &one, 1);
    return b == 1;
}

static void store64(unsigned char *p, uint64_t w)
{
    memcpy(p, &w, sizeof w);
}

/*
 * 1 if every adjacent pair (p[i-1], p[i]) for i in [0, BLOCK) is plain
 * CRLF-stored text: an LF exactly after a CR, a CR exactly before an LF,
 * and no "." right after an LF.  Reads p[-1] .. p[BLOCK-1].  The fixed
 * trip count and the absence of early exits let compilers vectorise it.
 */
#define BLOCK 64

static int block_is_plain(const unsigned char *p)
{
    unsigned char bad = 0;
    int i;

    for (i = 0; i < BLOCK; i++) {
        unsigned char a = p[i - 1], b = p[i];

        bad |= (unsigned char)(((b == LF) ^ (a == CR))
                               | ((a == LF) & (b == '.')));
    }
    return bad == 0;
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
    int top, crlf_mode = 1;     /* crlf_mode: input looks CRLF-stored */

    if (in_used != NULL)
        *in_used = 0;
    if (e->done || e->finished || e->fin_step != 0 || in == NULL
        || in_len == 0)
        return 0;
    if (out == NULL)
        out_cap = 0;

    /* The state lives in locals: stores through op could alias *e. */
    als = e->at_line_start;
    pending_cr = e->pending_cr;
    in_body = e->in_body;
    lines_left = e->lines_left;
    top = e->top;

    ibeg = ip = (const unsigned char *)in;
    iend = ip + in_len;
    obeg = op = (unsigned char *)out;
    oend = (op != NULL) ? op + out_cap : op;

    while (ip < iend) {
        unsigned c = *ip;

        if (pending_cr) {
            pending_cr = 0;
            if (c == LF) {          /* second half of a CR LF already sent */
                ip++;
                continue;
            }
        }

        if (c == CR || c == LF) {   /* a line end, sent as CR LF */
            if (oend - op < 2)
                break;
            op[0] = CR;
            op[1] = LF;
            op += 2;
            ip++;
            wire += 2;
            if (c == CR)
                pending_cr = 1;
            else
                crlf_mode = 0;      /* a bare LF: LF-stored, most likely */
            if (top) {
                if (!in_body) {
                    if (als) {      /* the empty line ending the headers */
                        in_body = 1;
                        done = lines_left == 0;
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
            als = 0;
        }

        /*
         * Mid-line, at an octet that is neither CR nor LF.  Copy verbatim
         * up to the next octet needing attention: a lone CR, a "." or (in
         * the headers) a line end at the start of a line, or the end of
         * the window.  Well-formed CRLF lines pass unchanged, found a block
         * at a time while that works and a line at a time with memchr
         * otherwise; a bare LF is written as CR LF on the way.
         */
        {
            size_t room = (size_t)(oend - op);
            const unsigned char *wend, *p = ip;
            const unsigned char *crn = NULL, *cre = NULL; /* CR cache */
            int hdr = top && !in_body;
            int count = top && in_body && lines_left != POP3_TOP_ALL;
            int blocks = !hdr && !count;

            if (room == 0)
                break;
            wend = window_end(ip, iend, room);
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
                if (crlf_mode && blocks && c != CR && c != LF) {
                    const unsigned char *q = p + 1;

                    while (wend - q >= BLOCK && block_is_plain(q))
                        q += BLOCK;
                    if (q > p + 1) {
                        p = q;
                        if (p[-1] == CR)
                            p--;    /* its LF is not checked yet */
                        als = p[-1] == LF;
                        continue;
                    }
                }
                if (!crlf_mode && p == ip && c != CR && c != LF) {
                    /* LF-stored text: scan and copy eight at a time.  The
                     * room for whole words is there: op keeps pace with
                     * p, and wend - ip <= oend - op. */
                    while (wend - p >= 8) {
                        uint64_t w = load64(p), m = cr_or_lf_lanes(w);

                        store64(op, w);
                        if (m != 0) {
                            size_t k = 0;

                            if (little_endian())
                                k = lowest_lane(m);
                            else
                                while (p[k] != CR && p[k] != LF)
                                    k++;
                            p += k;
                            op += k;
                            break;
                        }
                        p += 8;
                        op += 8;
                    }
                    wire += (uint64_t)(p - ip);
                    ip = p;
                    if (p == wend)
                        break;
                    if (*p == LF) {
                        lf = p;
                        goto bare_lf;
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
                    crlf_mode = 1;
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
            bare_lf:
                /* A bare LF: write the run and CR LF. */
                if ((size_t)(lf - ip) + 2 > room) {
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
                crlf_mode = 0;
                if (count && --lines_left == 0) {
                    done = 1;
                    break;
                }
                room = (size_t)(oend - op);
                wend = window_end(ip, iend, room);
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

void pop3_sizer_update(pop3_sizer *z, const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    uint64_t add = len;
    size_t i = 0;

    if (p == NULL || len == 0)
        return;
    if (z->any && z->last == CR && p[0] == LF)
        add -= 2;                       /* a CR LF split across updates */

    /*
     * Eight octets at a time: lane k of w0 is p[i+k], of w1 is p[i+k+1],
     * so a CR LF pair is a CR lane in w0 over an LF lane in w1 whatever
     * the byte order.  Every CR and LF adds one octet, every pair takes
     * two back.  Blocks of at most 31 words keep each lane sum below 256.
     */
    {
        const uint64_t crs = ONES * CR, lfs = ONES * LF;

        while (len - i >= 9) {
            size_t words = (len - i - 1) / 8;
            uint64_t acc = 0, accp = 0;

            if (words > 31)
                words = 31;
            while (words-- > 0) {
                uint64_t w0 = load64(p + i), w1 = load64(p + i + 1);
                uint64_t mcr = eq_lanes(w0, crs);
                uint64_t mlf = eq_lanes(w0, lfs);

                acc += (mcr | mlf) >> 7;
                accp += (mcr & eq_lanes(w1, lfs)) >> 7;
                i += 8;
            }
            add += lane_sum(acc);
            add -= 2 * lane_sum(accp);
        }
    }
    for (; i < len; i++) {
        unsigned c = p[i];

        if (c == LF) {
            add++;
        } else if (c == CR) {
            add++;
            if (i + 1 < len && p[i + 1] == LF)
                add -= 2;
        }
    }
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
