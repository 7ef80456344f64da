/*
 * msggen.h - deterministic synthetic mail for the benchmarks and the load
 * generator's Maildir (header-only).
 *
 *   text     headers, then ~70-character lines of words, paragraphs
 *   b64      a MIME message: a short text part and a base64 attachment
 *            (76-character lines)
 *   dots     pathological: every line begins with "." (short lines)
 *
 * Each kind is made with LF or CRLF line ends, to a size close to the one
 * asked (whole lines only; never more than asked).
 */
#ifndef MSGGEN_H
#define MSGGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#  define MSGGEN_UNUSED __attribute__((unused))
#else
#  define MSGGEN_UNUSED
#endif

enum msg_kind { MSG_TEXT = 0, MSG_B64, MSG_DOTS };

typedef struct msggen {
    unsigned char *p;
    size_t len, cap;
    int crlf;
    uint64_t rng;
} msggen;

static uint64_t msggen_rand(msggen *g)
{
    uint64_t x = g->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    g->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Append one line (without its end) if it fits with its line end. */
static int msggen_line(msggen *g, const char *s, size_t n)
{
    size_t end = g->crlf ? 2 : 1;
    if (g->len + n + end > g->cap)
        return 0;
    memcpy(g->p + g->len, s, n);
    g->len += n;
    if (g->crlf)
        g->p[g->len++] = '\r';
    g->p[g->len++] = '\n';
    return 1;
}

static int msggen_str(msggen *g, const char *s)
{
    return msggen_line(g, s, strlen(s));
}

static void msggen_headers(msggen *g, unsigned seq, const char *ctype)
{
    char b[160];
    int n;
    msggen_str(g, "Return-Path: <alice@example.org>");
    msggen_str(g, "Received: from mx1.example.org (mx1.example.org [192.0.2.25])");
    msggen_str(g, "\tby mail.example.net with ESMTPS id 4Vb2kq0Zx3z9sWq");
    msggen_str(g, "\tfor <bob@example.net>; Tue, 14 Nov 2023 09:21:07 +0100 (CET)");
    msggen_str(g, "From: Alice Example <alice@example.org>");
    msggen_str(g, "To: Bob Example <bob@example.net>");
    n = snprintf(b, sizeof b, "Subject: Quarterly report, part %u", seq);
    msggen_line(g, b, (size_t)n);
    msggen_str(g, "Date: Tue, 14 Nov 2023 09:21:05 +0100");
    n = snprintf(b, sizeof b, "Message-ID: <%u.4f2a9c@mx1.example.org>", seq);
    msggen_line(g, b, (size_t)n);
    msggen_str(g, "MIME-Version: 1.0");
    msggen_line(g, ctype, strlen(ctype));
    msggen_line(g, "", 0);
}

static const char *const msggen_words[] = {
    "the", "report", "shows", "that", "revenue", "grew", "in", "every",
    "region", "during", "quarter", "and", "costs", "were", "kept", "under",
    "control", "although", "shipping", "delays", "affected", "some",
    "customers", "we", "expect", "improvement", "next", "year", "as",
    "new", "warehouse", "opens", "please", "review", "attached", "figures",
    "before", "meeting", "on", "Thursday", "morning", "thanks", "a", "of",
    "to", "for", "with", "this", "is", "not", "final"
};

/* ~70-character lines of words; an empty line every 4-12 lines. */
static void msggen_text_body(msggen *g, size_t limit)
{
    char line[100];
    size_t nw = sizeof msggen_words / sizeof msggen_words[0];
    unsigned left = 6;
    for (;;) {
        size_t n = 0, target = 62 + (size_t)(msggen_rand(g) % 16);
        if (left-- == 0) {
            left = 4 + (unsigned)(msggen_rand(g) % 9);
            if (g->len + 2 > limit || !msggen_line(g, "", 0))
                return;
            continue;
        }
        while (n < target) {
            const char *w = msggen_words[msggen_rand(g) % nw];
            size_t wl = strlen(w);
            if (n + wl + 1 > sizeof line - 2)
                break;
            if (n)
                line[n++] = ' ';
            memcpy(line + n, w, wl);
            n += wl;
        }
        if (g->len + n + 2 > limit || !msggen_line(g, line, n))
            return;
    }
}

static void msggen_b64_body(msggen *g, size_t limit)
{
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char line[80];
    size_t i;
    msggen_str(g, "--=_boundary_4f2a9c");
    msggen_str(g, "Content-Type: text/plain; charset=utf-8");
    msggen_line(g, "", 0);
    msggen_text_body(g, g->len + 600 < limit ? g->len + 600 : limit);
    msggen_str(g, "--=_boundary_4f2a9c");
    msggen_str(g, "Content-Type: application/pdf; name=\"report.pdf\"");
    msggen_str(g, "Content-Transfer-Encoding: base64");
    msggen_str(g, "Content-Disposition: attachment; filename=\"report.pdf\"");
    msggen_line(g, "", 0);
    for (;;) {
        if (g->len + 76 + 2 + 26 > limit)
            break;
        for (i = 0; i < 76; i++)
            line[i] = tbl[msggen_rand(g) & 63];
        msggen_line(g, line, 76);
    }
    msggen_str(g, "--=_boundary_4f2a9c--");
}

/* Every line begins with "."; lines of 1-12 octets ("." alone too). */
static void msggen_dots_body(msggen *g, size_t limit)
{
    char line[16];
    for (;;) {
        size_t n = 1 + (size_t)(msggen_rand(g) % 12), i;
        line[0] = '.';
        for (i = 1; i < n; i++)
            line[i] = (msggen_rand(g) % 5 == 0) ? '.' : (char)('a' + msggen_rand(g) % 26);
        if (g->len + n + 2 > limit || !msggen_line(g, line, n))
            return;
    }
}

/*
 * Write a message of the kind into buf (cap octets; the message is at
 * most cap octets).  seq varies the headers and the words.  Returns its
 * length.
 */
static MSGGEN_UNUSED size_t msggen_make(unsigned char *buf, size_t cap,
                                        int kind, int crlf, unsigned seq)
{
    msggen g;
    g.p = buf;
    g.len = 0;
    g.cap = cap;
    g.crlf = crlf;
    g.rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seq * 0x100000001B3ULL) ^ (uint64_t)kind;
    if (g.rng == 0)
        g.rng = 1;
    switch (kind) {
    case MSG_B64:
        msggen_headers(&g, seq, "Content-Type: multipart/mixed; boundary=\"=_boundary_4f2a9c\"");
        msggen_b64_body(&g, cap);
        break;
    case MSG_DOTS:
        msggen_headers(&g, seq, "Content-Type: text/plain; charset=us-ascii");
        msggen_dots_body(&g, cap);
        break;
    default:
        msggen_headers(&g, seq, "Content-Type: text/plain; charset=us-ascii");
        msggen_text_body(&g, cap);
        break;
    }
    return g.len;
}

#endif
