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
 * Speed: the encoder never makes a call per octet.  In CRLF-stored text
 * it checks 64-octet blocks at once (every LF after a CR, every CR before
 * an LF, no "." after an LF) and copies runs of good blocks with one
 * memcpy; elsewhere it finds the next LF with memchr (the next CR with one
 * memchr per window) and copies each run with memcpy.  The block loops
 * have fixed trip counts and no early exits, so compilers vectorise them
 * (gcc >= 12 and clang at -O2).  The sizer counts the same way.
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

/*
 * 0 if every adjacent pair (p[i-1], p[i]) for i in [0, BLOCK) is plain
 * CRLF-stored text: an LF exactly after a CR, a CR exactly before an LF,
 * and no "." right after an LF; else nonzero.  Reads p[-1] .. p[BLOCK-1].
 * The fixed trip count and the absence of early exits let compilers
 * vectorise it (the 64-bit result is what lets clang 14 do it well).
 */
#define BLOCK 64

static uint64_t block_flaws(const unsigned char *p)
{
    unsigned char bad = 0;
    int i;

    for (i = 0; i < BLOCK; i++) {
        unsigned char a = p[i - 1], b = p[i];

        bad |= (unsigned char)(((b == LF) ^ (a == CR))
                               | ((a == LF) & (b == '.')));
    }
    return bad;
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
            if (c == LF)
                crlf_mode = 0;      /* a bare LF: LF-stored, most likely */
            else if (ip == iend)
                pending_cr = 1;     /* an LF may open the next chunk */
            else if (*ip == LF)
                ip++;               /* CR LF */
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
            if (op == oend)
                break;
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
            const unsigned char *wend, *p = ip;
            int hdr = top && !in_body;
            int count = top && in_body && lines_left != POP3_TOP_ALL;
            int blocks = !hdr && !count;

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
                if (crlf_mode && blocks && c != CR && c != LF) {
                    const unsigned char *q = p + 1;

                    while (wend - q >= BLOCK && block_flaws(q) == 0)
                        q += BLOCK;
                    if (q > p + 1) {
                        p = q;
                        if (p[-1] == CR)
                            p--;    /* its LF is not checked yet */
                        als = p[-1] == LF;
                        continue;
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
                crlf_mode = 0;
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
 * For the BLOCK octets p[0..BLOCK): the number of CRs and LFs (bits 8 and
 * up) and the number of LFs right after a CR (bits 0-7); p[-1] is read.
 * Fixed trip count and byte-wide sums, so compilers vectorise it (the
 * 64-bit result is what lets clang 14 do so).
 */
static uint64_t block_count(const unsigned char *p)
{
    unsigned char e = 0, c = 0;
    int i;

    for (i = 0; i < BLOCK; i++) {
        e = (unsigned char)(e + (p[i] == CR) + (p[i] == LF));
        c = (unsigned char)(c + ((p[i - 1] == CR) & (p[i] == LF)));
    }
    return (uint64_t)e << 8 | c;
}

void pop3_sizer_update(pop3_sizer *z, const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    uint64_t add = len, sub = 0;
    size_t i;

    if (p == NULL || len == 0)
        return;
    /*
     * Each CR and each LF adds one octet (it becomes CR LF); each CR LF
     * pair takes two back.  Both CR and LF of a pair are counted in this
     * update (add >= sub), except for an LF completing a CR that ended the
     * previous update: that LF simply costs nothing.
     */
    if (p[0] == CR)
        add++;
    else if (p[0] == LF) {
        if (z->any && z->last == CR)
            sub++;
        else
            add++;
    }
    for (i = 1; len - i >= BLOCK; i += BLOCK) {
        uint64_t counts = block_count(p + i);

        add += counts >> 8;
        sub += 2 * (counts & 0xff);
    }
    for (; i < len; i++) {
        if (p[i] == CR || p[i] == LF)
            add++;
        if (p[i] == LF && p[i - 1] == CR)
            sub += 2;
    }
    z->octets += add - sub;
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
