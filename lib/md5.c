/*
 * md5.c - MD5 message digest (RFC 1321), the APOP digest (RFC 1939 §7),
 * constant-time comparison and secure wiping.
 *
 * Written from the text of RFC 1321.  Portable ISO C11: bytes are
 * assembled into words explicitly (little-endian, as RFC 1321 §2 defines),
 * so there are no unaligned loads and no assumption about the host's byte
 * order.  All word arithmetic is done on uint32_t and masked back, and
 * every rotation count is in 1..31, so no shift is ever undefined.
 */
#include "internal.h"

#include <string.h>

/* T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 §3.4. */
static const uint32_t md5_t[64] = {
    0xd76aa478UL, 0xe8c7b756UL, 0x242070dbUL, 0xc1bdceeeUL,
    0xf57c0fafUL, 0x4787c62aUL, 0xa8304613UL, 0xfd469501UL,
    0x698098d8UL, 0x8b44f7afUL, 0xffff5bb1UL, 0x895cd7beUL,
    0x6b901122UL, 0xfd987193UL, 0xa679438eUL, 0x49b40821UL,
    0xf61e2562UL, 0xc040b340UL, 0x265e5a51UL, 0xe9b6c7aaUL,
    0xd62f105dUL, 0x02441453UL, 0xd8a1e681UL, 0xe7d3fbc8UL,
    0x21e1cde6UL, 0xc33707d6UL, 0xf4d50d87UL, 0x455a14edUL,
    0xa9e3e905UL, 0xfcefa3f8UL, 0x676f02d9UL, 0x8d2a4c8aUL,
    0xfffa3942UL, 0x8771f681UL, 0x6d9d6122UL, 0xfde5380cUL,
    0xa4beea44UL, 0x4bdecfa9UL, 0xf6bb4b60UL, 0xbebfbc70UL,
    0x289b7ec6UL, 0xeaa127faUL, 0xd4ef3085UL, 0x04881d05UL,
    0xd9d4d039UL, 0xe6db99e5UL, 0x1fa27cf8UL, 0xc4ac5665UL,
    0xf4292244UL, 0x432aff97UL, 0xab9423a7UL, 0xfc93a039UL,
    0x655b59c3UL, 0x8f0ccc92UL, 0xffeff47dUL, 0x85845dd1UL,
    0x6fa87e4fUL, 0xfe2ce6e0UL, 0xa3014314UL, 0x4e0811a1UL,
    0xf7537e82UL, 0xbd3af235UL, 0x2ad7d2bbUL, 0xeb86d391UL
};

/* Left-rotation amounts: four per round, RFC 1321 §3.4. */
static const unsigned char md5_s[4][4] = {
    { 7, 12, 17, 22 },
    { 5, 9, 14, 20 },
    { 4, 11, 16, 23 },
    { 6, 10, 15, 21 }
};

#define MD5_MASK32 0xffffffffUL

/* s is always one of md5_s[][], i.e. in 4..23: both shifts are defined. */
static uint32_t md5_rotl(uint32_t x, unsigned s)
{
    x &= MD5_MASK32;
    return (uint32_t)(((x << s) | (x >> (32u - s))) & MD5_MASK32);
}

static uint32_t md5_load_le32(const unsigned char *p)
{
    return (uint32_t)p[0]
         | ((uint32_t)p[1] << 8)
         | ((uint32_t)p[2] << 16)
         | ((uint32_t)p[3] << 24);
}

static void md5_store_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v & 0xffu);
    p[1] = (unsigned char)((v >> 8) & 0xffu);
    p[2] = (unsigned char)((v >> 16) & 0xffu);
    p[3] = (unsigned char)((v >> 24) & 0xffu);
}

/* Process one 64-octet block (RFC 1321 §3.4). */
static void md5_block(uint32_t state[4], const unsigned char blk[64])
{
    uint32_t x[16];
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    unsigned i;

    for (i = 0; i < 16; i++)
        x[i] = md5_load_le32(blk + 4u * i);

    for (i = 0; i < 64; i++) {
        uint32_t f, tmp;
        unsigned k, round = i / 16u;

        switch (round) {
        case 0:         /* F(X,Y,Z) = XY v not(X) Z */
            f = (b & c) | (~b & d);
            k = i;
            break;
        case 1:         /* G(X,Y,Z) = XZ v Y not(Z) */
            f = (b & d) | (c & ~d);
            k = (5u * i + 1u) & 15u;
            break;
        case 2:         /* H(X,Y,Z) = X xor Y xor Z */
            f = b ^ c ^ d;
            k = (3u * i + 5u) & 15u;
            break;
        default:        /* I(X,Y,Z) = Y xor (X v not(Z)) */
            f = c ^ (b | ~d);
            k = (7u * i) & 15u;
            break;
        }
        f &= MD5_MASK32;

        /* a = b + ((a + f + X[k] + T[i]) <<< s) */
        tmp = (uint32_t)((a + f + x[k] + md5_t[i]) & MD5_MASK32);
        tmp = (uint32_t)((b + md5_rotl(tmp, md5_s[round][i & 3u]))
                         & MD5_MASK32);
        a = d;
        d = c;
        c = b;
        b = tmp;
    }

    state[0] = (uint32_t)((state[0] + a) & MD5_MASK32);
    state[1] = (uint32_t)((state[1] + b) & MD5_MASK32);
    state[2] = (uint32_t)((state[2] + c) & MD5_MASK32);
    state[3] = (uint32_t)((state[3] + d) & MD5_MASK32);

    pop3__wipe(x, sizeof x);
}

void pop3__md5_init(pop3__md5 *m)
{
    /* RFC 1321 §3.3: words A..D, low-order byte first. */
    m->state[0] = 0x67452301UL;
    m->state[1] = 0xefcdab89UL;
    m->state[2] = 0x98badcfeUL;
    m->state[3] = 0x10325476UL;
    m->length = 0;
    memset(m->block, 0, sizeof m->block);
    m->used = 0;
}

void pop3__md5_update(pop3__md5 *m, const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;

    if (len == 0 || p == NULL)
        return;

    m->length += (uint64_t)len;     /* wraps mod 2^64 octets */

    if (m->used > 0) {
        size_t room = sizeof m->block - m->used;
        size_t take = len < room ? len : room;

        memcpy(m->block + m->used, p, take);
        m->used += take;
        p += take;
        len -= take;
        if (m->used < sizeof m->block)
            return;
        md5_block(m->state, m->block);
        m->used = 0;
    }

    while (len >= 64) {
        md5_block(m->state, p);
        p += 64;
        len -= 64;
    }

    if (len > 0) {
        memcpy(m->block, p, len);
        m->used = len;
    }
}

void pop3__md5_final(pop3__md5 *m, unsigned char digest[16])
{
    /* Bit length mod 2^64, RFC 1321 §3.2. */
    uint64_t bits = m->length << 3;
    unsigned i;

    /* §3.1: a single 1 bit, then zeros up to 56 mod 64 octets. */
    m->block[m->used++] = 0x80u;
    if (m->used > 56) {
        memset(m->block + m->used, 0, sizeof m->block - m->used);
        md5_block(m->state, m->block);
        m->used = 0;
    }
    memset(m->block + m->used, 0, 56 - m->used);

    /* §3.2: the 64-bit length, low-order word first, each low byte first. */
    for (i = 0; i < 8; i++)
        m->block[56 + i] = (unsigned char)((bits >> (8u * i)) & 0xffu);
    md5_block(m->state, m->block);

    for (i = 0; i < 4; i++)
        md5_store_le32(digest + 4u * i, m->state[i]);

    /* The context may have held a secret: leave nothing behind. */
    pop3__wipe(m, sizeof *m);
}

void pop3__hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[(in[i] >> 4) & 0x0fu];
        out[2 * i + 1] = digits[in[i] & 0x0fu];
    }
    out[2 * n] = '\0';
}

/* Calling memset through a volatile pointer: the compiler cannot know
 * which function it calls, so it cannot drop the call as a dead store. */
static void *(*const volatile pop3__memset_v)(void *, int, size_t) = memset;

void pop3__wipe(void *p, size_t n)
{
    if (p == NULL || n == 0)
        return;
    pop3__memset_v(p, 0, n);
}

POP3_API void pop3_apop_digest(const char *timestamp, const void *secret,
                               size_t secret_len, char hex_out[33])
{
    pop3__md5 m;
    unsigned char digest[16];

    if (hex_out == NULL)
        return;
    if (timestamp == NULL)
        timestamp = "";
    if (secret == NULL)
        secret_len = 0;

    pop3__md5_init(&m);
    pop3__md5_update(&m, timestamp, strlen(timestamp));
    pop3__md5_update(&m, secret, secret_len);
    pop3__md5_final(&m, digest);        /* wipes m */
    pop3__hex(digest, sizeof digest, hex_out);
    pop3__wipe(digest, sizeof digest);
}

POP3_API int pop3_ct_equal(const void *a, const void *b, size_t n)
{
    /* Volatile reads: every byte is loaded whatever the earlier ones were,
     * so the compiler cannot turn the loop into an early-exit compare. */
    const volatile unsigned char *pa = (const volatile unsigned char *)a;
    const volatile unsigned char *pb = (const volatile unsigned char *)b;
    unsigned acc = 0;
    size_t i;

    if (n == 0)
        return 1;
    if (a == NULL || b == NULL)
        return 0;

    for (i = 0; i < n; i++)
        acc |= (unsigned)(pa[i] ^ pb[i]);

    /* acc is 0..255: (acc - 1) >> 8 has bit 0 set exactly when acc == 0. */
    return (int)(((acc - 1u) >> 8) & 1u);
}
