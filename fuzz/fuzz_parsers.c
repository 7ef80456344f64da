/*
 * fuzz_parsers.c - the codec's parsers, one sub-target per parser.
 *
 * The first input byte names the sub-target; the rest is its input:
 *   'C'  pop3__parse_command, run with both flag settings (strict and
 *        POP3_CFG_LENIENT_SPACES) and compared with an independent
 *        reference tokenizer written from docs/replies.md
 *   'N'  pop3__parse_number, compared with a reference
 *   'B'  pop3__base64_decode/encode: strict decoding re-encodes to the
 *        input, errors leave the output untouched, in-place decoding
 *        agrees, encode-then-decode is the identity
 *   'S'  the SASL message parsers (PLAIN, GS2, saslname, SCRAM first and
 *        final, OAUTHBEARER, XOAUTH2): every span lies inside the message
 *   any other byte: every sub-target on the rest of the input.
 *
 * Adding a parser: write fuzz_<name>(), add a row to the targets[] table
 * below with a new letter, add a seed or two to fuzz/make-corpus.py
 * (parsers_seeds) - nothing else.
 */
#include "fuzz_common.h"

#include "internal.h"
#include "crypto.h"
#include "sasl.h"

/* ------------------------------------------------------------------------
 * 'C': the command tokenizer
 * ---------------------------------------------------------------------- */

struct ref_cmd {
    int status;
    char verb[5];
    const char *name;           /* table keyword, NULL when unknown */
    int argc;
    size_t argo[2], argl[2];    /* offsets into the line */
    int has_args;
    size_t args_off, args_len;
};

/* Keywords that must be known (docs/replies.md).  The argument counts come
 * from the engine's own table (the tokenizer's splitting is what is under
 * test here); that table grows with the protocol. */
static const char *const must_know[] = {
    "USER", "PASS", "APOP", "QUIT", "CAPA", "STAT", "LIST", "RETR", "DELE",
    "NOOP", "RSET", "TOP", "UIDL", "LAST", "STLS", "AUTH", "UTF8", "LANG",
};

/* The definition of a keyword, as the engine's table has it. */
static const pop3__cmd_def *engine_def(const unsigned char *kw, size_t n)
{
    pop3__command c;
    char b[8];
    if (n == 0 || n > 4)
        return NULL;
    memcpy(b, kw, n);
    pop3__parse_command(b, n, 0, &c);
    return c.def;
}

static int ref_sep(unsigned char c, int lenient)
{
    return c == ' ' || (lenient && c == '\t');
}

static unsigned char ref_upper(unsigned char c)
{
    return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 32) : c;
}

/* The grammar as documented: control bytes reject the line; the keyword
 * runs to the first separator; one separator (lenient: a run) before the
 * arguments; arguments split by single spaces (lenient: runs of spaces or
 * TABs, trailing ones ignored); PASS takes the rest of the line. */
static void ref_parse(const unsigned char *l, size_t n, int lenient,
                      struct ref_cmd *r)
{
    size_t kw = 0, i, k;
    const pop3__cmd_def *def;

    memset(r, 0, sizeof *r);
    for (i = 0; i < n; i++)
        if ((l[i] < 0x20 && !(lenient && l[i] == '\t')) || l[i] == 0x7F) {
            r->status = POP3__PARSE_BADCHAR;
            return;
        }
    while (kw < n && !ref_sep(l[kw], lenient))
        kw++;
    if (kw >= 1 && kw <= 4) {
        int printable = 1;
        for (i = 0; i < kw; i++)
            printable &= l[i] >= 0x21 && l[i] <= 0x7E;
        if (printable) {
            for (i = 0; i < kw; i++)
                r->verb[i] = (char)ref_upper(l[i]);
            r->verb[kw] = '\0';
        }
    }
    def = engine_def(l, kw);
    for (k = 0; k < sizeof must_know / sizeof must_know[0]; k++) {
        const char *nm = must_know[k];
        if (strlen(nm) != kw)
            continue;
        for (i = 0; i < kw && ref_upper(l[i]) == (unsigned char)nm[i]; i++)
            ;
        if (i == kw)
            FUZZ_CHECK(def != NULL && strcmp(def->name, nm) == 0, "keyword %s not known", nm);
    }
    if (def) {
        for (i = 0; i < kw; i++)
            FUZZ_CHECK(ref_upper(l[i]) == (unsigned char)def->name[i],
                       "keyword matched definition %s", def->name);
        FUZZ_CHECK(def->name[kw] == '\0', "keyword is a prefix of %s", def->name);
    }
    if (!def) {
        r->status = POP3__PARSE_UNKNOWN;
        return;
    }
    r->name = def->name;

    i = kw;
    if (i < n) {
        i++;
        while (lenient && i < n && ref_sep(l[i], 1))
            i++;
        r->has_args = 1;
        r->args_off = i;
        r->args_len = n - i;
    }
    if (def->rest) {
        if (!r->has_args || r->args_len == 0) {
            r->status = POP3__PARSE_USAGE;
            return;
        }
        r->argc = 1;
        r->argo[0] = r->args_off;
        r->argl[0] = r->args_len;
        return;
    }
    if (r->has_args) {
        /* Collect the tokens of args. */
        size_t p = r->args_off, count = 0;
        int empty = 0;
        if (lenient) {
            while (p < n) {
                size_t s = p;
                while (p < n && !ref_sep(l[p], 1))
                    p++;
                if (count < 2) {
                    r->argo[count] = s;
                    r->argl[count] = p - s;
                }
                count++;
                while (p < n && ref_sep(l[p], 1))
                    p++;
            }
        } else {
            /* Split on every single space: "a  b" and "a " hold an empty
             * token, and so does an empty argument string. */
            for (;;) {
                size_t s = p;
                while (p < n && l[p] != ' ')
                    p++;
                if (p == s)
                    empty = 1;
                if (count < 2) {
                    r->argo[count] = s;
                    r->argl[count] = p - s;
                }
                count++;
                if (p == n)
                    break;
                p++;
            }
        }
        if (empty || count > 2) {
            r->status = POP3__PARSE_USAGE;
            return;
        }
        r->argc = (int)count;
    }
    if (r->argc < def->min_args || r->argc > def->max_args) {
        r->status = POP3__PARSE_USAGE;
        return;
    }
    for (int a = 0; a < r->argc; a++) {
        size_t chars = 0;
        /* AUTH's initial response (its second argument) has no limit. */
        if (strcmp(def->name, "AUTH") == 0 && a == 1)
            continue;
        for (i = 0; i < r->argl[a]; i++)
            chars += (l[r->argo[a] + i] & 0xC0) != 0x80;
        if (chars > POP3__MAX_ARG_CHARS) {
            r->status = POP3__PARSE_ARG_TOO_LONG;
            return;
        }
    }
    r->status = POP3__PARSE_OK;
}

static int inside(const char *p, size_t len, const char *base, size_t n)
{
    return p >= base && p <= base + n && len <= (size_t)(base + n - p);
}

static void check_command(const unsigned char *line, size_t n, unsigned flags)
{
    const char *l = (const char *)line;
    int lenient = (flags & POP3_CFG_LENIENT_SPACES) != 0;
    pop3__command c;
    struct ref_cmd r;

    memset(&c, 0xA5, sizeof c);         /* everything must be (re)set */
    pop3__parse_command(l, n, flags, &c);
    ref_parse(line, n, lenient, &r);

    /* Generic invariants. */
    FUZZ_CHECK(c.status >= POP3__PARSE_OK && c.status <= POP3__PARSE_ARG_TOO_LONG,
               "command: status %d out of range", c.status);
    FUZZ_CHECK(c.argc >= 0 && c.argc <= 2, "command: argc %d out of range", c.argc);
    FUZZ_CHECK(memchr(c.verb, '\0', sizeof c.verb) != NULL,
               "command: verb not NUL-terminated");
    for (size_t i = 0; c.verb[i]; i++)
        FUZZ_CHECK((unsigned char)c.verb[i] >= 0x21 && (unsigned char)c.verb[i] <= 0x7E &&
                       !(c.verb[i] >= 'a' && c.verb[i] <= 'z'),
                   "command: verb byte 0x%02x is not upper-case printable",
                   (unsigned char)c.verb[i]);
    for (int a = 0; a < c.argc; a++) {
        FUZZ_CHECK(c.argv[a] != NULL && inside(c.argv[a], c.argl[a], l, n),
                   "command: argv[%d] points outside the line", a);
        FUZZ_CHECK(c.argl[a] > 0, "command: argv[%d] is empty", a);
    }
    if (c.args)
        FUZZ_CHECK(inside(c.args, c.args_len, l, n), "command: args points outside the line");
    if (c.status == POP3__PARSE_OK) {
        FUZZ_CHECK(c.def != NULL, "command: OK without a definition");
        FUZZ_CHECK(c.argc >= c.def->min_args && c.argc <= c.def->max_args,
                   "command: OK with %d arguments for %s", c.argc, c.def->name);
        FUZZ_CHECK(strcmp(c.verb, c.def->name) == 0,
                   "command: verb %s but definition %s", c.verb, c.def->name);
        if (!c.def->rest)
            for (int a = 0; a < c.argc; a++)
                for (size_t i = 0; i < c.argl[a]; i++)
                    FUZZ_CHECK(!ref_sep((unsigned char)c.argv[a][i], lenient),
                               "command: a separator inside argument %d", a);
    }

    /* Agreement with the reference. */
    FUZZ_CHECK(c.status == r.status, "command (flags %#x): status %d, reference %d",
               flags, c.status, r.status);
    if (r.status == POP3__PARSE_BADCHAR)
        return;
    FUZZ_CHECK(strcmp(c.verb, r.verb) == 0, "command: verb \"%s\", reference \"%s\"",
               c.verb, r.verb);
    FUZZ_CHECK((c.def == NULL) == (r.name == NULL) &&
                   (!c.def || strcmp(c.def->name, r.name) == 0),
               "command: definition differs from the reference");
    if (!r.name)
        return;
    FUZZ_CHECK((c.args != NULL) == r.has_args, "command: args presence differs");
    if (r.has_args)
        FUZZ_CHECK(c.args == l + r.args_off && c.args_len == r.args_len,
                   "command: args (%zu octets) differ from the reference (%zu)",
                   c.args_len, r.args_len);
    if (r.status != POP3__PARSE_OK && r.status != POP3__PARSE_ARG_TOO_LONG)
        return;
    FUZZ_CHECK(c.argc == r.argc, "command: argc %d, reference %d", c.argc, r.argc);
    for (int a = 0; a < r.argc; a++)
        FUZZ_CHECK(c.argv[a] == l + r.argo[a] && c.argl[a] == r.argl[a],
                   "command: argv[%d] differs from the reference", a);
}

static void fuzz_command(const uint8_t *d, size_t n)
{
    /* The tokenizer reads exactly line[0..len): an exact-size copy lets the
     * sanitizer catch a read of the terminator that is not there. */
    unsigned char *line = fuzz_dup(d, n);
    check_command(line, n, 0);
    check_command(line, n, POP3_CFG_LENIENT_SPACES);
    /* Flags unrelated to tokenizing change nothing. */
    check_command(line, n, POP3_CFG_STRICT_CRLF | POP3_CFG_ENABLE_LAST);
    FUZZ_CHECK(memcmp(line, d, n) == 0, "command: the tokenizer wrote to its input");
    free(line);
}

/* ------------------------------------------------------------------------
 * 'B': strict base64
 * ---------------------------------------------------------------------- */

static void fuzz_base64(const uint8_t *d, size_t n)
{
    char *in = (char *)fuzz_dup(d, n);
    size_t cap = pop3__base64_decoded_max(n), outlen = 12345, elen;
    unsigned char *out = malloc(cap + 1);
    int r;

    FUZZ_CHECK(out != NULL, "out of memory in the harness");
    memset(out, 0xA5, cap + 1);
    r = pop3__base64_decode(in, n, out, cap, &outlen);
    FUZZ_CHECK(r <= 0 && r >= POP3__B64_E_INVALID, "base64: status %d", r);
    if (r == POP3__B64_OK) {
        char *re;
        FUZZ_CHECK(outlen <= cap, "base64: %zu octets from %zu characters", outlen, n);
        elen = pop3__base64_encoded_len(outlen);
        FUZZ_CHECK(elen == n, "base64: re-encoding %zu octets takes %zu characters, not %zu",
                   outlen, elen, n);
        re = malloc(elen + 1);
        FUZZ_CHECK(re != NULL, "out of memory in the harness");
        FUZZ_CHECK(pop3__base64_encode(out, outlen, re) == elen, "base64: encode length");
        FUZZ_CHECK(memcmp(re, in, n) == 0, "base64: decode then encode is not the input");
        free(re);
        /* In place gives the same octets. */
        {
            char *ip = (char *)fuzz_dup(d, n);
            size_t il = 0;
            FUZZ_CHECK(pop3__base64_decode(ip, n, ip, n, &il) == POP3__B64_OK && il == outlen &&
                           memcmp(ip, out, outlen) == 0,
                       "base64: in-place decoding differs");
            free(ip);
        }
        /* Too small an output: E_SPACE with the size needed, untouched. */
        if (outlen > 0) {
            size_t need = 0;
            unsigned char *small = malloc(outlen);
            FUZZ_CHECK(small != NULL, "out of memory in the harness");
            memset(small, 0x5A, outlen);
            FUZZ_CHECK(pop3__base64_decode(in, n, small, outlen - 1, &need) == POP3__B64_E_SPACE &&
                           need == outlen,
                       "base64: a short output is not E_SPACE with the size needed");
            for (size_t i = 0; i + 1 < outlen; i++)
                FUZZ_CHECK(small[i] == 0x5A, "base64: wrote to a short output");
            free(small);
        }
    } else {
        FUZZ_CHECK(outlen == 0, "base64: error %d with *outlen %zu", r, outlen);
        for (size_t i = 0; i <= cap; i++)
            FUZZ_CHECK(out[i] == 0xA5, "base64: error %d but output written", r);
        FUZZ_CHECK(r != POP3__B64_E_SPACE, "base64: E_SPACE with decoded_max room");
    }
    FUZZ_CHECK(memcmp(in, d, n) == 0, "base64: decode wrote to its input");
    /* Encode then decode: the identity on arbitrary octets. */
    elen = pop3__base64_encoded_len(n);
    {
        char *enc = malloc(elen + 1);
        unsigned char *dec = malloc(n + 1);
        size_t dl = 0;
        FUZZ_CHECK(enc && dec, "out of memory in the harness");
        FUZZ_CHECK(pop3__base64_encode(d, n, enc) == elen, "base64: encode length");
        FUZZ_CHECK(pop3__base64_decode(enc, elen, dec, n, &dl) == POP3__B64_OK && dl == n &&
                       memcmp(dec, d, n) == 0,
                   "base64: encode then decode is not the identity");
        free(enc);
        free(dec);
    }
    free(out);
    free(in);
}

/* ------------------------------------------------------------------------
 * 'S': SASL message parsers - every span inside the message
 * ---------------------------------------------------------------------- */

static void span_in(const pop3__span *sp, const char *m, size_t n, const char *what)
{
    FUZZ_CHECK(sp->n == 0 || (sp->p && inside(sp->p, sp->n, m, n)),
               "sasl: %s span outside the message", what);
}

static void fuzz_sasl(const uint8_t *d, size_t n)
{
    const char *m = (const char *)fuzz_dup(d, n);
    pop3__span a, b, c;
    pop3__scram_first f;
    pop3__scram_final g;
    long r;

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    if (pop3__sasl_plain_parse(m, n, &a, &b, &c) == 0) {
        span_in(&a, m, n, "PLAIN authzid");
        span_in(&b, m, n, "PLAIN authcid");
        span_in(&c, m, n, "PLAIN passwd");
        FUZZ_CHECK(b.n > 0 && c.n > 0 && a.n + b.n + c.n + 2 == n,
                   "PLAIN: parts do not add up to the message");
        FUZZ_CHECK(!memchr(b.p, 0, b.n) && !memchr(c.p, 0, c.n), "PLAIN: NUL inside a part");
    }
    r = pop3__gs2_parse(m, n, &a, &b);
    if (r >= 0) {
        FUZZ_CHECK((size_t)r <= n && a.p == m && a.n == (size_t)r, "GS2: header span");
        span_in(&b, m, n, "GS2 authzid");
    }
    {
        char out[64];
        r = pop3__saslname_decode(m, n, out, sizeof out);
        FUZZ_CHECK(r < 0 || ((size_t)r <= n && (size_t)r <= sizeof out), "saslname: length %ld",
                   r);
    }
    memset(&f, 0, sizeof f);
    if (pop3__scram_parse_first(m, n, &f) == 0) {
        span_in(&f.gs2, m, n, "SCRAM gs2");
        span_in(&f.authzid, m, n, "SCRAM authzid");
        span_in(&f.bare, m, n, "SCRAM bare");
        span_in(&f.user, m, n, "SCRAM user");
        span_in(&f.cnonce, m, n, "SCRAM nonce");
        FUZZ_CHECK(f.gs2.n + f.bare.n == n, "SCRAM first: gs2 + bare != message");
    }
    memset(&g, 0, sizeof g);
    if (pop3__scram_parse_final(m, n, &g) == 0) {
        span_in(&g.cbind, m, n, "SCRAM c=");
        span_in(&g.nonce, m, n, "SCRAM r=");
        span_in(&g.without_proof, m, n, "SCRAM without proof");
        span_in(&g.proof, m, n, "SCRAM p=");
    }
    if (pop3__oauthbearer_parse(m, n, &a, &b) == 0) {
        span_in(&a, m, n, "OAUTHBEARER authzid");
        span_in(&b, m, n, "OAUTHBEARER token");
    }
    if (pop3__xoauth2_parse(m, n, &a, &b) == 0) {
        span_in(&a, m, n, "XOAUTH2 user");
        span_in(&b, m, n, "XOAUTH2 token");
    }
    free((void *)m);
}

/* ------------------------------------------------------------------------
 * 'N': message numbers and line counts
 * ---------------------------------------------------------------------- */

static void fuzz_number(const uint8_t *d, size_t n)
{
    unsigned char *a = fuzz_dup(d, n);
    uint64_t v = 0xDEADBEEF, ref = 0;
    int r = pop3__parse_number((const char *)a, n, &v);
    int want;
    size_t i;

    if (n == 0 || a[0] < '0' || a[0] > '9') {
        want = -1;
    } else {
        for (i = 0; i < n && a[i] >= '0' && a[i] <= '9'; i++)
            ;
        want = i == n ? 0 : -2;
    }
    FUZZ_CHECK(r == want, "number: returned %d, expected %d", r, want);
    if (r == 0) {
        FUZZ_CHECK(fuzz_parse_u64((const char *)a, n, &ref), "number: reference failed");
        FUZZ_CHECK(v == ref, "number: value %llu, expected %llu",
                   (unsigned long long)v, (unsigned long long)ref);
    } else {
        FUZZ_CHECK(v == 0xDEADBEEF, "number: *out written on failure");
    }
    free(a);
}

/* ------------------------------------------------------------------------
 * The table of sub-targets.
 * ---------------------------------------------------------------------- */

static const struct {
    char id;
    void (*fn)(const uint8_t *, size_t);
} targets[] = {
    {'C', fuzz_command},
    {'N', fuzz_number},
    {'B', fuzz_base64},
    {'S', fuzz_sasl},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i, count = sizeof targets / sizeof targets[0];
    if (size == 0)
        return 0;
    for (i = 0; i < count; i++)
        if (targets[i].id == (char)data[0]) {
            targets[i].fn(data + 1, size - 1);
            return 0;
        }
    for (i = 0; i < count; i++)
        targets[i].fn(data + 1, size - 1);
    return 0;
}
