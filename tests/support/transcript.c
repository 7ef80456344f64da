/*
 * transcript.c - fixture parser and replay driver.  Format:
 * tests/transcripts/README.md.
 *
 * A fixture is cut into segments at every T:, EOF, ABORT and expect line.
 * For each segment the driver hands the client bytes to the engine, drains
 * its output and delivers pending answers until nothing more can happen,
 * compares the output of the segment with the S lines of the segment, then
 * applies the segment's action.  Every variant (how input is cut, how output
 * is drained, inline or pending answers, zero-copy or copying input, session
 * memory) must give exactly the same bytes.
 */
#include "transcript.h"

#include "mock_backend.h"
#include "pop3.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Growing byte buffer
 * ---------------------------------------------------------------------- */

typedef struct tr_buf {
    unsigned char *p;
    size_t len, cap;
} tr_buf;

static int buf_reserve(tr_buf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more)
        cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (p == NULL)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

static int buf_add(tr_buf *b, const void *data, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

/* ------------------------------------------------------------------------
 * The parsed fixture
 * ---------------------------------------------------------------------- */

enum tr_action { ACT_END = 0, ACT_TICK, ACT_EOF, ACT_ABORT, ACT_EXPECT,
                 ACT_TLS };

enum tr_expect_kind {
    EX_CLOSED = 1, EX_OPEN, EX_STATE, EX_COMMIT, EX_NO_COMMIT, EX_MDCLOSE,
    EX_FATAL, EX_LIMIT, EX_CLOSE_REASON, EX_DEADLINE, EX_NO_DEADLINE, EX_USER,
    EX_AUTH_CALLS, EX_SASL_STEPS, EX_UTF8, EX_LOGINS_OK, EX_LOGINS_FAILED
};

enum { MD_NONE = 0, MD_COMMITTED, MD_UNCOMMITTED };

typedef struct tr_expect {
    int kind;
    int ival;
    uint64_t u64;
    uint32_t list[MOCK_MAX_RECORDED];
    unsigned nlist;
    char str[64];
} tr_expect;

typedef struct tr_segment {
    size_t cin_off, cin_len;    /* client bytes, in t->cin */
    size_t out_off, out_len;    /* expected output (S lines), in t->sout */
    size_t opt_len;             /* optional tail (S~ lines) after it */
    int line;                   /* first line of the segment */
    int action;                 /* tr_action ending the segment */
    int action_line;
    uint64_t tick;
    int tls_ok;                 /* ACT_TLS: the handshake result */
    tr_expect ex;
} tr_segment;

typedef struct tr_outline {
    size_t off;                 /* where the S line's bytes start in sout */
    int line;
} tr_outline;

typedef struct tr_user {
    char name[64];
    unsigned char *secret;
    size_t secret_len;
    int verify;
    int32_t login_delay, expire;
    mock_msg *msgs;
    uint32_t nmsgs, cap;
    unsigned char salt[64], stored_key[32], server_key[32];
    size_t salt_len, stored_len, server_len;
    uint32_t iterations;
    char authz[256];            /* "" when none */
} tr_user;

typedef struct tr_token {
    unsigned char *token;       /* a blob */
    size_t len;
    char user[64];
} tr_token;

struct transcript {
    char name[256];
    pop3_config cfg;
    char greeting[256], implementation[256];
    char host_mechs[256], hostname[128];
    pop3_connection conn;
    char apop[256];
    tr_user users[MOCK_MAX_USERS];
    unsigned nusers;
    mock_fail fails[MOCK_MAX_FAILS];
    unsigned nfails;
    size_t read_chunk;
    uint32_t random_start;
    tr_token tokens[MOCK_MAX_TOKENS];
    unsigned ntokens;
    char bearer_error[512];
    int have_bearer_error;
    char external[64];
    int have_external;
    tr_buf cin, sout;
    tr_segment *segs;
    size_t nsegs, segcap;
    tr_outline *lines;
    size_t nlines, linecap;
    size_t secret_off[MOCK_MAX_SECRETS], secret_len[MOCK_MAX_SECRETS];
    unsigned char secret_is_pass[MOCK_MAX_SECRETS];
    unsigned nsecrets;
    void **blobs;
    size_t nblobs, blobcap;
    int expects_fatal;
};

const char *transcript_name(const transcript *t)
{
    return t->name;
}

static void *keep_blob(transcript *t, size_t n)
{
    if (t->nblobs == t->blobcap) {
        size_t cap = t->blobcap ? t->blobcap * 2 : 16;
        void **b = realloc(t->blobs, cap * sizeof *b);
        if (b == NULL)
            return NULL;
        t->blobs = b;
        t->blobcap = cap;
    }
    void *p = malloc(n ? n : 1);
    if (p)
        t->blobs[t->nblobs++] = p;
    return p;
}

void transcript_free(transcript *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nblobs; i++)
        free(t->blobs[i]);
    for (unsigned i = 0; i < t->nusers; i++)
        free(t->users[i].msgs);
    free(t->blobs);
    free(t->cin.p);
    free(t->sout.p);
    free(t->segs);
    free(t->lines);
    free(t);
}

/* ------------------------------------------------------------------------
 * Escapes
 * ---------------------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long transcript_unescape(const char *in, size_t len, unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c != '\\') {
            out[o++] = c;
            continue;
        }
        if (++i >= len)
            return -1;
        switch (in[i]) {
        case 'r': out[o++] = '\r'; break;
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case '0': out[o++] = '\0'; break;
        case '\\': out[o++] = '\\'; break;
        case '"': out[o++] = '"'; break;
        case 'x': {
            if (i + 2 >= len)
                return -1;
            int h = hexval((unsigned char)in[i + 1]);
            int l = hexval((unsigned char)in[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            out[o++] = (unsigned char)(h * 16 + l);
            i += 2;
            break;
        }
        default:
            return -1;
        }
    }
    return (long)o;
}

void transcript_escape(const void *in, size_t len, char *out, size_t outcap)
{
    const unsigned char *p = in;
    size_t o = 0;
    if (outcap == 0)
        return;
    for (size_t i = 0; i < len; i++) {
        char tmp[8];
        unsigned char c = p[i];
        switch (c) {
        case '\r': strcpy(tmp, "\\r"); break;
        case '\n': strcpy(tmp, "\\n"); break;
        case '\t': strcpy(tmp, "\\t"); break;
        case '\\': strcpy(tmp, "\\\\"); break;
        case '"': strcpy(tmp, "\\\""); break;
        default:
            if (c < 0x20 || c >= 0x7f)
                snprintf(tmp, sizeof tmp, "\\x%02x", c);
            else {
                tmp[0] = (char)c;
                tmp[1] = '\0';
            }
        }
        size_t tl = strlen(tmp);
        if (o + tl + 4 >= outcap) {
            if (o + 4 < outcap)
                memcpy(out + o, "...", 3), o += 3;
            break;
        }
        memcpy(out + o, tmp, tl);
        o += tl;
    }
    out[o] = '\0';
}

/* ------------------------------------------------------------------------
 * Parser
 * ---------------------------------------------------------------------- */

typedef struct parser {
    transcript *t;
    int line;
    char *err;
    size_t errlen;
    tr_segment cur;
    int cur_has_opt;
    int eof_seen;
    int closed_seen;            /* ABORT */
    int after_challenge;        /* the last S line was a "+ " challenge */
    uint64_t last_tick;
} parser;

static int perr(parser *ps, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int perr(parser *ps, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(ps->err, ps->errlen, "%s: line %d: %s", ps->t->name, ps->line,
             msg);
    return -1;
}

/* Next token: a run of non-blanks in which "..." may hold blanks. */
static int next_token(const char **pp, const char *end, const char **tok,
                      size_t *toklen)
{
    const char *p = *pp;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p == end)
        return 0;
    const char *s = p;
    int q = 0;
    while (p < end && (q || (*p != ' ' && *p != '\t'))) {
        if (*p == '\\' && q && p + 1 < end)
            p++;
        else if (*p == '"')
            q = !q;
        p++;
    }
    *tok = s;
    *toklen = (size_t)(p - s);
    *pp = p;
    return 1;
}

static int tok_is(const char *tok, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(tok, word, n) == 0;
}

/* Parse a bytes expression: "..." ["*" N] ... into out. */
static int parse_bytes(parser *ps, const char *p, const char *end, tr_buf *out)
{
    int any = 0;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p == end)
            break;
        if (*p != '"')
            return perr(ps, "expected a quoted string");
        const char *s = ++p;
        while (p < end && *p != '"') {
            if (*p == '\\')
                p++;
            p++;
        }
        if (p >= end)
            return perr(ps, "unterminated string");
        size_t raw = (size_t)(p - s);
        p++;
        unsigned long rep = 1;
        if (p < end && *p == '*') {
            char *e;
            p++;
            errno = 0;
            rep = strtoul(p, &e, 10);
            if (e == p || errno || rep > 1000000)
                return perr(ps, "bad repeat count");
            p = e;
        }
        unsigned char *tmp = malloc(raw ? raw : 1);
        if (tmp == NULL)
            return perr(ps, "out of memory");
        long n = transcript_unescape(s, raw, tmp);
        if (n < 0) {
            free(tmp);
            return perr(ps, "bad escape in string");
        }
        for (unsigned long i = 0; i < rep; i++)
            if (buf_add(out, tmp, (size_t)n) != 0) {
                free(tmp);
                return perr(ps, "out of memory");
            }
        free(tmp);
        any = 1;
    }
    if (!any)
        return perr(ps, "expected a quoted string");
    return 0;
}

/* A value: bare token or one quoted string, decoded into buf (NUL added;
 * *len excludes it). */
static int parse_value(parser *ps, const char *v, size_t vl, char *buf,
                       size_t cap, size_t *len)
{
    if (vl > 0 && v[0] == '"') {
        if (vl < 2 || v[vl - 1] != '"')
            return perr(ps, "bad quoted value");
        if (vl - 2 >= cap)
            return perr(ps, "value too long");
        long n = transcript_unescape(v + 1, vl - 2, (unsigned char *)buf);
        if (n < 0)
            return perr(ps, "bad escape in value");
        buf[n] = '\0';
        if (len)
            *len = (size_t)n;
        return 0;
    }
    if (vl >= cap)
        return perr(ps, "value too long");
    memcpy(buf, v, vl);
    buf[vl] = '\0';
    if (len)
        *len = vl;
    return 0;
}

static int parse_u64(parser *ps, const char *v, size_t vl, uint64_t *out)
{
    char tmp[32];
    if (vl == 0 || vl >= sizeof tmp)
        return perr(ps, "bad number");
    memcpy(tmp, v, vl);
    tmp[vl] = '\0';
    for (size_t i = 0; i < vl; i++)
        if (!isdigit((unsigned char)tmp[i]))
            return perr(ps, "bad number '%s'", tmp);
    errno = 0;
    unsigned long long x = strtoull(tmp, NULL, 10);
    if (errno)
        return perr(ps, "number out of range '%s'", tmp);
    *out = x;
    return 0;
}

static int parse_i32(parser *ps, const char *v, size_t vl, int32_t *out)
{
    if (tok_is(v, vl, "NEVER")) {
        *out = POP3_EXPIRE_NEVER;
        return 0;
    }
    if (tok_is(v, vl, "NOT_ADVERTISED")) {
        *out = POP3_NOT_ADVERTISED;
        return 0;
    }
    int neg = vl > 0 && v[0] == '-';
    uint64_t x;
    if (parse_u64(ps, v + neg, vl - (size_t)neg, &x) != 0)
        return -1;
    if (x > 0x7fffffff)
        return perr(ps, "number out of range");
    *out = neg ? -(int32_t)x : (int32_t)x;
    return 0;
}

static int split_kv(const char *tok, size_t n, const char **k, size_t *kl,
                    const char **v, size_t *vl)
{
    const char *eq = memchr(tok, '=', n);
    if (eq == NULL)
        return 0;
    *k = tok;
    *kl = (size_t)(eq - tok);
    *v = eq + 1;
    *vl = n - *kl - 1;
    return 1;
}

static const struct {
    const char *name;
    unsigned bit;
} flag_names[] = {
    {"STRICT_CRLF", POP3_CFG_STRICT_CRLF},
    {"LENIENT_SPACES", POP3_CFG_LENIENT_SPACES},
    {"CLOSE_ON_LONG_LINE", POP3_CFG_CLOSE_ON_LONG_LINE},
    {"AUTOLOGOUT_REPLY", POP3_CFG_AUTOLOGOUT_REPLY},
    {"ALLOW_PLAINTEXT", POP3_CFG_ALLOW_PLAINTEXT},
    {"NO_RESP_CODES", POP3_CFG_NO_RESP_CODES},
    {"NO_PIPELINING", POP3_CFG_NO_PIPELINING},
    {"TOP_ADD_BLANK", POP3_CFG_TOP_ADD_BLANK},
    {"ENABLE_LAST", POP3_CFG_ENABLE_LAST},
    {"UIDL_STRICT", POP3_CFG_UIDL_STRICT},
    {"AUTH_LIST", POP3_CFG_AUTH_LIST},
    {"ALLOW_AUTHZID", POP3_CFG_ALLOW_AUTHZID},
    {"UTF8", POP3_CFG_UTF8},
    {"UTF8_USER", POP3_CFG_UTF8_USER},
    {"UTF8_IN_TRANSACTION", POP3_CFG_UTF8_IN_TRANSACTION},
    {"LANG", POP3_CFG_LANG},
    {"MAP_NUL", POP3_CFG_MAP_NUL},
};

/* sasl_mechs= names: the SASL names (a '_' may stand for '-'), "HOST"
 * for POP3_SASL_HOST, "none" for no mechanism. */
static const struct {
    const char *name;
    unsigned bit;
} mech_names[] = {
    {"PLAIN", POP3_SASL_PLAIN},
    {"LOGIN", POP3_SASL_LOGIN},
    {"CRAM-MD5", POP3_SASL_CRAM_MD5},
    {"SCRAM-SHA-1", POP3_SASL_SCRAM_SHA_1},
    {"SCRAM-SHA-256", POP3_SASL_SCRAM_SHA_256},
    {"OAUTHBEARER", POP3_SASL_OAUTHBEARER},
    {"XOAUTH2", POP3_SASL_XOAUTH2},
    {"EXTERNAL", POP3_SASL_EXTERNAL},
    {"HOST", POP3_SASL_HOST},
    {"none", 0},
};

static int parse_mechs(parser *ps, const char *v, size_t vl, unsigned *out)
{
    const char *end = v + vl;
    *out = 0;
    while (v < end) {
        const char *c = memchr(v, ',', (size_t)(end - v));
        size_t n = c ? (size_t)(c - v) : (size_t)(end - v);
        char name[32];
        size_t i;
        if (n == 0 || n >= sizeof name)
            return perr(ps, "bad mechanism list");
        for (i = 0; i < n; i++)
            name[i] = v[i] == '_' ? '-' : v[i];
        name[n] = '\0';
        for (i = 0; i < sizeof mech_names / sizeof mech_names[0]; i++)
            if (strcmp(name, mech_names[i].name) == 0)
                break;
        if (i == sizeof mech_names / sizeof mech_names[0])
            return perr(ps, "unknown mechanism '%s'", name);
        *out |= mech_names[i].bit;
        v += n + (c ? 1 : 0);
    }
    return 0;
}

/* Strict base64 (RFC 4648, padded) for fixture values; -1 if invalid. */
static long b64_decode(const char *in, size_t len, unsigned char *out,
                       size_t cap)
{
    static const char a[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    if (len % 4)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        uint32_t v = 0;
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            const char *p;
            if (in[i + k] == '=' && i + 4 == len && k >= 2) {
                pad++;
                v <<= 6;
                continue;
            }
            if (pad || in[i + k] == '\0' ||
                (p = strchr(a, in[i + k])) == NULL)
                return -1;
            v = (v << 6) | (uint32_t)(p - a);
        }
        size_t n = 3 - (size_t)pad;
        if (o + n > cap)
            return -1;
        out[o++] = (unsigned char)(v >> 16);
        if (n > 1)
            out[o++] = (unsigned char)(v >> 8);
        if (n > 2)
            out[o++] = (unsigned char)v;
    }
    return (long)o;
}

static int parse_flags(parser *ps, const char *v, size_t vl, unsigned *out)
{
    const char *end = v + vl;
    while (v < end) {
        const char *c = memchr(v, ',', (size_t)(end - v));
        size_t n = c ? (size_t)(c - v) : (size_t)(end - v);
        size_t i;
        for (i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
            if (tok_is(v, n, flag_names[i].name))
                break;
        if (i == sizeof flag_names / sizeof flag_names[0])
            return perr(ps, "unknown flag '%.*s'", (int)n, v);
        *out |= flag_names[i].bit;
        v += n + (c ? 1 : 0);
    }
    return 0;
}

static int parse_config(parser *ps, const char *p, const char *end)
{
    transcript *t = ps->t;
    const char *tok;
    size_t tl;
    while (next_token(&p, end, &tok, &tl)) {
        const char *k, *v;
        size_t kl, vl;
        uint64_t x = 0;
        if (!split_kv(tok, tl, &k, &kl, &v, &vl))
            return perr(ps, "config wants key=value");
#define U32(field)                                                         \
        if (tok_is(k, kl, #field)) {                                       \
            if (parse_u64(ps, v, vl, &x) != 0) return -1;                  \
            if (x > 0xffffffffu) return perr(ps, "out of range");          \
            t->cfg.field = (uint32_t)x;                                    \
            continue;                                                      \
        }
        U32(max_line)
        U32(in_buf_size)
        U32(out_buf_size)
        U32(max_bad_commands_auth)
        U32(max_bad_commands_trans)
        U32(max_auth_failures)
        U32(auth_fail_delay_ms)
        U32(idle_timeout_ms)
        U32(auth_timeout_ms)
        U32(max_auth_line)
#undef U32
        if (tok_is(k, kl, "flags")) {
            if (parse_flags(ps, v, vl, &t->cfg.flags) != 0)
                return -1;
        } else if (tok_is(k, kl, "greeting")) {
            if (parse_value(ps, v, vl, t->greeting, sizeof t->greeting,
                            NULL) != 0)
                return -1;
            t->cfg.greeting = t->greeting;
        } else if (tok_is(k, kl, "implementation")) {
            if (parse_value(ps, v, vl, t->implementation,
                            sizeof t->implementation, NULL) != 0)
                return -1;
            t->cfg.implementation = t->implementation;
        } else if (tok_is(k, kl, "sasl_mechs")) {
            if (parse_mechs(ps, v, vl, &t->cfg.sasl_mechs) != 0)
                return -1;
        } else if (tok_is(k, kl, "host_mechs")) {
            if (parse_value(ps, v, vl, t->host_mechs, sizeof t->host_mechs,
                            NULL) != 0)
                return -1;
            t->cfg.host_mechs = t->host_mechs;
        } else if (tok_is(k, kl, "hostname")) {
            if (parse_value(ps, v, vl, t->hostname, sizeof t->hostname,
                            NULL) != 0)
                return -1;
            t->cfg.hostname = t->hostname;
        } else if (tok_is(k, kl, "login_delay")) {
            if (parse_i32(ps, v, vl, &t->cfg.login_delay) != 0)
                return -1;
        } else if (tok_is(k, kl, "expire")) {
            if (parse_i32(ps, v, vl, &t->cfg.expire) != 0)
                return -1;
        } else if (tok_is(k, kl, "login_delay_per_user")) {
            if (parse_u64(ps, v, vl, &x) != 0)
                return -1;
            t->cfg.login_delay_per_user = x != 0;
        } else if (tok_is(k, kl, "expire_per_user")) {
            if (parse_u64(ps, v, vl, &x) != 0)
                return -1;
            t->cfg.expire_per_user = x != 0;
        } else {
            return perr(ps, "unknown config key '%.*s'", (int)kl, k);
        }
    }
    return 0;
}

static int parse_conn(parser *ps, const char *p, const char *end)
{
    transcript *t = ps->t;
    const char *tok;
    size_t tl;
    while (next_token(&p, end, &tok, &tl)) {
        const char *k, *v;
        size_t kl, vl;
        if (tok_is(tok, tl, "protected"))
            t->conn.flags |= POP3_CONN_PROTECTED;
        else if (tok_is(tok, tl, "tls"))
            t->conn.flags |= POP3_CONN_TLS_ACTIVE;
        else if (tok_is(tok, tl, "tls-available"))
            t->conn.flags |= POP3_CONN_TLS_AVAILABLE;
        else if (split_kv(tok, tl, &k, &kl, &v, &vl) && tok_is(k, kl, "now")) {
            if (parse_u64(ps, v, vl, &t->conn.now_ms) != 0)
                return -1;
            ps->last_tick = t->conn.now_ms;
        } else if (split_kv(tok, tl, &k, &kl, &v, &vl) &&
                   tok_is(k, kl, "apop")) {
            if (parse_value(ps, v, vl, t->apop, sizeof t->apop, NULL) != 0)
                return -1;
            t->conn.apop_timestamp = t->apop;
        } else {
            return perr(ps, "unknown conn word '%.*s'", (int)tl, tok);
        }
    }
    return 0;
}

static tr_user *find_tuser(transcript *t, const char *name, size_t n)
{
    for (unsigned i = 0; i < t->nusers; i++)
        if (strlen(t->users[i].name) == n &&
            memcmp(t->users[i].name, name, n) == 0)
            return &t->users[i];
    return NULL;
}

static int parse_user(parser *ps, const char *p, const char *end)
{
    transcript *t = ps->t;
    const char *tok;
    size_t tl;
    if (!next_token(&p, end, &tok, &tl))
        return perr(ps, "user wants a name");
    if (t->nusers >= MOCK_MAX_USERS)
        return perr(ps, "too many users");
    tr_user *u = &t->users[t->nusers];
    memset(u, 0, sizeof *u);
    if (parse_value(ps, tok, tl, u->name, sizeof u->name, NULL) != 0)
        return -1;
    if (find_tuser(t, u->name, strlen(u->name)))
        return perr(ps, "user '%s' given twice", u->name);
    u->login_delay = POP3_NOT_ADVERTISED;
    u->expire = POP3_NOT_ADVERTISED;
    u->iterations = 4096;
    while (next_token(&p, end, &tok, &tl)) {
        const char *k, *v;
        size_t kl, vl;
        if (tok_is(tok, tl, "verify")) {
            u->verify = 1;
            continue;
        }
        if (!split_kv(tok, tl, &k, &kl, &v, &vl))
            return perr(ps, "user: unknown word '%.*s'", (int)tl, tok);
        if (tok_is(k, kl, "secret") || tok_is(k, kl, "password")) {
            char tmp[1024];
            size_t n;
            if (parse_value(ps, v, vl, tmp, sizeof tmp, &n) != 0)
                return -1;
            u->secret = keep_blob(t, n);
            if (u->secret == NULL)
                return perr(ps, "out of memory");
            memcpy(u->secret, tmp, n);
            u->secret_len = n;
            if (tok_is(k, kl, "password"))
                u->verify = 1;
        } else if (tok_is(k, kl, "salt") || tok_is(k, kl, "stored_key") ||
                   tok_is(k, kl, "server_key")) {
            unsigned char *dst = tok_is(k, kl, "salt") ? u->salt
                                 : tok_is(k, kl, "stored_key") ? u->stored_key
                                                              : u->server_key;
            size_t cap = tok_is(k, kl, "salt") ? sizeof u->salt : 32;
            long n = b64_decode(v, vl, dst, cap);
            if (n <= 0)
                return perr(ps, "user: %.*s wants base64 (at most %zu octets)",
                            (int)kl, k, cap);
            if (tok_is(k, kl, "salt"))
                u->salt_len = (size_t)n;
            else if (tok_is(k, kl, "stored_key"))
                u->stored_len = (size_t)n;
            else
                u->server_len = (size_t)n;
        } else if (tok_is(k, kl, "iterations")) {
            uint64_t x;
            if (parse_u64(ps, v, vl, &x) != 0)
                return -1;
            if (x == 0 || x > 0xffffffffu)
                return perr(ps, "iterations out of range");
            u->iterations = (uint32_t)x;
        } else if (tok_is(k, kl, "authz")) {
            if (parse_value(ps, v, vl, u->authz, sizeof u->authz, NULL) != 0)
                return -1;
        } else if (tok_is(k, kl, "login_delay")) {
            if (parse_i32(ps, v, vl, &u->login_delay) != 0)
                return -1;
        } else if (tok_is(k, kl, "expire")) {
            if (parse_i32(ps, v, vl, &u->expire) != 0)
                return -1;
        } else {
            return perr(ps, "user: unknown key '%.*s'", (int)kl, k);
        }
    }
    if ((u->stored_len || u->server_len) &&
        (u->stored_len != u->server_len ||
         (u->stored_len != 20 && u->stored_len != 32) || !u->salt_len))
        return perr(ps, "user: stored_key and server_key want 20 or 32 "
                    "octets each, and a salt");
    t->nusers++;
    return 0;
}

static int parse_msg(parser *ps, const char *p, const char *end)
{
    transcript *t = ps->t;
    const char *tok;
    size_t tl;
    if (!next_token(&p, end, &tok, &tl))
        return perr(ps, "msg wants a user");
    tr_user *u = find_tuser(t, tok, tl);
    if (u == NULL)
        return perr(ps, "msg for unknown user '%.*s'", (int)tl, tok);
    char uid[512];
    size_t uid_len = 0;
    int have_uid = 0, have_size = 0, needs_utf8 = 0;
    uint64_t size = 0;
    for (;;) {
        const char *save = p;
        if (!next_token(&p, end, &tok, &tl))
            return perr(ps, "msg wants the message as a quoted string");
        if (tok[0] == '"') {
            p = save;
            break;
        }
        if (tok_is(tok, tl, "utf8")) {
            needs_utf8 = 1;
            continue;
        }
        const char *k, *v;
        size_t kl, vl;
        if (!split_kv(tok, tl, &k, &kl, &v, &vl))
            return perr(ps, "msg: unknown word '%.*s'", (int)tl, tok);
        if (tok_is(k, kl, "uid")) {
            if (parse_value(ps, v, vl, uid, sizeof uid, &uid_len) != 0)
                return -1;
            have_uid = 1;
        } else if (tok_is(k, kl, "size")) {
            if (parse_u64(ps, v, vl, &size) != 0)
                return -1;
            have_size = 1;
        } else {
            return perr(ps, "msg: unknown key '%.*s'", (int)kl, k);
        }
    }
    tr_buf raw = {0};
    if (parse_bytes(ps, p, end, &raw) != 0) {
        free(raw.p);
        return -1;
    }
    if (u->nmsgs == u->cap) {
        uint32_t cap = u->cap ? u->cap * 2 : 8;
        mock_msg *m = realloc(u->msgs, cap * sizeof *m);
        if (m == NULL) {
            free(raw.p);
            return perr(ps, "out of memory");
        }
        u->msgs = m;
        u->cap = cap;
    }
    if (!have_uid)
        uid_len = (size_t)snprintf(uid, sizeof uid, "uid%u", u->nmsgs + 1);
    unsigned char *rb = keep_blob(t, raw.len);
    char *ub = keep_blob(t, uid_len);
    if (rb == NULL || ub == NULL) {
        free(raw.p);
        return perr(ps, "out of memory");
    }
    if (raw.len)
        memcpy(rb, raw.p, raw.len);
    free(raw.p);
    memcpy(ub, uid, uid_len);
    mock_msg *m = &u->msgs[u->nmsgs++];
    mock_msg_set(m, rb, raw.len, ub, uid_len);
    if (have_size)
        m->size = size;
    m->needs_utf8 = needs_utf8;
    return 0;
}

/* random start=N */
static int parse_random(parser *ps, const char *p, const char *end)
{
    const char *tok, *k, *v;
    size_t tl, kl, vl;
    uint64_t x;
    while (next_token(&p, end, &tok, &tl)) {
        if (!split_kv(tok, tl, &k, &kl, &v, &vl) || !tok_is(k, kl, "start"))
            return perr(ps, "random: unknown word '%.*s'", (int)tl, tok);
        if (parse_u64(ps, v, vl, &x) != 0)
            return -1;
        if (x > 255)
            return perr(ps, "random start is an octet (0-255)");
        ps->t->random_start = (uint32_t)x;
    }
    return 0;
}

/* token TOKEN user=NAME: a valid bearer token (a bare word or a quoted
 * string). */
static int parse_token(parser *ps, const char *p, const char *end)
{
    transcript *t = ps->t;
    const char *tok, *k, *v;
    size_t tl, kl, vl, n;
    char tmp[4096];
    if (t->ntokens >= MOCK_MAX_TOKENS)
        return perr(ps, "too many tokens");
    tr_token *tk = &t->tokens[t->ntokens];
    memset(tk, 0, sizeof *tk);
    if (!next_token(&p, end, &tok, &tl))
        return perr(ps, "token wants the token");
    if (parse_value(ps, tok, tl, tmp, sizeof tmp, &n) != 0)
        return -1;
    if (n < 4)
        return perr(ps, "token: at least 4 octets (it is checked as a "
                    "secret)");
    tk->token = keep_blob(t, n);
    if (tk->token == NULL)
        return perr(ps, "out of memory");
    memcpy(tk->token, tmp, n);
    tk->len = n;
    while (next_token(&p, end, &tok, &tl)) {
        if (!split_kv(tok, tl, &k, &kl, &v, &vl) || !tok_is(k, kl, "user"))
            return perr(ps, "token: unknown word '%.*s'", (int)tl, tok);
        if (parse_value(ps, v, vl, tk->user, sizeof tk->user, NULL) != 0)
            return -1;
    }
    if (!tk->user[0])
        return perr(ps, "token wants user=NAME");
    t->ntokens++;
    return 0;
}

/* bearer-error JSON / external NAME: one value. */
static int parse_one_value(parser *ps, const char *p, const char *end,
                           char *buf, size_t cap, int *have)
{
    const char *tok, *extra;
    size_t tl, xl;
    if (!next_token(&p, end, &tok, &tl))
        return perr(ps, "a value is wanted");
    if (parse_value(ps, tok, tl, buf, cap, NULL) != 0)
        return -1;
    if (next_token(&p, end, &extra, &xl))
        return perr(ps, "one value only (quote blanks)");
    *have = 1;
    return 0;
}

static const char *const op_words[MOCK_OP_COUNT] = {
    "auth", "open", "info", "read", "commit", "sasl"
};

static int parse_fail(parser *ps, const char *p, const char *end)
{
    transcript *t = ps->t;
    const char *tok;
    size_t tl;
    if (t->nfails >= MOCK_MAX_FAILS)
        return perr(ps, "too many fail rules");
    mock_fail *f = &t->fails[t->nfails];
    memset(f, 0, sizeof *f);
    f->at = 1;
    if (!next_token(&p, end, &tok, &tl))
        return perr(ps, "fail wants an operation");
    f->op = -1;
    for (int i = 0; i < MOCK_OP_COUNT; i++)
        if (tok_is(tok, tl, op_words[i]))
            f->op = i;
    if (f->op < 0)
        return perr(ps, "fail: unknown operation '%.*s'", (int)tl, tok);
    int have_result = 0;
    while (next_token(&p, end, &tok, &tl)) {
        const char *k, *v;
        size_t kl, vl;
        uint64_t x;
        if (isdigit((unsigned char)tok[0])) {
            if (parse_u64(ps, tok, tl, &x) != 0)
                return -1;
            f->msgno = (uint32_t)x;
        } else if (split_kv(tok, tl, &k, &kl, &v, &vl)) {
            if (parse_u64(ps, v, vl, &x) != 0)
                return -1;
            if (tok_is(k, kl, "at"))
                f->at = (uint32_t)x;
            else if (tok_is(k, kl, "times"))
                f->times = (uint32_t)x;
            else
                return perr(ps, "fail: unknown key '%.*s'", (int)kl, k);
        } else {
            char name[32];
            if (parse_value(ps, tok, tl, name, sizeof name, NULL) != 0)
                return -1;
            f->result = mock_result_parse(name);
            if (f->result == -2)
                return perr(ps, "fail: unknown result '%s'", name);
            have_result = 1;
        }
    }
    if (!have_result)
        return perr(ps, "fail wants a result");
    t->nfails++;
    return 0;
}

static int parse_backend(parser *ps, const char *p, const char *end)
{
    const char *tok;
    size_t tl;
    while (next_token(&p, end, &tok, &tl)) {
        const char *k, *v;
        size_t kl, vl;
        uint64_t x;
        if (!split_kv(tok, tl, &k, &kl, &v, &vl) || !tok_is(k, kl, "chunk"))
            return perr(ps, "backend: unknown word '%.*s'", (int)tl, tok);
        if (parse_u64(ps, v, vl, &x) != 0)
            return -1;
        ps->t->read_chunk = (size_t)x;
    }
    return 0;
}

static int lookup_name(const char *tok, size_t tl, const char *const *names,
                       int n)
{
    for (int i = 0; i < n; i++)
        if (names[i] && tok_is(tok, tl, names[i]))
            return i;
    return -1;
}

static const char *const limit_names[] = {
    NULL, "LINE_LENGTH", "BAD_COMMANDS", "AUTH_FAILURES", "IDLE_TIMEOUT"
};
static const char *const reason_names[] = {
    NULL, "QUIT", "EOF", "TIMEOUT", "LIMIT", "ABORT", "ERROR", "TLS_FAILED"
};

static int parse_expect(parser *ps, const char *p, const char *end,
                        tr_expect *ex)
{
    const char *tok, *arg;
    size_t tl, al;
    memset(ex, 0, sizeof *ex);
    if (!next_token(&p, end, &tok, &tl))
        return perr(ps, "expect what?");
    int has_arg = next_token(&p, end, &arg, &al);
    const char *extra;
    size_t xl;
    if (has_arg && next_token(&p, end, &extra, &xl))
        return perr(ps, "expect: too many words");
    if (tok_is(tok, tl, "closed") || tok_is(tok, tl, "open") ||
        tok_is(tok, tl, "no-commit") || tok_is(tok, tl, "no-deadline")) {
        if (has_arg)
            return perr(ps, "expect %.*s takes no argument", (int)tl, tok);
        ex->kind = tok_is(tok, tl, "closed") ? EX_CLOSED
                   : tok_is(tok, tl, "open") ? EX_OPEN
                   : tok_is(tok, tl, "no-commit") ? EX_NO_COMMIT
                   : EX_NO_DEADLINE;
        return 0;
    }
    if (!has_arg)
        return perr(ps, "expect %.*s wants an argument", (int)tl, tok);
    if (tok_is(tok, tl, "state")) {
        ex->kind = EX_STATE;
        ex->ival = -1;
        for (int i = POP3_STATE_INIT; i <= POP3_STATE_CLOSED; i++)
            if (tok_is(arg, al, pop3_state_name(i)))
                ex->ival = i;
        if (ex->ival < 0)
            return perr(ps, "unknown state '%.*s'", (int)al, arg);
    } else if (tok_is(tok, tl, "commit")) {
        ex->kind = EX_COMMIT;
        if (tok_is(arg, al, "nothing"))
            return 0;
        const char *a = arg, *e = arg + al;
        while (a < e) {
            const char *c = memchr(a, ',', (size_t)(e - a));
            size_t n = c ? (size_t)(c - a) : (size_t)(e - a);
            uint64_t x;
            if (parse_u64(ps, a, n, &x) != 0)
                return -1;
            if (ex->nlist >= MOCK_MAX_RECORDED)
                return perr(ps, "too many message numbers");
            ex->list[ex->nlist++] = (uint32_t)x;
            a += n + (c ? 1 : 0);
        }
    } else if (tok_is(tok, tl, "maildrop-close")) {
        ex->kind = EX_MDCLOSE;
        if (tok_is(arg, al, "committed"))
            ex->ival = MD_COMMITTED;
        else if (tok_is(arg, al, "uncommitted"))
            ex->ival = MD_UNCOMMITTED;
        else if (tok_is(arg, al, "none"))
            ex->ival = MD_NONE;
        else
            return perr(ps, "maildrop-close committed|uncommitted|none");
    } else if (tok_is(tok, tl, "fatal")) {
        ex->kind = EX_FATAL;
        ex->ival = 1;
        for (int c = POP3_E_INVALID; c > POP3_ERROR_LAST_; c--)
            if (tok_is(arg, al, pop3_error_name(c)))
                ex->ival = c;
        if (ex->ival == 1 || ex->ival > POP3_E_FATAL)
            return perr(ps, "unknown fatal code '%.*s'", (int)al, arg);
        ps->t->expects_fatal = 1;
    } else if (tok_is(tok, tl, "limit")) {
        ex->kind = EX_LIMIT;
        ex->ival = lookup_name(arg, al, limit_names, 5);
        if (ex->ival < 0)
            return perr(ps, "unknown limit '%.*s'", (int)al, arg);
    } else if (tok_is(tok, tl, "close-reason")) {
        ex->kind = EX_CLOSE_REASON;
        ex->ival = lookup_name(arg, al, reason_names, 8);
        if (ex->ival < 0)
            return perr(ps, "unknown close reason '%.*s'", (int)al, arg);
    } else if (tok_is(tok, tl, "deadline")) {
        ex->kind = EX_DEADLINE;
        if (parse_u64(ps, arg, al, &ex->u64) != 0)
            return -1;
    } else if (tok_is(tok, tl, "user")) {
        ex->kind = EX_USER;
        if (parse_value(ps, arg, al, ex->str, sizeof ex->str, NULL) != 0)
            return -1;
    } else if (tok_is(tok, tl, "auth-calls") || tok_is(tok, tl, "sasl-steps")) {
        ex->kind = tok_is(tok, tl, "auth-calls") ? EX_AUTH_CALLS
                                                 : EX_SASL_STEPS;
        if (parse_u64(ps, arg, al, &ex->u64) != 0)
            return -1;
    } else if (tok_is(tok, tl, "logins-ok") || tok_is(tok, tl, "logins-failed")) {
        ex->kind = tok_is(tok, tl, "logins-ok") ? EX_LOGINS_OK : EX_LOGINS_FAILED;
        if (parse_u64(ps, arg, al, &ex->u64) != 0)
            return -1;
    } else if (tok_is(tok, tl, "utf8")) {
        ex->kind = EX_UTF8;
        if (tok_is(arg, al, "on"))
            ex->ival = 1;
        else if (tok_is(arg, al, "off"))
            ex->ival = 0;
        else
            return perr(ps, "expect utf8 on|off");
    } else {
        return perr(ps, "unknown expectation '%.*s'", (int)tl, tok);
    }
    return 0;
}

static int add_outline(parser *ps)
{
    transcript *t = ps->t;
    if (t->nlines == t->linecap) {
        size_t cap = t->linecap ? t->linecap * 2 : 64;
        tr_outline *l = realloc(t->lines, cap * sizeof *l);
        if (l == NULL)
            return perr(ps, "out of memory");
        t->lines = l;
        t->linecap = cap;
    }
    t->lines[t->nlines].off = t->sout.len;
    t->lines[t->nlines].line = ps->line;
    t->nlines++;
    return 0;
}

/* Close the current segment with an action and open the next one. */
static int end_segment(parser *ps, int action)
{
    transcript *t = ps->t;
    if (t->nsegs == t->segcap) {
        size_t cap = t->segcap ? t->segcap * 2 : 16;
        tr_segment *s = realloc(t->segs, cap * sizeof *s);
        if (s == NULL)
            return perr(ps, "out of memory");
        t->segs = s;
        t->segcap = cap;
    }
    ps->cur.action = action;
    ps->cur.action_line = ps->line;
    t->segs[t->nsegs++] = ps->cur;
    memset(&ps->cur, 0, sizeof ps->cur);
    ps->cur.cin_off = t->cin.len;
    ps->cur.out_off = t->sout.len;
    ps->cur.line = ps->line + 1;
    ps->cur_has_opt = 0;
    return 0;
}

/* Client bytes [off, off+len) must never show in a trace event (and
 * with pass also not survive in freed session memory). */
static void add_secret(transcript *t, size_t off, size_t len, int pass)
{
    if (len < 4 || t->nsecrets >= MOCK_MAX_SECRETS - MOCK_MAX_TOKENS)
        return;
    t->secret_off[t->nsecrets] = off;
    t->secret_len[t->nsecrets] = len;
    t->secret_is_pass[t->nsecrets] = (unsigned char)pass;
    t->nsecrets++;
}

/* SASL secrets in the client lines just added at [from, cin.len): the
 * initial response of "AUTH mech ir", and every line answering a "+ "
 * challenge (the S line just before it in the fixture). */
static void note_sasl_secrets(parser *ps, size_t from)
{
    transcript *t = ps->t;
    const unsigned char *c = t->cin.p;
    size_t i = from;
    while (i < t->cin.len) {
        size_t e = i;
        while (e < t->cin.len && c[e] != '\n')
            e++;
        size_t le = e;
        if (le > i && c[le - 1] == '\r')
            le--;
        if (ps->after_challenge) {
            if (!(le - i == 1 && (c[i] == '*' || c[i] == '=')))
                add_secret(t, i, le - i, 1);
        } else if (le - i > 5 && (c[i] | 0x20) == 'a' &&
                   (c[i + 1] | 0x20) == 'u' && (c[i + 2] | 0x20) == 't' &&
                   (c[i + 3] | 0x20) == 'h' && c[i + 4] == ' ') {
            const unsigned char *sp = memchr(c + i + 5, ' ', le - i - 5);
            if (sp != NULL && !(le - (size_t)(sp + 1 - c) == 1 && sp[1] == '='))
                add_secret(t, (size_t)(sp + 1 - c), le - (size_t)(sp + 1 - c),
                           1);
        }
        ps->after_challenge = 0;
        i = e + 1;
    }
}

static int add_client(parser *ps, const char *p, const char *end, int raw)
{
    transcript *t = ps->t;
    size_t from = t->cin.len;
    if (ps->eof_seen)
        return perr(ps, "client bytes after EOF");
    if (ps->closed_seen)
        return perr(ps, "client bytes after ABORT");
    if (raw) {
        if (parse_bytes(ps, p, end, &t->cin) != 0)
            return -1;
    } else if (buf_add(&t->cin, p, (size_t)(end - p)) != 0 ||
               buf_add(&t->cin, "\r\n", 2) != 0) {
        return perr(ps, "out of memory");
    }
    ps->cur.cin_len = t->cin.len - ps->cur.cin_off;
    note_sasl_secrets(ps, from);
    return 0;
}

static int add_server(parser *ps, const char *p, const char *end, int raw,
                      int optional)
{
    transcript *t = ps->t;
    if (!optional && ps->cur_has_opt)
        return perr(ps, "S line after S~ lines in the same segment");
    if (add_outline(ps) != 0)
        return -1;
    size_t before = t->sout.len;
    if (raw) {
        if (parse_bytes(ps, p, end, &t->sout) != 0)
            return -1;
    } else if (buf_add(&t->sout, p, (size_t)(end - p)) != 0 ||
               buf_add(&t->sout, "\r\n", 2) != 0) {
        return perr(ps, "out of memory");
    }
    if (optional) {
        ps->cur_has_opt = 1;
        ps->cur.opt_len += t->sout.len - before;
    } else {
        ps->cur.out_len += t->sout.len - before;
    }
    /* Does the server's last line (so far) carry a SASL challenge? */
    size_t e = t->sout.len;
    if (e >= 2 && t->sout.p[e - 1] == '\n') {
        size_t ls = e - 1;
        while (ls > before && t->sout.p[ls - 1] != '\n')
            ls--;
        ps->after_challenge = e - ls >= 3 && t->sout.p[ls] == '+' &&
                              t->sout.p[ls + 1] == ' ';
    }
    return 0;
}

/* Remember PASS arguments and APOP digests the client sends: trace events
 * must never show them. */
static void collect_secrets(transcript *t)
{
    const unsigned char *c = t->cin.p;
    size_t n = t->cin.len, i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && c[e] != '\n')
            e++;
        size_t le = e;
        if (le > i && c[le - 1] == '\r')
            le--;
        size_t off = 0, len = 0;
        int pass = 0;
        if (le - i > 5 && (c[i] | 0x20) == 'p' && (c[i + 1] | 0x20) == 'a' &&
            (c[i + 2] | 0x20) == 's' && (c[i + 3] | 0x20) == 's' &&
            c[i + 4] == ' ') {
            off = i + 5;
            len = le - off;
            pass = 1;
        } else if (le - i > 5 && (c[i] | 0x20) == 'a' &&
                   (c[i + 1] | 0x20) == 'p' && (c[i + 2] | 0x20) == 'o' &&
                   (c[i + 3] | 0x20) == 'p' && c[i + 4] == ' ') {
            size_t s = le;
            while (s > i + 5 && c[s - 1] != ' ')
                s--;
            if (s > i + 5) {    /* a digest after the name */
                off = s;
                len = le - s;
            }
        }
        add_secret(t, off, len, pass);
        i = e + 1;
    }
}

transcript *transcript_parse(const char *text, size_t len, const char *name,
                             char *err, size_t errlen)
{
    transcript *t = calloc(1, sizeof *t);
    if (t == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(t->name, sizeof t->name, "%s", name ? name : "(fixture)");
    pop3_config_init(&t->cfg);
    t->cfg.auth_fail_delay_ms = 0;
    t->read_chunk = 0;

    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.t = t;
    ps.err = err;
    ps.errlen = errlen;
    ps.cur.line = 1;

    const char *p = text, *end = text + len;
    int setup_done = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        ps.line++;
        if (le > p && le[-1] == '\r')
            le--;
        const char *s = p;
        p = next;
        while (s < le && (*s == ' ' || *s == '\t'))
            s++;
        if (s == le || *s == '#')
            continue;
        const char *word = s;
        while (s < le && *s != ' ' && *s != '\t')
            s++;
        size_t wl = (size_t)(s - word);
        const char *rest = s;           /* with the separating blank */
        int rc = 0;
        int is_setup = tok_is(word, wl, "config") || tok_is(word, wl, "conn") ||
                       tok_is(word, wl, "user") || tok_is(word, wl, "msg") ||
                       tok_is(word, wl, "fail") || tok_is(word, wl, "backend") ||
                       tok_is(word, wl, "random") || tok_is(word, wl, "token") ||
                       tok_is(word, wl, "bearer-error") ||
                       tok_is(word, wl, "external");
        if (is_setup && setup_done) {
            rc = perr(&ps, "'%.*s' after the conversation began", (int)wl,
                      word);
        } else if (tok_is(word, wl, "config")) {
            rc = parse_config(&ps, rest, le);
        } else if (tok_is(word, wl, "conn")) {
            rc = parse_conn(&ps, rest, le);
        } else if (tok_is(word, wl, "user")) {
            rc = parse_user(&ps, rest, le);
        } else if (tok_is(word, wl, "msg")) {
            rc = parse_msg(&ps, rest, le);
        } else if (tok_is(word, wl, "fail")) {
            rc = parse_fail(&ps, rest, le);
        } else if (tok_is(word, wl, "backend")) {
            rc = parse_backend(&ps, rest, le);
        } else if (tok_is(word, wl, "random")) {
            rc = parse_random(&ps, rest, le);
        } else if (tok_is(word, wl, "token")) {
            rc = parse_token(&ps, rest, le);
        } else if (tok_is(word, wl, "bearer-error")) {
            rc = parse_one_value(&ps, rest, le, t->bearer_error,
                                 sizeof t->bearer_error,
                                 &t->have_bearer_error);
        } else if (tok_is(word, wl, "external")) {
            rc = parse_one_value(&ps, rest, le, t->external,
                                 sizeof t->external, &t->have_external);
        } else if (wl == 2 && (word[0] == 'C' || word[0] == 'S') &&
                   (word[1] == ':' || word[1] == '=')) {
            setup_done = 1;
            const char *body = rest;
            if (word[1] == ':') {
                /* "C: text": exactly one blank after the colon. */
                if (body < le)
                    body++;
            }
            if (word[0] == 'C')
                rc = add_client(&ps, body, le, word[1] == '=');
            else
                rc = add_server(&ps, body, le, word[1] == '=', 0);
        } else if (wl == 3 && word[0] == 'S' && word[1] == '~' &&
                   (word[2] == ':' || word[2] == '=')) {
            setup_done = 1;
            const char *body = rest;
            if (word[2] == ':' && body < le)
                body++;
            rc = add_server(&ps, body, le, word[2] == '=', 1);
        } else if (tok_is(word, wl, "T:")) {
            setup_done = 1;
            const char *tok;
            size_t tl;
            uint64_t ms;
            if (!next_token(&rest, le, &tok, &tl) ||
                parse_u64(&ps, tok, tl, &ms) != 0)
                rc = perr(&ps, "T: wants a time in ms");
            else if (ms < ps.last_tick)
                rc = perr(&ps, "time goes backwards");
            else {
                ps.last_tick = ms;
                ps.cur.tick = ms;
                rc = end_segment(&ps, ACT_TICK);
            }
        } else if (tok_is(word, wl, "TLS:")) {
            const char *tok;
            size_t tl;
            setup_done = 1;
            if (!next_token(&rest, le, &tok, &tl) ||
                !(tok_is(tok, tl, "ok") || tok_is(tok, tl, "fail")))
                rc = perr(&ps, "TLS: wants ok or fail");
            else if (ps.eof_seen || ps.closed_seen)
                rc = perr(&ps, "TLS: after EOF or ABORT");
            else {
                ps.cur.tls_ok = tok_is(tok, tl, "ok");
                rc = end_segment(&ps, ACT_TLS);
            }
        } else if (tok_is(word, wl, "EOF")) {
            setup_done = 1;
            if (ps.eof_seen)
                rc = perr(&ps, "EOF twice");
            ps.eof_seen = 1;
            if (rc == 0)
                rc = end_segment(&ps, ACT_EOF);
        } else if (tok_is(word, wl, "ABORT")) {
            setup_done = 1;
            ps.closed_seen = 1;
            rc = end_segment(&ps, ACT_ABORT);
        } else if (tok_is(word, wl, "expect")) {
            setup_done = 1;
            rc = parse_expect(&ps, rest, le, &ps.cur.ex);
            if (rc == 0)
                rc = end_segment(&ps, ACT_EXPECT);
        } else {
            rc = perr(&ps, "unknown directive '%.*s'", (int)wl, word);
        }
        if (rc != 0) {
            transcript_free(t);
            return NULL;
        }
    }
    ps.line++;
    if (end_segment(&ps, ACT_END) != 0) {
        transcript_free(t);
        return NULL;
    }
    collect_secrets(t);
    return t;
}

transcript *transcript_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    tr_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_add(&b, chunk, n) != 0) {
            fclose(f);
            free(b.p);
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
    fclose(f);
    const char *base = strrchr(path, '/');
    transcript *t = transcript_parse(b.p ? (const char *)b.p : "", b.len,
                                     base ? base + 1 : path, err, errlen);
    free(b.p);
    return t;
}

/* ------------------------------------------------------------------------
 * Driver
 * ---------------------------------------------------------------------- */

typedef struct run {
    const transcript *t;
    const tr_variant *v;
    mock_backend mb;
    pop3_allocator alloc;
    pop3_session *s;
    void *mem;
    size_t mem_size;
    uint32_t rng;
    size_t in_pos;              /* client bytes accepted so far */
    size_t in_end;              /* client bytes available so far */
    size_t piece_end;           /* end of the piece being offered */
    tr_buf out;                 /* output of the current segment */
    int snap_valid;             /* out_buf contract: last view, unacked */
    const unsigned char *snap_ptr;
    size_t snap_len;
    tr_buf snap;
    int eof_sent;
    int fatal;                  /* first fatal code seen */
    int closed;
    uint64_t now;
    char *report;
    size_t reportlen;
    int failed;
    int seg;                    /* index of the segment being run */
    int tls_allowed;            /* START_TLS may come up (tls_may_start) */
    int start_tls_seen;         /* START_TLS is up, tls_done not yet called */
} run;

static int fail(run *r, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail(run *r, const char *fmt, ...)
{
    if (r->failed)
        return -1;
    r->failed = 1;
    char msg[3000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const tr_segment *sg = &r->t->segs[r->seg];
    snprintf(r->report, r->reportlen,
             "%s [variant %s%s%s]: segment of lines %d-%d: %s",
             r->t->name, r->v->name,
             r->v->caller_mem ? ", caller memory" : ", pop3_session_new",
             r->v->pending ? ", pending" : "", sg->line, sg->action_line, msg);
    return -1;
}

static uint32_t rnd(run *r)
{
    uint32_t x = r->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->rng = x;
    return x;
}

/* Check an API return code; fatal codes close the run's session. */
static int check_rc(run *r, long rc, const char *call)
{
    if (rc >= 0)
        return 0;
    if (pop3_error_is_fatal((int)rc)) {
        if (!r->fatal)
            r->fatal = (int)rc;
        unsigned st = pop3_session_status(r->s);
        if (st != POP3_STATUS_CLOSED)
            return fail(r, "%s returned fatal %s but the status is %#x, "
                        "not exactly POP3_STATUS_CLOSED", call,
                        pop3_error_name((int)rc), st);
        r->closed = 1;
        return 0;
    }
    return fail(r, "%s returned %s (%s)", call, pop3_error_name((int)rc),
                pop3_session_last_error(r->s));
}

static int check_status(run *r, unsigned st)
{
    if (st == 0)
        return fail(r, "status 0 after pop3_session_start");
    if ((st & POP3_STATUS_CLOSED) && st != POP3_STATUS_CLOSED)
        return fail(r, "status %#x: CLOSED combined with other bits", st);
    if (st & ~(unsigned)0x3f)
        return fail(r, "status %#x: unknown bits", st);
    if (st == POP3_STATUS_CLOSED) {
        r->closed = 1;
        return 0;
    }
    if (st & POP3_STATUS_START_TLS) {
        if (!r->tls_allowed)
            return fail(r, "status %#x: START_TLS, but no \"TLS:\" line ends "
                        "this segment (STLS accepted where it should not "
                        "be?)", st);
        if (st & (POP3_STATUS_WRITE | POP3_STATUS_READ | POP3_STATUS_PENDING))
            return fail(r, "status %#x: START_TLS with WRITE, READ or "
                        "PENDING (the handshake starts only once the +OK "
                        "is sent and the session waits for nothing else)",
                        st);
        r->start_tls_seen = 1;
    } else {
        if (r->start_tls_seen && (st & POP3_STATUS_WRITE))
            return fail(r, "status %#x: output queued while the TLS "
                        "handshake runs (it would go out as plaintext in "
                        "the middle of the handshake)", st);
        if (r->start_tls_seen)
            return fail(r, "status %#x: START_TLS went away before "
                        "pop3_session_tls_done", st);
        /* A handshake nobody asked for (or whose +OK is not yet out) must
         * be refused and change nothing. */
        if (r->tls_allowed || (r->v->random_order && rnd(r) % 4 == 0)) {
            int rc = pop3_session_tls_done(r->s, 0);
            if (rc != POP3_E_STATE)
                return fail(r, "status %#x (no START_TLS): "
                            "pop3_session_tls_done returned %s, not "
                            "POP3_E_STATE", st, pop3_error_name(rc));
        }
    }
    int pend = mock_has_pending(&r->mb);
    if (((st & POP3_STATUS_PENDING) != 0) != pend)
        return fail(r, "status %#x: PENDING bit %s while %s answer is "
                    "outstanding", st, pend ? "clear" : "set",
                    pend ? "an" : "no");
    uint64_t at;
    int dl = pop3_session_deadline(r->s, &at);
    if (((st & POP3_STATUS_DEADLINE) != 0) != (dl != 0))
        return fail(r, "status %#x: DEADLINE bit disagrees with "
                    "pop3_session_deadline (%d)", st, dl);
    if (!r->v->use_recv) {
        size_t cap = 0;
        unsigned char *p = pop3_session_in_buf(r->s, &cap);
        if (((st & POP3_STATUS_READ) != 0) != (cap > 0))
            return fail(r, "status %#x: READ bit disagrees with in_buf "
                        "space %zu", st, cap);
        if ((p == NULL) != (cap == 0))
            return fail(r, "in_buf returned %p with space %zu", (void *)p, cap);
    }
    return 0;
}

/* The out_buf view must not change until out_ack. */
static int check_snapshot(run *r, const unsigned char *p, size_t len)
{
    if (!r->snap_valid)
        return 0;
    r->snap_valid = 0;
    if (p != r->snap_ptr || len < r->snap_len ||
        memcmp(p, r->snap.p, r->snap_len) != 0)
        return fail(r, "out_buf changed before out_ack: was %p+%zu, now "
                    "%p+%zu", (const void *)r->snap_ptr, r->snap_len,
                    (const void *)p, len);
    return 0;
}

static int take_snapshot(run *r)
{
    size_t len = 0;
    const unsigned char *p = pop3_session_out_buf(r->s, &len);
    if (check_snapshot(r, p, len) != 0)
        return -1;
    r->snap.len = 0;
    if (buf_add(&r->snap, p, len) != 0)
        return fail(r, "out of memory");
    r->snap_ptr = p;
    r->snap_len = len;
    r->snap_valid = 1;
    return 0;
}

static int do_output(run *r)
{
    size_t len = 0;
    const unsigned char *p = pop3_session_out_buf(r->s, &len);
    if (check_snapshot(r, p, len) != 0)
        return -1;
    if (p == NULL || len == 0)
        return fail(r, "WRITE is set but out_buf offers nothing");
    size_t n = len;
    if (r->v->out_mode == TR_OUT_BYTE)
        n = 1;
    else if (r->v->out_mode == TR_OUT_RANDOM)
        n = 1 + rnd(r) % 97;
    if (n > len)
        n = len;
    if (buf_add(&r->out, p, n) != 0)
        return fail(r, "out of memory");
    return check_rc(r, pop3_session_out_ack(r->s, n), "pop3_session_out_ack");
}

static size_t new_piece(run *r)
{
    size_t left = r->in_end - r->in_pos;
    switch (r->v->in_mode) {
    case TR_IN_BYTE:
        return 1;
    case TR_IN_SPLIT:
        if (r->v->split_at > r->in_pos && r->v->split_at < r->in_end)
            return r->v->split_at - r->in_pos;
        return left;
    case TR_IN_RANDOM: {
        uint32_t x = rnd(r);
        size_t n = (x & 3) == 0 ? left : 1 + (x >> 2) % 23;
        return n < left ? n : left;
    }
    default:
        return left;
    }
}

static int do_input(run *r)
{
    if (r->piece_end <= r->in_pos)
        r->piece_end = r->in_pos + new_piece(r);
    const unsigned char *data = r->t->cin.p + r->in_pos;
    size_t want = r->piece_end - r->in_pos;
    if (r->v->use_recv) {
        long n = pop3_session_recv(r->s, data, want);
        if (check_rc(r, n, "pop3_session_recv") != 0)
            return -1;
        if (n > 0) {
            if ((size_t)n > want)
                return fail(r, "pop3_session_recv took %ld of %zu", n, want);
            r->in_pos += (size_t)n;
            return 1;
        }
        return 0;
    }
    size_t cap = 0;
    unsigned char *p = pop3_session_in_buf(r->s, &cap);
    if (p == NULL || cap == 0)
        return 0;
    size_t n = want < cap ? want : cap;
    memcpy(p, data, n);
    r->in_pos += n;
    if (check_rc(r, pop3_session_in_ack(r->s, n), "pop3_session_in_ack") != 0)
        return -1;
    return 1;
}

enum { A_IN = 0, A_EOF, A_PEND, A_OUT, A_COUNT };

/* Run the engine until nothing more can happen. */
static int quiesce(run *r, int eof_wanted)
{
    for (unsigned long steps = 0;; steps++) {
        if (r->closed || r->failed)
            return r->failed ? -1 : 0;
        if (steps > 50000000ul)
            return fail(r, "no end in sight (livelock?)");
        /* A host may tick whenever it wakes up: at the same time that must
         * change nothing due. */
        if (r->v->random_order && rnd(r) % 16 == 0) {
            if (check_rc(r, pop3_session_tick(r->s, r->now),
                         "pop3_session_tick (same time)") != 0)
                return -1;
            if (r->closed)
                return 0;
        }
        unsigned st = pop3_session_status(r->s);
        if (check_status(r, st) != 0)
            return -1;
        if (r->closed)
            return 0;
        int can[A_COUNT];
        can[A_IN] = r->in_pos < r->in_end && (st & POP3_STATUS_READ);
        can[A_EOF] = eof_wanted && !r->eof_sent && r->in_pos == r->in_end;
        can[A_PEND] = mock_has_pending(&r->mb);
        can[A_OUT] = (st & POP3_STATUS_WRITE) != 0;
        int pick = -1;
        if (r->v->random_order) {
            int n = 0, opts[A_COUNT];
            for (int i = 0; i < A_COUNT; i++)
                if (can[i])
                    opts[n++] = i;
            if (n)
                pick = opts[rnd(r) % (unsigned)n];
        } else if (r->v->output_first) {
            static const int order[A_COUNT] = {A_OUT, A_PEND, A_IN, A_EOF};
            for (int i = 0; i < A_COUNT && pick < 0; i++)
                if (can[order[i]])
                    pick = order[i];
        } else {
            for (int i = 0; i < A_COUNT && pick < 0; i++)
                if (can[i])
                    pick = i;
        }
        if (pick < 0)
            return 0;
        if (pick != A_OUT && (st & POP3_STATUS_WRITE) && take_snapshot(r) != 0)
            return -1;
        int rc = 0;
        switch (pick) {
        case A_IN:
            rc = do_input(r);
            if (rc == 0 && !r->closed)
                return fail(r, "READ is set (status %#x) but no input is "
                            "taken", st);
            break;
        case A_EOF:
            r->eof_sent = 1;
            rc = check_rc(r, pop3_session_in_eof(r->s), "pop3_session_in_eof");
            break;
        case A_PEND:
            rc = check_rc(r, mock_deliver(&r->mb, r->s), "completion");
            break;
        case A_OUT:
            rc = do_output(r);
            break;
        }
        if (rc < 0)
            return -1;
    }
}

static void show_diff(run *r, const unsigned char *exp, size_t elen,
                      size_t firm, const unsigned char *act, size_t alen,
                      char *msg, size_t msgcap)
{
    size_t d = 0;
    while (d < elen && d < alen && exp[d] == act[d])
        d++;
    size_t ls = d;
    while (ls > 0 && exp[ls - 1] != '\n')
        ls--;
    const tr_segment *sg = &r->t->segs[r->seg];
    int line = sg->line;
    size_t abs = sg->out_off + ls;
    for (size_t i = 0; i < r->t->nlines; i++)
        if (r->t->lines[i].off <= abs)
            line = r->t->lines[i].line;
    char e[700], a[700];
    size_t el = elen - ls < 240 ? elen - ls : 240;
    size_t al = alen - ls < 240 ? alen - ls : 240;
    transcript_escape(exp + ls, el, e, sizeof e);
    transcript_escape(act + ls, al, a, sizeof a);
    snprintf(msg, msgcap,
             "output differs at octet %zu of the segment (fixture line %d)%s\n"
             "    expected: \"%s\"%s\n"
             "    actual:   \"%s\"%s",
             d, line, firm < elen ? " [S~ tail may be cut short]" : "",
             e, elen - ls > el ? " ..." : (d == elen ? " <end>" : ""),
             a, alen - ls > al ? " ..." : (d == alen ? " <end>" : ""));
}

static int compare_segment(run *r)
{
    const tr_segment *sg = &r->t->segs[r->seg];
    const unsigned char *exp = r->t->sout.p + sg->out_off;
    size_t firm = sg->out_len, all = sg->out_len + sg->opt_len;
    const unsigned char *act = r->out.p;
    size_t alen = r->out.len;
    int ok;
    if (sg->opt_len == 0)
        ok = alen == firm && (firm == 0 || memcmp(exp, act, firm) == 0);
    else
        ok = alen >= firm && alen <= all && memcmp(exp, act, alen) == 0;
    if (ok)
        return 0;
    char msg[2000];
    show_diff(r, exp ? exp : (const unsigned char *)"", all, firm,
              act ? act : (const unsigned char *)"", alen, msg, sizeof msg);
    return fail(r, "%s", msg);
}

static int check_expect(run *r, const tr_expect *ex)
{
    unsigned st = pop3_session_status(r->s);
    mock_backend *mb = &r->mb;
    switch (ex->kind) {
    case EX_CLOSED:
        if (st != POP3_STATUS_CLOSED)
            return fail(r, "expect closed: status is %#x", st);
        break;
    case EX_OPEN:
        if (st & POP3_STATUS_CLOSED)
            return fail(r, "expect open: the session is closed");
        break;
    case EX_STATE: {
        int s = pop3_session_state(r->s);
        if (s != ex->ival)
            return fail(r, "expect state %s: state is %s",
                        pop3_state_name(ex->ival), pop3_state_name(s));
        break;
    }
    case EX_COMMIT: {
        if (mb->commits != 1)
            return fail(r, "expect commit: commit was called %u times",
                        mb->commits);
        int same = mb->commit_ndeleted == ex->nlist;
        for (unsigned i = 0; same && i < ex->nlist; i++)
            same = mb->commit_deleted[i] == ex->list[i];
        if (!same) {
            char got[400] = "", want[400] = "";
            for (unsigned i = 0; i < mb->commit_ndeleted &&
                                 i < MOCK_MAX_RECORDED; i++)
                snprintf(got + strlen(got), sizeof got - strlen(got), "%s%u",
                         i ? "," : "", mb->commit_deleted[i]);
            for (unsigned i = 0; i < ex->nlist; i++)
                snprintf(want + strlen(want), sizeof want - strlen(want),
                         "%s%u", i ? "," : "", ex->list[i]);
            return fail(r, "expect commit %s: deleted set is {%s}",
                        ex->nlist ? want : "nothing", got);
        }
        break;
    }
    case EX_NO_COMMIT:
        if (mb->commits != 0)
            return fail(r, "expect no-commit: commit was called");
        break;
    case EX_MDCLOSE:
        if (ex->ival == MD_NONE ? mb->maildrop_closes != 0
                                : mb->maildrop_closes != 1 ||
                                  (mb->last_committed != 0) !=
                                      (ex->ival == MD_COMMITTED))
            return fail(r, "expect maildrop-close %s: %u calls, last "
                        "committed=%d",
                        ex->ival == MD_NONE ? "none"
                        : ex->ival == MD_COMMITTED ? "committed"
                                                   : "uncommitted",
                        mb->maildrop_closes, mb->last_committed);
        break;
    case EX_FATAL:
        if (r->fatal != ex->ival)
            return fail(r, "expect fatal %s: got %s", pop3_error_name(ex->ival),
                        r->fatal ? pop3_error_name(r->fatal) : "none");
        break;
    case EX_LIMIT:
        if (!(mb->limit_mask & (1u << ex->ival)))
            return fail(r, "expect limit %s: no such LIMIT trace event",
                        limit_names[ex->ival]);
        break;
    case EX_CLOSE_REASON: {
        pop3_stats stats;
        memset(&stats, 0, sizeof stats);
        stats.struct_size = sizeof stats;
        if (pop3_session_stats(r->s, &stats) != POP3_OK)
            return fail(r, "pop3_session_stats failed");
        if (stats.close_reason != ex->ival)
            return fail(r, "expect close-reason %s: stats say %d",
                        reason_names[ex->ival], stats.close_reason);
        if (mb->close_event != ex->ival)
            return fail(r, "expect close-reason %s: CLOSE trace event code %d",
                        reason_names[ex->ival], mb->close_event);
        break;
    }
    case EX_DEADLINE: {
        uint64_t at = 0;
        if (!pop3_session_deadline(r->s, &at) || at != ex->u64)
            return fail(r, "expect deadline %llu: %s %llu",
                        (unsigned long long)ex->u64,
                        pop3_session_deadline(r->s, &at) ? "deadline is"
                                                         : "no deadline",
                        (unsigned long long)at);
        break;
    }
    case EX_NO_DEADLINE: {
        uint64_t at = 0;
        if (pop3_session_deadline(r->s, &at))
            return fail(r, "expect no-deadline: deadline at %llu",
                        (unsigned long long)at);
        break;
    }
    case EX_AUTH_CALLS:
        if (mb->calls[MOCK_OP_AUTH] != ex->u64)
            return fail(r, "expect auth-calls %llu: authenticate was called "
                        "%u times", (unsigned long long)ex->u64,
                        mb->calls[MOCK_OP_AUTH]);
        break;
    case EX_SASL_STEPS:
        if (mb->sasl_steps != ex->u64)
            return fail(r, "expect sasl-steps %llu: sasl_step was called "
                        "%u times", (unsigned long long)ex->u64,
                        mb->sasl_steps);
        break;
    case EX_LOGINS_OK:
    case EX_LOGINS_FAILED: {
        unsigned n = ex->kind == EX_LOGINS_OK ? mb->auth_ok_events
                                              : mb->auth_fail_events;
        if (n != ex->u64)
            return fail(r, "expect %s %llu: %u POP3_EV_AUTH events said so",
                        ex->kind == EX_LOGINS_OK ? "logins-ok" : "logins-failed",
                        (unsigned long long)ex->u64, n);
        break;
    }
    case EX_UTF8:
        if (pop3_session_utf8(r->s) != ex->ival)
            return fail(r, "expect utf8 %s: pop3_session_utf8 is %d",
                        ex->ival ? "on" : "off", pop3_session_utf8(r->s));
        break;
    case EX_USER: {
        const char *u = pop3_session_user(r->s);
        int none = strcmp(ex->str, "none") == 0;
        if (none ? u != NULL : (u == NULL || strcmp(u, ex->str) != 0))
            return fail(r, "expect user %s: user is %s", ex->str,
                        u ? u : "(none)");
        break;
    }
    }
    return 0;
}

static void setup_mock(run *r)
{
    const transcript *t = r->t;
    mock_init(&r->mb);
    for (unsigned i = 0; i < t->nusers; i++) {
        const tr_user *tu = &t->users[i];
        mock_user *u = mock_add_user(&r->mb, tu->name, tu->secret,
                                     tu->secret_len, tu->verify);
        u->login_delay = tu->login_delay;
        u->expire = tu->expire;
        u->msgs = tu->msgs;
        u->nmsgs = tu->nmsgs;
        if (tu->salt_len) {
            u->salt = tu->salt;
            u->salt_len = tu->salt_len;
        }
        u->iterations = tu->iterations;
        if (tu->stored_len) {
            u->stored_key = tu->stored_key;
            u->server_key = tu->server_key;
            u->key_len = tu->stored_len;
        }
        u->authz = tu->authz[0] ? tu->authz : NULL;
    }
    for (unsigned i = 0; i < t->ntokens; i++)
        mock_add_token(&r->mb, t->tokens[i].token, t->tokens[i].len,
                       t->tokens[i].user);
    r->mb.bearer_error = t->have_bearer_error ? t->bearer_error : NULL;
    r->mb.external = t->have_external ? t->external : NULL;
    r->mb.random_start = t->random_start;
    for (unsigned i = 0; i < t->nfails; i++) {
        const mock_fail *f = &t->fails[i];
        mock_add_fail(&r->mb, f->op, f->result, f->msgno, f->at, f->times);
    }
    for (unsigned i = 0; i < t->nsecrets; i++)
        mock_add_secret(&r->mb, t->cin.p + t->secret_off[i], t->secret_len[i],
                        t->secret_is_pass[i]);
    r->mb.read_chunk = t->read_chunk;
    r->mb.pending_mode = r->v->pending;
    r->mb.copy_chunks = 1;
    r->mb.probe_reentrancy = 1;
    r->alloc = mock_allocator(&r->mb);
}

static int start_session(run *r)
{
    pop3_callbacks cb;
    mock_callbacks(&cb);
    int err = 0;
    if (r->v->caller_mem) {
        size_t size = pop3_session_mem_size(&r->t->cfg);
        if (size == 0)
            return fail(r, "pop3_session_mem_size says the configuration is "
                        "invalid");
        r->mem = malloc(size);
        r->mem_size = size;
        if (r->mem == NULL)
            return fail(r, "out of memory");
        memset(r->mem, 0x5a, size);     /* no stale secrets, no free zeros */
        r->s = pop3_session_init(r->mem, size, &r->t->cfg, &cb, &r->mb,
                                 &r->alloc, &err);
    } else {
        r->s = pop3_session_new(&r->t->cfg, &cb, &r->mb, &r->alloc, &err);
    }
    if (r->s == NULL)
        return fail(r, "session creation failed: %s", pop3_error_name(err));
    return check_rc(r, pop3_session_start(r->s, &r->t->conn),
                    "pop3_session_start");
}

static void end_session(run *r)
{
    if (r->s) {
        if (r->v->caller_mem) {
            int rc = pop3_session_deinit(r->s);
            if (rc != POP3_OK)
                fail(r, "pop3_session_deinit returned %s",
                     pop3_error_name(rc));
            mock_check_wiped(&r->mb, r->mem, r->mem_size,
                             "session memory after pop3_session_deinit");
        } else {
            pop3_session_free(r->s);
        }
        r->s = NULL;
    }
    free(r->mem);
    r->mem = NULL;
    mock_finish(&r->mb);
}

/* May START_TLS be up during segment i?  Only if the client sends nothing
 * more until the next TLS: line (expect and T: lines may come between:
 * the handshake takes time), or - with no TLS: line to come - nothing
 * more at all (say the AUTHORIZATION timer ends the handshake). */
static int tls_may_start(const transcript *t, size_t i)
{
    for (size_t j = i; j < t->nsegs; j++) {
        if (j > i && t->segs[j].cin_len)
            return 0;
        if (t->segs[j].action == ACT_TLS)
            return 1;
    }
    return 1;                   /* checked at the end: the session closed */
}

int transcript_run(const transcript *t, const tr_variant *v, char *report,
                   size_t reportlen)
{
    run r;
    memset(&r, 0, sizeof r);
    r.t = t;
    r.v = v;
    r.rng = v->seed ? v->seed : 0x9e3779b9u;
    r.report = report;
    r.reportlen = reportlen;
    r.now = t->conn.now_ms;
    if (reportlen)
        report[0] = '\0';
    setup_mock(&r);

    if (start_session(&r) == 0) {
        for (size_t i = 0; i < t->nsegs && !r.failed; i++) {
            const tr_segment *sg = &t->segs[i];
            r.seg = (int)i;
            r.out.len = 0;
            r.in_end = sg->cin_off + sg->cin_len;
            r.tls_allowed = tls_may_start(t, i);
            int eof = sg->action == ACT_EOF;
            if (quiesce(&r, eof) != 0)
                break;
            if (sg->action == ACT_TLS && !r.closed) {
                unsigned st = pop3_session_status(r.s);
                if (!(st & POP3_STATUS_START_TLS)) {
                    fail(&r, "TLS: the status is %#x, not START_TLS", st);
                    break;
                }
                /* Whatever the client sent after STLS and the engine did
                 * not take is never fed to it: the host's TLS layer
                 * consumes it (docs/security.md). */
                r.in_pos = r.in_end;
                r.piece_end = r.in_pos;
            }
            if (!r.closed && r.in_pos < r.in_end) {
                uint64_t at;
                if (!pop3_session_deadline(r.s, &at)) {
                    fail(&r, "deadlock: %zu client octets not taken, nothing "
                         "to write, nothing pending, no timer armed "
                         "(status %#x)", r.in_end - r.in_pos,
                         pop3_session_status(r.s));
                    break;
                }
                if (eof) {
                    fail(&r, "EOF cannot be given: %zu client octets not "
                         "taken yet", r.in_end - r.in_pos);
                    break;
                }
                if (sg->action == ACT_END) {
                    fail(&r, "%zu client octets never taken",
                         r.in_end - r.in_pos);
                    break;
                }
            }
            if (compare_segment(&r) != 0)
                break;
            switch (sg->action) {
            case ACT_TICK:
                r.now = sg->tick;
                if (!r.closed)
                    check_rc(&r, pop3_session_tick(r.s, r.now),
                             "pop3_session_tick");
                break;
            case ACT_ABORT:
                if (!r.closed) {
                    int rc = pop3_session_abort(r.s);
                    if (rc != POP3_OK)
                        fail(&r, "pop3_session_abort returned %s",
                             pop3_error_name(rc));
                    else if (pop3_session_status(r.s) != POP3_STATUS_CLOSED)
                        fail(&r, "status %#x after pop3_session_abort",
                             pop3_session_status(r.s));
                    r.closed = 1;
                }
                break;
            case ACT_EXPECT:
                check_expect(&r, &sg->ex);
                break;
            case ACT_TLS: {
                if (r.closed)
                    break;
                int rc = pop3_session_tls_done(r.s, sg->tls_ok);
                r.start_tls_seen = 0;
                r.tls_allowed = 0;
                if (rc != POP3_OK) {
                    fail(&r, "pop3_session_tls_done(%d) returned %s",
                         sg->tls_ok, pop3_error_name(rc));
                    break;
                }
                unsigned st = pop3_session_status(r.s);
                if (!sg->tls_ok && st != POP3_STATUS_CLOSED)
                    fail(&r, "status %#x after a failed handshake, not "
                         "CLOSED", st);
                else if (st & POP3_STATUS_START_TLS)
                    fail(&r, "status %#x: START_TLS after "
                         "pop3_session_tls_done", st);
                break;
            }
            default:
                break;
            }
        }
        if (!r.failed && r.start_tls_seen && !r.closed)
            fail(&r, "START_TLS is up at the end, but no TLS: line "
                 "answered it");
        if (!r.failed && r.fatal && !t->expects_fatal)
            fail(&r, "unexpected fatal error %s (%s)", pop3_error_name(r.fatal),
                 pop3_session_last_error(r.s));
    }
    r.seg = t->nsegs ? (int)t->nsegs - 1 : 0;
    end_session(&r);
    if (!r.failed && r.mb.nviolations) {
        char msg[2000] = "";
        unsigned n = r.mb.nviolations < MOCK_MAX_VIOLATIONS
                         ? r.mb.nviolations : MOCK_MAX_VIOLATIONS;
        for (unsigned i = 0; i < n; i++)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg),
                     "\n    - %s", r.mb.violation[i]);
        fail(&r, "%u API contract violation(s) seen by the mock host:%s",
             r.mb.nviolations, msg);
    }
    free(r.out.p);
    free(r.snap.p);
    return r.failed;
}

long transcript_run_all(const transcript *t, int quick, char *report,
                        size_t reportlen)
{
    /* name, in, out, split_at, pending, recv, caller_mem, random, seed,
     * output_first */
    tr_variant base[] = {
        {"whole", TR_IN_WHOLE, TR_OUT_WHOLE, 0, 0, 0, 0, 0, 0, 0},
        {"out-byte", TR_IN_WHOLE, TR_OUT_BYTE, 0, 0, 0, 0, 0, 0, 0},
        {"pending+byte-in+out-byte", TR_IN_BYTE, TR_OUT_BYTE, 0, 1, 0, 0, 0, 0,
         0},
        {"byte-in", TR_IN_BYTE, TR_OUT_WHOLE, 0, 0, 0, 0, 0, 0, 0},
        {"interactive (byte-in, output first)", TR_IN_BYTE, TR_OUT_WHOLE, 0, 0,
         0, 0, 0, 0, 1},
        {"interactive+pending", TR_IN_BYTE, TR_OUT_BYTE, 0, 1, 0, 0, 0, 0, 1},
        {"recv", TR_IN_WHOLE, TR_OUT_WHOLE, 0, 0, 1, 0, 0, 0, 0},
        {"recv+byte-in+pending", TR_IN_BYTE, TR_OUT_WHOLE, 0, 1, 1, 0, 0, 0, 0},
        {"pending", TR_IN_WHOLE, TR_OUT_WHOLE, 0, 1, 0, 0, 0, 0, 0},
    };
    size_t nbase = quick ? 3 : sizeof base / sizeof base[0];
    long runs = 0;
    for (size_t i = 0; i < nbase; i++) {
        tr_variant v = base[i];
        v.caller_mem = (int)(runs & 1);
        runs++;
        if (transcript_run(t, &v, report, reportlen))
            return -1;
    }
    if (quick)
        return runs;
    char name[64];
    for (uint32_t seed = 1; seed <= 12; seed++) {
        tr_variant v = {name, TR_IN_RANDOM, TR_OUT_RANDOM, 0, (int)(seed & 1),
                        (int)((seed >> 1) & 1), (int)(runs & 1), 1,
                        seed * 2654435761u, 0};
        snprintf(name, sizeof name, "random seed %u", seed);
        runs++;
        if (transcript_run(t, &v, report, reportlen))
            return -1;
    }
    for (size_t i = 1; i < t->cin.len; i++) {
        tr_variant v = {name, TR_IN_SPLIT, TR_OUT_WHOLE, i, 0, 0,
                        (int)(runs & 1), 0, 0, 0};
        snprintf(name, sizeof name, "split at client octet %zu", i);
        runs++;
        if (transcript_run(t, &v, report, reportlen))
            return -1;
    }
    return runs;
}
