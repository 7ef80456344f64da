/*
 * scram.c - the SCRAM arithmetic pop3d needs around libpop3 (RFC 5802,
 * RFC 7677): SHA-1, SHA-256, HMAC, Hi() (PBKDF2 with one output block),
 * and base64.
 *
 * libpop3 runs the SCRAM exchange itself; pop3d computes only what the
 * library does not: a password checked against stored SCRAM keys (USER/
 * PASS, AUTH PLAIN, AUTH LOGIN for users who have SCRAM credentials only),
 * the per-user salts derived from a server secret, and --scram-hash.
 * Everything here is a pure function, safe on the hashing threads.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "pop3d.h"

#include <string.h>

/* ------------------------------------------------------------------------
 * SHA-1 (FIPS 180-4)
 * ---------------------------------------------------------------------- */

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void sha1_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 16; i++)
        w[i] = be32(p + 4 * i);
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    for (int i = 0; i < 80; i++) {
        uint32_t f, k, t;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

/* ------------------------------------------------------------------------
 * SHA-256 (FIPS 180-4)
 * ---------------------------------------------------------------------- */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = be32(p + 4 * i);
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, h, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + S1 + ch + K256[i] + w[i];
        uint32_t S0 = ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        uint32_t t2 = S0 + maj;
        v[7] = v[6]; v[6] = v[5]; v[5] = v[4]; v[4] = v[3] + t1;
        v[3] = v[2]; v[2] = v[1]; v[1] = v[0]; v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

/* ------------------------------------------------------------------------
 * The common streaming interface
 * ---------------------------------------------------------------------- */

size_t hash_len(int alg)
{
    return alg == HASH_SHA1 ? 20 : 32;
}

void hash_init(struct hash_ctx *c, int alg)
{
    static const uint32_t iv1[5] = {
        0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0
    };
    static const uint32_t iv256[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    };
    memset(c, 0, sizeof *c);
    c->alg = alg;
    if (alg == HASH_SHA1)
        memcpy(c->h, iv1, sizeof iv1);
    else
        memcpy(c->h, iv256, sizeof iv256);
}

static void block(struct hash_ctx *c, const unsigned char *p)
{
    if (c->alg == HASH_SHA1)
        sha1_block(c->h, p);
    else
        sha256_block(c->h, p);
}

void hash_update(struct hash_ctx *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->len += n;
    if (c->n) {
        size_t k = 64 - c->n < n ? 64 - c->n : n;
        memcpy(c->buf + c->n, p, k);
        c->n += k;
        p += k;
        n -= k;
        if (c->n < 64)
            return;
        block(c, c->buf);
        c->n = 0;
    }
    for (; n >= 64; p += 64, n -= 64)
        block(c, p);
    memcpy(c->buf, p, n);
    c->n = n;
}

void hash_final(struct hash_ctx *c, unsigned char *out)
{
    uint64_t bits = c->len * 8;
    size_t words = c->alg == HASH_SHA1 ? 5 : 8;
    c->buf[c->n++] = 0x80;
    if (c->n > 56) {
        memset(c->buf + c->n, 0, 64 - c->n);
        block(c, c->buf);
        c->n = 0;
    }
    memset(c->buf + c->n, 0, 56 - c->n);
    put_be32(c->buf + 56, (uint32_t)(bits >> 32));
    put_be32(c->buf + 60, (uint32_t)bits);
    block(c, c->buf);
    for (size_t i = 0; i < words; i++)
        put_be32(out + 4 * i, c->h[i]);
    wipe(c, sizeof *c);
}

void hash_buf(int alg, const void *data, size_t n, unsigned char *out)
{
    struct hash_ctx c;
    hash_init(&c, alg);
    hash_update(&c, data, n);
    hash_final(&c, out);
}

/* ------------------------------------------------------------------------
 * HMAC (RFC 2104) with the pads hashed once, and Hi() (RFC 5802 §2.2)
 * ---------------------------------------------------------------------- */

struct hmac_key {
    struct hash_ctx inner, outer;   /* states after the padded key block */
};

static void hmac_setup(struct hmac_key *k, int alg, const void *key, size_t klen)
{
    unsigned char kb[64], pad[64];
    memset(kb, 0, sizeof kb);
    if (klen > 64)
        hash_buf(alg, key, klen, kb);
    else
        memcpy(kb, key, klen);
    for (int i = 0; i < 64; i++)
        pad[i] = kb[i] ^ 0x36;
    hash_init(&k->inner, alg);
    hash_update(&k->inner, pad, 64);
    for (int i = 0; i < 64; i++)
        pad[i] = kb[i] ^ 0x5c;
    hash_init(&k->outer, alg);
    hash_update(&k->outer, pad, 64);
    wipe(kb, sizeof kb);
    wipe(pad, sizeof pad);
}

static void hmac_run(const struct hmac_key *k, const void *a, size_t an,
                     const void *b, size_t bn, unsigned char *out)
{
    struct hash_ctx c = k->inner;
    unsigned char mid[HASH_MAX];
    hash_update(&c, a, an);
    if (bn)
        hash_update(&c, b, bn);
    hash_final(&c, mid);
    c = k->outer;
    hash_update(&c, mid, hash_len(k->inner.alg));
    hash_final(&c, out);
    wipe(mid, sizeof mid);
}

void hmac(int alg, const void *key, size_t klen, const void *msg, size_t mlen,
          unsigned char *out)
{
    struct hmac_key k;
    hmac_setup(&k, alg, key, klen);
    hmac_run(&k, msg, mlen, NULL, 0, out);
    wipe(&k, sizeof k);
}

void scram_hi(int alg, const void *pw, size_t pwlen, const unsigned char *salt,
              size_t salt_len, uint32_t iter, unsigned char *out)
{
    static const unsigned char one[4] = {0, 0, 0, 1};
    struct hmac_key k;
    unsigned char u[HASH_MAX];
    size_t h = hash_len(alg);
    hmac_setup(&k, alg, pw, pwlen);
    hmac_run(&k, salt, salt_len, one, 4, u);     /* U1 = HMAC(pw, salt || 1) */
    memcpy(out, u, h);
    for (uint32_t i = 1; i < iter; i++) {
        hmac_run(&k, u, h, NULL, 0, u);
        for (size_t j = 0; j < h; j++)
            out[j] ^= u[j];
    }
    wipe(u, sizeof u);
    wipe(&k, sizeof k);
}

void scram_keys(int alg, const void *pw, size_t pwlen, const unsigned char *salt,
                size_t salt_len, uint32_t iter, unsigned char *stored_key,
                unsigned char *server_key)
{
    unsigned char salted[HASH_MAX], client_key[HASH_MAX];
    size_t h = hash_len(alg);
    scram_hi(alg, pw, pwlen, salt, salt_len, iter, salted);
    hmac(alg, salted, h, "Client Key", 10, client_key);
    hash_buf(alg, client_key, h, stored_key);
    hmac(alg, salted, h, "Server Key", 10, server_key);
    wipe(salted, sizeof salted);
    wipe(client_key, sizeof client_key);
}

/* ------------------------------------------------------------------------
 * base64 (RFC 4648, with padding)
 * ---------------------------------------------------------------------- */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encode(const void *in, size_t n, char *out)
{
    const unsigned char *p = in;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
        out[o++] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? b64chars[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

static int b64_value(unsigned char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

int b64_decode(const char *in, size_t n, unsigned char *out, size_t cap,
               size_t *out_len)
{
    size_t o = 0;
    if (n % 4)
        return -1;
    for (size_t i = 0; i < n; i += 4) {
        int v[4], pad = 0;
        for (int j = 0; j < 4; j++) {
            unsigned char ch = (unsigned char)in[i + j];
            if (ch == '=' && i + 4 == n && j >= 2) {
                v[j] = 0;
                pad++;
                continue;
            }
            if (pad)
                return -1;              /* data after '=' */
            v[j] = b64_value(ch);
            if (v[j] < 0)
                return -1;
        }
        if (o + 3 - (size_t)pad > cap)
            return -1;
        out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (pad < 2)
            out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
        if (pad < 1)
            out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
    }
    *out_len = o;
    return 0;
}
