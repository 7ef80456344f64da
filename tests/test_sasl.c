/*
 * test_sasl.c - AUTH (RFC 5034) and the built-in SASL mechanisms: the
 * published example exchanges, the message parsers, and whole sessions
 * for every mechanism (inline and pending answers, whole and byte-at-a-
 * time input).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sasl.h"

/* ---- helpers --------------------------------------------------------------- */

static pop3__span span(const char *z)
{
    pop3__span s = {z, strlen(z)};
    return s;
}

static char *b64(const void *data, size_t n)
{
    static char out[4][2048];
    static int k;
    char *o = out[k++ & 3];
    size_t w = pop3__base64_encode(data, n, o);
    o[w] = '\0';
    return o;
}

static size_t unb64(const char *in, unsigned char *out, size_t cap)
{
    size_t n = 0;
    assert_int_equal(pop3__base64_decode(in, strlen(in), out, cap, &n), 0);
    return n;
}

/* ---- parsers and the published examples ------------------------------------ */

static void plain_rfc4616_examples_parse(void **state)
{
    (void)state;
    pop3__span z, c, p;
    static const char ex1[] = "\0tim\0tanstaaftanstaaf";
    static const char ex2[] = "Ursel\0Kurt\0xipj3plmq";
    assert_int_equal(pop3__sasl_plain_parse(ex1, sizeof ex1 - 1, &z, &c, &p), 0);
    assert_int_equal(z.n, 0);
    assert_memory_equal(c.p, "tim", 3);
    assert_int_equal(p.n, 16);
    assert_int_equal(pop3__sasl_plain_parse(ex2, sizeof ex2 - 1, &z, &c, &p), 0);
    assert_memory_equal(z.p, "Ursel", 5);
    assert_memory_equal(c.p, "Kurt", 4);
    assert_memory_equal(p.p, "xipj3plmq", 9);
    /* authcid and password are required; no third NUL. */
    assert_int_equal(pop3__sasl_plain_parse("\0\0pw", 4, &z, &c, &p), -1);
    assert_int_equal(pop3__sasl_plain_parse("\0u\0", 3, &z, &c, &p), -1);
    assert_int_equal(pop3__sasl_plain_parse("\0u\0p\0", 5, &z, &c, &p), -1);
    assert_int_equal(pop3__sasl_plain_parse("u\0p", 3, &z, &c, &p), -1);
}

static void saslname_escapes_decode_and_bad_escapes_fail(void **state)
{
    (void)state;
    char out[32];
    long n = pop3__saslname_decode("a=2Cb=3Dc", 9, out, sizeof out);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "a,b=c", 5);
    assert_int_equal(pop3__saslname_decode("a=2D", 4, out, sizeof out), -1);
    assert_int_equal(pop3__saslname_decode("a=2", 3, out, sizeof out), -1);
    assert_int_equal(pop3__saslname_decode("a,b", 3, out, sizeof out), -1);
}

static void scram_client_first_parse_rfc5802(void **state)
{
    (void)state;
    pop3__scram_first f;
    const char *m = "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL";
    assert_int_equal(pop3__scram_parse_first(m, strlen(m), &f), 0);
    assert_int_equal(f.gs2.n, 3);
    assert_int_equal(f.bare.n, strlen("n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
    assert_memory_equal(f.user.p, "user", 4);
    assert_int_equal(f.cnonce.n, 24);
    m = "n,a=admin,n=user,r=abc,ext=1";
    assert_int_equal(pop3__scram_parse_first(m, strlen(m), &f), 0);
    assert_memory_equal(f.authzid.p, "admin", 5);
    /* Channel binding is not offered; reserved m= must fail. */
    m = "p=tls-unique,,n=user,r=abc";
    assert_int_equal(pop3__scram_parse_first(m, strlen(m), &f), -1);
    m = "n,,m=x,n=user,r=abc";
    assert_int_equal(pop3__scram_parse_first(m, strlen(m), &f), -1);
    m = "n,,n=user,r=";
    assert_int_equal(pop3__scram_parse_first(m, strlen(m), &f), -1);
    m = "n,,n=user";
    assert_int_equal(pop3__scram_parse_first(m, strlen(m), &f), -1);
}

static void scram_server_first_rfc5802_and_rfc7677_byte_for_byte(void **state)
{
    (void)state;
    char out[256];
    unsigned char salt[64];
    size_t sl = unb64("QSXCR+Q6sek8bf92", salt, sizeof salt);
    size_t n = pop3__scram_server_first(span("fyko+d2lbbFgONRv9qkxdawL"),
                                        span("3rfcNHYJY1ZVvWVs7j"), salt, sl, 4096, out);
    out[n] = '\0';
    assert_string_equal(out, "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                             "s=QSXCR+Q6sek8bf92,i=4096");
    sl = unb64("W22ZaJ0SNY7soEsUEjb6gQ==", salt, sizeof salt);
    n = pop3__scram_server_first(span("rOprNGfwEbeRWgbNEkqO"),
                                 span("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"), salt, sl,
                                 4096, out);
    out[n] = '\0';
    assert_string_equal(out, "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                             "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
}

/* The whole RFC 5802 §5 exchange through the server's verification. */
static void scram_sha1_rfc5802_exchange_verifies(void **state)
{
    (void)state;
    unsigned char salt[32], stored[20], server[20], proof[32], sig[20];
    size_t sl = unb64("QSXCR+Q6sek8bf92", salt, sizeof salt);
    pop3__scram_final f;
    const char *final = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                        "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
    assert_int_equal(pop3__scram_keys(POP3__HASH_SHA1, "pencil", 6, salt, sl, 4096,
                                      stored, server), 0);
    assert_int_equal(pop3__scram_parse_final(final, strlen(final), &f), 0);
    size_t pl = 0;
    assert_int_equal(pop3__base64_decode(f.proof.p, f.proof.n, proof, sizeof proof, &pl), 0);
    assert_int_equal(pop3__scram_verify(POP3__HASH_SHA1, stored, server,
                                        span("n=user,r=fyko+d2lbbFgONRv9qkxdawL"),
                                        span("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                                             "s=QSXCR+Q6sek8bf92,i=4096"),
                                        f.without_proof, proof, pl, sig), 1);
    assert_string_equal(b64(sig, 20), "rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    proof[0] ^= 1;                      /* a wrong proof is refused */
    assert_int_equal(pop3__scram_verify(POP3__HASH_SHA1, stored, server,
                                        span("n=user,r=fyko+d2lbbFgONRv9qkxdawL"),
                                        span("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                                             "s=QSXCR+Q6sek8bf92,i=4096"),
                                        f.without_proof, proof, pl, sig), 0);
}

static void scram_sha256_rfc7677_exchange_verifies(void **state)
{
    (void)state;
    unsigned char salt[32], stored[32], server[32], proof[40], sig[32];
    size_t sl = unb64("W22ZaJ0SNY7soEsUEjb6gQ==", salt, sizeof salt), pl = 0;
    pop3__scram_final f;
    const char *final = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    assert_int_equal(pop3__scram_keys(POP3__HASH_SHA256, "pencil", 6, salt, sl, 4096,
                                      stored, server), 0);
    assert_int_equal(pop3__scram_parse_final(final, strlen(final), &f), 0);
    assert_int_equal(pop3__base64_decode(f.proof.p, f.proof.n, proof, sizeof proof, &pl), 0);
    assert_int_equal(pop3__scram_verify(POP3__HASH_SHA256, stored, server,
                                        span("n=user,r=rOprNGfwEbeRWgbNEkqO"),
                                        span("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                             "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"),
                                        f.without_proof, proof, pl, sig), 1);
    assert_string_equal(b64(sig, 32), "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

static void oauthbearer_rfc7628_message_parses(void **state)
{
    (void)state;
    static const char m[] = "n,a=user@example.com,\x01host=server.example.com\x01"
                            "port=143\x01" "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01";
    pop3__span who, tok;
    assert_int_equal(pop3__oauthbearer_parse(m, sizeof m - 1, &who, &tok), 0);
    assert_int_equal(who.n, strlen("user@example.com"));
    assert_memory_equal(tok.p, "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==", tok.n);
    /* A missing closing kvsep, a missing auth, a non-Bearer scheme. */
    assert_int_equal(pop3__oauthbearer_parse(m, sizeof m - 2, &who, &tok), -1);
    static const char noauth[] = "n,,\x01host=x\x01\x01";
    assert_int_equal(pop3__oauthbearer_parse(noauth, sizeof noauth - 1, &who, &tok), -1);
    static const char basic[] = "n,,\x01" "auth=Basic abc\x01\x01";
    assert_int_equal(pop3__oauthbearer_parse(basic, sizeof basic - 1, &who, &tok), -1);
}

static void xoauth2_message_parses(void **state)
{
    (void)state;
    static const char m[] = "user=someuser@example.com\x01" "auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg\x01\x01";
    pop3__span who, tok;
    assert_int_equal(pop3__xoauth2_parse(m, sizeof m - 1, &who, &tok), 0);
    assert_memory_equal(who.p, "someuser@example.com", who.n);
    assert_memory_equal(tok.p, "ya29.vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg", tok.n);
    assert_int_equal(pop3__xoauth2_parse("user=a\x01\x01", 8, &who, &tok), -1);
}

/* ---- grammar tables: each message accepted or refused as its RFC says ---- */

struct grammar_case {
    const char *m;
    size_t n;
    int ok;
};
#define ACCEPT(s) {s, sizeof s - 1, 1}
#define REFUSE(s) {s, sizeof s - 1, 0}

static void check_case(const struct grammar_case *c, int got_ok, const char *what)
{
    if (got_ok != c->ok)
        fail_msg("%s: %.*s (%zu octets) %s, expected %s", what, (int)c->n, c->m,
                 c->n, got_ok ? "accepted" : "refused", c->ok ? "accepted" : "refused");
}

static void gs2_header_grammar_rfc5801(void **state)
{
    static const struct grammar_case cases[] = {
        ACCEPT("n,,"), ACCEPT("y,,"), ACCEPT("n,a=bob,"), ACCEPT("n,a=b=2Cc=3D,"),
        REFUSE(""), REFUSE("n"), REFUSE("n,"), REFUSE("x,,"), REFUSE("n;,"),
        REFUSE("p=tls-unique,,"),       /* channel binding: not offered */
        REFUSE("n,a=,"),                /* empty authzid */
        REFUSE("n,b=bob,"),             /* not a= */
        REFUSE("n,a=bob"),              /* no closing comma */
        REFUSE("n,a=b=ZZ,"),            /* bad saslname escape */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pop3__span hdr, z;
        long r = pop3__gs2_parse(cases[i].m, cases[i].n, &hdr, &z);
        check_case(&cases[i], r > 0, "GS2 header");
        if (r > 0)
            assert_int_equal(hdr.n, (size_t)r);
    }
}

static void scram_client_first_grammar_rfc5802(void **state)
{
    static const struct grammar_case cases[] = {
        ACCEPT("n,,n=user,r=abc"), ACCEPT("y,,n=u,r=a"),
        ACCEPT("n,,n=user,r=abc,x=ext"),        /* extensions may follow */
        REFUSE("n,,m=ext,n=user,r=abc"),        /* reserved-mext */
        REFUSE("n,,n=,r=abc"),                  /* empty username */
        REFUSE("n,,n=user"),                    /* no nonce */
        REFUSE("n,,n=user,r="),                 /* empty nonce */
        REFUSE("n,,r=abc,n=user"),              /* out of order */
        REFUSE("n,,n=user,r=abc,"),             /* empty extension */
        REFUSE("n,,n=user;r=abc"),              /* no comma */
        REFUSE("n,,n=user,r=a\x7f" "c"),        /* nonce not printable */
        REFUSE("n,,n=user,r=a c"),              /* space in the nonce */
        REFUSE("n,,n=us=ZZer,r=abc"),           /* bad saslname escape */
        REFUSE("n,,n=u\0x,r=abc"),              /* NUL in the username */
        REFUSE("n,,"),                          /* header only */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pop3__scram_first f;
        check_case(&cases[i], pop3__scram_parse_first(cases[i].m, cases[i].n, &f) == 0,
                   "SCRAM client-first");
    }
}

static void scram_client_final_grammar_rfc5802(void **state)
{
    static const struct grammar_case cases[] = {
        ACCEPT("c=biws,r=abc,p=dGVzdA=="),
        ACCEPT("c=biws,r=abc,x=1,p=dGVzdA=="),  /* extensions before the proof */
        REFUSE("c=biws,r=abc"),                 /* no proof */
        REFUSE("c=biws,r=abc,p="),              /* empty proof */
        REFUSE("r=abc,p=dGVzdA=="),             /* no channel binding */
        REFUSE("x=biws,r=abc,p=dGVzdA=="),      /* not c= first */
        REFUSE("c=biws,p=dGVzdA=="),            /* no nonce */
        REFUSE("c=biws,r=,p=dGVzdA=="),         /* empty nonce */
        REFUSE("c=biws,r=abc,,p=dGVzdA=="),     /* empty extension */
        REFUSE("c=biws,r=a\x01" "c,p=dGVzdA=="),/* nonce not printable */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pop3__scram_final f;
        check_case(&cases[i], pop3__scram_parse_final(cases[i].m, cases[i].n, &f) == 0,
                   "SCRAM client-final");
    }
}

static void oauthbearer_grammar_rfc7628(void **state)
{
    static const struct grammar_case cases[] = {
        ACCEPT("n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
               "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"),
        ACCEPT("n,,\x01" "auth=bearer tok\x01\x01"),     /* scheme in any case */
        REFUSE("n,,\x01\x01"),                          /* no auth */
        REFUSE("n,,auth=Bearer x\x01\x01"),             /* no kvsep after the header */
        REFUSE("n,,\x01" "auth=Bearer x\x01"),          /* no closing kvsep */
        REFUSE("n,,\x01" "auth=Bearer x\x01" "auth=Bearer y\x01\x01"),  /* auth twice */
        REFUSE("n,,\x01" "auth=Basic eDp5\x01\x01"),    /* not Bearer */
        REFUSE("n,,\x01" "auth=Bearer \x01\x01"),       /* empty token */
        REFUSE("n,,\x01" "auth=Bearer a b\x01\x01"),    /* space in the token */
        REFUSE("n,,\x01" "auth=Bearer x\x01\x01" "more"),  /* data after the end */
        REFUSE("p=tls-unique,,\x01" "auth=Bearer x\x01\x01"),
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pop3__span z, tok;
        check_case(&cases[i], pop3__oauthbearer_parse(cases[i].m, cases[i].n, &z, &tok) == 0,
                   "OAUTHBEARER");
    }
}

static void xoauth2_grammar(void **state)
{
    static const struct grammar_case cases[] = {
        ACCEPT("user=a@b\x01" "auth=Bearer tok\x01\x01"),
        REFUSE("user=\x01" "auth=Bearer tok\x01\x01"),  /* empty user */
        REFUSE("usr=a\x01" "auth=Bearer tok\x01\x01"),
        REFUSE("user=a\x01" "auth=Bearer tok\x01"),     /* no closing kvsep */
        REFUSE("user=a\x01" "auth=Bearer\x01\x01"),     /* no token */
        REFUSE("user=a"),                               /* nothing after the user */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pop3__span who, tok;
        check_case(&cases[i], pop3__xoauth2_parse(cases[i].m, cases[i].n, &who, &tok) == 0,
                   "XOAUTH2");
    }
}

static void cram_md5_rfc2195_digest(void **state)
{
    (void)state;
    unsigned char mac[16];
    char hex[33];
    const char *ch = "<1896.697170952@postoffice.reston.mci.net>";
    pop3__hmac(POP3__HASH_MD5, "tanstaaftanstaaf", 16, ch, strlen(ch), mac);
    pop3__hex(mac, 16, hex);
    assert_string_equal(hex, "b913a602c7eda7a495b4e6e7334d3890");
    /* The client's line of the RFC example, as sent on the wire. */
    assert_string_equal(b64("tim b913a602c7eda7a495b4e6e7334d3890", 36),
                        "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
}

/* ---- a host with every mechanism ---------------------------------------------- */

struct host {
    int pend;
    int kind_seen;
    char user_seen[200], authzid_seen[200], token_seen[200], mech_seen[32];
    pop3_auth_answer ans;
    int have_pending;
    unsigned char salt[16];
    uint32_t rnd_counter;
    int scram_mode;             /* 0 SECRET, 1 keys */
    unsigned char stored[32], server[32];
    int host_steps;
    pop3_sasl_answer sans;
    int have_sasl_pending;
    char chal[64];
    int deny_salt;              /* SCRAM: DENIED with a stable salt */
};

static int h_auth(void *ud, pop3_session *s, const pop3_auth_request *rq,
                  pop3_auth_answer *a)
{
    struct host *h = ud;
    (void)s;
    memset(&h->ans, 0, sizeof h->ans);
    h->kind_seen = rq->kind;
    snprintf(h->user_seen, sizeof h->user_seen, "%s", rq->user);
    snprintf(h->authzid_seen, sizeof h->authzid_seen, "%s", rq->authzid ? rq->authzid : "");
    snprintf(h->mech_seen, sizeof h->mech_seen, "%s", rq->mechanism);
    h->token_seen[0] = '\0';
    switch (rq->kind) {
    case POP3_AUTH_PASS:
    case POP3_AUTH_CRAM_MD5:
        if (strcmp(rq->user, "tim") == 0) {
            h->ans.result = POP3_R_SECRET;
            h->ans.secret = "tanstaaftanstaaf";
            h->ans.secret_len = 16;
        } else {
            h->ans.result = POP3_R_DENIED;
        }
        break;
    case POP3_AUTH_SCRAM:
        if (strcmp(rq->user, "user") != 0) {
            h->ans.result = POP3_R_DENIED;
            if (h->deny_salt) {
                h->ans.salt = (const unsigned char *)"nobody-salt";
                h->ans.salt_len = 11;
                h->ans.iterations = 5000;
            }
            break;
        }
        memcpy(h->salt, "0123456789abcdef", 16);
        h->ans.salt = h->salt;
        h->ans.salt_len = 16;
        h->ans.iterations = 4096;
        if (h->scram_mode == 0) {
            h->ans.result = POP3_R_SECRET;
            h->ans.secret = "pencil";
            h->ans.secret_len = 6;
        } else {
            pop3__hash_kind k = strcmp(rq->mechanism, "SCRAM-SHA-1") == 0
                                    ? POP3__HASH_SHA1 : POP3__HASH_SHA256;
            pop3__scram_keys(k, "pencil", 6, h->salt, 16, 4096, h->stored, h->server);
            h->ans.result = POP3_R_SCRAM;
            h->ans.stored_key = h->stored;
            h->ans.server_key = h->server;
        }
        break;
    case POP3_AUTH_BEARER:
        snprintf(h->token_seen, sizeof h->token_seen, "%.*s", (int)rq->token_len, rq->token);
        if (strcmp(h->token_seen, "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==") == 0 ||
            strcmp(h->token_seen, "ya29.good") == 0) {
            h->ans.result = POP3_R_OK;
        } else {
            h->ans.result = POP3_R_DENIED;
            h->ans.bearer_error = "{\"status\":\"invalid_token\",\"scope\":\"example_scope\","
                                  "\"openid-configuration\":\"https://example.com/.well-known/openid-configuration\"}";
        }
        break;
    case POP3_AUTH_EXTERNAL:
        h->ans.result = POP3_R_OK;
        h->ans.login_user = rq->authzid_len ? NULL : "cert-user";
        break;
    default:
        h->ans.result = POP3_R_DENIED;
    }
    if (h->pend) {
        h->have_pending = 1;
        return POP3_PENDING;
    }
    *a = h->ans;
    return POP3_ANSWERED;
}

static int h_open(void *ud, pop3_session *s, pop3_maildrop *a)
{
    (void)ud;
    (void)s;
    a->result = POP3_R_OK;
    return POP3_ANSWERED;
}

static int h_info(void *ud, pop3_session *s, uint32_t n, unsigned w, pop3_msg_info *a)
{
    (void)ud; (void)s; (void)n; (void)w;
    a->result = POP3_R_NO_MESSAGE;
    return POP3_ANSWERED;
}

static int h_read(void *ud, pop3_session *s, const pop3_read_request *r, pop3_chunk *a)
{
    (void)ud; (void)s; (void)r;
    a->result = POP3_R_NO_MESSAGE;
    return POP3_ANSWERED;
}

static int h_commit(void *ud, pop3_session *s, const pop3_commit_request *r, int *res)
{
    (void)ud; (void)s; (void)r;
    *res = POP3_R_OK;
    return POP3_ANSWERED;
}

static int h_random(void *ud, void *buf, size_t n)
{
    struct host *h = ud;
    unsigned char *b = buf;
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(h->rnd_counter++ * 37u + 11u);
    return 0;
}

/* A toy host mechanism "X-TWICE": the client sends a name, the server
 * challenges "again?", the client repeats the name; success if equal. */
static int h_sasl(void *ud, pop3_session *s, const pop3_sasl_request *rq,
                  pop3_sasl_answer *a)
{
    struct host *h = ud;
    (void)s;
    memset(&h->sans, 0, sizeof h->sans);
    h->host_steps++;
    if (rq->step == 0) {
        if (!rq->has_data || rq->len >= sizeof h->chal) {
            h->sans.result = POP3_R_DENIED;
        } else {
            memcpy(h->chal, rq->data, rq->len);
            h->chal[rq->len] = '\0';
            h->sans.result = POP3_R_CONTINUE;
            h->sans.data = "again?";
            h->sans.len = 6;
        }
    } else if (rq->len == strlen(h->chal) && memcmp(rq->data, h->chal, rq->len) == 0) {
        h->sans.result = POP3_R_OK;
        h->sans.login_user = h->chal;
    } else {
        h->sans.result = POP3_R_DENIED;
    }
    if (h->pend) {
        h->have_sasl_pending = 1;
        return POP3_PENDING;
    }
    *a = h->sans;
    return POP3_ANSWERED;
}

static pop3_session *new_session(struct host *h, unsigned flags, unsigned cfg_flags)
{
    pop3_config cfg;
    pop3_callbacks cb;
    pop3_config_init(&cfg);
    cfg.auth_fail_delay_ms = 0;
    cfg.flags |= cfg_flags;
    cfg.sasl_mechs = POP3_SASL_PLAIN | POP3_SASL_LOGIN | POP3_SASL_CRAM_MD5 |
                     POP3_SASL_SCRAM_SHA_1 | POP3_SASL_SCRAM_SHA_256 |
                     POP3_SASL_OAUTHBEARER | POP3_SASL_XOAUTH2 | POP3_SASL_EXTERNAL |
                     POP3_SASL_HOST;
    cfg.host_mechs = "X-TWICE";
    cfg.hostname = "pop.example.org";
    pop3_callbacks_init(&cb);
    cb.authenticate = h_auth;
    cb.open_maildrop = h_open;
    cb.msg_info = h_info;
    cb.msg_read = h_read;
    cb.commit = h_commit;
    cb.random = h_random;
    cb.sasl_step = h_sasl;
    pop3_session *s = pop3_session_new(&cfg, &cb, h, NULL, NULL);
    assert_non_null(s);
    pop3_connection conn = {0, flags, NULL};
    assert_int_equal(pop3_session_start(s, &conn), POP3_OK);
    return s;
}

static char out_text[16384];
static size_t out_len;

/* Drain output; deliver pending answers. */
static void pump(pop3_session *s, struct host *h)
{
    for (int guard = 0; guard < 10000; guard++) {
        size_t n;
        const unsigned char *o = pop3_session_out_buf(s, &n);
        if (n) {
            assert_true(out_len + n < sizeof out_text);
            memcpy(out_text + out_len, o, n);
            out_len += n;
            out_text[out_len] = '\0';
            assert_int_equal(pop3_session_out_ack(s, n), POP3_OK);
            continue;
        }
        if (h->have_pending) {
            h->have_pending = 0;
            assert_int_equal(pop3_session_auth_done(s, &h->ans), POP3_OK);
            continue;
        }
        if (h->have_sasl_pending) {
            h->have_sasl_pending = 0;
            assert_int_equal(pop3_session_sasl_done(s, &h->sans), POP3_OK);
            continue;
        }
        return;
    }
    fail_msg("no progress");
}

static int bytewise;

/* Send one client line; return the server's answer to it (all output). */
static const char *say(pop3_session *s, struct host *h, const char *line)
{
    char buf[4096];
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s\r\n", line);
    out_len = 0;
    out_text[0] = '\0';
    pump(s, h);
    out_len = 0;
    out_text[0] = '\0';
    if (bytewise) {
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(pop3_session_recv(s, buf + i, 1), 1);
            pump(s, h);
        }
    } else {
        assert_int_equal(pop3_session_recv(s, buf, n), (long)n);
    }
    pump(s, h);
    return out_text;
}

/* The base64 payload of a "+ " challenge, decoded into out (NUL-ended). */
static size_t challenge(const char *reply, char *out, size_t cap)
{
    size_t n = 0, len;
    assert_true(reply[0] == '+' && reply[1] == ' ');
    len = strcspn(reply + 2, "\r");
    assert_int_equal(pop3__base64_decode(reply + 2, len, out, cap - 1, &n), 0);
    out[n] = '\0';
    return n;
}

#define LOGGED_IN "+OK maildrop has 0 messages (0 octets)\r\n"

/* Run one test body four ways: inline/pending x whole/bytewise. */
#define FOUR_WAYS(...)                                                           \
    for (int variant = 0; variant < 4; variant++) {                              \
        struct host h;                                                           \
        memset(&h, 0, sizeof h);                                                 \
        h.pend = variant & 1;                                                    \
        bytewise = (variant & 2) != 0;                                           \
        __VA_ARGS__                                                              \
    }

static void auth_plain_rfc4616_initial_response_logs_in(void **state)
{
    (void)state;
    FOUR_WAYS({
        pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
        assert_string_equal(say(s, &h, "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm"), LOGGED_IN);
        assert_int_equal(h.kind_seen, POP3_AUTH_PASS);
        assert_string_equal(h.mech_seen, "PLAIN");
        assert_string_equal(pop3_session_user(s), "tim");
        pop3_session_free(s);
    })
}

static void auth_plain_empty_challenge_then_response(void **state)
{
    (void)state;
    FOUR_WAYS({
        pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
        assert_string_equal(say(s, &h, "AUTH PLAIN"), "+ \r\n");
        assert_string_equal(say(s, &h, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm"), LOGGED_IN);
        pop3_session_free(s);
    })
}

static void auth_plain_authzid_refused_unless_allowed(void **state)
{
    (void)state;
    struct host h;
    memset(&h, 0, sizeof h);
    bytewise = 0;
    /* "Ursel\0tim\0tanstaaftanstaaf": tim asks to act as Ursel. */
    const char *ir = b64("Ursel\0tim\0tanstaaftanstaaf", 26);
    char line[128];
    snprintf(line, sizeof line, "AUTH PLAIN %s", ir);
    pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
    assert_string_equal(say(s, &h, line), "-ERR [AUTH] authentication failed\r\n");
    assert_int_equal(h.kind_seen, 0);          /* the host was never asked */
    pop3_session_free(s);
    s = new_session(&h, POP3_CONN_TLS_ACTIVE, POP3_CFG_ALLOW_AUTHZID);
    assert_string_equal(say(s, &h, line), LOGGED_IN);
    assert_string_equal(h.authzid_seen, "Ursel");
    assert_string_equal(pop3_session_user(s), "Ursel");
    pop3_session_free(s);
}

static void auth_plain_and_login_hidden_and_refused_without_protection(void **state)
{
    (void)state;
    struct host h;
    memset(&h, 0, sizeof h);
    bytewise = 0;
    pop3_session *s = new_session(&h, 0, 0);
    const char *capa = say(s, &h, "CAPA");
    assert_non_null(strstr(capa, "\r\nSASL CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 EXTERNAL X-TWICE\r\n"));
    assert_string_equal(say(s, &h, "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm"),
                        "-ERR plaintext login not allowed on this channel\r\n");
    assert_string_equal(say(s, &h, "AUTH LOGIN"),
                        "-ERR plaintext login not allowed on this channel\r\n");
    assert_string_equal(say(s, &h, "AUTH XOAUTH2 =" ),
                        "-ERR plaintext login not allowed on this channel\r\n");
    pop3_session_free(s);
    s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
    capa = say(s, &h, "CAPA");
    assert_non_null(strstr(capa, "\r\nSASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 "
                                 "OAUTHBEARER XOAUTH2 EXTERNAL X-TWICE\r\n"));
    pop3_session_free(s);
}

static void auth_login_username_password_challenges(void **state)
{
    (void)state;
    FOUR_WAYS({
        pop3_session *s = new_session(&h, POP3_CONN_PROTECTED, 0);
        assert_string_equal(say(s, &h, "AUTH LOGIN"), "+ VXNlcm5hbWU6\r\n");
        assert_string_equal(say(s, &h, b64("tim", 3)), "+ UGFzc3dvcmQ6\r\n");
        assert_string_equal(say(s, &h, b64("tanstaaftanstaaf", 16)), LOGGED_IN);
        pop3_session_free(s);
        /* The username as initial response (what most clients send). */
        s = new_session(&h, POP3_CONN_PROTECTED, 0);
        assert_string_equal(say(s, &h, "AUTH LOGIN dGlt"), "+ UGFzc3dvcmQ6\r\n");
        assert_string_equal(say(s, &h, b64("wrong", 5)), "-ERR [AUTH] authentication failed\r\n");
        pop3_session_free(s);
    })
}

static void auth_cram_md5_challenge_and_digest(void **state)
{
    (void)state;
    FOUR_WAYS({
        char ch[256], line[300];
        unsigned char mac[16];
        char hex[33];
        pop3_session *s = new_session(&h, 0, 0);
        size_t n = challenge(say(s, &h, "AUTH CRAM-MD5"), ch, sizeof ch);
        /* RFC 2195: a msg-id shaped, unique challenge with our host name. */
        assert_true(ch[0] == '<' && ch[n - 1] == '>');
        assert_non_null(strstr(ch, "@pop.example.org>"));
        pop3__hmac(POP3__HASH_MD5, "tanstaaftanstaaf", 16, ch, n, mac);
        pop3__hex(mac, 16, hex);
        snprintf(line, sizeof line, "tim %s", hex);
        assert_string_equal(say(s, &h, b64(line, strlen(line))), LOGGED_IN);
        assert_int_equal(h.kind_seen, POP3_AUTH_CRAM_MD5);
        pop3_session_free(s);
    })
}

static void auth_cram_md5_rejects_initial_response_and_bad_digest(void **state)
{
    (void)state;
    struct host h;
    char ch[256];
    memset(&h, 0, sizeof h);
    bytewise = 0;
    pop3_session *s = new_session(&h, 0, 0);
    assert_string_equal(say(s, &h, "AUTH CRAM-MD5 dGlt"), "-ERR [AUTH] authentication failed\r\n");
    challenge(say(s, &h, "AUTH CRAM-MD5"), ch, sizeof ch);
    const char *bad = "tim b913a602c7eda7a495b4e6e7334d3890";   /* wrong challenge */
    assert_string_equal(say(s, &h, b64(bad, strlen(bad))), "-ERR [AUTH] authentication failed\r\n");
    pop3_session_free(s);
}

/* A SCRAM client written from RFC 5802 §3 on the library's primitives
 * (which test_crypto checks against the RFC vectors). */
static void scram_session(pop3__hash_kind k, const char *mech, int scram_mode,
                          const char *password, int expect_ok)
{
    FOUR_WAYS({
        char sf[512], line[1024], cfb[128], cfwp[256], v[128];
        unsigned char salt[64], salted[32], ck[32], sk[32], stk[32], csig[32], proof[32],
            ssig[32];
        size_t hl = pop3__hash_len(k), sl;
        h.scram_mode = scram_mode;
        pop3_session *s = new_session(&h, 0, 0);
        snprintf(cfb, sizeof cfb, "n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        snprintf(line, sizeof line, "n,,%s", cfb);
        snprintf(sf, sizeof sf, "AUTH %s %s", mech, b64(line, strlen(line)));
        challenge(say(s, &h, sf), sf, sizeof sf);
        /* r=<client nonce><server nonce>,s=<salt>,i=4096 */
        assert_memory_equal(sf, "r=fyko+d2lbbFgONRv9qkxdawL", 26);
        char *sp = strstr(sf, ",s="), *ip = strstr(sf, ",i=");
        assert_non_null(sp);
        assert_non_null(ip);
        *ip = '\0';
        assert_int_equal(pop3__base64_decode(sp + 3, strlen(sp + 3), salt, sizeof salt, &sl), 0);
        *ip = ',';
        assert_string_equal(ip, ",i=4096");
        snprintf(cfwp, sizeof cfwp, "c=biws,r=%.*s", (int)(sp - sf - 2), sf + 2);
        pop3__pbkdf2(k, password, strlen(password), salt, sl, 4096, salted, hl);
        pop3__hmac(k, salted, hl, "Client Key", 10, ck);
        pop3__hash(k, ck, hl, stk);
        pop3__hmac(k, salted, hl, "Server Key", 10, sk);
        snprintf(line, sizeof line, "%s,%s,%s", cfb, sf, cfwp);
        pop3__hmac(k, stk, hl, line, strlen(line), csig);
        pop3__hmac(k, sk, hl, line, strlen(line), ssig);
        for (size_t i = 0; i < hl; i++)
            proof[i] = (unsigned char)(ck[i] ^ csig[i]);
        snprintf(line, sizeof line, "%s,p=%s", cfwp, b64(proof, hl));
        const char *r = say(s, &h, b64(line, strlen(line)));
        if (!expect_ok) {
            assert_string_equal(r, "-ERR [AUTH] authentication failed\r\n");
        } else {
            challenge(r, v, sizeof v);
            snprintf(line, sizeof line, "v=%s", b64(ssig, hl));
            assert_string_equal(v, line);       /* the server proves itself */
            assert_string_equal(say(s, &h, ""), LOGGED_IN);
            assert_string_equal(pop3_session_user(s), "user");
        }
        pop3_session_free(s);
    })
}

static void auth_scram_sha1_with_password(void **state)
{
    (void)state;
    scram_session(POP3__HASH_SHA1, "SCRAM-SHA-1", 0, "pencil", 1);
}

static void auth_scram_sha256_with_stored_keys(void **state)
{
    (void)state;
    scram_session(POP3__HASH_SHA256, "SCRAM-SHA-256", 1, "pencil", 1);
}

static void auth_scram_wrong_password_fails_after_proof(void **state)
{
    (void)state;
    scram_session(POP3__HASH_SHA256, "SCRAM-SHA-256", 0, "pencil2", 0);
}

static void auth_scram_unknown_user_indistinguishable_until_the_end(void **state)
{
    (void)state;
    struct host h;
    char sf[512];
    memset(&h, 0, sizeof h);
    bytewise = 0;
    pop3_session *s = new_session(&h, 0, 0);
    const char *cf = "n,,n=nobody,r=abcdefghijkl";
    snprintf(sf, sizeof sf, "AUTH SCRAM-SHA-256 %s", b64(cf, strlen(cf)));
    const char *r = say(s, &h, sf);
    challenge(r, sf, sizeof sf);            /* a normal-looking server-first */
    assert_non_null(strstr(sf, ",s="));
    assert_non_null(strstr(sf, ",i=4096"));
    pop3_session_free(s);
}

static void auth_oauthbearer_rfc7628_success_and_error_challenge(void **state)
{
    (void)state;
    FOUR_WAYS({
        static const char ok_msg[] = "n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
                                     "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01";
        static const char bad_msg[] = "n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
                                      "auth=Bearer expired\x01\x01";
        char line[512];
        pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
        snprintf(line, sizeof line, "AUTH OAUTHBEARER %s", b64(ok_msg, sizeof ok_msg - 1));
        assert_string_equal(say(s, &h, line), LOGGED_IN);
        assert_int_equal(h.kind_seen, POP3_AUTH_BEARER);
        assert_string_equal(h.user_seen, "user@example.com");
        pop3_session_free(s);

        s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
        snprintf(line, sizeof line, "AUTH OAUTHBEARER %s", b64(bad_msg, sizeof bad_msg - 1));
        /* RFC 7628 §4.3's error challenge, byte for byte. */
        assert_string_equal(say(s, &h, line),
            "+ eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=\r\n");
        assert_string_equal(say(s, &h, "AQ=="), "-ERR [AUTH] authentication failed\r\n");
        pop3_session_free(s);
    })
}

static void auth_xoauth2_success_and_failure(void **state)
{
    (void)state;
    FOUR_WAYS({
        static const char ok_msg[] = "user=someuser@example.com\x01" "auth=Bearer ya29.good\x01\x01";
        static const char bad_msg[] = "user=someuser@example.com\x01" "auth=Bearer ya29.bad\x01\x01";
        char line[512];
        pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
        snprintf(line, sizeof line, "AUTH XOAUTH2 %s", b64(ok_msg, sizeof ok_msg - 1));
        assert_string_equal(say(s, &h, line), LOGGED_IN);
        assert_string_equal(pop3_session_user(s), "someuser@example.com");
        pop3_session_free(s);
        s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
        snprintf(line, sizeof line, "AUTH XOAUTH2 %s", b64(bad_msg, sizeof bad_msg - 1));
        assert_true(strncmp(say(s, &h, line), "+ eyJ", 5) == 0);
        assert_string_equal(say(s, &h, ""), "-ERR [AUTH] authentication failed\r\n");
        pop3_session_free(s);
    })
}

static void auth_external_identity_from_host_or_authzid(void **state)
{
    (void)state;
    FOUR_WAYS({
        pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
        assert_string_equal(say(s, &h, "AUTH EXTERNAL ="), LOGGED_IN);
        assert_string_equal(pop3_session_user(s), "cert-user");
        pop3_session_free(s);
        s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
        assert_string_equal(say(s, &h, "AUTH EXTERNAL"), "+ \r\n");
        assert_string_equal(say(s, &h, b64("alice", 5)), LOGGED_IN);
        assert_string_equal(h.authzid_seen, "alice");
        assert_string_equal(pop3_session_user(s), "alice");
        pop3_session_free(s);
    })
}

static void auth_host_mechanism_frames_and_sequences(void **state)
{
    (void)state;
    FOUR_WAYS({
        pop3_session *s = new_session(&h, 0, 0);
        assert_string_equal(say(s, &h, "AUTH x-twice Ym9i"), "+ YWdhaW4/\r\n");
        assert_string_equal(say(s, &h, "Ym9i"), LOGGED_IN);
        assert_string_equal(pop3_session_user(s), "bob");
        assert_int_equal(h.host_steps, 2);
        pop3_session_free(s);
    })
}

static void auth_cancel_with_star(void **state)
{
    (void)state;
    struct host h;
    memset(&h, 0, sizeof h);
    bytewise = 0;
    pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
    assert_string_equal(say(s, &h, "AUTH LOGIN"), "+ VXNlcm5hbWU6\r\n");
    assert_string_equal(say(s, &h, "*"), "-ERR authentication cancelled\r\n");
    assert_string_equal(say(s, &h, "NOOP"), "-ERR command not valid in this state\r\n");
    pop3_session_free(s);
}

static void auth_invalid_base64_is_refused(void **state)
{
    (void)state;
    struct host h;
    memset(&h, 0, sizeof h);
    bytewise = 0;
    pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
    assert_string_equal(say(s, &h, "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWF"),
                        "-ERR invalid base64\r\n");
    assert_string_equal(say(s, &h, "AUTH LOGIN"), "+ VXNlcm5hbWU6\r\n");
    assert_string_equal(say(s, &h, "dGlt dGlt"), "-ERR invalid base64\r\n");
    pop3_session_free(s);
}

static void auth_unknown_mechanism_and_bare_auth(void **state)
{
    (void)state;
    struct host h;
    memset(&h, 0, sizeof h);
    bytewise = 0;
    pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
    assert_string_equal(say(s, &h, "AUTH GSSAPI"), "-ERR unrecognized authentication mechanism\r\n");
    assert_string_equal(say(s, &h, "AUTH"), "-ERR usage: AUTH mechanism [initial-response]\r\n");
    pop3_session_free(s);
    s = new_session(&h, 0, POP3_CFG_AUTH_LIST);
    assert_string_equal(say(s, &h, "AUTH"),
                        "+OK SASL mechanisms follow\r\nCRAM-MD5\r\nSCRAM-SHA-1\r\n"
                        "SCRAM-SHA-256\r\nEXTERNAL\r\nX-TWICE\r\n.\r\n");
    pop3_session_free(s);
}

static void auth_failures_count_toward_the_limit(void **state)
{
    (void)state;
    struct host h;
    memset(&h, 0, sizeof h);
    bytewise = 0;
    pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
    const char *bad = b64("\0tim\0nope", 9);
    char line[128];
    snprintf(line, sizeof line, "AUTH PLAIN %s", bad);
    assert_string_equal(say(s, &h, line), "-ERR [AUTH] authentication failed\r\n");
    assert_string_equal(say(s, &h, "AUTH PLAIN AAAA"), "-ERR [AUTH] authentication failed\r\n");
    assert_string_equal(say(s, &h, line), "-ERR [AUTH] authentication failed, closing\r\n");
    assert_int_equal(pop3_session_status(s), POP3_STATUS_CLOSED);
    pop3_session_free(s);
}

static void auth_initial_response_longer_than_command_limit_accepted(void **state)
{
    (void)state;
    struct host h;
    char msg[700], line[1100];
    memset(&h, 0, sizeof h);
    bytewise = 0;
    /* A 600-character token: over 255 octets, within max_auth_line. */
    memset(msg, 0, sizeof msg);
    int n = snprintf(msg, sizeof msg, "user=a@example.com\x01" "auth=Bearer ");
    memset(msg + n, 'T', 600);
    memcpy(msg + n + 600, "\x01\x01", 2);
    snprintf(line, sizeof line, "AUTH XOAUTH2 %s", b64(msg, (size_t)n + 602));
    assert_true(strlen(line) > 255);
    pop3_session *s = new_session(&h, POP3_CONN_TLS_ACTIVE, 0);
    const char *r = say(s, &h, line);
    assert_true(strncmp(r, "+ eyJ", 5) == 0);  /* parsed and sent to the host */
    assert_int_equal(strlen(h.token_seen), 199); /* truncated copy in the host */
    pop3_session_free(s);
}


static void auth_scram_denied_with_host_salt_shows_that_salt(void **state)
{
    (void)state;
    struct host h;
    char sf[512];
    memset(&h, 0, sizeof h);
    bytewise = 0;
    h.deny_salt = 1;
    pop3_session *s = new_session(&h, 0, 0);
    const char *cf = "n,,n=nobody,r=abcdefghijkl";
    snprintf(sf, sizeof sf, "AUTH SCRAM-SHA-256 %s", b64(cf, strlen(cf)));
    challenge(say(s, &h, sf), sf, sizeof sf);
    /* The host's stable made-up salt and count, not random ones. */
    assert_non_null(strstr(sf, ",s=bm9ib2R5LXNhbHQ=,i=5000"));
    pop3_session_free(s);
}

static void set_sasl_adds_external_after_tls(void **state)
{
    (void)state;
    struct host h;
    memset(&h, 0, sizeof h);
    bytewise = 0;
    pop3_session *s = new_session(&h, POP3_CONN_TLS_AVAILABLE, 0);
    assert_int_equal(pop3_session_set_sasl(s, POP3_SASL_CRAM_MD5), POP3_OK);
    assert_non_null(strstr(say(s, &h, "CAPA"), "\r\nSASL CRAM-MD5\r\n"));
    assert_string_equal(say(s, &h, "STLS"), "+OK begin TLS negotiation\r\n");
    assert_int_equal(pop3_session_tls_done(s, 1), POP3_OK);
    /* The handshake verified a client certificate: offer EXTERNAL. */
    assert_int_equal(pop3_session_set_sasl(s, POP3_SASL_EXTERNAL | POP3_SASL_PLAIN), POP3_OK);
    assert_non_null(strstr(say(s, &h, "CAPA"), "\r\nSASL PLAIN EXTERNAL\r\n"));
    assert_int_equal(pop3_session_set_sasl(s, 1u << 20), POP3_E_INVALID);
    assert_string_equal(say(s, &h, "AUTH EXTERNAL"), "+ \r\n");
    assert_int_equal(pop3_session_set_sasl(s, 0), POP3_E_STATE);   /* mid-exchange */
    assert_string_equal(say(s, &h, "="), LOGGED_IN);
    assert_int_equal(pop3_session_set_sasl(s, 0), POP3_E_STATE);   /* TRANSACTION */
    pop3_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_rfc4616_examples_parse),
        cmocka_unit_test(saslname_escapes_decode_and_bad_escapes_fail),
        cmocka_unit_test(scram_client_first_parse_rfc5802),
        cmocka_unit_test(scram_server_first_rfc5802_and_rfc7677_byte_for_byte),
        cmocka_unit_test(scram_sha1_rfc5802_exchange_verifies),
        cmocka_unit_test(scram_sha256_rfc7677_exchange_verifies),
        cmocka_unit_test(oauthbearer_rfc7628_message_parses),
        cmocka_unit_test(xoauth2_message_parses),
        cmocka_unit_test(gs2_header_grammar_rfc5801),
        cmocka_unit_test(scram_client_first_grammar_rfc5802),
        cmocka_unit_test(scram_client_final_grammar_rfc5802),
        cmocka_unit_test(oauthbearer_grammar_rfc7628),
        cmocka_unit_test(xoauth2_grammar),
        cmocka_unit_test(cram_md5_rfc2195_digest),
        cmocka_unit_test(auth_plain_rfc4616_initial_response_logs_in),
        cmocka_unit_test(auth_plain_empty_challenge_then_response),
        cmocka_unit_test(auth_plain_authzid_refused_unless_allowed),
        cmocka_unit_test(auth_plain_and_login_hidden_and_refused_without_protection),
        cmocka_unit_test(auth_login_username_password_challenges),
        cmocka_unit_test(auth_cram_md5_challenge_and_digest),
        cmocka_unit_test(auth_cram_md5_rejects_initial_response_and_bad_digest),
        cmocka_unit_test(auth_scram_sha1_with_password),
        cmocka_unit_test(auth_scram_sha256_with_stored_keys),
        cmocka_unit_test(auth_scram_wrong_password_fails_after_proof),
        cmocka_unit_test(auth_scram_unknown_user_indistinguishable_until_the_end),
        cmocka_unit_test(auth_oauthbearer_rfc7628_success_and_error_challenge),
        cmocka_unit_test(auth_xoauth2_success_and_failure),
        cmocka_unit_test(auth_external_identity_from_host_or_authzid),
        cmocka_unit_test(auth_host_mechanism_frames_and_sequences),
        cmocka_unit_test(auth_cancel_with_star),
        cmocka_unit_test(auth_invalid_base64_is_refused),
        cmocka_unit_test(auth_unknown_mechanism_and_bare_auth),
        cmocka_unit_test(auth_failures_count_toward_the_limit),
        cmocka_unit_test(auth_initial_response_longer_than_command_limit_accepted),
        cmocka_unit_test(auth_scram_denied_with_host_salt_shows_that_salt),
        cmocka_unit_test(set_sasl_adds_external_after_tls),
    };
    return cmocka_run_group_tests_name("sasl", tests, NULL, NULL);
}
