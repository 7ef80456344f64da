/*
 * sha.c - SHA-1 and SHA-256 (FIPS 180-4, §5 and §6; SHA-1 also RFC 3174).
 *
 * Written from the text of FIPS 180-4.  Portable ISO C11, in the manner of
 * md5.c: words are assembled from bytes explicitly (big-endian, FIPS 180-4
 * §3.1), so there are no unaligned loads and no assumption about the
 * host's byte order.  Word arithmetic is done in unsigned long (at least
 * 32 bits, unsigned, never promoted to int) and masked back to 32 bits, so
 * nothing overflows a signed type whatever the width of int, and every
 * shift count is in 1..31.
 */
#include "crypto.h"

#include <string.h>

#define W32 0xffffffffUL

/* ROTL^n(x), FIPS 180-4 §3.2; n in 1..31 (all callers pass constants). */
static unsigned long rotl32(unsigned long x, unsigned n)
{
    x &= W32;
    return ((x << n) | (x >> (32u - n))) & W32;
}

/* ROTR^n(x); n in 1..31. */
static unsigned long rotr32(unsigned long x, unsigned n)
{
    x &= W32;
    return ((x >> n) | (x << (32u - n))) & W32;
}

static unsigned long load_be32(const unsigned char *p)
{
    return ((unsigned long)p[0] << 24)
         | ((unsigned long)p[1] << 16)
         | ((unsigned long)p[2] << 8)
         | (unsigned long)p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
    unsigned long x = v;

    p[0] = (unsigned char)((x >> 24) & 0xffu);
    p[1] = (unsigned char)((x >> 16) & 0xffu);
    p[2] = (unsigned char)((x >> 8) & 0xffu);
    p[3] = (unsigned char)(x & 0xffu);
}

/* ------------------------------------------------------------------------
 * The Merkle-Damgard frame shared by SHA-1 and SHA-256: buffering, and the
 * padding of FIPS 180-4 §5.1.1 (a 1 bit, zeros to 56 mod 64 octets, the
 * 64-bit big-endian bit length).
 * ---------------------------------------------------------------------- */

typedef void (*sha_compress_fn)(uint32_t *state, const unsigned char *blk);

static void md_update(uint32_t *state, uint64_t *length,
                      unsigned char block[64], size_t *used,
                      sha_compress_fn compress,
                      const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;

    if (len == 0 || p == NULL)
        return;

    *length += (uint64_t)len;       /* wraps mod 2^64 octets */

    if (*used > 0) {
        size_t room = 64 - *used;
        size_t take = len < room ? len : room;

        memcpy(block + *used, p, take);
        *used += take;
        p += take;
        len -= take;
        if (*used < 64)
            return;
        compress(state, block);
        *used = 0;
    }

    while (len >= 64) {
        compress(state, p);
        p += 64;
        len -= 64;
    }

    if (len > 0) {
        memcpy(block, p, len);
        *used = len;
    }
}

static void md_pad(uint32_t *state, uint64_t length,
                   unsigned char block[64], size_t used,
                   sha_compress_fn compress)
{
    uint64_t bits = length << 3;    /* mod 2^64, as §5.1.1 counts */
    unsigned i;

    block[used++] = 0x80u;
    if (used > 56) {
        memset(block + used, 0, 64 - used);
        compress(state, block);
        used = 0;
    }
    memset(block + used, 0, 56 - used);
    for (i = 0; i < 8; i++)
        block[56 + i] = (unsigned char)((bits >> (56u - 8u * i)) & 0xffu);
    compress(state, block);
}

/* ------------------------------------------------------------------------
 * SHA-1, FIPS 180-4 §6.1
 * ---------------------------------------------------------------------- */

static void sha1_compress(uint32_t *state, const unsigned char *blk)
{
    unsigned long w[80];
    unsigned long a, b, c, d, e;
    unsigned t;

    /* §6.1.2 step 1: the message schedule. */
    for (t = 0; t < 16; t++)
        w[t] = load_be32(blk + 4u * t);
    for (t = 16; t < 80; t++)
        w[t] = rotl32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);

    a = state[0];
    b = state[1];
    c = state[2];
    d = state[3];
    e = state[4];

    for (t = 0; t < 80; t++) {
        unsigned long f, k, tmp;

        /* §4.1.1 functions and §4.2.1 constants. */
        if (t < 20) {
            f = (b & c) ^ ((b ^ W32) & d);              /* Ch */
            k = 0x5a827999UL;
        } else if (t < 40) {
            f = b ^ c ^ d;                              /* Parity */
            k = 0x6ed9eba1UL;
        } else if (t < 60) {
            f = (b & c) ^ (b & d) ^ (c & d);            /* Maj */
            k = 0x8f1bbcdcUL;
        } else {
            f = b ^ c ^ d;                              /* Parity */
            k = 0xca62c1d6UL;
        }

        tmp = (rotl32(a, 5) + f + e + k + w[t]) & W32;
        e = d;
        d = c;
        c = rotl32(b, 30);
        b = a;
        a = tmp;
    }

    state[0] = (uint32_t)((state[0] + a) & W32);
    state[1] = (uint32_t)((state[1] + b) & W32);
    state[2] = (uint32_t)((state[2] + c) & W32);
    state[3] = (uint32_t)((state[3] + d) & W32);
    state[4] = (uint32_t)((state[4] + e) & W32);

    pop3__wipe(w, sizeof w);
}

void pop3__sha1_init(pop3__sha1 *s)
{
    /* §5.3.1 */
    s->state[0] = 0x67452301UL;
    s->state[1] = 0xefcdab89UL;
    s->state[2] = 0x98badcfeUL;
    s->state[3] = 0x10325476UL;
    s->state[4] = 0xc3d2e1f0UL;
    s->length = 0;
    memset(s->block, 0, sizeof s->block);
    s->used = 0;
}

void pop3__sha1_update(pop3__sha1 *s, const void *data, size_t len)
{
    md_update(s->state, &s->length, s->block, &s->used, sha1_compress,
              data, len);
}

void pop3__sha1_final(pop3__sha1 *s, unsigned char digest[20])
{
    unsigned i;

    md_pad(s->state, s->length, s->block, s->used, sha1_compress);
    for (i = 0; i < 5; i++)
        store_be32(digest + 4u * i, s->state[i]);
    pop3__wipe(s, sizeof *s);
}

/* ------------------------------------------------------------------------
 * SHA-256, FIPS 180-4 §6.2
 * ---------------------------------------------------------------------- */

/* §4.2.2: the first 32 bits of the fractional parts of the cube roots of
 * the first 64 primes. */
static const uint32_t sha256_k[64] = {
    0x428a2f98UL, 0x71374491UL, 0xb5c0fbcfUL, 0xe9b5dba5UL,
    0x3956c25bUL, 0x59f111f1UL, 0x923f82a4UL, 0xab1c5ed5UL,
    0xd807aa98UL, 0x12835b01UL, 0x243185beUL, 0x550c7dc3UL,
    0x72be5d74UL, 0x80deb1feUL, 0x9bdc06a7UL, 0xc19bf174UL,
    0xe49b69c1UL, 0xefbe4786UL, 0x0fc19dc6UL, 0x240ca1ccUL,
    0x2de92c6fUL, 0x4a7484aaUL, 0x5cb0a9dcUL, 0x76f988daUL,
    0x983e5152UL, 0xa831c66dUL, 0xb00327c8UL, 0xbf597fc7UL,
    0xc6e00bf3UL, 0xd5a79147UL, 0x06ca6351UL, 0x14292967UL,
    0x27b70a85UL, 0x2e1b2138UL, 0x4d2c6dfcUL, 0x53380d13UL,
    0x650a7354UL, 0x766a0abbUL, 0x81c2c92eUL, 0x92722c85UL,
    0xa2bfe8a1UL, 0xa81a664bUL, 0xc24b8b70UL, 0xc76c51a3UL,
    0xd192e819UL, 0xd6990624UL, 0xf40e3585UL, 0x106aa070UL,
    0x19a4c116UL, 0x1e376c08UL, 0x2748774cUL, 0x34b0bcb5UL,
    0x391c0cb3UL, 0x4ed8aa4aUL, 0x5b9cca4fUL, 0x682e6ff3UL,
    0x748f82eeUL, 0x78a5636fUL, 0x84c87814UL, 0x8cc70208UL,
    0x90befffaUL, 0xa4506cebUL, 0xbef9a3f7UL, 0xc67178f2UL
};

static void sha256_compress(uint32_t *state, const unsigned char *blk)
{
    unsigned long w[64];
    unsigned long v[8];         /* a..h */
    unsigned t, i;

    /* §6.2.2 step 1: the message schedule, with the σ functions of
     * §4.1.2 (4.6) and (4.7). */
    for (t = 0; t < 16; t++)
        w[t] = load_be32(blk + 4u * t);
    for (t = 16; t < 64; t++) {
        unsigned long x = w[t - 15], y = w[t - 2];
        unsigned long s0 = rotr32(x, 7) ^ rotr32(x, 18) ^ (x >> 3);
        unsigned long s1 = rotr32(y, 17) ^ rotr32(y, 19) ^ (y >> 10);

        w[t] = (s1 + w[t - 7] + s0 + w[t - 16]) & W32;
    }

    for (i = 0; i < 8; i++)
        v[i] = state[i];

    for (t = 0; t < 64; t++) {
        unsigned long a = v[0], b = v[1], c = v[2];
        unsigned long e = v[4], f = v[5], g = v[6];
        unsigned long big_s1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
        unsigned long big_s0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
        unsigned long ch = (e & f) ^ ((e ^ W32) & g);
        unsigned long maj = (a & b) ^ (a & c) ^ (b & c);
        unsigned long t1 = (v[7] + big_s1 + ch + sha256_k[t] + w[t]) & W32;
        unsigned long t2 = (big_s0 + maj) & W32;

        v[7] = g;
        v[6] = f;
        v[5] = e;
        v[4] = (v[3] + t1) & W32;
        v[3] = c;
        v[2] = b;
        v[1] = a;
        v[0] = (t1 + t2) & W32;
    }

    for (i = 0; i < 8; i++)
        state[i] = (uint32_t)((state[i] + v[i]) & W32);

    pop3__wipe(w, sizeof w);
    pop3__wipe(v, sizeof v);
}

void pop3__sha256_init(pop3__sha256 *s)
{
    /* §5.3.3 */
    s->state[0] = 0x6a09e667UL;
    s->state[1] = 0xbb67ae85UL;
    s->state[2] = 0x3c6ef372UL;
    s->state[3] = 0xa54ff53aUL;
    s->state[4] = 0x510e527fUL;
    s->state[5] = 0x9b05688cUL;
    s->state[6] = 0x1f83d9abUL;
    s->state[7] = 0x5be0cd19UL;
    s->length = 0;
    memset(s->block, 0, sizeof s->block);
    s->used = 0;
}

void pop3__sha256_update(pop3__sha256 *s, const void *data, size_t len)
{
    md_update(s->state, &s->length, s->block, &s->used, sha256_compress,
              data, len);
}

void pop3__sha256_final(pop3__sha256 *s, unsigned char digest[32])
{
    unsigned i;

    md_pad(s->state, s->length, s->block, s->used, sha256_compress);
    for (i = 0; i < 8; i++)
        store_be32(digest + 4u * i, s->state[i]);
    pop3__wipe(s, sizeof *s);
}
