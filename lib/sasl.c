/*
 * sasl.c - message parsers and computations of the built-in SASL
 * mechanisms: PLAIN (RFC 4616), SCRAM (RFC 5802, RFC 7677), OAUTHBEARER
 * (RFC 7628) and XOAUTH2.  Every parser reads exactly m[0..n) and only
 * returns spans inside it.
 */
#include "sasl.h"

#include <string.h>

static const char *find(const char *p, size_t n, char c)
{
    return n ? memchr(p, c, n) : NULL;
}

int pop3__sasl_plain_parse(const char *m, size_t n, pop3__span *authzid,
                           pop3__span *authcid, pop3__span *passwd)
{
    const char *a = find(m, n, '\0'), *b;
    if (!a)
        return -1;
    b = find(a + 1, n - (size_t)(a + 1 - m), '\0');
    if (!b)
        return -1;
    if (find(b + 1, n - (size_t)(b + 1 - m), '\0'))
        return -1;
    authzid->p = m;
    authzid->n = (size_t)(a - m);
    authcid->p = a + 1;
    authcid->n = (size_t)(b - a - 1);
    passwd->p = b + 1;
    passwd->n = n - (size_t)(b + 1 - m);
    return authcid->n && passwd->n ? 0 : -1;
}

/* saslname = 1*(value-safe-char / "=2C" / "=3D"), RFC 5802 §7 */
static int valid_saslname(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == 0 || c == ',')
            return 0;
        if (c == '=') {
            if (n - i < 3 || !((p[i + 1] == '2' && p[i + 2] == 'C') ||
                               (p[i + 1] == '3' && p[i + 2] == 'D')))
                return 0;
            i += 2;
        }
    }
    return 1;
}

long pop3__saslname_decode(const char *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    if (!valid_saslname(in, n))
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '=') {
            c = in[i + 1] == '2' ? ',' : '=';
            i += 2;
        }
        if (o >= cap)
            return -1;
        out[o++] = c;
    }
    return (long)o;
}

long pop3__gs2_parse(const char *m, size_t n, pop3__span *hdr,
                     pop3__span *authzid)
{
    const char *comma;
    size_t i;
    if (n < 3 || (m[0] != 'n' && m[0] != 'y') || m[1] != ',')
        return -1;                      /* "p=" (channel binding) refused */
    i = 2;
    authzid->p = m + i;
    authzid->n = 0;
    if (m[i] != ',') {
        if (n - i < 3 || m[i] != 'a' || m[i + 1] != '=')
            return -1;
        comma = find(m + i + 2, n - i - 2, ',');
        if (!comma || comma == m + i + 2)
            return -1;
        authzid->p = m + i + 2;
        authzid->n = (size_t)(comma - (m + i + 2));
        if (!valid_saslname(authzid->p, authzid->n))
            return -1;
        i = (size_t)(comma - m);
    }
    hdr->p = m;
    hdr->n = i + 1;
    return (long)(i + 1);
}

static int printable_nonce(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x21 || c > 0x7E || c == ',')
            return 0;
    }
    return 1;
}

/* The value of attribute `name` ("x=") at p, up to the next comma. */
static int attribute(const char *p, size_t n, char name, pop3__span *v,
                     size_t *used)
{
    const char *comma;
    if (n < 2 || p[0] != name || p[1] != '=')
        return -1;
    comma = find(p + 2, n - 2, ',');
    v->p = p + 2;
    v->n = comma ? (size_t)(comma - (p + 2)) : n - 2;
    *used = 2 + v->n;
    return 0;
}

int pop3__scram_parse_first(const char *m, size_t n, pop3__scram_first *f)
{
    long h;
    size_t i, used;
    memset(f, 0, sizeof *f);
    h = pop3__gs2_parse(m, n, &f->gs2, &f->authzid);
    if (h < 0)
        return -1;
    i = (size_t)h;
    f->bare.p = m + i;
    f->bare.n = n - i;
    if (i < n && m[i] == 'm')           /* reserved-mext: must fail */
        return -1;
    if (attribute(m + i, n - i, 'n', &f->user, &used) != 0 || f->user.n == 0 ||
        !valid_saslname(f->user.p, f->user.n))
        return -1;
    i += used;
    if (i >= n || m[i] != ',')
        return -1;
    i++;
    if (attribute(m + i, n - i, 'r', &f->cnonce, &used) != 0 ||
        !printable_nonce(f->cnonce.p, f->cnonce.n))
        return -1;
    i += used;
    /* Optional extensions after a comma; anything else is an error. */
    if (i < n && (m[i] != ',' || i + 1 == n))
        return -1;
    return 0;
}

int pop3__scram_parse_final(const char *m, size_t n, pop3__scram_final *f)
{
    size_t i = 0, used, k;
    memset(f, 0, sizeof *f);
    /* The proof is the last attribute; base64 has no commas. */
    for (k = n; k >= 3; k--)
        if (m[k - 3] == ',' && m[k - 2] == 'p' && m[k - 1] == '=')
            break;
    if (k < 3)
        return -1;
    f->without_proof.p = m;
    f->without_proof.n = k - 3;
    f->proof.p = m + k;
    f->proof.n = n - k;
    if (f->proof.n == 0 || find(f->proof.p, f->proof.n, ','))
        return -1;
    n = f->without_proof.n;
    if (attribute(m, n, 'c', &f->cbind, &used) != 0)
        return -1;
    i = used;
    if (i >= n || m[i] != ',')
        return -1;
    i++;
    if (attribute(m + i, n - i, 'r', &f->nonce, &used) != 0 ||
        !printable_nonce(f->nonce.p, f->nonce.n))
        return -1;
    i += used;
    if (i < n && (m[i] != ',' || i + 1 == n))
        return -1;
    return 0;
}

int pop3__scram_keys(pop3__hash_kind kind, const void *password, size_t plen,
                     const void *salt, size_t slen, uint32_t iterations,
                     unsigned char *stored_key, unsigned char *server_key)
{
    unsigned char salted[POP3__HASH_MAX_LEN], client_key[POP3__HASH_MAX_LEN];
    size_t h = pop3__hash_len(kind);
    int r = pop3__pbkdf2(kind, password, plen, salt, slen, iterations, salted, h);
    if (r == POP3_OK)
        r = pop3__hmac(kind, salted, h, "Client Key", 10, client_key);
    if (r == POP3_OK)
        r = pop3__hash(kind, client_key, h, stored_key);
    if (r == POP3_OK)
        r = pop3__hmac(kind, salted, h, "Server Key", 10, server_key);
    pop3__wipe(salted, sizeof salted);
    pop3__wipe(client_key, sizeof client_key);
    return r;
}

size_t pop3__scram_server_first(pop3__span cnonce, pop3__span snonce,
                                const unsigned char *salt, size_t salt_len,
                                uint32_t iterations, char *out)
{
    char t[10];
    size_t n = 0, k = sizeof t;
    memcpy(out, "r=", 2);
    n = 2;
    memcpy(out + n, cnonce.p, cnonce.n);
    n += cnonce.n;
    memcpy(out + n, snonce.p, snonce.n);
    n += snonce.n;
    memcpy(out + n, ",s=", 3);
    n += 3;
    n += pop3__base64_encode(salt, salt_len, out + n);
    memcpy(out + n, ",i=", 3);
    n += 3;
    do {
        t[--k] = (char)('0' + iterations % 10);
        iterations /= 10;
    } while (iterations);
    memcpy(out + n, t + k, sizeof t - k);
    return n + sizeof t - k;
}

static void auth_message(pop3__hmac_ctx *c, pop3__span a, pop3__span b,
                         pop3__span d)
{
    pop3__hmac_update(c, a.p, a.n);
    pop3__hmac_update(c, ",", 1);
    pop3__hmac_update(c, b.p, b.n);
    pop3__hmac_update(c, ",", 1);
    pop3__hmac_update(c, d.p, d.n);
}

int pop3__scram_verify(pop3__hash_kind kind, const unsigned char *stored_key,
                       const unsigned char *server_key,
                       pop3__span first_bare, pop3__span server_first,
                       pop3__span final_without_proof,
                       const unsigned char *proof, size_t proof_len,
                       unsigned char *sig)
{
    unsigned char client_sig[POP3__HASH_MAX_LEN], client_key[POP3__HASH_MAX_LEN],
        check[POP3__HASH_MAX_LEN];
    size_t h = pop3__hash_len(kind);
    pop3__hmac_ctx c;
    int ok;

    pop3__hmac_init(&c, kind, stored_key, h);
    auth_message(&c, first_bare, server_first, final_without_proof);
    pop3__hmac_final(&c, client_sig);
    pop3__hmac_init(&c, kind, server_key, h);
    auth_message(&c, first_bare, server_first, final_without_proof);
    pop3__hmac_final(&c, sig);

    for (size_t i = 0; i < h; i++)
        client_key[i] = (unsigned char)((i < proof_len ? proof[i] : 0) ^ client_sig[i]);
    pop3__hash(kind, client_key, h, check);
    ok = pop3_ct_equal(check, stored_key, h) & (proof_len == h);
    pop3__wipe(client_sig, sizeof client_sig);
    pop3__wipe(client_key, sizeof client_key);
    pop3__wipe(check, sizeof check);
    return ok;
}

/* key=value pairs separated by 0x01, the list ending in an empty pair. */
static int kv_find_auth(const char *p, size_t n, const char *want,
                        pop3__span *val)
{
    int found = 0;
    size_t i = 0;
    size_t wl = strlen(want);
    for (;;) {
        const char *end = find(p + i, n - i, '\x01');
        size_t len;
        if (!end)
            return -1;
        len = (size_t)(end - (p + i));
        if (len == 0)                   /* the closing kvsep: must be last */
            return (i + 1 == n && found) ? 0 : -1;
        if (len > wl && memcmp(p + i, want, wl) == 0) {
            if (found)
                return -1;              /* the key twice */
            val->p = p + i + wl;
            val->n = len - wl;
            found = 1;
        }
        i += len + 1;
    }
}

/* "Bearer" SP token, scheme compared without case (RFC 6750 §2.1). */
static int bearer(pop3__span v, pop3__span *token)
{
    static const char b[] = "bearer ";
    if (v.n <= 7)
        return -1;
    for (size_t i = 0; i < 7; i++) {
        char c = v.p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != b[i])
            return -1;
    }
    token->p = v.p + 7;
    token->n = v.n - 7;
    for (size_t i = 0; i < token->n; i++)
        if ((unsigned char)token->p[i] <= 0x20 || (unsigned char)token->p[i] >= 0x7F)
            return -1;
    return 0;
}

int pop3__oauthbearer_parse(const char *m, size_t n, pop3__span *authzid,
                            pop3__span *token)
{
    pop3__span hdr, v;
    long h = pop3__gs2_parse(m, n, &hdr, authzid);
    if (h < 0 || (size_t)h >= n || m[h] != '\x01')
        return -1;
    if (kv_find_auth(m + h + 1, n - (size_t)h - 1, "auth=", &v) != 0)
        return -1;
    return bearer(v, token);
}

int pop3__xoauth2_parse(const char *m, size_t n, pop3__span *user,
                        pop3__span *token)
{
    pop3__span v;
    const char *end;
    if (n < 5 || memcmp(m, "user=", 5) != 0)
        return -1;
    end = find(m + 5, n - 5, '\x01');
    if (!end || end == m + 5)
        return -1;
    user->p = m + 5;
    user->n = (size_t)(end - (m + 5));
    if (kv_find_auth(end + 1, n - (size_t)(end + 1 - m), "auth=", &v) != 0)
        return -1;
    return bearer(v, token);
}

void pop3__nonce_chars(const unsigned char *rnd, size_t n, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[rnd[i] & 63];
}
